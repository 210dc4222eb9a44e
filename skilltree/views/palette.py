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
    "BAND_FILLS",
    "EDGE_STYLES",
    "HELD_COLORS",
    "HIGHLIGHT_COLOR",
    "KIND_COLORS",
    "LANE_FILLS",
    "MATCH_COLOR",
    "NO_STATUS_COLOR",
    "SELECTED_COLOR",
    "STATUS_COLORS",
    "STATUS_GLYPHS",
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
#: A status as one character, for text that has no colour (the phone outline, tables).
STATUS_GLYPHS: dict[str, str] = {"have": "🟢", "in_plan": "🟠", "ready": "🔵", "locked": "⚪"}
#: Node kinds other than skills (skills take their category's colour); shapes differ as well.
#: ``cluster`` is a collapsed category in the overview.
KIND_COLORS: dict[str, str] = {
    "role": "#E69F00",
    "group": "#666666",
    "training": "#AAAAAA",
    "skill": "#DDDDDD",
    "cluster": "#BBBBBB",
}
NO_STATUS_COLOR = "#FFFFFF"
#: The cheapest path to the selected node, and the selected node's own ring.
HIGHLIGHT_COLOR = "#D55E00"
SELECTED_COLOR = "#000000"
#: Search matches: a yellow halo, the one colour of the palette no status uses.
MATCH_COLOR = "#F0E442"
#: The ring of a held skill: a level the person stated, and one implied or assumed.
HELD_COLORS: dict[str, str] = {"stated": "#006B4F", "implied": "#7FCBB3"}
#: Background of each track's lane, in lane order (repeated past the fifth track).
LANE_FILLS = ("#EEF4FA", "#F3EEF8", "#FBF1E6", "#EEF7EF", "#F7F3E8")
#: Background of a plan's milestones, alternating.
BAND_FILLS = ("#F7F7F7", "#FFFFFF")

#: (edge kind, importance) → (legend name, colour, width, dash). Importance matters for
#: requirements only. Kinds differ in dash and weight as well as shade, so they stay apart in
#: print and for colour-blind readers.
EDGE_STYLES: dict[tuple[str, str | None], tuple[str, str, float, str]] = {
    ("prerequisite", None): ("needs first", "#767676", 1.3, "solid"),
    ("option", None): ("counts as one of", "#9A9A9A", 1.2, "dash"),
    ("requirement", "essential"): (EDGE_KINDS["requirement"].label, "#333333", 1.8, "solid"),
    ("requirement", "optional"): ("optional for role", "#555555", 1.4, "dot"),
    ("progression", None): (EDGE_KINDS["progression"].label, "#000000", 3.0, "solid"),
    ("teaches", None): (EDGE_KINDS["teaches"].label, "#A77FB8", 1.1, "dashdot"),
    ("entry", None): (EDGE_KINDS["entry"].label, "#A77FB8", 2.0, "solid"),
    ("after", None): (EDGE_KINDS["after"].label, "#BBBBBB", 1.0, "dot"),
}
assert {kind for kind, _ in EDGE_STYLES} == set(EDGE_KINDS), "every edge kind needs a style"
assert set(NODE_KINDS) <= set(KIND_COLORS), "every node kind needs a colour"


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
    ones first, then the built-in ones the graph uses, then the rest by id. (A graph drawn in
    place of the career graph, such as the overview, is read node by node: its clusters count
    for their categories.)"""
    if nx.is_frozen(G):
        return _BY_INDEX(index_of(G))
    used = {
        str(a.get("category"))
        for _n, a in G.nodes(data=True)
        if a.get("kind") == "skill" or (a.get("kind") == "cluster" and a.get("folds") == "skill")
    }
    return _categories(G, sorted(used))
