"""Readiness: how much of a role's requirements a profile covers, and the explanation.

Each effective requirement of the role (its own and those of the rungs below it) earns a credit
in [0, 1]: for a skill, the level held over the level needed (capped at 1); for a group of
"any k", the mean credit of its k best options. Requirements weigh what
:class:`skilltree.model.Weights` says for their importance (essential 1, optional 0.25 by
default); the score is the weighted mean of the credits. A role with no requirements scores 1.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

import networkx as nx
import numpy as np

from .closure import implied
from .gcpause import gc_paused
from .index import GraphIndex, PerIndex, Recent, Requirement, index_of
from .model import DEFAULT_WEIGHTS, Weights
from .profile import Levels, Profile

__all__ = [
    "Readiness",
    "RequirementStatus",
    "readiness",
    "readiness_all",
    "readiness_scores",
    "requirement_credit",
]

Status = Literal["met", "partial", "missing"]


@dataclass(frozen=True, slots=True)
class RequirementStatus:
    """How one requirement stands: ``have`` is the level held (the best counted option's for a
    group), ``counted`` the options counted toward a group, best first."""

    node: str
    name: str
    is_group: bool
    importance: str
    level: int
    have: int
    credit: float
    origin: str
    weight: float
    counted: tuple[str, ...] = ()

    @property
    def status(self) -> Status:
        if self.credit >= 1.0:
            return "met"
        return "partial" if self.credit > 0 else "missing"


@dataclass(frozen=True, slots=True)
class Readiness:
    """A role's readiness score in [0, 1] and the status of each requirement."""

    role: str
    name: str
    score: float
    items: tuple[RequirementStatus, ...]

    def by_status(self, status: Status) -> tuple[RequirementStatus, ...]:
        return tuple(item for item in self.items if item.status == status)

    @property
    def met(self) -> tuple[RequirementStatus, ...]:
        return self.by_status("met")

    @property
    def partial(self) -> tuple[RequirementStatus, ...]:
        return self.by_status("partial")

    @property
    def missing(self) -> tuple[RequirementStatus, ...]:
        return self.by_status("missing")


def requirement_credit(
    index: GraphIndex, profile: Levels, req: Requirement
) -> tuple[float, int, tuple[str, ...]]:
    """(credit, level held, options counted) of one requirement for a profile."""
    if not req.is_group:
        have = profile.level(req.node)
        return min(have, req.level) / req.level, have, ()
    scored = []
    for option, option_level in index.options[req.node]:
        need = index.option_need(req.level, option_level)
        have = profile.level(option)
        scored.append((min(have, need) / need, have, option))
    scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
    best = scored[: req.pick]
    counted = tuple(option for credit, _have, option in best if credit > 0)
    credit = sum(credit for credit, _have, _option in best) / req.pick
    return credit, (best[0][1] if best else 0), counted


def readiness(
    G: nx.DiGraph, profile: Profile, role: str, *, weights: Weights = DEFAULT_WEIGHTS
) -> Readiness:
    """Readiness of ``profile`` for ``role``, with the status of every requirement.

    Raises
    ------
    UnknownIdError
        For a ``role`` the graph does not hold (with close matches in the message).

    Examples
    --------
    >>> readiness(G, Profile(), "junior").score
    0.0
    """
    index = index_of(G)
    profile = implied(G, profile)
    held, names = profile.skills, index.names
    essential, optional = weights.essential, weights.optional
    items = []
    total = weighted = 0.0
    for req in index.requirements(role):
        if req.is_group:
            credit, have, counted = requirement_credit(index, profile, req)
        else:  # as requirement_credit, written out: a role asks for dozens of skills
            have = held.get(req.node, 0)
            credit, counted = min(have, req.level) / req.level, ()
        weight = essential if req.importance == "essential" else optional
        items.append(
            RequirementStatus(
                req.node,
                names[req.node],
                req.is_group,
                req.importance,
                req.level,
                have,
                credit,
                req.origin,
                weight,
                counted,
            )
        )
        total += weight
        weighted += weight * credit
    score = weighted / total if total else 1.0
    return Readiness(role, names[role], score, tuple(items))


@gc_paused()  # a status for every requirement of every role: all of it is returned
def readiness_all(
    G: nx.DiGraph, profile: Profile, *, weights: Weights = DEFAULT_WEIGHTS
) -> dict[str, Readiness]:
    """Readiness of ``profile`` for every role, by role id, in ladder order."""
    return {role: readiness(G, profile, role, weights=weights) for role in index_of(G).ladder()}


@dataclass(frozen=True)
class UsesTable:
    """Every (skill, role, requirement) use of the graph as flat arrays, a skill's uses side by
    side, so that a profile's readiness for every role is a few array operations.

    A direct use credits its role ``weight × min(level, cap) / cap``. A group use credits one
    of the group's places (a key: role and requirement) ``min(level, cap) / cap``; each key
    keeps its best ``pick`` credits, and the sum over ``pick`` goes to the role.
    """

    position: Mapping[str, int]  # skill → its row in start/length
    role_position: Mapping[str, int]
    start: np.ndarray
    length: np.ndarray
    # per use, side by side by skill
    is_group: np.ndarray
    target: np.ndarray  # the role (direct) or the key (group)
    cap: np.ndarray
    importance: np.ndarray  # 0 essential, 1 optional
    # per key
    key_role: np.ndarray
    key_pick: np.ndarray
    key_importance: np.ndarray
    #: ``position.get`` of the table's own dict: a read-only view's lookups cost twice as much,
    #: and a deep profile's closure looks up thousands of skills.
    row_of: Callable[[str, int], int]

    def sums(self, held: Mapping[str, int], weight: np.ndarray) -> np.ndarray:
        """Weighted credit per role (by position) for the skills ``held`` (id → level)."""
        roles = len(self.role_position)
        rows = np.fromiter(map(self.row_of, held, itertools.repeat(-1)), dtype=np.int64)
        levels = np.fromiter(held.values(), dtype=np.float64, count=len(held))
        known = rows >= 0
        rows, levels = rows[known], levels[known]
        if not len(rows):
            return np.zeros(roles)
        lengths = self.length[rows]
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(roles)
        # The uses of every held skill: each skill's run start..start+length, one array.
        ends = np.cumsum(lengths)
        uses = np.repeat(self.start[rows] - (ends - lengths), lengths) + np.arange(total)
        have = np.repeat(levels, lengths)
        cap = self.cap[uses]
        credit = np.minimum(have, cap) / cap
        group = self.is_group[uses]
        direct = ~group
        # (bincount of nothing counts in integers: the sums start as floats)
        sums = np.zeros(roles)
        mine = uses[direct]
        sums += np.bincount(
            self.target[mine],
            weights=weight[self.importance[mine]] * credit[direct],
            minlength=roles,
        )
        if group.any():
            keys, credits = self.target[uses[group]], credit[group]
            # Best credits first within each key (one sort on key + a fraction that falls as
            # the credit, in [0, 1], rises); keep each key's first ``pick``.
            order = np.argsort(keys + (1.0 - credits) / 2)
            keys, credits = keys[order], credits[order]
            first = np.ones(len(keys), dtype=bool)
            first[1:] = keys[1:] != keys[:-1]
            starts = np.flatnonzero(first)
            rank = np.arange(len(keys)) - np.repeat(starts, np.diff(np.append(starts, len(keys))))
            kept = rank < self.key_pick[keys]
            per_key = np.bincount(keys[kept], weights=credits[kept], minlength=len(self.key_role))
            per_key = per_key / self.key_pick * weight[self.key_importance]
            sums += np.bincount(self.key_role, weights=per_key, minlength=roles)
        return sums


@gc_paused()  # a row per use of every skill: all of it stays alive
def uses_table_of(index: GraphIndex) -> UsesTable:
    role_position = {role: n for n, role in enumerate(index.roles)}
    keys: dict[tuple[str, Requirement], int] = {}
    position: dict[str, int] = {}
    start: list[int] = []
    length: list[int] = []
    is_group: list[bool] = []
    target: list[int] = []
    cap: list[float] = []
    importance: list[int] = []
    for n, skill in enumerate(index.hours):
        position[skill] = n
        start.append(len(target))
        for role, req in index.uses(skill):
            if req.is_group:
                key = keys.setdefault((role, req), len(keys))
                is_group.append(True)
                target.append(key)
                cap.append(index.option_need(req.level, index.option_level[req.node, skill]))
            else:
                is_group.append(False)
                target.append(role_position[role])
                cap.append(req.level)
            importance.append(int(req.importance != "essential"))
        length.append(len(target) - start[-1])
    ordered = sorted(keys, key=keys.__getitem__)
    return UsesTable(
        MappingProxyType(position),
        MappingProxyType(role_position),
        np.array(start, dtype=np.int64),
        np.array(length, dtype=np.int64),
        np.array(is_group, dtype=bool),
        np.array(target, dtype=np.int64),
        np.array(cap, dtype=np.float64),
        np.array(importance, dtype=np.int64),
        np.array([role_position[role] for role, _req in ordered], dtype=np.int64),
        np.array([req.pick for _role, req in ordered], dtype=np.float64),
        np.array(
            [0 if req.importance == "essential" else 1 for _r, req in ordered], dtype=np.int64
        ),
        position.get,
    )


#: Per graph: every use of every skill as arrays (see :class:`UsesTable`).
uses_table: PerIndex[UsesTable] = PerIndex(uses_table_of)
#: Per graph: the scores of every role for the last profiles asked about (a page asks
#: for the roles it draws on every rerun; a deep profile holds thousands of implied skills).
_SUMS: PerIndex[Recent[tuple[Profile, Weights], np.ndarray]] = PerIndex(lambda _i: Recent(64))
#: Per graph: every role's summed weights, per set of weights.
_TOTALS: PerIndex[dict[Weights, np.ndarray]] = PerIndex(lambda _i: {})


def readiness_scores(
    G: nx.DiGraph,
    profile: Profile,
    roles: Iterable[str] | None = None,
    *,
    weights: Weights = DEFAULT_WEIGHTS,
) -> dict[str, float]:
    """The readiness score alone, for many roles at once (every role by default).

    The same numbers as :func:`readiness`, worked out from the skills the profile holds rather
    than from each role's requirements, so the cost follows the profile, not the graph: a role
    the profile does not touch scores 0 without being looked at.

    >>> p = Profile({"python": 2, "sql": 1})
    >>> round(readiness_scores(G, p)["junior"], 6) == round(readiness(G, p, "junior").score, 6)
    True
    """
    index = index_of(G)
    table = uses_table(index)
    # Keyed by the closure: a page asks with the stated profile, the drawing with its closure.
    closed = implied(G, profile)

    def work_out() -> np.ndarray:
        found = table.sums(closed.skills, np.array([weights.essential, weights.optional]))
        totals = _totals(index, weights)
        scores = np.divide(found, totals, out=np.ones_like(found), where=totals > 0)
        scores.setflags(write=False)  # shared by every caller with this profile
        return scores

    scores = _SUMS(index).get((closed, weights), work_out)
    if roles is None:
        return dict(zip(index.roles, scores.tolist(), strict=True))
    position = table.role_position
    return {role: float(scores[position[index.check(role, "role")]]) for role in roles}


def _totals(index: GraphIndex, weights: Weights) -> np.ndarray:
    """Every role's summed requirement weights, in the index's role order (kept per weights)."""
    kept = _TOTALS(index)
    found = kept.get(weights)
    if found is None:
        found = np.array([index.weight_total(role, weights=weights) for role in index.roles])
        kept[weights] = found
    return found
