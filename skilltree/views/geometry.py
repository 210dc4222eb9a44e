"""What a layout returns and what a figure draws: boxes, placed nodes, lanes, bands, in pixels.

Coordinates are screen pixels at the drawing's natural size, x to the right and y up (as
plotly's axes), so a figure maps one axis unit to one pixel and labels keep the size they were
measured at. A node is drawn as a marker (its kind's symbol) with its wrapped label to the right;
the pair sits in a *node box*. Edges leave a node from the right side of its box and enter the
next one at its marker on the left, so an edge never crosses its own node's label.

Every part of the project that lays out or measures a drawing agrees on a node's size through
:func:`node_size`, so what the measures count is what the figure shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .labels import LINE_HEIGHT, block_size, wrap_label

__all__ = [
    "GAP_PX",
    "MARKER_PX",
    "PAD_PX",
    "Band",
    "Box",
    "Lane",
    "Layout",
    "NodePlace",
    "NodeSize",
    "Point",
    "kind_of",
    "node_size",
    "place",
]

Point = tuple[float, float]

#: Marker diameters in pixels by node kind; ``cluster`` is a collapsed category.
MARKER_PX = {"role": 20.0, "group": 13.0, "training": 14.0, "skill": 11.0, "cluster": 18.0}
#: Space between marker and text, and around the pair inside the node box.
GAP_PX = 6.0
PAD_PX = 3.0
#: A label wider than this many lines is wrapped wider instead (a paragraph, not a column).
_TALL_LINES = 4
#: Roles' labels may be this much wider than others: they sit alone in their lanes and carry
#: the longest, most important names.
ROLE_WIDTH = 1.3


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle in pixels: left, bottom, right, top."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def overlaps(self, other: Box, margin: float = 0.0) -> bool:
        """Whether the interiors intersect by more than ``margin`` pixels on both axes.

        >>> a = Box(0, 0, 10, 10)
        >>> a.overlaps(Box(9, 9, 20, 20)), a.overlaps(Box(10, 0, 20, 10))
        (True, False)
        """
        return (
            min(self.x1, other.x1) - max(self.x0, other.x0) > margin
            and min(self.y1, other.y1) - max(self.y0, other.y0) > margin
        )

    def shrunk(self, by: float) -> Box:
        return Box(self.x0 + by, self.y0 + by, self.x1 - by, self.y1 - by)


@dataclass(frozen=True, slots=True)
class NodePlace:
    """Where one node is drawn.

    ``marker`` is the centre of the kind's symbol and ``radius`` half its size; ``label`` is the
    box of the wrapped text (``lines``, top to bottom) and ``box`` holds marker and label
    together. ``truncated`` says the label lost characters (its last line ends in "…").
    """

    marker: Point
    radius: float
    lines: tuple[str, ...]
    label: Box
    box: Box
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class Lane:
    """The column of one role track (individual, expert, management…): a titled background."""

    track: str
    title: str
    box: Box


@dataclass(frozen=True, slots=True)
class Band:
    """A run of columns that belong together (a milestone of a plan): a titled background."""

    title: str
    box: Box


@dataclass
class Layout:
    """A whole drawing: placed nodes, edge polylines, role lanes, bands and its size in pixels.

    ``edges`` maps (tail, head) to the points of the drawn line, tail first; curves are sampled,
    so plotly draws them as plain lines. ``width`` and ``height`` are the drawing's extent from
    (0, 0). ``memo`` keeps what a figure derives from the layout alone (its edge lines), so a
    cached layout is drawn again cheaply.
    """

    nodes: dict[str, NodePlace]
    edges: dict[tuple[str, str], list[Point]]
    lanes: list[Lane] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    font_px: float = 12.0
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class NodeSize:
    """What a node needs: its label lines and the width and height of its box, in pixels."""

    lines: tuple[str, ...]
    marker: float
    label_w: float
    label_h: float
    width: float
    height: float
    truncated: bool


def kind_of(G: nx.DiGraph, n: str) -> str:
    """The node's kind, as the drawing knows it (anything unknown is drawn as a skill)."""
    kind = G.nodes[n].get("kind", "skill")
    return kind if kind in MARKER_PX else "skill"


def node_size(
    G: nx.DiGraph,
    n: str,
    label_width_px: float,
    font_px: float,
    labels: Mapping[str, str] | None = None,
) -> NodeSize:
    """Box size of node ``n`` with its label (its name, or ``labels[n]``) wrapped to fit.

    Roles get a little more width (:data:`ROLE_WIDTH`). A label that would need more than four
    lines is wrapped wider.

    >>> G = nx.DiGraph(); G.add_node("go", kind="skill", name="Go")
    >>> size = node_size(G, "go", 160, 12)
    >>> size.lines, size.truncated
    (('Go',), False)
    """
    name = labels[n] if labels and n in labels else str(G.nodes[n].get("name", n))
    kind = kind_of(G, n)
    limit = label_width_px * (ROLE_WIDTH if kind == "role" else 1.0)
    lines = wrap_label(name, limit, font_px)
    if len(lines) > _TALL_LINES:
        lines = wrap_label(name, limit * 1.6, font_px)
    truncated = lines[-1].endswith("…") and not name.rstrip().endswith("…")
    label_w, label_h = block_size(lines, font_px)
    marker = MARKER_PX[kind]
    # Descenders of the last line need a little room beyond the nominal line pitch.
    label_h += font_px * (LINE_HEIGHT - 1.0) * 0.5
    width = PAD_PX + marker + GAP_PX + label_w + PAD_PX
    height = max(marker, label_h) + 2 * PAD_PX
    return NodeSize(lines, marker, label_w, label_h, width, height, truncated)


def place(size: NodeSize, left: float, centre_y: float) -> NodePlace:
    """The drawn node for a box whose left side is at ``left`` and middle at ``centre_y``."""
    box = Box(left, centre_y - size.height / 2, left + size.width, centre_y + size.height / 2)
    label_left = left + PAD_PX + size.marker + GAP_PX
    label = Box(
        label_left,
        centre_y - size.label_h / 2,
        label_left + size.label_w,
        centre_y + size.label_h / 2,
    )
    return NodePlace(
        marker=(left + PAD_PX + size.marker / 2, centre_y),
        radius=size.marker / 2,
        lines=size.lines,
        label=label,
        box=box,
        truncated=size.truncated,
    )
