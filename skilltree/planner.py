"""The learning plan: the cheapest set of (skill, level) steps that makes a profile fit a role.

A plan meets every essential requirement of the target (optional ones too on request), pulls in
every prerequisite of what it teaches, and counts a step shared by several needs once. The only
choices are which options fill each "any k of" group; the cost of a choice is the total hours of
the union of everything it pulls in, so an option whose prerequisites you already have (Django
when you know Python) or that shares them with the rest of the plan comes out cheaper.

How the choice is made:

1. Each option's steps are worked out beyond what the fixed requirements already pull in. An
   option is dropped when at least k other options of its group need a subset of its steps
   (they can never cost more).
2. If the remaining combinations number at most ``EXACT_LIMIT``, a depth-first search over them,
   pruned by the best total found so far (totals only grow), gives a proven minimum
   (``Plan.exact`` is True).
3. Otherwise a greedy choice (cheapest marginal option first), improved group by group until no
   single group's choice can be bettered given the others. The result is feasible but not proven
   minimal, and ``Plan.exact`` is False.

Steps come in an order that respects every prerequisite and every lower level of the same skill,
basics first (level, then prerequisite depth, then name break ties).
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

import networkx as nx

from .closure import implied
from .coverage import Readiness, readiness
from .index import GraphIndex, PerIndex, Recent, Requirement, index_of
from .profile import Profile

__all__ = [
    "EXACT_LIMIT",
    "Plan",
    "Reason",
    "Step",
    "path_to",
    "plan",
]

EXACT_LIMIT = 20_000

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


@dataclass(frozen=True, slots=True)
class Plan:
    """A learning plan toward ``target``.

    ``choices`` maps each group requirement to the options the plan fills it with. ``exact`` says
    whether ``total_hours`` is a proven minimum.
    """

    target: str
    target_name: str
    readiness: Readiness
    steps: tuple[Step, ...]
    total_hours: float
    exact: bool
    optional: bool
    choices: Mapping[str, tuple[str, ...]]
    combinations: int

    @property
    def skills(self) -> frozenset[str]:
        return frozenset(step.skill for step in self.steps)


# --- closures --------------------------------------------------------------------------------


def _closure(
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


def _steps_of(
    profile: Profile, need: Mapping[str, int], base: Mapping[str, int] | None = None
) -> list[StepKey]:
    base = base or {}
    return [
        (skill, level)
        for skill, top in need.items()
        for level in range(max(profile.level(skill), base.get(skill, 0)) + 1, top + 1)
    ]


class _Universe:
    """Steps numbered as bits, so that unions and their costs are cheap."""

    def __init__(self, index: GraphIndex):
        self.index = index
        self.bit: dict[StepKey, int] = {}
        self.keys: list[StepKey] = []
        self.hours: list[float] = []

    def mask(self, steps: Iterable[StepKey]) -> int:
        bits = []
        for key in steps:
            b = self.bit.get(key)
            if b is None:
                b = len(self.keys)
                self.bit[key] = b
                self.keys.append(key)
                self.hours.append(self.index.step_hours(*key))
            bits.append(b)
        if not bits:
            return 0
        # Setting bits one by one in a growing int is quadratic; a byte array is not.
        raw = bytearray(max(bits) // 8 + 1)
        for b in bits:
            raw[b >> 3] |= 1 << (b & 7)
        return int.from_bytes(raw, "little")

    def cost(self, m: int) -> float:
        total = 0.0
        hours = self.hours
        while m:
            low = m & -m
            total += hours[low.bit_length() - 1]
            m ^= low
        return total

    def keys_of(self, m: int) -> list[StepKey]:
        out = []
        while m:
            low = m & -m
            out.append(self.keys[low.bit_length() - 1])
            m ^= low
        return out


@dataclass
class _GroupChoice:
    req: Requirement
    pick: int
    options: list[str]
    masks: list[int]


def _prune_dominated(group: _GroupChoice) -> None:
    """Drop options that k others never cost more than (their steps are a subset)."""
    keep_options, keep_masks = [], []
    n = len(group.options)
    for i in range(n):
        mi = group.masks[i]
        dominators = 0
        for j in range(n):
            if i == j:
                continue
            mj = group.masks[j]
            if mj & ~mi == 0 and (mj != mi or j < i):
                dominators += 1
                if dominators >= group.pick:
                    break
        if dominators < group.pick:
            keep_options.append(group.options[i])
            keep_masks.append(mi)
    group.options, group.masks = keep_options, keep_masks


def _combos(group: _GroupChoice) -> list[tuple[tuple[int, ...], int]]:
    out = []
    for combo in itertools.combinations(range(len(group.options)), group.pick):
        m = 0
        for i in combo:
            m |= group.masks[i]
        out.append((combo, m))
    return out


def _search_exact(
    universe: _Universe, base: int, groups: Sequence[_GroupChoice]
) -> list[tuple[int, ...]]:
    combos = [_combos(g) for g in groups]
    best_cost = math.inf
    best: list[tuple[int, ...]] = []
    chosen: list[tuple[int, ...]] = []

    def visit(depth: int, union: int, cost: float) -> None:
        nonlocal best_cost, best
        if cost >= best_cost:
            return
        if depth == len(groups):
            best_cost, best = cost, list(chosen)
            return
        # Cheapest marginal combination first, so a good bound is found early.
        ranked = sorted(
            ((universe.cost(m & ~union), combo, m) for combo, m in combos[depth]),
            key=lambda item: (item[0], item[1]),
        )
        for extra, combo, m in ranked:
            chosen.append(combo)
            visit(depth + 1, union | m, cost + extra)
            chosen.pop()

    visit(0, base, universe.cost(base))
    return best


def _choose_for(universe: _Universe, union: int, group: _GroupChoice) -> tuple[int, ...]:
    """The group's ``pick`` options added one at a time, cheapest marginal first."""
    chosen: list[int] = []
    for _ in range(group.pick):
        best = min(
            (i for i in range(len(group.options)) if i not in chosen),
            key=lambda i: (universe.cost(group.masks[i] & ~union), group.options[i]),
        )
        chosen.append(best)
        union |= group.masks[best]
    return tuple(sorted(chosen))


def _search_heuristic(
    universe: _Universe, base: int, groups: Sequence[_GroupChoice]
) -> list[tuple[int, ...]]:
    def mask_of(gi: int, combo: tuple[int, ...]) -> int:
        m = 0
        for i in combo:
            m |= groups[gi].masks[i]
        return m

    choice: list[tuple[int, ...]] = []
    union = base
    for group in groups:
        combo = _choose_for(universe, union, group)
        choice.append(combo)
        for i in combo:
            union |= group.masks[i]
    for _sweep in range(10):
        improved = False
        for gi, group in enumerate(groups):
            others = base
            for gj, combo in enumerate(choice):
                if gj != gi:
                    others |= mask_of(gj, combo)
            current = universe.cost(mask_of(gi, choice[gi]) & ~others)
            candidate = _choose_for(universe, others, group)
            if universe.cost(mask_of(gi, candidate) & ~others) < current:
                choice[gi] = candidate
                improved = True
        if not improved:
            break
    return choice


# --- the plan --------------------------------------------------------------------------------

PlanKey = tuple[Profile, str, bool, int]
PathKey = tuple[Profile, str]
# Plans are immutable and asked for again and again (a click, the next steps, a route): the last
# few are kept per graph.
_PLANS: PerIndex[Recent[PlanKey, Plan]] = PerIndex(lambda _index: Recent(64))
_PATHS: PerIndex[Recent[PathKey, tuple[Step, ...]]] = PerIndex(lambda _index: Recent(64))


def plan(
    G: nx.DiGraph,
    profile: Profile,
    target: str,
    *,
    optional: bool = False,
    exact_limit: int = EXACT_LIMIT,
) -> Plan:
    """The minimum-hours learning plan that makes ``profile`` meet ``target``'s requirements.

    Parameters
    ----------
    G : a graph from :func:`skilltree.load_graph`.
    profile : what the person has.
    target : a role id.
    optional : meet the optional requirements too.
    exact_limit : the most group-choice combinations searched exhaustively.

    Returns
    -------
    A :class:`Plan`: ordered steps with hours and reasons, the total, the group choices, and
    whether the total is a proven minimum.

    Raises
    ------
    UnknownIdError
        When ``target`` is not a role of the graph.

    Examples
    --------
    >>> from skilltree import load_graph
    >>> G = load_graph()
    >>> p = plan(G, Profile({"python": 2}), "junior")
    >>> p.choices["backend-language"], p.choices["web-framework"]
    (('python',), ('flask',))
    >>> any(step.skill == "python" and step.to_level <= 2 for step in p.steps)
    False
    """
    index = index_of(G)
    profile = implied(G, profile)
    return _PLANS(index).get(
        (profile, target, optional, exact_limit),
        lambda: _plan(G, index, profile, target, optional, exact_limit),
    )


def _plan(
    G: nx.DiGraph,
    index: GraphIndex,
    profile: Profile,
    target: str,
    optional: bool,
    exact_limit: int,
) -> Plan:
    reqs = list(index.targets(target, optional))
    universe = _Universe(index)
    fixed = [(r.node, r.level) for r in reqs if not r.is_group]
    base_need = _closure(index, profile, fixed)
    base = universe.mask(_steps_of(profile, base_need))

    groups: list[_GroupChoice] = []
    for r in reqs:
        if not r.is_group:
            continue
        options, masks = [], []
        for option, option_level in index.options[r.node]:
            need = index.option_need(r.level, option_level)
            extra = _closure(index, profile, [(option, need)], base_need)
            options.append(option)
            masks.append(universe.mask(_steps_of(profile, extra, base_need)))
        group = _GroupChoice(r, r.pick, options, masks)
        _prune_dominated(group)
        groups.append(group)
    # Few combinations first: better pruning near the root of the search.
    groups.sort(key=lambda g: (math.comb(len(g.options), g.pick), g.req.node))
    combinations = math.prod(math.comb(len(g.options), g.pick) for g in groups)
    exact = combinations <= exact_limit
    if exact:
        choice = _search_exact(universe, base, groups)
    else:
        choice = _search_heuristic(universe, base, groups)

    union = base
    choices: dict[str, tuple[str, ...]] = {}
    chosen_needs: dict[str, list[tuple[str, int]]] = {}
    for group, combo in zip(groups, choice, strict=True):
        picked = tuple(sorted(group.options[i] for i in combo))
        choices[group.req.node] = picked
        for i in combo:
            union |= group.masks[i]
        for option in picked:
            level = dict(index.options[group.req.node])[option]
            chosen_needs.setdefault(option, []).append(
                (group.req.node, index.option_need(group.req.level, level))
            )

    ordered = _order(index, profile, set(universe.keys_of(union)), reqs, chosen_needs, target)
    return Plan(
        target=target,
        target_name=index.names[target],
        readiness=readiness(G, profile, target),
        steps=ordered,
        total_hours=ordered[-1].cumulative_hours if ordered else 0.0,
        exact=exact,
        optional=optional,
        choices=MappingProxyType(choices),
        combinations=combinations,
    )


def _order(
    index: GraphIndex,
    profile: Profile,
    keys: set[StepKey],
    reqs: Sequence[Requirement],
    chosen_needs: Mapping[str, Sequence[tuple[str, int]]],
    target: str,
) -> tuple[Step, ...]:
    """Steps in a valid learning order (Kahn's algorithm), each with its reasons."""
    after: dict[StepKey, list[StepKey]] = {k: [] for k in keys}
    waiting: dict[StepKey, int] = dict.fromkeys(keys, 0)
    for key in keys:
        skill, level = key
        before = [(skill, level - 1)] if (skill, level - 1) in keys else []
        for pre, pre_level in index.prereqs[skill]:
            # The highest planned level needed is enough: lower ones come before it anyway.
            for lv in range(pre_level, 0, -1):
                if (pre, lv) in keys:
                    before.append((pre, lv))
                    break
        if not before or before[0] != (skill, level - 1):
            # A recommended order (``after``): start this skill once the other one is started.
            for soft in index.after.get(skill, ()):
                top = index.top_level(soft)
                first = next((lv for lv in range(1, top + 1) if (soft, lv) in keys), None)
                if first is not None:
                    before.append((soft, first))
        for b in before:
            after[b].append(key)
        waiting[key] = len(before)
    heap = [(k[1], index.depth(k[0]), k[0]) for k, n in waiting.items() if n == 0]
    heapq.heapify(heap)
    direct = {r.node: r for r in reqs if not r.is_group}
    planned = {skill for skill, _level in keys}
    steps: list[Step] = []
    total = 0.0
    while heap:
        level, _depth, skill = heapq.heappop(heap)
        hours = index.step_hours(skill, level)
        total += hours
        reasons = _reasons(index, planned, direct, chosen_needs, target, skill, level)
        steps.append(Step(skill, index.names[skill], level - 1, level, hours, total, reasons))
        for nxt in after[(skill, level)]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                heapq.heappush(heap, (nxt[1], index.depth(nxt[0]), nxt[0]))
    return tuple(steps)


def _reasons(
    index: GraphIndex,
    planned: set[str],
    direct: Mapping[str, Requirement],
    chosen_needs: Mapping[str, Sequence[tuple[str, int]]],
    target: str,
    skill: str,
    level: int,
) -> tuple[Reason, ...]:
    names = index.names
    out: list[Reason] = []
    req = direct.get(skill)
    if req is not None and req.level >= level:
        role = names[req.origin]
        out.append(
            Reason(
                "requirement",
                req.origin,
                req.level,
                f"{names[target]} needs {names[skill]} at level {req.level}"
                + (f" (from {role})" if req.origin != target else "")
                + ("" if req.importance == "essential" else ", optional"),
            )
        )
    for group, need in chosen_needs.get(skill, ()):
        if need >= level:
            out.append(
                Reason(
                    "option",
                    group,
                    need,
                    f"chosen for {names[group]} (level {need}), the cheapest way to meet it",
                )
            )
    for dependent, pre_level in index.dependents[skill]:
        if pre_level >= level and dependent in planned:
            out.append(
                Reason(
                    "prerequisite",
                    dependent,
                    pre_level,
                    f"{names[dependent]} needs {names[skill]} at level {pre_level}",
                )
            )
    return tuple(out)


def path_to(G: nx.DiGraph, profile: Profile, node: str) -> tuple[Step, ...]:
    """The cheapest ordered steps from ``profile`` to ``node``: the next level of a skill (with
    its missing prerequisites), the cheapest option of a group, or the plan to a role.

    Examples
    --------
    >>> from skilltree import load_graph
    >>> [s.skill for s in path_to(load_graph(), Profile({"python": 1}), "django")][-1]
    'django'
    """
    index = index_of(G)
    profile = implied(G, profile)
    if node not in index.kinds:
        index.check(node, "skill")
    return _PATHS(index).get((profile, node), lambda: _path_to(G, index, profile, node))


def _path_to(G: nx.DiGraph, index: GraphIndex, profile: Profile, node: str) -> tuple[Step, ...]:
    kind = index.kinds[node]
    if kind == "role":
        return plan(G, profile, node).steps
    if kind == "skill":
        level = profile.level(node) + 1
        if level > index.top_level(node):
            return ()
        targets = [(node, level)]
    elif kind == "group":
        universe = _Universe(index)
        candidates = [
            (universe.cost(universe.mask(_steps_of(profile, _closure(index, profile, [t])))), t)
            for t in index.options[node]
        ]
        targets = [min(candidates)[1]] if candidates else []
    else:
        return ()
    steps = _order(
        index, profile, set(_steps_of(profile, _closure(index, profile, targets))), [], {}, node
    )
    goal = targets[0][0] if targets else node
    return tuple(
        step
        if step.reasons or step.skill != goal
        else Step(
            step.skill,
            step.name,
            step.from_level,
            step.to_level,
            step.hours,
            step.cumulative_hours,
            (
                Reason(
                    "requirement",
                    node,
                    step.to_level,
                    f"the step you asked for: {index.names[goal]} level {step.to_level}",
                ),
            ),
        )
        for step in steps
    )
