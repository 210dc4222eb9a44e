"""Data tests: every file in data/ loads, and the default ladder holds every fact of the source."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from skilltree import load_graph, node_ids
from skilltree.schema import json_schema_text

DATA = Path(__file__).resolve().parent.parent / "data"
DATA_FILES = sorted(p for p in DATA.iterdir() if p.suffix in {".yaml", ".yml", ".json"})
GRAPH_FILES = [p for p in DATA_FILES if p.name != "schema.json"]


@pytest.fixture(scope="module")
def G() -> nx.DiGraph:
    return load_graph()


@pytest.mark.parametrize("path", GRAPH_FILES, ids=lambda p: p.name)
def test_every_data_file_loads_as_a_dag(path):
    graph = load_graph(path)
    assert graph.number_of_nodes() > 0
    assert nx.is_directed_acyclic_graph(graph)


@pytest.mark.parametrize("path", GRAPH_FILES, ids=lambda p: p.name)
def test_every_skill_has_levels_hours_and_description(path):
    graph = load_graph(path)
    for skill in node_ids(graph, "skill"):
        attrs = graph.nodes[skill]
        assert attrs["description"].strip(), skill
        assert len(attrs["hours"]) == 3, skill
        assert all(h > 0 for h in attrs["hours"]), skill
        assert len(attrs["levels"]) == 3, skill


@pytest.mark.parametrize("path", GRAPH_FILES, ids=lambda p: p.name)
def test_every_node_has_a_description(path):
    graph = load_graph(path)
    missing = [n for n, d in graph.nodes(data="description") if not d or not d.strip()]
    assert missing == []


def test_committed_json_schema_is_in_sync():
    committed = (DATA / "schema.json").read_text(encoding="utf-8")
    assert committed == json_schema_text(), (
        "data/schema.json is stale: run `python -m skilltree schema > data/schema.json`"
    )


def test_ladder_roles_and_progression(G):
    roles = set(node_ids(G, "role"))
    assert roles == {
        "junior",
        "confirmed",
        "senior",
        "tech-expert",
        "lead-developer",
        "engineering-manager",
    }
    progression = {(u, v) for u, v, k in G.edges(data="kind") if k == "progression"}
    assert {("junior", "confirmed"), ("confirmed", "senior")} <= progression
    for top in ("tech-expert", "lead-developer", "engineering-manager"):
        assert ("senior", top) in progression
    assert G.nodes["tech-expert"]["track"] == "expert"
    assert G.nodes["engineering-manager"]["track"] == "management"


@pytest.mark.parametrize(
    ("role", "low", "high"),
    [("junior", 35000, 48000), ("confirmed", 45000, 58000), ("senior", 55000, 70000)],
)
def test_salary_bands_from_the_source(G, role, low, high):
    band = G.nodes[role]["salary"]
    assert (band["min"], band["max"]) == (low, high)
    assert (band["currency"], band["period"], band["basis"]) == ("EUR", "year", "gross")
    assert band["estimate"] is False


@pytest.mark.parametrize("role", ["tech-expert", "lead-developer", "engineering-manager"])
def test_roles_without_a_sourced_band_say_so(G, role):
    attrs = G.nodes[role]
    assert attrs["salary_note"].strip()
    assert attrs["salary"] is None or attrs["salary"]["estimate"] is True


LANGUAGES_AND_FRAMEWORKS = {
    "java": ["spring", "spark", "hibernate", "struts"],
    "php": ["symfony", "laravel", "zend"],
    "python": ["django", "pyramid", "flask"],
    "ruby": ["rails"],
    "csharp": ["dotnet"],
    "go": [],
    "nodejs": ["express"],
}


@pytest.mark.parametrize("language", sorted(LANGUAGES_AND_FRAMEWORKS))
def test_each_language_and_its_frameworks(G, language):
    assert G.nodes[language]["kind"] == "skill"
    for framework in LANGUAGES_AND_FRAMEWORKS[language]:
        assert G.nodes[framework]["kind"] == "skill"
        # A framework needs its language (directly or through another prerequisite).
        assert language in nx.ancestors(G, framework), framework


@pytest.mark.parametrize(
    "skill",
    [
        "sql",
        "mysql",
        "sqlite",
        "postgresql",
        "mongodb",
        "nginx",
        "heroku",
        "apache",
        "git",
        "github",
    ],
)
def test_databases_and_tools_of_the_source(G, skill):
    assert G.nodes[skill]["kind"] == "skill"


def test_realistic_prerequisites(G):
    for database in ("mysql", "postgresql", "sqlite"):
        assert G.has_edge("sql", database)
    assert G.has_edge("git", "github")
    assert {"java", "sql"} <= nx.ancestors(G, "hibernate")
    assert "javascript" in nx.ancestors(G, "nodejs")


def test_one_backend_language_group_offers_every_language(G):
    options = {u for u, _ in G.in_edges("backend-language")}
    assert options >= {"java", "php", "python", "ruby", "csharp", "go", "nodejs"}
    assert G.nodes["backend-language"]["pick"] == 1
    assert G.edges["backend-language", "junior"]["kind"] == "requirement"


@pytest.mark.parametrize(
    "skill",
    [
        "api-development",
        "database-management",
        "backend-architecture",
        "automated-testing",
        "refactoring",
        "load-handling",
        "payments",
        "security",
        "performance",
        "migration",
        "product-collaboration",
        "data-collaboration",
        "devops-collaboration",
        "mentoring",
        "people-management",
    ],
)
def test_responsibilities_problems_and_collaboration_are_skills(G, skill):
    assert G.nodes[skill]["kind"] == "skill"
    assert nx.descendants(G, skill) & set(node_ids(G, "role")), f"no role needs {skill}"


def test_responsibilities_and_collaborators_listed_on_roles(G):
    text = " ".join(G.nodes["junior"]["responsibilities"]).lower()
    for phrase in ("front-end", "database", "architecture", "test", "old code"):
        assert phrase in text
    works_with = " ".join(G.nodes["junior"]["works_with"]).lower()
    for who in ("product owner", "data", "devops", "cto"):
        assert who in works_with


def test_training_routes_lead_to_the_first_role(G):
    routes = node_ids(G, "training")
    names = " ".join(G.nodes[t]["name"].lower() for t in routes)
    for route in ("engineering", "university", "bootcamp", "self-taught"):
        assert route in names
    assert "epitech" in " ".join(G.nodes[t]["description"].lower() for t in routes)
    for route in routes:
        assert G.has_edge(route, "junior")


def test_manager_track_needs_people_skills_the_expert_track_does_not(G):
    def needs(role):
        return {u for u, _ in G.in_edges(role)}

    assert "people-management" in needs("engineering-manager")
    assert "people-management" not in needs("tech-expert")
    assert "expertise-domain" in needs("tech-expert")


def test_notes_say_hours_are_estimates_with_units(G):
    notes = " ".join(G.graph["notes"]).lower()
    assert "estimate" in notes
    assert "hours" in notes
