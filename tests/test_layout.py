"""The layered layout: columns follow the edges, roles climb in lanes, nothing collides or is cut.

The readability measures (:mod:`skilltree.views.metrics`) are asserted on the default ladder, on
a 153-node ladder with long multilingual labels, and on the edge cases (one role, no
prerequisites, 500 skills in one category).
"""

from __future__ import annotations

import itertools
from unittest import mock

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skilltree import load_graph
from skilltree.errors import UnknownIdError
from skilltree.views import ordering
from skilltree.views.geometry import Layout
from skilltree.views.lanes import isotonic
from skilltree.views.layout import count_crossings, graph_layout, layered_layout
from skilltree.views.metrics import measure
from skilltree.views.ordering import Grid, Key, _pooled, _Sweeper

from .hard_ladders import edge_case_ladders, long_label_graph

#: Drawn crossings of the layout this one replaced, on the same ladders (see the README).
OLD_CROSSINGS = {"default": 4220, "long labels": 5740}


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


@pytest.fixture(scope="module")
def ladders() -> dict[str, nx.DiGraph]:
    return {"default": load_graph(), "long labels": long_label_graph()}


@pytest.fixture(scope="module")
def drawings(ladders) -> dict[str, Layout]:
    return {name: graph_layout(G) for name, G in ladders.items()}


def x(layout: Layout, n: str) -> float:
    return layout.nodes[n].marker[0]


def y(layout: Layout, n: str) -> float:
    return layout.nodes[n].marker[1]


def test_every_requested_node_is_placed_and_every_edge_drawn():
    G = ladder()
    drawn = graph_layout(G)
    assert set(drawn.nodes) == set(G)
    assert set(drawn.edges) == set(G.edges)
    part = graph_layout(G, ["python", "django", "confirmed"])
    assert set(part.nodes) == {"python", "django", "confirmed"}
    assert set(part.edges) == {("python", "django"), ("django", "confirmed")}


def test_unknown_node_is_reported_by_id():
    with pytest.raises(UnknownIdError, match="nope"):
        graph_layout(ladder(), ["python", "nope"])


def test_cycle_among_drawn_nodes_is_refused():
    G = nx.DiGraph([("a", "b"), ("b", "a")])
    with pytest.raises(nx.NetworkXUnfeasible, match="cycle"):
        graph_layout(G)


def test_edges_leave_to_the_right_and_training_comes_first():
    G = ladder()
    drawn = graph_layout(G)
    for u, v, data in G.edges(data=True):
        if data["kind"] != "progression":
            assert x(drawn, u) < x(drawn, v), (u, v)
    assert all(x(drawn, "bootcamp") < x(drawn, n) for n in G if n != "bootcamp")
    assert x(drawn, "python") < x(drawn, "language")


def test_roles_sit_in_lanes_right_of_everything_else_in_track_order():
    G = ladder()
    drawn = graph_layout(G)
    roles = [n for n in G if G.nodes[n]["kind"] == "role"]
    right_edge = max(p.box.x1 for n, p in drawn.nodes.items() if n not in roles)
    lanes = {lane.track: lane for lane in drawn.lanes}
    assert [lane.track for lane in drawn.lanes] == ["individual", "expert", "management"]
    assert [lane.title for lane in drawn.lanes] == [
        "Individual contributor",
        "Expert",
        "Management",
    ]
    assert min(lane.box.x0 for lane in drawn.lanes) > right_edge
    for r in roles:
        box = lanes[G.nodes[r]["track"]].box
        assert box.x0 <= drawn.nodes[r].box.x0
        assert drawn.nodes[r].box.x1 <= box.x1


def test_roles_climb_by_rank_and_equal_rungs_line_up_across_lanes():
    drawn = graph_layout(ladder())
    assert y(drawn, "junior") < y(drawn, "confirmed") < y(drawn, "senior") < y(drawn, "expert")
    assert y(drawn, "expert") == y(drawn, "manager")


def test_a_ladder_declares_its_own_tracks_and_their_names():
    G = nx.DiGraph(ladder())
    G.graph["tracks"] = [{"id": "management", "name": "People leads"}, {"id": "individual"}]
    drawn = graph_layout(G)
    assert [lane.title for lane in drawn.lanes] == ["People leads", "individual"]
    expert, first = drawn.nodes["expert"].box, drawn.lanes[0].box  # unknown track: first lane
    assert first.x0 <= expert.x0
    assert expert.x1 <= first.x1


def test_layout_is_deterministic_and_leaves_the_graph_unchanged():
    G = nx.DiGraph(ladder())
    before = (dict(G.nodes(data=True)), list(G.edges(data=True)))
    a, b = graph_layout(G), graph_layout(G)
    assert a.nodes == b.nodes
    assert a.edges == b.edges
    assert (dict(G.nodes(data=True)), list(G.edges(data=True))) == before


def test_labels_can_be_given_and_a_newline_starts_a_line():
    drawn = graph_layout(ladder(), ["python"], labels={"python": "Python\nstep 1 · 40 h"})
    assert drawn.nodes["python"].lines == ("Python", "step 1 · 40 h")


@pytest.mark.parametrize("name", ["default", "long labels"])
def test_no_label_collides_none_is_cut_and_no_edge_crosses_one(drawings, name):
    m = measure(drawings[name])
    assert (m.label_overlaps, m.label_node_overlaps, m.truncated) == (0, 0, 0)
    assert (m.edges_through_labels, m.edges_through_markers) == (0, 0)


@pytest.mark.parametrize("name", ["default", "long labels"])
def test_fewer_drawn_crossings_than_the_old_layout(drawings, name):
    assert measure(drawings[name]).crossings < 0.7 * OLD_CROSSINGS[name]


def test_long_and_foreign_names_are_wrapped_whole(ladders, drawings):
    G, drawn = ladders["long labels"], drawings["long labels"]
    for n, place in drawn.nodes.items():
        name = " ".join(str(G.nodes[n]["name"]).split())
        shown = "".join("".join(place.lines).split())
        assert shown == "".join(name.split()), n


def test_rungs_of_equal_rank_line_up_on_the_long_label_ladder(ladders, drawings):
    G, drawn = ladders["long labels"], drawings["long labels"]
    heights: dict[int, set[float]] = {}
    for n in G:
        if G.nodes[n]["kind"] == "role":
            heights.setdefault(G.nodes[n]["rank"], set()).add(round(y(drawn, n), 6))
    assert all(len(h) == 1 for h in heights.values())


@pytest.mark.parametrize("name", ["one role", "no prerequisites", "500 in one category"])
def test_edge_cases_still_draw_cleanly(name):
    G = edge_case_ladders()[name]
    drawn = graph_layout(G)
    m = measure(drawn)
    assert set(drawn.nodes) == set(G)
    assert (m.label_overlaps, m.truncated, m.edges_through_labels) == (0, 0, 0)
    # A crowded category is spread over several columns rather than one very tall one.
    assert drawn.height < 2500


def test_groups_get_their_own_columns_in_order():
    G = ladder()
    groups = {"prog": 0, "python": 0, "git": 1, "java": 1, "django": 2}
    drawn = graph_layout(G, list(groups), groups=groups, group_titles=["a", "b", "c"])
    assert max(x(drawn, "prog"), x(drawn, "python")) < min(x(drawn, "git"), x(drawn, "java"))
    assert x(drawn, "java") < x(drawn, "django")
    assert [band.title for band in drawn.bands] == ["a", "b", "c"]
    assert drawn.bands[0].box.x1 <= drawn.bands[1].box.x0 + 1


def test_layered_layout_gives_the_marker_positions():
    G = ladder()
    drawn = graph_layout(G)
    assert layered_layout(G) == {n: drawn.nodes[n].marker for n in sorted(G)}


def test_count_crossings_counts_straight_segments():
    G = nx.DiGraph([("a", "d"), ("b", "c")])
    assert count_crossings(G, {"a": (0, 1), "b": (0, 0), "c": (1, 1), "d": (1, 0)}) == 1
    assert count_crossings(G, {"a": (0, 1), "b": (0, 0), "c": (1, 0), "d": (1, 1)}) == 0


@st.composite
def random_dags(draw: st.DrawFn) -> tuple[nx.DiGraph, list[str]]:
    """Random DAGs (edges from lower to higher index) with random kinds, ranks and names, whose
    edges follow the model: nothing points into training, and roles point only to roles."""
    size = draw(st.integers(min_value=1, max_value=14))
    kinds = draw(
        st.lists(
            st.sampled_from(["skill", "group", "role", "training"]), min_size=size, max_size=size
        )
    )
    names = st.text(alphabet=st.sampled_from("ab cdé中文🙂-/"), min_size=0, max_size=60)
    G = nx.DiGraph()
    for i, kind in enumerate(kinds):
        G.add_node(f"n{i:02d}", kind=kind, rank=draw(st.integers(1, 4)), name=draw(names))
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


@settings(max_examples=150, deadline=None)
@given(random_dags())
def test_random_graphs_draw_without_collisions(case):
    G, drawn_ids = case
    drawn = graph_layout(G, drawn_ids)
    assert set(drawn.nodes) == set(drawn_ids)
    m = measure(drawn)
    assert (m.label_overlaps, m.label_node_overlaps, m.truncated) == (0, 0, 0)
    for points in drawn.edges.values():
        assert all(
            -1 <= px <= drawn.width + 1 and -1 <= py <= drawn.height + 1 for px, py in points
        )


# --- the order and the heights, against a plain reckoning -------------------------------------


def _random_grid(data: st.DataObject) -> Grid:
    """Columns of nodes and bend points with links (some merged) between neighbours."""
    sizes = data.draw(st.lists(st.integers(1, 7), min_size=2, max_size=5), label="columns")
    grid = Grid([[] for _ in sizes])
    for c, size in enumerate(sizes):
        for j in range(size):
            bend = data.draw(st.booleans(), label="bend")
            key: Key = ("out", f"n{c}", c, j) if bend else f"n{c}.{j}"
            grid.add(key, c, 2.0 if bend else data.draw(st.sampled_from([14.0, 28.0])))
    for left, right in itertools.pairwise(grid.columns):
        for a in left:
            for b in data.draw(st.lists(st.sampled_from(right), max_size=3), label="links"):
                grid.link(a, b)
    for i in range(len(grid.columns)):
        grid.stack(i)
    return grid


def _crossings_by_hand(grid: Grid) -> int:
    """Pairs of links between neighbouring columns whose ends are in opposite orders."""
    total = 0
    for left, right in itertools.pairwise(grid.columns):
        links = [(left.index(a), right.index(b)) for a in left for b in grid.down.get(a, {})]
        total += sum(1 for a, b in links for c, d in links if a < c and b > d)
    return total


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_sweeps_sort_by_barycentre_and_count_crossings_as_by_hand(data):
    grid = _random_grid(data)
    # Pairs of columns with few links share one padded table, the others get their own: both.
    shared = data.draw(st.sampled_from([2, ordering._SHARED_LINKS]), label="shared links")
    with mock.patch.object(ordering, "_SHARED_LINKS", shared):
        sweeper = _Sweeper(grid)
    assert sweeper.crossings() == _crossings_by_hand(grid)
    i = data.draw(st.integers(0, len(grid.columns) - 1), label="column")
    side = data.draw(st.sampled_from([0, 1]), label="side")
    around = grid.up if side == 0 else grid.down

    def barycentre(k: Key) -> float:
        links = around.get(k)
        if not links:
            return grid.y[k]
        return sum(grid.y[m] * w for m, w in links.items()) / sum(links.values())

    expected = sorted(grid.columns[i], key=lambda k: -barycentre(k))
    sweeper.sort(i, side)
    grid.columns[:] = sweeper.keys_of(sweeper.orders())
    assert grid.columns[i] == expected
    heights = dict(zip(sweeper.keys, sweeper.y.tolist(), strict=True))
    grid.stack(i)
    assert all(heights[k] == pytest.approx(grid.y[k]) for k in grid.columns[i])
    assert sweeper.crossings() == _crossings_by_hand(grid)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(
            st.tuples(st.floats(-500, 500), st.sampled_from([1.0, 4.0])), min_size=1, max_size=9
        ),
        min_size=1,
        max_size=4,
    ),
    st.floats(-30, 30),
)
def test_pooling_solves_each_column_as_one_at_a_time_with_or_without_a_hint(columns, nudge):
    """The batched projection equals the exact isotonic regression of each column alone, also
    when it starts from the blocks of a nearby problem."""
    z = np.array([v for column in columns for v, _ in column])
    w = np.array([w for column in columns for _, w in column])
    owner = np.repeat(np.arange(len(columns)), [len(c) for c in columns])
    same = owner[:-1] == owner[1:]
    expected = np.concatenate(
        [isotonic([v for v, _ in c], [w for _, w in c], [0.0] * (len(c) - 1)) for c in columns]
    )
    cold, _ = _pooled(z, w, same, None)
    assert cold == pytest.approx(expected, abs=1e-6)
    nearby = z + nudge * np.sin(np.arange(len(z)))
    _, hint = _pooled(nearby, w, same, None)
    warm, _ = _pooled(z, w, same, hint)
    assert warm == pytest.approx(expected, abs=1e-6)
