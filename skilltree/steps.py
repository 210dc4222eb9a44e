"""Steps of learning: what a set of targets pulls in, in which order, and why each step is there.

A *step* is one level of one skill, ``(skill, level)``. :func:`closure` works out the steps a
set of targets needs from a profile, prerequisites included; :func:`order` puts steps in a valid
learning order; :class:`Steps` holds an ordered plan compactly and builds each
:class:`Step` (with its :class:`Reason` s) only when it is read, so that a plan of ten thousand
steps costs a few arrays, not ten thousand objects for the garbage collector to walk.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, overload

from .index import GraphIndex
from .profile import Profile

__all__ = ["Reason", "Step", "StepKey", "Steps", "closure", "order", "step_keys", "steps_of"]

StepKey = tuple[str, int]


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a step is in a plan.

    ``kind`` is ``requirement`` (the target needs ``node`` at ``level``), ``option`` (the skill
    was chosen to fill group ``node``) or ``prerequisite`` (skill ``node`` in the plan needs this
    one at ``level``). ``text`` says it in words.
    """

    kind: Literal["requirement", "option", "prerequisite"]
    node: str
    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Step:
    """Learn ``skill`` from ``from_level`` to ``to_level`` (one level) in about ``hours``."""

    skill: str
    name: str
    from_level: int
    to_level: int
    hours: float
    cumulative_hours: float
    reasons: tuple[Reason, ...]


def closure(
    index: GraphIndex,
    profile: Profile,
    targets: Iterable[StepKey],
    base: Mapping[str, int] | None = None,
) -> dict[str, int]:
    """Level needed per skill to reach ``targets`` from ``profile``, prerequisites included.

    Only skills that need new steps appear; a skill the profile already has at the level asked
    pulls in none of its prerequisites. With ``base`` (an earlier closure), only what goes
    beyond it is explored and returned: the base's skills already pulled in their prerequisites.
    """
    base = base or {}
    need: dict[str, int] = {}
    stack = list(targets)
    while stack:
        skill, level = stack.pop()
        floor = max(profile.level(skill), base.get(skill, 0), need.get(skill, 0))
        if level <= floor:
            continue
        first_time = skill not in need and skill not in base
        need[skill] = level
        if first_time:
            stack.extend(index.prereqs[skill])
    return need


def steps_of(
    profile: Profile, need: Mapping[str, int], base: Mapping[str, int] | None = None
) -> list[StepKey]:
    """The steps that take each skill of ``need`` from where it is to the level needed."""
    base = base or {}
    return [
        (skill, level)
        for skill, top in need.items()
        for level in range(max(profile.level(skill), base.get(skill, 0)) + 1, top + 1)
    ]


def order(
    index: GraphIndex, keys: Iterable[StepKey], phase: Mapping[StepKey, int] | None = None
) -> list[StepKey]:
    """``keys`` in a valid learning order (Kahn's algorithm).

    Each step follows the lower levels of its skill and the prerequisites it needs; among the
    steps ready at a time, the lowest ``phase`` comes first (a milestone's steps before the
    next one's), then basics before deeper levels, shallow skills before deep ones, then by id.
    A recommended order (``after`` links) holds where it does not pull a step out of its phase.
    """
    phase = phase or {}
    # The planned levels of each skill, lowest first.
    levels: dict[str, list[int]] = {}
    for skill, level in set(keys):
        levels.setdefault(skill, []).append(level)
    after: dict[StepKey, list[StepKey]] = {}
    waiting: dict[StepKey, int] = {}
    for skill, planned in levels.items():
        planned.sort()
        first = (skill, planned[0])
        # Only the first planned level of a skill waits for other skills: each higher level
        # waits for the one below it, which already waited for them.
        before: list[StepKey] = []
        for pre, pre_level in index.prereqs[skill]:
            # The highest planned level needed is enough: lower ones come before it anyway.
            got = levels.get(pre)
            if got is not None:
                top = max((lv for lv in got if lv <= pre_level), default=0)
                if top:
                    before.append((pre, top))
        for soft in index.after.get(skill, ()):
            # The first planned level of a skill starts once the skills it follows are started.
            got = levels.get(soft)
            if got is not None:
                start = (soft, min(got))
                if phase.get(start, 0) <= phase.get(first, 0):
                    before.append(start)
        for b in before:
            after.setdefault(b, []).append(first)
        waiting[first] = len(before)
        previous = first
        for level in planned[1:]:
            key = (skill, level)
            after.setdefault(previous, []).append(key)
            waiting[key] = 1
            previous = key

    depth = index.depth

    def rank(k: StepKey) -> tuple[int, int, int, str, int]:
        return (phase.get(k, 0), k[1], depth(k[0]), k[0], k[1])

    heap = [rank(k) for k, n in waiting.items() if n == 0]
    heapq.heapify(heap)
    out: list[StepKey] = []
    empty: list[StepKey] = []
    while heap:
        item = heapq.heappop(heap)
        key = (item[3], item[4])
        out.append(key)
        for nxt in after.get(key, empty):
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                heapq.heappush(heap, rank(nxt))
    return out


#: Builds the reasons of one step: (skill, level) → reasons.
Explain = Callable[[str, int], tuple[Reason, ...]]


def step_keys(steps: Sequence[Step]) -> list[StepKey]:
    """The (skill, level) of each step, in order, without building the steps of a :class:`Steps`
    (each one built explains itself: thousands of reasons on a deep plan)."""
    if isinstance(steps, Steps):
        return steps.keys
    return [(s.skill, s.to_level) for s in steps]


class Steps(Sequence[Step]):
    """Ordered steps held as arrays; each :class:`Step` is built when it is read.

    Compares equal to any sequence of the same steps (a tuple included).
    """

    __slots__ = ("_cumulative", "_explain", "_hours", "_levels", "_names", "_skills")

    def __init__(
        self,
        index: GraphIndex,
        keys: Sequence[StepKey],
        explain: Explain | None = None,
    ):
        self._skills: tuple[str, ...] = tuple(k[0] for k in keys)
        self._levels = bytes(k[1] for k in keys)
        self._hours = array("d", (index.step_hours(*k) for k in keys))
        total = 0.0
        cumulative = array("d")
        for h in self._hours:
            total += h
            cumulative.append(total)
        self._cumulative = cumulative
        self._names = index.names
        self._explain = explain

    def __len__(self) -> int:
        return len(self._skills)

    @overload
    def __getitem__(self, i: int) -> Step: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[Step, ...]: ...

    def __getitem__(self, i: int | slice) -> Step | tuple[Step, ...]:
        if isinstance(i, slice):
            return tuple(self._step(j) for j in range(*i.indices(len(self))))
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._step(i)

    def __iter__(self) -> Iterator[Step]:
        return (self._step(j) for j in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Steps({len(self)} steps, {self.total_hours:g} h)"

    def _step(self, j: int) -> Step:
        skill, level = self._skills[j], self._levels[j]
        reasons = self._explain(skill, level) if self._explain is not None else ()
        return Step(
            skill,
            self._names[skill],
            level - 1,
            level,
            self._hours[j],
            self._cumulative[j],
            reasons,
        )

    @property
    def keys(self) -> list[StepKey]:
        """The (skill, level) of each step, in order."""
        return list(zip(self._skills, self._levels, strict=True))

    @property
    def skills(self) -> frozenset[str]:
        """Every skill the steps teach."""
        return frozenset(self._skills)

    @property
    def total_hours(self) -> float:
        return self._cumulative[-1] if self._cumulative else 0.0

    def cumulative(self, j: int) -> float:
        """Hours of the first ``j`` steps (0 for none)."""
        return self._cumulative[j - 1] if j > 0 else 0.0
