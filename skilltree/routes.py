"""Routes up the ladder: from a role to a target along ``progression`` edges, rung by rung,
and several targets compared side by side.

Each rung of a route is planned from the profile as it will be once the rungs before it are
done, so a route's hours add up to the whole climb with nothing counted twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from .closure import implied
from .coverage import readiness
from .errors import SkilltreeError
from .index import GraphIndex, index_of
from .planner import Plan, plan
from .profile import Profile

__all__ = [
    "Comparison",
    "NoRouteError",
    "Route",
    "Rung",
    "TargetSummary",
    "compare",
    "entry_roles",
    "route",
]


class NoRouteError(SkilltreeError):
    """No chain of progression edges leads from ``start`` to ``target``."""

    def __init__(self, start: str, target: str, reachable_from: Sequence[str]):
        self.start = start
        self.target = target
        self.reachable_from = tuple(reachable_from)
        message = f"no progression leads from {start!r} to {target!r}"
        if self.reachable_from:
            message += "; it is reached from " + ", ".join(repr(r) for r in self.reachable_from)
        else:
            message += "; it is an entry rung that no role leads to"
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Rung:
    """One rung of a route: the plan hours left for it once the rungs below are done."""

    role: str
    name: str
    hours: float
    cumulative_hours: float
    readiness: float
    salary: Mapping[str, Any] | None
    salary_change: tuple[float, float] | None
    years: float | None
    plan: Plan


@dataclass(frozen=True, slots=True)
class Route:
    """The rungs from ``start`` (included) to ``target``, in order."""

    start: str
    target: str
    rungs: tuple[Rung, ...]

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(r.role for r in self.rungs)

    @property
    def total_hours(self) -> float:
        return self.rungs[-1].cumulative_hours if self.rungs else 0.0


@dataclass(frozen=True, slots=True)
class TargetSummary:
    role: str
    name: str
    readiness: float
    hours: float
    salary: Mapping[str, Any] | None
    skills: frozenset[str]
    distinct: frozenset[str]


@dataclass(frozen=True, slots=True)
class Comparison:
    """Targets side by side; ``shared`` are the skills every target's plan teaches."""

    targets: tuple[TargetSummary, ...]
    shared: frozenset[str]


def entry_roles(G: nx.DiGraph) -> list[str]:
    """Roles no progression leads to, lowest rank first: where a ladder starts."""
    index = index_of(G)
    return [r for r in index.ladder() if not index.prev_roles[r]]


def _path(index: GraphIndex, start: str, target: str) -> list[str]:
    path = index.ladder_path(start, target)
    if path is None:
        raise NoRouteError(start, target, index.prev_roles[target])
    return path


def _same_unit(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Bands compare only in the same currency, period and basis: no exchange rates here."""
    return all(a.get(k) == b.get(k) for k in ("currency", "period", "basis"))


def route(
    G: nx.DiGraph,
    profile: Profile,
    target: str,
    start: str | None = None,
    *,
    optional: bool = False,
) -> Route:
    """The shortest chain of progression steps from ``start`` to ``target``, each rung planned.

    ``start`` defaults to the profile's current role, else the entry rung of the ladder. The
    start rung is included: if the profile does not yet meet it, its plan comes first.

    Raises
    ------
    UnknownIdError
        When ``target`` or ``start`` is not a role.
    NoRouteError
        When no progression leads from ``start`` to ``target``.

    Examples
    --------
    >>> from skilltree import load_graph
    >>> route(load_graph(), Profile(), "tech-expert").roles
    ('junior', 'confirmed', 'senior', 'tech-expert')
    """
    index = index_of(G)
    index.check(target, "role")
    profile = implied(G, profile)
    if start is None:
        start = profile.role
    if start is None:
        entries = [r for r in entry_roles(G) if r == target or _reaches(index, r, target)]
        start = entries[0] if entries else target
    index.check(start, "role")
    path = _path(index, start, target)
    rungs: list[Rung] = []
    current = profile
    total = 0.0
    previous: str | None = None
    for role in path:
        rung_plan = plan(G, current, role, optional=optional)
        total += rung_plan.total_hours
        band = index.salary[role]
        change = None
        before = index.salary[previous] if previous is not None else None
        if band and before and _same_unit(band, before):
            change = (band["min"] - before["min"], band["max"] - before["max"])
        years = G.edges[previous, role].get("years") if previous is not None else None
        rungs.append(
            Rung(
                role,
                index.names[role],
                rung_plan.total_hours,
                total,
                readiness(G, profile, role).score,
                band,
                change,
                years,
                rung_plan,
            )
        )
        current = current.with_levels((s.skill, s.to_level) for s in rung_plan.steps)
        previous = role
    return Route(start, target, tuple(rungs))


def _reaches(index: GraphIndex, start: str, target: str) -> bool:
    try:
        _path(index, start, target)
    except NoRouteError:
        return False
    return True


def compare(
    G: nx.DiGraph, profile: Profile, targets: Sequence[str], *, optional: bool = False
) -> Comparison:
    """Several targets side by side: readiness, plan hours, salary, shared and distinct skills.

    Examples
    --------
    >>> from skilltree import load_graph
    >>> c = compare(load_graph(), Profile(), ["tech-expert", "engineering-manager"])
    >>> "people-management" in c.targets[1].distinct
    True
    """
    index = index_of(G)
    profile = implied(G, profile)
    plans = [plan(G, profile, t, optional=optional) for t in targets]
    skill_sets = [p.skills for p in plans]
    shared = frozenset.intersection(*skill_sets) if skill_sets else frozenset()
    summaries = []
    for i, (t, p) in enumerate(zip(targets, plans, strict=True)):
        others = frozenset().union(*(s for j, s in enumerate(skill_sets) if j != i))
        summaries.append(
            TargetSummary(
                t,
                index.names[t],
                p.readiness.score,
                p.total_hours,
                index.salary[t],
                p.skills,
                p.skills - others,
            )
        )
    return Comparison(tuple(summaries), shared)
