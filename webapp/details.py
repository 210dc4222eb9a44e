"""A node's details, with what the person can say about it, for the Explore page's drawer.

Not a page of its own: Explore opens it beside the graph for the selected node. What the person
says here (I have it at level N, I am learning it, skip it, done, aim for this role) goes through
the session helpers in widget callbacks, so the profile, the plan, the graph and the link follow
on the same rerun.
"""

from __future__ import annotations

import streamlit as st

from skilltree.steps import step_keys
from skilltree.views import STATUS_LABELS, node_card
from skilltree.views.palette import STATUS_GLYPHS

from .context import Context
from .session import level_label, set_learning, set_level, set_skip
from .ui import esc, kept, show_card

__all__ = ["details", "guide"]


def _close() -> None:
    st.session_state.w_node = None
    st.session_state.w_focus = False


def _have(node: str, key: str, levels: tuple[str, ...]) -> None:
    level = st.session_state.get(key)
    if isinstance(level, int):
        set_level(node, level, levels)


def _flag(setter: str, node: str, key: str) -> None:
    on = bool(st.session_state.get(key))
    (set_learning if setter == "learning" else set_skip)(node, on)


def _set(key: str, value: object) -> None:
    st.session_state[key] = value


def details(ctx: Context, node: str) -> None:
    """The drawer's content for ``node``: title, what you hold, actions, then the card."""
    G, index, state, result = ctx.G, ctx.index, ctx.state, ctx.plan
    ss = st.session_state
    # Kept per node, profile and plan: a rerun with the panel open reads the same card.
    card = kept(
        ("card", ctx.token, node, state.profile, id(result)),
        lambda: node_card(G, node, state.profile, result),
        owner=result,
    )
    st.button("✕ Close", key="close_details", on_click=_close, type="tertiary")
    st.subheader(esc(card.title))
    st.caption(esc(card.subtitle))

    if card.kind == "skill":
        mine = (
            f"You have level {card.level} of {card.top}"
            + (f", {card.source}" if card.source else "")
            if card.level
            else "You do not have it yet"
        )
        if card.in_plan:
            mine += f" · in your plan: {card.in_plan}"
        st.markdown(f"**{esc(mine)}.**")
        key = f"have_{node}"
        ss[key] = card.level if card.stated else None
        st.segmented_control(
            "I have it at level",
            list(range(card.top + 1)),
            key=key,
            format_func=lambda lv: "none" if lv == 0 else level_label(lv, index.levels),
            on_change=_have,
            args=(node, key, index.levels),
            help="Your answer wins over anything implied; the plan and the link follow at once.",
        )
        for setter, label, value in (
            ("learning", "Learning it now", card.learning),
            ("skip", "Skip it (plans avoid it where they can)", card.skip),
        ):
            flag_key = f"{setter}_{node}"
            ss[flag_key] = value
            st.toggle(label, key=flag_key, on_change=_flag, args=(setter, node, flag_key))
        levels = [lv for s, lv in (step_keys(result.steps) if result else ()) if s == node]
        if levels:
            st.button(
                f"Done: I reached level {levels[-1]}",
                key=f"done_{node}",
                on_click=set_level,
                args=(node, levels[-1], index.levels),
                help="Ticks its steps in your plan as done.",
            )
    elif card.kind == "role" and card.readiness is not None:
        st.progress(min(card.readiness, 1.0), text=f"You are {card.readiness:.0%} ready")
        st.button(
            "Aim for this role",
            key=f"aim_{node}",
            on_click=_set,
            args=("w_target", node),
            disabled=state.target == node,
        )
        st.button(
            "I am in this role now",
            key=f"here_{node}",
            on_click=_set,
            args=("w_role", node),
            disabled=state.profile.role == node,
        )
    st.toggle(
        "Light the cheapest path to it on the graph",
        key="w_lit",
        help="Draws the path on the graph (and opens the view on it afresh).",
    )
    st.button(
        "Show only what is around it",
        key=f"focus_{node}",
        on_click=_set,
        args=("w_focus", True),
        disabled=bool(ss.get("w_focus")),
    )
    show_card(card)


def guide(overview: bool) -> None:
    """What the panel shows while no node is open: how to read the map, in a few lines."""
    st.subheader("How to read the map")
    st.markdown(
        "Click any node to open it here: what it is, what it needs and opens, and what you "
        "can say about it — *I have it at level N*, *learning it*, *skip it*. "
        "Your profile, plan and link follow at once."
    )
    st.markdown(
        "\n".join(f"- {STATUS_GLYPHS[s]} **{STATUS_LABELS[s]}**" for s in STATUS_LABELS)
        + "\n- A green **ring** is a level you hold: thicker for a higher level, lighter when "
        "it is implied by another skill or assumed from your role."
    )
    st.markdown(
        "Edges point from what is needed to what needs it; roles climb their lanes, one lane "
        "per track."
        + (" A **hexagon** is a whole category: click it to show its skills." if overview else "")
    )
    st.caption("Drag to pan, scroll to zoom, double-click to fit the whole drawing.")
