"""The model's vocabulary, one table each: node kinds, edge kinds, tracks, categories, levels and
the weights of essential and optional requirements.

Everything that names a kind of thing in the graph reads it from here: the schema and the
loader (which sections exist, which kinds may stand at each end of an edge), the engine (how
much a requirement weighs), the views (labels, the default colours of categories) and the
command line. A data file may declare its own levels, tracks and categories (format 2); these
tables are the defaults and the fixed parts.

Examples
--------
>>> EDGE_KINDS["option"].sources, EDGE_KINDS["option"].targets
(frozenset({'skill'}), frozenset({'group'}))
>>> DEFAULT_WEIGHTS.of("optional")
0.25
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "CATEGORY_PALETTE",
    "DEFAULT_CATEGORIES",
    "DEFAULT_LEVELS",
    "DEFAULT_TRACKS",
    "DEFAULT_WEIGHTS",
    "EDGE_KINDS",
    "IMPORTANCES",
    "MAX_LEVELS",
    "MIN_LEVELS",
    "NODE_KINDS",
    "Category",
    "EdgeKind",
    "Importance",
    "NodeKind",
    "Track",
    "Weights",
    "category_color",
    "section_kind",
]

Importance = Literal["essential", "optional"]
IMPORTANCES: tuple[Importance, ...] = ("essential", "optional")


@dataclass(frozen=True, slots=True)
class NodeKind:
    """A kind of node: its id (the ``kind`` attribute), the file section that lists it, and how
    a person reads it."""

    id: str
    section: str
    label: str


#: Node kinds in the order a file lists its sections.
NODE_KINDS: dict[str, NodeKind] = {
    kind.id: kind
    for kind in (
        NodeKind("role", "roles", "Role"),
        NodeKind("skill", "skills", "Skill"),
        NodeKind("group", "groups", "Group (any k of)"),
        NodeKind("training", "training", "Training route"),
    )
}


def section_kind(section: str) -> str:
    """The node kind a file section lists.

    >>> section_kind("groups")
    'group'
    """
    for kind in NODE_KINDS.values():
        if kind.section == section:
            return kind.id
    raise KeyError(section)


@dataclass(frozen=True, slots=True)
class EdgeKind:
    """A kind of edge. Edges point from what is needed (``sources``) to what needs it
    (``targets``). ``declared_by`` says which end's entry in a file states the edge, so that a
    problem with it is placed there; a ``soft`` edge orders learning without being needed."""

    id: str
    sources: frozenset[str]
    targets: frozenset[str]
    label: str
    declared_by: Literal["source", "target"]
    soft: bool = False


EDGE_KINDS: dict[str, EdgeKind] = {
    kind.id: kind
    for kind in (
        EdgeKind(
            "prerequisite", frozenset({"skill"}), frozenset({"skill"}), "prerequisite", "target"
        ),
        EdgeKind(
            "requirement",
            frozenset({"skill", "group"}),
            frozenset({"role"}),
            "required by role",
            "target",
        ),
        EdgeKind(
            "option", frozenset({"skill"}), frozenset({"group"}), "option of a group", "target"
        ),
        EdgeKind("progression", frozenset({"role"}), frozenset({"role"}), "next role", "source"),
        EdgeKind("teaches", frozenset({"training"}), frozenset({"skill"}), "taught by", "source"),
        EdgeKind("entry", frozenset({"training"}), frozenset({"role"}), "leads to role", "source"),
        EdgeKind(
            "after",
            frozenset({"skill"}),
            frozenset({"skill"}),
            "recommended before",
            "target",
            True,
        ),
    )
}


@dataclass(frozen=True, slots=True)
class Track:
    """A track of the ladder (a lane of roles): individual contributor, management, …"""

    id: str
    name: str


DEFAULT_TRACKS: tuple[Track, ...] = (
    Track("individual", "Individual contributor"),
    Track("expert", "Expert"),
    Track("management", "Management"),
)


@dataclass(frozen=True, slots=True)
class Category:
    """A category of skills, with the name a legend shows and its colour."""

    id: str
    name: str
    color: str


#: The built-in categories, coloured with Paul Tol's "muted" scheme (distinct under colour
#: blindness).
DEFAULT_CATEGORIES: tuple[Category, ...] = (
    Category("language", "Languages", "#332288"),
    Category("framework", "Frameworks", "#88CCEE"),
    Category("database", "Databases", "#44AA99"),
    Category("tool", "Tools", "#117733"),
    Category("platform", "Platforms", "#999933"),
    Category("practice", "Practices", "#DDCC77"),
    Category("architecture", "Architecture", "#CC6677"),
    Category("problem", "Problems", "#882255"),
    Category("people", "People skills", "#AA4499"),
)

#: Colours for categories a file uses without declaring a colour: distinct from each other and
#: from the built-in ones (Tol's "light" and "vibrant" schemes), reused only past their number.
CATEGORY_PALETTE: tuple[str, ...] = (
    "#EE8866",
    "#77AADD",
    "#EEDD88",
    "#FFAABB",
    "#99DDFF",
    "#44BB99",
    "#BBCC33",
    "#0077BB",
    "#33BBEE",
    "#009988",
    "#EE7733",
    "#CC3311",
    "#EE3377",
    "#AAAA00",
)


def category_color(category: str, declared: dict[str, str], order: list[str]) -> str:
    """The colour of ``category``: declared in the file, built in, or the next palette colour
    in the order categories are first met (``order``), so that two undeclared categories never
    share a colour while the palette lasts.

    >>> category_color("ci-cd", {}, ["ci-cd"])
    '#EE8866'
    """
    if category in declared:
        return declared[category]
    for known in DEFAULT_CATEGORIES:
        if known.id == category:
            return known.color
    undeclared = [c for c in order if c not in declared and c not in _DEFAULT_IDS]
    position = undeclared.index(category) if category in undeclared else len(undeclared)
    if position < len(CATEGORY_PALETTE):
        return CATEGORY_PALETTE[position]
    # Past the palette (a roadmap import has a category per topic): hues a golden angle apart
    # keep neighbours distinct however many there are.
    hue = ((position - len(CATEGORY_PALETTE)) * 137.508) % 360
    red, green, blue = colorsys.hls_to_rgb(hue / 360, 0.55, 0.55)
    return f"#{round(red * 255):02X}{round(green * 255):02X}{round(blue * 255):02X}"


_DEFAULT_IDS = frozenset(c.id for c in DEFAULT_CATEGORIES)

#: Level names when a file declares none: level 1, 2 and 3.
DEFAULT_LEVELS: tuple[str, ...] = ("basics", "working", "advanced")
MIN_LEVELS = 2
MAX_LEVELS = 8


@dataclass(frozen=True, slots=True)
class Weights:
    """How much an essential and an optional requirement weigh in readiness."""

    essential: float = 1.0
    optional: float = 0.25

    def of(self, importance: str) -> float:
        return self.essential if importance == "essential" else self.optional


DEFAULT_WEIGHTS = Weights()
