"""The plotly figure of the career graph: a :class:`~.geometry.Layout` drawn one pixel per unit.

Nothing is laid out again here: markers, labels (as wrapped, at the size they were measured at),
edge polylines, lanes and bands go where the layout put them, so what the layout measures is
what a person sees. Each builder is a small function from data to a ``go.Figure``; none of them
shows or saves anything. Text from data (names, descriptions) is escaped with
:func:`~skilltree.views.text.plain` wherever plotly would read it as HTML.

What a node shows, from the bottom up: a halo when it is on the highlighted path, matches the
search or is selected; its marker, filled by status (or by kind and category); a ring in green
whose width is the level the person holds (dark when they said so, light when implied or
assumed), so a plan drawn on top never hides what they have; a dot in the marker while they are
learning it, a cross when they would rather skip it. Clicks report the node id (``customdata``)
of marker points only: edges, labels and halos skip hover.
"""

from __future__ import annotations

import hashlib
import itertools
import textwrap
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import networkx as nx
import numpy as np
import plotly.graph_objects as go

from ..errors import UnknownIdError
from ..model import NODE_KINDS
from .geometry import Layout, Point, kind_of
from .labels import FONT_FAMILY, right_to_left, text_width
from .layout import graph_layout
from .palette import (
    BAND_FILLS,
    EDGE_STYLES,
    HELD_COLORS,
    HIGHLIGHT_COLOR,
    KIND_COLORS,
    LANE_FILLS,
    MATCH_COLOR,
    NO_STATUS_COLOR,
    SELECTED_COLOR,
    STATUS_COLORS,
    STATUS_LABELS,
    categories_of,
)
from .status import Held
from .text import band_text, plain

__all__ = ["MARKS", "graph_figure"]

_SYMBOLS = {
    "role": "diamond",
    "group": "square",
    "training": "triangle-right",
    "skill": "circle",
    "cluster": "hexagon",
}
#: What a person says about a skill besides its level: learning it now, or would rather skip it.
MARKS = {"learning": "-dot", "skip": "-x"}
_ARROW_PX = 9
_MARGIN = 12
_LANE_TITLE_PX = 24
_LEGEND_PX = 11
#: The width the app's chart is assumed to have when a window is opened on a big drawing.
_APP_WIDTH = 640.0


def graph_figure(
    G: nx.DiGraph,
    layout: Layout | Mapping[str, Point],
    *,
    status: Mapping[str, str] | None = None,
    highlight: Sequence[str] = (),
    selected: str | None = None,
    color_by: str = "kind",
    title: str | None = None,
    webgl_threshold: int = 500,
    labels: Mapping[str, str] | None = None,
    held: Mapping[str, Held] | None = None,
    marks: Mapping[str, str] | None = None,
    matches: Collection[str] = (),
    height: int | None = None,
    anchor: str | None = None,
    revision: str | None = None,
    notes: Mapping[str, str] | None = None,
    validate: bool = True,
) -> go.Figure:
    """The drawn part of the graph: clickable markers, wrapped labels, routed edges, lanes.

    Parameters
    ----------
    G : networkx.DiGraph
        The career graph (or the graph drawn in its place). Only the laid-out nodes are read.
    layout : Layout, or mapping of str to (float, float)
        Where to draw, from :func:`~skilltree.views.layout.graph_layout`. Given a mapping (the
        older positions), the nodes it names are laid out afresh.
    status : mapping of str to str, optional
        Node id → ``"have"``, ``"in_plan"``, ``"ready"`` or ``"locked"``: the fill when
        ``color_by="status"``, and a line of the hover.
    highlight : sequence of str, optional
        Node ids on a path to emphasise: a halo, and a thick line along the edges between them.
    selected : str, optional
        The node whose details are open: a black ring, and its own edges drawn darker.
    color_by : {"kind", "status"}, optional
        Fill by kind (skills by category) or by status.
    title : str, optional
        Figure title, shown as plain text.
    webgl_threshold : int, optional
        Above this many nodes, WebGL traces (plain text labels, no arrowheads).
    labels : mapping of str to str, optional
        Node id → label in place of its name; used when laying out from positions, and as the
        full text of each marker point (``text``).
    held : mapping of str to Held, optional
        The levels the person holds (:func:`~skilltree.views.status.held_levels`): rings.
    marks : mapping of str to str, optional
        Node id → ``"learning"`` or ``"skip"`` (see :data:`MARKS`).
    matches : collection of str, optional
        Search matches: a yellow halo each.
    height : int, optional
        A fixed figure height for the app: the drawing is shown one pixel per unit in that
        window, centred on ``anchor`` (default: the drawing's centre), and the browser pans and
        zooms within it. Without it the figure is the drawing's own size (exports).
    anchor : str, optional
        Where the window opens when the drawing is bigger than it: centred on this node, or at
        the lanes if it is a role; by default at the drawing's start (its left end).
    revision : str, optional
        plotly's ``uirevision``: while it stays the same, zoom and pan survive redraws. The
        default changes with the set of drawn nodes.
    notes : mapping of str to str, optional
        Node id → an extra line for its hover (plain text), e.g. what a cluster holds.
    validate : bool, optional
        Let plotly check every property (the default, and what the tests do). The app passes
        False on its hot path: checking the same structure on every click costs more than
        building it.

    Returns
    -------
    plotly.graph_objects.Figure

    Raises
    ------
    UnknownIdError
        If a laid-out node is not in ``G``.
    ValueError
        If ``color_by``, a status, or a mark is not one of those listed.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("git", kind="skill", name="Git", category="tool", hours=(5, 10, 20))
    >>> G.add_node("junior", kind="role", name="Junior", rank=1)
    >>> G.add_edge("git", "junior", kind="requirement", level=1, importance="essential")
    >>> fig = graph_figure(G, {"git": (0.0, 0.0), "junior": (1.0, 0.0)})
    >>> sorted(n for t in fig.data if t.customdata is not None for (n,) in t.customdata)
    ['git', 'junior']
    """
    if color_by not in ("kind", "status"):
        raise ValueError(f"color_by must be 'kind' or 'status', got {color_by!r}")
    status = dict(status or {})
    for node, value in status.items():
        if value not in STATUS_COLORS:
            raise ValueError(
                f"status of {node!r} must be one of {', '.join(STATUS_COLORS)}, got {value!r}"
            )
    marks = dict(marks or {})
    for node, value in marks.items():
        if value not in MARKS:
            raise ValueError(f"mark of {node!r} must be one of {', '.join(MARKS)}, got {value!r}")
    if not isinstance(layout, Layout):
        layout = graph_layout(G, list(layout), labels=labels)
    order = sorted(layout.nodes, key=str)
    for n in order:
        if n not in G:
            raise UnknownIdError("node", str(n))
    members = set(order)
    marked = [n for n in highlight if n in members]
    chosen = selected if selected in members else None
    webgl = len(order) > webgl_threshold
    kind = "scattergl" if webgl else "scatter"

    traces = _edge_traces(G, layout, set(marked), chosen, kind, webgl)
    traces += _halos(layout, marked, [n for n in order if n in set(matches)], chosen, kind)
    traces += _label_traces(layout, kind, webgl)
    traces += _node_traces(
        G, layout, order, status, color_by, kind, dict(held or {}), marks, labels or {}, notes
    )
    traces += _legend_extras(order, dict(held or {}), marks, kind)
    legend = [t["name"] for t in traces if t.get("showlegend", True) and t.get("name")]
    for trace in traces:
        # A click selects a point in plotly, which would dim every other one: nothing dims,
        # and the clicked node itself darkens, in the browser, with no new figure.
        trace["unselected"] = {"marker": {"opacity": 1.0}}
        if trace["mode"] == "text":
            trace["unselected"]["textfont"] = {"color": "#222222"}
        elif trace.get("customdata") is not None:
            trace["selected"] = {"marker": {"color": SELECTED_COLOR, "opacity": 1.0}}
    fig_layout = _figure_layout(layout, order, title, height, anchor, revision, legend)
    return go.Figure(data=traces, layout=fig_layout, _validate=validate)


def _edge_key(data: Mapping[str, Any]) -> tuple[str, str | None]:
    kind = data.get("kind", "prerequisite")
    importance = data.get("importance", "essential") if kind == "requirement" else None
    key = (kind, importance)
    return key if key in EDGE_STYLES else ("prerequisite", None)


def _lines(
    layout: Layout, pairs: Sequence[tuple[str, str]], arrows: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Polylines separated by gaps (NaN), and arrowhead sizes (on each edge's last point).

    Edges merged into a trunk share their stretches: each stretch is sent once, so a trunk of
    twenty edges costs one line. Arrays, not lists: plotly checks and serialises them whole
    (as typed arrays), many times faster than lists for thousands of points.
    """
    seen: set[tuple[Point, Point]] = set()
    xs: list[float] = []
    ys: list[float] = []
    tips: list[int] = []
    for pair in pairs:
        points = layout.edges[pair]
        run = False
        for a, b in itertools.pairwise(points):
            key = ((round(a[0], 1), round(a[1], 1)), (round(b[0], 1), round(b[1], 1)))
            if key in seen:
                if run:
                    xs.append(np.nan)
                    ys.append(np.nan)
                run = False
                continue
            seen.add(key)
            if not run:
                xs.append(a[0])
                ys.append(a[1])
            xs.append(b[0])
            ys.append(b[1])
            run = True
        if run:
            tips.append(len(xs) - 1)
            xs.append(np.nan)
            ys.append(np.nan)
    sizes = np.zeros(len(xs), dtype=np.uint8)
    if arrows and tips:
        sizes[tips] = _ARROW_PX
    return np.array(xs, dtype=np.float32), np.array(ys, dtype=np.float32), sizes


def _styled_lines(
    G: nx.DiGraph, layout: Layout, arrows: bool
) -> dict[tuple[str, str | None], tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The lines of every edge style, worked out once per layout (kept in its memo)."""
    key = ("lines", id(G), arrows)
    if key not in layout.memo:
        by_style: dict[tuple[str, str | None], list[tuple[str, str]]] = {}
        for u, v in sorted(layout.edges):
            by_style.setdefault(_edge_key(G.edges[u, v]), []).append((u, v))
        layout.memo[key] = {
            style: _lines(layout, by_style[style], arrows)
            for style in EDGE_STYLES
            if style in by_style
        }
    lines: dict[tuple[str, str | None], tuple[np.ndarray, np.ndarray, np.ndarray]] = layout.memo[
        key
    ]
    return lines


def _edge_traces(
    G: nx.DiGraph, layout: Layout, marked: set[str], chosen: str | None, kind: str, webgl: bool
) -> list[dict[str, Any]]:
    """One line trace per edge style, then the selected node's edges and the highlighted path."""
    styled = _styled_lines(G, layout, not webgl)
    quiet = bool(marked or chosen)
    traces: list[dict[str, Any]] = []
    for key, (name, color, width, dash) in EDGE_STYLES.items():
        if key not in styled:
            continue
        xs, ys, sizes = styled[key]
        trace: dict[str, Any] = {
            "type": kind,
            "x": xs,
            "y": ys,
            "name": name,
            "mode": "lines" if webgl else "lines+markers",
            "line": {"color": color, "width": width, "dash": dash},
            "opacity": 0.45 if quiet else 0.85,
            "hoverinfo": "skip",
            "legendgroup": "links",
        }
        if not webgl:
            trace["marker"] = {"symbol": "arrow", "angleref": "previous", "size": sizes}
            trace["marker"]["color"] = color
        traces.append(trace)
    for pairs, name, color, width, opacity in (
        (
            [(u, v) for u, v in sorted(layout.edges) if chosen in (u, v)],
            "links of the selected node",
            "#222222",
            2.4,
            0.9,
        ),
        (
            [(u, v) for u, v in sorted(layout.edges) if u in marked and v in marked],
            "cheapest path",
            HIGHLIGHT_COLOR,
            5.0,
            0.7,
        ),
    ):
        if pairs:
            xs, ys, _ = _lines(layout, pairs, False)
            traces.append(
                {
                    "type": kind,
                    "x": xs,
                    "y": ys,
                    "name": name,
                    "mode": "lines",
                    "line": {"color": color, "width": width},
                    "opacity": opacity,
                    "hoverinfo": "skip",
                    "legendgroup": "links",
                }
            )
    return traces


def _halos(
    layout: Layout, path: Sequence[str], found: Sequence[str], chosen: str | None, kind: str
) -> list[dict[str, Any]]:
    """Halos under the markers: the highlighted path, search matches, the selected node."""
    traces: list[dict[str, Any]] = []
    for members, name, color, grow, symbol, line in (
        (list(found), f"search match ({len(found)})", MATCH_COLOR, 14, "circle", 0),
        (list(path), "on the cheapest path", HIGHLIGHT_COLOR, 9, "circle", 0),
        ([chosen] if chosen else [], "selected", SELECTED_COLOR, 12, "circle-open", 3),
    ):
        if not members:
            continue
        places = [layout.nodes[n] for n in members]
        traces.append(
            {
                "type": kind,
                "x": [p.marker[0] for p in places],
                "y": [p.marker[1] for p in places],
                "name": name,
                "mode": "markers",
                "marker": {
                    "symbol": symbol,
                    "size": [2 * p.radius + grow for p in places],
                    "color": color,
                    "opacity": 1.0 if line else 0.55,
                    "line": {"width": line, "color": color},
                },
                "hoverinfo": "skip",
                "legendgroup": "marks",
            }
        )
    return traces


def _label_traces(layout: Layout, kind: str, webgl: bool) -> list[dict[str, Any]]:
    """The labels as text points: left-aligned at the label's left, or right-aligned at its
    right for right-to-left text, vertically centred on the marker (plotly's 1.3-em lines)."""
    ltr: list[tuple[float, float, str]] = []
    rtl: list[tuple[float, float, str]] = []
    for n in sorted(layout.nodes, key=str):
        place = layout.nodes[n]
        centre = (place.label.y0 + place.label.y1) / 2
        if webgl:
            ltr.append((place.label.x0, centre, " ".join(place.lines)))
        elif right_to_left(" ".join(place.lines)):
            rtl.append((place.label.x1, centre, "<br>".join(plain(line) for line in place.lines)))
        else:
            ltr.append((place.label.x0, centre, "<br>".join(plain(line) for line in place.lines)))
    traces = []
    for items, position in ((ltr, "middle right"), (rtl, "middle left")):
        if items:
            traces.append(
                {
                    "type": kind,
                    "x": [x for x, _, _ in items],
                    "y": [y for _, y, _ in items],
                    "text": [t for _, _, t in items],
                    "mode": "text",
                    "textposition": position,
                    "textfont": {"size": layout.font_px, "color": "#222222", "family": FONT_FAMILY},
                    "hoverinfo": "skip",
                    "showlegend": False,
                    "name": "labels",
                }
            )
    return traces


def _node_traces(
    G: nx.DiGraph,
    layout: Layout,
    order: Sequence[str],
    status: Mapping[str, str],
    color_by: str,
    kind: str,
    held: Mapping[str, Held],
    marks: Mapping[str, str],
    labels: Mapping[str, str],
    notes: Mapping[str, str] | None,
) -> list[dict[str, Any]]:
    """One marker trace per colour class, in legend order; only classes that are drawn."""
    classes: dict[str, tuple[str, str, list[str]]] = {}
    for key, name, color in _classes(G, status, color_by):
        classes[key] = (name, color, [])
    for n in order:
        key = _class_of(G, n, status, color_by)
        if key not in classes:
            classes[key] = (str(G.nodes[n].get("category") or key), KIND_COLORS["skill"], [])
        classes[key][2].append(n)
    traces: list[dict[str, Any]] = []
    for name, color, members in classes.values():
        if not members:
            continue
        places = [layout.nodes[n] for n in members]
        rings = [held.get(n) for n in members]
        traces.append(
            {
                "type": kind,
                "x": [round(p.marker[0], 1) for p in places],
                "y": [round(p.marker[1], 1) for p in places],
                "name": name,
                "mode": "markers",
                "customdata": [[n] for n in members],
                "text": [plain(labels.get(n, G.nodes[n].get("name", n))) for n in members],
                "hovertext": [
                    _hover(
                        G, layout, n, status.get(n), held.get(n), marks.get(n), (notes or {}).get(n)
                    )
                    for n in members
                ],
                "hoverinfo": "text",
                "marker": {
                    "color": color,
                    "symbol": [
                        _SYMBOLS[kind_of(G, n)] + MARKS.get(marks.get(n, ""), "") for n in members
                    ],
                    "size": [2 * p.radius for p in places],
                    "line": {
                        "color": [_ring_color(r, color) for r in rings],
                        "width": [1.0 + 1.1 * r.level if r else 1.0 for r in rings],
                    },
                },
                "legendgroup": "nodes",
            }
        )
    return traces


def _ring_color(ring: Held | None, fill: str) -> str:
    if ring is not None:
        return HELD_COLORS["stated" if ring.stated else "implied"]
    # White fills need a visible rim; coloured ones look cleaner with a white one.
    return "#888888" if fill == NO_STATUS_COLOR else "#FFFFFF"


def _legend_extras(
    order: Sequence[str], held: Mapping[str, Held], marks: Mapping[str, str], kind: str
) -> list[dict[str, Any]]:
    """Legend entries for what rings and marks mean, only when some are drawn."""
    entries: list[tuple[str, str, str, str]] = []
    drawn = [held[n] for n in order if n in held]
    if any(h.stated for h in drawn):
        entries.append(
            ("you have it (ring: your level)", "circle", "#FFFFFF", HELD_COLORS["stated"])
        )
    if any(not h.stated for h in drawn):
        entries.append(("implied or assumed", "circle", "#FFFFFF", HELD_COLORS["implied"]))
    shown = {marks[n] for n in order if n in marks}
    for mark, name in (("learning", "learning now"), ("skip", "you would skip it")):
        if mark in shown:
            entries.append((name, "circle" + MARKS[mark], "#DDDDDD", "#555555"))
    return [
        {
            "type": kind,
            "x": [None],
            "y": [None],
            "name": name,
            "mode": "markers",
            "marker": {
                "symbol": symbol,
                "size": 12,
                "color": fill,
                "line": {"color": line, "width": 3},
            },
            "hoverinfo": "skip",
            "legendgroup": "marks",
        }
        for name, symbol, fill, line in entries
    ]


def _classes(G: nx.DiGraph, status: Mapping[str, str], color_by: str) -> list[tuple[str, str, str]]:
    """(key, legend name, colour) of every colour class, in legend order."""
    if color_by == "status":
        return [(s, STATUS_LABELS[s], c) for s, c in STATUS_COLORS.items()] + [
            ("", "No status", NO_STATUS_COLOR)
        ]
    classes = [(k, NODE_KINDS[k].label, KIND_COLORS[k]) for k in ("role", "group", "training")]
    return classes + [(f"skill:{c.id}", c.name, c.color) for c in categories_of(G)]


def _class_of(G: nx.DiGraph, n: str, status: Mapping[str, str], color_by: str) -> str:
    if color_by == "status":
        return status.get(n, "")
    kind = kind_of(G, n)
    if kind in ("role", "group", "training"):
        return kind
    if kind == "cluster" and G.nodes[n].get("folds") == "training":
        return "training"
    return f"skill:{G.nodes[n].get('category', '')}"


def _hover(
    G: nx.DiGraph,
    layout: Layout,
    n: str,
    state: str | None,
    ring: Held | None,
    mark: str | None,
    note: str | None,
) -> str:
    """A short summary: name, what it is, effort or salary, what you hold, the description."""
    head, tail = _hover_parts(G, layout, n)
    lines = list(head)
    if note:
        lines.append(plain(note))
    if ring is not None:
        lines.append(
            f"you have level {ring.level} of {ring.top}"
            + (f" ({plain(ring.source)})" if ring.source else "")
        )
    if mark:
        lines.append("you are learning it" if mark == "learning" else "you would rather skip it")
    if state:
        lines.append(f"status: {STATUS_LABELS[state].lower()}")
    return "<br>".join(lines + tail)


def _hover_parts(G: nx.DiGraph, layout: Layout, n: str) -> tuple[list[str], list[str]]:
    """The lines of a hover that come from the data alone, worked out once per layout."""
    key = ("hover", id(G), n)
    if key in layout.memo:
        parts: tuple[list[str], list[str]] = layout.memo[key]
        return parts
    attrs = G.nodes[n]
    kind = kind_of(G, n)
    head = [f"<b>{plain(attrs.get('name', n))}</b>"]
    if kind == "skill":
        head.append(f"skill · {plain(attrs.get('category', '?'))}")
        hours = attrs.get("hours") or ()
        if hours:
            steps = " · ".join(f"L{i}: {h:g} h" for i, h in enumerate(hours, start=1))
            head.append(f"hours per level: {steps}")
    elif kind == "role":
        head.append(
            f"role · rank {plain(attrs.get('rank', '?'))} · {plain(attrs.get('track', ''))} track"
        )
        band = attrs.get("salary")
        if isinstance(band, Mapping):
            head.append("salary: " + plain(band_text(band)))
    elif kind == "group":
        options = sum(1 for _, d in G.pred[n].items() if d.get("kind") == "option")
        head.append(f"group · any {plain(attrs.get('pick', 1))} of {options}")
    elif kind == "training":
        months = attrs.get("months")
        head.append("training route" + (f" · {months:g} months" if months is not None else ""))
    tail: list[str] = []
    description = str(attrs.get("description") or "")
    if description:
        short = textwrap.shorten(description, width=160, placeholder=" …")
        tail = [plain(line) for line in textwrap.wrap(short, width=60)]
    layout.memo[key] = (head, tail)
    return head, tail


def _legend_height(names: Sequence[str], width: float) -> float:
    """Height of the legend's rows when its entries flow across ``width`` pixels."""
    rows, used = 1, 0.0
    for name in names:
        entry = text_width(name, _LEGEND_PX) + 64
        if used and used + entry > width:
            rows, used = rows + 1, 0.0
        used += entry
    return rows * (_LEGEND_PX + 10) + 12


def _figure_layout(
    layout: Layout,
    order: Sequence[str],
    title: str | None,
    height: int | None,
    anchor: str | None,
    revision: str | None,
    legend: Sequence[str],
) -> dict[str, Any]:
    """Axes at one pixel per unit, the legend inside the plot below the drawing (a legend
    outside would take its room from the plot and shrink the drawing under its labels)."""
    top = _MARGIN + (40 if title else 0) + (_LANE_TITLE_PX if layout.lanes or layout.bands else 0)
    margin = {"l": _MARGIN, "r": _MARGIN, "t": top, "b": _MARGIN}
    axis = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": False}
    w, h = max(layout.width, 1.0), max(layout.height, 1.0)
    if height is None:
        below = _legend_height(legend, w) if legend else 0.0
        x_range, y_range, toward = [0.0, w], [-below, h], "center"
        size = {"width": round(w) + 2 * _MARGIN, "height": round(h + below) + top + _MARGIN}
    else:
        # One pixel per unit: the y range is exactly the plot's height, and the x range a
        # sliver that plotly widens to the same scale, whatever the chart's width, keeping its
        # left end (the drawing opens at its start), its right end (at the lanes, for a role)
        # or its centre (on another anchor).
        below = _legend_height(legend, _APP_WIDTH) if legend else 0.0
        # A drawing shorter than the window gets a shorter window, not blank space.
        height = min(height, round(h + below) + top + _MARGIN + 8)
        plot_h = max(height - top - _MARGIN, 100)
        cy = (h - below) / 2
        x_range, toward = [-_MARGIN, 2.0 - _MARGIN], "left"
        if anchor in layout.nodes:
            ax, ay = layout.nodes[anchor].marker
            if any(lane.box.x0 <= ax <= lane.box.x1 for lane in layout.lanes):
                x_range, toward = [w + _MARGIN - 2.0, w + _MARGIN], "right"
            else:
                x_range, toward = [ax - 1.0, ax + 1.0], "center"
            if h + below > plot_h:
                low, high = plot_h / 2 - below, h - plot_h / 2
                cy = min(max(ay, low), max(high, low))
        y_range = [cy - plot_h / 2, cy + plot_h / 2]
        size = {"height": height}
    if revision is None:
        revision = hashlib.blake2b("\n".join(map(str, order)).encode(), digest_size=8).hexdigest()
    return {
        "title": {"text": plain(title), "x": 0.01} if title else None,
        "xaxis": {**axis, "range": x_range, "constraintoward": toward},
        "yaxis": {**axis, "range": y_range, "scaleanchor": "x", "scaleratio": 1},
        "font": {"family": FONT_FAMILY, "size": layout.font_px},
        "showlegend": bool(legend),
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": 0,
            "xanchor": "left",
            "yanchor": "bottom",
            "traceorder": "normal",
            "bgcolor": "rgba(255,255,255,0.88)",
            "itemclick": "toggle",
            "font": {"size": _LEGEND_PX},
        },
        "hovermode": "closest",
        "clickmode": "event+select",
        "dragmode": "pan",
        "uirevision": revision,
        "plot_bgcolor": "#FFFFFF",
        "paper_bgcolor": "#FFFFFF",
        "margin": margin,
        "shapes": _backgrounds(layout),
        "annotations": _titles(layout),
        **size,
    }


def _backgrounds(layout: Layout) -> list[dict[str, Any]]:
    shapes: list[dict[str, Any]] = []
    for i, band in enumerate(layout.bands):
        b = band.box
        shapes.append(_rect(b.x0, b.y0, b.x1, b.y1, BAND_FILLS[i % len(BAND_FILLS)]))
    for i, lane in enumerate(layout.lanes):
        b = lane.box
        shapes.append(_rect(b.x0, b.y0, b.x1, b.y1, LANE_FILLS[i % len(LANE_FILLS)]))
    return shapes


def _rect(x0: float, y0: float, x1: float, y1: float, fill: str) -> dict[str, Any]:
    return {
        "type": "rect",
        "x0": x0,
        "y0": y0,
        "x1": x1,
        "y1": y1,
        "fillcolor": fill,
        "line": {"width": 0},
        "layer": "below",
    }


def _titles(layout: Layout) -> list[dict[str, Any]]:
    """Lane and band titles, above the drawing (a band's title may name a role: escaped)."""
    out = []
    for title, box in [(lane.title, lane.box) for lane in layout.lanes] + [
        (band.title, band.box) for band in layout.bands
    ]:
        if title:
            out.append(
                {
                    "x": (box.x0 + box.x1) / 2,
                    "y": box.y1,
                    "yanchor": "bottom",
                    "text": f"<b>{plain(title)}</b>",
                    "showarrow": False,
                    "font": {"size": layout.font_px, "color": "#555555"},
                    "width": max(box.x1 - box.x0 - 4, 20),
                }
            )
    return out
