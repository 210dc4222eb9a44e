"""A layered drawing of a focused part of the career graph that people can read.

:func:`graph_layout` places the nodes it is given (never the whole of a large graph) in columns,
left to right in the direction of the edges, with the roles as a ladder in lanes on the right:

* sizes are pixels of real boxes (a marker and its wrapped label, :mod:`.geometry`), so columns
  are as wide as their widest label, nodes are stacked by their real heights, nothing overlaps
  and no label is cut; columns are balanced by height (:func:`.layering.balance`);
* an edge spanning several columns passes through one *bend point* per column it crosses, and
  bend points hold a slot in their column like a thin node, so edges run between labels, never
  over them. Long edges into the same role share their bend points and run as one trunk (they
  only merge); other long edges from the same node form a tree (they only split);
* crossings are reduced by barycentre sweeps and neighbour swaps; heights come from barycentre
  relaxation projected onto non-overlapping positions (:mod:`.ordering`);
* roles sit in one lane per track (the graph's ``tracks``), right of a routing channel, and rungs
  of equal rank line up across lanes (:mod:`.lanes`).

Every edge leaves its box on the right and enters the next on the left, with S-curves in the
empty gaps between columns. The layout is deterministic: ties are broken by id.

The module does not validate the graph: it needs the drawn nodes to exist and the edges between
the drawn nodes that are not roles to be acyclic, and raises if they are not.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence

import networkx as nx

from ..errors import UnknownIdError
from ..gcpause import gc_paused
from ..model import DEFAULT_TRACKS
from .geometry import (
    Band,
    Box,
    Lane,
    Layout,
    NodePlace,
    NodeSize,
    Point,
    kind_of,
    node_size,
    place,
)
from .lanes import Ladder, curve
from .layering import Columns, balance, layers
from .ordering import BEND_H, NODE_SEP, Grid, Key, order, relax

__all__ = [
    "FONT_PX",
    "LABEL_WIDTH_PX",
    "count_crossings",
    "graph_layout",
    "lane_titles",
    "layered_layout",
]

Positions = dict[str, tuple[float, float]]

#: Label wrap width (roles get half as much again) and font size, in pixels.
LABEL_WIDTH_PX = 160.0
FONT_PX = 12.0
SWEEPS = 12
#: Gap between columns: wider when many lines cross it, so their slopes stay readable.
GAP_MIN, GAP_PER_LINK, GAP_MAX = 48.0, 0.6, 110.0
CHANNEL_GAP = 30.0
_KIND_ORDER = {"training": 0, "cluster": 1, "skill": 1, "group": 2, "role": 3}


def lane_titles(G: nx.DiGraph) -> dict[str, str]:
    """Track id → lane title, in the order the graph declares its tracks (the defaults if none).

    >>> lane_titles(nx.DiGraph())
    {'individual': 'Individual contributor', 'expert': 'Expert', 'management': 'Management'}
    """
    declared = G.graph.get("tracks") or [{"id": t.id, "name": t.name} for t in DEFAULT_TRACKS]
    return {str(t["id"]): str(t.get("name") or t["id"]) for t in declared}


@gc_paused()  # thousands of short-lived points and keys: no collections while they live
def graph_layout(
    G: nx.DiGraph,
    nodes: Iterable[str] | None = None,
    *,
    labels: Mapping[str, str] | None = None,
    label_width_px: float = LABEL_WIDTH_PX,
    font_px: float = FONT_PX,
    groups: Mapping[str, int] | None = None,
    group_titles: Sequence[str] = (),
) -> Layout:
    """The drawing of ``nodes`` (default: every node), in pixels with y up.

    Parameters
    ----------
    G : networkx.DiGraph
        The career graph (or a graph drawn in its place, such as the overview's clusters); edges
        point from what is needed to what needs it. Only the drawn nodes and the edges between
        them are read. May be frozen.
    nodes : iterable of str, optional
        The node ids to draw. Duplicates are ignored.
    labels : mapping of str to str, optional
        Node id → the text drawn beside it in place of its name (a newline starts a line).
    label_width_px, font_px : float, optional
        The width labels are wrapped at and the font size they are measured at.
    groups : mapping of str to int, optional
        Node id → group number (a plan's milestone): each group gets its own columns, in
        number order, and a band in :attr:`Layout.bands` titled from ``group_titles``.

    Returns
    -------
    Layout

    Raises
    ------
    UnknownIdError
        If a node of ``nodes`` is not in ``G``.
    networkx.NetworkXUnfeasible
        If the edges between the drawn nodes that are not roles contain a cycle.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("python", kind="skill", name="Python")
    >>> G.add_node("django", kind="skill", name="Django")
    >>> G.add_node("junior", kind="role", name="Junior developer", rank=1)
    >>> G.add_edges_from([("python", "django"), ("django", "junior")])
    >>> drawn = graph_layout(G)
    >>> drawn.nodes["python"].marker[0] < drawn.nodes["django"].marker[0]
    True
    >>> drawn.nodes["junior"].lines, [lane.title for lane in drawn.lanes]
    (('Junior developer',), ['Individual contributor'])
    """
    order_ = _drawn(G, nodes)
    members = set(order_)
    succ = {u: sorted((v for v in G.succ[u] if v in members), key=str) for u in order_}
    kind = {n: kind_of(G, n) for n in order_}
    sizes = {n: node_size(G, n, label_width_px, font_px, labels) for n in order_}
    roles = [n for n in order_ if kind[n] == "role"]
    others = [n for n in order_ if kind[n] != "role"]
    cols = Columns(others, succ, kind, groups)
    layer = layers(cols)
    balance(cols, layer, {n: sizes[n].height for n in others}, bool(roles), NODE_SEP)
    grid = _build(G, cols, sizes, layer, bool(roles))
    ladder = Ladder(G, roles, sizes, lane_titles(G)) if roles else None
    linked = {n for n in order_ if succ[n]} | {v for n in order_ for v in succ[n]}

    for i in range(len(grid.columns)):
        grid.stack(i)
    channel = len(grid.columns) - 1 if ladder else None
    if ladder:
        tallest = grid.tallest()
        ladder.place_rungs({}, -tallest / 2, tallest / 2)
        for r in roles:
            grid.y[r] = ladder.y[ladder.rank[r]]
        # The channel holds one trunk end per role, in rung order, or the trunks would cross
        # just before the lanes. It is fixed first, so the sweeps order the rest around it.
        where = {r: (-ladder.rank[r], ladder.where[r]) for r in roles}
        grid.columns[-1].sort(key=lambda k: where[k[1]])
        grid.stack(len(grid.columns) - 1)
    order(grid, SWEEPS, movable=len(grid.columns) - (1 if ladder else 0))
    for i, c in enumerate(grid.columns):  # unlinked nodes have no barycentre: put them below
        c.sort(key=lambda k: isinstance(k, str) and k not in linked)
        grid.stack(i)

    tallest = grid.tallest()

    def follow_rungs(trunks: dict[Key, float]) -> dict[str, float]:
        assert ladder is not None
        ladder.place_rungs({k[1]: h for k, h in trunks.items()}, -tallest / 2, tallest / 2)
        return {r: ladder.y[ladder.rank[r]] for r in roles}

    relax(grid, channel, follow_rungs if ladder else None)
    for r in roles:
        grid.y[r] = ladder.y[ladder.rank[r]] if ladder else grid.y[r]
    return _finish(G, grid, sizes, roles, ladder, font_px, layer, groups, group_titles)


def layered_layout(G: nx.DiGraph, nodes: Iterable[str] | None = None) -> Positions:
    """Marker positions of :func:`graph_layout`, for callers that only need where nodes are.

    >>> G = nx.DiGraph([("a", "b")])
    >>> pos = layered_layout(G)
    >>> pos["a"][0] < pos["b"][0]
    True
    """
    drawn = graph_layout(G, nodes)
    return {n: drawn.nodes[n].marker for n in sorted(drawn.nodes, key=str)}


def count_crossings(G: nx.DiGraph, positions: Mapping[str, tuple[float, float]]) -> int:
    """Pairs of edges between positioned nodes whose straight segments cross (O(E²)).

    Edges that share an end, or only touch, do not count. For routed drawings, measure the
    drawn lines with :func:`skilltree.views.metrics.measure` instead.

    >>> G = nx.DiGraph([("a", "d"), ("b", "c")])
    >>> count_crossings(G, {"a": (0, 1), "b": (0, 0), "c": (1, 1), "d": (1, 0)})
    1
    """
    order_ = _drawn(G, positions)
    members = set(order_)
    segments = [(u, v) for u in order_ for v in G.succ[u] if v in members]
    total = 0
    for (a, b), (c, d) in itertools.combinations(segments, 2):
        if not {a, b} & {c, d} and _cross(positions[a], positions[b], positions[c], positions[d]):
            total += 1
    return total


def _cross(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    def turn(a: Point, b: Point, c: Point) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    return turn(q1, q2, p1) * turn(q1, q2, p2) < 0 and turn(p1, p2, q1) * turn(p1, p2, q2) < 0


def _drawn(G: nx.DiGraph, nodes: Iterable[str] | None) -> list[str]:
    """The drawn node ids, sorted so that every later step is deterministic."""
    members = set(G) if nodes is None else set(nodes)
    for n in sorted(members, key=str):
        if n not in G:
            raise UnknownIdError("node", str(n))
    return sorted(members, key=str)


def _build(
    G: nx.DiGraph,
    cols: Columns,
    sizes: Mapping[str, NodeSize],
    layer: Mapping[str, int],
    has_roles: bool,
) -> Grid:
    """Columns holding the nodes and the bend points of every edge, and their links."""
    others, succ, kind, _group = cols
    last = max(layer.values(), default=-1) + (1 if has_roles else 0)
    grid = Grid([[] for _ in range(last + 1)])
    linked = {n for n in others if succ[n]} | {v for n in others for v in succ[n]}

    def initial(n: str) -> tuple[bool, int, str, str]:
        # Like with like to start with: kind, then category (unlinked nodes last).
        category = str(G.nodes[n].get("category", ""))
        return (n not in linked, _KIND_ORDER.get(kind[n], 1), category, n)

    for n in sorted(others, key=initial):
        grid.add(n, layer[n], sizes[n].height)
    for u in sorted(others, key=str):
        for v in succ[u]:
            chain: list[Key]
            if kind[v] == "role":
                chain = [u] + [("in", v, c) for c in range(layer[u] + 1, last)]
                chain.append(("in", v, last))  # every route into a role meets in the channel
            elif layer[v] > layer[u]:
                chain = [u] + [("out", u, c) for c in range(layer[u] + 1, layer[v])] + [v]
            else:  # against the layers (across plan milestones): drawn straight
                grid.straight.append((u, v))
                continue
            for k in chain[1:-1] if kind[v] != "role" else chain[1:]:
                assert isinstance(k, tuple)
                grid.add(k, int(k[-1]), BEND_H)
            for a, b in itertools.pairwise(chain):
                grid.link(a, b)
            grid.chains[(u, v)] = chain
    for k in grid.columns[-1] if has_roles else []:
        grid.down.setdefault(k, {})[k[1]] = 1  # type: ignore[index]  # a trunk end → its role
    for i, column in enumerate(grid.columns):
        # Bend points start in the middle of their column: the sweeps sort stably, so where
        # barycentres tie (a column that all feeds one trunk) they stay there, and the column
        # stays centred on its trunk instead of stepping away from it.
        nodes_: list[Key] = [k for k in column if isinstance(k, str)]
        bends = [k for k in column if not isinstance(k, str)]
        half = len(nodes_) // 2
        grid.columns[i] = nodes_[:half] + bends + nodes_[half:]
    return grid


def _finish(
    G: nx.DiGraph,
    grid: Grid,
    sizes: Mapping[str, NodeSize],
    roles: list[str],
    ladder: Ladder | None,
    font_px: float,
    layer: Mapping[str, int],
    groups: Mapping[str, int] | None,
    group_titles: Sequence[str],
) -> Layout:
    """Pixel coordinates, lane boxes and edge polylines from the column orders and heights."""
    columns, col, y = grid.columns, grid.col, grid.y
    widths = [max((sizes[k].width for k in c if isinstance(k, str)), default=0.0) for c in columns]
    x0 = [0.0]
    for i in range(len(columns) - 1):
        count = sum(len(grid.down.get(k, {})) for k in columns[i])
        x0.append(x0[-1] + widths[i] + min(GAP_MAX, GAP_MIN + GAP_PER_LINK * count))
    bottom = min([y[k] - grid.height[k] / 2 for k in col] + [0.0])
    top = max([y[k] + grid.height[k] / 2 for k in col] + [0.0])
    if ladder:
        lo, hi = ladder.extent()
        bottom, top = min(bottom, lo), max(top, hi)
    shift = 10.0 - bottom  # everything above y = 10
    for k in y:
        y[k] += shift
    if ladder:
        ladder.y = {k: v + shift for k, v in ladder.y.items()}
    height = top - bottom + 20.0

    places: dict[str, NodePlace] = {
        k: place(sizes[k], x0[c], y[k]) for k, c in col.items() if isinstance(k, str)
    }
    width = (x0[-1] + widths[-1]) if columns else 0.0
    lanes_left = width + CHANNEL_GAP + (ladder.trunk_room() if ladder else 0.0)
    lanes: list[Lane] = []
    if ladder:
        if not columns or not any(columns):
            lanes_left = 0.0
        lanes, width = ladder.finish(lanes_left, 0.0, height)
        places.update(ladder.places)

    def right(k: Key) -> float:
        return x0[col[k]] + widths[col[k]]

    edges: dict[tuple[str, str], list[Point]] = {}
    for (u, v), chain in grid.chains.items():
        points: list[Point] = [(places[u].box.x1, y[u]), (right(u), y[u])]
        for k in chain[1:]:
            points += curve(points[-1], (x0[col[k]], y[k]))
            if isinstance(k, tuple):
                points.append((right(k), y[k]))
        if ladder and v in ladder.places:
            points += ladder.route_from(points[-1], v, lanes_left)
        edges[(u, v)] = _dedupe(points)
    members = set(places)
    for u in roles:
        for v in G.succ[u]:
            if v not in members:
                continue
            if ladder and v in ladder.places:
                edges[(u, v)] = ladder.route_between(u, v)
            else:
                grid.straight.append((u, v))
    for u, v in grid.straight:
        edges[(u, v)] = [places[u].marker, places[v].marker]
    bands = _bands(layer, groups, group_titles, x0, widths, height) if groups else []
    return Layout(places, edges, lanes, bands, width, height, font_px)


def _bands(
    layer: Mapping[str, int],
    groups: Mapping[str, int],
    titles: Sequence[str],
    x0: Sequence[float],
    widths: Sequence[float],
    height: float,
) -> list[Band]:
    """One band per group of columns, from half the gap before it to half the gap after."""
    spans: dict[int, tuple[int, int]] = {}
    for n, c in layer.items():
        g = groups.get(n, 0)
        lo, hi = spans.get(g, (c, c))
        spans[g] = (min(lo, c), max(hi, c))
    bands = []
    for g, (lo, hi) in sorted(spans.items()):
        left = x0[lo] - (GAP_MIN / 2 if lo else 0.0)
        right = x0[hi] + widths[hi] + GAP_MIN / 2
        title = titles[g] if 0 <= g < len(titles) else ""
        bands.append(Band(title, Box(left, 0.0, right, height)))
    return bands


def _dedupe(points: Sequence[Point]) -> list[Point]:
    """Drop repeated points (a zero-length segment has no direction for the arrowhead)."""
    if not points:
        return []
    out = [points[0]]
    last_x, last_y = points[0]
    for p in points:
        x, y = p
        if abs(last_x - x) + abs(last_y - y) > 0.01:
            out.append(p)
            last_x, last_y = x, y
    return out
