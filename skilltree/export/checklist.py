"""A plan as a Markdown checklist: steps in order with hours, dates and reasons.

Text from the data is escaped, so it shows literally whatever it holds.
"""

from __future__ import annotations

from datetime import date

import networkx as nx

from ..index import index_of
from ..planner import Plan
from ..timeline import finish, weeks
from ..views.records import exactness_text, implied_rows, milestone_rows, plan_rows
from ..views.text import markdown_escape

__all__ = ["markdown_checklist"]


def markdown_checklist(G: nx.DiGraph, result: Plan, pace: float, start: date) -> str:
    """The plan as a Markdown checklist, ready to paste into an issue or a note: milestones,
    steps grouped by the rung they lead to, each with its reasons and reading links."""
    index = index_of(G)
    end = finish(result.total_hours, pace, start).isoformat()
    lines = [
        f"# Learning path to {markdown_escape(result.target_name)}",
        "",
        f"- Ladder: {markdown_escape(G.graph.get('name', ''))}",
        f"- Readiness today: {result.readiness.score:.0%}",
        f"- Total: {result.total_hours:,.0f} h — about "
        f"{weeks(result.total_hours, pace):,.0f} weeks at {pace:g} h/week, done by {end}",
        f"- Hours are estimates from the ladder; this plan is {exactness_text(result)}.",
    ]
    held = implied_rows(index, result.held)
    if held:
        lines.append(
            f"- Counted as held without being listed: {len(held)} "
            f"level{'s' if len(held) != 1 else ''} "
            "(implied by what you hold, or assumed from your role)."
        )
    for warning in result.warnings:
        lines.append(f"- Note: {markdown_escape(warning)}")
    for group, notes in result.notes.items():
        for note in notes:
            lines.append(f"- {markdown_escape(index.names[group])}: {markdown_escape(note)}")
    milestones = milestone_rows(result, pace, start)
    if len(milestones) > 1:
        lines += ["", "## Milestones", ""]
        lines += [f"- {markdown_escape(m.sentence())}" for m in milestones]
    rows = plan_rows(result, pace, start)
    lines += ["", "## Steps"]
    if not rows:
        lines += ["", "Nothing to learn: the profile meets every requirement."]
    ends = {m.step: m for m in milestones} if len(milestones) > 1 else {}
    for row in rows:
        if row.number == 1 or row.number - 1 in ends:
            rung = next((m for m in milestones if m.step >= row.number), None)
            if ends and rung is not None:
                lines += ["", f"### Toward {markdown_escape(rung.name)}"]
            lines.append("")
        when = row.done_by.isoformat() if row.done_by else ""
        lines.append(
            f"- [ ] {row.number}. **{markdown_escape(row.name)}** level {row.from_level} → "
            f"{row.to_level} — {row.hours:g} h (total {row.cumulative_hours:g} h, by {when})"
        )
        if row.reasons:
            lines.append(f"  - why: {markdown_escape('; '.join(row.reasons))}")
        if row.from_level == 0:
            links = [
                f"[{markdown_escape(r['title'])}](<{_target(str(r['url']))}>)"
                for r in G.nodes[row.skill].get("resources", ())
            ]
            if links:
                lines.append(f"  - read: {', '.join(links)}")
    return "\n".join(lines) + "\n"


def _target(url: str) -> str:
    """A checked http(s) address inside ``<…>``: angle brackets and spaces percent-encoded."""
    return url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
