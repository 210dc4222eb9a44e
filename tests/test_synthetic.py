"""A small synthetic taxonomy runs through the loader, the engine, the app and the benchmark."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from streamlit.testing.v1 import AppTest

from benchmarks import run
from benchmarks.synthetic import generate, main, summary, write
from skilltree import Profile, load_graph, next_steps, plan, readiness, readiness_all
from skilltree.closure import implied
from skilltree.index import index_of
from skilltree.views.focus import MAX_DRAWN
from webapp.session import MATCHES

APP = str(Path(__file__).resolve().parent.parent / "app.py")
# Above the app's MAX_DRAWN (220 nodes) and its search threshold (500 nodes) in all, so that
# the app shows a focused part and searches rather than lists.
ROLES, SKILLS = 60, 500


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(generate(ROLES, SKILLS, seed=7), tmp_path_factory.mktemp("syn") / "small.json")


@pytest.fixture(scope="module")
def graph(small: Path) -> nx.DiGraph:
    return load_graph(small)


def test_generation_is_deterministic_for_a_seed():
    assert generate(20, 100, seed=3) == generate(20, 100, seed=3)
    assert generate(20, 100, seed=3) != generate(20, 100, seed=4)


def test_the_command_writes_a_file_the_loader_accepts(tmp_path):
    out = tmp_path / "cli.json"
    assert main(["--out", str(out), "--roles", "12", "--skills", "60", "--seed", "1"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    G = load_graph(out)
    assert summary(data)["roles"] == 12
    assert sum(1 for _n, k in G.nodes(data="kind") if k == "skill") == 60


def test_small_graph_has_the_shape_of_a_taxonomy(small, graph):
    counts = summary(json.loads(small.read_text(encoding="utf-8")))
    assert counts["roles"] == ROLES
    assert counts["skills"] == SKILLS
    assert graph.number_of_nodes() == ROLES + SKILLS + counts["groups"] > 220
    assert 0.35 < counts["essential_links"] / counts["requirement_links"] < 0.7
    assert nx.is_directed_acyclic_graph(graph)
    # Ladders: some rungs have a next rung, and inherit what the rungs below them need.
    index = index_of(graph)
    assert any(index.next_roles[r] for r in index.roles)
    top = max(index.roles, key=lambda r: index.rank[r])
    assert {q.origin for q in index.requirements(top)} - {top}


def test_deep_variant_has_long_prerequisite_chains(tmp_path):
    shallow = load_graph(write(generate(10, 600, seed=1), tmp_path / "s.json"))
    deep = load_graph(write(generate(10, 600, seed=1, deep=True), tmp_path / "d.json"))

    def chain(G: nx.DiGraph) -> int:
        prereqs = G.edge_subgraph((u, v) for u, v, k in G.edges(data="kind") if k == "prerequisite")
        return nx.dag_longest_path_length(prereqs)

    assert chain(shallow) <= 3
    assert chain(deep) > 10


def test_the_index_gives_each_skill_the_length_of_its_longest_prerequisite_chain(tmp_path):
    G = load_graph(write(generate(10, 600, seed=1, deep=True), tmp_path / "d.json"))
    prereqs = nx.DiGraph()
    prereqs.add_nodes_from(index_of(G).hours)
    prereqs.add_edges_from((u, v) for u, v, k in G.edges(data="kind") if k == "prerequisite")
    longest: dict[str, int] = {}
    for skill in nx.topological_sort(prereqs):
        longest[skill] = max((longest[p] + 1 for p in prereqs.predecessors(skill)), default=0)
    index = index_of(G)
    assert {s: index.depth(s) for s in longest} == longest
    assert max(longest.values()) > 10


def test_engine_plans_meet_their_target(graph):
    index = index_of(graph)
    roles = sorted(index.roles, key=lambda r: (-index.rank[r], r))[:4]
    profiles = [Profile(), Profile({s: 2 for s in sorted(index.hours)[::9]})]
    for stated in profiles:
        profile = implied(graph, stated)
        assert len(readiness_all(graph, profile)) == ROLES
        for role in roles:
            result = plan(graph, profile, role)
            assert all(step.to_level > profile.level(step.skill) for step in result.steps)
            done = profile.with_levels((s.skill, s.to_level) for s in result.steps)
            essential = [i for i in readiness(graph, done, role).items if i.weight == 1.0]
            assert all(item.status == "met" for item in essential)
            assert not plan(graph, done, role).steps
            for suggestion in next_steps(graph, profile, role, limit=5):
                assert all(
                    profile.level(p) >= level for p, level in index.prereqs[suggestion.skill]
                )
        assert len(next_steps(graph, profile, limit=10)) <= 10


def test_app_draws_a_focused_part_of_a_large_graph(small, graph, monkeypatch):
    monkeypatch.setenv("SKILLTREE_DATA", str(small))
    index = index_of(graph)
    target = max(index.roles, key=lambda r: index.rank[r])
    have = ",".join(f"{s}:1" for s in sorted(index.hours)[:3])
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(target=target, have=have, view="explore")
    at.run()
    assert not at.exception, at.exception
    assert any("showing the neighbourhood" in i.value for i in at.info)
    assert drawn(at) <= MAX_DRAWN
    # On a large graph the node picker lists what the search box matches, not every node.
    skill = sorted(index.hours)[-1]
    at.text_input(key="w_node_q").set_value(skill).run()
    options = at.selectbox(key="w_node").options
    assert len(options) == 2  # "none", then the one match
    assert graph.nodes[skill]["name"] in options[1]
    at.selectbox(key="w_node").set_value(skill).run()
    assert not at.exception, at.exception
    assert drawn(at) <= MAX_DRAWN
    at.radio(key="w_view").set_value("path").run()
    assert not at.exception, at.exception
    assert not at.error
    # So do the role pickers: the role chosen, then what the role search finds.
    assert at.selectbox(key="w_target").options[1:] == [graph.nodes[target]["name"]]
    other = min(index.roles, key=lambda r: index.rank[r])
    at.text_input(key="w_target_q").set_value(graph.nodes[other]["name"]).run()
    options = at.selectbox(key="w_target").options
    assert graph.nodes[other]["name"] in options
    assert len(options) <= 2 + MATCHES
    at.selectbox(key="w_target").set_value(other).run()
    assert not at.exception, at.exception
    assert other in at.query_params["target"]
    assert at.selectbox(key="w_role").options == ["— choose a role —"]  # its own search is empty


def drawn(at: AppTest) -> int:
    """How many nodes the first graph on the page draws."""
    import json

    chart = at.get("plotly_chart")[0]
    figure = json.loads(chart.proto.spec)
    return sum(
        len(trace.get("customdata") or ()) for trace in figure["data"] if trace.get("customdata")
    )


def test_the_benchmark_measures_every_figure(small):
    report = run.bench_graph("small", small, samples=3, next_samples=1, seed=0, app=False)
    figures = report.as_json()["figures"]
    assert {"baseline", "load_first", "plan_p95", "next_target", "view_plan"} <= set(figures)
    assert all(row.value >= 0 for row in report.rows)
    assert report.baseline > 0


def test_after_each_milestone_of_a_deep_plan_its_rung_is_met(tmp_path):
    import random

    G = load_graph(write(generate(30, 400, seed=2, deep=True), tmp_path / "d.json"))
    index = index_of(G)
    rng = random.Random(2)
    tops = sorted(index.roles, key=lambda r: -index.rank[r])[:6]
    rungs = 0
    for target in tops:
        profile = implied(G, run.random_profile(rng, index, target))
        result = plan(G, profile, target)
        assert result.milestones, target
        assert [m.step for m in result.milestones] == sorted(m.step for m in result.milestones)
        for m in result.milestones:
            done = profile.with_levels((s.skill, s.to_level) for s in result.steps[: m.step])
            essential = [i for i in readiness(G, done, m.role).items if i.weight == 1.0]
            assert all(i.status == "met" for i in essential), (target, m.role)
        rungs = max(rungs, len(result.milestones))
    assert rungs >= 3  # plans that pass several rungs on the way


def test_the_benchmark_runs_the_app_as_a_new_server_would(small):
    import gc

    import webapp.data

    report = run.bench_graph("small", small, samples=3, next_samples=1, seed=0, app=True)
    figures = report.as_json()["figures"]
    assert {"app_cold_run", "app_warm_rerun", "app_click_1", "app_path_view"} <= set(figures)
    # Afterwards nothing of it is kept: no ladder frozen, none cached for the next one.
    assert not webapp.data._frozen
    assert gc.get_freeze_count() == 0
