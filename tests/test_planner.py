"""The learning plan: minimum hours, group choices, prerequisites, order, reasons, calendar."""

from __future__ import annotations

import textwrap
from datetime import date

import pytest

from skilltree import UnknownIdError, graph_from_text, load_graph
from skilltree.coverage import readiness
from skilltree.planner import Plan, plan
from skilltree.profile import Profile
from skilltree.timeline import schedule, weeks


def graph(*parts: str):
    """A graph from YAML parts, each dedented on its own."""
    text = "name: test\n" + "".join(textwrap.dedent(part) for part in parts)
    return graph_from_text(text, "test.yaml")


def keys(result: Plan) -> list[tuple[str, int]]:
    return [(step.skill, step.to_level) for step in result.steps]


def meets(G, profile: Profile, result: Plan) -> bool:
    after = profile.with_levels(keys(result))
    return all(
        item.status == "met"
        for item in readiness(G, after, result.target).items
        if item.importance == "essential" or result.optional
    )


FRAMEWORKS = """\
roles: [{id: dev, name: Dev, rank: 1, requires: [{id: framework}]}]
skills:
  - {id: python, name: Python, category: language, description: "", hours: [100, 1, 1]}
  - {id: java, name: Java, category: language, description: "", hours: [100, 1, 1]}
  - id: django
    name: Django
    category: framework
    description: ""
    hours: [50, 1, 1]
    requires: [{id: python}]
  - id: flask
    name: Flask
    category: framework
    description: ""
    hours: [40, 1, 1]
    requires: [{id: python}]
  - id: spring
    name: Spring
    category: framework
    description: ""
    hours: [20, 1, 1]
    requires: [{id: java}]
groups:
  - {id: framework, name: A framework, options: [{id: spring}, {id: django}, {id: flask}]}
"""


def test_plan_prefers_framework_of_known_language():
    result = plan(graph(FRAMEWORKS), Profile({"python": 1}), "dev")
    assert result.choices == {"framework": ("flask",)}
    assert keys(result) == [("flask", 1)]
    assert result.total_hours == 40


def test_plan_counts_a_framework_with_its_language():
    # Spring with Java (120 h) beats Flask with Python (140 h) from scratch.
    result = plan(graph(FRAMEWORKS), Profile(), "dev")
    assert result.choices == {"framework": ("spring",)}
    assert keys(result) == [("java", 1), ("spring", 1)]
    assert result.total_hours == 120


SHARED = """\
roles: [{id: dev, name: Dev, rank: 1, requires: [{id: a}, {id: b}]}]
skills:
  - {id: x, name: X, category: tool, description: "", hours: [30, 1, 1]}
  - {id: a, name: A, category: tool, description: "", hours: [5, 1, 1], requires: [{id: x}]}
  - {id: b, name: B, category: tool, description: "", hours: [7, 1, 1], requires: [{id: x}]}
"""


def test_shared_prerequisite_is_counted_once():
    result = plan(graph(SHARED), Profile(), "dev")
    assert [s.skill for s in result.steps].count("x") == 1
    assert result.total_hours == 30 + 5 + 7


def test_shared_prerequisite_gives_a_reason_for_each_skill_that_needs_it():
    result = plan(graph(SHARED), Profile(), "dev")
    x = next(s for s in result.steps if s.skill == "x")
    assert {r.node for r in x.reasons} == {"a", "b"}
    assert {r.kind for r in x.reasons} == {"prerequisite"}


OPTIONAL = """\
roles:
  - id: dev
    name: Dev
    rank: 1
    requires: [{id: a}, {id: b, importance: optional}]
skills:
  - {id: a, name: A, category: tool, description: "", hours: [5, 1, 1]}
  - {id: b, name: B, category: tool, description: "", hours: [7, 1, 1]}
"""


def test_optional_requirements_are_left_out_by_default():
    result = plan(graph(OPTIONAL), Profile(), "dev")
    assert keys(result) == [("a", 1)]
    assert not result.optional


def test_optional_requirements_are_planned_on_request():
    result = plan(graph(OPTIONAL), Profile(), "dev", optional=True)
    assert sorted(keys(result)) == [("a", 1), ("b", 1)]
    assert "optional" in next(s for s in result.steps if s.skill == "b").reasons[0].text


LEVELS = """\
roles: [{id: dev, name: Dev, rank: 1, requires: [{id: python, level: 3}]}]
skills:
  - {id: python, name: Python, category: language, description: "", hours: [10, 20, 30]}
"""


def test_partial_level_plans_only_the_missing_level_steps():
    result = plan(graph(LEVELS), Profile({"python": 1}), "dev")
    assert [(s.from_level, s.to_level, s.hours) for s in result.steps] == [(1, 2, 20), (2, 3, 30)]
    assert result.total_hours == 50


def test_known_skill_is_never_planned():
    G = graph(SHARED)
    result = plan(G, Profile({"x": 2, "a": 1}), "dev")
    assert keys(result) == [("b", 1)]


def test_profile_that_meets_everything_gets_an_empty_plan():
    result = plan(graph(LEVELS), Profile({"python": 3}), "dev")
    assert (result.steps, result.total_hours) == ((), 0.0)
    assert result.readiness.score == 1.0


def test_group_of_any_two_picks_two_options():
    G = graph(
        """\
        roles: [{id: dev, name: Dev, rank: 1, requires: [{id: two}]}]
        skills:
          - {id: a, name: A, category: tool, description: "", hours: [10, 1, 1]}
          - {id: b, name: B, category: tool, description: "", hours: [20, 1, 1]}
          - {id: c, name: C, category: tool, description: "", hours: [30, 1, 1]}
        groups:
          - {id: two, name: Two, pick: 2, options: [{id: c}, {id: b}, {id: a}]}
        """
    )
    result = plan(G, Profile(), "dev")
    assert result.choices == {"two": ("a", "b")}
    assert result.total_hours == 30


def test_group_option_already_required_costs_nothing_more():
    G = graph(
        """\
        roles: [{id: dev, name: Dev, rank: 1, requires: [{id: java}, {id: lang}]}]
        skills:
          - {id: python, name: Python, category: language, description: "", hours: [10, 1, 1]}
          - {id: java, name: Java, category: language, description: "", hours: [50, 1, 1]}
        groups: [{id: lang, name: A language, options: [{id: python}, {id: java}]}]
        """
    )
    result = plan(G, Profile(), "dev")
    assert result.choices == {"lang": ("java",)}
    assert keys(result) == [("java", 1)]


CHAIN = """\
roles: [{id: dev, name: Dev, rank: 1, requires: [{id: c}]}]
skills:
  - {id: a, name: A, category: tool, description: "", hours: [1, 2, 3]}
  - {id: b, name: B, category: tool, description: "", hours: [4, 5, 6], requires: [{id: a}]}
  - id: c
    name: C
    category: tool
    description: ""
    hours: [7, 8, 9]
    requires: [{id: b, level: 2}]
"""


def test_prerequisites_are_pulled_in():
    result = plan(graph(CHAIN), Profile(), "dev")
    assert sorted(keys(result)) == [("a", 1), ("b", 1), ("b", 2), ("c", 1)]
    assert result.total_hours == 1 + 4 + 5 + 7


def test_steps_come_after_their_prerequisites_and_lower_levels():
    order = keys(plan(graph(CHAIN), Profile(), "dev"))
    assert order.index(("a", 1)) < order.index(("b", 1)) < order.index(("b", 2))
    assert order.index(("b", 2)) < order.index(("c", 1))


def test_a_held_skill_implies_its_prerequisites():
    G = graph(
        """\
        roles: [{id: dev, name: Dev, rank: 1, requires: [{id: django, level: 2}]}]
        skills:
          - {id: python, name: Python, category: language, description: "", hours: [10, 1, 1]}
          - id: django
            name: Django
            category: framework
            description: ""
            hours: [5, 6, 7]
            requires: [{id: python}]
        """
    )
    assert keys(plan(G, Profile({"django": 1}), "dev")) == [("django", 2)]
    # Saying you do not have Python is believed: then it must come first.
    assert keys(plan(G, Profile({"django": 1, "python": 0}), "dev")) == [
        ("python", 1),
        ("django", 2),
    ]


def test_every_step_has_a_reason_of_the_right_kind():
    result = plan(graph(FRAMEWORKS), Profile(), "dev")
    reasons = {s.skill: {r.kind for r in s.reasons} for s in result.steps}
    assert reasons == {"java": {"prerequisite"}, "spring": {"option"}}
    result = plan(graph(CHAIN), Profile(), "dev")
    assert all(step.reasons for step in result.steps)
    c = next(s for s in result.steps if s.skill == "c")
    assert c.reasons[0].kind == "requirement"
    assert "Dev needs C at level 1" in c.reasons[0].text


def test_cumulative_hours_add_up_to_the_total():
    result = plan(graph(CHAIN), Profile(), "dev")
    running = 0.0
    for step in result.steps:
        running += step.hours
        assert step.cumulative_hours == running
    assert result.total_hours == running


def test_plan_carries_the_current_readiness():
    result = plan(graph(LEVELS), Profile({"python": 1}), "dev")
    assert result.readiness.score == pytest.approx(1 / 3)
    assert result.target_name == "Dev"


def test_plan_to_a_higher_rung_includes_inherited_requirements():
    G = graph(
        """\
        roles:
          - {id: junior, name: Junior, rank: 1, requires: [{id: a}], next: [{id: senior}]}
          - {id: senior, name: Senior, rank: 2, requires: [{id: b}]}
        skills:
          - {id: a, name: A, category: tool, description: "", hours: [1, 1, 1]}
          - {id: b, name: B, category: tool, description: "", hours: [1, 1, 1]}
        """
    )
    result = plan(G, Profile(), "senior")
    assert sorted(keys(result)) == [("a", 1), ("b", 1)]
    a = next(s for s in result.steps if s.skill == "a")
    assert "(from Junior)" in a.reasons[0].text


def test_unknown_target_is_an_error_with_close_ids():
    with pytest.raises(UnknownIdError, match="did you mean 'dev'"):
        plan(graph(LEVELS), Profile(), "dve")


def test_skill_as_target_is_an_error():
    with pytest.raises(UnknownIdError, match="python is a skill"):
        plan(graph(LEVELS), Profile(), "python")


TWO_GROUPS = """\
roles: [{id: dev, name: Dev, rank: 1, requires: [{id: g1}, {id: g2, level: 2}]}]
skills:
  - {id: a, name: A, category: tool, description: "", hours: [10, 10, 1]}
  - {id: b, name: B, category: tool, description: "", hours: [12, 3, 1]}
  - {id: c, name: C, category: tool, description: "", hours: [5, 5, 1]}
  - {id: d, name: D, category: tool, description: "", hours: [4, 9, 1], requires: [{id: a}]}
groups:
  - {id: g1, name: G1, options: [{id: a}, {id: b}]}
  - {id: g2, name: G2, options: [{id: c}, {id: d}]}
"""


def test_plan_is_exact_when_the_choices_are_few():
    result = plan(graph(TWO_GROUPS), Profile(), "dev")
    assert result.exact
    assert result.combinations == 4
    assert result.total_hours == 10 + 10  # a to level 1 (10), c to level 2 (5 + 5)


def test_plan_out_of_time_still_meets_every_requirement_and_states_its_bound():
    G = graph(TWO_GROUPS)
    result = plan(G, Profile(), "dev", time_limit=0, search_budget=0)
    assert meets(G, Profile(), result)
    best = plan(G, Profile(), "dev").total_hours
    assert result.bound <= best <= result.total_hours
    assert result.exact or result.method == "trivial" or result.gap >= 0


def test_weeks_divides_hours_by_pace():
    assert weeks(100, 10) == 10
    assert weeks(15, 10) == 1.5


@pytest.mark.parametrize("pace", [0, -5, float("nan")])
def test_weeks_rejects_a_pace_that_is_not_positive(pace):
    with pytest.raises(ValueError, match="pace must be a positive number"):
        weeks(10, pace)


def test_schedule_gives_each_step_its_end_date():
    result = plan(graph(CHAIN), Profile(), "dev")  # steps of 1, 4, 5, 7 hours
    dates = schedule(result.steps, pace=7, start=date(2026, 1, 1))
    assert dates == [date(2026, 1, 2), date(2026, 1, 6), date(2026, 1, 11), date(2026, 1, 18)]


# --- the default ladder -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def ladder():
    return load_graph()


def test_knowing_python_makes_the_junior_plan_choose_a_python_framework(ladder):
    result = plan(ladder, Profile({"python": 2}), "junior")
    assert result.choices["backend-language"] == ("python",)
    [framework] = result.choices["web-framework"]
    assert ladder.edges["python", framework]["kind"] == "prerequisite"
    assert not any(s.skill == "python" and s.to_level <= 2 for s in result.steps)


def test_knowing_java_makes_the_junior_plan_choose_a_java_framework(ladder):
    result = plan(ladder, Profile({"java": 2}), "junior")
    [framework] = result.choices["web-framework"]
    assert ladder.has_edge("java", framework)


def test_default_plans_meet_every_role(ladder):
    for role in ("junior", "senior", "tech-expert", "engineering-manager"):
        result = plan(ladder, Profile({"python": 1}), role)
        assert result.exact
        assert meets(ladder, Profile({"python": 1}), result), role


def test_a_climb_starts_where_a_chain_of_rungs_leads_to_the_target():
    """The start of a climb: the current role if a chain of progressions leads from it to the
    target, else the first entry rung that has one, else the target; checked against the
    chains themselves on a ladder of many families."""
    from benchmarks.synthetic import generate
    from skilltree import graph_from_data, index_of

    G = graph_from_data(generate(roles=120, skills=300, seed=3))
    index = index_of(G)
    entries = [r for r in index.ladder() if not index.prev_roles[r]]
    for target in index.roles[::7]:
        expected = next((r for r in entries if index.ladder_path(r, target)), target)
        assert index.start_for(target) == expected
        for current in index.roles[::11]:
            leads = index.ladder_path(current, target) is not None
            assert index.start_for(target, current) == (current if leads else expected)
