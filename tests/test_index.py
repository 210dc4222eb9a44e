"""The index's tables: what is read when first asked for reads the same as a pass over the links."""

from __future__ import annotations

import pytest

from benchmarks.synthetic import generate
from skilltree import graph_from_data, index_of, load_graph


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
