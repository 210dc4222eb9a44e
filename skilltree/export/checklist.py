"""A plan as a Markdown checklist: steps in order with hours, dates and reasons.

Text from the data is escaped, so it shows literally whatever it holds.
"""

from __future__ import annotations

from datetime import date

import networkx as nx

from ..planner import Plan
from ..timeline import finish, weeks
from ..views.records import plan_rows
from ..views.text import markdown_escape

__all__ = ["markdown_checklist"]


def markdown_checklist(G: nx.DiGraph, result: Plan, pace: float, start: date) -> str:
    """The plan as a Markdown checklist, ready to paste into an issue or a note."""
    end = finish(result.total_hours, pace, start).isoformat()
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
    rows = plan_rows(result, pace, start)
    if not rows:
        lines.append("Nothing to learn: the profile meets every requirement.")
    for row in rows:
        when = row.done_by.isoformat() if row.done_by else ""
        lines.append(
            f"- [ ] {row.number}. **{markdown_escape(row.name)}** level {row.from_level} → "
            f"{row.to_level} — {row.hours:g} h (total {row.cumulative_hours:g} h, by {when})"
        )
        if row.reasons:
            lines.append(f"  - why: {markdown_escape('; '.join(row.reasons))}")
    return "\n".join(lines) + "\n"
