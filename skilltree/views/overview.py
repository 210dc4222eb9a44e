"""The ladder at a glance: every category of skills collapsed into one expandable cluster.

The first picture of a ladder should read in one look: the rungs in their lanes, the groups
they ask for ("one back-end language"), and one node per category of skills ("Languages · 12")
instead of every skill. :func:`overview` builds that picture as a small graph to lay out and
draw in place of the career graph; a category named in ``expanded`` shows its skills instead of
its cluster. An edge from or to a cluster stands for the edges of its members: which categories
each rung and group asks for, and where an expanded skill's prerequisites lie. Edges between two
clusters are left out (every category needs a little of every other, and the picture would be a
long chain of clusters), and so is an edge that would close a cycle (a language needing a tool
that needs another language): left out of the picture, never out of the data.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..index import index_of
from ..model import NODE_KINDS
from .palette import categories_of

__all__ = ["CLUSTER", "Overview", "cluster_of", "overview"]

#: The id prefix of a cluster node (never a valid id in a data file: ids have no colon).
CLUSTER = "cluster:"
_TRAINING = "training"


@dataclass(frozen=True)
class Overview:
    """The graph to draw, and which career-graph nodes each cluster stands for."""

    graph: nx.DiGraph
    members: Mapping[str, tuple[str, ...]]
    standing: Mapping[str, str]

    def drawn(self, node: str) -> str | None:
        """The drawn node that stands for ``node`` (itself, or its cluster), if any."""
        return self.standing.get(node)

    def drawn_all(self, nodes: Iterable[str]) -> list[str]:
        """The drawn nodes that stand for ``nodes``, each once, in order."""
        out = (self.standing.get(n) for n in nodes)
        return list(dict.fromkeys(n for n in out if n is not None))


def cluster_of(G: nx.DiGraph, node: str) -> str | None:
    """The category a node folds into in the overview (training routes fold together), or None
    for groups and roles, which are always drawn.

    >>> from skilltree import load_graph
    >>> cluster_of(load_graph(), "django"), cluster_of(load_graph(), "junior")
    ('framework', None)
    """
    kind = G.nodes[node].get("kind")
    if kind == "skill":
        return str(G.nodes[node].get("category") or "other")
    if kind == "training":
        return _TRAINING
    return None


def overview(G: nx.DiGraph, expanded: Collection[str] = ()) -> Overview:
    """The ladder with every category not in ``expanded`` collapsed into a cluster.

    Clusters are nodes of kind ``cluster`` named ``<category> · <count>``, with the category in
    ``category`` (so they take its colour), the kind of their members in ``folds`` and their
    members' ids in ``members``.

    >>> from skilltree import load_graph
    >>> view = overview(load_graph())
    >>> view.drawn("django"), view.graph.nodes["cluster:framework"]["name"]
    ('cluster:framework', 'Frameworks · 14')
    >>> overview(load_graph(), ["framework"]).drawn("django")
    'django'
    """
    index = index_of(G)
    open_ = set(expanded)
    names = {c.id: c.name for c in categories_of(G)}
    names[_TRAINING] = "Training routes"
    members: dict[str, list[str]] = {}
    standing: dict[str, str] = {}
    D = nx.DiGraph(**G.graph)
    for node in sorted(index.kinds):
        group = cluster_of(G, node)
        if group is None or group in open_:
            D.add_node(node, **G.nodes[node])
            standing[node] = node
        else:
            members.setdefault(CLUSTER + group, []).append(node)
            standing[node] = CLUSTER + group
    for cluster, inside in members.items():
        group = cluster[len(CLUSTER) :]
        label = names.get(group) or NODE_KINDS.get(group, NODE_KINDS["skill"]).label
        D.add_node(
            cluster,
            kind="cluster",
            name=f"{label} · {len(inside)}",
            category=group,
            folds=_TRAINING if group == _TRAINING else "skill",
            members=tuple(inside),
            description=f"{len(inside)} {'routes' if group == _TRAINING else 'skills'}: "
            + ", ".join(index.names[n] for n in inside[:12])
            + (" …" if len(inside) > 12 else ""),
        )
    _link(G, D, standing)
    return Overview(D, {c: tuple(m) for c, m in members.items()}, standing)


def _link(G: nx.DiGraph, D: nx.DiGraph, standing: Mapping[str, str]) -> None:
    """Edges between drawn nodes for the edges between what they stand for, never a cycle."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for u, v, data in G.edges(data=True):
        a, b = standing.get(u), standing.get(v)
        if a is None or b is None or a == b:
            continue
        if a.startswith(CLUSTER) and b.startswith(CLUSTER):
            continue
        kept = merged.get((a, b))
        if kept is None:
            merged[(a, b)] = dict(data)
        elif data.get("importance") == "essential":
            kept["importance"] = "essential"
    clustered = [e for e in merged if e[0].startswith(CLUSTER) or e[1].startswith(CLUSTER)]
    plain = [e for e in merged if e not in set(clustered)]
    D.add_edges_from((u, v, merged[(u, v)]) for u, v in plain)
    roles = {n for n, kind in D.nodes(data="kind") if kind == "role"}
    # Edges into roles never close a cycle among the others; add those last and unchecked.
    for u, v in sorted(clustered, key=lambda e: (e[1] in roles, e)):
        if v in roles or not nx.has_path(D, v, u):
            D.add_edge(u, v, **merged[(u, v)])
