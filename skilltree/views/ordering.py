"""The order and height of everything in a layout's columns: nodes and the bend points of edges.

A layered drawing is read column by column, so what makes it readable is the order inside each
column (few crossings between neighbouring columns) and the heights (edges as straight as they
can be, nothing overlapping). :class:`Grid` holds the columns, including one *bend point* per
column that a long edge crosses; :func:`order` reduces crossings with barycentre sweeps and
neighbour swaps, keeping the best order seen; :func:`relax` then moves everything towards its
neighbours' heights, projected onto non-overlapping positions (:func:`~.lanes.isotonic`).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from .lanes import shifted_isotonic

__all__ = ["BEND_H", "NODE_SEP", "Grid", "Key", "order", "relax"]

#: A node id, or a bend point: ("in", role, column) or ("out", node, column).
Key = str | tuple[Any, ...]
Links = dict[Key, dict[Key, int]]

#: Vertical space between two node boxes, and between a bend point and its neighbours.
NODE_SEP = 8.0
BEND_SEP = 3.0
#: Height a bend point occupies in its column.
BEND_H = 2.0
RELAX_ROUNDS = 40
#: A round that moves no item by this much (pixels) has reached the rounds' fixed point.
SETTLED_PX = 1e-6
TRANSPOSE_ROUNDS = 6


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


def crossings(grid: Grid) -> int:
    """Crossings between neighbouring columns (each merged link counted once)."""
    total = 0
    for left, right in itertools.pairwise(grid.columns):
        where = {k: i for i, k in enumerate(right)}
        pairs = sorted(
            (i, where[m]) for i, k in enumerate(left) for m in grid.down.get(k, {}) if m in where
        )
        seen: list[int] = []
        for _, b in pairs:
            total += len(seen) - bisect.bisect_right(seen, b)
            bisect.insort(seen, b)
    return total


def order(grid: Grid, sweeps: int, movable: int) -> None:
    """Barycentre sweeps, down then up, keeping the order with the fewest crossings, then swaps.

    Columns from ``movable`` on (the channel before the lanes) keep their order.
    """
    best = [list(c) for c in grid.columns]
    fewest = crossings(grid)
    # The sweeps are deterministic: once they bring the columns back to an order seen after an
    # earlier sweep, every later sweep repeats one already done, and nothing better can come.
    seen: set[tuple[tuple[Key, ...], ...]] = set()
    for _ in range(sweeps):
        for around, seq in ((grid.up, range(1, movable)), (grid.down, range(movable - 1, -1, -1))):
            for i in seq:
                bary = {k: _barycentre(k, around, grid.y) for k in grid.columns[i]}
                grid.columns[i].sort(key=lambda k: -bary[k])
                grid.stack(i)
            count = crossings(grid)
            if count < fewest:
                fewest, best = count, [list(c) for c in grid.columns]
        state = tuple(tuple(c) for c in grid.columns)
        if fewest == 0 or state in seen:
            break
        seen.add(state)
    grid.columns[:] = best
    _transpose(grid, movable)
    for i in range(len(grid.columns)):
        grid.stack(i)


def _barycentre(k: Key, around: Links, y: Mapping[Key, float]) -> float:
    """Mean height of a key's links on one side; its own height when it has none there."""
    links = around.get(k)
    if not links:
        return y[k]
    return sum(y[m] * w for m, w in links.items()) / sum(links.values())


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


class _Column(NamedTuple):
    """One column as :func:`relax` works on it: its items (bottom to top) and, for each item,
    the pulls of its neighbours as (row, neighbour, weight) arrays, their total weight (1 where
    there are none: ``pulled`` says which), the items' own weights and cumulative gaps."""

    items: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    ws: np.ndarray
    totals: np.ndarray
    pulled: np.ndarray
    weight: list[float]
    offset: list[float]


def relax(grid: Grid, channel: int | None, rungs: Callable[[], None] | None = None) -> None:
    """Move every item towards its neighbours' mean height without reordering or overlapping.

    ``channel`` is the index of the column just before the role lanes (None without roles):
    its trunk ends line up with their roles. ``rungs`` is called after each round so that the
    ladder can follow where its trunks arrive.
    """
    y = grid.y
    last = len(grid.columns) - 1
    # Each item's neighbours on both sides with their weights, and the column's fixed parts
    # (the rounds move items, never reorder them): worked out once, as index arrays into one
    # array of heights, so a round is a few array operations per column.
    keys: list[Key] = []
    pos: dict[Key, int] = {}

    def at(k: Key) -> int:
        if k not in pos:
            pos[k] = len(keys)
            keys.append(k)
        return pos[k]

    columns: list[_Column] = []
    for i, stacked in enumerate(grid.columns):
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
        totals = np.bincount(np.array(rows, dtype=np.intp), weights=ws, minlength=len(column))
        columns.append(
            _Column(
                np.array([at(k) for k in column], dtype=np.intp),
                np.array(rows, dtype=np.intp),
                np.array(cols, dtype=np.intp),
                np.array(ws),
                np.where(totals > 0, totals, 1.0),
                totals > 0,
                weight,
                offset,
            )
        )
    heights = np.array([y[k] for k in keys])
    for round_ in range(RELAX_ROUNDS):
        seq = range(len(grid.columns)) if round_ % 2 == 0 else range(last, -1, -1)
        moved = 0.0
        for i in seq:
            c = columns[i]
            if not len(c.items):
                continue
            now = heights[c.items]
            pulled = np.bincount(c.rows, weights=c.ws * heights[c.cols], minlength=len(c.items))
            want = np.where(c.pulled, pulled / c.totals, now)
            new = np.array(shifted_isotonic(want.tolist(), c.weight, c.offset))
            moved = max(moved, float(np.abs(new - now).max()))
            heights[c.items] = new
        if rungs is not None:
            # The ladder reads where the trunks arrive and moves the roles they pull towards.
            for k, j in pos.items():
                y[k] = float(heights[j])
            rungs()
            heights = np.array([y[k] for k in keys])
        if moved < SETTLED_PX:
            # Nothing moved: every column already sits where its neighbours pull it, so later
            # rounds (in either direction) would change nothing either.
            break
    for k, j in pos.items():
        y[k] = float(heights[j])
