"""Compare: targets side by side (readiness, hours, the climb, salary), and the salary ladder."""

from __future__ import annotations

import streamlit as st

from skilltree import NoRouteError, compare, route
from skilltree.views import comparison_rows, salary_figure

from ..context import Context
from ..ui import esc

__all__ = ["render"]


def render(ctx: Context) -> None:
    G, index, state = ctx.G, ctx.index, ctx.state
    names = index.names
    st.multiselect("Targets to compare", ctx.cat.roles, key="w_cmp", format_func=lambda r: names[r])
    targets = list(st.session_state.get("w_cmp") or ())
    if targets:
        comparison = compare(G, state.profile, targets, optional=state.optional)
        rows = comparison_rows(index, comparison, state.pace)
        for row, t in zip(rows, comparison.targets, strict=True):
            try:
                rungs = route(G, state.profile, t.role, optional=state.optional).roles
                climb = " → ".join(names[r] for r in rungs)
            except NoRouteError as exc:
                # A target beside or below the current role: the plan still holds, the ladder
                # just does not lead there.
                climb = f"not up the ladder from {names[exc.start]}"
            row["climb"] = climb
        st.dataframe(rows, hide_index=True, width="stretch", key="compare_table")
        shared = ", ".join(sorted(names[s] for s in comparison.shared))
        st.markdown(f"**Shared by every path:** {esc(shared) if shared else 'nothing'}")
    st.subheader("Salary ladder")
    st.plotly_chart(salary_figure(G), key="salary_chart", width="stretch")
    notes = [G.nodes[r].get("salary_note") for r in ctx.cat.roles if G.nodes[r].get("salary_note")]
    for note in dict.fromkeys(notes):
        st.caption(esc(note))
