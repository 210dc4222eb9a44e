"""The sidebar: the person's profile (current role, skills and levels, a profile file) and
their goal (target role, pace, optional requirements)."""

from __future__ import annotations

import hashlib

import networkx as nx
import streamlit as st

from skilltree import ProfileError, index_of, profile_from_bytes

from .data import Catalogue
from .session import LEVEL_PREFIX, apply_state, choices, current_state, level_label
from .state import MAX_PACE
from .ui import esc

__all__ = ["profile_upload", "sidebar"]


def profile_upload(G: nx.DiGraph, cat: Catalogue, views: tuple[str, ...]) -> None:
    """Load a profile from a JSON file into the widgets (once per distinct file)."""
    with st.sidebar.expander("Profile file", expanded=False):
        upload = st.file_uploader("Load a profile (JSON)", type=["json"], key="profile_upload")
        if upload is None:
            return
        raw = upload.getvalue()
        digest = hashlib.sha256(raw).hexdigest()
        if st.session_state.get("profile_digest") == digest:
            return
        try:
            profile = profile_from_bytes(G, raw, upload.name)
        except ProfileError as exc:
            st.error(
                f"**{esc(upload.name)}** was not loaded:\n\n"
                + "\n".join(f"- {esc(p)}" for p in exc.problems[:30])
            )
            return
        st.session_state.profile_digest = digest
        now = current_state(G, cat, views)
        apply_state(now.with_(profile=profile), cat, index_of(G).levels)
        st.success(f"Loaded {len(profile.skills)} skills from {esc(upload.name)}.")


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
