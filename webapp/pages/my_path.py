"""My path: the plan to the target, step by step and milestone by milestone, with ticks for the
steps done; what to learn next; readiness per role; and the plan drawn.

Ticking a step says the person now holds its level: the profile, the plan (the step leaves it),
the progress bar and the link follow on the same rerun.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from skilltree import Plan, finish, next_steps, readiness_scores, weeks
from skilltree.views import (
    MAX_DRAWN,
    brief_reason,
    choices_text,
    plan_rows,
    plan_view,
    readiness_figure,
)

from ..context import Context
from ..session import set_level
from ..ui import PLAN_ROWS, draw_graph, esc, kept_figure, layout_of, safe_rows, sentence

__all__ = ["READINESS_BARS", "render"]

READINESS_BARS = 25
_TICKS = "plan_ticks"


def _milestones(result: Plan) -> list[tuple[int, str]]:
    """(number of steps done when the rung is met, its name), in order: ``Plan.milestones``
    where the planner gives them."""
    out = []
    for m in getattr(result, "milestones", ()) or ():
        out.append((int(getattr(m, "step", 0)), str(getattr(m, "name", ""))))
    return sorted(out)


def _ticked(key: str, levels: tuple[str, ...]) -> None:
    """Steps ticked in the table: the person holds their levels now."""
    edits = (st.session_state.get(key) or {}).get("edited_rows", {})
    steps = st.session_state.get(_TICKS) or []
    for row, change in edits.items():
        if change.get("done") and 0 <= int(row) < len(steps):
            skill, level = steps[int(row)]
            set_level(skill, level, levels)
    # A fresh table next time: the rows move up as done steps leave the plan.
    st.session_state["plan_rev"] = st.session_state.get("plan_rev", 0) + 1


def _plan_table(ctx: Context, result: Plan, today: date) -> None:
    rows = plan_rows(result, ctx.state.pace, today, PLAN_ROWS)
    marks = _milestones(result)
    names = ctx.index.names
    shown: list[dict[str, Any]] = []
    for row in rows:
        reasons = result.steps[row.number - 1].reasons
        rung = next((name for step, name in marks if row.number <= step), "")
        shown.append(
            {
                "done": False,
                "#": row.number,
                "skill": row.name,
                "level": f"{row.from_level} → {row.to_level}",
                "done by": row.done_by.isoformat() if row.done_by else "",
                "why": brief_reason(reasons[0], names) if reasons else "",
                "for": rung,
                "hours": row.hours,
                "total": row.cumulative_hours,
            }
        )
    st.session_state[_TICKS] = [(row.skill, row.to_level) for row in rows]
    key = f"plan_table_{st.session_state.get('plan_rev', 0)}"
    column = st.column_config
    st.data_editor(
        safe_rows(shown),
        key=key,
        hide_index=True,
        width="stretch",
        disabled=[c for c in shown[0] if c != "done"] if shown else True,
        column_config={
            "done": column.CheckboxColumn("done", help="Tick a step you have done", width=64),
            "#": column.NumberColumn("#", width=40),
            "skill": column.TextColumn("skill", width="medium"),
            "level": column.TextColumn("level", width=70),
            "done by": column.TextColumn("done by", width=96),
            "why": column.TextColumn("why", width="large"),
            "for": column.TextColumn("milestone", width="medium"),
            "hours": column.NumberColumn("hours", width=64),
            "total": column.NumberColumn("total h", width=72),
        },
        on_change=_ticked,
        args=(key, ctx.index.levels),
    )


def render(ctx: Context) -> None:
    G, index, state, result = ctx.G, ctx.index, ctx.state, ctx.plan
    names = index.names
    today = date.today()
    if result is None:
        st.info("Choose a target role (top of the page, or the sidebar) to see your plan.")
    else:
        m1, m2, m3, m4 = st.columns(4)
        m1.metric("Readiness", f"{result.readiness.score:.0%}")
        m2.metric("Hours to go", f"{result.total_hours:,.0f}")
        m3.metric("Weeks", f"{weeks(result.total_hours, state.pace):,.0f}")
        m4.metric(
            "Done by",
            finish(result.total_hours, state.pace, today).strftime("%b %Y")
            if result.steps
            else "now",
        )
        if not result.exact:
            st.caption(
                f"{result.combinations:,} combinations of choices: this plan is a heuristic, "
                "not proven minimal."
            )
        for warning in getattr(result, "warnings", ()) or ():
            st.warning(esc(warning))
        if result.choices:
            st.markdown("**Choices:** " + esc(choices_text(index, result)))
        if result.steps:
            st.subheader(f"Plan to {esc(result.target_name)}")
            marks = _milestones(result)
            if len(marks) > 1:
                st.caption(
                    "Milestones: "
                    + " → ".join(f"{esc(name)} after step {step}" for step, name in marks)
                    + "."
                )
            if len(result.steps) > PLAN_ROWS:
                st.caption(
                    f"The first {PLAN_ROWS} of {len(result.steps):,} steps; the exports hold "
                    "them all."
                )
            _plan_table(ctx, result, today)
        else:
            st.success(f"You meet every requirement of {esc(result.target_name)}.")

    left, right = st.columns([3, 2])
    with left:
        st.subheader("What to learn next")
        found = next_steps(G, state.profile, state.target, limit=8, optional=state.optional)
        if not found:
            st.write("Nothing left to suggest.")
        else:
            st.markdown("\n".join(f"{n}. {esc(s.reason)}" for n, s in enumerate(found, 1)))
    with right:
        scores = readiness_scores(G, state.profile)
        # A large ladder has thousands of roles: chart the nearest to reach, and the target.
        near = sorted(scores, key=lambda r: (-scores[r], index.rank[r], r))[:READINESS_BARS]
        if state.target and state.target not in near:
            near.append(state.target)
        shown = {r: scores[r] for r in sorted(near, key=lambda r: (index.rank[r], names[r]))}
        chart = kept_figure(
            ("readiness", ctx.token, tuple(shown.items()), state.target),
            lambda: readiness_figure(shown, names, state.target),
        )
        st.plotly_chart(chart, key="readiness_chart", width="stretch")
        if len(scores) > len(shown):
            st.caption(f"The {len(shown)} roles you are readiest for, of {len(scores):,}.")
    if result is not None and result.steps:
        st.subheader("Your plan on the graph")
        view = plan_view(G, result, state.profile, MAX_DRAWN)
        if view.note:
            st.caption(sentence(view.note))
        with st.container(key="plan_graph_area"):
            draw_graph(
                G,
                layout_of(G, ctx.token, view.nodes),
                state.profile,
                result,
                key="plan_chart",
                anchor=result.target,
                revision="plan",
            )
