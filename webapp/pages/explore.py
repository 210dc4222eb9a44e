"""Explore: the career graph, clickable, with the selected node's details and cheapest path."""

from __future__ import annotations

import streamlit as st

from skilltree.views import MAX_DRAWN, explore_view, node_card

from ..context import Context
from ..data import positions
from ..session import choices, on_graph_select
from ..ui import draw_graph, sentence, show_card

__all__ = ["render"]


def render(ctx: Context) -> None:
    G, index, state = ctx.G, ctx.index, ctx.state
    names = index.names
    c1, c2, c3 = st.columns([2, 2, 1])
    if ctx.cat.large:
        c1.text_input("Search nodes", key="w_node_q", placeholder="type part of a name")
    c1.selectbox(
        "Find a node",
        [None, *choices(ctx.cat, "node", "w_node_q", [state.selected] if state.selected else [])],
        key="w_node",
        format_func=lambda n: (
            "— click the graph or type a name —"
            if n is None
            else f"{names[n]} ({G.nodes[n].get('category') or index.kinds[n]})"
        ),
    )
    c2.multiselect(
        "Show only", ctx.cat.filters, key="w_filter", placeholder="every category and kind"
    )
    color_by = c3.radio(
        "Colour by", ["status", "kind"], key="w_color", horizontal=True, format_func=str.title
    )
    f1, f2 = st.columns([1, 3])
    focus = f1.toggle("Focus on the selected node", key="w_focus", disabled=state.selected is None)
    depth = f2.slider("Neighbourhood depth", 1, 4, 2, key="w_depth", disabled=not focus)

    selected = state.selected
    chosen = set(st.session_state.get("w_filter") or ())
    view = explore_view(
        G, state.profile, selected, focus=focus, depth=depth, only=chosen, cap=MAX_DRAWN
    )
    if view.note:
        st.info(sentence(view.note) + " Select a node to move the focus.")
    draw_graph(
        G,
        positions(G, ctx.token, view.nodes),
        state.profile,
        ctx.plan,
        highlight=view.highlight,
        selected=selected,
        color_by=color_by or "status",
        key="graph_chart",
        on_select=on_graph_select,
    )
    st.caption(
        "Edges point from what is needed to what needs it. Click a node for its details; "
        "the cheapest path to it from your profile is highlighted."
    )
    if selected:
        with st.container(border=True):
            show_card(node_card(G, selected, state.profile))
