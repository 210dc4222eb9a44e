"""The sidebar: the person's profile (current role, skills and levels) and their goal (target
role, pace, optional requirements)."""

from __future__ import annotations

import networkx as nx
import streamlit as st

from skilltree import index_of

from .data import Catalogue
from .session import LEVEL_PREFIX, choices, level_options
from .state import MAX_PACE
from .ui import esc

__all__ = ["sidebar"]


def sidebar(G: nx.DiGraph, cat: Catalogue) -> None:
    """The profile and goal widgets."""
    index = index_of(G)
    names = index.names
    sb = st.sidebar
    sb.header("Your profile")
    sb.selectbox(
        "Current role",
        [None, *cat.roles],
        key="w_role",
        format_func=lambda r: "— none yet —" if r is None else names[r],
    )
    current = list(st.session_state.get("w_skills") or ())
    if cat.large:
        sb.text_input("Search skills", key="w_skill_q", placeholder="type part of a name")
    sb.multiselect(
        "Skills you have",
        choices(cat, "skill", "w_skill_q", current),
        key="w_skills",
        format_func=lambda s: names[s],
        placeholder="Type to find a skill",
    )
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
    sb.multiselect(
        "Your stack (preferred)",
        list(cat.skills),
        key="w_prefer",
        format_func=lambda s: names[s],
        placeholder="e.g. Python, Django, PostgreSQL",
        help="Plans pick these whenever they can meet a choice, even when dearer.",
    )
    sb.multiselect(
        "Avoid",
        list(cat.skills),
        key="w_avoid",
        format_func=lambda s: names[s],
        placeholder="skills you would rather not learn",
        help="Plans never pick these unless nothing else can meet a requirement.",
    )
    sb.header("Your goal")
    sb.selectbox(
        "Target role",
        [None, *cat.roles],
        key="w_target",
        format_func=lambda r: "— choose a role —" if r is None else names[r],
    )
    sb.number_input(
        "Pace (hours per week)", min_value=1.0, max_value=MAX_PACE, step=1.0, key="w_pace"
    )
    sb.toggle("Include optional requirements", key="w_opt")
