"""The order and height of everything in a layout's columns: nodes and the bend points of edges.

A layered drawing is read column by column, so what makes it readable is the order inside each
column (few crossings between neighbouring columns) and the heights (edges as straight as they
can be, nothing overlapping). :class:`Grid` holds the columns, including one *bend point* per
column that a long edge crosses; :func:`order` reduces crossings with barycentre sweeps and
neighbour swaps, keeping the best order seen; :func:`relax` then moves everything towards its
neighbours' heights, projected onto non-overlapping positions (isotonic regression, as
:func:`~.lanes.isotonic` solves it for one column).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

__all__ = ["BEND_H", "NODE_SEP", "Grid", "Key", "order", "relax"]

#: A node id, or a bend point: ("in", role, column) or ("out", node, column).
Key = str | tuple[Any, ...]
Links = dict[Key, dict[Key, int]]

#: Vertical space between two node boxes, and between a bend point and its neighbours.
NODE_SEP = 8.0
BEND_SEP = 3.0
#: Height a bend point occupies in its column.
BEND_H = 2.0
#: At most this many rounds of relaxation. Large views settle slowly (long chains creep by a
#: pixel a round); over 91 views of four ladders, twenty rounds read as well as forty by every
#: measure (crossings, lines through labels, overlaps, total vertical run of the edges).
RELAX_ROUNDS = 20
#: A round that moves no item by this much (pixels) ends the relaxation early: small views
#: settle within the rounds, and a tenth of a pixel is more than anyone sees.
SETTLED_PX = 0.1
TRANSPOSE_ROUNDS = 6
#: Pairs of columns with at most this many links between them count their crossings together.
_SHARED_LINKS = 64


@dataclass
class Grid:
    """Columns of nodes and bend points, the links between neighbouring columns, heights."""

    columns: list[list[Key]]
    col: dict[Key, int] = field(default_factory=dict)
    height: dict[Key, float] = field(default_factory=dict)
    up: Links = field(default_factory=dict)
    down: Links = field(default_factory=dict)
    chains: dict[tuple[str, str], list[Key]] = field(default_factory=dict)
    straight: list[tuple[str, str]] = field(default_factory=list)
    y: dict[Key, float] = field(default_factory=dict)

    def add(self, k: Key, c: int, h: float) -> None:
        if k not in self.col:
            self.columns[c].append(k)
            self.col[k], self.height[k] = c, h

    def link(self, a: Key, b: Key) -> None:
        self.down.setdefault(a, {})[b] = self.down.get(a, {}).get(b, 0) + 1
        self.up.setdefault(b, {})[a] = self.up.get(b, {}).get(a, 0) + 1

    def sep(self, a: Key, b: Key) -> float:
        bend = isinstance(a, tuple) or isinstance(b, tuple)
        return (self.height[a] + self.height[b]) / 2 + (BEND_SEP if bend else NODE_SEP)

    def column_height(self, i: int) -> float:
        c = self.columns[i]
        return sum(self.height[k] for k in c) + NODE_SEP * max(0, len(c) - 1)

    def tallest(self) -> float:
        return max((self.column_height(i) for i in range(len(self.columns))), default=0.0)

    def stack(self, i: int) -> None:
        """Heights for column ``i`` in its order (first item on top), centred on 0."""
        c, y = self.columns[i], self.y
        for j, k in enumerate(c):
            y[k] = 0.0 if j == 0 else y[c[j - 1]] - self.sep(c[j - 1], k)
        if c:
            middle = (y[c[0]] + self.height[c[0]] / 2 + y[c[-1]] - self.height[c[-1]] / 2) / 2
            for k in c:
                y[k] -= middle


def order(grid: Grid, sweeps: int, movable: int) -> None:
    """Barycentre sweeps, down then up, keeping the order with the fewest crossings, then swaps.

    Columns from ``movable`` on (the channel before the lanes) keep their order.
    """
    sweeper = _Sweeper(grid)
    best = sweeper.orders()
    fewest = sweeper.crossings()
    # The sweeps are deterministic: once they bring the columns back to an order seen after an
    # earlier sweep, every later sweep repeats one already done, and nothing better can come.
    seen: set[bytes] = set()
    for _ in range(sweeps):
        for side, seq in ((0, range(1, movable)), (1, range(movable - 1, -1, -1))):
            for i in seq:
                sweeper.sort(i, side)
            count = sweeper.crossings()
            if count < fewest:
                fewest, best = count, sweeper.orders()
        state = sweeper.state()
        if fewest == 0 or state in seen:
            break
        seen.add(state)
    grid.columns[:] = sweeper.keys_of(best)
    _transpose(grid, movable)
    for i in range(len(grid.columns)):
        grid.stack(i)


class _Sweeper:
    """The grid as :func:`order`'s sweeps work on it: integer ids, heights and links as arrays.

    A column's items never change during the sweeps, only their order (``perm[i]``: the
    position of each item, top first, as indices into ``members[i]``), so each column's links
    on either side are worked out once. A sweep step is then a few array operations: the
    barycentres of every item at once (the mean height of its links on that side, weighted by
    how many edges a link merges; its own height when it has none there), a stable sort, the
    column stacked again (as :meth:`Grid.stack`); the crossings between two columns are the
    pairs of links whose ends are in opposite orders (each merged link counted once).
    """

    def __init__(self, grid: Grid) -> None:
        ids: dict[Key, int] = {}
        for column in grid.columns:
            for k in column:
                ids[k] = len(ids)
        for side in (grid.up, grid.down):
            for k, linked in side.items():
                for m in (k, *linked):
                    ids.setdefault(m, len(ids))
        self.keys = list(ids)
        self.y = np.array([grid.y.get(k, 0.0) for k in self.keys])
        # Each item's position in its column (top first); one spare slot past the end, read
        # through the index -1, holds a position after every other (see :meth:`crossings`).
        self.pos = np.zeros(len(self.keys) + 1, dtype=np.intp)
        self.pos[-1] = len(self.keys) + 1
        self.members = [np.array([ids[k] for k in c], dtype=np.intp) for c in grid.columns]
        self._count = np.arange(max((len(c) for c in grid.columns), default=0))
        self.perm = [np.arange(len(column), dtype=np.intp) for column in grid.columns]
        self.height = [np.array([grid.height[k] for k in c]) for c in grid.columns]
        self.bend = [np.array([isinstance(k, tuple) for k in c], dtype=bool) for c in grid.columns]
        # Per column and side (0: up, 1: down): (rows, neighbour ids, weights, totals, linked).
        self.pulls: list[tuple[tuple[np.ndarray, ...], ...]] = []
        for column in grid.columns:
            sides = []
            for around in (grid.up, grid.down):
                rows: list[int] = []
                cols: list[int] = []
                ws: list[float] = []
                for r, k in enumerate(column):
                    for m, w in around.get(k, {}).items():
                        rows.append(r)
                        cols.append(ids[m])
                        ws.append(float(w))
                row = np.array(rows, dtype=np.intp)
                totals = np.bincount(row, weights=ws, minlength=len(column))
                pulled = totals > 0
                divide = np.where(pulled, totals, 1.0)
                sides.append((row, np.array(cols, dtype=np.intp), np.array(ws), divide, pulled))
            self.pulls.append(tuple(sides))
        for members in self.members:
            self.pos[members] = self._count[: len(members)]
        # Links between neighbouring columns as the ids of their two ends, one row per pair of
        # columns. Pairs with few links share one table, padded with -1 (the spare slot of
        # ``pos``); the few pairs with many links get a table each, so that padding stays small.
        small: list[tuple[list[int], list[int]]] = []
        self.links: list[tuple[np.ndarray, np.ndarray]] = []
        for left, right in itertools.pairwise(grid.columns):
            in_right = set(right)
            ends = [(ids[k], ids[m]) for k in left for m in grid.down.get(k, {}) if m in in_right]
            if len(ends) < 2:
                continue  # one link crosses nothing
            a, b = [e[0] for e in ends], [e[1] for e in ends]
            if len(ends) > _SHARED_LINKS:
                self.links.append((np.array([a], dtype=np.intp), np.array([b], dtype=np.intp)))
            else:
                small.append((a, b))
        if small:
            width = max(len(a) for a, _b in small)
            pad = np.full((len(small), width), -1, dtype=np.intp)
            a_ids, b_ids = pad.copy(), pad.copy()
            for r, (a, b) in enumerate(small):
                a_ids[r, : len(a)], b_ids[r, : len(b)] = a, b
            self.links.append((a_ids, b_ids))

    def sort(self, i: int, side: int) -> None:
        """Column ``i`` sorted by its items' barycentres on one side, then stacked."""
        members = self.members[i]
        if not len(members):
            return
        rows, cols, ws, divide, linked = self.pulls[i][side]
        own = self.y[members]
        pulled = np.bincount(rows, weights=ws * self.y[cols], minlength=len(members))
        bary = np.where(linked, pulled / divide, own)
        perm = self.perm[i]
        perm = perm[np.argsort(-bary[perm], kind="stable")]
        self.perm[i] = perm
        self._stack(i)

    def _stack(self, i: int) -> None:
        perm = self.perm[i]
        h, bend = self.height[i][perm], self.bend[i][perm]
        sep = (h[:-1] + h[1:]) / 2 + np.where(bend[:-1] | bend[1:], BEND_SEP, NODE_SEP)
        y = np.empty(len(perm))
        y[0] = 0.0
        y[1:] = -np.cumsum(sep)
        middle = (float(y[0]) + float(h[0]) / 2 + float(y[-1]) - float(h[-1]) / 2) / 2
        ids = self.members[i][perm]
        self.y[ids] = y - middle
        self.pos[ids] = self._count[: len(ids)]

    def crossings(self) -> int:
        """Crossings between neighbouring columns in the current orders (each merged link
        counted once): pairs of links whose left ends are in one order and right ends in the
        other. A padding slot sits below every item on both sides, so it crosses nothing."""
        total = 0
        for a_ids, b_ids in self.links:
            pa, pb = self.pos[a_ids], self.pos[b_ids]
            total += int(
                np.count_nonzero(
                    (pa[:, :, None] < pa[:, None, :]) & (pb[:, :, None] > pb[:, None, :])
                )
            )
        return total

    def orders(self) -> list[np.ndarray]:
        return [p.copy() for p in self.perm]

    def state(self) -> bytes:
        return b"|".join(p.tobytes() for p in self.perm)

    def keys_of(self, perms: list[np.ndarray]) -> list[list[Key]]:
        return [
            [self.keys[j] for j in members[perm]]
            for members, perm in zip(self.members, perms, strict=True)
        ]


def _pair_cost(a: Key, b: Key, around: Links, where: Mapping[Key, int]) -> int:
    """Crossings between the links of ``a`` and ``b`` on one side when ``a`` is above ``b``."""
    return sum(
        1
        for m in around.get(a, {})
        for n in around.get(b, {})
        if m in where and n in where and where[m] > where[n]
    )


def _transpose(grid: Grid, movable: int) -> None:
    """Swap neighbours in a column while that removes crossings (the classic local fix-up)."""
    columns = grid.columns
    for _ in range(TRANSPOSE_ROUNDS):
        improved = False
        for i, column in enumerate(columns[:movable]):
            where: dict[Key, int] = {}
            for j in (i - 1, i + 1):
                if 0 <= j < len(columns):
                    where.update({k: p for p, k in enumerate(columns[j])})
            for p in range(len(column) - 1):
                a, b = column[p], column[p + 1]
                now = _pair_cost(a, b, grid.up, where) + _pair_cost(a, b, grid.down, where)
                swapped = _pair_cost(b, a, grid.up, where) + _pair_cost(b, a, grid.down, where)
                if swapped < now:
                    column[p], column[p + 1] = b, a
                    improved = True
        if not improved:
            break


class _Batch(NamedTuple):
    """Every other column, as :func:`relax` moves them together: the items (index into the
    heights, each column bottom to top, one column after the other), whether each item and the
    next are in the same column, the pulls of their neighbours as (row, neighbour, weight)
    arrays, their total weight (1 where there are none: ``pulled`` says which), the items' own
    weights, and each item's cumulative gap from the bottom of its column."""

    items: np.ndarray
    same: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    ws: np.ndarray
    totals: np.ndarray
    pulled: np.ndarray
    weight: np.ndarray
    offset: np.ndarray


def relax(
    grid: Grid,
    channel: int | None,
    rungs: Callable[[dict[Key, float]], Mapping[str, float]] | None = None,
) -> None:
    """Move every item towards its neighbours' mean height without reordering or overlapping.

    ``channel`` is the index of the column just before the role lanes (None without roles):
    its trunk ends line up with their roles. ``rungs`` is called after each round with the
    channel's heights and returns the roles' new heights, so that the ladder can follow where
    its trunks arrive.

    A column is pulled only by its two neighbouring columns (and the channel by the roles), so
    the even columns can all move at once, then the odd ones (red-black relaxation): a round is
    a few array operations whatever the number of columns. Each column's move is projected onto
    positions that keep its order and gaps (weighted isotonic regression), solved for all the
    moving columns together by pooling adjacent violators, which never pools across columns.
    """
    y = grid.y
    # Each item's neighbours on both sides with their weights, and the columns' fixed parts
    # (the rounds move items, never reorder them): worked out once, as index arrays into one
    # array of heights.
    keys: list[Key] = []
    pos: dict[Key, int] = {}

    def at(k: Key) -> int:
        if k not in pos:
            pos[k] = len(keys)
            keys.append(k)
        return pos[k]

    parts: list[list[tuple[Any, ...]]] = [[], []]
    for i, stacked in enumerate(grid.columns):
        if not stacked:
            continue
        column = list(reversed(stacked))  # bottom to top
        rows: list[int] = []
        cols: list[int] = []
        ws: list[float] = []
        weight: list[float] = []
        for r, k in enumerate(column):
            links = dict(grid.up.get(k, {}))
            for m, w in grid.down.get(k, {}).items():
                links[m] = links.get(m, 0) + w
            if i == channel:
                links = {k[1]: 1}  # trunk ends line up with their roles
            for m, w in links.items():
                rows.append(r)
                cols.append(at(m))
                ws.append(float(w))
            # Bend points pull hard towards a straight line; nodes may sit off it.
            weight.append(4.0 if isinstance(k, tuple) else 1.0)
        offset = [0.0, *itertools.accumulate(grid.sep(a, b) for a, b in itertools.pairwise(column))]
        parts[i % 2].append((i, [at(k) for k in column], rows, cols, ws, weight, offset))
    batches = [_batch(part) for part in parts]
    heights = np.array([y[k] for k in keys])
    trunks = [(k, pos[k]) for k in grid.columns[channel]] if channel is not None else []
    roles: dict[str, int] = {str(k[1]): pos[k[1]] for k, _ in trunks}
    blocks: list[np.ndarray | None] = [None, None]
    for round_ in range(RELAX_ROUNDS):
        moved = 0.0
        for p in (0, 1) if round_ % 2 == 0 else (1, 0):
            b = batches[p]
            if not len(b.items):
                continue
            now = heights[b.items]
            pulled = np.bincount(b.rows, weights=b.ws * heights[b.cols], minlength=len(b.items))
            want = np.where(b.pulled, pulled / b.totals, now)
            new, blocks[p] = _pooled(want - b.offset, b.weight, b.same, blocks[p])
            new += b.offset
            moved = max(moved, float(np.abs(new - now).max()))
            heights[b.items] = new
        if rungs is not None and trunks:
            # The ladder reads where the trunks arrive and moves the roles they pull towards.
            placed = rungs({k: float(heights[j]) for k, j in trunks})
            for role, j in roles.items():
                heights[j] = placed[role]
        if moved < SETTLED_PX:
            # Every column sits (to a hundredth of a pixel) where its neighbours pull it.
            break
    for k, j in pos.items():
        y[k] = float(heights[j])


def _batch(part: list[tuple[Any, ...]]) -> _Batch:
    """The columns of ``part`` (index, items, rows, cols, weights, own weights, offsets) as one
    :class:`_Batch`, rows numbered across the columns."""
    items: list[int] = []
    column: list[int] = []
    rows: list[int] = []
    cols: list[int] = []
    ws: list[float] = []
    weight: list[float] = []
    offset: list[float] = []
    for i, its, rs, cs, w, own, off in part:
        rows += [r + len(items) for r in rs]
        items += its
        column += [i] * len(its)
        cols += cs
        ws += w
        weight += own
        offset += off
    row = np.array(rows, dtype=np.intp)
    totals = np.bincount(row, weights=ws, minlength=len(items))
    columns = np.array(column, dtype=np.intp)
    return _Batch(
        np.array(items, dtype=np.intp),
        columns[:-1] == columns[1:],
        row,
        np.array(cols, dtype=np.intp),
        np.array(ws),
        np.where(totals > 0, totals, 1.0),
        totals > 0,
        np.array(weight),
        np.array(offset),
    )


def _pooled(
    z: np.ndarray, w: np.ndarray, same: np.ndarray, hint: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted isotonic regression of ``z`` within each column: the values closest to ``z``
    (weighted least squares) that never decrease inside a column; ``same[i]`` says items i and
    i + 1 are in the same column. Returns the values and where their pooled blocks start.

    ``hint`` is where the blocks started last time (None: nowhere yet). Rounds move little, so
    the same blocks usually still solve it: the blocks' means increase, and no block could be
    split into a lower start and a higher end (every start of a block pulls at least as high
    as the block's mean). Otherwise the blocks are found afresh: pooling adjacent violators
    gives the one solution whatever order the pools are made in, so every run of violating
    neighbours (in the same column) is pooled at once, until none is left.
    """
    n = len(z)
    wz = w * z
    if hint is not None:
        counts = _counts(hint, n)
        means = np.add.reduceat(wz, hint) / np.add.reduceat(w, hint)
        if not ((means[:-1] > means[1:]) & same[hint[1:] - 1]).any():
            values = np.repeat(means, counts)
            # Sums of w·(z − mean) over each block's starts (first item to any item before its
            # last): all must be ≥ 0, to rounding.
            total = np.cumsum(w * (z - values))
            before = np.repeat(np.concatenate(([0.0], total[hint[1:] - 1])), counts)
            if (total - before >= -1e-9 * (1.0 + np.abs(wz).max())).all():
                return values, hint
    violating = (z[:-1] > z[1:]) & same
    starts = np.arange(n)
    if not violating.any():
        return z, starts
    while True:
        starts = starts[np.concatenate(([True], ~violating))]
        means = np.add.reduceat(wz, starts) / np.add.reduceat(w, starts)
        violating = (means[:-1] > means[1:]) & same[starts[1:] - 1]
        if not violating.any():
            break
    return np.repeat(means, _counts(starts, n)), starts


def _counts(starts: np.ndarray, n: int) -> np.ndarray:
    """Lengths of the blocks that start at ``starts`` (ascending, the first 0) in ``n`` items."""
    ends = np.empty_like(starts)
    ends[:-1] = starts[1:]
    ends[-1] = n
    return ends - starts
