"""Explore: the career graph as a map to read and play, with the details of a node in a drawer.

What is drawn is one click from the first picture: the overview (every category of skills as one
cluster, which a click expands), the person's plan, or everything; around a node on request, or
only some categories. Search lights every match. The details of the clicked node open beside the
graph, with what the person can say about it (I have it at level N, learning it, skip it) taking
effect at once. On a narrow screen the graph gives way to its outline, with the same statuses
and the same clicks.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import networkx as nx
import streamlit as st

from skilltree import path_to
from skilltree.views import (
    MAX_DRAWN,
    STATUS_LABELS,
    Held,
    View,
    explore_view,
    held_levels,
    plan_view,
    statuses,
)
from skilltree.views.layout import LABEL_WIDTH_PX
from skilltree.views.outline import outline
from skilltree.views.overview import CLUSTER, Overview, cluster_of, overview
from skilltree.views.palette import STATUS_GLYPHS

from ..context import Context
from ..details import details, guide
from ..session import choices, on_graph_select
from ..ui import draw_graph, esc, kept, layout_of, sentence

__all__ = ["SCOPES", "render"]

#: The width the overview's labels wrap at.
OVERVIEW_LABEL_PX = 120.0
#: Sections (roles) the outline lists at most: each is a widget, and a view of a large ladder
#: can hold hundreds of roles.
MAX_OUTLINE_SECTIONS = 8
#: What the graph shows, one click each.
SCOPES = {"overview": "Overview", "plan": "My plan", "all": "All"}


@dataclass
class Drawn:
    """What the chart draws this run: the graph read (the career graph, or the overview's),
    its nodes, the emphasised path, and how career-graph nodes map onto drawn ones."""

    graph: nx.DiGraph
    view: View
    standing: Overview | None = None
    notes: dict[str, str] = field(default_factory=dict)

    def drawn(self, nodes: Collection[str]) -> list[str]:
        if self.standing is None:
            return [n for n in nodes if n in self.view.nodes]
        return [n for n in self.standing.drawn_all(nodes) if n in self.view.nodes]


@st.cache_resource(max_entries=64, show_spinner=False)
def _overview(token: str, expanded: tuple[str, ...], _G: nx.DiGraph) -> Overview:
    return overview(_G, expanded)


def _on_click() -> None:
    """A click on a cluster expands or folds its category; on a node, selects it.

    The chart marks a clicked node itself, so the figure drawn after a click is the very same
    as before it: Streamlit then keeps the chart (and the person's zoom and pan) as it is.
    """
    event = st.session_state.get("graph_chart") or {}
    for point in (event.get("selection") or {}).get("points", []):
        node = point.get("customdata")
        node = node[0] if isinstance(node, list) and node else node
        if isinstance(node, str) and node.startswith(CLUSTER):
            category = node[len(CLUSTER) :]
            open_ = list(st.session_state.get("w_expand") or [])
            st.session_state.w_expand = (
                [c for c in open_ if c != category] if category in open_ else [*open_, category]
            )
            return
    on_graph_select()
    st.session_state._clicked = st.session_state.get("w_node")


def _default_scope(ctx: Context) -> str:
    if ctx.G.number_of_nodes() > MAX_DRAWN:
        return "all"  # a large graph: the neighbourhood of what matters, never the whole
    return "plan" if ctx.plan is not None and ctx.plan.steps else "overview"


def _controls(ctx: Context) -> tuple[str, str, bool, int, list[str]]:
    """The controls above the graph: scope, search, find, colour; filter and focus below."""
    G, index, state = ctx.G, ctx.index, ctx.state
    names = index.names
    ss = st.session_state
    # The link names the view only when the person chose one other than the default.
    ss.w_scope_default = _default_scope(ctx)
    if ss.get("w_scope") not in SCOPES:
        ss.w_scope = ss.w_scope_default
    c1, c2, c3, c4 = st.columns([2.6, 1.5, 1.8, 1.0], vertical_alignment="bottom")
    c1.segmented_control(
        "Show", list(SCOPES), key="w_scope", format_func=lambda s: SCOPES[s], required=True
    )
    c2.text_input(
        "Search the graph",
        key="w_node_q",
        placeholder="— type part of a name —",
        help="Lights every match on the graph; on a large ladder, also lists them beside.",
    )
    keep = [state.selected] if state.selected else []
    c3.selectbox(
        "Find a node",
        [None, *choices(ctx.cat, "node", "w_node_q", keep)],
        key="w_node",
        placeholder="— click the graph or choose here —",
        format_func=lambda n: (
            "— click the graph or choose here —"
            if n is None
            else f"{names[n]} ({G.nodes[n].get('category') or index.kinds[n]})"
        ),
    )
    busy = bool(ss.get("w_focus") or ss.get("w_filter") or ss.get("w_color") == "kind")
    with c4.popover("Options" + (" ●" if busy else ""), width="stretch"):
        color_by = st.radio(
            "Colour by", ["status", "kind"], key="w_color", horizontal=True, format_func=str.title
        )
        focus = st.toggle(
            "Only around the selected node", key="w_focus", disabled=state.selected is None
        )
        depth = st.slider("Depth", 1, 4, 2, key="w_depth", disabled=not focus)
        st.multiselect(
            "Show only", ctx.cat.filters, key="w_filter", placeholder="— every category and kind —"
        )
    chosen = list(ss.get("w_filter") or ())
    return ss.w_scope, color_by or "status", bool(focus and state.selected), depth, chosen


def _what_to_draw(
    ctx: Context, scope: str, focus: bool, depth: int, only: list[str], lit: bool
) -> tuple[Drawn, str]:
    """The nodes to draw and a note on what was left out; with ``lit``, the cheapest path to
    the selected node too."""
    G, state, result = ctx.G, ctx.state, ctx.plan
    selected = state.selected
    if focus or only or scope == "all":
        view = explore_view(
            G, state.profile, selected, focus=focus, depth=depth, only=only, cap=MAX_DRAWN
        )
        return Drawn(G, view), view.note
    if scope == "plan":
        if result is None or not result.steps:
            st.info(
                "Choose a target role (top of the page, or the sidebar) to see your plan "
                "here; meanwhile, the overview."
                if result is None
                else "You meet every requirement of your target: nothing left to plan."
            )
        else:
            view = plan_view(G, result, state.profile, MAX_DRAWN)
            nodes = set(view.nodes)
            path: tuple[str, ...] = ()
            if selected and lit:
                path = tuple(dict.fromkeys(s.skill for s in path_to(G, state.profile, selected)))
                path = (*path, selected)
                nodes |= set(path)
            return Drawn(G, View(frozenset(nodes), path, view.note)), view.note
    return _overview_view(ctx, lit), ""


def _overview_view(ctx: Context, lit: bool) -> Drawn:
    """The overview, with the selected node's category expanded, and the path to it."""
    G, state = ctx.G, ctx.state
    ss = st.session_state
    categories = sorted({c for n in G if (c := cluster_of(G, n))})
    open_ = [c for c in ss.get("w_expand") or [] if c in categories]
    if state.selected and (home := cluster_of(G, state.selected)) and home not in open_:
        open_.append(home)
    ss.w_expand = open_
    ov = _overview(ctx.token, tuple(sorted(open_)), G)
    path: list[str] = []
    if state.selected and lit:
        steps = path_to(G, state.profile, state.selected)
        path = ov.drawn_all([*(s.skill for s in steps), state.selected])
    notes = {}
    status = statuses(G, state.profile, [m for ms in ov.members.values() for m in ms], ctx.plan)
    held = held_levels(G, state.profile, [m for ms in ov.members.values() for m in ms])
    for cluster, members in ov.members.items():
        counts = [sum(1 for m in members if status.get(m) == s) for s in STATUS_LABELS]
        counts.append(sum(1 for m in members if m in held))
        notes[cluster] = (
            f"{len(members)} in all · {counts[-1]} yours · "
            + " · ".join(
                f"{c} {STATUS_LABELS[s].lower()}"
                for s, c in zip(STATUS_LABELS, counts, strict=False)
                if c
            )
            + " · click to show them"
        )
    return Drawn(ov.graph, View(frozenset(ov.graph.nodes), tuple(path)), ov, notes)


def _cluster_status(
    drawn: Drawn, status: Mapping[str, str], held_all: Mapping[str, Held]
) -> tuple[dict[str, str], dict[str, Held]]:
    """Statuses and rings of clusters, from their members: in plan if any member is, else have
    if all are held, ready if any is, else locked."""
    out: dict[str, str] = dict(status)
    rings: dict[str, Held] = {}
    if drawn.standing is None:
        return out, rings
    for cluster, members in drawn.standing.members.items():
        if cluster not in drawn.view.nodes:
            continue
        found = [status.get(m) for m in members]
        for candidate in ("in_plan", "have", "ready"):
            if candidate == "have" and all(s == "have" for s in found):
                out[cluster] = "have"
                break
            if candidate != "have" and candidate in found:
                out[cluster] = candidate
                break
        else:
            out[cluster] = "locked"
        mine = sum(1 for m in members if m in held_all)
        if mine:
            rings[cluster] = Held(min(3, 1 + 3 * mine // max(len(members), 1)), 3, "some")
    return out, rings


def render(ctx: Context) -> None:
    G, state, result = ctx.G, ctx.state, ctx.plan
    scope, color_by, focus, depth, only = _controls(ctx)
    ss = st.session_state
    lit = bool(ss.get("w_lit") and state.selected)
    drawn, note = _what_to_draw(ctx, scope, focus, depth, only, lit)
    if note:
        st.info(sentence(note) + " Select a node to move the focus.")
    real = [n for n in drawn.view.nodes if n in G]
    members = [m for ms in (drawn.standing.members.values() if drawn.standing else ()) for m in ms]
    found_status = statuses(G, state.profile, real + members, result)
    held_all = held_levels(G, state.profile, real + members)
    status, rings = _cluster_status(drawn, found_status, held_all)
    held = {n: h for n, h in held_all.items() if n in drawn.view.nodes} | rings
    query = str(st.session_state.get("w_node_q") or "").strip().casefold()
    found = list(ctx.cat.search(query)) if query else []
    matched = drawn.drawn(found)
    if query:
        st.caption(
            f"{len(found)} match{'es' if len(found) != 1 else ''} for “{esc(query)}”"
            + (
                f", {len(found) - len([n for n in found if n in drawn.view.nodes])} inside "
                "clusters or not drawn"
                if len(matched) < len(found)
                else ""
            )
            + "."
        )
    # The overview is the first picture: narrower labels keep it within one screen.
    width = OVERVIEW_LABEL_PX if drawn.standing is not None else LABEL_WIDTH_PX
    layout = layout_of(drawn.graph, f"{ctx.token}:{scope}", drawn.view.nodes, label_width=width)
    with st.container(key="graph_area"):
        draw_graph(
            drawn.graph,
            layout,
            state.profile,
            result,
            highlight=drawn.drawn(drawn.view.highlight) if lit else (),
            # A node clicked on the chart is marked by the chart; one chosen otherwise (the
            # picker, a link) is marked in the figure.
            selected=(
                state.selected
                if state.selected in layout.nodes and state.selected != ss.get("_clicked")
                else None
            ),
            color_by=color_by,
            key="graph_chart",
            on_select=_on_click,
            status=status,
            held=held,
            matches=matched,
            anchor=_anchor(ctx, scope, drawn),
            notes=drawn.notes,
            # A new neighbourhood opens at its node, not at the last one's pan and zoom.
            revision=(
                f"{scope}:{state.selected}" if _around_selected(ctx, scope, drawn) else scope
            ),
        )
        st.caption(
            "Drag to pan, scroll to zoom, double-click to fit. Click a node for its details; "
            + ("click a cluster to show its skills. " if drawn.standing else "")
            + "Rings are the levels you hold."
        )
        if drawn.standing is not None:
            st.pills(
                "Categories shown in full (or click a cluster on the graph)",
                sorted({c for n in G if (c := cluster_of(G, n))}),
                selection_mode="multi",
                key="w_expand",
                format_func=lambda c: c.replace("-", " ").capitalize(),
            )
    with st.container(key="outline_area"):
        _outline(ctx, drawn, status, held)
    # The panel is always there on a wide screen, so the graph keeps its width (and the
    # person's zoom) whether a node is open or not.
    with st.container(key="drawer"):
        if state.selected:
            details(ctx, state.selected)
        else:
            with st.container(key="guide"):
                guide(drawn.standing is not None)


def _around_selected(ctx: Context, scope: str, drawn: Drawn) -> bool:
    """Whether the drawing is the selected node's neighbourhood (everything, on a ladder too
    large to draw whole): it is then a new drawing for each node selected."""
    return (
        scope == "all"
        and ctx.G.number_of_nodes() > MAX_DRAWN
        and ctx.state.selected in drawn.view.nodes
    )


def _anchor(ctx: Context, scope: str, drawn: Drawn) -> str | None:
    """Where a drawing wider than the window opens: the selected node's neighbourhood at that
    node, everything at the target's lanes, the rest (the overview, a plan) at its start."""
    if _around_selected(ctx, scope, drawn):
        return ctx.state.selected
    if scope == "all" and ctx.state.target in drawn.view.nodes:
        return ctx.state.target
    return None


def _pick(key: str) -> None:
    node = st.session_state.get(key)
    st.session_state[key] = None
    if isinstance(node, str) and node.startswith(CLUSTER):
        category = node[len(CLUSTER) :]
        open_ = list(st.session_state.get("w_expand") or [])
        st.session_state.w_expand = [*open_, category] if category not in open_ else open_
    elif node:
        st.session_state.w_node = node


def _outline(
    ctx: Context, drawn: Drawn, status: Mapping[str, str], held: Mapping[str, Held]
) -> None:
    """The graph as an indented list, one section per role (the phone's view of the graph)."""
    # Kept per drawing and colours: every rerun of the page lists the same sections.
    sections = kept(
        (
            "outline",
            ctx.token,
            id(drawn.graph),
            tuple(sorted(drawn.view.nodes)),
            tuple(sorted(status.items())),
            tuple(sorted(held.items())),
        ),
        lambda: outline(
            drawn.graph,
            drawn.view.nodes,
            status,
            held,
            max_depth=2,
            max_sections=MAX_OUTLINE_SECTIONS,
        ),
        owner=drawn.graph,
    )
    st.caption(
        f"{STATUS_GLYPHS['have']} have · {STATUS_GLYPHS['in_plan']} in plan · "
        f"{STATUS_GLYPHS['ready']} ready to learn · {STATUS_GLYPHS['locked']} locked"
    )
    for i, section in enumerate(sections):
        with st.expander(esc(section.title), expanded=i == 0):
            labels: dict[str, str] = {}
            for item in section.items:
                if item.repeat or item.node in labels:
                    continue  # listed above in this section
                glyph = STATUS_GLYPHS.get(item.status or "", "▫️")
                level = f" · level {item.level}" if item.level else ""
                indent = "\u2003" * (item.depth - 1)
                labels[item.node] = f"{indent}{glyph} {esc(item.name)}{level}"
            key = f"outline_{i}"
            st.radio(
                esc(section.title),
                list(labels),
                key=key,
                index=None,
                format_func=labels.get,
                label_visibility="collapsed",
                on_change=_pick,
                args=(key,),
            )
            if section.more:
                st.caption(f"… and {section.more} more.")
    roles = sum(1 for n in drawn.view.nodes if drawn.graph.nodes[n].get("kind") == "role")
    if roles > MAX_OUTLINE_SECTIONS:
        st.caption(
            f"… and {roles - MAX_OUTLINE_SECTIONS:,} more roles in this view: find a node "
            "or turn on “Only around the selected node” to narrow it."
        )
