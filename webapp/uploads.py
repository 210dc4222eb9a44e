"""Files a person brings: a profile (JSON) into the widgets.

Uploads are untrusted: each is read once per distinct content (by digest), checked, and either
applied whole or refused with every problem shown. A refused file is remembered (per session,
and by digest and ladder for every session, the last :data:`~webapp.data.FAILURES_KEPT`), so
that a rerun shows its problems again without checking it again.
"""

from __future__ import annotations

import hashlib

import networkx as nx
import streamlit as st

from skilltree import ProfileError, index_of, profile_from_bytes

from .data import Catalogue, failures
from .session import apply_state, current_state
from .ui import esc

__all__ = ["profile_upload"]


def _refuse(name: str, error: ProfileError) -> None:
    st.error(
        f"**{esc(name)}** was not loaded:\n\n"
        + "\n".join(f"- {esc(p)}" for p in error.problems[:30])
    )


def profile_upload(G: nx.DiGraph, cat: Catalogue, views: tuple[str, ...]) -> None:
    """Load a profile from a JSON file into the widgets (once per distinct file)."""
    ss = st.session_state
    with st.sidebar.expander("Profile file", expanded=False):
        upload = st.file_uploader("Load a profile (JSON)", type=["json"], key="profile_upload")
        if upload is None:
            ss.profile_refused = None
            return
        raw = upload.getvalue()
        digest = hashlib.sha256(raw).hexdigest()
        if ss.get("profile_digest") == digest:
            return
        # A profile is checked against the ladder: a file refused for one may suit another.
        key = ("profile", ss.get("graph_token") or str(id(G)), digest)
        refused = ss.get("profile_refused")
        if refused is not None and refused[0] == key:
            _refuse(upload.name, refused[1])
            return
        failed = failures.get(key)
        if isinstance(failed, ProfileError):
            ss.profile_refused = (key, failed)
            _refuse(upload.name, failed)
            return
        try:
            profile = profile_from_bytes(G, raw, upload.name)
        except ProfileError as exc:
            failures.add(key, exc)
            ss.profile_refused = (key, exc)
            _refuse(upload.name, exc)
            return
        ss.profile_digest = digest
        ss.profile_refused = None
        now = current_state(G, cat, views)
        apply_state(now.with_(profile=profile), cat, index_of(G).levels)
        st.success(f"Loaded {len(profile.skills)} skills from {esc(upload.name)}.")
