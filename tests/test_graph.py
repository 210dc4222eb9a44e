"""Loading data files: the graph it builds, and one test per kind of bad input."""

from __future__ import annotations

import json

import networkx as nx
import pytest
import yaml

from skilltree import DataError, graph_from_text, load_graph
from skilltree.io.document import MAX_YAML_BYTES

from .conftest import TINY_YAML


def problems_of(text: str | bytes, name: str = "data.yaml") -> list[str]:
    with pytest.raises(DataError) as info:
        graph_from_text(text, name)
    return [str(p) for p in info.value.problems]


def test_tiny_file_builds_edges_from_needed_to_needing(write_file):
    G = load_graph(write_file(TINY_YAML))
    assert G.edges["git", "github"] == {"kind": "prerequisite", "level": 1}
    assert G.edges["language", "junior"]["kind"] == "requirement"
    assert G.edges["python", "language"]["kind"] == "option"
    assert G.edges["junior", "senior"] == {"kind": "progression", "years": 3}
    assert G.nodes["python"]["hours"] == (40, 100, 200)
    assert G.nodes["junior"]["salary"]["currency"] == "EUR"
    assert G.graph["name"] == "Tiny ladder"


def test_loaded_graph_is_frozen(write_file):
    G = load_graph(write_file(TINY_YAML))
    assert nx.is_frozen(G)
    with pytest.raises(nx.NetworkXError):
        G.add_node("x")


def test_json_and_yaml_give_the_same_graph(write_file):
    as_json = json.dumps(yaml.safe_load(TINY_YAML))
    a = load_graph(write_file(TINY_YAML))
    b = load_graph(write_file(as_json, "data.json"))
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert set(a.edges) == set(b.edges)


def test_missing_file_is_reported_with_its_name():
    with pytest.raises(DataError, match=r"nope\.yaml: cannot read"):
        load_graph("nope.yaml")


def test_empty_file():
    assert problems_of("") == ["data.yaml: the file is empty"]
    assert problems_of("   \n# only a comment\n") == ["data.yaml: the file is empty"]


def test_top_level_must_be_a_mapping():
    assert problems_of("- a\n- b\n") == ["data.yaml:1: the top level must be a mapping, got list"]


def test_oversized_file_is_refused_before_parsing():
    (problem,) = problems_of(b"#" * (MAX_YAML_BYTES + 1))
    assert "over the limit" in problem


def test_invalid_utf8():
    (problem,) = problems_of(b"name: \xff\xfe\n")
    assert "not UTF-8" in problem


def test_syntax_error_names_the_line():
    (problem,) = problems_of("name: x\nroles: [\n")
    assert problem.startswith("data.yaml:")
    assert "invalid YAML" in problem


def test_invalid_json_names_the_line():
    (problem,) = problems_of('{\n"name": "x",\n}', "bad.json")
    assert problem.startswith("bad.json:3: invalid JSON")


def test_duplicate_yaml_key_names_both_lines():
    text = TINY_YAML.replace("    name: Junior\n", "    name: Junior\n    name: Again\n")
    (problem,) = problems_of(text)
    assert "duplicate key 'name' (first at line 5)" in problem
    assert problem.startswith("data.yaml:6:")


def test_duplicate_json_key():
    assert problems_of('{"name": "a", "name": "b"}', "d.json") == ["d.json: duplicate key 'name'"]


def test_alias_bomb_is_refused_quickly():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    (problem,) = problems_of("\n".join(lines) + "\n")
    assert "aliases" in problem


def test_deep_nesting_is_refused():
    (problem,) = problems_of("name: " + "[" * 200 + "]" * 200 + "\n")
    assert "nested" in problem


def test_unknown_reference_suggests_close_ids():
    text = TINY_YAML.replace("requires: [{id: git, level: 1}]", "requires: [{id: gti, level: 1}]")
    (problem,) = problems_of(text)
    assert "skills[3] 'github' › requires[0].id: unknown skill 'gti'" in problem
    assert "did you mean 'git'" in problem
    assert problem.startswith("data.yaml:38:")


def test_duplicate_id_across_sections():
    text = TINY_YAML.replace("  - id: java\n", "  - id: junior\n")
    problems = problems_of(text)
    assert any(
        "skills[1] 'junior' › id: duplicate id (also roles[0] 'junior')" in p for p in problems
    )


def test_level_and_hours_out_of_range_are_all_reported():
    text = TINY_YAML.replace("hours: [40, 100, 200]", "hours: [40, -1, 200]").replace(
        "- {id: language, level: 2}", "- {id: language, level: 4}"
    )
    problems = problems_of(text)
    assert len(problems) == 2
    assert any("skills[0] 'python' › hours[1]" in p for p in problems)
    assert any("roles[1] 'senior' › requires[0].level" in p for p in problems)


def test_wrong_kind_at_an_edge_end():
    text = TINY_YAML.replace("requires: [{id: git, level: 1}]", "requires: [{id: junior}]")
    (problem,) = problems_of(text)
    assert "'junior' is a role, but a prerequisite here must name a skill" in problem


def test_cycle_is_reported_as_the_cycle():
    text = TINY_YAML.replace(
        "    hours: [5, 10, 20]\n", "    hours: [5, 10, 20]\n    requires: [{id: github}]\n"
    )
    problems = problems_of(text)
    cycles = [p for p in problems if "cycle: " in p]
    assert len(cycles) == 1
    assert "git → github → git" in cycles[0] or "github → git → github" in cycles[0]


def test_unknown_field_and_missing_field():
    text = TINY_YAML.replace("    description: A language.\n", "    descripton: A language.\n")
    problems = problems_of(text)
    assert any("skills[0] 'python' › descripton: unknown field" in p for p in problems)
    assert any("skills[0] 'python' › description: required field is missing" in p for p in problems)


def test_section_of_wrong_type():
    problems = problems_of("name: x\nskills: 3\n")
    assert problems == ["data.yaml:2: skills: must be a list, got int"]


def test_every_problem_is_reported_at_once():
    text = (
        TINY_YAML.replace("rank: 2", "rank: -1")
        .replace("category: tool\n    description: Version control.", "category: tool")
        .replace("options: [{id: python}, {id: java}]", "options: [{id: pyton}, {id: java}]")
    )
    assert len(problems_of(text)) == 3


def test_bad_entry_does_not_hide_references_of_good_ones():
    text = TINY_YAML.replace("name: Senior", "name: ''").replace(
        "requires: [{id: git, level: 1}]", "requires: [{id: nothing}]"
    )
    problems = problems_of(text)
    assert any("roles[1] 'senior' › name" in p for p in problems)
    assert any("unknown skill 'nothing'" in p for p in problems)


def test_an_entry_stands_at_its_own_end_of_every_edge_its_links_make():
    # The loader checks only the far end of each link: the near one is the entry itself.
    from skilltree.io.build import LINKS
    from skilltree.model import EDGE_KINDS, NODE_KINDS

    kind_of = {kind.section: kind.id for kind in NODE_KINDS.values()}
    for section, links in LINKS.items():
        for link in links:
            ends = EDGE_KINDS[link.edge]
            assert kind_of[section] in (ends.sources if link.outward else ends.targets), link


def test_self_reference_and_a_link_listed_twice_are_placed():
    text = TINY_YAML.replace(
        "requires: [{id: git, level: 1}]", "requires: [{id: github}, {id: git}, {id: git}]"
    ).replace("next: [{id: senior, years: 3}]", "next: [{id: senior}, {id: senior}]")
    problems = problems_of(text)
    assert len(problems) == 3, problems
    assert any(
        "skills[3] 'github' › requires[0].id: 'github' refers to itself" in p for p in problems
    )
    assert any("skills[3] 'github' › requires[2].id: 'git' is listed twice" in p for p in problems)
    assert any("roles[0] 'junior' › next[1].id: 'senior' is listed twice" in p for p in problems)
    assert all(p.startswith("data.yaml:") for p in problems)


def test_a_five_level_ladder_accepts_level_five_links_and_refuses_six():
    five = "format: 2\nlevels: [a, b, c, d, e]\n" + TINY_YAML.removeprefix("format: 1\n").replace(
        "[40, 100, 200]", "[1, 2, 3, 4, 5]"
    ).replace("[60, 150, 300]", "[1, 2, 3, 4, 5]").replace(
        "[5, 10, 20]", "[1, 2, 3, 4, 5]"
    ).replace("[3, 6, 12]", "[1, 2, 3, 4, 5]")
    G = graph_from_text(
        five.replace("{id: language, level: 2}", "{id: language, level: 5}"), "f.yaml"
    )
    assert G.edges["language", "senior"]["level"] == 5
    (problem,) = problems_of(five.replace("{id: language, level: 2}", "{id: language, level: 6}"))
    assert "roles[1] 'senior' › requires[0].level" in problem
    assert "this ladder has 5 levels" in problem
