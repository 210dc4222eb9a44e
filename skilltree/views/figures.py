"""Plotly figures of the career graph itself: nodes, edges, colours, labels and hovers.

Each builder is a small function from data to a ``plotly.graph_objects.Figure``; none of them
shows or saves anything. Text that comes from data (names, descriptions, sources) is escaped with
:func:`~skilltree.views.text.plain` wherever plotly would read it as HTML, so a data file cannot
inject markup.

The graph figure draws exactly the positions it is given (see :mod:`skilltree.layout`): the caller
chooses the focused subset, the figure never walks the rest of the graph.
"""

from __future__ import annotations

import hashlib
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx
import plotly.graph_objects as go

from ..errors import UnknownIdError
from ..model import NODE_KINDS
from .focus import edges_among
from .palette import (
    EDGE_STYLES,
    HIGHLIGHT_COLOR,
    KIND_COLORS,
    NO_STATUS_COLOR,
    STATUS_COLORS,
    STATUS_LABELS,
    categories_of,
)
from .text import band_text, plain

__all__ = ["graph_figure"]

Point = tuple[float, float]

_OUTLINE = "#FFFFFF"
_SYMBOLS = {"role": "diamond", "group": "square", "training": "triangle-right", "skill": "circle"}
_SIZES = {"role": 20, "group": 13, "training": 14, "skill": 11}
_LABEL_CHARS = 18
# Roles sit in the last columns, with room to their right for a longer label.
_ROLE_LABEL_CHARS = 32
# Pixels per layout unit at the figure's own size: a column must hold a label of _LABEL_CHARS
# characters, a row one label line above one marker.
_PX_PER_X = 170
_PX_PER_Y = 34
_ARROW_SIZE = 10


def graph_figure(
    G: nx.DiGraph,
    positions: Mapping[str, Point],
    *,
    status: Mapping[str, str] | None = None,
    highlight: Sequence[str] = (),
    selected: str | None = None,
    color_by: str = "kind",
    title: str | None = None,
    webgl_threshold: int = 500,
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """The drawn part of the graph: nodes as clickable markers, edges as lines with arrowheads.

    Nodes are grouped in one trace per colour class, so the legend explains the colours; every
    node point carries its id in ``customdata``, which plotly selection events report. Edges are
    one line trace per kind (and importance), with ``hoverinfo="skip"`` so that clicks only ever
    select nodes; an arrowhead sits at the target end of each edge.

    Parameters
    ----------
    G : networkx.DiGraph
        The career graph. Only the nodes of ``positions`` and the edges between them are read.
    positions : mapping of str to (float, float)
        The nodes to draw and where, as returned by :func:`skilltree.layout.layered_layout`.
    status : mapping of str to str, optional
        Node id → ``"have"``, ``"in_plan"``, ``"ready"`` or ``"locked"``; used when
        ``color_by="status"`` and shown in hover text. Nodes without a status are drawn white.
    highlight : sequence of str, optional
        Node ids to emphasise (a path): bigger, outlined markers and thick edges between them.
        Ids that are not drawn are ignored.
    selected : str, optional
        A node to outline strongly (the one whose details are open). Ignored if not drawn.
    color_by : {"kind", "status"}, optional
        Colour by kind (skills by category) or by the profile's status.
    title : str, optional
        Figure title, shown as plain text.
    webgl_threshold : int, optional
        Above this many nodes, use WebGL traces (``Scattergl``) and drop arrowheads, which WebGL
        cannot orient; edges still point left to right in a layered layout.
    labels : mapping of str to str, optional
        Node id → label drawn beside it in place of the (shortened) name, shown in full as
        plain text (a newline starts a second line): the steps of a plan, say.

    Returns
    -------
    plotly.graph_objects.Figure

    Raises
    ------
    UnknownIdError
        If a positioned node is not in ``G``.
    ValueError
        If ``color_by`` or a status value is not one of those listed.

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
    order = sorted(positions, key=str)
    for n in order:
        if n not in G:
            raise UnknownIdError("node", str(n))
    members = set(order)
    marked = {n for n in highlight if n in members}
    chosen = selected if selected in members else None
    webgl = len(order) > webgl_threshold

    size = {n: _node_size(G, n, n in marked, n == chosen) for n in order}
    edges = edges_among(G, order)
    # One constructor call over plain dicts: adding traces one by one costs far more.
    traces = _edge_traces(edges, positions, size, marked, webgl, chosen)
    traces += _node_traces(
        G, order, positions, size, status, marked, chosen, color_by, webgl, labels or {}
    )
    return go.Figure(data=traces, layout=_graph_layout(order, positions, title))


def _edge_traces(
    edges: Sequence[tuple[str, str, Mapping[str, Any]]],
    positions: Mapping[str, Point],
    size: Mapping[str, float],
    marked: set[str],
    webgl: bool,
    chosen: str | None = None,
) -> list[dict[str, Any]]:
    """One line trace per edge style, then the thick highlight over the edges of the path."""
    by_style: dict[tuple[str, str | None], list[tuple[str, str]]] = {}
    for u, v, data in edges:
        kind = data.get("kind", "prerequisite")
        importance = data.get("importance", "essential") if kind == "requirement" else None
        key = (kind, importance) if (kind, importance) in EDGE_STYLES else ("prerequisite", None)
        by_style.setdefault(key, []).append((u, v))

    kind = "scattergl" if webgl else "scatter"
    traces: list[dict[str, Any]] = []
    for key, (name, color, width, dash) in EDGE_STYLES.items():
        pairs = by_style.get(key)
        if not pairs:
            continue
        xs, ys = _segments(pairs, positions)
        trace: dict[str, Any] = {
            "type": kind,
            "x": xs,
            "y": ys,
            "name": name,
            "mode": "lines" if webgl else "lines+markers",
            "line": {"color": color, "width": width, "dash": dash},
            "opacity": 0.45 if marked or chosen else 0.9,
            "hoverinfo": "skip",
            "legendgroup": "links",
            "legendgrouptitle": {"text": "Links"},
        }
        if not webgl:
            # The arrowhead is a marker on each target point, turned along the segment and
            # pushed back by the target's radius so that it touches the node, not its centre.
            trace["marker"] = {
                "symbol": "arrow",
                "angleref": "previous",
                "color": color,
                "size": [s for _ in pairs for s in (0, _ARROW_SIZE, 0)],
                "standoff": [s for _, v in pairs for s in (0, size[v] / 2 + 1, 0)],
            }
        traces.append(trace)

    # The selected node's own links stand out from the rest: what it needs and what it opens.
    around = [(u, v) for u, v, _ in edges if chosen in (u, v)]
    if around:
        xs, ys = _segments(around, positions)
        traces.append(
            {
                "type": kind,
                "x": xs,
                "y": ys,
                "name": "links of the selected node",
                "mode": "lines",
                "line": {"color": "#333333", "width": 2.2},
                "opacity": 0.9,
                "hoverinfo": "skip",
                "legendgroup": "links",
            }
        )
    path = [(u, v) for u, v, _ in edges if u in marked and v in marked]
    if path:
        xs, ys = _segments(path, positions)
        traces.append(
            {
                "type": kind,
                "x": xs,
                "y": ys,
                "name": "highlighted path",
                "mode": "lines",
                "line": {"color": HIGHLIGHT_COLOR, "width": 5},
                "opacity": 0.75,
                "hoverinfo": "skip",
                "legendgroup": "links",
            }
        )
    return traces


def _segments(
    pairs: Sequence[tuple[str, str]], positions: Mapping[str, Point]
) -> tuple[list[float | None], list[float | None]]:
    """Coordinates of the segments, separated by ``None`` so one trace draws them all."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for u, v in pairs:
        (x0, y0), (x1, y1) = positions[u], positions[v]
        xs += [x0, x1, None]
        ys += [y0, y1, None]
    return xs, ys


def _node_traces(
    G: nx.DiGraph,
    order: Sequence[str],
    positions: Mapping[str, Point],
    size: Mapping[str, float],
    status: Mapping[str, str],
    marked: set[str],
    chosen: str | None,
    color_by: str,
    webgl: bool,
    labels: Mapping[str, str],
) -> list[dict[str, Any]]:
    """One marker trace per colour class, in legend order."""
    classes: dict[str, tuple[str, str, list[str]]] = {}
    for key, name, color in _classes(G, order, status, color_by):
        classes[key] = (name, color, [])
    # Emphasised nodes go last so they are drawn on top; plain skills go first because the
    # legend draws each class with the style of its first point.
    for n in sorted(order, key=lambda n: (n in marked or n == chosen, _kind(G, n) != "skill")):
        classes[_class_of(G, n, status, color_by)][2].append(n)

    traces: list[dict[str, Any]] = []
    for name, color, members in classes.values():
        if not members:
            continue
        kinds = [_kind(G, n) for n in members]
        traces.append(
            {
                "type": "scattergl" if webgl else "scatter",
                "x": [positions[n][0] for n in members],
                "y": [positions[n][1] for n in members],
                "name": name,
                "mode": "markers+text",
                "customdata": [[n] for n in members],
                # WebGL draws text as is (no HTML), so escaping there would show "&amp;".
                "text": [
                    (plain(labels[n]).replace("\n", "<br>") if not webgl else labels[n])
                    if n in labels
                    else _label(G, n, escape=not webgl)
                    for n in members
                ],
                "textposition": "middle right",
                "textfont": {"size": 10, "color": "#333333"},
                "hovertext": [_hover(G, n, status.get(n)) for n in members],
                "hoverinfo": "text",
                "marker": {
                    "color": color,
                    "symbol": [_SYMBOLS.get(k, "circle") for k in kinds],
                    "size": [size[n] for n in members],
                    "line": {
                        "color": [_outline(n, marked, chosen, color) for n in members],
                        "width": [_outline_width(n, marked, chosen) for n in members],
                    },
                },
                "unselected": {"marker": {"opacity": 0.55}},
                "legendgroup": "nodes",
                "legendgrouptitle": {"text": "Status" if color_by == "status" else "Nodes"},
            }
        )
    return traces


def _classes(
    G: nx.DiGraph, order: Sequence[str], status: Mapping[str, str], color_by: str
) -> list[tuple[str, str, str]]:
    """(key, legend name, colour) of every colour class, in legend order."""
    if color_by == "status":
        return [(s, STATUS_LABELS[s], c) for s, c in STATUS_COLORS.items()] + [
            ("", "No status", NO_STATUS_COLOR)
        ]
    classes = [(k, NODE_KINDS[k].label, KIND_COLORS[k]) for k in ("role", "group", "training")]
    classes += [(f"skill:{c.id}", c.name, c.color) for c in categories_of(G)]
    return classes


def _class_of(G: nx.DiGraph, n: str, status: Mapping[str, str], color_by: str) -> str:
    if color_by == "status":
        return status.get(n, "")
    kind = _kind(G, n)
    if kind in ("role", "group", "training"):
        return kind
    return f"skill:{G.nodes[n].get('category', '')}"


def _kind(G: nx.DiGraph, n: str) -> str:
    kind = G.nodes[n].get("kind", "skill")
    return kind if kind in _SYMBOLS else "skill"


def _node_size(G: nx.DiGraph, n: str, marked: bool, chosen: bool) -> float:
    return _SIZES[_kind(G, n)] + (8 if chosen else 6 if marked else 0)


def _outline(n: str, marked: set[str], chosen: str | None, color: str) -> str:
    if n == chosen:
        return "#000000"
    if n in marked:
        return HIGHLIGHT_COLOR
    # White fills need a visible rim; coloured ones look cleaner with a white one.
    return "#888888" if color == NO_STATUS_COLOR else _OUTLINE


def _outline_width(n: str, marked: set[str], chosen: str | None) -> float:
    return 4.0 if n == chosen else 3.0 if n in marked else 1.0


def _label(G: nx.DiGraph, n: str, *, escape: bool) -> str:
    name = str(G.nodes[n].get("name", n))
    limit = _ROLE_LABEL_CHARS if _kind(G, n) == "role" else _LABEL_CHARS
    if len(name) > limit:
        # Cut before escaping, so a character reference is never cut in half.
        name = name[: limit - 1].rstrip() + "…"
    return plain(name) if escape else name


def _hover(G: nx.DiGraph, n: str, state: str | None) -> str:
    """A short summary: name, what it is, effort or salary, status, start of the description."""
    attrs = G.nodes[n]
    kind = _kind(G, n)
    lines = [f"<b>{plain(attrs.get('name', n))}</b>"]
    if kind == "skill":
        lines.append(f"skill · {plain(attrs.get('category', '?'))}")
        hours = attrs.get("hours") or ()
        if hours:
            steps = " · ".join(f"L{i}: {h:g} h" for i, h in enumerate(hours, start=1))
            lines.append(f"hours per level: {steps}")
    elif kind == "role":
        lines.append(
            f"role · rank {plain(attrs.get('rank', '?'))} · {plain(attrs.get('track', ''))} track"
        )
        band = attrs.get("salary")
        lines.append(
            "salary: " + (plain(band_text(band)) if isinstance(band, Mapping) else "not given")
        )
    elif kind == "group":
        options = sum(1 for _, d in G.pred[n].items() if d.get("kind") == "option")
        lines.append(f"group · any {plain(attrs.get('pick', 1))} of {options}")
    else:
        months = attrs.get("months")
        lines.append("training route" + (f" · {months:g} months" if months is not None else ""))
    if state:
        lines.append(f"status: {STATUS_LABELS[state].lower()}")
    description = str(attrs.get("description") or "")
    if description:
        short = textwrap.shorten(description, width=160, placeholder=" …")
        lines += [plain(line) for line in textwrap.wrap(short, width=60)]
    return "<br>".join(lines)


def _graph_layout(
    order: Sequence[str], positions: Mapping[str, Point], title: str | None
) -> dict[str, Any]:
    xs = [positions[n][0] for n in order] or [0.0]
    ys = [positions[n][1] for n in order] or [0.0]
    # Room for labels: to the right of the last column (role labels), above the top row.
    x_range = [min(xs) - 0.3, max(xs) + 2.1]
    y_range = [min(ys) - 0.8, max(ys) + 1.0]
    width = (x_range[1] - x_range[0]) * _PX_PER_X + 260
    height = (y_range[1] - y_range[0]) * _PX_PER_Y + 120
    axis = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": False}
    # The same set of nodes keeps the user's zoom and pan across redraws; a new focus resets it.
    revision = hashlib.blake2b("\n".join(map(str, order)).encode(), digest_size=8).hexdigest()
    return {
        "title": {"text": plain(title)} if title else None,
        "xaxis": {**axis, "range": x_range},
        "yaxis": {**axis, "range": y_range},
        "showlegend": True,
        # Below the plot, across: the columns keep the whole width.
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": -0.01,
            "yanchor": "top",
            "itemclick": "toggle",
            "groupclick": "toggleitem",
            "tracegroupgap": 12,
        },
        "hovermode": "closest",
        "clickmode": "event+select",
        "dragmode": "pan",
        "uirevision": revision,
        "plot_bgcolor": "#FFFFFF",
        "paper_bgcolor": "#FFFFFF",
        "margin": {"l": 10, "r": 10, "t": 50 if title else 20, "b": 90},
        "width": round(min(max(width, 640), 4000)),
        "height": round(min(max(height, 420), 3000)),
    }
