"""The plotly figure of the career graph: a :class:`~.geometry.Layout` drawn one pixel per unit.

Nothing is laid out again here: markers, labels (as wrapped, at the size they were measured at),
edge polylines, lanes and bands go where the layout put them, so what the layout measures is
what a person sees. The traces come from :mod:`.traces`; this module puts them together with
the axes, the legend and the lane titles, and shows or saves nothing. Text from data is escaped
with :func:`~skilltree.views.text.plain` wherever plotly would read it as HTML.

What a node shows, from the bottom up: a halo when it is on the highlighted path, matches the
search or is selected; its marker, filled by status (or by kind and category); a ring in green
whose width is the level the person holds (dark when they said so, light when implied or
assumed), so a plan drawn on top never hides what they have; a dot in the marker while they are
learning it, a cross when they would rather skip it. Clicks report the node id (``customdata``)
of marker points only: edges, labels and halos skip hover.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Collection, Mapping, Sequence
from typing import Any, TypedDict, Unpack

import networkx as nx
import numpy as np
import plotly.graph_objects as go

from ..errors import UnknownIdError
from ..gcpause import gc_paused
from . import traces as build
from .geometry import Layout, Point
from .labels import FONT_FAMILY, text_width
from .layout import graph_layout
from .palette import BAND_FILLS, LANE_FILLS, SELECTED_COLOR, STATUS_COLORS
from .status import Held
from .text import plain

__all__ = ["MARKS", "FigureOptions", "chart_dict", "graph_figure", "graph_figure_spec"]

MARKS = build.MARKS


class FigureOptions(TypedDict, total=False):
    """What the graph figure shows and how, every key optional: see :func:`graph_figure`."""

    status: Mapping[str, str] | None
    highlight: Sequence[str]
    selected: str | None
    color_by: str
    title: str | None
    webgl_threshold: int
    labels: Mapping[str, str] | None
    held: Mapping[str, Held] | None
    marks: Mapping[str, str] | None
    matches: Collection[str]
    height: int | None
    anchor: str | None
    revision: str | None
    notes: Mapping[str, str] | None


_MARGIN = 12
_LANE_TITLE_PX = 24
_LEGEND_PX = 11
#: The width the app's chart is assumed to have when a window is opened on a big drawing.
_APP_WIDTH = 640.0


def graph_figure(
    G: nx.DiGraph,
    layout: Layout | Mapping[str, Point],
    *,
    validate: bool = True,
    **options: Unpack[FigureOptions],
) -> go.Figure:
    """The drawn part of the graph: clickable markers, wrapped labels, routed edges, lanes.

    The options (every parameter but ``G``, ``layout`` and ``validate``) are the keys of
    :class:`FigureOptions`; an unknown one raises TypeError.

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
    spec = graph_figure_spec(G, layout, **options)
    return go.Figure(data=spec["data"], layout=spec["layout"], _validate=validate)


@gc_paused()  # a list per trace and a point per edge bend: no collections while they live
def graph_figure_spec(
    G: nx.DiGraph,
    layout: Layout | Mapping[str, Point],
    **options: Unpack[FigureOptions],
) -> dict[str, Any]:
    """What :func:`graph_figure` draws, as plain data: ``{"data": traces, "layout": layout}``,
    the dictionaries plotly.js reads (arrays as numpy arrays), without plotly's figure objects.
    The app hands this to the browser as it is: a figure object copies every trace twice on
    the way (once when made, once when turned back into a dictionary). Same options and
    errors as :func:`graph_figure`.

    >>> G = nx.DiGraph()
    >>> G.add_node("git", kind="skill", name="Git", category="tool", hours=(5, 10, 20))
    >>> spec = graph_figure_spec(G, {"git": (0.0, 0.0)})
    >>> sorted(spec), any(t.get("customdata") is not None for t in spec["data"])
    (['data', 'layout'], True)
    """
    unknown = sorted(set(options) - FigureOptions.__optional_keys__)
    if unknown:
        raise TypeError(f"unknown figure options: {', '.join(unknown)}")
    color_by = options.get("color_by", "kind")
    if color_by not in ("kind", "status"):
        raise ValueError(f"color_by must be 'kind' or 'status', got {color_by!r}")
    labels = options.get("labels")
    held = options.get("held")
    status = dict(options.get("status") or {})
    for node, value in status.items():
        if value not in STATUS_COLORS:
            raise ValueError(
                f"status of {node!r} must be one of {', '.join(STATUS_COLORS)}, got {value!r}"
            )
    marks = dict(options.get("marks") or {})
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
    marked = [n for n in options.get("highlight") or () if n in members]
    selected = options.get("selected")
    chosen = selected if selected in members else None
    webgl = len(order) > options.get("webgl_threshold", 500)
    kind = "scattergl" if webgl else "scatter"

    traces = build.edge_traces(G, layout, set(marked), chosen, kind, webgl)
    matches = set(options.get("matches") or ())
    traces += build.halos(layout, marked, [n for n in order if n in matches], chosen, kind)
    traces += build.label_traces(layout, kind, webgl)
    traces += build.node_traces(
        G,
        layout,
        order,
        status,
        color_by,
        kind,
        dict(held or {}),
        marks,
        labels or {},
        options.get("notes"),
    )
    traces += build.legend_extras(order, dict(held or {}), marks, kind)
    legend = [t["name"] for t in traces if t.get("showlegend", True) and t.get("name")]
    for trace in traces:
        # A click selects a point in plotly, which would dim every other one: nothing dims,
        # and the clicked node itself darkens, in the browser, with no new figure.
        trace["unselected"] = {"marker": {"opacity": 1.0}}
        if trace["mode"] == "text":
            trace["unselected"]["textfont"] = {"color": "#222222"}
        elif trace.get("customdata") is not None:
            trace["selected"] = {"marker": {"color": SELECTED_COLOR, "opacity": 1.0}}
    fig_layout = _figure_layout(
        layout,
        order,
        options.get("title"),
        options.get("height"),
        options.get("anchor"),
        options.get("revision"),
        legend,
    )
    return {"data": traces, "layout": fig_layout}


def chart_dict(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A :func:`graph_figure_spec` drawing as a figure object would hand it to plotly.js: no
    unset (None) layout properties, plotly's default template, and every one-dimensional
    numpy array of numbers in the traces as a typed array (``{"dtype": "f4", "bdata": base64}``:
    a third of the JSON, and quick to encode), other arrays as lists. The traces are copied; the
    layout's values are shared with ``spec``.

    >>> chart = chart_dict({"data": [{"x": np.array([1.0], dtype="f4")}], "layout": {"a": None}})
    >>> chart["data"], sorted(chart["layout"])
    ([{'x': {'dtype': 'f4', 'bdata': 'AACAPw=='}}], ['template'])
    """
    layout = {k: v for k, v in spec["layout"].items() if v is not None}
    if "template" not in layout and _template() is not None:
        layout["template"] = _template()
    return {"data": [_typed(trace) for trace in spec["data"]], "layout": layout}


#: numpy dtypes plotly.js reads as typed arrays, by the short name it knows them by.
_TYPED = {
    "int8": "i1",
    "uint8": "u1",
    "int16": "i2",
    "uint16": "u2",
    "int32": "i4",
    "uint32": "u4",
    "float32": "f4",
    "float64": "f8",
}


_NESTED = (dict, list, tuple, np.ndarray)


def _typed(value: Any) -> Any:
    """``value`` with every one-dimensional numpy array of numbers as a plotly.js typed array,
    others as lists; dicts and lists copied."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        if any(isinstance(v, _NESTED) for v in value):
            return [_typed(v) for v in value]
        return list(value)  # texts and numbers: nothing inside to convert
    if isinstance(value, np.ndarray):
        short = _TYPED.get(str(value.dtype))
        if short is None or value.ndim != 1:
            return value.tolist()
        data = np.ascontiguousarray(value).astype(value.dtype.newbyteorder("<"), copy=False)
        return {"dtype": short, "bdata": base64.b64encode(data.tobytes()).decode("ascii")}
    return value


@functools.cache
def _template() -> Any:
    """plotly's default template, as a figure object carries it (read once)."""
    return go.Figure().to_dict()["layout"].get("template")


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
