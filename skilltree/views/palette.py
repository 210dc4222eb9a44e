"""Colours and styles of the drawings: statuses, node kinds, edge kinds, categories.

The vocabulary itself (which kinds and categories exist, their names) is
:mod:`skilltree.model`; this module only says how each looks. A ladder's own categories come
with the colours its file declares, or distinct palette colours.
"""

from __future__ import annotations

import networkx as nx

from ..index import PerIndex, index_of
from ..model import DEFAULT_CATEGORIES, EDGE_KINDS, NODE_KINDS, Category, category_color

__all__ = [
    "EDGE_STYLES",
    "HIGHLIGHT_COLOR",
    "KIND_COLORS",
    "NO_STATUS_COLOR",
    "STATUS_COLORS",
    "STATUS_LABELS",
    "categories_of",
]

#: A profile's status of a node, in Okabe & Ito's colour-blind-safe palette.
STATUS_COLORS: dict[str, str] = {
    "have": "#009E73",
    "in_plan": "#E69F00",
    "ready": "#0072B2",
    "locked": "#BBBBBB",
}
STATUS_LABELS: dict[str, str] = {
    "have": "Have",
    "in_plan": "In plan",
    "ready": "Ready to learn",
    "locked": "Locked",
}
#: Node kinds other than skills (skills take their category's colour); shapes differ as well.
KIND_COLORS: dict[str, str] = {
    "role": "#E69F00",
    "group": "#666666",
    "training": "#AAAAAA",
    "skill": "#DDDDDD",
}
NO_STATUS_COLOR = "#FFFFFF"
HIGHLIGHT_COLOR = "#D55E00"

#: (edge kind, importance) → (legend name, colour, width, dash). Importance matters for
#: requirements only.
EDGE_STYLES: dict[tuple[str, str | None], tuple[str, str, float, str]] = {
    ("prerequisite", None): (EDGE_KINDS["prerequisite"].label, "#8C8C8C", 1.2, "solid"),
    ("option", None): (EDGE_KINDS["option"].label, "#A0A0A0", 1.2, "dash"),
    ("requirement", "essential"): (EDGE_KINDS["requirement"].label, "#6E6E6E", 1.4, "solid"),
    ("requirement", "optional"): ("optional for role", "#A0A0A0", 1.2, "dot"),
    ("progression", None): (EDGE_KINDS["progression"].label, "#222222", 3.0, "solid"),
    ("teaches", None): (EDGE_KINDS["teaches"].label, "#B4B4B4", 1.0, "dashdot"),
    ("entry", None): (EDGE_KINDS["entry"].label, "#B4B4B4", 2.0, "solid"),
    ("after", None): (EDGE_KINDS["after"].label, "#C8C8C8", 1.0, "dot"),
}
assert {kind for kind, _ in EDGE_STYLES} == set(EDGE_KINDS), "every edge kind needs a style"
assert set(KIND_COLORS) == set(NODE_KINDS), "every node kind needs a colour"


def _categories(G: nx.DiGraph, used: list[str]) -> list[Category]:
    declared = {str(c["id"]): c for c in G.graph.get("categories") or ()}
    colors = {k: str(c["color"]) for k, c in declared.items() if c.get("color")}
    builtin = {c.id: c for c in DEFAULT_CATEGORIES}
    order = list(declared) + [c.id for c in DEFAULT_CATEGORIES] + sorted(set(used))
    seen = list(dict.fromkeys(c for c in order if c in declared or c in used))
    out = []
    for c in seen:
        if c in declared:
            name = str(declared[c].get("name") or c)
        elif c in builtin:
            name = builtin[c].name
        else:
            name = c.replace("-", " ").replace("_", " ").capitalize()
        out.append(Category(c, name, category_color(c, colors, seen)))
    return out


_BY_INDEX: PerIndex[list[Category]] = PerIndex(
    lambda index: _categories(index.graph(), [c for c in index.by_group if c not in NODE_KINDS])
)


def categories_of(G: nx.DiGraph) -> list[Category]:
    """The graph's skill categories in legend order, each with its name and colour: declared
    ones first, then the built-in ones the graph uses, then the rest by id."""
    if nx.is_frozen(G):
        return _BY_INDEX(index_of(G))
    used = {str(a.get("category")) for _n, a in G.nodes(data=True) if a.get("kind") == "skill"}
    return _categories(G, sorted(used))
