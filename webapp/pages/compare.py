"""Compare: targets side by side (readiness, hours, what only each path needs, the climb, salary)
and the salary ladder. Salaries appear only where the ladder gives some role a salary band."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from skilltree import NoRouteError, compare, route
from skilltree.views import comparison_rows, salary_figure

from ..context import Context
from ..ui import esc, kept_figure, table

__all__ = ["render"]


def render(ctx: Context) -> None:
    G, index, state = ctx.G, ctx.index, ctx.state
    names = index.names
    paid = any(isinstance(G.nodes[r].get("salary"), Mapping) for r in ctx.cat.roles)
    st.multiselect(
        "Targets to compare",
        ctx.cat.roles,
        key="w_cmp",
        format_func=lambda r: names[r],
        placeholder="— choose roles to compare —",
    )
    targets = list(st.session_state.get("w_cmp") or ())
    if targets:
        comparison = compare(G, state.profile, targets, optional=state.optional)
        rows = comparison_rows(index, comparison, state.pace)
        shown = []
        for row, t in zip(rows, comparison.targets, strict=True):
            try:
                rungs = route(G, state.profile, t.role, optional=state.optional).roles
                climb = " → ".join(names[r] for r in rungs)
            except NoRouteError as exc:
                # A target beside or below the current role: the plan still holds, the ladder
                # just does not lead there.
                climb = f"not up the ladder from {names[exc.start]}"
            # What tells the paths apart comes first, so that it shows at any width.
            first: dict[str, Any] = {k: row[k] for k in ("target", "readiness", "hours left")}
            first["only on this path"] = row.get("only on this path", "")
            rest = {k: v for k, v in row.items() if k not in first and k != "salary band"}
            salary = {"salary band": row.get("salary band", "")} if paid else {}
            # The climb (the rungs' names) is the longest cell: last, where a narrow table cuts it.
            shown.append({**first, **rest, **salary, "climb": climb})
        column = st.column_config
        table(
            shown,
            key="compare_table",
            column_config={
                "target": column.TextColumn("target", width="medium"),
                "only on this path": column.TextColumn("only on this path", width="large"),
                "climb": column.TextColumn("climb", width="large"),
            },
        )
        shared = ", ".join(sorted(names[s] for s in comparison.shared))
        st.markdown(f"**Shared by every path:** {esc(shared) if shared else 'nothing'}")
    if not paid:
        return
    st.subheader("Salary ladder")
    fig = kept_figure(("salary", ctx.token), lambda: salary_figure(G))
    st.plotly_chart(fig, key="salary_chart", width="stretch")
    notes = [G.nodes[r].get("salary_note") for r in ctx.cat.roles if G.nodes[r].get("salary_note")]
    for note in dict.fromkeys(notes):
        st.caption(esc(note))
