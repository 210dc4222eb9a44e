"""Drawing helpers every page uses: problems, notes, the graph chart and a node's card.

Everything from data is escaped here (``esc`` for Markdown) before Streamlit sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import networkx as nx
import streamlit as st

from skilltree import DataError, Plan, Profile
from skilltree.views import Card, graph_figure, statuses
from skilltree.views import markdown_escape as esc

__all__ = [
    "PLAN_ROWS",
    "draw_graph",
    "esc",
    "link_target",
    "sentence",
    "show_card",
    "show_problems",
]

#: Table rows shown at most; the exports hold everything.
PLAN_ROWS = 400
_PROBLEMS_SHOWN = 50


def show_problems(title: str, error: DataError) -> None:
    """A data file's problems, the first fifty of them, under a title."""
    lines = "\n".join(f"- {esc(p)}" for p in error.problems[:_PROBLEMS_SHOWN])
    more = len(error.problems) - _PROBLEMS_SHOWN
    if more > 0:
        lines += f"\n- … and {more} more"
    st.error(f"**{esc(title)}**\n\n{lines}")


def sentence(note: str) -> str:
    """A view's note as a sentence, escaped for Markdown."""
    return esc(note[:1].upper() + note[1:] + ".")


def draw_graph(
    G: nx.DiGraph,
    positions: Mapping[str, tuple[float, float]],
    profile: Profile,
    result: Plan | None,
    *,
    highlight: Iterable[str] = (),
    selected: str | None = None,
    color_by: str = "status",
    key: str,
    on_select: Callable[[], None] | None = None,
) -> None:
    """The graph chart of the drawn nodes, clickable when ``on_select`` is given."""
    status = statuses(G, profile, positions, result) if color_by == "status" else None
    fig = graph_figure(
        G,
        positions,
        status=status,
        highlight=list(highlight),
        selected=selected,
        color_by=color_by,
    )
    if on_select is not None:
        st.plotly_chart(
            fig,
            key=key,
            on_select=on_select,
            selection_mode="points",
            width="stretch",
            config={"displaylogo": False, "scrollZoom": True},
        )
    else:
        st.plotly_chart(fig, key=key, width="stretch", config={"displaylogo": False})


def link_target(url: str) -> str:
    """A checked http(s) address as a Markdown link target: brackets that would end the link
    are percent-encoded.

    >>> link_target("https://example.org/a_(b)")
    'https://example.org/a_%28b%29'
    """
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def show_card(card: Card) -> None:
    """A node's details, as :func:`skilltree.views.node_card` gathered them."""
    st.subheader(esc(card.title))
    st.caption(esc(card.subtitle))
    if card.description:
        st.markdown(esc(card.description))
    if card.kind == "skill" and card.table:
        st.dataframe(list(card.table), hide_index=True, width="stretch")
    for fact in card.facts:
        if fact.items:
            st.markdown(f"**{esc(fact.label)}:**\n" + "\n".join(f"- {esc(i)}" for i in fact.items))
        else:
            st.markdown(f"**{esc(fact.label)}:** {esc(fact.text)}")
        if card.kind == "role" and fact.label == "Your readiness" and card.table:
            st.dataframe(list(card.table), hide_index=True, width="stretch")
    for note in card.notes:
        st.caption(esc(note))
    if card.links:
        st.markdown(
            "**Read more:**\n"
            + "\n".join(f"- [{esc(title)}]({link_target(url)})" for title, url in card.links)
        )
    if card.path_title:
        st.markdown(f"**{esc(card.path_title)}**")
    if card.path:
        if len(card.path) > PLAN_ROWS:
            st.caption(f"The first {PLAN_ROWS} of {len(card.path):,} steps.")
        st.dataframe(
            [
                {"step": n, "skill": s.name, "to level": s.to_level, "hours": s.hours}
                for n, s in enumerate(card.path[:PLAN_ROWS], 1)
            ],
            hide_index=True,
            width="stretch",
        )
