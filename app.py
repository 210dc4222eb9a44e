"""skilltree in the browser: explore the career graph, plan a path, compare targets, export.

A thin Streamlit shell over the ``skilltree`` library: it reads widgets and the URL, calls pure
functions, and draws what they return. Loading and layout are cached; the whole state (profile,
target, pace, selection, view) is mirrored in the URL so a link restores it. Library errors are
caught once, at the edge, and shown as messages.

Run with ``streamlit run app.py`` (add ``-- --data FILE`` or set ``SKILLTREE_DATA`` for a custom
ladder).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

# plotly looks pandas up in sys.modules while building figures, and would find it half
# imported if another session were importing it at that moment. An import statement waits for
# the import to finish, so every session passes here before it draws anything.
import pandas  # noqa: F401
import streamlit as st

from skilltree import (
    AppState,
    DataError,
    NoRouteError,
    Plan,
    Profile,
    ProfileError,
    SkilltreeError,
    compare,
    graph_figure,
    graph_from_text,
    layered_layout,
    load_graph,
    next_steps,
    params_from_state,
    path_to,
    plan,
    profile_from_json,
    readiness,
    readiness_figure,
    readiness_scores,
    route,
    salary_figure,
    schedule,
    state_from_params,
    statuses,
    weeks,
)
from skilltree.cli import salary_text
from skilltree.export import DEFAULT_SIZE, export_bytes, path_figure
from skilltree.focus import MAX_DRAWN, explore_view, plan_view
from skilltree.index import index_of
from skilltree.render import IMAGE_FORMATS, NO_BROWSER, find_browser
from skilltree.serialize import graphml_text
from skilltree.share import DEFAULT_PACE, MAX_PACE, VIEWS
from skilltree.text import markdown_escape as esc

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PROFILE_BYTES = 256 * 1024
# Above this many nodes the graph view shows a focused part, never the whole graph.
# Above this many nodes, long pickers become a search box and the matches.
SEARCH_ABOVE = 500
READINESS_BARS = 25
PLAN_ROWS = 400
MATCHES = 50
LEVEL_LABELS = {1: "1 · basics", 2: "2 · working", 3: "3 · advanced"}
VIEW_LABELS = {
    "explore": "Explore",
    "path": "My path",
    "compare": "Compare",
    "export": "Export",
}


# --- data ------------------------------------------------------------------------------------


def _start_data() -> str | None:
    """The data file named at start: ``-- --data FILE`` or ``$SKILLTREE_DATA``."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data")
    known, _rest = parser.parse_known_args(sys.argv[1:])
    return known.data or os.environ.get("SKILLTREE_DATA") or None


def _prepared(G: nx.DiGraph) -> nx.DiGraph:
    # Build the per-graph tables now, under the loading spinner, rather than on a first click.
    index = index_of(G)
    index.uses("")
    # plotly loads each trace type's classes on first use (a tenth of a second): pay it here.
    some = next(iter(index.roles), None)
    if some is not None:
        readiness_figure({some: 0.0}, index.names)
        graph_figure(G, {some: (0.0, 0.0)})
    gc.collect()
    # The graph lives as long as the app: keep the collector from walking it on every pass.
    gc.freeze()
    return G


@st.cache_resource(show_spinner="Loading and checking the career graph…", max_entries=4)
def _load_path(path: str | None, stamp: float) -> nx.DiGraph:
    return _prepared(load_graph(path))


@st.cache_resource(show_spinner="Loading and checking the uploaded graph…", max_entries=4)
def _load_upload(digest: str, _raw: bytes, name: str) -> nx.DiGraph:
    return _prepared(graph_from_text(_raw, name))


@st.cache_resource(max_entries=256)
def _positions(
    token: str, nodes: tuple[str, ...], _G: nx.DiGraph
) -> dict[str, tuple[float, float]]:
    return layered_layout(_G, nodes)


def _show_problems(title: str, error: DataError) -> None:
    lines = "\n".join(f"- {esc(p)}" for p in error.problems[:50])
    more = len(error.problems) - 50
    if more > 0:
        lines += f"\n- … and {more} more"
    st.error(f"**{esc(title)}**\n\n{lines}")


def _active_graph() -> tuple[nx.DiGraph, str]:
    """The graph in use and a token naming it (for caches), after any upload in the sidebar."""
    start = _start_data()
    try:
        stamp = Path(start).stat().st_mtime if start else 0.0
    except OSError:
        stamp = 0.0
    try:
        G = _load_path(start, stamp)
        token = f"path:{start}:{stamp}"
    except DataError as exc:
        _show_problems(f"The data file {start} is invalid; using the built-in ladder.", exc)
        G, token = _load_path(None, 0.0), "path:None:0.0"

    with st.sidebar.expander("Data", expanded=False):
        st.caption(f"In use: **{esc(G.graph.get('name', ''))}**")
        upload = st.file_uploader(
            "Your own ladder (YAML or JSON)",
            type=["yaml", "yml", "json"],
            key="data_upload",
            help="Checked before use; a bad file changes nothing.",
        )
        if upload is not None:
            raw = upload.getvalue()
            digest = hashlib.sha256(raw).hexdigest()
            if len(raw) > MAX_UPLOAD_BYTES:
                st.error(
                    f"{esc(upload.name)} is {len(raw):,} bytes, over the "
                    f"{MAX_UPLOAD_BYTES:,}-byte limit; keeping the current data."
                )
            elif st.session_state.get("upload_digest") != digest:
                try:
                    _load_upload(digest, raw, upload.name)
                except DataError as exc:
                    _show_problems(f"{upload.name} is invalid; keeping the current data.", exc)
                else:
                    st.session_state.upload_digest = digest
                    st.session_state.upload = (raw, upload.name)
        if st.session_state.get("upload") and st.button("Back to the built-in ladder"):
            st.session_state.upload = None
            st.session_state.upload_digest = None
    if st.session_state.get("upload"):
        raw, name = st.session_state.upload
        digest = st.session_state.upload_digest
        return _load_upload(digest, raw, name), f"upload:{digest}"
    return G, token


# --- state -----------------------------------------------------------------------------------


@st.cache_resource(max_entries=8)
def _catalogue(token: str, _G: nx.DiGraph) -> dict[str, Any]:
    """Sorted lists for the widgets, made once per graph rather than on every rerun."""
    index = index_of(_G)
    names = index.names

    def by_name(ids: Iterable[str]) -> list[str]:
        return sorted(ids, key=lambda n: (names[n].casefold(), n))

    return {
        "role": sorted(index.roles, key=lambda r: (index.rank[r], names[r])),
        "tops": [
            r
            for r in sorted(index.roles, key=lambda r: (index.rank[r], names[r]))
            if not index.next_roles[r]
        ],
        "skill": by_name(index.hours),
        "node": by_name(index.kinds),
        "filters": sorted(index.by_group),
        "folded": {n: names[n].casefold() for n in index.kinds},
        "large": len(index.kinds) > SEARCH_ABOVE,
    }


def _cat(G: nx.DiGraph) -> dict[str, Any]:
    return _catalogue(st.session_state.get("graph_token", ""), G)


def _names(G: nx.DiGraph) -> dict[str, str]:
    return index_of(G).names


def _ids(G: nx.DiGraph, kind: str) -> list[str]:
    return list(_cat(G)[kind])


def _choices(G: nx.DiGraph, kind: str, query_key: str, keep: Iterable[str]) -> list[str]:
    """Options for a widget: every id of ``kind`` on a small graph; on a large one, what the
    search box beside it matches (at most MATCHES) plus what is already chosen."""
    cat = _cat(G)
    if not cat["large"]:
        return list(cat[kind])
    query = str(st.session_state.get(query_key) or "").strip().casefold()
    found: list[str] = []
    if query:
        for n in cat[kind]:
            if query in cat["folded"][n] or query in n:
                found.append(n)
                if len(found) >= MATCHES:
                    break
    chosen = [k for k in keep if k in cat["folded"]]
    return chosen + [n for n in found if n not in chosen]


def _apply_state(G: nx.DiGraph, state: AppState) -> None:
    """Put a state into the widgets (before they are drawn)."""
    ss = st.session_state
    ss.w_role = state.profile.role
    ss.w_skills = list(state.profile.skills)
    for skill, level in state.profile.skills.items():
        ss[f"lvl_{skill}"] = LEVEL_LABELS[level]
    ss.w_target = state.target
    ss.w_pace = float(state.pace)
    ss.w_opt = state.optional
    ss.w_node = state.selected
    ss.w_view = state.view
    ss.w_cmp = list(state.compare) or _default_compare(G)


def _default_compare(G: nx.DiGraph) -> list[str]:
    """The top rungs of the ladder (roles with no next rung): the tracks to weigh."""
    return list(_cat(G)["tops"])


def _init_state(G: nx.DiGraph, token: str) -> None:
    """On a new session (or new data), restore the state from the URL, dropping what is bad."""
    ss = st.session_state
    if ss.get("state_token") == token:
        return
    if "state_token" in ss:
        # New data: keep what still makes sense in it, from the current link.
        params = params_from_state(_current_state(G, strict=False))
    else:
        params = {k: st.query_params.get_all(k) for k in st.query_params}
    state, warnings = state_from_params(G, params)  # type: ignore[arg-type]
    ss.url_warnings = warnings
    ss.state_token = token
    for key in [k for k in ss if isinstance(k, str) and k.startswith("lvl_")]:
        del ss[key]
    _apply_state(G, state)


def _current_state(G: nx.DiGraph, strict: bool = True) -> AppState:
    ss = st.session_state
    skills: dict[str, int] = {}
    for skill in ss.get("w_skills", []):
        if strict and skill not in G:
            continue
        label = ss.get(f"lvl_{skill}", LEVEL_LABELS[1])
        skills[skill] = int(str(label)[0])
    role = ss.get("w_role")
    view = ss.get("w_view") or "explore"
    return AppState(
        profile=Profile(skills, role),
        target=ss.get("w_target"),
        pace=float(ss.get("w_pace") or DEFAULT_PACE),
        optional=bool(ss.get("w_opt")),
        selected=ss.get("w_node"),
        view=view if view in VIEWS else "explore",
        compare=tuple(c for c in ss.get("w_cmp") or () if c != "")
        if list(ss.get("w_cmp") or ()) != _default_compare(G)
        else (),
    )


def _on_graph_select() -> None:
    event = st.session_state.get("graph_chart")
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    for point in points:
        node = point.get("customdata")
        if isinstance(node, list):
            node = node[0] if node else None
        if isinstance(node, str) and node:
            st.session_state.w_node = node
            return


# --- sidebar ---------------------------------------------------------------------------------


def _profile_upload(G: nx.DiGraph) -> None:
    with st.sidebar.expander("Profile file", expanded=False):
        upload = st.file_uploader("Load a profile (JSON)", type=["json"], key="profile_upload")
        if upload is None:
            return
        raw = upload.getvalue()
        digest = hashlib.sha256(raw).hexdigest()
        if st.session_state.get("profile_digest") == digest:
            return
        try:
            if len(raw) > MAX_PROFILE_BYTES:
                raise ProfileError([f"the file is over {MAX_PROFILE_BYTES:,} bytes"])
            try:
                data = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
                raise ProfileError([f"not a JSON profile ({exc})"]) from None
            profile = profile_from_json(G, data)
        except ProfileError as exc:
            st.error(
                f"**{esc(upload.name)}** was not loaded:\n\n"
                + "\n".join(f"- {esc(p)}" for p in exc.problems[:30])
            )
            return
        st.session_state.profile_digest = digest
        current = _current_state(G)
        _apply_state(G, current.with_(profile=profile))
        st.success(f"Loaded {len(profile.skills)} skills from {esc(upload.name)}.")


def _sidebar(G: nx.DiGraph) -> None:
    names = _names(G)
    sb = st.sidebar
    sb.header("Your profile")
    roles = _ids(G, "role")
    sb.selectbox(
        "Current role",
        [None, *roles],
        key="w_role",
        format_func=lambda r: "— none yet —" if r is None else names[r],
    )
    current = list(st.session_state.get("w_skills") or ())
    if _cat(G)["large"]:
        sb.text_input("Search skills", key="w_skill_q", placeholder="type part of a name")
    sb.multiselect(
        "Skills you have",
        _choices(G, "skill", "w_skill_q", current),
        key="w_skills",
        format_func=lambda s: names[s],
        placeholder="Type to find a skill",
    )
    for skill in st.session_state.get("w_skills", []):
        sb.select_slider(
            esc(names[skill]),
            options=list(LEVEL_LABELS.values()),
            key=f"lvl_{skill}",
        )
    sb.header("Your goal")
    sb.selectbox(
        "Target role",
        [None, *roles],
        key="w_target",
        format_func=lambda r: "— choose a role —" if r is None else names[r],
    )
    sb.number_input(
        "Pace (hours per week)", min_value=1.0, max_value=MAX_PACE, step=1.0, key="w_pace"
    )
    sb.toggle("Include optional requirements", key="w_opt")


# --- views -----------------------------------------------------------------------------------


def _sentence(note: str) -> str:
    """A view's note as a sentence, escaped for Markdown."""
    return esc(note[:1].upper() + note[1:] + ".")


def _draw(
    G: nx.DiGraph,
    token: str,
    nodes: Iterable[str],
    profile: Profile,
    result: Plan | None,
    *,
    highlight: list[str],
    selected: str | None,
    color_by: str,
    key: str,
    title: str | None = None,
) -> None:
    drawn = tuple(sorted(nodes))
    positions = _positions(token, drawn, G)
    status = statuses(G, profile, drawn, result) if color_by == "status" else None
    fig = graph_figure(
        G,
        positions,
        status=status,
        highlight=highlight,
        selected=selected,
        color_by=color_by,
        title=title,
    )
    if key == "graph_chart":
        st.plotly_chart(
            fig,
            key=key,
            on_select=_on_graph_select,
            selection_mode="points",
            width="stretch",
            config={"displaylogo": False, "scrollZoom": True},
        )
    else:
        st.plotly_chart(fig, key=key, width="stretch", config={"displaylogo": False})


def _details(G: nx.DiGraph, node: str, profile: Profile) -> None:
    index = index_of(G)
    attrs = G.nodes[node]
    names = index.names
    kind = attrs["kind"]
    label = attrs.get("category", kind) if kind == "skill" else kind
    st.subheader(esc(attrs.get("name", node)))
    st.caption(f"{label} · id `{esc(node)}`")
    if attrs.get("description"):
        st.markdown(esc(attrs["description"]))

    if kind == "skill":
        have = profile.level(node)
        rows = []
        total = 0.0
        level_texts = list(attrs.get("levels", ()))
        for level, hours in enumerate(attrs["hours"], 1):
            total += hours
            rows.append(
                {
                    "level": level,
                    "means": level_texts[level - 1] if level <= len(level_texts) else "",
                    "hours for this step": hours,
                    "hours from zero": total,
                    "you": "✓ have" if have >= level else "",
                }
            )
        st.dataframe(rows, hide_index=True, width="stretch")
        prereqs = index.prereqs[node]
        needs = ", ".join(
            f"{names[p]} {lv}" + (" ✓" if profile.level(p) >= lv else "") for p, lv in prereqs
        )
        st.markdown(f"**Needs first:** {esc(needs) if needs else 'nothing'}")
        opens = ", ".join(sorted(names[d] for d, _ in index.dependents[node]))
        st.markdown(f"**Opens:** {esc(opens) if opens else 'nothing further'}")
        groups = ", ".join(names[g] for g, _ in index.option_of[node])
        if groups:
            st.markdown(f"**Counts for:** {esc(groups)}")
        roles = sorted(
            {(index.rank[r], names[r], req.level, req.importance) for r, req in index.uses(node)}
        )
        if roles:
            lines = [
                f"- {esc(name)} — level {level}" + ("" if imp == "essential" else " (optional)")
                for _rank, name, level, imp in roles
            ]
            st.markdown("**Roles that need it** (directly or as an option):\n" + "\n".join(lines))
    elif kind == "role":
        st.markdown(f"**Salary:** {esc(salary_text(attrs.get('salary')))}")
        if attrs.get("salary_note"):
            st.caption(esc(attrs["salary_note"]))
        if attrs.get("years"):
            years = attrs["years"]
            span = f"{years['min']:g}" + (f"–{years['max']:g}" if years.get("max") else "+")
            st.markdown(f"**Typical experience:** {span} years")
        for title, items in (
            ("Responsibilities", attrs.get("responsibilities", ())),
            ("Works with", attrs.get("works_with", ())),
        ):
            if items:
                st.markdown(f"**{title}:**\n" + "\n".join(f"- {esc(i)}" for i in items))
        ready = readiness(G, profile, node)
        st.markdown(f"**Your readiness:** {ready.score:.0%}")
        st.dataframe(
            [
                {
                    "requirement": item.name,
                    "level": item.level,
                    "you have": item.have,
                    "status": item.status,
                    "importance": item.importance,
                    "from rung": names[item.origin],
                }
                for item in ready.items
            ],
            hide_index=True,
            width="stretch",
        )
        nxt = ", ".join(names[r] for r in index.next_roles[node])
        st.markdown(f"**Next rungs:** {esc(nxt) if nxt else 'top of this ladder'}")
    elif kind == "group":
        st.markdown(f"**Any {index.pick[node]} of:**")
        st.markdown(
            "\n".join(
                f"- {esc(names[o])} (level {lv}+)" + (" ✓" if profile.level(o) >= lv else "")
                for o, lv in index.options[node]
            )
        )
        roles = ", ".join(names[r] for r in index.required_by[node])
        st.markdown(f"**Required by:** {esc(roles)}")
    elif kind == "training":
        if attrs.get("months"):
            st.markdown(f"**Typical length:** {attrs['months']:g} months")
        taught = [
            f"{names[v]} {d['level']}"
            for _u, v, d in G.out_edges(node, data=True)
            if d["kind"] == "teaches"
        ]
        st.markdown(f"**Teaches:** {esc(', '.join(taught)) or '—'}")

    steps = path_to(G, profile, node)
    if kind in ("skill", "group"):
        if steps:
            st.markdown(
                f"**Cheapest path from your profile:** {len(steps)} steps, "
                f"{steps[-1].cumulative_hours:g} h (highlighted on the graph)"
            )
            if len(steps) > PLAN_ROWS:
                st.caption(f"The first {PLAN_ROWS} of {len(steps):,} steps.")
            st.dataframe(
                [
                    {"step": n, "skill": s.name, "to level": s.to_level, "hours": s.hours}
                    for n, s in enumerate(steps[:PLAN_ROWS], 1)
                ],
                hide_index=True,
                width="stretch",
            )
        else:
            st.markdown("**You already have this** (at the top level).")


def _explore(G: nx.DiGraph, token: str, state: AppState, result: Plan | None) -> None:
    index = index_of(G)
    names = index.names
    c1, c2, c3 = st.columns([2, 2, 1])
    if _cat(G)["large"]:
        c1.text_input("Search nodes", key="w_node_q", placeholder="type part of a name")
    c1.selectbox(
        "Find a node",
        [None, *_choices(G, "node", "w_node_q", [state.selected] if state.selected else [])],
        key="w_node",
        format_func=lambda n: (
            "— click the graph or type a name —"
            if n is None
            else f"{names[n]} ({G.nodes[n].get('category') or index.kinds[n]})"
        ),
    )
    c2.multiselect(
        "Show only",
        _cat(G)["filters"],
        key="w_filter",
        placeholder="every category and kind",
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
        st.info(_sentence(view.note) + " Select a node to move the focus.")
    _draw(
        G,
        token,
        view.nodes,
        state.profile,
        result,
        highlight=list(view.highlight),
        selected=selected,
        color_by=color_by or "status",
        key="graph_chart",
    )
    st.caption(
        "Edges point from what is needed to what needs it. Click a node for its details; "
        "the cheapest path to it from your profile is highlighted."
    )
    if selected:
        with st.container(border=True):
            _details(G, selected, state.profile)


def _my_path(G: nx.DiGraph, token: str, state: AppState, result: Plan | None) -> None:
    names = _names(G)
    index = index_of(G)
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
            end = schedule(result.steps, state.pace, date.today())
            m1, m2, m3, m4 = st.columns(4)
            m1.metric("Readiness", f"{result.readiness.score:.0%}")
            m2.metric("Hours to go", f"{result.total_hours:,.0f}")
            m3.metric("Weeks", f"{weeks(result.total_hours, state.pace):,.0f}")
            m4.metric("Done by", end[-1].strftime("%b %Y") if end else "now")
            if not result.exact:
                st.caption(
                    f"{result.combinations:,} combinations of choices: this plan is a "
                    "heuristic, not proven minimal."
                )
            if result.choices:
                st.markdown(
                    "**Choices:** "
                    + esc(
                        "; ".join(
                            f"{names[g]}: {', '.join(names[o] for o in opts)}"
                            for g, opts in result.choices.items()
                        )
                    )
                )
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
                            "#": n,
                            "skill": s.name,
                            "level": f"{s.from_level} → {s.to_level}",
                            "hours": s.hours,
                            "total": s.cumulative_hours,
                            "done by": end[n - 1].isoformat(),
                            "why": "; ".join(r.text for r in s.reasons),
                        }
                        for n, s in enumerate(result.steps[:PLAN_ROWS], 1)
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
        plan_nodes = plan_view(G, result, state.profile, MAX_DRAWN)
        if plan_nodes.note:
            st.caption(_sentence(plan_nodes.note))
        _draw(
            G,
            token,
            plan_nodes.nodes,
            state.profile,
            result,
            highlight=[],
            selected=None,
            color_by="status",
            key="plan_chart",
        )


def _compare(G: nx.DiGraph, state: AppState) -> None:
    names = _names(G)
    roles = _ids(G, "role")
    st.multiselect("Targets to compare", roles, key="w_cmp", format_func=lambda r: names[r])
    targets = list(st.session_state.get("w_cmp") or ())
    if targets:
        comparison = compare(G, state.profile, targets, optional=state.optional)
        rows = []
        for t in comparison.targets:
            try:
                rungs = route(G, state.profile, t.role, optional=state.optional).roles
                climb = " → ".join(names[r] for r in rungs)
            except NoRouteError as exc:
                # A target beside or below the current role: the plan still holds, the ladder
                # just does not lead there.
                climb = f"not up the ladder from {names[exc.start]}"
            rows.append(
                {
                    "target": t.name,
                    "readiness": f"{t.readiness:.0%}",
                    "hours left": t.hours,
                    "weeks": round(weeks(t.hours, state.pace)),
                    "climb": climb,
                    "salary band": salary_text(t.salary),  # type: ignore[arg-type]
                    "only on this path": ", ".join(sorted(names[s] for s in t.distinct)) or "—",
                }
            )
        st.dataframe(rows, hide_index=True, width="stretch", key="compare_table")
        shared = ", ".join(sorted(names[s] for s in comparison.shared))
        st.markdown(f"**Shared by every path:** {esc(shared) if shared else 'nothing'}")
    st.subheader("Salary ladder")
    st.plotly_chart(salary_figure(G), key="salary_chart", width="stretch")
    notes = [G.nodes[r].get("salary_note") for r in roles if G.nodes[r].get("salary_note")]
    for note in dict.fromkeys(notes):
        st.caption(esc(note))


def _export(G: nx.DiGraph, state: AppState, result: Plan | None) -> None:
    st.subheader("Your plan")
    if result is None:
        st.info("Choose a target role in the sidebar to export a plan.")
    else:
        today = date.today()
        c1, c2, c3 = st.columns(3)
        width = c1.number_input("Width (px)", 600, 4000, DEFAULT_SIZE[0], step=100, key="w_ex_w")
        height = c2.number_input("Height (px)", 400, 4000, DEFAULT_SIZE[1], step=100, key="w_ex_h")
        scale = c3.select_slider("Scale (sharpness)", [1, 2, 3], value=2, key="w_ex_s")

        def producer(fmt: str) -> Any:
            # Made when the button is pressed, not on every rerun of the page.
            def produce() -> bytes:
                return export_bytes(
                    G,
                    state.profile,
                    result,
                    fmt,
                    pace=state.pace,
                    start=today,
                    width=int(width),
                    height=int(height),
                    scale=float(scale),
                )

            return produce

        can_render = find_browser() is not None
        if not can_render:
            st.warning(esc(NO_BROWSER))
        names = {
            "png": ("Image (PNG)", "image/png"),
            "svg": ("Image (SVG)", "image/svg+xml"),
            "pdf": ("Document (PDF)", "application/pdf"),
            "md": ("Checklist (Markdown)", "text/markdown"),
            "json": ("Plan (JSON)", "application/json"),
        }
        columns = st.columns(len(names))
        for column, (fmt, (label, mime)) in zip(columns, names.items(), strict=True):
            column.download_button(
                label,
                producer(fmt),
                file_name=f"skilltree-path-{result.target}.{fmt}",
                mime=mime,
                key=f"dl_{fmt}",
                disabled=fmt in IMAGE_FORMATS and not can_render,
                on_click="ignore",
            )
        fig = path_figure(
            G,
            state.profile,
            result,
            pace=state.pace,
            start=today,
            width=int(width),
            height=int(height),
        )
        st.plotly_chart(
            fig,
            key="path_chart",
            width="content",
            config={
                "displaylogo": False,
                "toImageButtonOptions": {
                    "format": "png",
                    "filename": f"skilltree-path-{result.target}",
                    "scale": 2,
                },
            },
        )
    st.subheader("Your profile and the graph")
    c1, c2 = st.columns(2)
    c1.download_button(
        "Profile (JSON)",
        json.dumps(state.profile.to_json(), indent=2),
        file_name="skilltree-profile.json",
        mime="application/json",
        key="dl_profile",
        on_click="ignore",
    )
    c2.download_button(
        "Graph (GraphML, for Gephi or yEd)",
        lambda: graphml_text(G),
        file_name="skilltree.graphml",
        mime="application/xml",
        key="dl_graphml",
        on_click="ignore",
    )


# --- page ------------------------------------------------------------------------------------


def main() -> None:
    st.set_page_config(
        page_title="skilltree — back-end career paths", page_icon="🌳", layout="wide"
    )
    G, token = _active_graph()
    st.session_state.graph_token = token
    _init_state(G, token)
    _profile_upload(G)
    _sidebar(G)

    st.title("skilltree")
    st.caption(
        f"{esc(G.graph.get('name', ''))} — {G.number_of_nodes()} nodes. "
        "Tell it what you know; see how ready you are, the cheapest plan, and what to learn next."
    )
    for warning in st.session_state.get("url_warnings", []):
        st.warning(f"From the link: {esc(warning)}")

    state = _current_state(G)
    result = plan(G, state.profile, state.target, optional=state.optional) if state.target else None
    view = st.radio(
        "View",
        list(VIEWS),
        key="w_view",
        horizontal=True,
        format_func=VIEW_LABELS.get,
        label_visibility="collapsed",
    )
    if view == "explore":
        _explore(G, token, state, result)
    elif view == "path":
        _my_path(G, token, state, result)
    elif view == "compare":
        _compare(G, state)
    else:
        _export(G, state, result)

    # Mirror the state in the URL so that reloading or sharing the link restores it.
    wanted = params_from_state(_current_state(G))
    if {k: st.query_params.get(k) for k in st.query_params} != wanted:
        st.query_params.from_dict(wanted)


try:
    main()
except SkilltreeError as exc:
    st.error(f"Something in the input is wrong: {esc(exc)}")
