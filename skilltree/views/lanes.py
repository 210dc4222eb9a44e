"""The role ladder of the layout: one lane per track, rungs by rank, routes that avoid labels.

Roles are not a layer like the others: a reader looks for a ladder (junior at the bottom, the top
rungs at the top) split into tracks. So roles sit in lanes to the right of every other column,
one lane per track in ``tracks`` order, and each rank is one horizontal *rung row* shared by all
lanes, so that rungs of equal rank line up across tracks. Within a lane, each ladder (roles linked
by progression inside the lane, e.g. one job family) gets its own sub-column, so a progression
line climbs straight up without crossing another family's box.

Between two rung rows runs a *corridor*: an empty horizontal band that edges use to cross lanes.
Left of each sub-column runs an *entry channel*: an empty vertical band where every edge into a
role turns towards it. Each (corridor, target role) pair has its own height in the corridor and
each target role its own x in its channel, so routes into the same role merge (unambiguous:
they only ever join) and routes into different roles run side by side. Nothing is routed over a
box, which is why no edge runs through a label, by construction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import networkx as nx
from networkx.utils import UnionFind

from ..index import rank_of
from .geometry import Box, Lane, NodePlace, NodeSize, Point, place

__all__ = ["Ladder", "curve", "isotonic"]

#: Distance between parallel routes in a corridor or channel, in pixels.
TRACK_PX = 5.0
#: Empty margin inside a lane around its boxes, and between lanes.
LANE_PAD = 10.0
LANE_GAP = 14.0
SUBCOLUMN_GAP = 10.0
CURVE_SAMPLES = 6


def curve(a: Point, b: Point) -> list[Point]:
    """An S-shaped cubic from ``a`` to ``b`` with horizontal tangents, sampled (``a`` excluded).

    Edges leave and enter boxes horizontally, so a curve that starts and ends flat reads as
    one stroke and stays inside the empty gap between the two x positions.
    """
    if abs(a[1] - b[1]) < 0.5:
        return [b]
    ax, ay = a
    bx, by = b
    half = (bx - ax) / 2
    p1x, p2x = ax + half, bx - half
    return [
        (c0 * ax + c1 * p1x + c2 * p2x + c3 * bx, c0 * ay + c1 * ay + c2 * by + c3 * by)
        for c0, c1, c2, c3 in _BERNSTEIN
    ]


#: The cubic's four weights at each sample t = k / CURVE_SAMPLES, k = 1 … CURVE_SAMPLES.
_BERNSTEIN = [
    ((1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3)
    for t in (k / CURVE_SAMPLES for k in range(1, CURVE_SAMPLES + 1))
]


def isotonic(
    desired: Sequence[float], weight: Sequence[float], gap: Sequence[float]
) -> list[float]:
    """Positions closest to ``desired`` (weighted least squares) that keep their order and gaps.

    ``gap[i]`` is the least distance between item i and i+1 (positions increase with i). Shifting
    each item by its cumulative gap turns this into plain isotonic regression, solved exactly by
    pooling adjacent violators in O(n): a column of boxes gets as close to its neighbours'
    barycentres as it can without any two boxes overlapping.
    """
    offset = [0.0]
    for g in gap:
        offset.append(offset[-1] + g)
    # The pooled blocks so far, as parallel lists: weighted sum, weight, item count, mean.
    sums: list[float] = []
    weights: list[float] = []
    counts: list[int] = []
    means: list[float] = []
    for d, w, o in zip(desired, weight, offset, strict=False):
        s, c = (d - o) * w, 1
        m = s / w
        while means and means[-1] > m:
            s += sums.pop()
            w += weights.pop()
            c += counts.pop()
            means.pop()
            m = s / w
        sums.append(s)
        weights.append(w)
        counts.append(c)
        means.append(m)
    out: list[float] = []
    for m, c in zip(means, counts, strict=True):
        out += [m] * c
    return [z + o for z, o in zip(out, offset, strict=False)]


class Ladder:
    """Rung rows, corridors, lanes and sub-columns for the drawn roles."""

    def __init__(
        self,
        G: nx.DiGraph,
        roles: Sequence[str],
        sizes: Mapping[str, NodeSize],
        tracks: Mapping[str, str],
    ) -> None:
        """``tracks`` maps each track id to its lane title, in lane order, left to right; a
        role of a track not listed goes to the first lane."""
        self.G, self.sizes, self.titles = G, sizes, tracks
        self.rank = {r: rank_of(G, r) for r in roles}
        self.ranks = sorted(set(self.rank.values()))
        self._corridor = {k: i for i, k in enumerate(self.ranks)}
        self.by_rank: dict[int, list[str]] = {k: [] for k in self.ranks}
        for r, k in self.rank.items():
            self.by_rank[k].append(r)
        self.row_h = {k: max(sizes[r].height for r in self.by_rank[k]) for k in self.ranks}
        # Lanes: track -> sub-columns (lists of roles), ladders kept together.
        by_track: dict[str, list[str]] = {}
        order = list(tracks) or ["individual"]
        for r in sorted(roles):
            track = str(G.nodes[r].get("track", ""))
            by_track.setdefault(track if track in tracks else order[0], []).append(r)
        self.lanes = [(t, _subcolumns(G, by_track[t], self.rank)) for t in order if t in by_track]
        self.where = {
            r: (i, j)
            for i, (_, subs) in enumerate(self.lanes)
            for j, sub in enumerate(subs)
            for r in sub
        }
        # Corridor index -> its target roles, each with its height's number (in arrival order).
        self.slots: dict[int, dict[str, int]] = {}
        for r in roles:
            for c in (self._below(r), self._below(r) + 1):
                self._slot(c, r)
        self.direct: set[tuple[str, str]] = set()
        position = {r: i for i, r in enumerate(roles)}
        for u in roles:
            # The drawn roles that ``u`` leads to, in drawing order (a role has few successors;
            # the roles drawn can be hundreds).
            after = sorted(
                (v for v in G.succ[u] if v in position and v != u), key=position.__getitem__
            )
            for v in after:
                if self._climbs_directly(u, v):
                    self.direct.add((u, v))
                else:
                    self._slot(self._toward(u, v), v)
        self.y: dict[int, float] = {}
        self.places: dict[str, NodePlace] = {}
        self.entry: dict[str, float] = {}

    # ----- structure -------------------------------------------------------------------
    def _below(self, r: str) -> int:
        """Index of the corridor just below a role's rung (corridor i lies below rank i)."""
        return self._corridor[self.rank[r]]

    def _toward(self, u: str, v: str) -> int:
        return self._below(u) + (1 if self.rank[v] > self.rank[u] else 0)

    def _slot(self, corridor: int, role: str) -> None:
        slots = self.slots.setdefault(corridor, {})
        slots.setdefault(role, len(slots))

    def _corridor_h(self, c: int) -> float:
        return max(16.0, (len(self.slots.get(c, ())) + 1) * TRACK_PX)

    def _climbs_directly(self, u: str, v: str) -> bool:
        """A progression to the next rung of the same sub-column: one straight vertical line."""
        if self.where[u] != self.where[v] or self.rank[v] <= self.rank[u]:
            return False
        i, j = self.where[u]
        between = [r for r in self.lanes[i][1][j] if self.rank[u] < self.rank[r] < self.rank[v]]
        return not between

    # ----- vertical placement ----------------------------------------------------------
    def _gaps(self) -> list[float]:
        return [
            self.row_h[a] / 2 + self._corridor_h(i + 1) + self.row_h[b] / 2
            for i, (a, b) in enumerate(zip(self.ranks, self.ranks[1:], strict=False))
        ]

    def place_rungs(self, desired: Mapping[str, float], bottom: float, top: float) -> None:
        """Rung heights between where their routes arrive and an even ladder over the drawing.

        Pure barycentres would bunch the rungs in the middle; a pure even spread would make
        trunks bend steeply in the channel. Half of each, then the exact order-and-gap
        projection, keeps the ladder readable and the trunks straight enough.
        """
        n = len(self.ranks)
        want = []
        for i, k in enumerate(self.ranks):
            even = (bottom + top) / 2 if n == 1 else bottom + (top - bottom) * (i + 0.5) / n
            values = [desired[r] for r in self.by_rank[k] if r in desired]
            want.append((sum(values) / len(values) + even) / 2 if values else even)
        self.y = dict(zip(self.ranks, isotonic(want, [1.0] * n, self._gaps()), strict=False))

    def extent(self) -> tuple[float, float]:
        """(bottom, top) the ladder needs, corridors included."""
        k0, k1 = self.ranks[0], self.ranks[-1]
        return (
            self.y[k0] - self.row_h[k0] / 2 - self._corridor_h(0),
            self.y[k1] + self.row_h[k1] / 2 + self._corridor_h(len(self.ranks)),
        )

    # ----- horizontal placement --------------------------------------------------------
    def finish(self, left: float, bottom: float, top: float) -> tuple[list[Lane], float]:
        """Place lanes from x = ``left``; returns the lane boxes and the right edge."""
        lanes: list[Lane] = []
        x = left
        for track, subs in self.lanes:
            x0 = x
            x += LANE_PAD
            for sub in subs:
                entering = list(sub)
                x += (len(entering) + 1) * TRACK_PX
                for n, r in enumerate(entering):
                    self.entry[r] = x - (n + 1) * TRACK_PX
                for r in sub:
                    self.places[r] = place(self.sizes[r], x, self.y[self.rank[r]])
                x += max(self.sizes[r].width for r in sub) + SUBCOLUMN_GAP
            x += LANE_PAD - SUBCOLUMN_GAP
            title = self.titles.get(track) or track.replace("-", " ").capitalize()
            lanes.append(Lane(track, title, Box(x0, bottom, x, top)))
            x += LANE_GAP
        return lanes, x - LANE_GAP

    def trunk_room(self) -> float:
        """Extra width of the channel before the lanes: more routes need gentler curves."""
        return min(40.0, 4.0 * len(self.rank))

    # ----- routes ------------------------------------------------------------------------
    def _slot_y(self, corridor: int, role: str) -> float:
        """Height of a role's route in a corridor (corridor i is below rank i)."""
        n = self.slots[corridor][role] + 1
        if corridor < len(self.ranks):
            k = self.ranks[corridor]
            return self.y[k] - self.row_h[k] / 2 - n * TRACK_PX
        k = self.ranks[-1]
        return self.y[k] + self.row_h[k] / 2 + n * TRACK_PX

    def _enter(self, role: str, corridor_y: float) -> list[Point]:
        box = self.places[role].box
        y = self.places[role].marker[1]
        return [(self.entry[role], corridor_y), (self.entry[role], y), (box.x0, y)]

    def route_from(self, start: Point, role: str, lanes_left: float) -> list[Point]:
        """Points after ``start`` (a trunk end left of the lanes) to the left side of ``role``."""
        y = self.places[role].marker[1]
        if self.where[role] == (0, 0):
            return [*curve(start, (self.entry[role], y)), (self.places[role].box.x0, y)]
        corridor = self._below(role) + (0 if start[1] < y else 1)
        cy = self._slot_y(corridor, role)
        return curve(start, (lanes_left, cy)) + self._enter(role, cy)

    def route_between(self, u: str, v: str) -> list[Point]:
        """A progression from role ``u`` to role ``v``: straight up, or through a corridor."""
        a, b = self.places[u], self.places[v]
        if (u, v) in self.direct:
            x = a.marker[0]
            return [(x, a.box.y1), (x, b.box.y0)]
        up = self.rank[v] > self.rank[u]
        x = (a.box.x0 + a.box.x1) / 2
        start = (x, a.box.y1 if up else a.box.y0)
        cy = self._slot_y(self._toward(u, v), v)
        return [start, (x, cy), *self._enter(v, cy)]


def _subcolumns(G: nx.DiGraph, roles: list[str], rank: Mapping[str, int]) -> list[list[str]]:
    """Ladders of a lane: roles joined by progression inside the lane, one rank per sub-column."""
    joined = UnionFind(roles)
    inside = set(roles)
    for r in roles:
        for s in G.succ[r]:
            if s in inside:
                joined.union(r, s)
    families: dict[str, list[str]] = {}
    for r in roles:
        families.setdefault(joined[r], []).append(r)
    subs: list[list[str]] = []
    for family in sorted(families.values(), key=lambda f: min(f)):
        mine: list[list[str]] = []
        for r in sorted(family, key=lambda r: (rank[r], r)):
            home = next((s for s in mine if all(rank[o] != rank[r] for o in s)), None)
            if home is None:
                home = []
                mine.append(home)
            home.append(r)
        subs += mine
    return subs
