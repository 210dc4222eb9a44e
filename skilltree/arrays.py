"""The skills of one graph numbered in name order, and their prerequisite links as arrays.

Work over every skill at once (a profile's closure, readiness for every role, the steps that
can start now) runs on arrays indexed by these numbers, shared by every module that does it: a
profile's levels are one array (:meth:`SkillArrays.levels`), the same rows everywhere.

The links are ordered for closures worked out in passes: a link's *height* is how far its
dependent sits below the top of the prerequisite graph (0: nothing asks for it). All links of
one height make one pass; once the passes above it are done, every skill of that height holds
what its dependents imply, so one walk down the passes closes a profile.

>>> from skilltree import load_graph
>>> from skilltree.index import index_of
>>> t = skill_arrays(index_of(load_graph()))
>>> t.names[t.number["python"]]
'python'
>>> list(t.names) == sorted(t.names)
True
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from .index import GraphIndex, PerIndex

__all__ = ["SkillArrays", "skill_arrays"]


@dataclass(frozen=True, slots=True)
class SkillArrays:
    """One graph's skills by number (name order) and its prerequisite links (see module)."""

    names: tuple[str, ...]
    number: Mapping[str, int]
    #: the names again as an array, to pick many at once
    name_array: np.ndarray
    # per link, by height: the skill that asks, the prerequisite, the level it asks
    dep: np.ndarray
    pre: np.ndarray
    asked: np.ndarray
    #: each pass's links, from height 0 down: (the skills that ask, their prerequisites,
    #: where the pass's links start and stop in the link arrays)
    passes: tuple[tuple[np.ndarray, np.ndarray, int, int], ...]
    #: per skill: the first pass whose links start from that skill's height or lower
    first_pass: np.ndarray

    def levels(self, held: Iterable[tuple[str, int]]) -> np.ndarray:
        """(skill, level) pairs as one array of levels by skill number; unknown skills are
        left out."""
        levels = np.zeros(len(self.names), dtype=np.int8)
        number = self.number
        for skill, level in held:
            row = number.get(skill)
            if row is not None:
                levels[row] = level
        return levels


def _skill_arrays_of(index: GraphIndex) -> SkillArrays:
    names = tuple(sorted(index.hours))
    number = {skill: n for n, skill in enumerate(names)}
    height = _heights(index, names, number)
    links = [(number[s], number[p], lv) for s in names for p, lv in index.prereqs[s]]
    dep = np.array([link[0] for link in links], dtype=np.intp)
    pre = np.array([link[1] for link in links], dtype=np.intp)
    asked = np.array([link[2] for link in links], dtype=np.int8)
    order = np.argsort(height[dep], kind="stable")
    dep, pre, asked = dep[order], pre[order], asked[order]
    link_height = height[dep]
    starts = np.flatnonzero(np.diff(link_height, prepend=-1))  # where a height begins
    bounds = np.append(starts, len(dep)).tolist()
    passes = tuple((dep[a:b], pre[a:b], a, b) for a, b in itertools.pairwise(bounds))
    first_pass = np.searchsorted(link_height[starts], height, side="left").astype(np.intp)
    name_array = np.array(names, dtype=object)
    for array in (name_array, dep, pre, asked, first_pass):
        array.setflags(write=False)
    return SkillArrays(
        names,
        MappingProxyType(number),
        name_array,
        dep,
        pre,
        asked,
        passes,
        first_pass,
    )


def _heights(index: GraphIndex, names: tuple[str, ...], number: Mapping[str, int]) -> np.ndarray:
    """Per skill number: the longest chain of dependents above it (0 when nothing asks for it),
    in one pass in reverse prerequisite order."""
    height = [0] * len(names)
    waiting = [len(index.dependents[s]) for s in names]
    ready = [n for n, count in enumerate(waiting) if count == 0]
    while ready:
        n = ready.pop()
        below = height[n] + 1
        for pre, _level in index.prereqs[names[n]]:
            row = number[pre]
            if below > height[row]:
                height[row] = below
            waiting[row] -= 1
            if waiting[row] == 0:
                ready.append(row)
    return np.array(height, dtype=np.intp)


#: Per graph: its skills by number and its prerequisite links as arrays.
skill_arrays: PerIndex[SkillArrays] = PerIndex(_skill_arrays_of)
