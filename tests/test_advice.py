"""What to learn next: the startable fringe, ranked toward a target or across every role."""

from __future__ import annotations

import textwrap

import pytest

from skilltree import UnknownIdError, graph_from_text, load_graph
from skilltree.advice import fringe, next_steps
from skilltree.planner import plan
from skilltree.profile import Profile


def graph(*parts: str):
    """A graph from YAML parts, each dedented on its own."""
    text = "name: test\n" + "".join(textwrap.dedent(part) for part in parts)
    return graph_from_text(text, "test.yaml")


FRAMEWORKS = """\
roles: [{id: dev, name: Dev, rank: 1, requires: [{id: framework}, {id: git}]}]
skills:
  - {id: python, name: Python, category: language, description: "", hours: [100, 1, 1]}
  - {id: java, name: Java, category: language, description: "", hours: [100, 1, 1]}
  - {id: git, name: Git, category: tool, description: "", hours: [10, 20, 30]}
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
  - {id: framework, name: A framework, options: [{id: spring}, {id: flask}]}
"""

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


def test_top_suggestion_toward_a_target_is_in_the_plan():
    G = graph(FRAMEWORKS)
    profile = Profile({"python": 1})
    steps = {(s.skill, s.to_level) for s in plan(G, profile, "dev").steps}
    top = next_steps(G, profile, "dev")[0]
    assert top.in_plan
    assert (top.skill, top.level) in steps


def test_top_suggestion_is_in_the_plan_even_when_an_unchosen_option_starts_cheap():
    G = graph(
        """\
        roles: [{id: dev, name: Dev, rank: 1, requires: [{id: lang, level: 2}]}]
        skills:
          - {id: a, name: A, category: tool, description: "", hours: [1, 100, 1]}
          - {id: b, name: B, category: tool, description: "", hours: [20, 20, 1]}
        groups: [{id: lang, name: Lang, options: [{id: a}, {id: b}]}]
        """
    )
    assert plan(G, Profile(), "dev").choices == {"lang": ("b",)}
    assert next_steps(G, Profile(), "dev")[0].skill == "b"


def test_top_suggestion_is_in_the_plan_when_the_cheapest_option_needs_a_prerequisite():
    G = graph(
        """\
        roles: [{id: dev, name: Dev, rank: 1, requires: [{id: lang}]}]
        skills:
          - {id: p, name: P, category: tool, description: "", hours: [50, 1, 1]}
          - id: a
            name: A
            category: tool
            description: ""
            hours: [10, 1, 1]
            requires: [{id: p}]
          - {id: b, name: B, category: tool, description: "", hours: [100, 1, 1]}
        groups: [{id: lang, name: Lang, options: [{id: a}, {id: b}]}]
        """
    )
    assert plan(G, Profile(), "dev").total_hours == 60  # p then a; b alone is 100
    assert next_steps(G, Profile(), "dev")[0].in_plan


def test_suggestions_are_only_steps_the_profile_can_start():
    G = graph(CHAIN)
    profile = Profile({"a": 1, "b": 1})
    for target in ("dev", None):
        found = [(s.skill, s.level) for s in next_steps(G, profile, target)]
        assert ("c", 1) not in found
        assert ("b", 2) in found


def test_suggestion_is_the_next_level_of_a_held_skill():
    G = graph(
        """\
        roles: [{id: dev, name: Dev, rank: 1, requires: [{id: git, level: 3}]}]
        skills:
          - {id: git, name: Git, category: tool, description: "", hours: [10, 20, 30]}
        """
    )
    [only] = next_steps(G, Profile({"git": 1}), "dev")
    assert (only.skill, only.level, only.hours) == ("git", 2, 20)


def test_reason_names_the_requirement_it_serves():
    G = graph(FRAMEWORKS)
    found = {s.skill: s for s in next_steps(G, Profile({"python": 1}), "dev")}
    assert "meets Dev's “Git” requirement (level 1)" in found["git"].reason
    assert "Dev's “A framework” requirement" in found["flask"].reason
    assert "you already know Python" in found["flask"].reason
    assert found["git"].reason.startswith("Git, level 1, about 10 h")


def test_reason_says_which_plan_step_a_prerequisite_comes_before():
    G = graph(CHAIN)
    [top] = next_steps(G, Profile(), "dev")
    assert top.skill == "a"
    assert "needed before B on your way to Dev" in top.reason


def test_skill_the_target_does_not_need_is_not_suggested_toward_it():
    G = graph(FRAMEWORKS)
    found = {s.skill for s in next_steps(G, Profile({"python": 1}), "dev", limit=50)}
    assert "java" not in found


def test_limit_is_respected():
    G = graph(FRAMEWORKS)
    assert len(next_steps(G, Profile(), "dev", limit=50)) > 1
    assert len(next_steps(G, Profile(), "dev", limit=1)) == 1
    assert len(next_steps(G, Profile(), limit=1)) == 1
    assert next_steps(G, Profile(), limit=0) == []


def test_nothing_to_suggest_when_everything_is_known():
    G = graph(CHAIN)
    profile = Profile({"a": 1, "b": 2, "c": 1})
    assert next_steps(G, profile, "dev") == []
    assert next_steps(G, profile) == []


def test_suggestions_are_ranked_best_first():
    G = graph(FRAMEWORKS)
    scores = [s.score for s in next_steps(G, Profile(), "dev", limit=50)]
    assert scores == sorted(scores, reverse=True)
    assert all(score > 0 for score in scores)


TWO_ROLES = """\
roles:
  - id: low
    name: Low
    rank: 1
    salary: {min: 20000, max: 30000, source: t}
    requires: [{id: a}]
  - id: high
    name: High
    rank: 2
    salary: {min: 80000, max: 90000, source: t}
    requires: [{id: b}]
skills:
  - {id: a, name: A, category: tool, description: "", hours: [10, 1, 1]}
  - {id: b, name: B, category: tool, description: "", hours: [10, 1, 1]}
"""


def test_across_roles_ranks_the_better_paid_role_first():
    found = next_steps(graph(TWO_ROLES), Profile())
    assert [s.skill for s in found] == ["b", "a"]
    assert "meets High's “B” requirement" in found[0].reason


def test_across_roles_a_step_is_scored_by_what_it_opens():
    G = graph(
        """\
        roles: [{id: dev, name: Dev, rank: 1, requires: [{id: b}]}]
        skills:
          - {id: a, name: A, category: tool, description: "", hours: [1, 1, 1]}
          - {id: b, name: B, category: tool, description: "", hours: [4, 5, 6], requires: [{id: a}]}
        """
    )
    [top] = next_steps(G, Profile())
    assert top.skill == "a"
    assert "opens B, which meets Dev's “B” requirement" in top.reason


def test_unknown_target_is_an_error():
    with pytest.raises(UnknownIdError, match="did you mean 'dev'"):
        next_steps(graph(CHAIN), Profile(), "de")


def test_fringe_is_the_next_level_of_every_startable_skill():
    G = graph(CHAIN)
    assert fringe(G, Profile()) == [("a", 1)]
    assert fringe(G, Profile({"a": 1})) == [("a", 2), ("b", 1)]
    assert ("c", 1) in fringe(G, Profile({"a": 3, "b": 2}))
    assert ("a", 4) not in fringe(G, Profile({"a": 3}))


def test_default_ladder_top_step_toward_junior_is_in_the_plan():
    G = load_graph()
    profile = Profile({"python": 2, "http-fundamentals": 1})
    top = next_steps(G, profile, "junior")[0]
    steps = {(s.skill, s.to_level) for s in plan(G, profile, "junior").steps}
    assert (top.skill, top.level) in steps


def test_ranking_across_roles_matches_scoring_every_step_exactly():
    """The per-graph table of first-level gains gives the same scores as exact work."""
    import random

    from skilltree import load_graph, node_ids
    from skilltree.advice import _gains, _startable, next_steps
    from skilltree.closure import implied
    from skilltree.index import index_of

    G = load_graph()
    index = index_of(G)
    skills = node_ids(G, "skill")
    rng = random.Random(11)
    for _ in range(25):
        stated = Profile({s: rng.randint(1, 3) for s in rng.sample(skills, rng.randint(0, 25))})
        profile = implied(G, stated)
        exact = {}
        for skill in skills:
            level = profile.level(skill) + 1
            if level > 3 or not _startable(index, profile, skill):
                continue
            hours = index.step_hours(skill, level)
            after = profile.with_level(skill, level)
            score = _gains(index, profile.level, skill, level)[0] / hours
            for dependent, _ in index.dependents[skill]:
                dep_level = profile.level(dependent) + 1
                if dep_level > 3 or _startable(index, profile, dependent):
                    continue
                if not _startable(index, after, dependent):
                    continue
                dep_gain = _gains(index, after.level, dependent, dep_level)[0]
                score = max(score, dep_gain / (hours + index.step_hours(dependent, dep_level)))
            exact[skill] = score
        every = next_steps(G, profile, limit=10_000)
        assert {s.skill for s in every} == {k for k, v in exact.items() if v > 0}
        for suggestion in every:
            assert suggestion.score == pytest.approx(exact[suggestion.skill]), suggestion.skill
        # Essential steps first, each kind best first; the short list is the long one's head.
        assert every == sorted(every, key=lambda s: (not s.essential, -s.score, s.hours, s.skill))
        assert next_steps(G, profile, limit=15) == every[:15]


def test_open_steps_are_the_fringe_with_bounds_as_a_step_by_step_reckoning_gives_them():
    import random

    from benchmarks.run import random_profile
    from benchmarks.synthetic import generate
    from skilltree import graph_from_data
    from skilltree.advice import _open_steps, _step_tables
    from skilltree.closure import implied
    from skilltree.index import index_of

    G = graph_from_data(generate(40, 300, seed=5, deep=True))
    index = index_of(G)
    table = _step_tables(index)
    rng = random.Random(5)
    for _ in range(20):
        profile = implied(G, random_profile(rng, index, rng.choice(index.roles)))
        expected = []
        for skill, level in fringe(G, profile):
            hours = index.step_hours(skill, level)
            row = table.arrays.number[skill]
            bound = table.bound[row, level] / hours
            for dependent, _pre_level in index.dependents[skill]:
                dep_level = profile.level(dependent) + 1
                if dep_level <= index.top_level(dependent):
                    both = hours + index.step_hours(dependent, dep_level)
                    bound = max(
                        bound, table.bound[table.arrays.number[dependent], dep_level] / both
                    )
            if bound > 0:
                expected.append((-bound, hours, skill, level))
        assert list(_open_steps(index, profile)) == sorted(expected)
