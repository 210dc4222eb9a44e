"""A person's learning path as files: the path figure (PNG, SVG, PDF), a Markdown checklist,
the plan as JSON, and the graph as GraphML.

``export_bytes`` produces any of them from (graph, profile, plan, pace, start date); the image
formats go through :mod:`skilltree.render`. Writing the bytes to disk is the caller's job, so
that a failed export never leaves a partial file behind.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import networkx as nx
import plotly.graph_objects as go

from .errors import ExportError
from .figures import graph_figure
from .focus import plan_view
from .index import index_of
from .layout import layered_layout
from .planner import Plan, schedule, weeks
from .profile import Profile
from .render import IMAGE_FORMATS, render_image
from .serialize import graphml_text
from .status import statuses
from .text import markdown_escape

__all__ = [
    "FORMATS",
    "export_bytes",
    "format_of",
    "markdown_checklist",
    "path_figure",
    "plan_json",
]

FORMATS = (*IMAGE_FORMATS, "md", "json", "graphml")
DEFAULT_SIZE = (1600, 1000)
# A page holds this many nodes readably; a longer plan is drawn from its start.
EXPORT_NODES = 120


def format_of(name: str) -> str:
    """The export format named by a file's extension.

    >>> format_of("plan.PNG")
    'png'
    """
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    ext = {"markdown": "md", "htm": ""}.get(ext, ext)
    if ext not in FORMATS:
        raise ExportError(
            f"cannot tell the format of {name!r}: the extension must be one of "
            + ", ".join(f".{f}" for f in FORMATS)
        )
    return ext


def plan_json(result: Plan, pace: float | None = None, start: date | None = None) -> dict[str, Any]:
    """The stable JSON form of a plan (the CLI's ``--json`` and the JSON export)."""
    dates = schedule(result.steps, pace, start) if pace and start else None
    return {
        "target": result.target,
        "target_name": result.target_name,
        "readiness": round(result.readiness.score, 4),
        "total_hours": result.total_hours,
        "exact": result.exact,
        "optional": result.optional,
        "choices": {g: list(options) for g, options in result.choices.items()},
        "pace_hours_per_week": pace,
        "weeks": round(weeks(result.total_hours, pace), 1) if pace else None,
        "start": start.isoformat() if start else None,
        "steps": [
            {
                "skill": step.skill,
                "name": step.name,
                "from_level": step.from_level,
                "to_level": step.to_level,
                "hours": step.hours,
                "cumulative_hours": step.cumulative_hours,
                "done_by": dates[i].isoformat() if dates else None,
                "reasons": [r.text for r in step.reasons],
            }
            for i, step in enumerate(result.steps)
        ],
    }


def markdown_checklist(G: nx.DiGraph, result: Plan, pace: float, start: date) -> str:
    """The plan as a Markdown checklist: steps in order with hours, dates and reasons.

    Text from the data is escaped, so it shows literally whatever it holds.
    """
    dates = schedule(result.steps, pace, start)
    end = dates[-1].isoformat() if dates else start.isoformat()
    lines = [
        f"# Learning path to {markdown_escape(result.target_name)}",
        "",
        f"- Data: {markdown_escape(G.graph.get('name', ''))}",
        f"- Readiness today: {result.readiness.score:.0%}",
        f"- Total: {result.total_hours:,.0f} h — about "
        f"{weeks(result.total_hours, pace):,.0f} weeks at {pace:g} h/week, done by {end}",
        "- Hours are estimates from the data file."
        + ("" if result.exact else " This plan is a heuristic, not proven minimal."),
        "",
        "## Steps",
        "",
    ]
    if not result.steps:
        lines.append("Nothing to learn: the profile meets every requirement.")
    for n, (step, when) in enumerate(zip(result.steps, dates, strict=True), 1):
        why = "; ".join(r.text for r in step.reasons)
        lines.append(
            f"- [ ] {n}. **{markdown_escape(step.name)}** level {step.from_level} → "
            f"{step.to_level} — {step.hours:g} h (total {step.cumulative_hours:g} h, by "
            f"{when.isoformat()})"
        )
        if why:
            lines.append(f"  - why: {markdown_escape(why)}")
    return "\n".join(lines) + "\n"


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
    dates = schedule(result.steps, pace, start)
    end = dates[-1].isoformat() if dates else start.isoformat()
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
        text=f"Data: {_plain(source)} · readiness today {result.readiness.score:.0%} · "
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


def _plain(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def export_bytes(
    G: nx.DiGraph,
    profile: Profile,
    result: Plan,
    fmt: str,
    *,
    pace: float,
    start: date,
    width: int = DEFAULT_SIZE[0],
    height: int = DEFAULT_SIZE[1],
    scale: float = 1.0,
) -> bytes:
    """One export of the plan, as the bytes of a file of format ``fmt`` (see ``FORMATS``).

    Raises
    ------
    ExportError
        For an unknown format, an image size out of range, or no browser to render images.
    """
    import json

    if fmt in IMAGE_FORMATS:
        fig = path_figure(G, profile, result, pace=pace, start=start, width=width, height=height)
        return render_image(fig, fmt, width, height, scale)
    if fmt == "md":
        return markdown_checklist(G, result, pace, start).encode("utf-8")
    if fmt == "json":
        text = json.dumps(plan_json(result, pace, start), indent=2, ensure_ascii=False)
        return (text + "\n").encode("utf-8")
    if fmt == "graphml":
        return graphml_text(G).encode("utf-8")
    raise ExportError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
