"""Precomputed lookups over a loaded graph, built once per graph and shared by every query.

Queries (readiness, plans, suggestions, routes) must touch only what they need, never copy the
graph or iterate a filtered view of it. One pass over the nodes and edges builds the tables
here; a role's effective requirements (its own merged with those of the rungs below it) are
worked out the first time that role is asked about and remembered.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from .errors import SkilltreeError, UnknownIdError
from .profile import _suggest

__all__ = ["GraphIndex", "Requirement", "index_of"]

Importance = Literal["essential", "optional"]


@dataclass(frozen=True, slots=True)
class Requirement:
    """One effective requirement of a role: skill or group ``node`` at ``level``.

    ``origin`` is the role that states it: the role itself, or a rung below it whose
    requirements it inherits.
    """

    node: str
    is_group: bool
    level: int
    importance: Importance
    origin: str


class GraphIndex:
    """Tables over one graph. Use :func:`index_of` to get the shared instance for a graph."""

    def __init__(self, G: nx.DiGraph):
        self.names: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self.hours: dict[str, tuple[float, ...]] = {}
        self.prereqs: dict[str, list[tuple[str, int]]] = {}
        self.dependents: dict[str, list[tuple[str, int]]] = {}
        self.options: dict[str, list[tuple[str, int]]] = {}
        self.option_of: dict[str, list[tuple[str, int]]] = {}
        self.option_level: dict[tuple[str, str], int] = {}
        self.pick: dict[str, int] = {}
        self.own_reqs: dict[str, list[tuple[str, int, Importance]]] = {}
        self.required_by: dict[str, list[str]] = {}
        self.next_roles: dict[str, list[str]] = {}
        self.prev_roles: dict[str, list[str]] = {}
        self.roles: list[str] = []
        # Node ids by skill category and by kind, for filters that must not scan the graph.
        self.by_group: dict[str, list[str]] = {}
        for node, attrs in G.nodes(data=True):
            kind = attrs["kind"]
            self.kinds[node] = kind
            self.by_group.setdefault(attrs.get("category") or kind, []).append(node)
            self.names[node] = attrs.get("name", node)
            if kind == "skill":
                self.hours[node] = tuple(attrs["hours"])
                self.prereqs[node] = []
                self.dependents[node] = []
                self.option_of[node] = []
                self.required_by[node] = []
            elif kind == "group":
                self.options[node] = []
                self.pick[node] = attrs.get("pick", 1)
                self.required_by[node] = []
            elif kind == "role":
                self.roles.append(node)
                self.own_reqs[node] = []
                self.next_roles[node] = []
                self.prev_roles[node] = []
        for u, v, attrs in G.edges(data=True):
            kind = attrs["kind"]
            if kind == "prerequisite":
                self.prereqs[v].append((u, attrs["level"]))
                self.dependents[u].append((v, attrs["level"]))
            elif kind == "option":
                self.options[v].append((u, attrs["level"]))
                self.option_level[v, u] = attrs["level"]
                self.option_of[u].append((v, attrs["level"]))
            elif kind == "requirement":
                self.own_reqs[v].append((u, attrs["level"], attrs["importance"]))
                self.required_by[u].append(v)
            elif kind == "progression":
                self.next_roles[u].append(v)
                self.prev_roles[v].append(u)
        self.rank: dict[str, int] = {r: G.nodes[r]["rank"] for r in self.roles}
        self.salary: dict[str, Mapping[str, object] | None] = {
            r: G.nodes[r].get("salary") for r in self.roles
        }
        self._G = weakref.ref(G)
        self._effective: dict[str, tuple[Requirement, ...]] = {}
        self._depth: dict[str, int] = {}
        self._uses: dict[str, list[tuple[str, Requirement]]] | None = None
        self._merged: dict[str, dict[str, Requirement]] = {}
        self._weights: dict[tuple[str, bool], float] = {}
        # Tables that other modules work out once per graph (see advice.py).
        self.memo: dict[str, object] = {}

    # --- lookups ---------------------------------------------------------------------------

    def check(self, node: str, kind: str) -> str:
        """``node`` if the graph holds a ``kind`` node of that id; otherwise raise with hints."""
        actual = self.kinds.get(node)
        if actual == kind:
            return node
        G = self._G()
        if actual is not None:
            raise UnknownIdError(kind, node, [f"{node} is a {actual}"])
        raise UnknownIdError(kind, node, _suggest(G, node, kind) if G is not None else ())

    def requirements(self, role: str) -> tuple[Requirement, ...]:
        """The role's effective requirements: its own, and those of every rung below it.

        Where a rung and a lower rung both name a node, the higher level wins, and it is
        essential if either says so.
        """
        self.check(role, "role")
        cached = self._effective.get(role)
        if cached is not None:
            return cached
        # Rungs below first, each merged once and reused by every rung above it (iteratively:
        # ladders in user files may be long).
        stack = [role]
        while stack:
            r = stack[-1]
            pending = [p for p in self.prev_roles[r] if p not in self._merged]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            if r not in self._merged:
                self._merged[r] = self._merge(r)
        result = tuple(self._merged[role].values())
        self._effective[role] = result
        return result

    def _merge(self, role: str) -> dict[str, Requirement]:
        merged: dict[str, Requirement] = {}
        for below in self.prev_roles[role]:
            for node, req in self._merged[below].items():
                old = merged.get(node)
                merged[node] = req if old is None else _stronger(old, req, old.origin)
        for node, level, importance in self.own_reqs[role]:
            mine = Requirement(node, self.kinds[node] == "group", level, importance, role)
            old = merged.get(node)
            merged[node] = mine if old is None else _stronger(old, mine, role)
        return merged

    def weight_total(self, role: str, optional: bool = True) -> float:
        """The summed weights of the role's effective requirements (essential 1, optional 0.25),
        or of its essential ones only."""
        key = (role, optional)
        total = self._weights.get(key)
        if total is None:
            total = sum(
                1.0 if r.importance == "essential" else 0.25
                for r in self.requirements(role)
                if optional or r.importance == "essential"
            )
            self._weights[key] = total
        return total

    def uses(self, skill: str) -> list[tuple[str, Requirement]]:
        """Every (role, effective requirement) that ``skill`` counts for, directly or as an option.

        Built for all roles on first use (one pass over every role's requirements).
        """
        if self._uses is None:
            uses: dict[str, list[tuple[str, Requirement]]] = {s: [] for s in self.hours}
            for role in self.roles:
                for req in self.requirements(role):
                    if req.is_group:
                        for option, _level in self.options[req.node]:
                            uses[option].append((role, req))
                    else:
                        uses[req.node].append((role, req))
            self._uses = uses
        return self._uses.get(skill, [])

    def option_need(self, requirement_level: int, option_level: int) -> int:
        """The level an option skill must reach to count for a group requirement."""
        return max(requirement_level, option_level)

    def depth(self, skill: str) -> int:
        """Length of the longest prerequisite chain below ``skill`` (0 for none)."""
        known = self._depth.get(skill)
        if known is not None:
            return known
        stack = [skill]
        while stack:
            s = stack[-1]
            missing = [p for p, _ in self.prereqs[s] if p not in self._depth]
            if missing:
                stack.extend(missing)
                continue
            stack.pop()
            self._depth[s] = 1 + max((self._depth[p] for p, _ in self.prereqs[s]), default=-1)
        return self._depth[skill]

    def step_hours(self, skill: str, level: int) -> float:
        """Hours to go from ``level - 1`` to ``level`` in ``skill``."""
        return self.hours[skill][level - 1]


def _stronger(old: Requirement, new: Requirement, origin_on_tie: str) -> Requirement:
    """Two statements of one requirement merged: the higher level, essential if either is."""
    if new.level > old.level:
        origin = new.origin
    elif new.level < old.level:
        origin = old.origin
    else:
        origin = origin_on_tie
    essential = "essential" in (old.importance, new.importance)
    return Requirement(
        old.node,
        old.is_group,
        max(old.level, new.level),
        "essential" if essential else "optional",
        origin,
    )


_INDEXES: weakref.WeakKeyDictionary[nx.DiGraph, GraphIndex] = weakref.WeakKeyDictionary()


def index_of(G: nx.DiGraph) -> GraphIndex:
    """The shared :class:`GraphIndex` of a (frozen) graph, built on first use."""
    index = _INDEXES.get(G)
    if index is None:
        if not nx.is_frozen(G):
            raise SkilltreeError("queries need a frozen graph (load_graph returns one)")
        index = GraphIndex(G)
        _INDEXES[G] = index
    return index
