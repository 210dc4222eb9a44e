"""The person as they are: what a profile implies beyond what it states.

Knowing a skill at any level means knowing each of its prerequisites at the level it asks,
transitively; and holding a role means meeting what that role asks (with what it inherits from
the rungs below), unless the person turns that assumption off. :func:`implied` gives the
closure the engine plans from: every implied or assumed level added, each with its
:class:`~skilltree.profile.Origin`. What the person states always wins: a level they give (even
0, "I do not have it") is never raised by an implication, and nothing is implied through it.

For a group the role asks ("one back-end language"), the options the person already holds
count first; missing ones are assumed in this order: the options they prefer, the group's
recommended option, then the options of fewest hours. Avoided options and options stated as not
held are never assumed.

A skill's origin is the role when the role assumption raised it to the level held; otherwise a
held skill that asks for it at that level: one the person stated if any, and the first by name
among equals.

The prerequisites are followed one of two ways, with the same result: link by link from each
held skill while that stays short, else in one pass per height of the prerequisite graph over
arrays (:mod:`skilltree.arrays`; a profile on a deep ladder implies thousands of skills).

Examples
--------
On the default ladder, ``G = load_graph()``:

>>> p = implied(G, Profile({"python": 2}))
>>> p.level("programming-fundamentals"), p.origins["programming-fundamentals"].source
(1, 'python')
>>> implied(G, Profile(role="junior")).level("git")
1
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Protocol

import networkx as nx
import numpy as np

from .arrays import SkillArrays, skill_arrays
from .gcpause import gc_paused
from .index import GraphIndex, PerIndex, Recent, index_of
from .profile import Origin, Profile

__all__ = ["WALK_LINKS", "WALK_LINKS_PER_PASS", "closure_levels", "implied", "implied_levels"]

#: A closure is worked out link by link until it has followed ``WALK_LINKS`` links plus
#: ``WALK_LINKS_PER_PASS`` per pass of the graph; past that it is worked out again in passes
#: over arrays. Measured on ladders of 78 to 14,000 skills: a link followed costs about a
#: microsecond; the passes cost about 0.2 ms, plus a few microseconds per pass (a ladder 175
#: skills deep has 174), whatever they hold.
WALK_LINKS = 150
WALK_LINKS_PER_PASS = 3


class _Closure(Protocol):
    def profile(self) -> Profile: ...

    def levels(self) -> np.ndarray: ...


#: Per graph: the closures of the last profiles asked about.
_CLOSURES: PerIndex[Recent[Profile, _Closure]] = PerIndex(lambda _index: Recent(256))
#: Per graph: the levels of the last closures given as they are (raised by a plan's steps).
_CLOSED_LEVELS: PerIndex[Recent[Profile, np.ndarray]] = PerIndex(lambda _index: Recent(64))
#: Per graph, by skill number: the Origin naming each skill as a prerequisite source, shared by
#: every closure (a closure of a deep ladder implies thousands of skills; their origins need
#: not be thousands of new objects).
_PREREQ_ORIGINS: PerIndex[np.ndarray] = PerIndex(lambda index: _prereq_origins(index))


def _prereq_origins(index: GraphIndex) -> np.ndarray:
    names = skill_arrays(index).names
    origins = np.empty(len(names), dtype=object)
    origins[:] = [Origin("prerequisite", skill) for skill in names]
    return _read_only(origins)


def implied(G: nx.DiGraph, profile: Profile) -> Profile:
    """The closure of ``profile``: stated levels, plus those implied and assumed (see module).

    A profile that is already a closure is returned as it is.
    """
    if profile.closed:
        return profile
    return _closure(index_of(G), profile).profile()


def implied_levels(G: nx.DiGraph, profile: Profile) -> np.ndarray:
    """The levels of the closure of ``profile`` as one read-only array by skill number (see
    :mod:`skilltree.arrays`): what work over every skill at once starts from, without the
    names and origins of :func:`implied`.

    >>> from skilltree.arrays import skill_arrays
    >>> levels = implied_levels(G, Profile({"python": 2}))
    >>> int(levels[skill_arrays(index_of(G)).number["programming-fundamentals"]])
    1
    """
    return closure_levels(index_of(G), profile)


def closure_levels(index: GraphIndex, profile: Profile) -> np.ndarray:
    """:func:`implied_levels` for a graph's index: a closure's levels are kept with it."""
    if profile.closed:
        return _CLOSED_LEVELS(index).get(
            profile, lambda: _read_only(skill_arrays(index).levels(profile.skills.items()))
        )
    return _closure(index, profile).levels()


def _closure(index: GraphIndex, profile: Profile, walk_links: int | None = None) -> _Closure:
    return _CLOSURES(index).get(profile, lambda: _close(index, profile, walk_links))


def _close(index: GraphIndex, profile: Profile, walk_links: int | None = None) -> _Closure:
    """Link by link within ``walk_links`` (by default as :data:`WALK_LINKS` says), else in
    passes."""
    budget = walk_links
    if budget is None:
        budget = WALK_LINKS + WALK_LINKS_PER_PASS * len(skill_arrays(index).passes)
    stated = {s: lv for s, lv in profile.skills.items() if s in index.hours}
    held = {s: lv for s, lv in stated.items() if lv > 0}
    role = profile.role if profile.assume_role and profile.role in index.rank else None
    # A skill d deep takes at least d links to close: skills that together are deeper than the
    # budget go straight to the passes (a guess either way; the result is the same).
    if sum(map(index.depth, held)) > budget:
        return _Passed(index, profile, stated, role)
    source: dict[str, str] = {}
    followed = _walk(index, held, stated, source, list(held), budget)
    by_role: set[str] = set()
    if followed is not None and role is not None:
        raised = _role_raises(index, profile, role, lambda s: held.get(s, 0), stated)
        held.update(raised)
        followed = _walk(index, held, stated, source, list(raised), budget - followed)
        by_role = {s for s, level in raised.items() if held[s] == level}
    if followed is None:
        return _Passed(index, profile, stated, role)
    return _Walked(index, profile, held, stated, source, by_role, role)


def _read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


# --- link by link ---------------------------------------------------------------------------


def _walk(
    index: GraphIndex,
    held: dict[str, int],
    stated: Collection[str],
    source: dict[str, str],
    start: list[str],
    budget: int,
) -> int | None:
    """Raise every prerequisite of the skills in ``start`` to the level it asks, transitively,
    and keep in ``source`` the skill that asks each one's level (see module); the links
    followed, or None once they pass ``budget`` (``held`` is then half done)."""
    followed = 0
    stack = start
    prereqs = index.prereqs
    while stack:
        skill = stack.pop()
        links = prereqs[skill]
        followed += len(links)
        if followed > budget:
            return None
        for pre, level in links:
            if pre in stated:
                continue
            have = held.get(pre, 0)
            if have < level:
                held[pre] = level
                source[pre] = skill
                stack.append(pre)
            elif have == level:
                # Each link is followed once its skill is held: the best asker wins. (A skill
                # the role raised has none: its origin is the role unless raised further.)
                other = source.get(pre)
                if other is None or (skill not in stated, skill) < (other not in stated, other):
                    source[pre] = skill
    return followed


class _Walked:
    """A closure worked out link by link: its levels by name."""

    def __init__(
        self,
        index: GraphIndex,
        profile: Profile,
        held: dict[str, int],
        stated: dict[str, int],
        source: dict[str, str],
        by_role: set[str],
        role: str | None,
    ):
        # (no reference to the index: a closure is kept in the index's own caches)
        self._arrays = skill_arrays(index)
        self._held = held
        origins: dict[str, Origin] = {}
        implied = [s for s in held if s not in stated and s not in by_role]
        if implied:
            number, shared = self._arrays.number, _PREREQ_ORIGINS(index)
            origins.update((skill, shared[number[source[skill]]]) for skill in implied)
        if by_role:
            assumed = Origin("role", role or "")
            origins.update((s, assumed) for s in by_role)
        self._closed = _closed_profile(profile, held, origins)
        self._levels: np.ndarray | None = None

    def profile(self) -> Profile:
        return self._closed

    def levels(self) -> np.ndarray:
        if self._levels is None:
            self._levels = _read_only(self._arrays.levels(self._held.items()))
        return self._levels


# --- in passes over arrays ------------------------------------------------------------------


class _Passed:
    """A closure worked out in passes: its levels by skill number."""

    def __init__(
        self, index: GraphIndex, profile: Profile, stated: dict[str, int], role: str | None
    ):
        arrays = skill_arrays(index)
        number = arrays.number
        levels = arrays.levels(stated.items())
        is_stated = np.zeros(len(levels), dtype=bool)
        is_stated[[number[s] for s in stated]] = True
        # A stated skill is never raised: its links ask nothing.
        asked = np.where(is_stated[arrays.pre], 0, arrays.asked).astype(np.int8)
        _passes(arrays, levels, asked, 0)
        by_role = np.zeros(len(levels), dtype=bool)
        if role is not None:
            raised = _role_raises(index, profile, role, lambda s: int(levels[number[s]]), stated)
            if raised:
                rows = np.array([number[s] for s in raised], dtype=np.intp)
                wanted = np.array(list(raised.values()), dtype=np.int8)
                levels[rows] = wanted
                _passes(arrays, levels, asked, int(arrays.first_pass[rows].min()))
                by_role[rows[levels[rows] == wanted]] = True  # a prerequisite asking more says why
        # (no reference to the index: a closure is kept in the index's own caches)
        self._arrays, self._shared = arrays, _PREREQ_ORIGINS(index)
        self._closed_levels = _CLOSED_LEVELS(index)
        self._profile, self._role = profile, role
        self._levels = _read_only(levels)
        self._stated, self._by_role = is_stated, by_role
        self._closed: Profile | None = None

    def levels(self) -> np.ndarray:
        return self._levels

    def profile(self) -> Profile:
        if self._closed is None:
            closed = self._make_profile()
            # What asks for the closure's levels next has them without thousands of lookups.
            self._closed_levels.get(closed, lambda: self._levels)
            self._closed = closed
        return self._closed

    @gc_paused()  # thousands of implied levels: no collections while they are added
    def _make_profile(self) -> Profile:
        arrays = self._arrays
        levels = self._levels
        rows = np.flatnonzero(levels > 0)  # (a mask: nonzero on bytes is slow)
        held = dict(zip(arrays.name_array[rows].tolist(), levels[rows].tolist(), strict=True))
        return Profile.adopt_closure(self._profile, held, self._origins(arrays))

    def _origins(self, arrays: SkillArrays) -> dict[str, Origin]:
        levels, is_stated = self._levels, self._stated
        implied = (levels > 0) & ~is_stated
        needs_source = implied & ~self._by_role
        dep, pre = arrays.dep, arrays.pre
        candidate = np.flatnonzero(
            needs_source[pre] & (levels[dep] > 0) & (arrays.asked == levels[pre])
        )
        n = len(levels)
        # The source: a stated skill first, then the first by number (name order).
        deps = dep[candidate]
        key = np.where(is_stated[deps], deps, deps + n)
        best = np.full(n, 2 * n, dtype=np.intp)
        np.minimum.at(best, pre[candidate], key)
        rows = np.flatnonzero(implied)
        source = best[rows] % n
        why = np.empty(len(rows), dtype=object)
        by_role = self._by_role[rows]
        if by_role.any():
            why[by_role] = Origin("role", self._role or "")
        why[~by_role] = self._shared[source[~by_role]]
        return dict(zip(arrays.name_array[rows].tolist(), why.tolist(), strict=True))


def _passes(arrays: SkillArrays, levels: np.ndarray, asked: np.ndarray, first: int) -> None:
    """Raise every prerequisite of a held skill to the level it asks, transitively: one pass
    per height of the prerequisite graph, from ``first`` down (see :mod:`skilltree.arrays`)."""
    for dep, pre, start, stop in arrays.passes[first:]:
        # A link of a skill not held asks 0: no change (cheaper than leaving it out).
        np.maximum.at(levels, pre, asked[start:stop] * (levels[dep] > 0))


# --- both ways ------------------------------------------------------------------------------


def _closed_profile(profile: Profile, held: dict[str, int], origins: dict[str, Origin]) -> Profile:
    """The closed profile: ``profile``'s role and choices with the closure's levels."""
    return Profile(
        held,
        profile.role,
        prefer=profile.prefer,
        avoid=profile.avoid,
        learning=profile.learning,
        assume_role=profile.assume_role,
        origins=origins,
        closed=True,
    )


def _role_raises(
    index: GraphIndex,
    profile: Profile,
    role: str,
    level_of: Callable[[str], int],
    stated: Collection[str],
) -> dict[str, int]:
    """What holding ``role`` raises, skill → level: the skills it asks at their levels, and its
    groups filled (see module), given the levels held so far."""
    raised: dict[str, int] = {}

    def have(skill: str) -> int:
        return raised[skill] if skill in raised else level_of(skill)

    for req in index.requirements(role):
        if not req.is_group:
            if req.node not in stated and have(req.node) < req.level:
                raised[req.node] = req.level
            continue
        needs = {o: index.option_need(req.level, lv) for o, lv in index.options[req.node]}
        held = [o for o, need in needs.items() if have(o) >= need]
        missing = req.pick - len(held)
        if missing <= 0:
            continue
        preferred = index.preferred.get(req.node)
        candidates = sorted(
            (o for o in needs if o not in held and o not in stated and o not in profile.avoid),
            key=lambda o: (
                o not in profile.prefer,
                o != preferred,
                sum(index.hours[o][: needs[o]]),
                o,
            ),
        )
        for option in candidates[:missing]:
            raised[option] = max(have(option), needs[option])
    return raised
