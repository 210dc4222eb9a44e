"""The graph in interchange formats: node-link JSON (networkx's) and GraphML (Gephi, yEd).

Node-link JSON keeps every attribute as it is. GraphML holds only scalars, so nested values are
flattened on the way out: a salary band becomes ``salary_min``, ``salary_max``, …, a list becomes
one JSON-encoded string, and missing values are left out.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx

__all__ = ["GRAPH_WRITERS", "graphml_text", "node_link", "node_link_text"]


def node_link(G: nx.DiGraph) -> dict[str, Any]:
    """The graph as networkx's node-link mapping (``nodes`` and ``edges``), every attribute kept."""
    data: dict[str, Any] = nx.node_link_data(G, edges="edges")
    return data


def node_link_text(G: nx.DiGraph) -> str:
    """Node-link JSON text, indented, ending in a newline."""
    return json.dumps(node_link(G), indent=2, ensure_ascii=False, default=list) + "\n"


def _flat(attrs: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, Mapping):
            for sub, inner in _flat(value).items():
                out[f"{key}_{sub}"] = inner
        elif isinstance(value, (list, tuple)):
            out[key] = json.dumps(list(value), ensure_ascii=False)
        elif isinstance(value, (bool, int, float, str)):
            out[key] = value
        else:
            out[key] = str(value)
    return out


def graphml_text(G: nx.DiGraph) -> str:
    """The graph as GraphML text, nested attributes flattened (see the module docstring)."""
    flat = nx.DiGraph()
    flat.graph.update(_flat(G.graph))
    flat.add_nodes_from((n, _flat(d)) for n, d in G.nodes(data=True))
    flat.add_edges_from((u, v, _flat(d)) for u, v, d in G.edges(data=True))
    buffer = io.BytesIO()
    nx.write_graphml(flat, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


#: Whole-graph formats by name: the ``graph`` command's ``--format`` and the app's download.
GRAPH_WRITERS: dict[str, Callable[[nx.DiGraph], str]] = {
    "node-link": node_link_text,
    "graphml": graphml_text,
}
