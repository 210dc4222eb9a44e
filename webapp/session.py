"""The shareable state in a session: read from the URL once, kept in widgets, written back.

A new session (or a new ladder) restores the state from the link, dropping what is bad and
saying so; from then on the widgets hold it under explicit keys (``w_…``), and each run mirrors
it back into the URL so that reloading or sharing the link shows the same page.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import streamlit as st

from skilltree import Profile

from .data import Catalogue
from .state import DEFAULT_PACE, AppState, params_from_state, state_from_params

__all__ = [
    "LEVEL_PREFIX",
    "MATCHES",
    "apply_state",
    "choices",
    "current_state",
    "init_state",
    "keep_state",
    "level_label",
    "level_options",
    "mirror_url",
    "on_graph_select",
    "set_learning",
    "set_level",
    "set_prefer",
    "set_skip",
]

LEVEL_PREFIX = "lvl_"
#: The widgets that hold what a link shares. Streamlit forgets a widget's value after a run
#: that did not draw it (a run cut short by an error, a page that does not show it).
LINKED = (
    "w_role",
    "w_skills",
    "w_assume",
    "w_prefer",
    "w_avoid",
    "w_learning",
    "w_target",
    "w_pace",
    "w_opt",
    "w_node",
    "w_view",
    "w_cmp",
    "w_scope",
    "w_expand",
)
#: Matches a search box offers at most on a large graph.
MATCHES = 50


def level_label(level: int, names: tuple[str, ...]) -> str:
    """A level as the slider shows it: ``2 · working``.

    >>> level_label(2, ("basics", "working", "advanced"))
    '2 · working'
    """
    return f"{level} · {names[level - 1]}" if level <= len(names) else str(level)


def _level_of(label: object) -> int:
    head = str(label).split(" ", 1)[0]
    return int(head) if head.isdigit() else 1


def level_options(top: int, levels: tuple[str, ...]) -> list[str]:
    """The choices of a skill's level slider: not held, then each level of the ladder."""
    return ["0 · not held", *(level_label(n, levels) for n in range(1, top + 1))]


def apply_state(state: AppState, cat: Catalogue, levels: tuple[str, ...]) -> None:
    """Put a state into the widgets (before they are drawn)."""
    ss = st.session_state
    ss.w_role = state.profile.role
    ss.w_assume = state.profile.assume_role
    ss.w_prefer = sorted(state.profile.prefer)
    ss.w_avoid = sorted(state.profile.avoid)
    ss.w_learning = sorted(state.profile.learning)
    ss.w_skills = list(state.profile.skills)
    for skill, level in state.profile.skills.items():
        ss[f"{LEVEL_PREFIX}{skill}"] = level_label(level, levels) if level else "0 · not held"
    ss.w_target = state.target
    ss.w_pace = float(state.pace)
    ss.w_opt = state.optional
    ss.w_node = state.selected
    ss.w_view = state.view
    ss.w_cmp = list(state.compare) or list(cat.tops)
    if state.show:
        ss.w_scope = state.show
    ss.w_expand = list(state.expand)


def init_state(
    G: nx.DiGraph, token: str, cat: Catalogue, levels: tuple[str, ...], views: tuple[str, ...]
) -> None:
    """On a new session (or new data), restore the state from the URL, dropping what is bad."""
    ss = st.session_state
    if ss.get("state_token") == token:
        return
    if "state_token" in ss:
        # New data: keep what still makes sense in it, from the current state.
        now = current_state(G, cat, views, strict=False)
        params: dict[str, object] = dict(params_from_state(now))
        where = f"Not in {G.graph.get('name', 'this ladder')}"
    else:
        params = {k: st.query_params.get_all(k) for k in st.query_params}
        where = "From the link"
    state, warnings = state_from_params(G, params, views)  # type: ignore[arg-type]
    ss.notices = [f"{where}: {w}" for w in warnings]
    ss.state_token = token
    for key in [k for k in ss if isinstance(k, str) and k.startswith(LEVEL_PREFIX)]:
        del ss[key]
    apply_state(state, cat, levels)


def keep_state() -> None:
    """Keep the shared state whatever this run draws: each linked widget's value is set again
    as the session's own, which Streamlit never forgets (call before any widget is drawn)."""
    ss = st.session_state
    for key in [
        k for k in ss if isinstance(k, str) and (k in LINKED or k.startswith(LEVEL_PREFIX))
    ]:
        ss[key] = ss[key]


def current_state(
    G: nx.DiGraph, cat: Catalogue, views: tuple[str, ...], strict: bool = True
) -> AppState:
    """The state the widgets hold now."""
    ss = st.session_state
    skills: dict[str, int] = {}
    for skill in ss.get("w_skills", []):
        if strict and skill not in G:
            continue
        skills[skill] = _level_of(ss.get(f"{LEVEL_PREFIX}{skill}", "1"))
    view = ss.get("w_view") or views[0]
    compared = tuple(c for c in ss.get("w_cmp") or () if c != "")
    return AppState(
        profile=Profile(
            skills,
            ss.get("w_role"),
            prefer=frozenset(ss.get("w_prefer") or ()),
            avoid=frozenset(ss.get("w_avoid") or ()),
            learning=frozenset(ss.get("w_learning") or ()),
            assume_role=bool(ss.get("w_assume", True)),
        ),
        target=ss.get("w_target"),
        pace=float(ss.get("w_pace") or DEFAULT_PACE),
        optional=bool(ss.get("w_opt")),
        selected=ss.get("w_node"),
        view=view if view in views else views[0],
        compare=compared if list(compared) != list(cat.tops) else (),
        data=ss.get("data_digest"),
        show=ss.get("w_scope") if ss.get("w_scope") != ss.get("w_scope_default") else None,
        expand=tuple(ss.get("w_expand") or ()),
    )


def set_level(skill: str, level: int, levels: tuple[str, ...]) -> None:
    """The person says they hold ``skill`` at ``level`` (0: they do not have it). Call before
    the sidebar's widgets are drawn (e.g. from a button's ``on_click``)."""
    ss = st.session_state
    skills = list(ss.get("w_skills") or ())
    if skill not in skills:
        skills.append(skill)
    ss.w_skills = skills
    ss[f"{LEVEL_PREFIX}{skill}"] = level_label(level, levels) if level else "0 · not held"
    if level:
        set_learning(skill, False)


def set_learning(skill: str, on: bool) -> None:
    """Mark ``skill`` as being learnt now, or not."""
    _toggle("w_learning", skill, on)


def set_skip(skill: str, on: bool) -> None:
    """The person would rather not learn ``skill``: the plan avoids it where it has a choice."""
    _toggle("w_avoid", skill, on)
    if on:
        _toggle("w_prefer", skill, False)


def set_prefer(skill: str, on: bool) -> None:
    """The person prefers ``skill`` (their language, framework, database…)."""
    _toggle("w_prefer", skill, on)
    if on:
        _toggle("w_avoid", skill, False)


def _toggle(key: str, skill: str, on: bool) -> None:
    ss = st.session_state
    chosen = [s for s in ss.get(key) or () if s != skill]
    ss[key] = sorted([*chosen, skill]) if on else chosen


def mirror_url(state: AppState) -> None:
    """Write the state into the URL, if it changed."""
    wanted = params_from_state(state)
    if {k: st.query_params.get(k) for k in st.query_params} != wanted:
        st.query_params.from_dict(wanted)


def on_graph_select() -> None:
    """A click on the graph selects the clicked node (its id is the point's customdata)."""
    event = st.session_state.get("graph_chart")
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    for point in points:
        node = point.get("customdata")
        if isinstance(node, list):
            node = node[0] if node else None
        if isinstance(node, str) and node:
            st.session_state.w_node = node
            return


def choices(cat: Catalogue, kind: str, query_key: str, keep: Iterable[str]) -> list[str]:
    """Options for a widget: every id of ``kind`` on a small graph; on a large one, what the
    search box beside it matches (at most MATCHES) plus what is already chosen."""
    if not cat.large:
        return list(cat.ids(kind))
    query = str(st.session_state.get(query_key) or "").strip().casefold()
    found = cat.search(query, kind)[:MATCHES] if query else ()
    chosen = [k for k in keep if k in cat.folded]
    return chosen + [n for n in found if n not in chosen]
