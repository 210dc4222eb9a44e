"""Readiness: a weighted score in [0, 1] and the status of every requirement behind it."""

from __future__ import annotations

import textwrap

import pytest

from skilltree import UnknownIdError, graph_from_text
from skilltree.coverage import readiness, readiness_all
from skilltree.model import DEFAULT_WEIGHTS
from skilltree.profile import Profile

ESSENTIAL_WEIGHT, OPTIONAL_WEIGHT = DEFAULT_WEIGHTS.essential, DEFAULT_WEIGHTS.optional


def graph(*parts: str):
    """A graph from YAML parts, each dedented on its own."""
    text = "name: test\n" + "".join(textwrap.dedent(part) for part in parts)
    return graph_from_text(text, "test.yaml")


SKILLS = """\
skills:
  - {id: a, name: A, category: tool, description: "", hours: [1, 1, 1]}
  - {id: b, name: B, category: tool, description: "", hours: [1, 1, 1]}
  - {id: c, name: C, category: tool, description: "", hours: [1, 1, 1]}
"""


def test_score_explains_met_partial_and_missing():
    G = graph(
        """\
        roles:
          - {id: dev, name: Dev, rank: 1, requires: [{id: a}, {id: b, level: 2}, {id: c}]}
        """,
        SKILLS,
    )
    result = readiness(G, Profile({"a": 1, "b": 1}), "dev")
    assert [i.node for i in result.met] == ["a"]
    assert [i.node for i in result.partial] == ["b"]
    assert [i.node for i in result.missing] == ["c"]
    assert 0 < result.score < 1
    assert result.score == pytest.approx((1 + 0.5 + 0) / 3)


def test_partial_level_earns_partial_credit():
    G = graph(
        """\
        roles: [{id: dev, name: Dev, rank: 1, requires: [{id: a, level: 2}]}]
        """,
        SKILLS,
    )
    [item] = readiness(G, Profile({"a": 1}), "dev").items
    assert (item.level, item.have, item.credit, item.status) == (2, 1, 0.5, "partial")


def test_level_above_the_need_counts_no_more_than_met():
    G = graph(
        """\
        roles: [{id: dev, name: Dev, rank: 1, requires: [{id: a, level: 2}]}]
        """,
        SKILLS,
    )
    assert readiness(G, Profile({"a": 3}), "dev").score == 1.0


def test_essential_weighs_more_than_optional():
    G = graph(
        """\
        roles:
          - id: dev
            name: Dev
            rank: 1
            requires: [{id: a}, {id: b, importance: optional}]
        """,
        SKILLS,
    )
    total = ESSENTIAL_WEIGHT + OPTIONAL_WEIGHT
    assert ESSENTIAL_WEIGHT > OPTIONAL_WEIGHT
    assert readiness(G, Profile({"a": 1}), "dev").score == pytest.approx(ESSENTIAL_WEIGHT / total)
    assert readiness(G, Profile({"b": 1}), "dev").score == pytest.approx(OPTIONAL_WEIGHT / total)


def test_group_counts_by_its_best_option():
    G = graph(
        """\
        roles: [{id: dev, name: Dev, rank: 1, requires: [{id: lang, level: 2}]}]
        groups: [{id: lang, name: Lang, options: [{id: a}, {id: b}]}]
        """,
        SKILLS,
    )
    [item] = readiness(G, Profile({"a": 1, "b": 2}), "dev").items
    assert (item.credit, item.have, item.counted) == (1.0, 2, ("b",))
    assert readiness(G, Profile({"a": 1}), "dev").score == 0.5


def test_group_of_any_two_counts_the_mean_of_its_best_two():
    G = graph(
        """\
        roles: [{id: dev, name: Dev, rank: 1, requires: [{id: two}]}]
        groups: [{id: two, name: Two, pick: 2, options: [{id: a}, {id: b}, {id: c}]}]
        """,
        SKILLS,
    )
    assert readiness(G, Profile({"a": 1}), "dev").score == 0.5
    [item] = readiness(G, Profile({"a": 1, "c": 3}), "dev").items
    assert item.credit == 1.0
    assert set(item.counted) == {"a", "c"}


def test_group_option_counts_at_its_own_level_when_higher():
    G = graph(
        """\
        roles: [{id: dev, name: Dev, rank: 1, requires: [{id: lang, level: 1}]}]
        groups: [{id: lang, name: Lang, options: [{id: a, level: 2}]}]
        """,
        SKILLS,
    )
    assert readiness(G, Profile({"a": 1}), "dev").score == 0.5


def test_full_profile_scores_one_and_empty_profile_scores_zero():
    G = graph(
        """\
        roles: [{id: dev, name: Dev, rank: 1, requires: [{id: a, level: 3}, {id: b}]}]
        """,
        SKILLS,
    )
    assert readiness(G, Profile({"a": 3, "b": 1}), "dev").score == 1.0
    assert readiness(G, Profile(), "dev").score == 0.0


def test_role_with_no_requirements_scores_one():
    G = graph(
        """\
        roles: [{id: dev, name: Dev, rank: 1}]
        """,
        SKILLS,
    )
    result = readiness(G, Profile(), "dev")
    assert (result.score, result.items) == (1.0, ())


def test_role_inherits_requirements_of_lower_rungs_at_the_highest_level():
    G = graph(
        """\
        roles:
          - id: junior
            name: Junior
            rank: 1
            requires: [{id: a, level: 2}, {id: b, importance: optional}, {id: c}]
            next: [{id: senior}]
          - {id: senior, name: Senior, rank: 2, requires: [{id: a, level: 1}, {id: b}]}
        """,
        SKILLS,
    )
    items = {i.node: i for i in readiness(G, Profile(), "senior").items}
    assert set(items) == {"a", "b", "c"}
    assert (items["a"].level, items["a"].origin) == (2, "junior")
    assert items["b"].importance == "essential"
    assert items["c"].origin == "junior"


def test_optional_need_at_a_higher_level_never_raises_the_essential_one():
    G = graph(
        """\
        roles:
          - {id: junior, name: Junior, rank: 1, requires: [{id: a}], next: [{id: senior}]}
          - id: senior
            name: Senior
            rank: 2
            requires: [{id: a, level: 2, importance: optional}]
        """,
        SKILLS,
    )
    items = readiness(G, Profile(), "senior").items
    assert sorted((i.level, i.importance) for i in items) == [(1, "essential"), (2, "optional")]


def test_lower_rung_does_not_inherit_from_higher_rungs():
    G = graph(
        """\
        roles:
          - {id: junior, name: Junior, rank: 1, requires: [{id: a}], next: [{id: senior}]}
          - {id: senior, name: Senior, rank: 2, requires: [{id: b}]}
        """,
        SKILLS,
    )
    assert [i.node for i in readiness(G, Profile(), "junior").items] == ["a"]


def test_readiness_of_an_unknown_role_is_an_error():
    G = graph(
        """\
        roles: [{id: dev, name: Dev, rank: 1}]
        """,
        SKILLS,
    )
    with pytest.raises(UnknownIdError, match="did you mean 'dev'"):
        readiness(G, Profile(), "deb")
    with pytest.raises(UnknownIdError, match="a is a skill"):
        readiness(G, Profile(), "a")


def test_readiness_all_lists_every_role_in_ladder_order():
    G = graph(
        """\
        roles:
          - {id: senior, name: Senior, rank: 2, requires: [{id: b}]}
          - {id: junior, name: Junior, rank: 1, requires: [{id: a}], next: [{id: senior}]}
        """,
        SKILLS,
    )
    scores = {role: r.score for role, r in readiness_all(G, Profile({"a": 1})).items()}
    assert list(scores) == ["junior", "senior"]
    assert scores == {"junior": 1.0, "senior": 0.5}


def test_scores_for_many_roles_match_the_full_readiness():
    import random

    from skilltree import load_graph, node_ids
    from skilltree.coverage import readiness_scores

    G = load_graph()
    skills = node_ids(G, "skill")
    rng = random.Random(5)
    for _ in range(60):
        profile = Profile({s: rng.randint(1, 3) for s in rng.sample(skills, rng.randint(0, 40))})
        scores = readiness_scores(G, profile)
        for role in node_ids(G, "role"):
            assert scores[role] == pytest.approx(readiness(G, profile, role).score), role
