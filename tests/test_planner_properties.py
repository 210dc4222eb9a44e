"""The planner's invariants on random small ladders, with groups, levels and progressions.

Each example is a random data file (skills with prerequisites from lower to higher index,
"any k of" groups, one or two roles, maybe a progression between them) built with
``graph_from_text``, a random profile and a random target. The optimum is found here by brute
force over every group choice, with a closure written independently of the planner.
"""

from __future__ import annotations

import itertools
import json
import os
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skilltree import graph_from_text
from skilltree.advice import next_steps
from skilltree.coverage import readiness
from skilltree.planner import plan
from skilltree.profile import Profile

#: Examples per property: 200 in the full suite; ``make quick`` asks for fewer.
EXAMPLES = int(os.environ.get("SKILLTREE_PROPERTY_EXAMPLES", "200"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@dataclass(frozen=True)
class Case:
    data: dict[str, Any]
    profile: dict[str, int]
    target: str
    optional: bool

    def graph(self) -> Any:
        return graph_from_text(json.dumps(self.data), "x.json")

    def prereqs(self) -> dict[str, list[tuple[str, int]]]:
        return {
            s["id"]: [(p["id"], p["level"]) for p in s["requires"]] for s in self.data["skills"]
        }

    def hours(self) -> dict[str, list[int]]:
        return {s["id"]: s["hours"] for s in self.data["skills"]}


@st.composite
def cases(draw: st.DrawFn) -> Case:
    levels = st.integers(1, 3)
    n = draw(st.integers(3, 9))
    skill_ids = [f"s{i}" for i in range(n)]
    skills = []
    for j, sid in enumerate(skill_ids):
        lower = draw(st.lists(st.sampled_from(skill_ids[:j]), unique=True, max_size=2)) if j else []
        skills.append(
            {
                "id": sid,
                "name": sid.upper(),
                "category": "tool",
                "description": "",
                "hours": draw(st.lists(st.integers(1, 40), min_size=3, max_size=3)),
                "requires": [{"id": p, "level": draw(levels)} for p in lower],
            }
        )
    groups = []
    for g in range(draw(st.integers(1, 3))):
        options = draw(st.lists(st.sampled_from(skill_ids), min_size=1, max_size=4, unique=True))
        groups.append(
            {
                "id": f"g{g}",
                "name": f"G{g}",
                "pick": draw(st.integers(1, min(3, len(options)))),
                "options": [{"id": o, "level": draw(levels)} for o in options],
            }
        )
    group_ids = [g["id"] for g in groups]
    role_ids = [f"r{i}" for i in range(draw(st.integers(1, 2)))]
    roles = []
    for rank, rid in enumerate(role_ids, 1):
        named = draw(st.lists(st.sampled_from(skill_ids + group_ids), unique=True, max_size=4))
        roles.append(
            {
                "id": rid,
                "name": rid.upper(),
                "rank": rank,
                "requires": [
                    {
                        "id": node,
                        "level": draw(levels),
                        "importance": draw(st.sampled_from(["essential", "optional"])),
                    }
                    for node in named
                ],
                "next": [],
            }
        )
    # A group no role requires is a data error: give each orphan to some role.
    for gid in group_ids:
        if not any(req["id"] == gid for role in roles for req in role["requires"]):
            role = roles[draw(st.integers(0, len(roles) - 1))]
            role["requires"].append({"id": gid, "level": draw(levels), "importance": "essential"})
    if len(roles) == 2 and draw(st.booleans()):
        roles[0]["next"] = [{"id": "r1"}]
    data = {"format": 1, "name": "random", "roles": roles, "skills": skills, "groups": groups}
    stated = draw(st.dictionaries(st.sampled_from(skill_ids), levels, max_size=n))
    # The engine plans from what a profile implies; the cases hold that closure already, worked
    # out here independently (see test_closure_matches_an_independent_model).
    profile = model_closure(stated, {s["id"]: s["requires"] for s in skills})
    return Case(data, profile, draw(st.sampled_from(role_ids)), draw(st.booleans()))


def model_closure(
    stated: dict[str, int], requires: dict[str, list[dict[str, Any]]]
) -> dict[str, int]:
    """Each held skill's prerequisites at the levels they ask, transitively; stated levels win."""
    levels = dict(stated)
    changed = True
    while changed:
        changed = False
        for skill, level in list(levels.items()):
            if level <= 0:
                continue
            for pre in requires[skill]:
                if pre["id"] not in stated and levels.get(pre["id"], 0) < pre["level"]:
                    levels[pre["id"]] = pre["level"]
                    changed = True
    return {s: lv for s, lv in levels.items() if lv > 0}


# --- an independent model of the semantics ------------------------------------------------


def effective_requirements(case: Case) -> dict[str, int]:
    """node -> level a plan must reach for the target, merged with every rung that leads to it:
    the highest essential level, or with ``optional`` the highest level of either kind."""
    roles = {r["id"]: r for r in case.data["roles"]}
    below = {case.target}
    grew = True
    while grew:
        grew = False
        for rid, role in roles.items():
            if rid not in below and any(n["id"] in below for n in role["next"]):
                below.add(rid)
                grew = True
    merged: dict[str, int] = {}
    for rid in below:
        for req in roles[rid]["requires"]:
            if req["importance"] == "essential" or case.optional:
                merged[req["id"]] = max(merged.get(req["id"], 0), req["level"])
    return merged


def closure_cost(case: Case, targets: list[tuple[str, int]]) -> int:
    """Hours of the smallest set of steps reaching ``targets`` with every prerequisite met."""
    prereqs, hours = case.prereqs(), case.hours()
    steps: set[tuple[str, int]] = set()
    todo = list(targets)
    while todo:
        skill, level = todo.pop()
        for lv in range(case.profile.get(skill, 0) + 1, level + 1):
            if (skill, lv) not in steps:
                steps.add((skill, lv))
                todo.extend(prereqs[skill])
    return sum(hours[skill][lv - 1] for skill, lv in steps)


def brute_force_hours(
    case: Case, prefer: frozenset[str] = frozenset(), avoid: frozenset[str] = frozenset()
) -> int:
    """The optimum over every group choice that keeps the stack rules: as many preferred
    options as the pick allows, as few avoided ones as the group allows."""
    groups = {g["id"]: g for g in case.data["groups"]}
    fixed: list[tuple[str, int]] = []
    choices: list[list[list[tuple[str, int]]]] = []
    for node, level in effective_requirements(case).items():
        if node not in groups:
            fixed.append((node, level))
            continue
        group = groups[node]
        needs = [(o["id"], max(level, o["level"])) for o in group["options"]]
        pick = group["pick"]
        ids = [o for o, _ in needs]
        n_pref = sum(o in prefer for o in ids)
        n_ok = sum(o not in avoid for o in ids)
        choices.append(
            [
                list(c)
                for c in itertools.combinations(needs, pick)
                if sum(o in prefer for o, _ in c) == min(pick, n_pref)
                and sum(o in avoid for o, _ in c) == max(0, pick - n_ok)
            ]
        )
    return min(
        closure_cost(case, fixed + [need for combo in picked for need in combo])
        for picked in itertools.product(*choices)
    )


# --- properties -----------------------------------------------------------------------------


@SETTINGS
@given(cases())
def test_plan_meets_every_requirement_it_is_asked_to(case):
    G = case.graph()
    result = plan(G, Profile(case.profile), case.target, optional=case.optional)
    after = Profile(case.profile).with_levels((s.skill, s.to_level) for s in result.steps)
    asked = [
        item
        for item in readiness(G, after, case.target).items
        if case.optional or item.importance == "essential"
    ]
    assert [item.node for item in asked if item.status != "met"] == []


@SETTINGS
@given(cases())
def test_plan_order_respects_prerequisites_and_lower_levels(case):
    G = case.graph()
    prereqs = case.prereqs()
    result = plan(G, Profile(case.profile), case.target, optional=case.optional)
    reached = dict(case.profile)
    for step in result.steps:
        for pre, level in prereqs[step.skill]:
            assert reached.get(pre, 0) >= level, (step, pre, level)
        assert step.from_level == reached.get(step.skill, 0) == step.to_level - 1, step
        reached[step.skill] = step.to_level


@SETTINGS
@given(cases())
def test_plan_never_holds_a_step_the_profile_has(case):
    G = case.graph()
    result = plan(G, Profile(case.profile), case.target, optional=case.optional)
    keys = [(s.skill, s.to_level) for s in result.steps]
    assert len(keys) == len(set(keys))
    for skill, level in keys:
        assert level > case.profile.get(skill, 0)


@SETTINGS
@given(cases())
def test_plan_hours_equal_the_brute_force_optimum(case):
    G = case.graph()
    result = plan(G, Profile(case.profile), case.target, optional=case.optional)
    assert result.exact
    assert result.total_hours == pytest.approx(sum(s.hours for s in result.steps))
    assert result.total_hours == pytest.approx(brute_force_hours(case))


@SETTINGS
@given(cases())
def test_every_next_step_is_startable_and_one_level_up(case):
    G = case.graph()
    profile = Profile(case.profile)
    prereqs = case.prereqs()
    toward = next_steps(G, profile, case.target, limit=100, optional=case.optional)
    across = next_steps(G, profile, limit=100)
    for suggestion in toward + across:
        for pre, level in prereqs[suggestion.skill]:
            assert profile.level(pre) >= level, suggestion
        assert suggestion.level == profile.level(suggestion.skill) + 1


@SETTINGS
@given(cases(), st.data())
def test_adding_a_skill_never_raises_the_plan_hours(case, data):
    G = case.graph()
    skill = data.draw(st.sampled_from(sorted(case.hours())))
    level = data.draw(st.integers(1, 3))
    before = plan(G, Profile(case.profile), case.target, optional=case.optional)
    richer = Profile(case.profile).with_level(skill, level)
    after = plan(G, richer, case.target, optional=case.optional)
    assert after.total_hours <= before.total_hours + 1e-9


@SETTINGS
@given(cases())
def test_heuristic_plan_is_feasible_and_ordered(case):
    G = case.graph()
    prereqs = case.prereqs()
    result = plan(
        G, Profile(case.profile), case.target, optional=case.optional, time_limit=0, search_budget=0
    )
    assert result.total_hours >= brute_force_hours(case) - 1e-9
    assert result.bound <= brute_force_hours(case) + 1e-9
    reached = dict(case.profile)
    for step in result.steps:
        assert all(reached.get(pre, 0) >= level for pre, level in prereqs[step.skill]), step
        assert step.from_level == reached.get(step.skill, 0), step
        reached[step.skill] = step.to_level
    after = Profile(reached)
    asked = [
        item
        for item in readiness(G, after, case.target).items
        if case.optional or item.importance == "essential"
    ]
    assert all(item.status == "met" for item in asked)


@SETTINGS
@given(cases())
def test_every_plan_step_has_a_reason(case):
    result = plan(case.graph(), Profile(case.profile), case.target, optional=case.optional)
    assert all(step.reasons for step in result.steps)


@SETTINGS
@given(
    cases(),
    st.floats(0.05, 10, allow_nan=False),
    st.floats(0, 10, allow_nan=False),
)
def test_readiness_and_readiness_scores_agree_for_any_weights(case, essential, optional):
    from skilltree.coverage import readiness_scores
    from skilltree.model import Weights

    G = case.graph()
    weights = Weights(essential, optional)
    profile = Profile(case.profile)
    scores = readiness_scores(G, profile, weights=weights)
    for role in scores:
        one = readiness(G, profile, role, weights=weights).score
        assert scores[role] == pytest.approx(one, abs=1e-9), role


@SETTINGS
@given(cases(), st.data())
def test_closure_matches_an_independent_model(case, data):
    from skilltree.closure import implied

    skills = [s["id"] for s in case.data["skills"]]
    stated = data.draw(st.dictionaries(st.sampled_from(skills), st.integers(0, 3), max_size=6))
    requires = {s["id"]: s["requires"] for s in case.data["skills"]}
    closed = implied(case.graph(), Profile(stated, assume_role=False))
    assert dict(closed.skills) == model_closure(stated, requires)
    for skill in closed.origins:
        assert skill not in stated


@SETTINGS
@given(cases(), st.data())
def test_closure_link_by_link_and_in_passes_agree_and_origins_follow_the_rule(case, data):
    from skilltree.closure import _close, implied_levels
    from skilltree.index import index_of

    skills = [s["id"] for s in case.data["skills"]]
    stated = data.draw(st.dictionaries(st.sampled_from(skills), st.integers(0, 3), max_size=6))
    profile = Profile(
        stated,
        role=data.draw(st.sampled_from([None, case.target])),
        prefer=frozenset(data.draw(st.sets(st.sampled_from(skills), max_size=2))),
        avoid=frozenset(data.draw(st.sets(st.sampled_from(skills), max_size=2))),
    )
    G = case.graph()
    index = index_of(G)
    walked, passed = _close(index, profile, 10**9), _close(index, profile, 0)
    closed = walked.profile()
    assert passed.profile() == closed
    assert passed.profile().origins == closed.origins
    assert (walked.levels() == passed.levels()).all()
    assert (implied_levels(G, profile) == walked.levels()).all()
    assert (implied_levels(G, closed) == walked.levels()).all()
    # The rule: a prerequisite origin is a held skill asking that very level, one the person
    # stated when there is one, else the first by name.
    held = closed.skills
    for skill, origin in closed.origins.items():
        if origin.kind == "role":
            assert origin.source == profile.role
            continue
        askers = sorted(
            (dep not in stated, dep)
            for dep, level in index.dependents[skill]
            if level == held[skill] and held.get(dep, 0) > 0
        )
        assert askers, skill
        assert askers[0] == (origin.source not in stated, origin.source), skill


@SETTINGS
@given(cases(), st.data())
def test_plan_keeps_the_stack_rules_and_is_optimal_under_them(case, data):
    skills = [sk["id"] for sk in case.data["skills"]]
    prefer = frozenset(data.draw(st.sets(st.sampled_from(skills), max_size=3)))
    avoid = frozenset(data.draw(st.sets(st.sampled_from(skills), max_size=3))) - prefer
    profile = Profile(case.profile, prefer=prefer, avoid=avoid)
    result = plan(case.graph(), profile, case.target, optional=case.optional)
    assert result.exact
    assert result.total_hours == pytest.approx(brute_force_hours(case, prefer, avoid))


@SETTINGS
@given(cases(), st.integers(1, 6))
def test_next_steps_scored_from_bounds_are_the_top_of_every_step_scored(case, limit):
    # With no target only the steps whose bound can still make the list are scored exactly;
    # the list must be the head of the list every open step would give.
    G = case.graph()
    profile = Profile(case.profile)
    everything = next_steps(G, profile, limit=10_000)
    assert next_steps(G, profile, limit=limit) == everything[:limit]
