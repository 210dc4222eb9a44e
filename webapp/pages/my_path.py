"""My path: readiness per role, the plan to the target, what to learn next, the plan drawn."""

from __future__ import annotations

from datetime import date

import streamlit as st

from skilltree import finish, next_steps, readiness_scores, weeks
from skilltree.views import MAX_DRAWN, choices_text, plan_rows, plan_view, readiness_figure

from ..context import Context
from ..data import positions
from ..ui import PLAN_ROWS, draw_graph, esc, sentence

__all__ = ["READINESS_BARS", "render"]

READINESS_BARS = 25


def render(ctx: Context) -> None:
    G, index, state, result = ctx.G, ctx.index, ctx.state, ctx.plan
    names = index.names
    scores = readiness_scores(G, state.profile)
    # A large ladder has thousands of roles: chart the ones nearest to reach, and the target.
    near = sorted(scores, key=lambda r: (-scores[r], index.rank[r], r))[:READINESS_BARS]
    if state.target and state.target not in near:
        near.append(state.target)
    shown = {r: scores[r] for r in sorted(near, key=lambda r: (index.rank[r], names[r]))}
    left, right = st.columns([3, 2])
    with right:
        st.plotly_chart(
            readiness_figure(shown, names, state.target), key="readiness_chart", width="stretch"
        )
        if len(scores) > len(shown):
            st.caption(f"The {len(shown)} roles you are readiest for, of {len(scores):,}.")
    with left:
        if result is None:
            st.info("Choose a target role in the sidebar to see your plan.")
        else:
            today = date.today()
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
                    f"{result.combinations:,} combinations of choices: this plan is a "
                    "heuristic, not proven minimal."
                )
            if result.choices:
                st.markdown("**Choices:** " + esc(choices_text(index, result)))
            if result.steps:
                st.subheader(f"Plan to {esc(result.target_name)}")
                if len(result.steps) > PLAN_ROWS:
                    st.caption(
                        f"The first {PLAN_ROWS} of {len(result.steps):,} steps; the exports hold "
                        "them all."
                    )
                st.dataframe(
                    [
                        {
                            "#": row.number,
                            "skill": row.name,
                            "level": f"{row.from_level} → {row.to_level}",
                            "hours": row.hours,
                            "total": row.cumulative_hours,
                            "done by": row.done_by.isoformat() if row.done_by else "",
                            "why": "; ".join(row.reasons),
                        }
                        for row in plan_rows(result, state.pace, today, PLAN_ROWS)
                    ],
                    hide_index=True,
                    width="stretch",
                    key="plan_table",
                )
            else:
                st.success(f"You meet every requirement of {esc(result.target_name)}.")
    st.subheader("What to learn next")
    found = next_steps(G, state.profile, state.target, limit=8, optional=state.optional)
    if not found:
        st.write("Nothing left to suggest.")
    else:
        st.markdown("\n".join(f"{n}. {esc(s.reason)}" for n, s in enumerate(found, 1)))
    if result is not None and result.steps:
        st.subheader("Your plan on the graph")
        view = plan_view(G, result, state.profile, MAX_DRAWN)
        if view.note:
            st.caption(sentence(view.note))
        draw_graph(
            G,
            positions(G, ctx.token, view.nodes),
            state.profile,
            result,
            key="plan_chart",
        )
