"""What to learn next: the outer fringe of a profile, ranked by value per hour.

The fringe is the next level of every skill whose prerequisites the profile already meets (the
"ready" nodes of a topological sort, as graphlib's ``get_ready`` has them). Each candidate is
scored by what it brings per hour of effort:

* toward a target role: the readiness it adds for that role, plus the share of the remaining
  plan it saves (a step of the minimum plan saves its own hours; another step saves whatever
  the plan shrinks by once it is learnt). The plan's own steps rank before any other step;
* with no target: the readiness it adds across every role, each role weighted by the midpoint
  of its salary band relative to the best-paid role. A step that adds nothing by itself but
  opens one that does is scored as the two steps together.

Each suggestion carries a one-line reason a person can act on.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice

import networkx as nx
import numpy as np

from .arrays import SkillArrays, skill_arrays
from .closure import closure_levels, implied
from .coverage import requirement_credit, uses_table
from .index import GraphIndex, PerIndex, Requirement, index_of
from .model import DEFAULT_WEIGHTS
from .planner import plan
from .profile import Levels, Profile, Raised

__all__ = ["QUICK_WIN_HOURS", "Suggestion", "fringe", "next_steps"]

# Candidates outside the plan whose savings are measured by planning again, at most; and the
# plan size beyond which that is not tried (off-plan steps then rank by readiness alone).
REPLAN_LIMIT = 12
#: A step of at most this many hours is a quick win: listed apart, so that a string of small
#: steps does not crowd out the steps that make real progress.
QUICK_WIN_HOURS = 6.0
REPLAN_MAX_STEPS = 1500
# Rounding between a bound and the exact score summed in another order.
BOUND_SLACK = 1e-9


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Learn ``skill`` up to ``level`` (one level step) in about ``hours``.

    ``gain`` is the readiness it adds (for the target, or salary-weighted over every role),
    ``saved`` the plan hours it saves, ``score`` the value per hour used for ranking.
    ``essential`` says the step serves an essential requirement (of the target, or of some
    role); ``quick`` that it takes at most ``QUICK_WIN_HOURS`` — a quick win, shown apart from
    real progress.
    """

    skill: str
    name: str
    level: int
    hours: float
    score: float
    gain: float
    saved: float
    in_plan: bool
    reason: str
    essential: bool = True

    @property
    def quick(self) -> bool:
        return self.hours <= QUICK_WIN_HOURS


def _startable(index: GraphIndex, profile: Profile, skill: str) -> bool:
    return index.startable(skill, profile.level)


def _open(index: GraphIndex, profile: Profile, skill: str) -> int | None:
    """The next level of ``skill`` if the profile can start it now, else None."""
    level = profile.level(skill) + 1
    if level > index.top_level(skill) or not index.startable(skill, profile.level):
        return None
    return level


def fringe(G: nx.DiGraph, profile: Profile) -> list[tuple[str, int]]:
    """The (skill, next level) pairs the profile can start now, in graph order.

    >>> from skilltree import load_graph
    >>> ("python", 1) in fringe(load_graph(), Profile({"programming-fundamentals": 1}))
    True
    """
    index = index_of(G)
    profile = implied(G, profile)
    found = ((skill, _open(index, profile, skill)) for skill in index.hours)
    return [(skill, level) for skill, level in found if level is not None]


def _delta(index: GraphIndex, before: Levels, after: Levels, req: Requirement) -> float:
    return DEFAULT_WEIGHTS.of(req.importance) * (
        requirement_credit(index, after, req)[0] - requirement_credit(index, before, req)[0]
    )


def _salary_weights_of(index: GraphIndex) -> dict[str, float]:
    mids = {r: (band["min"] + band["max"]) / 2 for r, band in index.salary.items() if band}
    top = max(mids.values(), default=0.0)
    fallback = sorted(mids.values())[len(mids) // 2] if mids else 1.0
    return {r: (mids.get(r, fallback) / top if top else 1.0) for r in index.roles}


#: Each role's weight across roles: its salary midpoint over the best-paid role's.
_salary_weights: PerIndex[dict[str, float]] = PerIndex(_salary_weights_of)


def _per_unit_of(index: GraphIndex) -> dict[str, float]:
    return {role: 1.0 / (index.weight_total(role) or 1.0) for role in index.roles}


#: What one unit of requirement credit adds to a role's readiness.
_per_unit: PerIndex[dict[str, float]] = PerIndex(_per_unit_of)


def _role_factor_of(index: GraphIndex) -> dict[str, float]:
    weights, unit = _salary_weights(index), _per_unit(index)
    return {role: weights[role] * unit[role] for role in index.roles}


#: Each role's salary weight over the summed weights of its requirements: what one unit of
#: requirement credit for the role adds to the readiness across roles.
_role_factor: PerIndex[dict[str, float]] = PerIndex(_role_factor_of)


def _requirement_phrase(index: GraphIndex, role: str, req: Requirement, after: Levels) -> str:
    role_name = index.names[role]
    credit = requirement_credit(index, after, req)[0]
    what = index.names[req.node]
    if credit >= 1:
        return f"meets {role_name}'s “{what}” requirement (level {req.level})"
    return f"brings {role_name}'s “{what}” requirement (level {req.level}) closer"


def _known_prereqs(index: GraphIndex, profile: Profile, skill: str) -> str:
    known = [index.names[p] for p, _ in index.prereqs[skill] if profile.level(p) > 0]
    if not known:
        return ""
    listed = ", ".join(known[:-1]) + (" and " if len(known) > 1 else "") + known[-1]
    return f", and you already know {listed}"


#: A suggestion before its texts: skill, level, hours, why, score, gain, saved, in the plan,
#: essential.
Row = tuple[str, int, float, str, float, float, float, bool, bool]


def _suggestions(index: GraphIndex, profile: Profile, rows: list[Row]) -> list[Suggestion]:
    """Suggestions with their names and the line that explains each."""
    out = []
    for skill, level, hours, why, score, gain, saved, in_plan, essential in rows:
        name = index.names[skill]
        line = f"{name}, level {level}, about {hours:g} h — {why}"
        line += _known_prereqs(index, profile, skill)
        out.append(
            Suggestion(skill, name, level, hours, score, gain, saved, in_plan, line, essential)
        )
    return out


def next_steps(
    G: nx.DiGraph,
    profile: Profile,
    target: str | None = None,
    *,
    limit: int = 10,
    optional: bool = False,
) -> list[Suggestion]:
    """The best next steps for ``profile``, best first, at most ``limit`` of them.

    Parameters
    ----------
    G : a graph from :func:`skilltree.load_graph`.
    profile : what the person has.
    target : a role id to work toward; ``None`` ranks across every role by salary.
    limit : how many suggestions to return.
    optional : with a target, count its optional requirements in the plan too.

    Every suggestion is startable now: the profile meets its prerequisites.

    Raises
    ------
    UnknownIdError
        When a ``target`` is given that is not a role of the graph; the message names the
        closest role ids.

    Examples
    --------
    >>> first = next_steps(G, Profile({"python": 2, "http-fundamentals": 1}), "junior")[0]
    >>> first.in_plan
    True
    """
    index = index_of(G)
    profile = implied(G, profile)
    if target is not None:
        found = _toward(G, index, profile, target, optional)
    else:
        found = _across(index, profile, limit)
    # Toward a target, the steps of the cheapest plan come first: an option the plan passed over
    # may add readiness cheaply now, but it does not bring the target closer in hours.
    found.sort(key=lambda s: (not s.in_plan, not s.essential, -s.score, s.hours, s.skill))
    return found[: max(limit, 0)]


def _toward(
    G: nx.DiGraph, index: GraphIndex, profile: Profile, target: str, optional: bool
) -> list[Suggestion]:
    index.check(target, "role")
    base = plan(G, profile, target, optional=optional)
    total = base.total_hours
    reqs = [r for r in index.requirements(target) if optional or r.importance == "essential"]
    weight_total = index.weight_total(target, optional) or 1.0
    by_skill: dict[str, list[Requirement]] = {}
    for req in reqs:
        skills = [o for o, _ in index.options[req.node]] if req.is_group else [req.node]
        for skill in skills:
            by_skill.setdefault(skill, []).append(req)

    # Step positions, not Step objects: a plan of thousands of steps builds only those shown.
    planned = {key: n for n, key in enumerate(base.steps.keys)}
    essential_keys = (
        set(plan(G, profile, target, optional=False).steps.keys) if optional else set(planned)
    )
    candidates: dict[str, int] = {}
    for skill, level in planned:
        if level == profile.level(skill) + 1 and _startable(index, profile, skill):
            candidates[skill] = level
    for skill in by_skill:
        opened = _open(index, profile, skill)
        if opened is not None:
            candidates.setdefault(skill, opened)

    rows: list[Row] = []
    replans = 0
    for skill, level in candidates.items():
        hours = index.step_hours(skill, level)
        after = Raised(profile, skill, level)
        deltas = [(req, _delta(index, profile, after, req)) for req in by_skill.get(skill, ())]
        gain = sum(d for _r, d in deltas) / weight_total
        in_plan = (skill, level) in planned
        if in_plan:
            saved = hours
        elif gain > 0 and replans < REPLAN_LIMIT and len(base.steps) <= REPLAN_MAX_STEPS:
            replans += 1
            richer = profile.with_level(skill, level)
            saved = max(total - plan(G, richer, target, optional=optional).total_hours, 0.0)
        else:
            saved = 0.0
        value = gain + (saved / total if total else 0.0)
        if value <= 0:
            continue
        helped = [(r, d) for r, d in deltas if d > 0]
        if helped:
            req = max(helped, key=lambda item: item[1])[0]
            why = _requirement_phrase(index, target, req, after)
        else:
            needers = [
                index.names[r.node]
                for r in base.steps[planned[(skill, level)]].reasons
                if r.kind == "prerequisite"
            ]
            why = f"needed before {', '.join(needers[:3])} on your way to {index.names[target]}"
        if not in_plan and saved <= 0:
            why += " (not in your cheapest plan)"
        essential = (skill, level) in essential_keys or any(
            d > 0 and r.importance == "essential" for r, d in deltas
        )
        rows.append((skill, level, hours, why, value / hours, gain, saved, in_plan, essential))
    return _suggestions(index, profile, rows)


LevelOf = Callable[[str], int]
#: A group requirement's option credits for one "before" profile, best first.
Credits = list[tuple[float, str]]


def _group_delta(
    index: GraphIndex,
    before: LevelOf,
    skill: str,
    level: int,
    req: Requirement,
    cache: dict[Requirement, Credits],
) -> float:
    """How much a group requirement's credit rises when ``skill`` alone goes to ``level``: the
    options' credits before are worked out once per requirement and profile."""
    credits = cache.get(req)
    if credits is None:
        credits = []
        for option, option_level in index.options[req.node]:
            need = index.option_need(req.level, option_level)
            credits.append((min(before(option), need) / need, option))
        credits.sort(reverse=True)
        cache[req] = credits
    need = index.option_need(req.level, index.option_level[req.node, skill])
    mine = min(level, need) / need
    pick = req.pick
    old = sum(c for c, _o in credits[:pick])
    # The best ``pick`` credits once this skill's own is replaced: the others' best ``pick``
    # (the list is sorted) and this one, at most pick + 1 values.
    others = [c for c, _o in islice(((c, o) for c, o in credits if o != skill), pick)]
    raised = sorted([*others, mine], reverse=True)
    return (sum(raised[:pick]) - old) / pick


def _gains(
    index: GraphIndex,
    before: LevelOf,
    skill: str,
    level: int,
    cache: dict[Requirement, Credits] | None = None,
) -> tuple[float, str, Requirement | None]:
    """Salary-weighted readiness gain over all roles when ``skill`` rises to ``level`` from
    the levels ``before`` gives, and the role and requirement helped most. ``cache`` keeps
    group credits for ``before`` between calls."""
    cache = {} if cache is None else cache
    held = before(skill)
    by_role: dict[str, float] = {}
    best: dict[str, tuple[float, Requirement]] = {}
    for role, req in index.uses(skill):
        if req.is_group:
            delta = _group_delta(index, before, skill, level, req, cache)
        else:
            delta = (min(level, req.level) - min(held, req.level)) / req.level
        delta *= DEFAULT_WEIGHTS.of(req.importance)
        if delta <= 0:
            continue
        by_role[role] = by_role.get(role, 0.0) + delta
        if delta > best.get(role, (0.0, req))[0]:
            best[role] = (delta, req)
    factor, unit = _role_factor(index), _per_unit(index)
    gain = 0.0
    top_role, top_value = "", 0.0
    for role, delta in by_role.items():
        share = delta * unit[role]
        gain += factor[role] * delta
        # Prefer the lowest rung among equally helped roles: the nearest use.
        if share > top_value + 1e-12 or (
            abs(share - top_value) <= 1e-12 and top_role and index.rank[role] < index.rank[top_role]
        ):
            top_role, top_value = role, share
    return gain, top_role, (best[top_role][1] if top_role else None)


Gain = tuple[float, str, "Requirement | None"]


def _none(_skill: str) -> int:
    return 0


def _first_level_gain(index: GraphIndex, skill: str) -> Gain:
    """What level 1 of ``skill`` brings to a profile that holds none of the options of its
    groups, the common case: worked out once per graph and skill, when first asked."""
    known: dict[str, Gain] = _first_level_gains(index)
    found = known.get(skill)
    if found is None:
        found = known.setdefault(skill, _gains(index, _none, skill, 1))
    return found


#: Per graph: the first-level gains worked out so far (see :func:`_first_level_gain`).
_first_level_gains: PerIndex[dict[str, Gain]] = PerIndex(lambda _index: {})


@dataclass(frozen=True)
class _StepTable:
    """Per graph, every skill's next steps as arrays over skills (by skill number), so that
    finding a profile's open steps and bounding their scores is a few array operations instead
    of a test per skill (a deep closure holds thousands of skills, each opening others).

    ``hours[i, level]`` and ``bound[i, level]`` are the step to ``level`` (1 to the top; the
    column past the top holds 1 hour and no gain); ``bound`` is the most the step can add to
    the salary-weighted readiness across roles, whatever else a profile holds. A requirement on
    the skill itself gains exactly its share of one level; a group gains at most that share of
    one of its ``pick`` places. (For level 1 from nothing, the bound is the gain itself.) The
    prerequisite links are the graph's :class:`~skilltree.arrays.SkillArrays`.
    """

    arrays: SkillArrays  # the skills by number and the prerequisite links
    top: np.ndarray
    hours: np.ndarray
    bound: np.ndarray


def _step_table_of(index: GraphIndex) -> _StepTable:
    table = uses_table(index)
    factor = _role_factor(index)
    by_position = np.array([factor[role] for role in table.role_position])
    group = np.arange(len(table.target)) >= table.directs  # option uses come after the direct
    role = table.target.copy()  # a direct use names its role; a group use, its key's role
    role[group] = table.key_role[table.target[group]]
    pick = np.ones(len(role))
    pick[group] = table.key_pick[table.target[group]]
    weight = np.array([DEFAULT_WEIGHTS.essential, DEFAULT_WEIGHTS.optional])[table.importance]
    coef = by_position[role] * weight / (table.cap * pick)
    arrays = skill_arrays(index)
    skills = arrays.names
    tops = np.array([index.top_level(s) for s in skills], dtype=np.intp)
    width = int(tops.max(initial=0)) + 2
    hours = np.ones((len(skills), width))
    bound = np.zeros((len(skills), width))
    for n, skill in enumerate(skills):
        hours[n, 1 : tops[n] + 1] = index.hours[skill]
    for level in range(1, width - 1):
        counts = table.cap >= level
        sums = np.bincount(table.skill[counts], weights=coef[counts], minlength=len(skills))
        bound[:, level] = np.where(tops >= level, sums, 0.0)
    return _StepTable(arrays, tops, hours, bound)


_step_tables: PerIndex[_StepTable] = PerIndex(_step_table_of)


def _open_steps(index: GraphIndex, profile: Profile) -> Iterator[tuple[float, float, str, int]]:
    """Every step the profile can start now whose score can be above zero, as (−bound on its
    score, hours, skill, level), best bound first: its own gain per hour, or with the next
    level of a skill it is a prerequisite of, the pair's gain per hour of both."""
    t = _step_tables(index)
    links = t.arrays
    n = len(links.names)
    held = np.minimum(closure_levels(index, profile), t.top)
    rows = np.arange(n)
    nxt = held + 1
    blocked = np.bincount(links.dep[held[links.pre] < links.asked], minlength=n)
    open_ = (nxt <= t.top) & (blocked == 0)
    hours = t.hours[rows, nxt]
    bound = t.bound[rows, nxt] / hours
    dep_next = nxt[links.dep]
    pairs = open_[links.pre] & (dep_next <= t.top[links.dep])
    pre, dep, dep_next = links.pre[pairs], links.dep[pairs], dep_next[pairs]
    np.maximum.at(bound, pre, t.bound[dep, dep_next] / (hours[pre] + t.hours[dep, dep_next]))
    keep = np.flatnonzero(open_ & (bound > 0))
    # (skills are numbered in name order: the number breaks ties by name)
    ranked = keep[np.lexsort((nxt[keep], keep, hours[keep], -bound[keep]))]
    for i in ranked.tolist():
        yield -float(bound[i]), float(hours[i]), links.names[i], int(nxt[i])


def _startable_with(
    index: GraphIndex, profile: Profile, skill: str, extra: str, extra_level: int
) -> bool:
    """Whether ``skill`` can be started once ``extra`` is at ``extra_level`` too."""
    return index.startable(skill, lambda p: extra_level if p == extra else profile.level(p))


def _across(index: GraphIndex, profile: Profile, limit: int) -> list[Suggestion]:
    if limit <= 0:
        return []
    touched = {g for held in profile.skills for g, _ in index.option_of.get(held, ())}
    cache: dict[Requirement, Credits] = {}

    def gain_of(skill: str, level: int, extra: tuple[str, int] | None = None) -> Gain:
        # Level 1 of a skill none of whose groups the profile (with ``extra``) touches: the
        # table is exact. Anything nearer the profile is worked out.
        also = {g for g, _ in index.option_of[extra[0]]} if extra else set()
        if level == 1 and not any(g in touched or g in also for g, _ in index.option_of[skill]):
            return _first_level_gain(index, skill)
        if extra is None:
            return _gains(index, profile.level, skill, level, cache)
        extra_skill, extra_level = extra

        def base(p: str) -> int:
            return max(extra_level, profile.level(p)) if p == extra_skill else profile.level(p)

        return _gains(index, base, skill, level)

    # Every open step with a bound on its score (from a table); then exact scores best bound
    # first, until no bound left can reach the last score shown.
    candidates = _open_steps(index, profile)

    ranked: list[tuple[float, float, str, int, float, str, Requirement | None, str]] = []
    # Essential steps are listed before the others, so a step left unscored cannot make the list
    # once ``limit`` essential steps score above its bound: the best of those (a min-heap).
    kept: list[float] = []
    for neg_bound, hours, skill, level in candidates:
        if len(kept) >= limit and -neg_bound < kept[0] - BOUND_SLACK:
            break
        gain, role, req = gain_of(skill, level)
        score = gain / hours
        opened = ""
        # A step that helps no role directly may open one that does: score the pair.
        for dependent, _pre_level in index.dependents[skill]:
            dep_level = profile.level(dependent) + 1
            if dep_level > index.top_level(dependent) or _startable(index, profile, dependent):
                continue  # already open, or done: this step does not open it
            if not _startable_with(index, profile, dependent, skill, level):
                continue
            dep_gain = gain_of(dependent, dep_level, (skill, level))[0]
            pair = dep_gain / (hours + index.step_hours(dependent, dep_level))
            if pair > score:
                score, opened = pair, dependent
        if score > 0:
            ranked.append((-score, hours, skill, level, gain, role, req, opened))
            if req is not None and req.importance != "essential":
                continue
            if len(kept) < limit:
                heapq.heappush(kept, score)
            elif score > kept[0]:
                heapq.heapreplace(kept, score)
    # As next_steps lists them: essential steps first, then by score.
    ranked.sort(
        key=lambda item: (
            item[6] is not None and item[6].importance != "essential",
            item[0],
            item[1],
            item[2],
        )
    )

    # Reasons only for what is shown.
    rows: list[Row] = []
    for neg_score, hours, skill, level, gain, role, req, opened in ranked[: max(limit, 0)]:
        after = Raised(profile, skill, level)
        if opened:
            dep_level = profile.level(opened) + 1
            dep_after = Raised(after, opened, dep_level)
            _g, dep_role, dep_req = _gains(index, after.level, opened, dep_level)
            why = f"opens {index.names[opened]}, which " + (
                _requirement_phrase(index, dep_role, dep_req, dep_after) if dep_req else "helps"
            )
        else:
            why = _requirement_phrase(index, role, req, after) if req is not None else ""
        essential = req is None or req.importance == "essential"
        rows.append((skill, level, hours, why, -neg_score, gain, 0.0, False, essential))
    return _suggestions(index, profile, rows)
