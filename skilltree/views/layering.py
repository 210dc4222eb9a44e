"""Columns for the nodes that are not roles: longest-path layers, then balanced by height.

Every edge between drawn nodes goes to a later column: training routes first, skills by
prerequisite depth, groups after their options. Nodes may also come in *groups* (the milestones
of a plan): each group gets its own run of columns, after the group before it. Roles are not
layered here; they go to the lanes (:mod:`.lanes`).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from typing import NamedTuple

import networkx as nx

__all__ = ["Columns", "balance", "layers"]

#: A column taller than this (pixels) is relieved by extra columns when nodes can move there.
TALL_COLUMN_PX = 900.0
#: At most this many columns are added for that.
MAX_SPARE = 8


class Columns(NamedTuple):
    """The nodes to put in columns (every drawn node but the roles), in drawing order, with
    their drawn successors, their kinds and, for a plan, their milestone groups."""

    nodes: list[str]
    succ: Mapping[str, list[str]]
    kind: Mapping[str, str]
    group: Mapping[str, int] | None = None


def layers(cols: Columns) -> dict[str, int]:
    """Longest-path layers of the non-role nodes; training routes alone in the first column.

    With ``group``, the nodes of each group get columns after those of every earlier group; an
    edge from a later group back to an earlier one is not followed. Kahn's algorithm, smallest
    id first among the ready nodes, so the result is deterministic.

    Raises
    ------
    networkx.NetworkXUnfeasible
        If the drawn nodes contain a cycle.

    Examples
    --------
    >>> kinds = {"a": "skill", "b": "skill", "c": "skill"}
    >>> layers(Columns(["a", "b", "c"], {"a": ["b"], "b": [], "c": []}, kinds, {"c": 1}))
    {'a': 0, 'b': 1, 'c': 2}
    """
    others, succ, kind, group = cols
    grouped = dict.fromkeys(others, 0) if group is None else {n: group.get(n, 0) for n in others}
    first = 1 if any(kind[n] == "training" for n in others) else 0
    layer: dict[str, int] = {}
    offset = 0
    for g in sorted(set(grouped.values())):
        members = [n for n in others if grouped[n] == g]
        inside = set(members)
        waiting = dict.fromkeys(members, 0)
        for u in members:
            for v in succ[u]:
                if v in inside:
                    waiting[v] += 1
        ready = [n for n in members if waiting[n] == 0]
        heapq.heapify(ready)
        for n in members:
            layer[n] = 0 if kind[n] == "training" else max(first, offset)
        seen = 0
        while ready:
            u = heapq.heappop(ready)
            seen += 1
            for v in succ[u]:
                if v in inside:
                    layer[v] = max(layer[v], layer[u] + 1)
                    waiting[v] -= 1
                    if waiting[v] == 0:
                        heapq.heappush(ready, v)
        if seen < len(members):
            stuck = sorted(n for n in members if waiting[n] > 0)[:10]
            raise nx.NetworkXUnfeasible(
                f"the drawn nodes contain a cycle through some of: {', '.join(stuck)}"
            )
        offset = max((layer[n] for n in members), default=offset - 1) + 1
    return layer


def balance(
    cols: Columns,
    layer: dict[str, int],
    height: Mapping[str, float],
    feeds_ladder: bool,
    sep: float = 8.0,
) -> None:
    """Move nodes with slack to the least loaded column they may occupy (in place).

    Longest-path layering piles every node without prerequisites into the first column, which
    makes a drawing several times taller than it needs to be. A node may sit anywhere after its
    latest predecessor and before its earliest successor (inside its group's columns); a node
    that only feeds roles, or none, may go as far as the last column, and when one column is
    far taller than the rest, as far as a few new columns after it. Going through the nodes from
    the right, each one moves to the column of least total height in its range (ties: the
    rightmost, which shortens its edges), if that lowers the taller of the two. Columns left
    empty are closed up.
    """
    others, succ, kind, group = cols
    inside = set(others)
    pred: dict[str, list[str]] = {n: [] for n in others}
    for u in others:
        for v in succ[u]:
            if v in inside:
                pred[v].append(u)
    if not others:
        return
    last = max(layer.values())
    floor = 1 if any(kind[m] == "training" for m in others) else 0
    load: dict[int, float] = {}
    for n in others:
        load[layer[n]] = load.get(layer[n], 0.0) + height[n] + sep
    grouped = group or {}
    span: dict[int, tuple[int, int]] = {}
    for n in others:
        g = grouped.get(n, 0)
        lo, hi = span.get(g, (layer[n], layer[n]))
        span[g] = (min(lo, layer[n]), max(hi, layer[n]))
    spare = 0
    if len(span) == 1 and max(load.values()) > TALL_COLUMN_PX:
        wanted = math.ceil(sum(load.values()) / TALL_COLUMN_PX)
        spare = min(MAX_SPARE, max(0, wanted - (last - floor + 1)))
    for n in sorted(others, key=lambda n: (-layer[n], n)):
        if kind[n] == "training":
            continue
        g = grouped.get(n, 0)
        low = max([layer[p] + 1 for p in pred[n]] + [floor, span[g][0] if g else floor])
        after = [layer[v] - 1 for v in succ[n] if v in inside]
        loose = not after and (feeds_ladder or not succ[n])
        if not after and not loose:
            continue  # a sink outside the ladder: leave it where it is
        end = span[g][1] if len(span) > 1 else last + spare
        high = min([*after, end])
        if high <= low:
            continue
        best = min(range(low, high + 1), key=lambda c: (load.get(c, 0.0), -c))
        if load.get(best, 0.0) + height[n] < load.get(layer[n], 0.0):
            load[layer[n]] -= height[n] + sep
            layer[n] = best
            load[best] = load.get(best, 0.0) + height[n] + sep
    used = sorted(set(layer.values()))
    renumber = {c: i + (used[0] if used else 0) for i, c in enumerate(used)}
    for n in others:
        layer[n] = renumber[layer[n]]
