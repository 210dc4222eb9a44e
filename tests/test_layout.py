"""The layered layout: columns follow the edges, roles form a ladder, the output is stable."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skilltree.errors import UnknownIdError
from skilltree.views.layout import count_crossings, layered_layout


def ladder() -> nx.DiGraph:
    """Training → skills → group → roles, with a three-rung ladder and two roles on top."""
    G = nx.DiGraph()
    G.add_node("bootcamp", kind="training", name="Bootcamp", months=4)
    for ident, category in [
        ("prog", "practice"),
        ("python", "language"),
        ("java", "language"),
        ("django", "framework"),
        ("git", "tool"),
        ("mentoring", "people"),
    ]:
        G.add_node(ident, kind="skill", name=ident.title(), category=category)
    G.add_node("language", kind="group", name="A language", pick=1)
    for ident, rank, track in [
        ("junior", 1, "individual"),
        ("confirmed", 2, "individual"),
        ("senior", 3, "individual"),
        ("expert", 4, "expert"),
        ("manager", 4, "management"),
    ]:
        G.add_node(ident, kind="role", name=ident.title(), rank=rank, track=track)
    G.add_edge("bootcamp", "prog", kind="teaches", level=1)
    G.add_edge("bootcamp", "junior", kind="entry")
    G.add_edge("prog", "python", kind="prerequisite", level=1)
    G.add_edge("prog", "java", kind="prerequisite", level=1)
    G.add_edge("python", "django", kind="prerequisite", level=2)
    G.add_edge("python", "language", kind="option", level=1)
    G.add_edge("java", "language", kind="option", level=1)
    G.add_edge("language", "junior", kind="requirement", level=1, importance="essential")
    G.add_edge("git", "junior", kind="requirement", level=1, importance="optional")
    G.add_edge("django", "confirmed", kind="requirement", level=2, importance="essential")
    G.add_edge("mentoring", "manager", kind="requirement", level=2, importance="essential")
    G.add_edge("junior", "confirmed", kind="progression", years=2)
    G.add_edge("confirmed", "senior", kind="progression", years=3)
    G.add_edge("senior", "expert", kind="progression", years=3)
    G.add_edge("senior", "manager", kind="progression", years=3)
    return nx.freeze(G)


def test_every_requested_node_gets_a_position():
    G = ladder()
    assert set(layered_layout(G)) == set(G)
    assert set(layered_layout(G, ["python", "django", "confirmed"])) == {
        "python",
        "django",
        "confirmed",
    }


def test_no_two_nodes_share_a_position():
    pos = layered_layout(ladder())
    assert len(set(pos.values())) == len(pos)


def test_unknown_node_is_reported_by_id():
    with pytest.raises(UnknownIdError, match="'cobol'"):
        layered_layout(ladder(), ["python", "cobol"])


def assert_edges_point_right_and_ladder_climbs(G, pos, edges):
    for u, v in edges:
        if G.nodes[u]["kind"] == G.nodes[v]["kind"] == "role":
            assert pos[u][0] == pos[v][0], (u, v)
        else:
            assert pos[u][0] < pos[v][0], (u, v)


def test_every_edge_points_strictly_right_but_progression_climbs():
    G = ladder()
    pos = layered_layout(G)
    assert_edges_point_right_and_ladder_climbs(G, pos, G.edges)
    for u, v in [("junior", "confirmed"), ("confirmed", "senior"), ("senior", "expert")]:
        assert pos[u][1] < pos[v][1]


def test_edges_of_a_subset_point_strictly_right():
    G = ladder()
    drawn = {"prog", "python", "language", "junior", "confirmed", "django"}
    pos = layered_layout(G, drawn)
    assert_edges_point_right_and_ladder_climbs(G, pos, G.subgraph(drawn).edges)


def test_training_is_leftmost_and_roles_rightmost():
    G = ladder()
    pos = layered_layout(G)
    others = [pos[n][0] for n in G if G.nodes[n]["kind"] in ("skill", "group")]
    assert pos["bootcamp"][0] < min(others)
    roles = [pos[n][0] for n in G if G.nodes[n]["kind"] == "role"]
    assert max(others) < min(roles)


def test_source_skills_share_the_column_after_training():
    pos = layered_layout(ladder())
    assert pos["prog"][0] == pos["git"][0] == pos["mentoring"][0]


def test_group_comes_after_its_options():
    pos = layered_layout(ladder())
    assert pos["language"][0] > max(pos["python"][0], pos["java"][0])


def test_roles_climb_by_rank_junior_at_the_bottom():
    G = ladder()
    pos = layered_layout(G)
    assert pos["junior"][1] < pos["confirmed"][1] < pos["senior"][1]
    assert pos["senior"][1] < min(pos["expert"][1], pos["manager"][1])


def test_roles_of_the_same_rank_are_spread():
    pos = layered_layout(ladder())
    assert pos["expert"][0] == pos["manager"][0]
    assert abs(pos["expert"][1] - pos["manager"][1]) >= 1


def test_roles_without_progression_stack_in_one_column_by_rank():
    G = nx.DiGraph()
    for ident, rank in [("c", 3), ("a", 1), ("b", 2)]:
        G.add_node(ident, kind="role", rank=rank)
    pos = layered_layout(G)
    assert pos["a"][0] == pos["b"][0] == pos["c"][0]
    assert pos["a"][1] < pos["b"][1] < pos["c"][1]


def test_layout_is_deterministic():
    G = ladder()
    nodes = ["senior", "python", "prog", "junior", "language", "java", "confirmed"]
    first = layered_layout(G, nodes)
    assert layered_layout(G, nodes) == first
    assert layered_layout(G, reversed(nodes)) == first


def test_layout_leaves_the_graph_unchanged():
    G = ladder()
    nodes_before = {n: dict(d) for n, d in G.nodes(data=True)}
    edges_before = {(u, v): dict(d) for u, v, d in G.edges(data=True)}
    layered_layout(G)  # G is frozen: any attempt to change it would raise.
    assert {n: dict(d) for n, d in G.nodes(data=True)} == nodes_before
    assert {(u, v): dict(d) for u, v, d in G.edges(data=True)} == edges_before


def test_tall_layer_is_split_into_sub_columns():
    G = nx.DiGraph()
    for i in range(7):
        G.add_node(f"s{i}", kind="skill", category="tool")
    pos = layered_layout(G, max_rows=3)
    assert len({x for x, _ in pos.values()}) == 3
    assert max(y for _, y in pos.values()) - min(y for _, y in pos.values()) < 3
    assert len(set(pos.values())) == 7


def test_cycle_among_drawn_nodes_is_refused():
    G = nx.DiGraph([("a", "b"), ("b", "a")])
    with pytest.raises(nx.NetworkXUnfeasible, match="cycle"):
        layered_layout(G)


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="max_rows"):
        layered_layout(ladder(), max_rows=0)
    with pytest.raises(ValueError, match="sweeps"):
        layered_layout(ladder(), sweeps=-1)


def test_crossing_reduction_untangles_a_crossed_example():
    # In id order a, b, c sit above x, y, z, yet a feeds z and c feeds x: three crossings.
    G = nx.DiGraph([("a", "z"), ("b", "y"), ("c", "x"), ("a", "y")])
    for n in G:
        G.nodes[n]["kind"] = "skill"
    before = count_crossings(G, layered_layout(G, sweeps=0))
    after = count_crossings(G, layered_layout(G))
    assert before > 0
    assert after < before
    assert after == 0


def test_crossing_reduction_helps_on_the_ladder():
    G = ladder()
    assert count_crossings(G, layered_layout(G)) <= count_crossings(G, layered_layout(G, sweeps=0))


@st.composite
def random_dags(draw: st.DrawFn) -> tuple[nx.DiGraph, list[str]]:
    """Random DAGs (edges from lower to higher index) with random kinds and ranks, whose edges
    follow the model: nothing points into training, and roles point only to roles."""
    size = draw(st.integers(min_value=1, max_value=14))
    kinds = draw(
        st.lists(
            st.sampled_from(["skill", "group", "role", "training"]), min_size=size, max_size=size
        )
    )
    G = nx.DiGraph()
    for i, kind in enumerate(kinds):
        G.add_node(f"n{i:02d}", kind=kind, rank=draw(st.integers(1, 4)), category="tool")
    pairs = [
        (i, j)
        for i in range(size)
        for j in range(i + 1, size)
        if kinds[j] != "training" and (kinds[i] != "role" or kinds[j] == "role")
    ]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True) if pairs else st.just([]))
    G.add_edges_from((f"n{i:02d}", f"n{j:02d}") for i, j in chosen)
    drawn = draw(st.lists(st.sampled_from(sorted(G)), min_size=1, unique=True))
    return nx.freeze(G), drawn


@settings(max_examples=200, deadline=None)
@given(random_dags(), st.integers(min_value=1, max_value=4))
def test_every_edge_points_right_on_random_dags(case, max_rows):
    G, drawn = case
    pos = layered_layout(G, drawn, max_rows=max_rows)
    assert set(pos) == set(drawn)
    assert len(set(pos.values())) == len(pos)
    assert_edges_point_right_and_ladder_climbs(G, pos, G.subgraph(drawn).edges)
