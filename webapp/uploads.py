"""Files a person brings: a profile (JSON) into the widgets.

Uploads are untrusted: each is read once per distinct content (by digest), checked, and either
applied whole or refused with every problem shown.
"""

from __future__ import annotations

import hashlib

import networkx as nx
import streamlit as st

from skilltree import ProfileError, index_of, profile_from_bytes

from .data import Catalogue
from .session import apply_state, current_state
from .ui import esc

__all__ = ["profile_upload"]


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
