"""The learning plan: the cheapest set of (skill, level) steps that makes a profile fit a role.

A plan starts from what the profile implies (:func:`skilltree.closure.implied`), meets every
essential requirement of the target (optional ones too on request), pulls in every
prerequisite of what it teaches, and counts a step shared by several needs once. The only
choices are which options fill each "any k of" group; a choice costs the hours of the union of
everything it pulls in, so an option whose prerequisites you already have (Django when you know
Python) or that shares them with the rest of the plan comes out cheaper.

How the choice is made: the fixed requirements' closure first (no choice there), then the
residual group choice by :func:`skilltree.solver.solve` — reductions, a search with a budget on
effort, and a MILP (HiGHS) where the search runs out. ``Plan.exact`` is true only when a method
proved the total minimal; otherwise ``Plan.bound`` is the proven lower bound and ``Plan.gap``
how far above it the plan may be. The person's stack rules: options they prefer fill a group
whenever they can (even when dearer), options they avoid are used only when nothing else can
meet the group (and the plan says so); a group's recommended option wins ties.

Steps come rung by rung along the ladder to the target (a milestone per rung), each in an order
that respects every prerequisite and lower level, basics first.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import networkx as nx

from .closure import implied
from .coverage import Readiness, readiness
from .gcpause import gc_paused
from .index import GraphIndex, PerIndex, Recent, Requirement, index_of
from .profile import Profile
from .solver import PLAN_TIME_LIMIT, SEARCH_BUDGET, GroupSpec, OptionSpec, solve
from .steps import Reason, Step, StepKey, Steps, closure, order, steps_of

__all__ = [
    "PLAN_TIME_LIMIT",
    "SEARCH_BUDGET",
    "Milestone",
    "Plan",
    "Reason",
    "Step",
    "path_to",
    "plan",
]


@dataclass(frozen=True, slots=True)
class Milestone:
    """A rung on the way: ``role`` is met once the first ``step`` steps are done."""

    role: str
    name: str
    step: int
    hours: float


@dataclass(frozen=True)
class Plan:
    """A learning plan toward ``target``.

    ``choices`` maps each group requirement to the options that fill it, ``notes`` says why each
    was chosen, ``warnings`` what the plan could not do as the person asked (an avoided skill it
    still needs). ``held`` is the profile the plan starts from: what the person stated, implied
    and assumed (see :func:`skilltree.closure.implied`). ``exact`` says whether ``total_hours``
    is a proven minimum; ``bound`` is the proven lower bound (equal to the total when exact) and
    ``method`` what proved it.
    """

    target: str
    target_name: str
    readiness: Readiness
    steps: Steps
    total_hours: float
    exact: bool
    bound: float
    method: str
    optional: bool
    choices: Mapping[str, tuple[str, ...]]
    notes: Mapping[str, tuple[str, ...]]
    warnings: tuple[str, ...]
    milestones: tuple[Milestone, ...]
    combinations: int
    held: Profile

    @property
    def skills(self) -> frozenset[str]:
        return self.steps.skills

    @property
    def gap(self) -> float:
        """How far above the minimum the plan may be, as a fraction of its hours (0 if exact)."""
        if self.exact or self.total_hours <= 0:
            return 0.0
        return max(self.total_hours - self.bound, 0.0) / self.total_hours


PlanKey = tuple[Profile, str, bool, float, int]
_PLANS: PerIndex[Recent[PlanKey, Plan]] = PerIndex(lambda _index: Recent(64))
_PATHS: PerIndex[Recent[tuple[Profile, str], Steps]] = PerIndex(lambda _index: Recent(64))


def plan(
    G: nx.DiGraph,
    profile: Profile,
    target: str,
    *,
    optional: bool = False,
    time_limit: float = PLAN_TIME_LIMIT,
    search_budget: int = SEARCH_BUDGET,
) -> Plan:
    """The minimum-hours learning plan that makes ``profile`` meet ``target``'s requirements.

    Parameters
    ----------
    G : a graph from :func:`skilltree.load_graph`.
    profile : what the person has and prefers; the plan starts from its closure.
    target : a role id.
    optional : meet the optional requirements too.
    time_limit : seconds the group choice may take; past it the best plan found is returned,
        not exact, with its proven bound.
    search_budget : search nodes before the MILP solver takes over.

    Raises
    ------
    UnknownIdError
        When ``target`` is not a role of the graph.

    Examples
    --------
    >>> p = plan(G, Profile({"python": 2}), "junior")
    >>> p.choices["backend-language"], p.choices["web-framework"], p.exact
    (('python',), ('flask',), True)
    >>> plan(G, Profile({"python": 2}, prefer={"django"}), "junior").notes["web-framework"]
    ('chosen: Django, which you prefer',)
    """
    index = index_of(G)
    index.check(target, "role")
    profile = implied(G, profile)
    key = (profile, target, optional, time_limit, search_budget)
    return _PLANS(index).get(
        key, lambda: _plan(G, index, profile, target, optional, time_limit, search_budget)
    )


@dataclass
class _Group:
    req: Requirement
    needs: dict[str, int]
    extra: dict[str, dict[str, int]]


# A deep plan makes tens of thousands of short-lived objects: collections while they live would
# move them to the oldest generation, whose growth sets off full passes over the whole ladder.
@gc_paused()
def _plan(
    G: nx.DiGraph,
    index: GraphIndex,
    profile: Profile,
    target: str,
    optional: bool,
    time_limit: float,
    search_budget: int,
) -> Plan:
    names = index.names
    reqs = list(index.targets(target, optional))
    warnings: list[str] = []
    fixed = [(r.node, r.level) for r in reqs if not r.is_group]
    for skill, level in fixed:
        if skill in profile.avoid and profile.level(skill) < level:
            warnings.append(
                f"{names[target]} needs {names[skill]} at level {level}, which you avoid: a "
                "required skill has no alternative, so it stays in the plan"
            )
    base_need = closure(index, profile, fixed)

    # Steps numbered for the solver.
    ids: dict[StepKey, int] = {}
    hours: list[float] = []

    def number(keys: Sequence[StepKey]) -> frozenset[int]:
        out = []
        for k in keys:
            n = ids.get(k)
            if n is None:
                n = ids[k] = len(hours)
                hours.append(index.step_hours(*k))
            out.append(n)
        return frozenset(out)

    base = number(steps_of(profile, base_need))
    groups: list[_Group] = []
    specs: list[GroupSpec] = []
    for r in reqs:
        if not r.is_group:
            continue
        needs = {o: index.option_need(r.level, lv) for o, lv in index.options[r.node]}
        extra = {o: closure(index, profile, [(o, need)], base_need) for o, need in needs.items()}
        recommended = index.preferred.get(r.node)
        options = tuple(
            OptionSpec(
                # The recommended option sorts first, so that it wins ties.
                ("0" if o == recommended else "1") + o,
                number(steps_of(profile, extra[o], base_need)),
                preferred=o in profile.prefer,
                avoided=o in profile.avoid,
            )
            for o in needs
        )
        groups.append(_Group(r, needs, extra))
        specs.append(GroupSpec(r.node, r.pick, options))
    solution = solve(
        hours, base, specs, time_limit=max(time_limit, 0.0), search_budget=search_budget
    )

    chosen_keys = set(steps_of(profile, base_need))
    choices: dict[str, tuple[str, ...]] = {}
    chosen_needs: dict[str, list[tuple[str, int]]] = {}
    forced = {(g, k[1:]) for g, k in solution.forced_avoided}
    notes: dict[str, tuple[str, ...]] = {}
    for group, picked in zip(groups, solution.picks, strict=True):
        chosen = tuple(sorted(k[1:] for k in picked))
        g = group.req.node
        choices[g] = chosen
        for o in chosen:
            chosen_keys.update(steps_of(profile, group.extra[o], base_need))
            chosen_needs.setdefault(o, []).append((g, group.needs[o]))
        notes[g] = tuple(_why_chosen(index, profile, group, o, forced) for o in chosen)
        for o in chosen:
            if (g, o) in forced:
                warnings.append(
                    f"{names[g]}: you avoid every option that could meet it, so the plan uses "
                    f"{names[o]}"
                )

    milestones_for, phase = _phases(index, profile, target, optional, choices, chosen_keys)
    ordered = order(index, chosen_keys, phase)
    direct = {r.node: r for r in reqs if not r.is_group}
    planned = {skill for skill, _level in chosen_keys}

    def explain(skill: str, level: int) -> tuple[Reason, ...]:
        return _reasons(index, planned, direct, chosen_needs, notes, target, skill, level)

    steps = Steps(index, ordered, explain)
    position = {k: n for n, k in enumerate(ordered, 1)}
    milestones = []
    last = 0
    for role, keys, grows in milestones_for:
        here = max((position[k] for k in keys), default=0)
        last = max(last, here) if grows else here
        if last:
            milestones.append(Milestone(role, names[role], last, steps.cumulative(last)))
    if ordered:
        milestones.append(Milestone(target, names[target], len(ordered), steps.total_hours))
    total = steps.total_hours
    return Plan(
        target=target,
        target_name=names[target],
        readiness=readiness(G, profile, target),
        steps=steps,
        total_hours=total,
        exact=solution.exact,
        bound=total if solution.exact else min(solution.bound, total),
        method=solution.method,
        optional=optional,
        choices=MappingProxyType(choices),
        notes=MappingProxyType(notes),
        warnings=tuple(warnings),
        milestones=tuple(_dedupe(milestones)),
        combinations=math.prod(math.comb(len(s.options), s.pick) for s in specs),
        held=profile,
    )


def _dedupe(milestones: list[Milestone]) -> list[Milestone]:
    """One milestone per step count: the highest rung reached at that point."""
    out: dict[int, Milestone] = {}
    for m in milestones:
        out[m.step] = m
    return sorted(out.values(), key=lambda m: m.step)


def _why_chosen(
    index: GraphIndex, profile: Profile, group: _Group, option: str, forced: set[tuple[str, str]]
) -> str:
    name = index.names[option]
    g = group.req.node
    if (g, option) in forced:
        return f"chosen: {name}, although you avoid it: nothing else can meet it"
    if option in profile.prefer:
        return f"chosen: {name}, which you prefer"
    if profile.level(option) >= group.needs[option]:
        origin = profile.origins.get(option)
        if origin is None:
            return f"chosen: {name}, which you already have"
        if origin.kind == "role":
            return f"chosen: {name}, assumed from your role"
        source = index.names.get(origin.source, origin.source)
        return f"chosen: {name}, which you have (implied by {source})"
    if not group.extra[option]:
        return f"chosen: {name}, which the plan teaches for another requirement anyway"
    if index.preferred.get(g) == option:
        return f"chosen: {name}, the recommended option"
    return f"chosen: {name}, the cheapest way to meet it with the rest of the plan"


def _phases(
    index: GraphIndex,
    profile: Profile,
    target: str,
    optional: bool,
    choices: Mapping[str, tuple[str, ...]],
    keys: set[StepKey],
) -> tuple[list[tuple[str, set[StepKey], bool]], dict[StepKey, int]]:
    """The steps each rung below the target needs (from the plan's own steps), and the phase of
    each step: the first rung on the way that needs it. A rung's flag says that it asks all the
    rung before it asked: its steps are then only those beyond that rung's."""
    path = index.ladder_path(index.start_for(target, profile.role), target) or [target]
    rungs: list[tuple[str, set[StepKey], bool]] = []
    phase: dict[StepKey, int] = {}
    # A rung usually asks all that the rung below asked and more: its closure is then the one
    # below plus what the new requirements pull in, not a new walk of every prerequisite.
    need: dict[str, int] = {}
    asked: dict[str, int] = {}
    for n, role in enumerate(path[:-1]):
        wanted: list[StepKey] = []
        for r in index.targets(role, optional):
            if not r.is_group:
                wanted.append((r.node, r.level))
                continue
            options = [
                (o, index.option_need(r.level, index.option_level[r.node, o]))
                for o in choices.get(r.node, ())
            ]
            if len(options) > r.pick:
                # The plan chose more options than this rung asks (a higher rung asks more):
                # the rung counts the ones of fewest planned steps.
                cost = {
                    o: len(set(steps_of(profile, closure(index, profile, [(o, lv)]))) & keys)
                    for o, lv in options
                }
                options.sort(key=lambda item: (cost[item[0]], item[0]))
            wanted.extend(options[: r.pick])
        demands: dict[str, int] = {}
        for skill, level in wanted:
            if level > demands.get(skill, 0):
                demands[skill] = level
        grows = all(demands.get(s, 0) >= level for s, level in asked.items())
        if grows:
            new = [(s, lv) for s, lv in demands.items() if lv > asked.get(s, 0)]
            delta = closure(index, profile, new, need)
            mine = set(steps_of(profile, delta, need)) & keys
            need.update(delta)
        else:
            need = closure(index, profile, demands.items())
            mine = set(steps_of(profile, need)) & keys
        asked = demands
        rungs.append((role, mine, grows))
        for k in mine:
            phase.setdefault(k, n)
    for k in keys:
        phase.setdefault(k, len(path))
    return rungs, phase


def _reasons(
    index: GraphIndex,
    planned: set[str],
    direct: Mapping[str, Requirement],
    chosen_needs: Mapping[str, Sequence[tuple[str, int]]],
    notes: Mapping[str, tuple[str, ...]],
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
            why = next((n for n in notes.get(group, ()) if names[skill] in n), "chosen")
            out.append(
                Reason(
                    "option",
                    group,
                    need,
                    f"{why.replace('chosen: ', 'chosen for ' + names[group] + ': ', 1)} "
                    f"(level {need})",
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


def path_to(G: nx.DiGraph, profile: Profile, node: str) -> Steps:
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


@gc_paused()
def _path_to(G: nx.DiGraph, index: GraphIndex, profile: Profile, node: str) -> Steps:
    kind = index.kinds[node]
    if kind == "role":
        return plan(G, profile, node).steps
    if kind == "skill":
        level = profile.level(node) + 1
        if level > index.top_level(node):
            return Steps(index, ())
        targets = [(node, level)]
    elif kind == "group":
        candidates = sorted(
            (sum(index.step_hours(*k) for k in steps_of(profile, closure(index, profile, [t]))), t)
            for t in index.options[node]
        )
        targets = [candidates[0][1]] if candidates else []
    else:
        return Steps(index, ())
    keys = order(index, steps_of(profile, closure(index, profile, targets)))
    goal = targets[0][0] if targets else node
    names = index.names

    def explain(skill: str, level: int) -> tuple[Reason, ...]:
        needed = [
            Reason("prerequisite", d, lv, f"{names[d]} needs {names[skill]} at level {lv}")
            for d, lv in index.dependents[skill]
            if lv >= level and any(k[0] == d for k in keys)
        ]
        if skill == goal and not needed:
            return (
                Reason(
                    "requirement",
                    node,
                    level,
                    f"the step you asked for: {names[goal]} level {level}",
                ),
            )
        return tuple(needed)

    return Steps(index, keys, explain)
