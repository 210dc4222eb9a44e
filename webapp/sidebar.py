"""The sidebar: the person's profile (current role, skills and levels) and their goal (target
role, pace, optional requirements)."""

from __future__ import annotations

import networkx as nx
import streamlit as st

from skilltree import index_of

from .data import Catalogue
from .session import LEVEL_PREFIX, choices, level_label
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
        sb.select_slider(
            esc(names.get(skill, skill)),
            options=[level_label(n, index.levels) for n in range(1, top + 1)],
            key=f"{LEVEL_PREFIX}{skill}",
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
