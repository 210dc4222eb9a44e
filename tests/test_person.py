"""The person as they are: implied prerequisites, the role they hold, their stack; and plans
that show it (choices explained, milestones, warnings)."""

from __future__ import annotations

import json

import pytest

from skilltree import Profile, load_graph, next_steps, plan, readiness, route
from skilltree.closure import implied

from .conftest import run_cli


@pytest.fixture(scope="module")
def G():
    return load_graph()


def test_a_held_language_implies_programming_fundamentals(G):
    result = plan(G, Profile({"python": 2, "git": 1}), "junior")
    assert ("programming-fundamentals", 1) not in result.steps.keys
    held = implied(G, Profile({"python": 2, "git": 1}))
    assert held.origins["programming-fundamentals"].source == "python"


def test_implied_skills_are_not_locked_any_more(G):
    from skilltree.views import statuses

    status = statuses(G, Profile({"python": 2, "git": 1}), ["oop", "debugging", "testing"])
    assert "locked" not in status.values()


def test_an_explicit_level_wins_over_an_implied_one(G):
    held = implied(G, Profile({"python": 2, "programming-fundamentals": 0}))
    assert held.level("programming-fundamentals") == 0
    assert "programming-fundamentals" not in held.origins


def test_the_role_you_hold_is_fully_ready(G):
    for role in ("junior", "confirmed", "senior", "tech-expert"):
        assert readiness(G, Profile(role=role), role).score == pytest.approx(1.0), role
        assert not plan(G, Profile(role=role), role).steps


def test_the_role_assumption_can_be_turned_off(G):
    assert readiness(G, Profile(role="junior", assume_role=False), "junior").score < 0.2


def test_a_skill_you_say_you_lack_stays_out_of_the_assumption(G):
    held = implied(G, Profile({"git": 0}, role="junior"))
    assert held.level("git") == 0
    assert [s.skill for s in plan(G, Profile({"git": 0}, role="junior"), "junior").steps] == ["git"]


def test_a_role_assumes_the_stack_you_prefer_for_its_groups(G):
    held = implied(G, Profile(role="junior", prefer={"ruby"}))
    assert held.level("ruby") >= 1
    assert held.origins["ruby"].kind == "role"


def test_preferred_framework_wins_even_when_dearer(G):
    cheapest = plan(G, Profile({"python": 2}), "junior")
    mine = plan(G, Profile({"python": 2}, prefer={"django", "postgresql"}), "junior")
    assert mine.choices["web-framework"] == ("django",)
    assert mine.choices["relational-database"] == ("postgresql",)
    assert mine.total_hours >= cheapest.total_hours
    assert mine.notes["web-framework"] == ("chosen: Django, which you prefer",)


def test_avoided_options_are_never_chosen_while_others_can_meet_the_group(G):
    result = plan(G, Profile(avoid={"sqlite", "flask", "heroku"}), "senior")
    chosen = {o for options in result.choices.values() for o in options}
    assert not chosen & {"sqlite", "flask", "heroku"}
    assert not result.warnings


def test_avoiding_every_option_says_which_requirement_cannot_be_met_otherwise(G):
    languages = {o for o, _ in __import__("skilltree").index_of(G).options["backend-language"]}
    result = plan(G, Profile(avoid=languages), "junior")
    assert len(result.choices["backend-language"]) == 1
    assert any("One back-end language" in w for w in result.warnings)
    assert "although you avoid it" in result.notes["backend-language"][0]


def test_a_required_skill_you_avoid_stays_with_a_warning(G):
    result = plan(G, Profile(avoid={"git"}), "junior")
    assert "git" in result.skills
    assert any("Git" in w and "avoid" in w for w in result.warnings)


def test_far_plans_come_in_milestones_one_per_rung(G):
    result = plan(G, Profile(), "senior")
    assert [m.role for m in result.milestones] == ["junior", "confirmed", "senior"]
    steps = [m.step for m in result.milestones]
    assert steps == sorted(steps)
    assert steps[-1] == len(result.steps)
    # After a milestone's steps, the person is ready for that rung.
    for m in result.milestones:
        done = Profile().with_levels((s.skill, s.to_level) for s in result.steps[: m.step])
        essential = [i for i in readiness(G, done, m.role).items if i.importance == "essential"]
        assert all(i.status == "met" for i in essential), m.role


def test_routes_start_from_the_role_held_and_cost_nothing_there(G):
    r = route(G, Profile(role="confirmed"), "senior")
    assert r.roles == ("confirmed", "senior")
    assert r.rungs[0].hours == 0


def test_next_steps_put_essential_steps_first_and_quick_wins_apart(G):
    found = next_steps(G, Profile({"python": 2}), "senior", limit=20, optional=True)
    essential = [s.essential for s in found if s.in_plan]
    assert essential == sorted(essential, reverse=True)
    assert any(s.quick for s in found)


def test_cli_prefer_avoid_and_role_flags(G):
    code, out, err = run_cli(
        "plan", "--target", "junior", "--have", "python:2", "--prefer", "django,kotlin", "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["choices"]["web-framework"] == ["django"]
    assert "unknown skill 'kotlin'" in err
    assert data["exact"] is True
    assert data["gap"] == 0
    assert {
        "skill": "programming-fundamentals",
        "level": 1,
        "kind": "prerequisite",
        "by": "python",
    } in data["implied"]
    code, out, _ = run_cli("plan", "--target", "junior", "--role", "junior", "--json")
    assert json.loads(out)["steps"] == []
    code, out, _ = run_cli(
        "plan", "--target", "junior", "--role", "junior", "--no-assume-role", "--json"
    )
    assert json.loads(out)["steps"]


def test_cli_refuses_a_stack_that_names_nothing_known_or_contradicts_itself():
    code, _out, err = run_cli("plan", "--target", "junior", "--prefer", "kotlin,elixir")
    assert code == 2
    assert "none of kotlin, elixir" in err
    code, _out, err = run_cli("plan", "--target", "junior", "--prefer", "java", "--avoid", "java")
    assert code == 2
    assert "both preferred and avoided" in err


def test_cli_plan_text_shows_milestones_and_exactness():
    code, out, _ = run_cli("plan", "--target", "senior")
    assert code == 0
    assert "proven minimal" in out
    assert "Milestones: ready for Junior back-end developer after step" in out


def test_profile_json_carries_the_stack(G, tmp_path):
    path = tmp_path / "me.json"
    path.write_text(json.dumps({"skills": {"python": 2}, "prefer": ["django"], "avoid": ["php"]}))
    code, out, err = run_cli("plan", "--target", "junior", "--profile", str(path), "--json")
    assert code == 0, err
    assert json.loads(out)["choices"]["web-framework"] == ["django"]


def test_checklist_has_milestones_choices_and_reading_links(G):
    from datetime import date

    from skilltree.export import markdown_checklist

    result = plan(G, Profile({"python": 2}, prefer={"django"}), "senior")
    text = markdown_checklist(G, result, 10, date(2026, 12, 1))
    assert "## Milestones" in text
    assert "### Toward Junior back\\-end developer" in text
    assert "which you prefer" in text
    assert "proven minimal" in text
    assert "  - read: [" in text


def test_a_choice_says_whether_the_option_is_yours_or_assumed_from_your_role(G):
    result = plan(G, Profile({"python": 2, "git": 1}, role="junior"), "confirmed")
    notes = [n for group in result.notes.values() for n in group]
    assert "chosen: Python, which you already have" in notes
    assert "chosen: Heroku, assumed from your role" in notes, notes
    assert not any(n.endswith("Heroku, which you already have") for n in notes)


def _chain_graph():
    from skilltree import graph_from_data

    def skill(sid, *requires):
        return {
            "id": sid,
            "name": sid.upper(),
            "category": "tool",
            "description": "",
            "hours": [5, 5, 5],
            "requires": [{"id": p, "level": lv} for p, lv in requires],
        }

    skills = [
        skill("a"),
        skill("b", ("a", 1)),
        skill("c", ("b", 2)),
        skill("z", ("a", 1)),
        skill("y", ("a", 2)),
    ]
    role = {"id": "r", "name": "R", "rank": 1, "requires": [], "next": []}
    return graph_from_data(
        {"format": 1, "name": "chain", "roles": [role], "skills": skills, "groups": []}
    )


@pytest.mark.parametrize("walk_links", [10**9, 0], ids=["link by link", "in passes"])
def test_an_implied_skill_names_a_skill_the_person_stated_as_its_source(walk_links):
    from skilltree.closure import _close
    from skilltree.index import index_of

    G = _chain_graph()
    index = index_of(G)
    # a is asked at level 1 by b (implied by c) and by z (stated): z, though b comes first.
    closed = _close(index, Profile({"c": 1, "z": 1}), walk_links).profile()
    assert closed.skills == {"a": 1, "b": 2, "c": 1, "z": 1}
    assert closed.origins["a"].source == "z"
    assert closed.origins["b"].source == "c"
    # Asked at level 2 by y only: y, whatever else asks less.
    closed = _close(index, Profile({"c": 1, "z": 1, "y": 1}), walk_links).profile()
    assert closed.level("a") == 2
    assert closed.origins["a"].source == "y"
    # Two stated askers of one level: the first by name.
    closed = _close(index, Profile({"b": 1, "z": 1}), walk_links).profile()
    assert closed.origins["a"].source == "b"
