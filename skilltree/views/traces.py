"""The traces of the graph figure: routed edges, halos, wrapped labels, clickable markers.

Each builder turns part of a :class:`~.geometry.Layout` into plain plotly trace dicts; the
figure (:mod:`.figures`) puts them together. Text from data is escaped with
:func:`~skilltree.views.text.plain` wherever plotly would read it as HTML. What a layout alone
decides (the lines of every edge style) is worked out once per layout and kept in its ``memo``,
so redrawing a cached layout is cheap; the parts of a hover that come from the data alone are
kept per graph.
"""

from __future__ import annotations

import itertools
import textwrap
import threading
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx
import numpy as np

from ..model import NODE_KINDS
from .geometry import Layout, kind_of
from .labels import FONT_FAMILY, right_to_left
from .palette import (
    EDGE_STYLES,
    HELD_COLORS,
    HIGHLIGHT_COLOR,
    KIND_COLORS,
    MATCH_COLOR,
    NO_STATUS_COLOR,
    SELECTED_COLOR,
    STATUS_COLORS,
    STATUS_LABELS,
    categories_of,
)
from .status import Held
from .text import band_text, plain

__all__ = ["MARKS", "edge_traces", "halos", "label_traces", "legend_extras", "node_traces"]

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


def _edge_key(data: Mapping[str, Any]) -> tuple[str, str | None]:
    kind = data.get("kind", "prerequisite")
    importance = data.get("importance", "essential") if kind == "requirement" else None
    key = (kind, importance)
    return key if key in EDGE_STYLES else ("prerequisite", None)


def _lines(
    layout: Layout, pairs: Sequence[tuple[str, str]], arrows: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Polylines separated by gaps (NaN), and arrowhead sizes (on each edge's last point).

    Edges merged into a trunk share their stretches: each stretch is sent once (the first time
    an edge in ``pairs`` order has it), so a trunk of twenty edges costs one line. Arrays, not
    lists: plotly checks and serialises them whole (as typed arrays), many times faster than
    lists for thousands of points. Worked out as array operations over every stretch at once.
    """
    polylines = [layout.edges[pair] for pair in pairs]
    lengths = np.fromiter((len(p) for p in polylines), dtype=np.intp, count=len(polylines))
    stretches = np.maximum(lengths - 1, 0)
    total = int(stretches.sum())
    if total == 0:
        empty = np.zeros(0, dtype=np.float32)
        return empty, empty.copy(), np.zeros(0, dtype=np.uint8)
    flat = itertools.chain.from_iterable(itertools.chain.from_iterable(polylines))
    points = np.fromiter(flat, dtype=np.float64, count=2 * int(lengths.sum())).reshape(-1, 2)
    # Stretch k of an edge runs from point ``start`` to ``start + 1`` of the joined points.
    first_point = np.cumsum(lengths) - lengths
    local = np.arange(total) - np.repeat(np.cumsum(stretches) - stretches, stretches)
    start = np.repeat(first_point, stretches) + local
    opens_edge = local == 0
    closes_edge = local == np.repeat(stretches - 1, stretches)
    # Stretches are compared to a tenth of a pixel (+ 0.0: no negative zero apart from zero).
    spots = np.rint(points * 10) + 0.0
    keys = np.concatenate([spots[start], spots[start + 1]], axis=1)
    # The first of each set of equal stretches (a stable sort keeps equal ones in order).
    by_key = np.lexsort(keys.T[::-1])
    ordered = keys[by_key]
    first = np.ones(total, dtype=bool)
    first[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    keep = np.zeros(total, dtype=bool)
    keep[by_key[first]] = True
    # A run of kept stretches of one edge is one line: its first point, then each end point,
    # then a gap.
    after_kept = np.concatenate([[False], keep[:-1]]) & ~opens_edge
    before_kept = np.concatenate([keep[1:], [False]]) & ~closes_edge
    kept = np.flatnonzero(keep)
    begins = (keep & ~after_kept)[kept]
    ends = (keep & ~before_kept)[kept]
    size = begins.astype(np.intp) + 1 + ends
    slot = np.cumsum(size) - size
    xs = np.full(int(size.sum()), np.nan)
    ys = np.full(len(xs), np.nan)
    at_begin = slot[begins]
    xs[at_begin] = points[start[kept][begins], 0]
    ys[at_begin] = points[start[kept][begins], 1]
    at_end = slot + begins
    xs[at_end] = points[start[kept] + 1, 0]
    ys[at_end] = points[start[kept] + 1, 1]
    sizes = np.zeros(len(xs), dtype=np.uint8)
    if arrows:
        sizes[at_end[ends & closes_edge[kept]]] = _ARROW_PX
    return xs.astype(np.float32), ys.astype(np.float32), sizes


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


def edge_traces(
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
            # Kept per layout too: a busy node's own links are most of the drawing's lines.
            own = ("lines of", tuple(pairs))
            if own not in layout.memo:
                layout.memo[own] = _lines(layout, pairs, False)
            xs, ys, _ = layout.memo[own]
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


def halos(
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


def label_traces(layout: Layout, kind: str, webgl: bool) -> list[dict[str, Any]]:
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


def node_traces(
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


def legend_extras(
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


#: Per frozen graph (a loaded ladder, which cannot change): each node's hover lines from the
#: data alone, kept for every drawing of that graph (a click draws a new view, mostly of nodes
#: drawn before). A graph that can still change keeps them per layout instead.
_HOVERS: weakref.WeakKeyDictionary[nx.DiGraph, dict[str, tuple[list[str], list[str]]]] = (
    weakref.WeakKeyDictionary()
)
_HOVERS_LOCK = threading.Lock()


def _hover_parts(G: nx.DiGraph, layout: Layout, n: str) -> tuple[list[str], list[str]]:
    """The lines of a hover that come from the data alone, worked out once per graph (or per
    layout, for a graph that is not frozen)."""
    if nx.is_frozen(G):
        kept = _HOVERS.get(G)
        if kept is None:
            with _HOVERS_LOCK:
                kept = _HOVERS.setdefault(G, {})
    else:
        kept = layout.memo.setdefault(("hover", id(G)), {})
    parts = kept.get(n)
    if parts is None:
        parts = kept.setdefault(n, _hover_lines(G, n))
    return parts


def _hover_lines(G: nx.DiGraph, n: str) -> tuple[list[str], list[str]]:
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
    description = " ".join(str(attrs.get("description") or "").split())
    if len(description) <= 60:  # one line, as the wrap below would give (most descriptions)
        tail = [plain(description)] if description else []
    else:
        short = textwrap.shorten(description, width=160, placeholder=" …")
        tail = [plain(line) for line in textwrap.wrap(short, width=60)]
    return head, tail
