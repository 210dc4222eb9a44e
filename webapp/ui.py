"""Drawing helpers every page uses: problems, tables, the graph chart, a node's card, the page's
styles.

Everything from data is escaped here (``esc`` for Markdown) before Streamlit sees it, and every
table goes through :func:`table`, which also makes its CSV download safe to open in a
spreadsheet.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import networkx as nx
import plotly.graph_objects as go
import streamlit as st

from skilltree import DataError, Plan, Profile
from skilltree.views import (
    Card,
    Layout,
    chart_dict,
    graph_figure_spec,
    graph_layout,
    held_levels,
    statuses,
)
from skilltree.views import markdown_escape as esc
from skilltree.views.layout import LABEL_WIDTH_PX

__all__ = [
    "CHART_HEIGHT",
    "PLAN_ROWS",
    "cell",
    "draw_graph",
    "esc",
    "forget_figures",
    "kept",
    "kept_figure",
    "layout_of",
    "link_target",
    "page_style",
    "progress",
    "safe_rows",
    "sentence",
    "show_card",
    "show_problems",
    "table",
]

#: What a page draws, kept for reuse across reruns (a figure, an outline or a card is a pure
#: function of its inputs, and Streamlit only reads it), per kind (a key's first item), oldest
#: dropped first, so that one kind never pushes out another; each entry keeps its owner (a
#: layout, a drawn graph, a plan) alive.
_KEPT: dict[Any, dict[tuple[Any, ...], tuple[object, Any]]] = {}
_KEPT_MAX = 64
_KEPT_LOCK = threading.Lock()
T = TypeVar("T")

#: Table rows shown at most; the exports hold everything.
PLAN_ROWS = 400
#: Steps of the cheapest path listed in a node's details.
PATH_STEPS = 25
#: Height of the graph chart: the window the drawing is shown in, one pixel per unit.
CHART_HEIGHT = 620
_PROBLEMS_SHOWN = 50
#: A spreadsheet reads a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Below this width the graph gives way to its outline and a node's details open as a sheet at
#: the bottom of the screen; above it they open in a panel on the right, beside the graph,
#: which keeps its room (a guide fills it while no node is open), so the graph's width never
#: changes with a click. Either way the details are in view after a click, without scrolling.
NARROW_PX = 700
_STYLE = f"""<style>
[data-testid="stMainBlockContainer"] {{ padding: 3.2rem 1rem 3rem 1rem; }}
[data-testid="stMain"] h1 {{ padding-top: 0; }}
@media (max-width: {NARROW_PX - 0.02}px) {{
  .st-key-graph_area {{ display: none !important; }}
  .st-key-drawer:has(.st-key-guide) {{ display: none !important; }}
  .st-key-drawer {{
    position: fixed; left: 0; right: 0; bottom: 0; z-index: 999990;
    max-height: 58vh; overflow-y: auto; padding: 0.5rem 1rem 1.5rem 1rem;
    background: #FFFFFF; border-top: 1px solid #DDDDDD; border-radius: 12px 12px 0 0;
    box-shadow: 0 -6px 18px rgba(0, 0, 0, 0.12);
  }}
}}
@media (min-width: {NARROW_PX}px) {{
  .st-key-outline_area {{ display: none !important; }}
  [data-testid="stMainBlockContainer"]:has(.st-key-drawer) {{
    padding-right: calc(min(300px, 28vw) + 1rem);
  }}
  .st-key-drawer {{
    position: fixed; top: 3.75rem; right: 0; bottom: 0; z-index: 999990;
    width: min(300px, 28vw); overflow-y: auto; padding: 0.75rem 1.1rem 2rem 1.1rem;
    background: #FFFFFF; border-left: 1px solid #DDDDDD;
    box-shadow: -6px 0 18px rgba(0, 0, 0, 0.10);
  }}
}}
</style>"""


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


def page_style() -> None:
    """The page's few styles: the details drawer, and the outline in place of the graph on
    narrow screens."""
    st.html(_STYLE)


def progress(result: Plan) -> None:
    """How far the person is toward their target: readiness as a bar, and the hours to go."""
    score = min(max(result.readiness.score, 0.0), 1.0)
    left = f"{result.total_hours:,.0f} h to go" if result.steps else "you are there"
    st.progress(score, text=f"Toward {esc(result.target_name)}: {score:.0%} ready · {left}")


def cell(value: object) -> object:
    """A table cell, neutralised if a spreadsheet would read it as a formula.

    Cells that are strings starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    get a leading apostrophe, which spreadsheets show as text; everything else is unchanged.

    >>> cell("=HYPERLINK(\\"http://x\\")"), cell("-1+2"), cell("Python"), cell(-3)
    ('\\'=HYPERLINK("http://x")', "'-1+2", 'Python', -3)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def safe_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Table rows with every cell passed through :func:`cell`."""
    return [{key: cell(value) for key, value in row.items()} for row in rows]


def table(rows: Iterable[Mapping[str, Any]], **kwargs: Any) -> Any:
    """``st.dataframe`` of ``rows`` (formula-safe, see :func:`cell`), full width, no index."""
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    return st.dataframe(safe_rows(rows), **kwargs)


@st.cache_resource(max_entries=128, show_spinner=False)
def _layout(
    token: str,
    nodes: tuple[str, ...],
    labels: tuple[tuple[str, str], ...],
    width: float,
    _G: nx.DiGraph,
) -> Layout:
    return graph_layout(_G, nodes, labels=dict(labels) or None, label_width_px=width)


class _Drawn(go.Figure):
    """A finished figure, held only as its dictionary: what ``st.plotly_chart`` reads of a
    figure (it turns any figure into a dictionary, on every rerun). Made without plotly's figure
    machinery, which deep-copies every trace, so only :meth:`to_dict` works; nothing may change
    the figure once made. Built from a plain figure dictionary (a ``*_spec`` drawing), it gets
    the template a figure object would have added, so both look the same."""

    def __init__(self, fig: go.Figure | dict[str, Any]):  # plotly's own __init__ is skipped
        as_dict = chart_dict(fig) if isinstance(fig, dict) else fig.to_dict()
        object.__setattr__(self, "_as_dict", as_dict)

    def to_dict(self) -> dict[str, Any]:
        return self._as_dict  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"<kept figure of {len(self._as_dict.get('data', ()))} traces>"


def forget_figures() -> None:
    """Drop every kept figure and outline (a process starting afresh)."""
    with _KEPT_LOCK:
        _KEPT.clear()


def kept(key: tuple[Any, ...], build: Callable[[], T], owner: object = None) -> T:
    """What ``build`` makes for ``key`` (its first item names the kind), made once and kept
    (see ``_KEPT``), at most ``_KEPT_MAX`` of each kind. When the key holds
    an ``id()``, pass the object as ``owner``: a value is reused only while its own owner is
    the one asked about."""
    cached = _KEPT.get(key[0], {}).get(key)
    if cached is not None and cached[0] is owner:
        return cached[1]  # type: ignore[no-any-return]
    value = build()
    with _KEPT_LOCK:
        kind = _KEPT.setdefault(key[0], {})
        kind[key] = (owner, value)
        while len(kind) > _KEPT_MAX:
            kind.pop(next(iter(kind)))
    return value


def kept_figure(
    key: tuple[Any, ...], build: Callable[[], go.Figure | dict[str, Any]], owner: object = None
) -> go.Figure:
    """The figure ``build`` makes for ``key``, made once and kept (see :func:`kept`)."""
    return kept(("figure", *key), lambda: _Drawn(build()), owner)


def layout_of(
    G: nx.DiGraph,
    token: str,
    nodes: Iterable[str],
    labels: Mapping[str, str] | None = None,
    label_width: float = LABEL_WIDTH_PX,
) -> Layout:
    """The layout of the drawn nodes, cached per graph (``token``), node set, labels and the
    width labels wrap at."""
    items = tuple(sorted((labels or {}).items()))
    return _layout(token, tuple(sorted(nodes)), items, label_width, G)


def draw_graph(
    G: nx.DiGraph,
    layout: Layout,
    profile: Profile,
    result: Plan | None,
    *,
    highlight: Sequence[str] = (),
    selected: str | None = None,
    color_by: str = "status",
    key: str,
    on_select: Callable[[], None] | None = None,
    status: Mapping[str, str] | None = None,
    held: Mapping[str, Any] | None = None,
    matches: Sequence[str] = (),
    anchor: str | None = None,
    notes: Mapping[str, str] | None = None,
    revision: str = "",
) -> None:
    """The graph chart of a layout: one pixel per unit in a window the browser pans and zooms,
    which keeps its zoom across reruns while the drawing stays the same."""
    nodes = list(layout.nodes)
    if status is None:
        status = statuses(G, profile, nodes, result) if color_by == "status" else {}
    if held is None:
        held = held_levels(G, profile, nodes)
    marks = {n: "learning" for n in profile.learning if n in layout.nodes}
    marks.update({n: "skip" for n in profile.avoid if n in layout.nodes})
    drawn = hashlib.blake2b("\n".join(sorted(nodes)).encode(), digest_size=8).hexdigest()
    colours = status if color_by == "status" else {}
    # A click changes nothing drawn: the figure of the same inputs is reused, not rebuilt.
    key_parts = (
        id(layout),
        tuple(sorted(colours.items())),
        tuple(sorted((n, h.level, h.top, h.source) for n, h in held.items())),
        tuple(highlight),
        selected,
        color_by,
        tuple(sorted(marks.items())),
        tuple(matches),
        anchor,
        revision,
        tuple(sorted((notes or {}).items())),
    )
    fig = kept_figure(
        key_parts,
        lambda: graph_figure_spec(
            G,
            layout,
            status=colours,
            highlight=list(highlight),
            selected=selected,
            color_by=color_by,
            held=held,
            marks=marks,
            matches=matches,
            height=CHART_HEIGHT,
            anchor=anchor,
            revision=f"{revision}:{drawn}",
            notes=notes,
        ),
        owner=layout,
    )
    config = {"displaylogo": False, "scrollZoom": True, "responsive": True}
    if on_select is not None:
        st.plotly_chart(
            fig,
            key=key,
            on_select=on_select,
            selection_mode="points",
            width="stretch",
            theme=None,
            config=config,
        )
    else:
        st.plotly_chart(fig, key=key, width="stretch", theme=None, config=config)


def link_target(url: str) -> str:
    """A checked http(s) address as a Markdown link target: brackets that would end the link
    are percent-encoded.

    >>> link_target("https://example.org/a_(b)")
    'https://example.org/a_%28b%29'
    """
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def show_card(card: Card) -> None:
    """A node's details, as :func:`skilltree.views.node_card` gathered them (its title and
    actions are drawn by the page). Short lists are text, which reads better in a drawer than
    a table; a role's requirements are a table."""
    if card.description:
        st.markdown(esc(card.description))
    if card.kind == "skill" and card.table:
        lines = []
        for row in card.table:
            means = f" — {row['means']}" if row.get("means") else ""
            mine = " ✓ you" if row.get("you") else ""
            lines.append(
                f"- **{row['level']}**{esc(means)} · {row['hours for this step']:g} h "
                f"({row['hours from zero']:g} h from zero){mine}"
            )
        st.markdown("**Levels:**\n" + "\n".join(lines))
    for fact in card.facts:
        if fact.items:
            st.markdown(f"**{esc(fact.label)}:**\n" + "\n".join(f"- {esc(i)}" for i in fact.items))
        else:
            st.markdown(f"**{esc(fact.label)}:** {esc(fact.text)}")
        if card.kind == "role" and fact.label == "Your readiness" and card.table:
            table(list(card.table))
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
        shown = card.path[:PATH_STEPS]
        lines = [
            f"{n}. {esc(s.name)} → level {s.to_level} · {s.hours:g} h"
            for n, s in enumerate(shown, 1)
        ]
        if len(card.path) > len(shown):
            lines.append(f"\n… and {len(card.path) - len(shown):,} more steps.")
        st.markdown("\n".join(lines))
