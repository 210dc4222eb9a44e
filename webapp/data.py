"""Which ladder the app uses, loaded once and shared by every session.

The ladder comes from ``-- --data FILE`` / ``$SKILLTREE_DATA`` or the built-in one, or from an
upload in the sidebar's Data panel. Loading is cached per file (and its modification time) or
per upload digest; a bad file keeps the data in use and shows every problem. Per-graph lists for
the widgets (the catalogue) and layouts are cached here too.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import streamlit as st

from skilltree import DataError, graph_from_text, index_of, load_graph
from skilltree.views import graph_figure, layered_layout, readiness_figure
from skilltree.views import markdown_escape as esc

from .ui import show_problems

__all__ = [
    "MAX_UPLOAD_BYTES",
    "SEARCH_ABOVE",
    "Catalogue",
    "active_graph",
    "catalogue",
    "positions",
]

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Above this many nodes, long pickers become a search box and the matches.
SEARCH_ABOVE = 500


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


def positions(G: nx.DiGraph, token: str, nodes: Iterable[str]) -> dict[str, tuple[float, float]]:
    """The layout of the drawn nodes, cached per graph and node set."""
    return _positions(token, tuple(sorted(nodes)), G)


def active_graph() -> tuple[nx.DiGraph, str]:
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
        show_problems(f"The data file {start} is invalid; using the built-in ladder.", exc)
        G, token = _load_path(None, 0.0), "path:None:0.0"

    ss = st.session_state
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
            elif ss.get("upload_digest") != digest:
                try:
                    _load_upload(digest, raw, upload.name)
                except DataError as exc:
                    show_problems(f"{upload.name} is invalid; keeping the current data.", exc)
                else:
                    ss.upload_digest = digest
                    ss.upload = (raw, upload.name)
        if ss.get("upload") and st.button("Back to the built-in ladder"):
            ss.upload = None
            ss.upload_digest = None
    if ss.get("upload"):
        raw, name = ss.upload
        digest = ss.upload_digest
        return _load_upload(digest, raw, name), f"upload:{digest}"
    return G, token


@dataclass(frozen=True)
class Catalogue:
    """Sorted lists for the widgets, made once per graph rather than on every rerun."""

    roles: tuple[str, ...]
    tops: tuple[str, ...]
    skills: tuple[str, ...]
    nodes: tuple[str, ...]
    filters: tuple[str, ...]
    folded: dict[str, str]
    large: bool

    def ids(self, kind: str) -> tuple[str, ...]:
        return {"role": self.roles, "skill": self.skills, "node": self.nodes}[kind]


@st.cache_resource(max_entries=8)
def _catalogue(token: str, _G: nx.DiGraph) -> Catalogue:
    index = index_of(_G)
    names = index.names

    def by_name(ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(ids, key=lambda n: (names[n].casefold(), n)))

    ladder = tuple(index.ladder())
    return Catalogue(
        roles=ladder,
        tops=tuple(r for r in ladder if not index.next_roles[r]),
        skills=by_name(index.hours),
        nodes=by_name(index.kinds),
        filters=tuple(sorted(index.by_group)),
        folded={n: names[n].casefold() for n in index.kinds},
        large=len(index.kinds) > SEARCH_ABOVE,
    )


def catalogue(G: nx.DiGraph, token: str) -> Catalogue:
    """The widget lists of the graph in use."""
    return _catalogue(token, G)
