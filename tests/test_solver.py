"""The exact group choice (skilltree.solver) against a brute force over every combination.

Instances mimic plans: options are skills whose step sets come from a shared pool (so options
share prerequisites), the same skill may be an option of several groups (with the same steps or
a different level of them), picks go above one, and options carry preferred/avoided flags.
"""

from __future__ import annotations

import collections
import itertools
import math
import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import skilltree.milp as milp_module
from skilltree.milp import solve_parts
from skilltree.solver import GroupSpec, OptionSpec, Part, Solution, solve

SKILLS = "abcdefg"


@st.composite
def instances(draw: st.DrawFn, max_groups: int = 3, max_options: int = 5):
    n_steps = draw(st.integers(1, 14))
    hours = draw(
        st.lists(
            st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 2.25]),
            min_size=n_steps,
            max_size=n_steps,
        )
    )
    base = frozenset(draw(st.sets(st.integers(0, n_steps - 1), max_size=n_steps // 2)))
    skill_steps = {
        s: frozenset(
            draw(st.sets(st.integers(0, n_steps - 1), min_size=min(n_steps, 1), max_size=5))
        )
        for s in SKILLS
    }
    groups = []
    for gi in range(draw(st.integers(1, max_groups))):
        keys = draw(
            st.lists(st.sampled_from(SKILLS), min_size=1, max_size=max_options, unique=True)
        )
        options = []
        for key in keys:
            steps = skill_steps[key]
            if draw(st.booleans()):  # another level of the same skill: more or fewer steps
                steps = (
                    steps | draw(st.sets(st.integers(0, n_steps - 1), max_size=2))
                    if draw(st.booleans())
                    else frozenset(list(sorted(steps))[::2])
                )
            flag = draw(st.sampled_from(["", "", "", "", "", "p", "a", "pa"]))
            options.append(OptionSpec(key, frozenset(steps), "p" in flag, "a" in flag))
        pick = draw(st.integers(0, len(keys)) | st.integers(1, max(1, len(keys) - 1)))
        groups.append(GroupSpec(f"g{gi}", min(pick, len(keys)), tuple(options)))
    return hours, base, groups


def allowed(group: GroupSpec) -> list[tuple[int, ...]]:
    """Every choice of ``pick`` options that the preference rules allow, straight from them:
    as many preferred as can be, then as few avoided as possible."""
    combos = list(itertools.combinations(range(len(group.options)), group.pick))
    pref = {i for i, o in enumerate(group.options) if o.preferred and not o.avoided}
    avoid = {i for i, o in enumerate(group.options) if o.avoided and not o.preferred}
    combos = [c for c in combos if len(pref & set(c)) >= min(group.pick, len(pref))]
    fewest = min(len(avoid & set(c)) for c in combos)
    return [c for c in combos if len(avoid & set(c)) == fewest]


def union_cost(hours, base, groups, choice) -> float:
    steps = set(base)
    for g, combo in zip(groups, choice, strict=True):
        for i in combo:
            steps |= g.options[i].steps
    return sum(hours[s] for s in sorted(steps))


def brute_force(hours, base, groups) -> float:
    return min(
        union_cost(hours, base, groups, choice)
        for choice in itertools.product(*(allowed(g) for g in groups))
    )


def check(hours, base, groups, sol: Solution, optimum: float) -> None:
    choice = []
    for g, picked in zip(groups, sol.picks, strict=True):
        keys = [o.key for o in g.options]
        assert list(picked) == sorted(picked)
        assert len(set(picked)) == len(picked)
        combo = tuple(sorted(keys.index(k) for k in picked))
        assert combo in allowed(g), (g.key, picked)
        choice.append(combo)
    assert math.isclose(sol.cost, union_cost(hours, base, groups, choice), abs_tol=1e-9)
    assert sol.bound <= optimum + 1e-9
    assert sol.cost >= optimum - 1e-9
    assert sol.bound >= sum(hours[s] for s in base) - 1e-9
    if sol.exact:
        assert sol.cost == sol.bound
        assert math.isclose(sol.cost, optimum, abs_tol=1e-9)
    avoided = {
        (g.key, o.key)
        for g, p in zip(groups, sol.picks, strict=True)
        for o in g.options
        if o.key in p and o.avoided and not o.preferred
    }
    assert set(sol.forced_avoided) == avoided


FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(instances())
def test_matches_brute_force(case) -> None:
    hours, base, groups = case
    sol = solve(hours, base, groups)
    check(hours, base, groups, sol, brute_force(hours, base, groups))
    assert sol.exact
    assert sol.method in ("trivial", "search")
    assert solve(hours, base, groups) == sol  # deterministic


@settings(max_examples=60, deadline=None)
@given(instances(max_groups=4, max_options=6))
def test_milp_path_matches_brute_force(case) -> None:
    hours, base, groups = case
    optimum = brute_force(hours, base, groups)
    sol = solve(hours, base, groups, search_budget=1)
    check(hours, base, groups, sol, optimum)
    assert sol.exact


@FAST
@given(instances(max_groups=4, max_options=6))
def test_without_milp_the_bound_still_holds(case) -> None:
    hours, base, groups = case
    sol = solve(hours, base, groups, search_budget=2, milp=False)
    check(hours, base, groups, sol, brute_force(hours, base, groups))
    assert sol.exact or sol.method == "search-budget"


def test_python_makes_django_cheaper() -> None:
    # Steps: 0 python, 1 java, 2 django, 3 spring, 4 flask.
    hours = [40.0, 30.0, 10.0, 12.0, 11.0]
    lang = GroupSpec(
        "language", 1, (OptionSpec("java", frozenset({1})), OptionSpec("python", frozenset({0})))
    )
    web = GroupSpec(
        "framework",
        1,
        (OptionSpec("django", frozenset({0, 2})), OptionSpec("spring", frozenset({1, 3}))),
    )
    sol = solve(hours, frozenset(), [lang, web])
    assert sol.picks == (("java",), ("spring",))
    assert sol.cost == 42.0
    assert sol.exact


def test_preferred_wins_even_when_dearer_and_avoided_only_when_needed() -> None:
    g = GroupSpec(
        "g",
        2,
        (
            OptionSpec("a", frozenset({0})),
            OptionSpec("b", frozenset({1}), True),
            OptionSpec("c", frozenset(), avoided=True),
            OptionSpec("d", frozenset(), avoided=True),
        ),
    )
    sol = solve([1.0, 9.0], frozenset(), [g])
    assert sol.picks == (("a", "b"),)
    assert sol.forced_avoided == ()
    g3 = GroupSpec("g", 3, g.options)
    sol = solve([1.0, 9.0], frozenset(), [g3])
    assert sol.picks == (("a", "b", "c"),)
    assert sol.forced_avoided == (("g", "c"),)


def test_ties_go_to_the_earlier_key() -> None:
    g = GroupSpec(
        "g",
        1,
        (
            OptionSpec("zz", frozenset({0})),
            OptionSpec("mm", frozenset({1})),
            OptionSpec("aa", frozenset({2})),
        ),
    )
    assert solve([1.0, 1.0, 1.0], frozenset(), [g]).picks == (("aa",),)


def test_shared_option_counts_for_both_groups() -> None:
    shared = OptionSpec("sql", frozenset({0, 1}))
    g1 = GroupSpec("data", 1, (shared, OptionSpec("nosql", frozenset({2}))))
    g2 = GroupSpec("storage", 1, (shared, OptionSpec("files", frozenset({3}))))
    sol = solve([3.0, 3.0, 4.0, 4.0], frozenset(), [g1, g2])
    assert sol.picks == (("sql",), ("sql",))
    assert sol.cost == 6.0


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="pick"):
        solve([1.0], frozenset(), [GroupSpec("g", 2, (OptionSpec("a", frozenset({0})),))])
    with pytest.raises(ValueError, match="negative"):
        solve([-1.0], frozenset(), [GroupSpec("g", 1, (OptionSpec("a", frozenset({0})),))])


def random_case(rng: random.Random):
    n = rng.randint(6, 16)
    hours = [float(rng.randint(1, 20)) for _ in range(n)]
    base = frozenset(rng.sample(range(n), rng.randint(0, 2)))
    skill = {s: frozenset(rng.sample(range(n), rng.randint(1, 5))) for s in "abcdefgh"}
    groups = []
    for gi in range(rng.randint(2, 4)):
        keys = sorted(rng.sample("abcdefgh", rng.randint(3, 6)))
        options = tuple(
            OptionSpec(k, skill[k], rng.random() < 0.15, rng.random() < 0.15) for k in keys
        )
        groups.append(GroupSpec(f"g{gi}", rng.randint(1, len(keys) - 1), options))
    return hours, base, groups


def test_seeded_cases_reach_every_stage() -> None:
    """The same checks on cases hard enough that the reductions leave work for every stage."""
    rng = random.Random(7)
    seen: collections.Counter[str] = collections.Counter()
    for _ in range(150):
        hours, base, groups = random_case(rng)
        optimum = brute_force(hours, base, groups)
        for milp, budget in ((True, 50_000), (True, 1), (False, 2)):
            sol = solve(hours, base, groups, search_budget=budget, milp=milp)
            check(hours, base, groups, sol, optimum)
            seen[sol.method] += 1
            assert sol.exact or not milp
    assert min(seen["search"], seen["milp"], seen["search-budget"]) >= 20, seen


@st.composite
def parts(draw: st.DrawFn):
    """A residual problem as the search sees it, with no reductions applied."""
    n_steps = draw(st.integers(0, 8))
    h = draw(st.lists(st.floats(0, 20, allow_nan=False), min_size=n_steps, max_size=n_steps))
    slots, n = [], 0
    for _ in range(draw(st.integers(1, 3))):
        size = draw(st.integers(1, 5))
        slots.append((draw(st.integers(1, size)), list(range(n, n + size))))
        n += size
    pc = draw(st.lists(st.floats(0, 20, allow_nan=False), min_size=n, max_size=n))
    esteps = [
        sorted(draw(st.sets(st.integers(0, n_steps - 1), max_size=4))) if n_steps else []
        for _ in range(n)
    ]
    return slots, pc, esteps, h


@FAST
@given(parts(), st.sampled_from([1, 3, 10, 10_000]))
def test_search_and_milp_on_raw_parts(case, budget) -> None:
    slots, pc, esteps, h = case
    make = lambda: Part(slots, list(range(len(pc))), pc, esteps, h)  # noqa: E731
    best = min(
        make().cost([e for c in combo for e in c])
        for combo in itertools.product(*(itertools.combinations(m, k) for k, m in slots))
    )
    part = make()
    part.search(budget, math.inf)
    assert part.root_bound <= best + 1e-6 <= part.best_cost + 2e-6
    if part.exact:
        assert math.isclose(part.best_cost, best, abs_tol=1e-6)
    else:
        optimal, dual, _size = solve_parts([part], time.perf_counter() + 10.0)
        assert optimal
        assert math.isclose(part.best_cost, best, abs_tol=1e-6)
        assert dual <= best + 1e-6


def test_a_failing_or_late_solver_never_loses_the_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    cases = [random_case(rng) for _ in range(40)]

    def broken(*_args: object) -> None:
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(milp_module, "_run", broken)
    for hours, base, groups in cases:
        optimum = brute_force(hours, base, groups)
        sol = solve(hours, base, groups, search_budget=1)
        check(hours, base, groups, sol, optimum)
        assert sol.exact or sol.method == "search-budget"
        late = solve(hours, base, groups, time_limit=0.0)
        check(hours, base, groups, late, optimum)


def test_milp_path_is_deterministic() -> None:
    rng = random.Random(11)
    for _ in range(20):
        hours, base, groups = random_case(rng)
        first = solve(hours, base, groups, search_budget=1)
        assert all(solve(hours, base, groups, search_budget=1) == first for _ in range(3))
