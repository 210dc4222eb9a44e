"""Format 2: the ladder's own levels, tracks and categories, links, soft order, a recommended
option and ``pick`` on a requirement; and what the format refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from skilltree import DataError, Profile, graph_from_data, index_of, load_graph, plan, readiness
from skilltree.views import categories_of, node_card

FIVE = Path(__file__).resolve().parent / "fixtures" / "five-levels.yaml"


@pytest.fixture(scope="module")
def G():
    return load_graph(FIVE)


def five() -> dict:
    return yaml.safe_load(FIVE.read_text(encoding="utf-8"))


def problems_of(data: dict) -> list[str]:
    with pytest.raises(DataError) as caught:
        graph_from_data(data, "five.yaml")
    return [str(p) for p in caught.value.problems]


def test_five_level_ladder_loads_with_its_own_level_names(G):
    assert G.graph["levels"] == ("aware", "novice", "practitioner", "expert", "authority")
    assert index_of(G).top_level("shell") == 5


def test_plan_reaches_level_four_of_five(G):
    result = plan(G, Profile(), "engineer-2")
    shell = [s.to_level for s in result.steps if s.skill == "shell"]
    assert shell == [1, 2, 3, 4]


def test_pick_on_a_requirement_overrides_the_groups(G):
    junior = plan(G, Profile(), "engineer-1")
    senior = plan(G, Profile(), "engineer-2")
    assert len(junior.choices["pipelines"]) == 1
    assert len(senior.choices["pipelines"]) == 2


def test_readiness_counts_the_requirements_pick(G):
    one = readiness(G, Profile({"shell": 4, "gitlab-ci": 3}), "engineer-2")
    two = readiness(G, Profile({"shell": 4, "gitlab-ci": 3, "github-actions": 3}), "engineer-2")
    assert one.score < two.score == 1.0


def test_soft_order_puts_a_skill_after_the_one_it_follows():
    data = five()
    data["groups"][0]["options"] = [{"id": "jenkins"}, {"id": "github-actions"}]
    data["groups"][0].pop("preferred")
    data["roles"][1]["requires"][1]["pick"] = 2
    G = graph_from_data(data)
    order = [s.skill for s in plan(G, Profile(), "engineer-2").steps]
    assert order.index("github-actions") < order.index("jenkins")
    assert G.edges["github-actions", "jenkins"]["kind"] == "after"


def test_tracks_and_categories_are_the_ladders_own(G):
    assert [t["id"] for t in G.graph["tracks"]] == ["engineer", "lead"]
    categories = {c.id: c for c in categories_of(G)}
    assert categories["infra"].name == "Infrastructure"
    assert categories["infra"].color == "#117733"
    assert categories["ci-cd"].name == "CI/CD"
    # An undeclared colour comes from the palette, distinct from the others drawn.
    colors = [c.color for c in categories.values()]
    assert len(set(colors)) == len(colors)


def test_resources_show_on_the_card(G):
    card = node_card(G, "shell", Profile())
    assert ("Bash manual", "https://www.gnu.org/software/bash/manual/") in card.links


def test_a_level_past_the_top_is_refused_in_the_ladders_words():
    data = five()
    data["roles"][0]["requires"][0]["level"] = 6
    [problem] = problems_of(data)
    assert "this ladder has 5 levels" in problem
    assert "requires[0].level" in problem


def test_hours_must_have_one_figure_per_level():
    data = five()
    data["skills"][0]["hours"] = [4, 10, 30]
    [problem] = problems_of(data)
    assert "this ladder has 5 levels, so hours needs 5 figures" in problem
    assert "skills[0] 'shell'" in problem


def test_unknown_track_is_refused():
    data = five()
    data["roles"][0]["track"] = "management"
    [problem] = problems_of(data)
    assert "unknown track 'management'" in problem


def test_preferred_must_be_an_option():
    data = five()
    data["groups"][0]["preferred"] = "shell"
    [problem] = problems_of(data)
    assert "preferred option 'shell' is not one of the options" in problem


def test_pick_on_a_skill_requirement_is_refused():
    data = five()
    data["roles"][0]["requires"][0]["pick"] = 2
    [problem] = problems_of(data)
    assert "pick applies to groups" in problem


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://example.org/x", "file:///etc/passwd", "https://", "http://a b"],
)
def test_only_http_links_are_accepted(url):
    data = five()
    data["skills"][0]["resources"] = [{"title": "x", "url": url}]
    [problem] = problems_of(data)
    assert "resources[0].url" in problem


@pytest.mark.parametrize("bad", ["a\x00b", "clear\x1b[2J", "bell\x07", "two\nlines"])
def test_control_characters_are_refused_in_names(bad):
    data = five()
    data["skills"][0]["name"] = bad
    [problem] = problems_of(data)
    assert "skills[0] 'shell' › name" in problem
    assert "control character" in problem


def test_line_breaks_are_fine_in_descriptions():
    data = five()
    data["skills"][0]["description"] = "first line\n\tsecond line"
    assert graph_from_data(data).nodes["shell"]["description"].startswith("first line")


@pytest.mark.parametrize("value", [float("inf"), float("nan"), 1e300])
def test_salaries_must_be_finite_and_sane(value):
    data = five()
    data["roles"][0]["salary"] = {"min": 1, "max": value, "source": "x"}
    assert any("salary" in p for p in problems_of(data))


def test_format_one_file_loads_unchanged():
    from skilltree import graph_from_text

    from .conftest import TINY_YAML

    G = graph_from_text(TINY_YAML, "tiny.yaml")
    assert G.graph["format"] == 1
    assert G.graph["levels"] == ("basics", "working", "advanced")
    assert [t["id"] for t in G.graph["tracks"]] == ["individual", "expert", "management"]


def test_validate_rewrites_a_format_one_file_in_format_two(tmp_path):
    from .conftest import run_cli

    out = tmp_path / "ladder.yaml"
    code, text, _err = run_cli("validate", "--upgrade", "--out", str(out))
    assert code == 0, text
    upgraded = load_graph(out)
    assert upgraded.graph["format"] == 2
    assert upgraded.graph["levels"] == ("basics", "working", "advanced")
    assert sorted(upgraded.nodes) == sorted(load_graph().nodes)
