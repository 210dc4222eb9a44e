"""Where each node stands for a profile, for colouring the graph: have, in plan, ready, locked.

* ``have`` — a skill the profile holds (and the plan does not deepen), a group it already fills,
  a role it is fully ready for or holds;
* ``in_plan`` — a skill the plan teaches, a group the plan fills, the plan's target;
* ``ready`` — a skill whose prerequisites are met (it can be started now), a group with a
  startable option;
* ``locked`` — everything else. Training routes have no status.

A status says where a node stands against the plan; what the person holds is drawn as well,
whatever the status (:func:`held_levels`: the level, and whether the person said so or it is
implied by a skill they hold or assumed from their role), so that a plan drawn on top never hides
it.

Only the nodes asked for are looked at, so that drawing a focused view stays cheap on a large
graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from ..closure import implied
from ..coverage import readiness_scores
from ..index import index_of
from ..planner import Plan
from ..profile import Profile

__all__ = ["STATUSES", "Held", "Status", "held_levels", "statuses"]

Status = Literal["have", "in_plan", "ready", "locked"]
STATUSES: tuple[Status, ...] = ("have", "in_plan", "ready", "locked")


def statuses(
    G: nx.DiGraph, profile: Profile, nodes: Iterable[str], plan: Plan | None = None
) -> dict[str, Status]:
    """The status of each of ``nodes`` (training routes are left out).

    >>> from skilltree import load_graph
    >>> statuses(load_graph(), Profile({"sql": 1}), ["sql", "mysql", "django"])
    {'sql': 'have', 'mysql': 'ready', 'django': 'locked'}
    """
    index = index_of(G)
    profile = implied(G, profile)
    planned = plan.skills if plan is not None else frozenset()
    chosen_groups = set(plan.choices) if plan is not None else set()
    out: dict[str, Status] = {}
    nodes = list(nodes)
    roles = [n for n in nodes if index.kinds.get(n) == "role"]
    scores = readiness_scores(G, profile, roles) if roles else {}

    def startable(skill: str) -> bool:
        return index.startable(skill, profile.level)

    for node in nodes:
        kind = index.kinds.get(node)
        if kind == "skill":
            if node in planned:
                out[node] = "in_plan"
            elif profile.level(node) > 0:
                out[node] = "have"
            else:
                out[node] = "ready" if startable(node) else "locked"
        elif kind == "group":
            held = sum(1 for o, lv in index.options[node] if profile.level(o) >= lv)
            if node in chosen_groups and any(o in planned for o in plan.choices[node]):  # type: ignore[union-attr]
                out[node] = "in_plan"
            elif held >= index.pick[node]:
                out[node] = "have"
            elif any(startable(o) for o, _ in index.options[node]):
                out[node] = "ready"
            else:
                out[node] = "locked"
        elif kind == "role":
            if plan is not None and node == plan.target:
                out[node] = "in_plan"
            elif node == profile.role or scores[node] >= 1.0 - 1e-9:
                out[node] = "have"
            else:
                out[node] = "locked"
    return out


@dataclass(frozen=True, slots=True)
class Held:
    """A level a person holds: ``source`` is empty when they said so, else where it comes from
    (``implied by Python``, ``assumed from your role (Junior)``)."""

    level: int
    top: int
    source: str = ""

    @property
    def stated(self) -> bool:
        return not self.source


def held_levels(G: nx.DiGraph, profile: Profile, nodes: Iterable[str]) -> dict[str, Held]:
    """The skills among ``nodes`` the person holds, at what level, and why.

    >>> from skilltree import load_graph
    >>> held = held_levels(load_graph(), Profile({"django": 1}), ["django", "python", "java"])
    >>> held["django"], held["python"].source, "java" in held
    (Held(level=1, top=3, source=''), 'implied by Django', False)
    """
    index = index_of(G)
    closed = implied(G, profile)
    out: dict[str, Held] = {}
    for node in nodes:
        if node not in index.hours:
            continue
        level = closed.level(node)
        if level <= 0:
            continue
        origin = closed.origins.get(node)
        source = ""
        if origin is not None and node not in profile.skills:
            name = index.names.get(origin.source, origin.source)
            source = (
                f"implied by {name}"
                if origin.kind == "prerequisite"
                else f"assumed from your role ({name})"
            )
        out[node] = Held(level, index.top_level(node), source)
    return out
