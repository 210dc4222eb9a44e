"""Lookups built once per graph and shared by every query and every session.

Queries (readiness, plans, suggestions, routes) must touch only what they need, never copy the
graph or iterate a filtered view of it. One pass over the nodes and edges builds the read-only
tables of :class:`GraphIndex`; a role's effective requirements (its own merged with those of
the rungs below it) are worked out the first time that role is asked about and remembered.
The tables are read-only (mappings and tuples), so sessions can share one index safely; the
few results worked out on demand are written under a lock.

:class:`PerIndex` and :class:`Recent` are the typed caches other modules keep per index (a
table per graph, the last plans asked for); they go when the graph goes.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Generic, TypeVar, cast

import networkx as nx

from .errors import SkilltreeError, UnknownIdError
from .gcpause import gc_paused
from .model import DEFAULT_LEVELS, DEFAULT_TRACKS, DEFAULT_WEIGHTS, Importance, Weights
from .names import CloseMatches

__all__ = [
    "GraphIndex",
    "PerIndex",
    "Recent",
    "Requirement",
    "index_of",
    "node_ids",
    "rank_of",
    "resolve_id",
    "track_order",
]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

Pairs = tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class Requirement:
    """One effective requirement of a role: skill or group ``node`` at ``level``.

    ``origin`` is the role that states it: the role itself, or a rung below it whose
    requirements it inherits. ``pick`` is how many options of a group must reach the level (the
    group's own pick unless the requirement says otherwise; 1 for a skill).
    """

    node: str
    is_group: bool
    level: int
    importance: Importance
    origin: str
    pick: int = 1


def node_ids(G: nx.DiGraph, kind: str) -> list[str]:
    """The ids of the nodes of one kind, in file order.

    >>> from skilltree import load_graph
    >>> node_ids(load_graph(), "role")[:2]
    ['junior', 'confirmed']
    """
    return [n for n, k in G.nodes(data="kind") if k == kind]


def rank_of(G: nx.DiGraph, role: str) -> int:
    """A role's rung on the ladder (0 when the graph gives none, as a hand-made graph may).

    >>> G = nx.DiGraph(); G.add_node("junior", kind="role", rank=1)
    >>> rank_of(G, "junior"), rank_of(G, "nobody")
    (1, 0)
    """
    rank = G.nodes[role].get("rank", 0) if role in G else 0
    return rank if isinstance(rank, int) else 0


def track_order(G: nx.DiGraph) -> dict[str, int]:
    """Track id → position, in the order the graph declares its tracks (the defaults if none).

    >>> track_order(nx.DiGraph())
    {'individual': 0, 'expert': 1, 'management': 2}
    """
    declared = G.graph.get("tracks") or [{"id": t.id, "name": t.name} for t in DEFAULT_TRACKS]
    return {str(track["id"]): i for i, track in enumerate(declared)}


def _frozen(table: Mapping[str, list[Any]]) -> Mapping[str, tuple[Any, ...]]:
    return MappingProxyType({key: tuple(values) for key, values in table.items()})


class _Lazy(Mapping[str, V]):
    """A read-only table over fixed keys whose values are worked out on first use and kept
    (safe to share between threads: working one out twice gives the same value)."""

    def __init__(self, keys: tuple[str, ...], make: Callable[[str], V]):
        self._keys = keys
        self._known = frozenset(keys)
        self._make = make
        self._values: dict[str, V] = {}

    def __getitem__(self, key: str) -> V:
        value = self._values.get(key)
        if value is None:
            if key not in self._known:
                raise KeyError(key)
            value = self._values.setdefault(key, self._make(key))
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._known

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def _own_requirements(
    graph: weakref.ref[nx.DiGraph], order: Mapping[str, int], role: str
) -> tuple[tuple[str, int, Importance, int | None], ...]:
    """What ``role`` itself asks: (node, level, importance, pick), in the graph's node order."""
    G = _alive(graph)
    found = [
        (u, attrs["level"], attrs["importance"], attrs.get("pick"))
        for u, attrs in G._pred[role].items()
        if attrs["kind"] == "requirement"
    ]
    found.sort(key=lambda req: order[req[0]])
    return tuple(found)


def _required_by(graph: weakref.ref[nx.DiGraph], node: str) -> tuple[str, ...]:
    """The roles that ask for ``node`` themselves."""
    succ = _alive(graph)._succ[node]
    return tuple(v for v, attrs in succ.items() if attrs["kind"] == "requirement")


def _alive(graph: weakref.ref[nx.DiGraph]) -> nx.DiGraph:
    G = graph()
    if G is None:
        raise SkilltreeError("the graph of this index is gone")
    return G


class GraphIndex:
    """Read-only tables over one graph. Use :func:`index_of` to get the shared instance."""

    names: Mapping[str, str]
    kinds: Mapping[str, str]
    hours: Mapping[str, tuple[float, ...]]
    prereqs: Mapping[str, Pairs]
    dependents: Mapping[str, Pairs]
    options: Mapping[str, Pairs]
    option_of: Mapping[str, Pairs]
    option_level: Mapping[tuple[str, str], int]
    pick: Mapping[str, int]
    own_reqs: Mapping[str, tuple[tuple[str, int, Importance, int | None], ...]]
    preferred: Mapping[str, str]
    after: Mapping[str, tuple[str, ...]]
    required_by: Mapping[str, tuple[str, ...]]
    next_roles: Mapping[str, tuple[str, ...]]
    prev_roles: Mapping[str, tuple[str, ...]]
    roles: tuple[str, ...]
    by_group: Mapping[str, tuple[str, ...]]
    rank: Mapping[str, int]
    track: Mapping[str, int]
    salary: Mapping[str, Mapping[str, Any] | None]
    levels: tuple[str, ...]

    @gc_paused()  # tables of every node and link: all of it stays alive
    def __init__(self, G: nx.DiGraph):
        names: dict[str, str] = {}
        kinds: dict[str, str] = {}
        hours: dict[str, tuple[float, ...]] = {}
        prereqs: dict[str, list[tuple[str, int]]] = {}
        dependents: dict[str, list[tuple[str, int]]] = {}
        options: dict[str, list[tuple[str, int]]] = {}
        option_of: dict[str, list[tuple[str, int]]] = {}
        option_level: dict[tuple[str, str], int] = {}
        pick: dict[str, int] = {}
        preferred: dict[str, str] = {}
        after: dict[str, list[str]] = {}
        next_roles: dict[str, list[str]] = {}
        prev_roles: dict[str, list[str]] = {}
        roles: list[str] = []
        # Node ids by skill category and by kind, for filters that must not scan the graph.
        by_group: dict[str, list[str]] = {}
        requirable: list[str] = []  # skills and groups, which roles may require
        order: dict[str, int] = {}  # each node's place in the graph's node order
        for node, attrs in G._node.items():  # the node table read directly, as below
            kind = attrs["kind"]
            order[node] = len(order)
            kinds[node] = kind
            by_group.setdefault(attrs.get("category") or kind, []).append(node)
            names[node] = attrs.get("name", node)
            if kind == "skill":
                hours[node] = tuple(attrs["hours"])
                prereqs[node], dependents[node], option_of[node] = [], [], []
                requirable.append(node)
            elif kind == "group":
                options[node] = []
                pick[node] = attrs.get("pick", 1)
                if attrs.get("preferred"):
                    preferred[node] = attrs["preferred"]
                requirable.append(node)
            elif kind == "role":
                roles.append(node)
                next_roles[node], prev_roles[node] = [], []
        # The graph's adjacency read directly (a third faster than its edge view on 150,000
        # links): the same edges in the same order. Requirement links, the commonest, are read
        # per role when first asked for (see ``own_reqs``): a plan or a page needs the roles
        # on its ladder, not all of them.
        for u, nbrs in G._succ.items():
            for v, attrs in nbrs.items():
                kind = attrs["kind"]
                if kind == "requirement":
                    continue
                if kind == "prerequisite":
                    prereqs[v].append((u, attrs["level"]))
                    dependents[u].append((v, attrs["level"]))
                elif kind == "option":
                    options[v].append((u, attrs["level"]))
                    option_level[v, u] = attrs["level"]
                    option_of[u].append((v, attrs["level"]))
                elif kind == "progression":
                    next_roles[u].append(v)
                    prev_roles[v].append(u)
                elif kind == "after":
                    after.setdefault(v, []).append(u)
        tracks = track_order(G)
        self.names = MappingProxyType(names)
        self.kinds = MappingProxyType(kinds)
        self.hours = MappingProxyType(hours)
        self.prereqs = _frozen(prereqs)
        self.dependents = _frozen(dependents)
        self.options = _frozen(options)
        self.option_of = _frozen(option_of)
        self.option_level = MappingProxyType(option_level)
        self.pick = MappingProxyType(pick)
        # The graph is held weakly (it holds the index): see ``graph``.
        self._G = weakref.ref(G)
        self.own_reqs = _Lazy(tuple(roles), functools.partial(_own_requirements, self._G, order))
        self.preferred = MappingProxyType(preferred)
        self.after = _frozen(after)
        self.required_by = _Lazy(tuple(requirable), functools.partial(_required_by, self._G))
        self.next_roles = _frozen(next_roles)
        self.prev_roles = _frozen(prev_roles)
        self.roles = tuple(roles)
        self.by_group = _frozen(by_group)
        self.rank = MappingProxyType({r: rank_of(G, r) for r in roles})
        self.track = MappingProxyType(
            {r: tracks.get(G.nodes[r].get("track", ""), len(tracks)) for r in roles}
        )
        self.salary = MappingProxyType({r: G.nodes[r].get("salary") for r in roles})
        self._ladder = tuple(
            sorted(self.roles, key=lambda r: (self.rank[r], self.track[r], self.names[r], r))
        )
        # The entry rungs (nothing below them), in ladder order.
        self._entries = tuple(r for r in self._ladder if not self.prev_roles[r])
        self.levels = tuple(G.graph.get("levels") or DEFAULT_LEVELS)
        self._lock = threading.Lock()
        self._merged: dict[str, dict[tuple[str, str], Requirement]] = {}
        self._targets: dict[tuple[str, bool], tuple[Requirement, ...]] = {}
        self._effective: dict[str, tuple[Requirement, ...]] = {}
        self._depth: Mapping[str, int] | None = None
        self._uses: Mapping[str, tuple[tuple[str, Requirement], ...]] | None = None
        self._weights: dict[tuple[str, bool, Weights], float] = {}
        self._folded: dict[str, Mapping[str, str]] = {}
        self._close: dict[str, CloseMatches] = {}
        self._below: dict[str, frozenset[str]] = {}
        # Values other modules keep per graph (see PerIndex): held here, so that they go when
        # the index goes, even when they refer back to it.
        self.caches: dict[int, Any] = {}

    def graph(self) -> nx.DiGraph:
        """The graph this index was built for (it holds the index, not the other way round)."""
        return _alive(self._G)

    # --- ids ---------------------------------------------------------------------------------

    def check(self, node: str, kind: str) -> str:
        """``node`` if the graph holds a ``kind`` node of that id; otherwise raise with hints."""
        actual = self.kinds.get(node)
        if actual == kind:
            return node
        if actual is not None:
            raise UnknownIdError(kind, node, [f"{node} is a {actual}"])
        raise UnknownIdError(kind, node, self.close_ids(node, kind))

    def close_ids(self, text: str, kind: str) -> list[str]:
        """Ids of ``kind`` that look like ``text`` (at most three), from a trigram index."""
        matches = self._close.get(kind)
        if matches is None:
            matches = CloseMatches(n for n, k in self.kinds.items() if k == kind)
            with self._lock:
                self._close.setdefault(kind, matches)
        return matches(text)

    def resolve(self, text: str, kind: str) -> str:
        """The id of the ``kind`` node ``text`` names: its id, name or an alias, in any case.

        Raises :class:`UnknownIdError` (with close matches) when none does.
        """
        if self.kinds.get(text) == kind:
            return text
        found = self._folded_names(kind).get(text.strip().casefold())
        if found is not None:
            return found
        if text in self.kinds:
            raise UnknownIdError(kind, text, [f"{text} is a {self.kinds[text]}"])
        raise UnknownIdError(kind, text, self.close_ids(text.strip(), kind))

    def _folded_names(self, kind: str) -> Mapping[str, str]:
        table = self._folded.get(kind)
        if table is not None:
            return table
        G = self._G()
        folded: dict[str, str] = {}
        for node, k in self.kinds.items():
            if k != kind:
                continue
            aliases = G.nodes[node].get("aliases", ()) if G is not None else ()
            for name in (node, self.names[node], *aliases):
                folded.setdefault(str(name).casefold(), node)
        table = MappingProxyType(folded)
        with self._lock:
            self._folded.setdefault(kind, table)
        return table

    # --- requirements ------------------------------------------------------------------------

    def requirements(self, role: str) -> tuple[Requirement, ...]:
        """The role's effective requirements: its own, and those of every rung below it.

        Essential and optional statements are kept apart: the essential requirement on a node
        is the highest essential level any rung asks; an optional one is kept only where a rung
        asks for more than that, optionally. So an optional need at a higher level never makes
        the essential one higher. Where two rungs ask a group for a different ``pick``, the
        larger one holds.
        """
        self.check(role, "role")
        cached = self._effective.get(role)
        if cached is not None:
            return cached
        with self._lock:
            # Rungs below first, each merged once and reused by every rung above it
            # (iteratively: ladders in user files may be long).
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

    def _merge(self, role: str) -> dict[tuple[str, str], Requirement]:
        below = self.prev_roles[role]
        merged: dict[tuple[str, str], Requirement]
        if len(below) == 1:
            # One rung below (most ladders): its merge as it is, which already keeps no
            # optional statement that its essential ones cover.
            merged = dict(self._merged[below[0]])
        else:
            merged = {}
            for under in below:
                for key, req in self._merged[under].items():
                    old = merged.get(key)
                    merged[key] = req if old is None else _stronger(old, req, old.origin)
        own = self.own_reqs[role]
        for node, level, importance, pick in own:
            is_group = self.kinds[node] == "group"
            count = (pick or self.pick[node]) if is_group else 1
            mine = Requirement(node, is_group, level, importance, role, count)
            old = merged.get((node, importance))
            merged[node, importance] = mine if old is None else _stronger(old, mine, role)
        # An optional statement that asks no more than the essential one adds nothing. With
        # one rung below, only the nodes this role states can have changed.
        nodes = [node for node, *_ in own] if len(below) == 1 else [k[0] for k in merged]
        for node in nodes:
            optional, essential = merged.get((node, "optional")), merged.get((node, "essential"))
            if (
                optional is not None
                and essential is not None
                and optional.level <= essential.level
                and optional.pick <= essential.pick
            ):
                del merged[node, "optional"]
        return merged

    def targets(self, role: str, optional: bool = False) -> tuple[Requirement, ...]:
        """What a plan to ``role`` must meet, one requirement per node: the essential ones, or
        with ``optional`` each node at the higher of its essential and optional levels."""
        key = (role, optional)
        cached = self._targets.get(key)
        if cached is not None:
            return cached
        merged: dict[str, Requirement] = {}
        for req in self.requirements(role):
            if req.importance == "optional" and not optional:
                continue
            old = merged.get(req.node)
            if old is None:
                merged[req.node] = req
            else:
                top = req if req.level > old.level else old
                merged[req.node] = Requirement(
                    req.node,
                    req.is_group,
                    max(req.level, old.level),
                    "essential",
                    top.origin,
                    max(req.pick, old.pick),
                )
        result = tuple(merged.values())
        self._targets[key] = result
        return result

    def weight_total(
        self, role: str, optional: bool = True, weights: Weights = DEFAULT_WEIGHTS
    ) -> float:
        """The summed weights of the role's effective requirements, or of its essential ones."""
        key = (role, optional, weights)
        total = self._weights.get(key)
        if total is None:
            total = sum(
                weights.of(r.importance)
                for r in self.requirements(role)
                if optional or r.importance == "essential"
            )
            self._weights[key] = total
        return total

    def uses(self, skill: str) -> tuple[tuple[str, Requirement], ...]:
        """Every (role, effective requirement) that ``skill`` counts for, directly or as an
        option. Built for all roles on first use (one pass over every role's requirements)."""
        if self._uses is None:
            # Every role's requirements merged, and hundreds of thousands of uses: all of it
            # stays alive, so no collections while it is built.
            with gc_paused():
                uses: dict[str, list[tuple[str, Requirement]]] = {s: [] for s in self.hours}
                for role in self.roles:
                    for req in self.requirements(role):
                        if req.is_group:
                            for option, _level in self.options[req.node]:
                                uses[option].append((role, req))
                        else:
                            uses[req.node].append((role, req))
                self._uses = _frozen(uses)
        return self._uses.get(skill, ())

    # --- skills ------------------------------------------------------------------------------

    def option_need(self, requirement_level: int, option_level: int) -> int:
        """The level an option skill must reach to count for a group requirement."""
        return max(requirement_level, option_level)

    def top_level(self, skill: str) -> int:
        """The highest level of ``skill`` (one level per figure of its hours)."""
        return len(self.hours[skill])

    def step_hours(self, skill: str, level: int) -> float:
        """Hours to go from ``level - 1`` to ``level`` in ``skill``."""
        return self.hours[skill][level - 1]

    def startable(self, skill: str, level_of: Callable[[str], int]) -> bool:
        """Whether ``skill`` can be started: every prerequisite held at the level it asks."""
        return all(level_of(p) >= level for p, level in self.prereqs[skill])

    def depth(self, skill: str) -> int:
        """Length of the longest prerequisite chain below ``skill`` (0 for none)."""
        depths = self._depth
        if depths is None:
            depths = self._depth = self._depths()
        return depths.get(skill, 0)

    def _depths(self) -> Mapping[str, int]:
        # Every skill's depth in one pass in prerequisite order: a plan of thousands of steps
        # asks for thousands of them, and one walk per skill went down shared chains again.
        depth = dict.fromkeys(self.hours, 0)
        waiting = {s: len(pres) for s, pres in self.prereqs.items()}
        ready = [s for s, n in waiting.items() if n == 0]
        while ready:
            skill = ready.pop()
            below = depth[skill] + 1
            for dependent, _level in self.dependents[skill]:
                if below > depth[dependent]:
                    depth[dependent] = below
                waiting[dependent] -= 1
                if waiting[dependent] == 0:
                    ready.append(dependent)
        return MappingProxyType(depth)

    def ladder_path(self, start: str, target: str) -> list[str] | None:
        """The shortest chain of progression steps from ``start`` to ``target`` (both included),
        or None when no chain leads there."""
        parent: dict[str, str | None] = {start: None}
        queue = deque([start])
        while queue:
            role = queue.popleft()
            if role == target:
                break
            for nxt in self.next_roles[role]:
                if nxt not in parent:
                    parent[nxt] = role
                    queue.append(nxt)
        if target not in parent:
            return None
        path: list[str] = []
        node: str | None = target
        while node is not None:
            path.append(node)
            node = parent[node]
        return path[::-1]

    def start_for(self, target: str, current: str | None = None) -> str:
        """Where a climb to ``target`` starts: the current role if it leads there, else the
        first entry rung (no rung below it) that does, else the target itself."""
        below = self._leading_to(target)
        if current is not None and current in below:
            return current
        return next((role for role in self._entries if role in below), target)

    def _leading_to(self, target: str) -> frozenset[str]:
        """The roles with a chain of progression steps to ``target`` (itself included), kept
        per target: a ladder can have hundreds of entry rungs to try."""
        found = self._below.get(target)
        if found is None:
            seen = {target}
            stack = [target]
            while stack:
                for role in self.prev_roles.get(stack.pop(), ()):
                    if role not in seen:
                        seen.add(role)
                        stack.append(role)
            found = frozenset(seen)
            with self._lock:
                self._below.setdefault(target, found)
        return found

    def ladder(self) -> list[str]:
        """Roles in ladder order: by rank, then track, then name."""
        return list(self._ladder)


def _stronger(old: Requirement, new: Requirement, origin_on_tie: str) -> Requirement:
    """Two statements of one requirement, of the same importance, merged: the higher level and
    the larger pick; the origin is the rung that asks the higher level."""
    if new.level > old.level:
        origin = new.origin
    elif new.level < old.level:
        origin = old.origin
    else:
        origin = origin_on_tie
    return Requirement(
        old.node,
        old.is_group,
        max(old.level, new.level),
        old.importance,
        origin,
        max(old.pick, new.pick),
    )


_INDEXES: weakref.WeakKeyDictionary[nx.DiGraph, GraphIndex] = weakref.WeakKeyDictionary()
_INDEX_LOCK = threading.Lock()


def index_of(G: nx.DiGraph) -> GraphIndex:
    """The shared :class:`GraphIndex` of a (frozen) graph, built on first use."""
    index = _INDEXES.get(G)
    if index is None:
        if not nx.is_frozen(G):
            raise SkilltreeError("queries need a frozen graph (load_graph returns one)")
        with _INDEX_LOCK:
            index = _INDEXES.get(G)
            if index is None:
                index = GraphIndex(G)
                _INDEXES[G] = index
    return index


def resolve_id(G: nx.DiGraph, text: str, kind: str) -> str:
    """The id of the ``kind`` node that ``text`` names: its id, or its name or an alias (any case).

    Raises
    ------
    UnknownIdError
        When no node of that kind matches, with close ids as suggestions.

    Examples
    --------
    >>> from skilltree import load_graph
    >>> resolve_id(load_graph(), "PostgreSQL", "skill")
    'postgresql'
    """
    return index_of(G).resolve(text, kind)


class PerIndex(Generic[V]):
    """A value worked out once per index (a table over the whole graph), on first use.

    The value is stored on the index itself, not in a table keyed by it: a value that refers
    back to its index (a cached plan does) would otherwise keep it, and its graph's tables,
    alive for ever.
    """

    def __init__(self, make: Callable[[GraphIndex], V]):
        self._make = make
        self._lock = threading.Lock()

    def __call__(self, index: GraphIndex) -> V:
        slot = id(self)
        value = index.caches.get(slot)
        if value is None:
            made = self._make(index)
            with self._lock:
                value = index.caches.setdefault(slot, made)
        return cast(V, value)


class Recent(Generic[K, V]):
    """The last ``size`` results by key, safe to share between threads."""

    def __init__(self, size: int):
        self._size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, compute: Callable[[], V]) -> V:
        """The result kept for ``key``, or ``compute()`` kept from now on."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        result = compute()
        with self._lock:
            self._items[key] = result
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return result

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
