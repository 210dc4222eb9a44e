"""The index's tables: what is read when first asked for reads the same as a pass over the links."""

from __future__ import annotations

import networkx as nx
import pytest

from benchmarks.synthetic import generate
from skilltree import graph_from_data, index_of, load_graph
from skilltree.index import Requirement, _stronger


@pytest.fixture(scope="module", params=["default", "synthetic"])
def graph(request):
    if request.param == "default":
        return load_graph()
    return graph_from_data(generate(roles=150, skills=400, seed=5, deep=True))


def test_requirement_tables_read_per_node_match_one_pass_over_the_links(graph):
    own: dict[str, list[tuple]] = {}
    required_by: dict[str, list[str]] = {}
    for u, v, attrs in graph.edges(data=True):
        if attrs["kind"] == "requirement":
            own.setdefault(v, []).append(
                (u, attrs["level"], attrs["importance"], attrs.get("pick"))
            )
            required_by.setdefault(u, []).append(v)
    index = index_of(graph)
    assert list(index.own_reqs) == list(index.roles)
    for role in index.roles:
        assert index.own_reqs[role] == tuple(own.get(role, ()))
    for node, kind in index.kinds.items():
        if kind in ("skill", "group"):
            assert node in index.required_by
            assert index.required_by[node] == tuple(required_by.get(node, ()))
        else:
            assert node not in index.required_by
    with pytest.raises(KeyError):
        index.own_reqs["no-such-role"]


def _merged_by_hand(index, role):
    """A role's requirements as a plain pass would merge them: every rung below merged in
    full, then the role's own statements, then any optional one its essential one covers
    dropped (what ``requirements`` does with shortcuts)."""
    merged = {}
    for below in index.prev_roles[role]:
        for req in _merged_by_hand(index, below):
            key = (req.node, req.importance)
            old = merged.get(key)
            merged[key] = req if old is None else _stronger(old, req, old.origin)
    for node, level, importance, pick in index.own_reqs[role]:
        is_group = index.kinds[node] == "group"
        mine = Requirement(
            node, is_group, level, importance, role, (pick or index.pick[node]) if is_group else 1
        )
        old = merged.get((node, importance))
        merged[node, importance] = mine if old is None else _stronger(old, mine, role)
    for key, req in list(merged.items()):
        essential = merged.get((req.node, "essential"))
        if (
            req.importance == "optional"
            and essential is not None
            and req.level <= essential.level
            and req.pick <= essential.pick
        ):
            del merged[key]
    return tuple(merged.values())


def _two_rungs_below() -> nx.DiGraph:
    """Two rungs lead to one role; statements overlap as essential and optional at several
    levels, so that a rung's optional need is covered, or not, by what the rung above asks."""
    G = nx.DiGraph()
    for rank, role in ((1, "a"), (1, "b"), (2, "c"), (3, "d")):
        G.add_node(role, kind="role", name=role, rank=rank, track="individual")
    for skill in ("x", "y", "z"):
        G.add_node(skill, kind="skill", name=skill, category="tool", hours=(1.0, 2.0, 3.0))
    G.add_edges_from([("a", "c"), ("b", "c"), ("c", "d")], kind="progression", years=1)
    for skill, role, level, importance in (
        ("x", "a", 1, "optional"),
        ("x", "b", 2, "essential"),
        ("y", "a", 3, "optional"),
        ("y", "c", 2, "essential"),
        ("z", "b", 1, "essential"),
        ("z", "c", 2, "optional"),
        ("z", "d", 3, "essential"),
        ("x", "d", 3, "optional"),
    ):
        G.add_edge(skill, role, kind="requirement", level=level, importance=importance)
    return nx.freeze(G)


@pytest.mark.parametrize("which", ["two rungs below", "default", "synthetic"])
def test_merged_requirements_match_a_full_merge_of_every_rung(which):
    if which == "two rungs below":
        graph = _two_rungs_below()
    elif which == "default":
        graph = load_graph()
    else:
        graph = graph_from_data(generate(roles=150, skills=400, seed=5, deep=True))
    index = index_of(graph)
    for role in index.roles:
        assert index.requirements(role) == _merged_by_hand(index, role), role
