"""Data tests: every file in data/ loads, and the default ladder holds every fact of the source."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import networkx as nx
import pytest

from skilltree import load_graph, node_ids
from skilltree.index import index_of
from skilltree.io import read_document
from skilltree.schema import json_schema_text

from .conftest import run_cli

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
    count = len(graph.graph["levels"])
    for skill in node_ids(graph, "skill"):
        attrs = graph.nodes[skill]
        assert attrs["description"].strip(), skill
        assert len(attrs["hours"]) == count, skill
        assert all(h > 0 for h in attrs["hours"]), skill
        assert len(attrs["levels"]) == count, skill


HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")


@pytest.mark.parametrize("path", GRAPH_FILES, ids=lambda p: p.name)
def test_every_resource_is_a_well_formed_https_link(path):
    graph = load_graph(path)
    for node, resources in graph.nodes(data="resources"):
        urls = [r["url"] for r in resources or ()]
        assert len(urls) == len(set(urls)), f"{node}: a link listed twice"
        for resource in resources or ():
            url = resource["url"]
            parts = urlsplit(url)
            assert resource["title"].strip() == resource["title"] != "", node
            assert parts.scheme == "https", f"{node}: {url} is not https"
            assert parts.hostname, f"{node}: {url}"
            assert HOST.match(parts.hostname), f"{node}: {url}"
            assert parts.netloc == parts.hostname, f"{node}: {url} has a port or credentials"
            assert parts.path.startswith("/") or parts.path == "", f"{node}: {url}"
            assert not re.search(r"\s", url), f"{node}: {url}"


@pytest.mark.parametrize("path", GRAPH_FILES, ids=lambda p: p.name)
def test_upgrading_to_format_two_is_idempotent(path, tmp_path):
    """`validate --upgrade` loads the same graph, and upgrading its output changes nothing."""
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    assert run_cli("validate", str(path), "--upgrade", "--out", str(first))[0] == 0
    assert run_cli("validate", str(first), "--upgrade", "--out", str(second))[0] == 0
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    before, after = load_graph(path), load_graph(first)
    assert after.graph["format"] == 2
    assert {k: v for k, v in after.graph.items() if k not in ("file", "format")} == {
        k: v for k, v in before.graph.items() if k not in ("file", "format")
    }
    assert dict(after.nodes(data=True)) == dict(before.nodes(data=True))
    assert sorted(after.edges(data=True)) == sorted(before.edges(data=True))


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


def test_default_ladder_is_format_two_and_declares_its_levels_and_tracks(G):
    raw = read_document((DATA / "backend.yaml").read_bytes(), "backend.yaml").data
    assert raw["format"] == 2
    assert G.graph["format"] == 2
    assert raw["levels"] == ["basics", "working", "advanced"]
    assert G.graph["levels"] == ("basics", "working", "advanced")
    assert [(t["id"], t["name"]) for t in raw["tracks"]] == [
        ("individual", "Individual contributor"),
        ("expert", "Expert"),
        ("management", "Management"),
    ]
    assert all(t.get("description", "").strip() for t in raw["tracks"])
    tracks = {role: G.nodes[role]["track"] for role in node_ids(G, "role")}
    assert tracks == {
        "junior": "individual",
        "confirmed": "individual",
        "senior": "individual",
        "lead-developer": "individual",
        "tech-expert": "expert",
        "engineering-manager": "management",
    }


def test_header_comment_describes_format_two():
    header = (DATA / "backend.yaml").read_text(encoding="utf-8").split("\nformat:")[0]
    assert "Format 2" in header
    for field in ("levels", "tracks", "resources", "after", "preferred"):
        assert field in header, field


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
    assert nx.descendants(G, skill) & set(node_ids(G, "role")), f"no role needs {skill}"


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


# --- the review: resources, containers, caching, API styles -----------------------------------

#: Every technology in the ladder: the source's languages, frameworks, databases and tools, and
#: the ones we added.
TECHNOLOGIES = sorted(
    {*LANGUAGES_AND_FRAMEWORKS, *(f for fs in LANGUAGES_AND_FRAMEWORKS.values() for f in fs)}
    | {"javascript", "go-net-http", "sql", "mysql", "sqlite", "postgresql", "mongodb"}
    | {"nginx", "heroku", "apache", "git", "github", "cloud-platforms", "linux"}
    | {"docker", "kubernetes", "redis", "graphql", "grpc"}
)


@pytest.mark.parametrize("skill", TECHNOLOGIES)
def test_each_technology_links_to_a_few_documentation_pages(G, skill):
    resources = G.nodes[skill]["resources"]
    assert 1 <= len(resources) <= 4, skill


def test_every_language_framework_tool_and_platform_has_resources(G):
    kinds = {"language", "framework", "tool", "platform"}
    bare = [s for s in node_ids(G, "skill") if G.nodes[s]["category"] in kinds]
    assert [s for s in bare if not G.nodes[s]["resources"]] == []


def needs(G, role):
    """The role's effective requirements (with the rungs below it): (node, importance) → level."""
    return {(r.node, r.importance): r.level for r in index_of(G).requirements(role)}


ADDITIONS = ["kubernetes", "redis", "graphql", "grpc"]


@pytest.mark.parametrize("skill", ["docker", *ADDITIONS])
def test_reviewed_technologies_are_full_skills_that_roles_reach(G, skill):
    attrs = G.nodes[skill]
    assert attrs["kind"] == "skill"
    assert attrs["description"].strip()
    assert len(attrs["levels"]) == 3
    assert len(attrs["hours"]) == 3
    assert list(attrs["hours"]) == sorted(attrs["hours"])
    prerequisites = [u for u, _, k in G.in_edges(skill, data="kind") if k == "prerequisite"]
    assert prerequisites, f"{skill} has no prerequisite"
    roles = {r for r in node_ids(G, "role") if any(node == skill for node, _ in needs(G, r))}
    reached = {
        r
        for r in node_ids(G, "role")
        for group in G.successors(skill)
        if G.nodes[group]["kind"] == "group" and any(node == group for node, _ in needs(G, r))
    }
    assert roles | reached, f"no role asks for {skill}"
    assert nx.descendants(G, skill) & set(node_ids(G, "role"))


@pytest.mark.parametrize("skill", ADDITIONS)
def test_additions_say_they_are_not_from_the_source(G, skill):
    assert "not named in the source" in G.nodes[skill]["description"] or (
        "source names no" in G.nodes[skill]["description"]
    )


def test_docker_is_essential_from_confirmed_and_optional_for_a_junior(G):
    essential = [r for r in node_ids(G, "role") if ("docker", "essential") in needs(G, r)]
    assert essential, "Docker is essential nowhere"
    assert ("docker", "essential") not in needs(G, "junior")
    assert needs(G, "junior")[("docker", "optional")] == 1
    assert needs(G, "confirmed")[("docker", "essential")] == 1
    assert needs(G, "senior")[("docker", "essential")] == 2
    for top in ("tech-expert", "lead-developer", "engineering-manager"):
        assert ("docker", "essential") in needs(G, top)


def test_kubernetes_is_optional_at_senior(G):
    assert needs(G, "senior")[("kubernetes", "optional")] == 1
    assert not any(("kubernetes", "essential") in needs(G, r) for r in node_ids(G, "role"))
    assert G.has_edge("docker", "kubernetes")
    assert G.edges["docker", "kubernetes"]["level"] == 2


def test_caching_layer_is_redis_or_nginx_as_a_cache(G):
    options = {u: d["level"] for u, _, d in G.in_edges("caching-layer", data=True)}
    assert options == {"redis": 1, "nginx": 2}
    assert G.nodes["caching-layer"]["preferred"] == "redis"
    assert needs(G, "confirmed")[("caching-layer", "optional")] == 1
    assert needs(G, "senior")[("caching-layer", "essential")] == 1
    # Redis is an alias of nothing else any more: the name finds the Redis skill.
    assert index_of(G).resolve("Redis", "skill") == "redis"


def test_api_styles_are_graphql_or_grpc_and_optional(G):
    assert {u for u, _ in G.in_edges("api-style")} == {"graphql", "grpc"}
    assert G.nodes["api-style"]["pick"] == 1
    assert needs(G, "confirmed")[("api-style", "optional")] == 1
    assert needs(G, "senior")[("api-style", "optional")] == 2
    assert not any(("api-style", "essential") in needs(G, r) for r in node_ids(G, "role"))
    for style in ("graphql", "grpc"):
        assert G.edges["api-development", style]["level"] == 2


def test_message_queues_and_observability_come_before_senior(G):
    assert needs(G, "confirmed")[("message-queues", "optional")] == 1
    assert needs(G, "senior")[("message-queues", "essential")] == 1
    assert needs(G, "confirmed")[("observability", "essential")] == 1


def test_source_facts_survive_the_review(G):
    """The additions widen choices; they never replace a technology of the source."""
    assert {u for u, _ in G.in_edges("deployment-platform")} >= {"heroku"}
    assert {u for u, _ in G.in_edges("web-server")} == {"nginx", "apache"}
    assert {u for u, _ in G.in_edges("relational-database")} == {"mysql", "postgresql", "sqlite"}
    assert needs(G, "junior")[("mongodb", "optional")] == 1


def test_notes_say_the_review_additions_are_our_estimates(G):
    notes = " ".join(G.graph["notes"])
    for name in ("Docker", "Kubernetes", "Redis", "GraphQL", "gRPC", "Resources"):
        assert name in notes, name
    assert "our estimate" in notes.lower()
    assert "essential from the confirmed rung" in notes
