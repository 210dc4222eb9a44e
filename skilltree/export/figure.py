"""The path figure: a person's plan drawn for a page (PNG, SVG, PDF), from the app's own layout.

Steps run left to right in learning order along the plan's milestones: what the person already
has that the plan builds on comes first, in its own band, then one band of columns per milestone
(the rung the steps so far reach), each titled with the rung, the step it is reached at and the
hours so far. Each skill is labelled with its step numbers, the level it goes to and its hours;
nodes are filled by status and ringed by the level the person holds. The layout is the app's
(:func:`~skilltree.views.layout.graph_layout`), so no two labels overlap and none is cut.

The figure is never clipped: :func:`path_size` is the size the plan needs (it grows with the
plan), and asked for another size, the whole drawing is scaled to fit it, text included, so it
stays free of collisions at any size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx
import plotly.graph_objects as go

from ..closure import implied
from ..index import PerIndex, Recent, index_of
from ..planner import Plan
from ..profile import Profile
from ..timeline import finish
from ..views.figures import graph_figure
from ..views.geometry import Layout
from ..views.layout import graph_layout
from ..views.status import held_levels, statuses
from ..views.text import plain
from .render import MAX_SIDE

__all__ = ["DEFAULT_SIZE", "EXPORT_NODES", "fitted_size", "path_figure", "path_size"]

DEFAULT_SIZE = (1600, 1000)
#: Skills drawn at most; a longer plan is drawn from its start, and the footer says so.
EXPORT_NODES = 400
_FOOTER_PX = 30
_LABEL_WIDTH_PX = 190.0


@dataclass(frozen=True)
class _Drawing:
    layout: Layout
    labels: dict[str, str]
    note: str


#: Per graph: the last drawings made, by profile and plan (a page asks for the plan's size,
#: then for its figure: one layout serves both). Each entry holds its plan, so the plan's id
#: cannot be taken by another while it is kept.
_DRAWINGS: PerIndex[Recent[tuple[Profile, int], tuple[Plan, _Drawing]]] = PerIndex(
    lambda _index: Recent(16)
)


def _drawing(G: nx.DiGraph, profile: Profile, result: Plan) -> _Drawing:
    kept = _DRAWINGS(index_of(G)).get(
        (profile, id(result)), lambda: (result, _draw(G, profile, result))
    )
    return kept[1] if kept[0] is result else _draw(G, profile, result)


def _draw(G: nx.DiGraph, profile: Profile, result: Plan) -> _Drawing:
    """What the figure draws: the steps' skills by milestone, the groups they fill, what they
    build on, the rungs; their labels; and a note on what was left out."""
    index = index_of(G)
    names = index.names
    numbers: dict[str, list[int]] = defaultdict(list)
    hours: dict[str, float] = defaultdict(float)
    top: dict[str, int] = {}
    for n, step in enumerate(result.steps, 1):
        numbers[step.skill].append(n)
        hours[step.skill] += step.hours
        top[step.skill] = step.to_level
    skills = list(numbers)[:EXPORT_NODES]
    note = (
        f"the plan has {len(numbers):,} skills; the first {len(skills)} are drawn"
        if len(numbers) > len(skills)
        else ""
    )
    marks = sorted(
        (int(getattr(m, "step", 0)), str(getattr(m, "role", "")), getattr(m, "hours", None))
        for m in getattr(result, "milestones", ()) or ()
    )
    marks = [m for m in marks if m[1] in G] or [(len(result.steps), result.target, None)]

    def milestone(step: int) -> int:
        return next((i for i, (last, _, _) in enumerate(marks, 1) if step <= last), len(marks))

    start = getattr(result, "held", None) or implied(G, profile)
    # What the person holds comes first, even where the plan deepens it later: everything that
    # builds on it follows it.
    groups = {s: 0 if start.level(s) > 0 else milestone(numbers[s][0]) for s in skills}
    shown = set(skills)
    held = {p for s in skills for p, _ in index.prereqs[s] if p not in shown and start.level(p) > 0}
    for p in held:
        groups[p] = 0
    for group, options in result.choices.items():
        drawn = [groups[o] for o in options if o in groups]
        if drawn:
            groups[group] = max(drawn)
    roles = {result.target} | {role for _, role, _ in marks}
    nodes = set(groups) | roles
    labels: dict[str, str] = {}
    for s in skills:
        nums = ", ".join(map(str, numbers[s]))
        # No-break spaces keep "to level 3" and "420 h" whole when a label wraps.
        labels[s] = f"{names[s]}\nstep {nums} · to\u00a0level\u00a0{top[s]} · {hours[s]:g}\u00a0h"
    for p in held:
        labels[p] = f"{names[p]}\nyou have level {start.level(p)}"
    for last, role, _ in marks:
        if role != result.target:
            labels[role] = f"{names[role]}\nmilestone: after step {last}"
    labels[result.target] = f"Target: {names[result.target]}"
    titles = ["What you have"] + [
        f"{i}. {names[role]} · after step {last}"
        + (f" · {hrs:,.0f} h" if isinstance(hrs, int | float) else "")
        for i, (last, role, hrs) in enumerate(marks, 1)
    ]
    layout = graph_layout(
        G, nodes, labels=labels, groups=groups, group_titles=titles, label_width_px=_LABEL_WIDTH_PX
    )
    return _Drawing(layout, labels, note)


def _natural(G: nx.DiGraph, profile: Profile, result: Plan, pace: float, start: date) -> go.Figure:
    drawing = _drawing(G, profile, result)
    nodes = list(drawing.layout.nodes)
    end = finish(result.total_hours, pace, start).isoformat()
    title = (
        f"Learning path to {result.target_name}: {len(result.steps)} steps, "
        f"{result.total_hours:,.0f} h — done by {end} at {pace:g} h/week"
    )
    fig = graph_figure(
        G,
        drawing.layout,
        status=statuses(G, profile, nodes, result),
        color_by="status",
        title=title,
        labels=drawing.labels,
        held=held_levels(G, profile, nodes),
        webgl_threshold=10**9,
        validate=False,  # built from checked parts; checking again costs more than drawing
    )
    source = G.graph.get("name", "")
    fig.add_annotation(
        text=f"Data: {plain(source)} · readiness today {result.readiness.score:.0%} · "
        "hours are estimates · made with skilltree"
        + ("" if result.exact else " · not proven minimal")
        + (f" · {plain(drawing.note)}" if drawing.note else ""),
        xref="paper",
        yref="paper",
        x=1,
        y=0,
        yshift=-6,
        xanchor="right",
        yanchor="top",
        showarrow=False,
        font={"size": 11, "color": "#555555"},
    )
    margin = fig.layout.margin
    fig.update_layout(
        height=fig.layout.height + _FOOTER_PX,
        margin={"b": margin.b + _FOOTER_PX},
        dragmode=False,
        hovermode=False,
    )
    return fig


def path_size(
    G: nx.DiGraph, profile: Profile, result: Plan, pace: float = 10.0, start: date | None = None
) -> tuple[int, int]:
    """The size (pixels) at which the plan's figure shows everything at its own scale: it grows
    with the plan.

    >>> from skilltree import plan
    >>> width, height = path_size(G, Profile(), plan(G, Profile(), "junior"))
    >>> width > 1000 and height > 400
    True
    """
    fig = _natural(G, profile, result, pace, start or date.today())
    return int(fig.layout.width), int(fig.layout.height)


def fitted_size(
    G: nx.DiGraph, profile: Profile, result: Plan, pace: float = 10.0, start: date | None = None
) -> tuple[int, int]:
    """The plan's own size (:func:`path_size`), shrunk, proportions kept, to what an image may
    be (``MAX_SIDE`` pixels a side): the default size of every image export."""
    width, height = path_size(G, profile, result, pace, start)
    cut = min(1.0, MAX_SIDE / width, MAX_SIDE / height)
    return round(width * cut), round(height * cut)


def path_figure(
    G: nx.DiGraph,
    profile: Profile,
    result: Plan,
    *,
    pace: float,
    start: date,
    width: int = DEFAULT_SIZE[0],
    height: int = DEFAULT_SIZE[1],
) -> go.Figure:
    """The plan drawn for a page of ``width`` × ``height`` pixels (see the module).

    The title gives the target, the steps, the total hours and the projected end date at
    ``pace``; the footer the data set's name and today's readiness.
    """
    fig = _natural(G, profile, result, pace, start)
    factor = min(width / fig.layout.width, height / fig.layout.height)
    if abs(factor - 1.0) > 1e-3:
        _scale(fig, factor)
    fig.update_layout(width=width, height=height)
    return fig


def _scale(fig: go.Figure, factor: float) -> None:
    """Everything drawn in pixels (text, markers, lines, margins) times ``factor``: the drawing
    shrinks or grows as a whole, so what did not collide still does not."""

    def times(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, int | float):
            return value * factor
        return [v * factor for v in value]

    layout = fig.layout
    layout.font.size = times(layout.font.size)
    layout.legend.font.size = times(layout.legend.font.size)
    if layout.title and layout.title.font and layout.title.font.size:
        layout.title.font.size = times(layout.title.font.size)
    else:
        layout.title.font.size = 17 * factor
    for side in ("l", "r", "t", "b"):
        setattr(layout.margin, side, times(getattr(layout.margin, side)))
    for note in layout.annotations:
        note.font.size = times(note.font.size or layout.font.size)
        if note.yshift:
            note.yshift = times(note.yshift)
        if note.width:
            note.width = times(note.width)
    for trace in fig.data:
        if trace.mode and "text" in trace.mode:
            trace.textfont.size = times(trace.textfont.size)
        if trace.marker is not None and trace.marker.size is not None:
            trace.marker.size = times(trace.marker.size)
            if trace.marker.line is not None and trace.marker.line.width is not None:
                trace.marker.line.width = times(trace.marker.line.width)
        if trace.line is not None and trace.line.width is not None:
            trace.line.width = times(trace.line.width)
