"""The path figure: a person's plan drawn as a graph for a page (PNG, SVG, PDF).

Steps are numbered in learning order beside their skill, nodes are coloured by status, and the
title gives the target, the total hours and the projected end date; the data set's name sits at
the bottom.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import networkx as nx
import plotly.graph_objects as go

from ..index import index_of
from ..planner import Plan
from ..profile import Profile
from ..timeline import finish
from ..views.figures import graph_figure
from ..views.focus import plan_view
from ..views.layout import layered_layout
from ..views.status import statuses
from ..views.text import plain

__all__ = ["DEFAULT_SIZE", "EXPORT_NODES", "path_figure"]

DEFAULT_SIZE = (1600, 1000)
# A page holds this many nodes readably; a longer plan is drawn from its start.
EXPORT_NODES = 120


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
    """The plan as a focused graph laid out for a page (its first EXPORT_NODES nodes).

    Steps are numbered in learning order beside their skill (``3, 7 · Python → 3 · 630 h``),
    nodes are coloured by status, and the title gives the target, the total hours and the
    projected end date at ``pace``; the data set's name sits at the bottom.
    """
    view = plan_view(G, result, profile, EXPORT_NODES)
    nodes = set(view.nodes)
    positions = layered_layout(G, nodes)
    numbers: dict[str, list[int]] = defaultdict(list)
    hours: dict[str, float] = defaultdict(float)
    top: dict[str, int] = {}
    for n, step in enumerate(result.steps, 1):
        numbers[step.skill].append(n)
        hours[step.skill] += step.hours
        top[step.skill] = step.to_level
    names = index_of(G).names
    labels = {
        skill: f"{names[skill]}\nstep {', '.join(map(str, nums))} · to level {top[skill]} · "
        f"{hours[skill]:g} h"
        for skill, nums in numbers.items()
        if skill in nodes
    }
    labels[result.target] = f"Target: {names[result.target]}"
    for node in nodes - set(labels):
        labels[node] = names[node]
    end = finish(result.total_hours, pace, start).isoformat()
    title = (
        f"Learning path to {result.target_name}: {len(result.steps)} steps, "
        f"{result.total_hours:,.0f} h — done by {end} at {pace:g} h/week"
    )
    fig = graph_figure(
        G,
        positions,
        status=statuses(G, profile, nodes, result),
        color_by="status",
        title=title,
        labels=labels,
        webgl_threshold=10**9,
    )
    source = G.graph.get("name", "")
    fig.add_annotation(
        text=f"Data: {plain(source)} · readiness today {result.readiness.score:.0%} · "
        "hours are estimates · made with skilltree"
        + ("" if result.exact else " · heuristic plan, not proven minimal")
        + (f" · {view.note}" if view.note else ""),
        xref="paper",
        yref="paper",
        x=1,
        y=-0.005,
        xanchor="right",
        yanchor="top",
        showarrow=False,
        font={"size": 11, "color": "#555555"},
    )
    fig.update_layout(width=width, height=height, dragmode=False, font={"size": 12})
    fig.update_traces(textfont={"size": 11}, selector={"mode": "markers+text"})
    return fig
