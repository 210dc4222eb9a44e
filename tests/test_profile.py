"""Profiles: the ``--have`` flag, JSON profiles, lenient cleaning, and the Profile value."""

from __future__ import annotations

import textwrap

import pytest

from skilltree import ProfileError, UnknownIdError, graph_from_text, resolve_id
from skilltree.profile import (
    Profile,
    clean_profile,
    format_have,
    parse_have,
    profile_from_json,
)

LADDER = textwrap.dedent(
    """\
    name: Profile ladder
    roles:
      - {id: junior, name: Junior developer, rank: 1, requires: [{id: language}]}
    skills:
      - {id: python, name: Python, category: language, description: "", hours: [1, 2, 3]}
      - {id: java, name: Java, category: language, description: "", hours: [1, 2, 3]}
      - {id: sql, name: SQL, category: database, description: "", hours: [1, 2, 3]}
      - {id: git, name: Git, category: tool, description: "", hours: [1, 2, 3]}
      - id: postgresql
        name: PostgreSQL
        category: database
        description: ""
        hours: [1, 2, 3]
        aliases: [Postgres, PG]
    groups:
      - {id: language, name: A language, options: [{id: python}, {id: java}]}
    """
)


@pytest.fixture(scope="module")
def G():
    return graph_from_text(LADDER, "ladder.yaml")


def problems(call, *args):
    with pytest.raises(ProfileError) as info:
        call(*args)
    return info.value.problems


# --- the --have flag --------------------------------------------------------------------------


def test_have_reads_levels_and_a_bare_id_is_level_one(G):
    assert parse_have(G, "python:2,sql,git:1").skills == {"git": 1, "python": 2, "sql": 1}


def test_have_ignores_spaces_and_empty_items(G):
    assert parse_have(G, " python : 3 , ,sql, ").skills == {"python": 3, "sql": 1}


def test_have_of_nothing_is_the_empty_profile(G):
    assert parse_have(G, "") == Profile()


def test_have_resolves_names_and_aliases_in_any_case(G):
    profile = parse_have(G, "PYTHON:2,postgres,Java:1,pg:3")
    assert profile.skills == {"java": 1, "postgresql": 3, "python": 2}


def test_have_keeps_the_highest_level_of_a_repeated_skill(G):
    assert parse_have(G, "python:3,python:1").skills == {"python": 3}


def test_have_rejects_an_unknown_id_naming_it_with_close_ids(G):
    [problem] = problems(parse_have, G, "pyton:2")
    assert "'pyton'" in problem
    assert "did you mean 'python'" in problem


def test_have_rejects_a_group_id_saying_what_it_is(G):
    [problem] = problems(parse_have, G, "language")
    assert "language is a group" in problem


@pytest.mark.parametrize("level", ["4", "x", "-1", "1.5", ""])
def test_have_rejects_a_level_outside_zero_to_three(G, level):
    [problem] = problems(parse_have, G, f"python:{level}")
    assert problem.startswith("python: level must be a whole number 0–3")
    assert level in problem.rsplit("got ", 1)[1]


def test_have_reports_every_problem_at_once(G):
    found = problems(parse_have, G, "pyton,sql:9,gitt:1,java:x")
    assert len(found) == 4
    assert any("'pyton'" in p for p in found)
    assert any("'gitt'" in p for p in found)
    assert any(p.startswith("sql:") for p in found)
    assert any(p.startswith("java:") for p in found)


def test_have_rejects_a_superscript_digit_level(G):
    assert problems(parse_have, G, "python:²")


def test_have_rejects_a_level_of_thousands_of_digits(G):
    assert problems(parse_have, G, "python:" + "9" * 5000)


def test_have_round_trips_through_format_have(G):
    profile = parse_have(G, "sql,python:2")
    assert format_have(profile) == "python:2,sql:1"
    assert parse_have(G, format_have(profile)) == profile


# --- JSON profiles ----------------------------------------------------------------------------


def test_json_profile_with_role_and_skills(G):
    profile = profile_from_json(G, {"role": "Junior developer", "skills": {"Python": 2, "sql": 1}})
    assert profile == Profile({"python": 2, "sql": 1}, role="junior")


def test_json_profile_may_be_a_bare_mapping_of_skills(G):
    assert profile_from_json(G, {"python": 2, "git": 1}) == Profile({"git": 1, "python": 2})


def test_json_profile_with_no_skills_is_empty(G):
    assert profile_from_json(G, {"role": "junior", "skills": None}) == Profile(role="junior")


def test_level_zero_says_you_do_not_have_it(G):
    assert parse_have(G, "python:0").skills == {"python": 0}


@pytest.mark.parametrize("level", [-1, 4, "x", True, 2.5, None])
def test_json_profile_rejects_bad_levels(G, level):
    [problem] = problems(profile_from_json, G, {"skills": {"python": level}})
    assert problem.startswith("python: level must be a whole number")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([["python", 2]], "must be a JSON object, got list"),
        ("python:2", "must be a JSON object, got str"),
        ({"skills": ["python"]}, "'skills' must be an object"),
        ({"skills": {}, "level": 2}, "unknown field 'level'"),
    ],
)
def test_json_profile_of_the_wrong_shape_is_rejected(G, data, message):
    [problem] = problems(profile_from_json, G, data)
    assert message in problem


def test_json_profile_rejects_an_unknown_role_with_close_ids(G):
    [problem] = problems(profile_from_json, G, {"role": "junor", "skills": {}})
    assert "unknown role 'junor'" in problem
    assert "did you mean 'junior'" in problem


def test_json_profile_reports_every_problem_at_once(G):
    found = problems(
        profile_from_json, G, {"role": "lead", "skills": {"pyton": 1, "sql": 9, "git": True}}
    )
    assert len(found) == 4


# --- lenient cleaning -------------------------------------------------------------------------


def test_clean_profile_keeps_what_it_can_and_describes_what_it_drops(G):
    profile, dropped = clean_profile(
        G, [("python", "2"), ("pyton", 1), ("sql", 7), ("git", 1)], role="nope"
    )
    assert profile == Profile({"git": 1, "python": 2})
    assert len(dropped) == 3
    assert any("'pyton'" in d and "'python'" in d for d in dropped)
    assert any(d.startswith("sql: level") for d in dropped)
    assert any("unknown role 'nope'" in d for d in dropped)


def test_clean_profile_of_good_pairs_drops_nothing(G):
    assert clean_profile(G, [("Postgres", 1)], "junior") == (
        Profile({"postgresql": 1}, "junior"),
        [],
    )


# --- the Profile value and resolving ids ------------------------------------------------------


def test_profile_level_of_a_skill_not_held_is_zero():
    assert Profile({"python": 2}).level("java") == 0


def test_with_level_never_lowers_a_level():
    profile = Profile({"python": 2})
    assert profile.with_level("python", 1).level("python") == 2
    assert profile.with_levels([("python", 3), ("sql", 1)]).skills == {"python": 3, "sql": 1}
    assert profile.skills == {"python": 2}


def test_profile_copies_its_skills():
    skills = {"python": 2}
    profile = Profile(skills)
    skills["python"] = 3
    assert profile.level("python") == 2


def test_profile_to_json_reads_back(G):
    profile = Profile({"python": 2}, role="junior")
    assert profile.to_json() == {"role": "junior", "skills": {"python": 2}}
    assert profile_from_json(G, profile.to_json()) == profile


def test_resolve_id_of_an_unknown_name_suggests_close_ids(G):
    with pytest.raises(UnknownIdError) as info:
        resolve_id(G, "jav", "skill")
    assert info.value.ident == "jav"
    assert "java" in info.value.suggestions
