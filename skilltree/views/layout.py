"""Layered layout of a focused part of the career graph: columns by depth, roles as a ladder.

``layered_layout`` places the nodes it is given (never the whole of a large graph) in columns,
left to right in the direction of the edges, so that every edge between drawn nodes goes strictly
to the right: training routes first, then skills by prerequisite depth, groups after their
options, and the roles last as a ladder (junior at the bottom). A few barycentre sweeps then
reorder each column to cut edge crossings. Coordinates are in abstract units: one unit between two
stacked nodes, one unit between two columns; the figure maps units to pixels.

The module does not validate the graph: it only needs the drawn nodes to exist and the edges
between them to be acyclic, and raises if they are not.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Iterable, Mapping

import networkx as nx

from ..errors import UnknownIdError
from ..index import rank_of, track_order
from .focus import edges_among

__all__ = ["count_crossings", "layered_layout"]

Positions = dict[str, tuple[float, float]]

#: Vertical distance between two stacked nodes of a column, in layout units.
ROW = 1.0
#: Horizontal distance between two columns (a layer or one sub-column of a tall layer).
COLUMN = 1.0
#: A layer taller than this is split into side-by-side sub-columns.
MAX_ROWS = 18
#: Number of barycentre sweeps (each one down then up).
SWEEPS = 4
#: Minimum vertical distance between two rungs of the role ladder.
RANK_GAP = 2.0
#: Vertical distance between roles that share a rung and a column (roles have bigger markers).
ROLE_ROW = 1.5

_KIND_ORDER = {"training": 0, "skill": 1, "group": 2, "role": 3}


def layered_layout(
    G: nx.DiGraph,
    nodes: Iterable[str] | None = None,
    *,
    max_rows: int = MAX_ROWS,
    sweeps: int = SWEEPS,
) -> Positions:
    """Positions for the drawn nodes: layers left to right, roles as a ladder on the right.

    A node's layer is the length of the longest path reaching it from a source of the drawn
    subgraph (every edge kind counts but role-to-role progression), so every edge between drawn
    nodes points strictly to the right, except progression, which climbs the ladder. Training
    routes sit in the first column, skills follow by depth, groups come after their options,
    and roles come after every other node they do not feed into. Roles are placed
    by ``rank`` in one column, the ladder: junior at the bottom, higher rungs above. The other
    columns are ordered
    by ``sweeps`` rounds of barycentre crossing reduction (ties broken by id) and centred on the
    ladder; a column of more than ``max_rows`` nodes is split into sub-columns.

    Only the drawn nodes and the edges between them are read: the graph is neither copied nor
    changed, and each sweep costs O(V + E) of the drawn subgraph.

    Parameters
    ----------
    G : networkx.DiGraph
        The career graph; edges point from what is needed to what needs it. May be frozen.
    nodes : iterable of str, optional
        The node ids to place (default: every node of ``G``). Duplicates are ignored.
    max_rows : int, optional
        The tallest a column may be before it is split into sub-columns.
    sweeps : int, optional
        Rounds of crossing reduction; 0 keeps the initial order (by kind, category and id).

    Returns
    -------
    dict of str to (float, float)
        ``(x, y)`` for every drawn node, keyed in sorted id order.

    Raises
    ------
    UnknownIdError
        If a node of ``nodes`` is not in ``G``.
    networkx.NetworkXUnfeasible
        If the edges between the drawn nodes contain a cycle.
    ValueError
        If ``max_rows`` is below 1 or ``sweeps`` is negative.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("python", kind="skill", category="language")
    >>> G.add_node("django", kind="skill", category="framework")
    >>> G.add_node("junior", kind="role", rank=1)
    >>> G.add_edge("python", "django", kind="prerequisite", level=1)
    >>> G.add_edge("django", "junior", kind="requirement", level=1)
    >>> pos = layered_layout(G)
    >>> pos["python"][0] < pos["django"][0] < pos["junior"][0]
    True
    >>> layered_layout(G, ["python"])
    {'python': (0.0, 0.0)}
    """
    if max_rows < 1:
        raise ValueError(f"max_rows must be at least 1, got {max_rows!r}")
    if sweeps < 0:
        raise ValueError(f"sweeps must not be negative, got {sweeps!r}")
    order = _drawn(G, nodes)
    pred, succ = _adjacency(G, order)
    kind = {n: G.nodes[n].get("kind", "skill") for n in order}
    layer = _layers(order, pred, succ, kind)

    columns: dict[int, list[str]] = {}
    for n in sorted(
        (n for n in order if kind[n] != "role"), key=lambda n: _initial_key(G, kind, n)
    ):
        columns.setdefault(layer[n], []).append(n)
    roles = [n for n in order if kind[n] == "role"]

    tallest = max((_shape(len(c), max_rows)[1] for c in columns.values()), default=1)
    y = _ladder(G, roles, layer, tallest)
    for column in columns.values():
        _stack(column, y, max_rows)

    for _ in range(sweeps):
        for i in sorted(columns):
            _reorder(columns[i], pred, y, max_rows)
        for i in sorted(columns, reverse=True):
            _reorder(columns[i], succ, y, max_rows)

    x = _columns_x(columns, roles, layer, max_rows)
    return {n: (x[n], y[n]) for n in order}


def count_crossings(G: nx.DiGraph, positions: Mapping[str, tuple[float, float]]) -> int:
    """The number of pairs of drawn edges whose straight segments cross.

    A diagnostic for tests and small drawings: it compares every pair of edges, O(E²). Edges
    that share an end point, or only touch, do not count.

    Parameters
    ----------
    G : networkx.DiGraph
        The graph the positions were computed for.
    positions : mapping of str to (float, float)
        The drawn nodes and their coordinates.

    Returns
    -------
    int
        How many pairs of edges between drawn nodes cross each other.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "d"), ("b", "c")])
    >>> count_crossings(G, {"a": (0, 1), "b": (0, 0), "c": (1, 1), "d": (1, 0)})
    1
    >>> count_crossings(G, {"a": (0, 1), "b": (0, 0), "c": (1, 0), "d": (1, 1)})
    0
    """
    order = _drawn(G, positions)
    _, succ = _adjacency(G, order)
    segments = [(positions[u], positions[v], u, v) for u in order for v in succ[u]]
    crossings = 0
    for i, (p1, p2, a, b) in enumerate(segments):
        for q1, q2, c, d in segments[i + 1 :]:
            if {a, b} & {c, d}:
                continue
            if _properly_cross(p1, p2, q1, q2):
                crossings += 1
    return crossings


def _drawn(G: nx.DiGraph, nodes: Iterable[str] | None) -> list[str]:
    """The drawn node ids, sorted so that every later step is deterministic."""
    if nodes is None:
        members = set(G)
    else:
        members = set(nodes)
        for n in sorted(members, key=str):
            if n not in G:
                raise UnknownIdError("node", str(n))
    # Set iteration order changes between processes (string hashing); sorted order does not.
    return sorted(members, key=str)


def _adjacency(
    G: nx.DiGraph, order: list[str]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Predecessor and successor lists restricted to the drawn nodes."""
    pred: dict[str, list[str]] = {n: [] for n in order}
    succ: dict[str, list[str]] = {n: [] for n in order}
    for u, v, _attrs in edges_among(G, order):
        succ[u].append(v)
        pred[v].append(u)
    return pred, succ


def _topological(
    order: list[str], pred: dict[str, list[str]], succ: dict[str, list[str]]
) -> list[str]:
    """Kahn's algorithm, smallest id first among the ready nodes."""
    waiting = {n: len(pred[n]) for n in order}
    ready = [n for n in order if waiting[n] == 0]
    heapq.heapify(ready)
    result: list[str] = []
    while ready:
        u = heapq.heappop(ready)
        result.append(u)
        for v in succ[u]:
            waiting[v] -= 1
            if waiting[v] == 0:
                heapq.heappush(ready, v)
    if len(result) < len(order):
        stuck = sorted(n for n in order if waiting[n] > 0)
        raise nx.NetworkXUnfeasible(
            f"the drawn nodes contain a cycle through some of: {', '.join(stuck[:10])}"
        )
    return result


def _layers(
    order: list[str],
    pred: dict[str, list[str]],
    succ: dict[str, list[str]],
    kind: Mapping[str, str],
) -> dict[str, int]:
    """Longest-path layers with training first and roles after every other node they allow.

    The first pass finds the deepest non-role node that no role leads to; the second pass puts
    every role at least one layer beyond it. Nodes that follow a role (not expected in career
    data, but possible in a user's file) simply keep following it.
    """
    topo = _topological(order, pred, succ)
    first = 1 if any(kind[n] == "training" for n in order) else 0

    depth: dict[str, int] = {}
    after_role: dict[str, bool] = {}
    for v in topo:
        floor = 0 if kind[v] == "training" else first
        depth[v] = max([floor] + [depth[u] + 1 for u in pred[v]])
        after_role[v] = any(kind[u] == "role" or after_role[u] for u in pred[v])
    ladder = max(
        (depth[n] + 1 for n in order if kind[n] != "role" and not after_role[n]), default=first
    )

    layer: dict[str, int] = {}
    for v in topo:
        floor = {"training": 0, "role": ladder}.get(kind[v], first)
        # Roles climb one column (the ladder): a progression edge points up, not right.
        before = [u for u in pred[v] if not (kind[v] == "role" and kind[u] == "role")]
        layer[v] = max([floor] + [layer[u] + 1 for u in before])
    roles = [v for v in topo if kind[v] == "role"]
    if roles:
        column = max(layer[r] for r in roles)
        for r in roles:
            layer[r] = column
        for v in topo:
            if kind[v] != "role" and after_role[v]:
                layer[v] = max([first] + [layer[u] + 1 for u in pred[v]])
    return layer


def _initial_key(G: nx.DiGraph, kind: Mapping[str, str], n: str) -> tuple[int, str, str]:
    """Start from columns grouped by kind and category, so that like sits next to like."""
    return (_KIND_ORDER.get(kind[n], 1), str(G.nodes[n].get("category", "")), str(n))


def _shape(count: int, max_rows: int) -> tuple[int, int]:
    """(sub-columns, rows) of a column of ``count`` nodes."""
    if count == 0:
        return 0, 0
    subcolumns = math.ceil(count / max_rows)
    return subcolumns, math.ceil(count / subcolumns)


def _stack(column: list[str], y: dict[str, float], max_rows: int) -> None:
    """Set ``y`` for a column in its current order, centred on 0, filling rows left to right.

    Consecutive nodes go to neighbouring sub-columns, each one a fraction of a row lower than
    the last, so a split column keeps its top-to-bottom order, its nodes stay near their
    barycentre, and labels of neighbouring sub-columns never sit on the same line.
    """
    subcolumns, rows = _shape(len(column), max_rows)
    for i, n in enumerate(column):
        row = i // subcolumns + (i % subcolumns) / subcolumns
        y[n] = ((rows - 1) / 2 - row) * ROW


def _reorder(
    column: list[str],
    neighbours: Mapping[str, list[str]],
    y: dict[str, float],
    max_rows: int,
) -> None:
    """Sort a column by the mean height of each node's neighbours on one side, then restack."""

    def barycentre(n: str) -> float:
        around = neighbours[n]
        if not around:
            return y[n]
        return sum(y[m] for m in around) / len(around)

    # Rows are filled from the top, so the highest barycentre comes first.
    column.sort(key=lambda n: (-barycentre(n), str(n)))
    _stack(column, y, max_rows)


def _ladder(
    G: nx.DiGraph, roles: list[str], layer: Mapping[str, int], tallest: int
) -> dict[str, float]:
    """Heights of the roles: one rung per rank, junior lowest, spread over the tallest column.

    Roles of the same rank in the same column are stacked around their rung, and rungs move
    apart to make room for them.
    """
    y: dict[str, float] = {}
    if not roles:
        return y
    rank = {r: rank_of(G, r) for r in roles}
    ranks = sorted(set(rank.values()))
    shared: dict[tuple[int, int], list[str]] = {}
    tracks = track_order(G)
    for r in sorted(
        roles, key=lambda r: (tracks.get(G.nodes[r].get("track", ""), len(tracks)), str(r))
    ):
        shared.setdefault((rank[r], layer[r]), []).append(r)
    widest: dict[int, int] = {}
    for (k, _), group in shared.items():
        widest[k] = max(widest.get(k, 0), len(group))

    pitch = RANK_GAP
    if len(ranks) > 1:
        pitch = max(RANK_GAP, (tallest - 1) * ROW / (len(ranks) - 1))
    rung = {ranks[0]: 0.0}
    for below, above in itertools.pairwise(ranks):
        room = ((widest[below] - 1) / 2 + (widest[above] - 1) / 2 + 1) * ROLE_ROW
        rung[above] = rung[below] + max(pitch, room)
    middle = (rung[ranks[0]] + rung[ranks[-1]]) / 2

    for (k, _), group in shared.items():
        for i, r in enumerate(group):
            y[r] = rung[k] - middle + ((len(group) - 1) / 2 - i) * ROLE_ROW
    return y


def _columns_x(
    columns: Mapping[int, list[str]],
    roles: list[str],
    layer: Mapping[str, int],
    max_rows: int,
) -> dict[str, float]:
    """x of every node: layers side by side, each as wide as its sub-columns (roles first)."""
    has_roles = {layer[r] for r in roles}
    left: dict[int, float] = {}
    edge = 0.0
    for i in sorted(set(columns) | has_roles):
        left[i] = edge
        edge += (
            (1 if i in has_roles else 0) + _shape(len(columns.get(i, [])), max_rows)[0]
        ) * COLUMN
    x = {r: left[layer[r]] for r in roles}
    for i, column in columns.items():
        subcolumns, _ = _shape(len(column), max_rows)
        start = left[i] + (COLUMN if i in has_roles else 0.0)
        for j, n in enumerate(column):
            x[n] = start + (j % subcolumns) * COLUMN
    return x


def _properly_cross(
    p1: tuple[float, float],
    p2: tuple[float, float],
    q1: tuple[float, float],
    q2: tuple[float, float],
) -> bool:
    def turn(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1, d2 = turn(q1, q2, p1), turn(q1, q2, p2)
    d3, d4 = turn(p1, p2, q1), turn(p1, p2, q2)
    return d1 * d2 < 0 and d3 * d4 < 0
