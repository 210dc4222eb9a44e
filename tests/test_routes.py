"""Routes up the ladder along progression edges, rung by rung, and targets side by side."""

from __future__ import annotations

import textwrap

import pytest

from skilltree import UnknownIdError, graph_from_text, load_graph
from skilltree.coverage import readiness
from skilltree.profile import Profile
from skilltree.routes import NoRouteError, compare, entry_roles, route

LADDER = textwrap.dedent(
    """\
    name: Route ladder
    roles:
      - id: junior
        name: Junior
        rank: 1
        salary: {min: 30000, max: 40000, source: test}
        requires: [{id: a}]
        next: [{id: senior, years: 2}]
      - id: senior
        name: Senior
        rank: 2
        salary: {min: 50000, max: 65000, source: test}
        requires: [{id: a, level: 2}, {id: b}]
        next: [{id: expert, years: 3}, {id: manager}]
      - id: expert
        name: Expert
        rank: 3
        track: expert
        salary: {min: 70000, max: 90000, source: test, estimate: true}
        requires: [{id: c}]
      - {id: manager, name: Manager, rank: 3, track: management, requires: [{id: people}]}
    skills:
      - {id: a, name: A, category: tool, description: "", hours: [1, 2, 4]}
      - {id: b, name: B, category: tool, description: "", hours: [8, 16, 32]}
      - {id: c, name: C, category: tool, description: "", hours: [64, 1, 1], requires: [{id: b}]}
      - {id: people, name: People, category: people, description: "", hours: [128, 1, 1]}
    """
)


@pytest.fixture(scope="module")
def G():
    return graph_from_text(LADDER, "ladder.yaml")


def test_route_from_the_entry_rung_follows_progression_edges(G):
    result = route(G, Profile(), "expert")
    assert result.roles == ("junior", "senior", "expert")
    for below, above in zip(result.roles, result.roles[1:], strict=False):
        assert G.edges[below, above]["kind"] == "progression"


def test_route_starts_at_the_profile_s_current_role(G):
    assert route(G, Profile(role="senior"), "manager").roles == ("senior", "manager")


def test_route_start_can_be_given(G):
    result = route(G, Profile(role="junior"), "expert", start="senior")
    assert (result.start, result.roles) == ("senior", ("senior", "expert"))


def test_route_to_its_own_start_is_one_rung(G):
    assert route(G, Profile(), "junior").roles == ("junior",)


def test_each_rung_plans_what_the_rungs_below_left(G):
    hours = [rung.hours for rung in route(G, Profile(), "expert").rungs]
    assert hours == [1, 2 + 8, 64]


def test_rung_hours_add_up(G):
    result = route(G, Profile({"a": 1}), "manager")
    running = 0.0
    for rung in result.rungs:
        running += rung.hours
        assert rung.cumulative_hours == running
    assert result.total_hours == running == 2 + 8 + 128


def test_route_counts_no_step_twice(G):
    rungs = route(G, Profile(), "expert").rungs
    steps = [(s.skill, s.to_level) for rung in rungs for s in rung.plan.steps]
    assert len(steps) == len(set(steps))


def test_following_every_rung_plan_meets_the_target(G):
    profile = Profile({"b": 1})
    result = route(G, profile, "expert")
    after = profile.with_levels(
        (s.skill, s.to_level) for rung in result.rungs for s in rung.plan.steps
    )
    assert readiness(G, after, "expert").score == 1.0


def test_rung_readiness_is_for_the_profile_as_it_is_now(G):
    scores = [rung.readiness for rung in route(G, Profile({"a": 1}), "expert").rungs]
    assert scores == [1.0, pytest.approx(0.25), pytest.approx(1 / 6)]


def test_salary_change_is_the_move_of_each_end_of_the_band(G):
    rungs = route(G, Profile(), "expert").rungs
    assert rungs[0].salary_change is None
    assert rungs[1].salary_change == (20000, 25000)
    assert rungs[2].salary_change == (20000, 25000)
    assert rungs[2].salary["estimate"] is True


def test_salary_change_is_unknown_without_a_band(G):
    rungs = route(G, Profile(), "manager").rungs
    assert (rungs[-1].salary, rungs[-1].salary_change) == (None, None)


def test_years_come_from_the_progression_edge(G):
    assert [rung.years for rung in route(G, Profile(), "expert").rungs] == [None, 2, 3]
    assert route(G, Profile(), "manager").rungs[-1].years is None


def test_no_route_down_the_ladder(G):
    with pytest.raises(NoRouteError) as info:
        route(G, Profile(role="senior"), "junior")
    assert (info.value.start, info.value.target) == ("senior", "junior")
    assert "no progression leads from 'senior' to 'junior'" in str(info.value)
    assert "entry rung" in str(info.value)


def test_no_route_across_the_ladder_says_where_the_target_is_reached_from(G):
    with pytest.raises(NoRouteError, match="it is reached from 'senior'") as info:
        route(G, Profile(), "expert", start="manager")
    assert info.value.reachable_from == ("senior",)


def test_route_to_or_from_an_unknown_role_is_an_error(G):
    with pytest.raises(UnknownIdError, match="did you mean 'expert'"):
        route(G, Profile(), "exprt")
    with pytest.raises(UnknownIdError, match="a is a skill"):
        route(G, Profile(), "expert", start="a")


def test_entry_roles_are_the_rungs_nothing_leads_to(G):
    assert entry_roles(G) == ["junior"]


def test_compare_splits_shared_and_distinct_skills(G):
    result = compare(G, Profile(), ["expert", "manager"])
    assert result.shared == {"a", "b"}
    expert, manager = result.targets
    assert (expert.role, expert.distinct) == ("expert", {"c"})
    assert (manager.role, manager.distinct) == ("manager", {"people"})
    assert expert.skills == {"a", "b", "c"}


def test_compare_gives_hours_readiness_and_salary(G):
    expert, manager = compare(G, Profile({"a": 2, "b": 1}), ["expert", "manager"]).targets
    assert (expert.hours, manager.hours) == (64, 128)
    assert expert.readiness == pytest.approx(2 / 3)
    assert expert.salary["min"] == 70000
    assert manager.salary is None


# --- the default ladder -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def ladder():
    return load_graph()


def test_default_route_to_tech_expert_climbs_every_rung(ladder):
    result = route(ladder, Profile(), "tech-expert")
    assert result.roles == ("junior", "confirmed", "senior", "tech-expert")
    assert result.rungs[1].salary_change == (10000, 10000)
    assert all(rung.hours > 0 for rung in result.rungs)


def test_engineering_manager_needs_people_management_and_tech_expert_does_not(ladder):
    result = compare(ladder, Profile(), ["tech-expert", "engineering-manager"])
    expert, manager = result.targets
    assert "people-management" in manager.distinct
    assert "people-management" not in expert.skills
    assert "people-management" not in result.shared
