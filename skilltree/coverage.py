"""Readiness: how much of a role's requirements a profile covers, and the explanation.

Each effective requirement of the role (its own and those of the rungs below it) earns a credit
in [0, 1]: for a skill, the level held over the level needed (capped at 1); for a group of
"any k", the mean credit of its k best options. Requirements weigh what
:class:`skilltree.model.Weights` says for their importance (essential 1, optional 0.25 by
default); the score is the weighted mean of the credits. A role with no requirements scores 1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from .closure import implied
from .index import GraphIndex, Requirement, index_of
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
        When ``role`` is not a role of the graph.

    Examples
    --------
    >>> from skilltree import load_graph
    >>> G = load_graph()
    >>> readiness(G, Profile(), "junior").score
    0.0
    """
    index = index_of(G)
    profile = implied(G, profile)
    items = []
    total = weighted = 0.0
    for req in index.requirements(role):
        credit, have, counted = requirement_credit(index, profile, req)
        item = RequirementStatus(
            req.node,
            index.names[req.node],
            req.is_group,
            req.importance,
            req.level,
            have,
            credit,
            req.origin,
            weights.of(req.importance),
            counted,
        )
        items.append(item)
        total += item.weight
        weighted += item.weight * credit
    score = weighted / total if total else 1.0
    return Readiness(role, index.names[role], score, tuple(items))


def readiness_all(
    G: nx.DiGraph, profile: Profile, *, weights: Weights = DEFAULT_WEIGHTS
) -> dict[str, Readiness]:
    """Readiness of ``profile`` for every role, by role id, in ladder order."""
    return {role: readiness(G, profile, role, weights=weights) for role in index_of(G).ladder()}


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

    >>> from skilltree import load_graph
    >>> G = load_graph()
    >>> p = Profile({"python": 2, "sql": 1})
    >>> round(readiness_scores(G, p)["junior"], 6) == round(readiness(G, p, "junior").score, 6)
    True
    """
    index = index_of(G)
    profile = implied(G, profile)
    sums: dict[str, float] = defaultdict(float)
    groups: dict[tuple[str, Requirement], list[float]] = defaultdict(list)
    for skill, have in profile.skills.items():
        if skill not in index.hours:
            continue
        for role, req in index.uses(skill):
            if req.is_group:
                need = index.option_need(req.level, index.option_level[req.node, skill])
                groups[role, req].append(min(have, need) / need)
            else:
                sums[role] += weights.of(req.importance) * min(have, req.level) / req.level
    for (role, req), credits in groups.items():
        pick = req.pick
        credits.sort(reverse=True)
        sums[role] += weights.of(req.importance) * sum(credits[:pick]) / pick
    out: dict[str, float] = {}
    for role in index.roles if roles is None else roles:
        total = index.weight_total(index.check(role, "role"), weights=weights)
        out[role] = sums.get(role, 0.0) / total if total else 1.0
    return out
