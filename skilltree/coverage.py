"""Readiness: how much of a role's requirements a profile covers, and the explanation.

Each effective requirement of the role (its own and those of the rungs below it) earns a credit
in [0, 1]: for a skill, the level held over the level needed (capped at 1); for a group of
"any k", the mean credit of its k best options. Requirements weigh what
:class:`skilltree.model.Weights` says for their importance (essential 1, optional 0.25 by
default); the score is the weighted mean of the credits. A role with no requirements scores 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import networkx as nx
import numpy as np

from .arrays import skill_arrays
from .closure import implied, implied_levels
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
    """Every (skill, role, requirement) use of the graph as flat arrays, so that a profile's
    readiness for every role is a few array operations: first every direct use, then every use
    as an option, each block a run per skill by skill number (:mod:`skilltree.arrays`).

    A direct use credits its role ``weight × min(level, cap) / cap``. A group use credits one
    of the group's places (a key: role and requirement) ``min(level, cap) / cap``; each key
    keeps its best ``pick`` credits, and the sum over ``pick`` goes to the role.
    """

    role_position: Mapping[str, int]
    # per row: where its direct uses start and how many, the same for its uses as an option
    direct_start: np.ndarray
    direct_count: np.ndarray
    group_start: np.ndarray
    group_count: np.ndarray
    #: how many uses are direct (they come first)
    directs: int
    # per use
    skill: np.ndarray  # the skill's row (its number, :mod:`skilltree.arrays`)
    target: np.ndarray  # the role (direct) or the key (group)
    cap: np.ndarray  # the level that earns the full credit (small integers)
    importance: np.ndarray  # 0 essential, 1 optional
    # per key
    key_role: np.ndarray
    key_pick: np.ndarray
    key_importance: np.ndarray
    #: per weights (essential, optional): each use's ``weight / cap`` (worked out when asked)
    factors: dict[tuple[float, float], np.ndarray] = field(default_factory=dict, compare=False)

    def sums(self, levels: np.ndarray, weight: np.ndarray) -> np.ndarray:
        """Weighted credit per role (by position) for the levels held, by skill number."""
        roles = len(self.role_position)
        pair = (float(weight[0]), float(weight[1]))
        factor = self.factors.get(pair)
        if factor is None:
            factor = self.factors.setdefault(pair, weight[self.importance] / self.cap)
        rows = np.flatnonzero(levels > 0)  # (a mask: nonzero on bytes is slow)
        held = levels[rows]
        sums = np.zeros(roles)  # (bincount of nothing counts in integers: start from floats)
        count = self.direct_count[rows]
        uses: slice | np.ndarray
        if 3 * int(count.sum()) > self.directs:
            # Most uses are held: every direct use at once costs less than picking them out.
            uses = slice(0, self.directs)
            have = levels[self.skill[uses]]
        else:
            uses, have = _runs(self.direct_start[rows], count, held)
        if len(have):
            credit = np.minimum(have, self.cap[uses]) * factor[uses]
            sums += np.bincount(self.target[uses], weights=credit, minlength=roles)
        options, have = _runs(self.group_start[rows], self.group_count[rows], held)
        if len(options):
            cap = self.cap[options]
            keys, credit = self.target[options], np.minimum(have, cap) / cap
            per_key = np.zeros(len(self.key_role))
            np.maximum.at(per_key, keys, credit)  # a key of pick 1: its best option
            many = self.key_pick[keys] > 1
            if many.any():
                per_key = _best_picks(self.key_pick, keys[many], credit[many], per_key)
            sums += np.bincount(
                self.key_role, weights=per_key * weight[self.key_importance], minlength=roles
            )
        return sums


def _runs(
    starts: np.ndarray, lengths: np.ndarray, held: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The uses in each run ``start .. start + length`` as one array, and the level held for
    each (the run's)."""
    total = int(lengths.sum())
    ends = np.cumsum(lengths)
    uses = np.repeat(starts - (ends - lengths), lengths) + np.arange(total)
    return uses, np.repeat(held, lengths)


def _best_picks(
    pick: np.ndarray, keys: np.ndarray, credits: np.ndarray, per_key: np.ndarray
) -> np.ndarray:
    """``per_key`` with each key of pick k > 1 given the mean of its k best credits."""
    # Best credits first within each key (one sort on key + a fraction that falls as the
    # credit, in [0, 1], rises); keep each key's first ``pick``.
    order = np.argsort(keys + (1.0 - credits) / 2)
    keys, credits = keys[order], credits[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    starts = np.flatnonzero(first)
    rank = np.arange(len(keys)) - np.repeat(starts, np.diff(np.append(starts, len(keys))))
    kept = rank < pick[keys]
    best = np.bincount(keys[kept], weights=credits[kept], minlength=len(pick))
    many = pick > 1
    out = per_key.copy()
    out[many] = best[many] / pick[many]
    return out


@gc_paused()  # a row per use of every skill: all of it stays alive
def uses_table_of(index: GraphIndex) -> UsesTable:
    arrays = skill_arrays(index)
    role_position = {role: n for n, role in enumerate(index.roles)}
    keys: dict[tuple[str, Requirement], int] = {}
    # (skill row, target, cap, importance) per use, direct uses first
    direct: list[tuple[int, int, int, int]] = []
    group: list[tuple[int, int, int, int]] = []
    for row, name in enumerate(arrays.names):
        for role, req in index.uses(name):
            importance = int(req.importance != "essential")
            if req.is_group:
                key = keys.setdefault((role, req), len(keys))
                need = index.option_need(req.level, index.option_level[req.node, name])
                group.append((row, key, need, importance))
            else:
                direct.append((row, role_position[role], req.level, importance))
    uses = direct + group
    skill = np.array([use[0] for use in uses], dtype=np.intp)
    rows = len(arrays.names)
    direct_count = np.bincount(skill[: len(direct)], minlength=rows)
    group_count = np.bincount(skill[len(direct) :], minlength=rows)
    ordered = sorted(keys, key=keys.__getitem__)
    return UsesTable(
        MappingProxyType(role_position),
        np.cumsum(direct_count) - direct_count,
        direct_count,
        len(direct) + np.cumsum(group_count) - group_count,
        group_count,
        len(direct),
        skill,
        np.array([use[1] for use in uses], dtype=np.intp),
        np.array([use[2] for use in uses], dtype=np.int8),
        np.array([use[3] for use in uses], dtype=np.intp),
        np.array([role_position[role] for role, _req in ordered], dtype=np.intp),
        np.array([req.pick for _role, req in ordered], dtype=np.float64),
        np.array([0 if req.importance == "essential" else 1 for _r, req in ordered], dtype=np.intp),
    )


#: Per graph: every use of every skill as arrays (see :class:`UsesTable`).
uses_table: PerIndex[UsesTable] = PerIndex(uses_table_of)
#: Per graph: the scores of every role for the last profiles asked about (a page asks
#: for the roles it draws on every rerun; a deep profile holds thousands of implied skills).
_SUMS: PerIndex[Recent[tuple[bytes, Weights], np.ndarray]] = PerIndex(lambda _i: Recent(64))
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
    # Keyed by the closure's levels: a page asks with the stated profile, the drawing with its
    # closure.
    levels = implied_levels(G, profile)

    def work_out() -> np.ndarray:
        found = table.sums(levels, np.array([weights.essential, weights.optional]))
        totals = _totals(index, weights)
        scores = np.divide(found, totals, out=np.ones_like(found), where=totals > 0)
        scores.setflags(write=False)  # shared by every caller with this profile
        return scores

    scores = _SUMS(index).get((levels.tobytes(), weights), work_out)
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
