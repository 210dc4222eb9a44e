"""The sidebar: the person's profile (current role, skills and levels) and their goal (target
role, pace, optional requirements); and the first screen's two questions, which fill them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx
import streamlit as st

from skilltree import index_of

from .data import Catalogue
from .session import LEVEL_PREFIX, choices, level_options, set_level
from .state import MAX_PACE, AppState
from .ui import esc

__all__ = ["sidebar", "welcome"]

CHOOSE_ROLE = "— choose a role —"


def sidebar(G: nx.DiGraph, cat: Catalogue) -> None:
    """The profile and goal widgets."""
    index = index_of(G)
    names = index.names
    sb = st.sidebar
    sb.header("Your profile")
    _role_box(
        sb,
        "Current role",
        "w_role",
        _roles(sb, cat, "w_role", "w_role_q"),
        names,
        help="The rung you are on now: what it asks is counted as yours (see below).",
    )
    if cat.large:
        sb.text_input(
            "Search skills",
            key="w_skill_q",
            placeholder="type part of a name",
            help="On a ladder this large, the skill lists below offer what this search finds.",
        )
    _skills_box(sb, cat, names, "Skills you have", "w_skills", "— type a skill you know —")
    for skill in st.session_state.get("w_skills", []):
        top = index.top_level(skill) if skill in index.hours else len(index.levels)
        options = level_options(top, index.levels)
        key = f"{LEVEL_PREFIX}{skill}"
        if st.session_state.get(key) not in options:
            # A skill just added is held at level 1 until the person says otherwise.
            st.session_state[key] = options[1]
        sb.select_slider(esc(names.get(skill, skill)), options=options, key=key)
    sb.toggle(
        "Assume what my role asks",
        key="w_assume",
        help="Counts the skills your current role asks for as held; correct any skill above.",
    )
    _skills_box(
        sb,
        cat,
        names,
        "Your stack (preferred)",
        "w_prefer",
        "— e.g. Python, Django, PostgreSQL —",
        help="Plans pick these whenever they can meet a choice, even when dearer.",
    )
    _skills_box(
        sb,
        cat,
        names,
        "Avoid",
        "w_avoid",
        "— skills you would rather not learn —",
        help="Plans never pick these unless nothing else can meet a requirement.",
    )
    sb.header("Your goal")
    _role_box(sb, "Target role", "w_target", _roles(sb, cat, "w_target", "w_target_q"), names)
    sb.number_input(
        "Pace (hours per week)", min_value=1.0, max_value=MAX_PACE, step=1.0, key="w_pace"
    )
    sb.toggle("Include optional requirements", key="w_opt")


def _roles(where: Any, cat: Catalogue, key: str, query_key: str) -> list[str | None]:
    """A role picker's options: every role; or on a large ladder (thousands of roles, sent to
    the browser on every rerun), a search box above the picker, and what it finds after the
    role already chosen."""
    if not cat.large:
        return [None, *cat.roles]
    where.text_input(
        "Search roles",
        key=query_key,
        placeholder="type part of a role's name",
        help="On a ladder this large, the list below offers what this search finds.",
    )
    chosen = st.session_state.get(key)
    return [None, *choices(cat, "role", query_key, [chosen] if chosen else ())]


def _role_box(
    where: Any,
    label: str,
    key: str,
    options: Sequence[str | None],
    names: Mapping[str, str],
    **extra: Any,
) -> None:
    """A role picker; None in its options reads as the prompt to choose one."""
    where.selectbox(
        label,
        options,
        key=key,
        placeholder=CHOOSE_ROLE,
        format_func=lambda r: CHOOSE_ROLE if r is None else names[r],
        **extra,
    )


def _skills_box(
    where: Any,
    cat: Catalogue,
    names: Mapping[str, str],
    label: str,
    key: str,
    placeholder: str,
    help: str | None = None,
) -> None:
    """A skills picker; on a large ladder it offers what the skill search finds and what the
    picker already holds."""
    where.multiselect(
        label,
        choices(cat, "skill", "w_skill_q", st.session_state.get(key) or ()),
        key=key,
        format_func=lambda s: names[s],
        placeholder=placeholder,
        help=help,
    )


#: The first screen's role questions: widget key → (label, the sidebar widget it fills, help).
QUESTIONS = {
    "hello_role": (
        "1 · Where are you now?",
        "w_role",
        "Your current rung; what it asks is counted as yours.",
    ),
    "hello_target": (
        "2 · Where do you want to go?",
        "w_target",
        "The role you aim for: you get the cheapest plan to it.",
    ),
}


def _question(where: Any, key: str, roles: Sequence[str], names: Mapping[str, str]) -> None:
    label, fills, help_text = QUESTIONS[key]
    _role_box(
        where,
        label,
        key,
        roles,
        names,
        help=help_text,
        index=None,
        on_change=_take,
        args=(key, fills),
    )


def _take(source: str, target: str) -> None:
    """Copy a first-screen answer into the sidebar's widget (before the sidebar is drawn)."""
    st.session_state[target] = st.session_state.get(source)


def _take_skills(levels: tuple[str, ...]) -> None:
    ss = st.session_state
    chosen = list(ss.get("hello_skills") or ())
    ss.w_skills = [s for s in ss.get("w_skills") or () if s in chosen]
    for skill in chosen:
        if skill not in ss.w_skills:
            set_level(skill, 1, levels)


def welcome(G: nx.DiGraph, cat: Catalogue, state: AppState) -> None:
    """The first screen's two questions, asked until both have an answer: where am I, where do
    I want to go. The answers go to the sidebar, which keeps them from then on."""
    index = index_of(G)
    names = index.names
    ss = st.session_state
    # Answers given elsewhere (the sidebar, a link) show here too.
    ss.hello_role = state.profile.role
    ss.hello_target = state.target
    ss.hello_skills = [s for s in state.profile.skills if s in index.hours]
    with st.container(border=True, key="welcome"):
        st.markdown(
            "**Two questions to start** — or just click around the map below. Your answers "
            "stay in the sidebar and in the link, to share or bookmark."
        )
        here, have, there = st.columns(3)
        _question(here, "hello_role", cat.roles, names)
        if not cat.large:
            have.multiselect(
                "… or the skills you have",
                list(cat.skills),
                key="hello_skills",
                placeholder="— type a skill you know —",
                format_func=lambda s: names[s],
                on_change=_take_skills,
                args=(index.levels,),
            )
        _question(there, "hello_target", cat.roles, names)
