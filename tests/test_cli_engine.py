"""The query commands (plan, next, route): JSON for scripts, tables for people, clean errors."""

from __future__ import annotations

import json

import pytest

from .conftest import TINY_YAML
from .conftest import run_cli as run


def run_json(*args: str) -> dict:
    code, out, err = run(*args, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def tiny(write_file):
    return str(write_file(TINY_YAML))


# --- plan -------------------------------------------------------------------------------------


def test_plan_json_has_the_target_readiness_hours_and_steps():
    data = run_json("plan", "--target", "junior", "--have", "python:2")
    assert {"target", "readiness", "total_hours", "exact", "steps"} <= set(data)
    assert data["target"] == "junior"
    assert 0 < data["readiness"] < 1
    assert data["exact"] is True
    assert data["steps"]
    for step in data["steps"]:
        assert {"skill", "from_level", "to_level", "hours", "reasons"} <= set(step)
        assert step["to_level"] == step["from_level"] + 1
        assert step["reasons"]
    assert data["total_hours"] == pytest.approx(sum(s["hours"] for s in data["steps"]))


def test_plan_json_with_python_chooses_a_python_framework():
    data = run_json("plan", "--target", "junior", "--have", "python:2")
    assert data["choices"]["backend-language"] == ["python"]
    assert data["choices"]["web-framework"][0] in {"django", "flask", "pyramid"}
    assert not any(s["skill"] == "python" and s["to_level"] <= 2 for s in data["steps"])


def test_plan_json_gives_weeks_at_the_pace(tiny):
    data = run_json("plan", "--data", tiny, "--target", "junior", "--pace", "20")
    assert data["total_hours"] == 40
    assert (data["pace_hours_per_week"], data["weeks"]) == (20, 2)
    assert data["steps"][0]["done_by"]


def test_plan_optional_flag_plans_optional_requirements(tiny):
    plain = run_json("plan", "--data", tiny, "--target", "junior")
    full = run_json("plan", "--data", tiny, "--target", "junior", "--optional")
    assert [s["skill"] for s in plain["steps"]] == ["python"]
    assert sorted(s["skill"] for s in full["steps"]) == ["git", "python"]


def test_plan_text_is_a_readable_table(tiny):
    code, out, _ = run("plan", "--data", tiny, "--target", "senior", "--have", "java:1")
    assert code == 0
    lines = out.splitlines()
    # Java 1 → 2 is 150 h; Python from scratch to level 2 is 140 h.
    assert lines[0].startswith("Plan to Senior: readiness now 40%, 140 h to go")
    assert "Choices: A language: Python" in out
    header = next(i for i, line in enumerate(lines) if line.startswith("#"))
    assert lines[header].split() == ["#", "skill", "level", "hours", "total", "done", "by", "why"]
    assert set(lines[header + 1].replace(" ", "")) == {"-"}
    assert lines[header + 2].split()[:5] == ["1", "Python", "0→1", "40", "40"]
    assert lines[header + 3].split()[:5] == ["2", "Python", "1→2", "100", "140"]


def test_plan_text_says_when_there_is_nothing_to_learn(tiny):
    code, out, _ = run("plan", "--data", tiny, "--target", "junior", "--have", "python")
    assert code == 0
    assert "Nothing to learn" in out


# --- next -------------------------------------------------------------------------------------


def test_next_json_gives_ranked_suggestions():
    data = run_json("next", "--have", "python:2", "--target", "junior", "--limit", "5")
    assert data["target"] == "junior"
    suggestions = data["suggestions"]
    assert 1 <= len(suggestions) <= 5
    for s in suggestions:
        assert {"skill", "level", "hours", "score", "reason"} <= set(s)
    scores = [s["score"] for s in suggestions]
    assert scores == sorted(scores, reverse=True)


def test_next_json_without_target_ranks_across_roles():
    data = run_json("next", "--have", "python:2", "--limit", "3")
    assert data["target"] is None
    assert len(data["suggestions"]) == 3


def test_next_text_numbers_each_reason(tiny):
    code, out, _ = run("next", "--data", tiny, "--target", "junior")
    assert code == 0
    assert out.splitlines()[0].startswith(" 1. ")
    assert "Junior's “A language” requirement" in out


def test_next_text_says_when_there_is_nothing_left(tiny):
    code, out, _ = run("next", "--data", tiny, "--have", "python:3,java:3,git:3,github:3")
    assert code == 0
    assert "Nothing left to suggest" in out


def test_next_limit_below_one_exits_2(tiny):
    code, _out, err = run("next", "--data", tiny, "--limit", "0")
    assert code == 2
    assert "--limit" in err


# --- route ------------------------------------------------------------------------------------


def test_route_json_gives_each_route_rung_by_rung():
    data = run_json("route", "--to", "tech-expert,engineering-manager")
    expert, manager = data["routes"]
    assert expert["roles"] == ["junior", "confirmed", "senior", "tech-expert"]
    assert manager["roles"][-1] == "engineering-manager"
    for r in data["routes"]:
        assert [rung["role"] for rung in r["rungs"]] == r["roles"]
        running = 0.0
        for rung in r["rungs"]:
            running += rung["hours"]
            assert rung["cumulative_hours"] == pytest.approx(running)
            assert "salary" in rung
        assert r["total_hours"] == pytest.approx(running)
    assert expert["rungs"][1]["salary_change"] == [10000, 10000]


def test_route_json_compares_the_targets():
    data = run_json("route", "--to", "tech-expert,engineering-manager")
    expert, manager = data["comparison"]["targets"]
    assert "people-management" in manager["distinct"]
    assert "people-management" not in expert["distinct"]
    assert "people-management" not in data["comparison"]["shared"]


def test_route_starts_at_the_current_role():
    data = run_json("route", "--to", "senior", "--role", "confirmed")
    assert data["routes"][0]["roles"] == ["confirmed", "senior"]


def test_route_text_is_a_table_per_route_and_a_comparison(tiny):
    code, out, _ = run("route", "--data", tiny, "--to", "senior,junior", "--have", "python")
    assert code == 0
    assert "Route to Senior: 100 h in all" in out
    assert "EUR 35K–48K gross/year" in out
    assert "Side by side" in out
    assert "Shared by every path:" in out


def test_route_down_the_ladder_explains_and_fails(tiny):
    code, out, err = run("route", "--data", tiny, "--to", "junior", "--from", "senior")
    assert code != 0
    assert out == ""
    assert "no progression leads from 'senior' to 'junior'" in err


def test_route_that_does_not_exist_is_a_usage_error(tiny):
    code, _out, _err = run("route", "--data", tiny, "--to", "junior", "--from", "senior")
    assert code == 2


# --- profiles and usage errors ----------------------------------------------------------------


def test_profile_file_works_like_have(write_file):
    path = write_file(json.dumps({"role": "junior", "skills": {"python": 2}}), "me.json")
    from_file = run_json("plan", "--target", "junior", "--profile", str(path))
    from_flag = run_json("plan", "--target", "junior", "--have", "python:2", "--role", "junior")
    assert from_file["steps"] == from_flag["steps"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("python: 2", "not a JSON profile"),
        ('["python"]', "must be a JSON object"),
        ('{"skills": {"pyton": 2}}', "did you mean 'python'"),
        ('{"skills": {"python": 7}}', "level must be a whole number"),
    ],
)
def test_bad_profile_file_exits_2_naming_the_file(write_file, content, message):
    path = write_file(content, "me.json")
    code, out, err = run("plan", "--target", "junior", "--profile", str(path))
    assert code == 2
    assert out == ""
    assert f"{path}:" in err
    assert message in err


def test_missing_profile_file_exits_2_naming_it():
    code, _out, err = run("plan", "--target", "junior", "--profile", "no/such/me.json")
    assert code == 2
    assert "no/such/me.json: cannot read" in err


def test_profile_file_with_a_huge_number_exits_2(write_file):
    path = write_file('{"python": 1' + "0" * 5000 + "}", "me.json")
    code, _out, err = run("plan", "--target", "junior", "--profile", str(path))
    assert code == 2
    assert str(path) in err


def test_have_with_a_superscript_level_exits_2():
    code, _out, _err = run("plan", "--target", "junior", "--have", "python:²")
    assert code == 2


def test_unknown_skill_in_have_exits_2_with_a_suggestion():
    code, _out, err = run("plan", "--target", "junior", "--have", "pyhton:2")
    assert code == 2
    assert "did you mean 'python'" in err


@pytest.mark.parametrize("command", ["plan", "next"])
def test_unknown_role_exits_2_with_a_suggestion(command):
    code, out, err = run(command, "--target", "junor")
    assert code == 2
    assert out == ""
    assert "unknown role 'junor' — did you mean 'junior'?" in err


def test_unknown_role_in_route_exits_2_with_a_suggestion():
    code, _out, err = run("route", "--to", "tech-expert,enginering-manager")
    assert code == 2
    assert "did you mean 'engineering-manager'" in err


def test_have_and_profile_together_exit_2(write_file):
    path = write_file('{"python": 2}', "me.json")
    code, _out, err = run("plan", "--target", "junior", "--have", "sql", "--profile", str(path))
    assert code == 2
    assert "--have or --profile, not both" in err


@pytest.mark.parametrize("pace", ["0", "-3", "200", "nan"])
def test_pace_out_of_range_exits_2(pace):
    code, _out, err = run("plan", "--target", "junior", f"--pace={pace}")
    assert code == 2
    assert "--pace" in err


def test_route_needs_a_target():
    code, _out, err = run("route", "--to", " , ")
    assert code == 2
    assert "--to needs at least one role" in err
