"""Which ladder the app uses, loaded once and shared by every session.

The ladder comes from ``-- --data FILE`` / ``$SKILLTREE_DATA`` or the built-in one (the start
ladder), or from an upload in the sidebar's Data panel, or from a link (``data=<digest>``) to a
ladder someone uploaded before. Uploaded ladders are kept in the ladder store
(:mod:`skilltree.io.store`; ``-- --db FILE`` / ``$SKILLTREE_DB``, ``off`` for none) so that a
reload or a shared link brings them back; if the store cannot be used the app serves without it
and says so.

Work per visitor is bounded: an upload is checked once per distinct content, whether it loads or
not (failures are remembered by digest, the last :data:`FAILURES_KEPT`); a start file is checked
once per version, and a broken version keeps the last good one in service. The garbage
collector is frozen once per process, after the first start ladder (which lives as long as the
server); uploaded graphs are never frozen, so an evicted one is freed. Per-graph lists for the
widgets (the catalogue) and layouts are cached here too.
"""

from __future__ import annotations

import argparse
import functools
import gc
import hashlib
import os
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import streamlit as st

from skilltree import (
    DataError,
    Problem,
    Profile,
    SkilltreeError,
    graph_from_text,
    index_of,
    load_graph,
    next_steps,
    readiness_scores,
)
from skilltree.gcpause import gc_paused
from skilltree.io import READERS, reader_for
from skilltree.io.document import MAX_JSON_BYTES, too_big
from skilltree.io.store import (
    DIGEST,
    MAX_LADDER_BYTES,
    MAX_TOTAL_BYTES,
    LadderStore,
    StoreUnavailable,
    default_store_path,
)
from skilltree.views import graph_figure, readiness_figure
from skilltree.views import markdown_escape as esc

from .ui import forget_figures, show_problems

__all__ = [
    "FAILURES_KEPT",
    "MAX_UPLOAD_BYTES",
    "SEARCH_ABOVE",
    "Catalogue",
    "Failures",
    "Settings",
    "active_graph",
    "catalogue",
    "failures",
    "ladder_store",
    "settings",
    "shown_path",
    "start_afresh",
]

MAX_UPLOAD_BYTES = MAX_LADDER_BYTES
# Above this many nodes, long pickers become a search box and the matches.
SEARCH_ABOVE = 500
#: Failed uploads (data and profiles) remembered by digest, so a rerun never checks them again.
FAILURES_KEPT = 32
#: A store that could not be opened is tried again after this many seconds.
STORE_RETRY_SECONDS = 60.0
#: Start files whose last good graph is kept (in practice one, plus the built-in ladder).
_START_FILES_KEPT = 4
_OFF = ("off", "none", "no", "0")

GONE = "the ladder in this link is no longer stored on this server; showing the built-in ladder"


# -- settings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """What the server was started with: the start file and the ladder store."""

    data: str | None
    db: str | None  # None: no store
    db_total: int


def settings() -> Settings:
    """``-- --data FILE --db FILE --db-total-mib N``, else ``$SKILLTREE_DATA``,
    ``$SKILLTREE_DB`` (``off`` for no store; default under the user's data folder) and
    ``$SKILLTREE_DB_TOTAL_MIB``."""
    env = tuple(os.environ.get(k) for k in ("SKILLTREE_DATA", "SKILLTREE_DB", "XDG_DATA_HOME"))
    return _settings(tuple(sys.argv[1:]), env, os.environ.get("SKILLTREE_DB_TOTAL_MIB"))


@functools.lru_cache(maxsize=8)
def _settings(argv: tuple[str, ...], _env: tuple[str | None, ...], _total: str | None) -> Settings:
    # Worked out once per command line and environment, not on every rerun.
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data")
    parser.add_argument("--db")
    parser.add_argument("--db-total-mib")
    known, _rest = parser.parse_known_args(list(argv))
    data = known.data or os.environ.get("SKILLTREE_DATA") or None
    db = known.db if known.db is not None else os.environ.get("SKILLTREE_DB")
    if db is not None and db.strip().casefold() in _OFF:
        db_path: str | None = None
    else:
        try:
            db_path = str(Path(db).expanduser()) if db else str(default_store_path())
        except StoreUnavailable:
            db_path = None
    total_text = known.db_total_mib or os.environ.get("SKILLTREE_DB_TOTAL_MIB") or ""
    try:
        total = int(float(total_text) * 1024 * 1024) if total_text else MAX_TOTAL_BYTES
    except (ValueError, OverflowError):  # not a number, or infinite
        total = MAX_TOTAL_BYTES
    return Settings(data, db_path, max(total, 2 * MAX_LADDER_BYTES))


def shown_path(path: str) -> str:
    """A server file as users may see it: relative to the working directory, else its name.

    >>> shown_path("data/mine.yaml"), shown_path("/somewhere/else/mine.yaml")
    ('data/mine.yaml', 'mine.yaml')
    """
    p = Path(path)
    if not p.is_absolute():
        return os.path.normpath(path)
    try:
        return str(p.relative_to(Path.cwd()))
    except ValueError:
        return p.name


# -- remembered failures ----------------------------------------------------------------------


class Failures:
    """The last ``size`` failures by key (a content digest, say), shared by every session."""

    def __init__(self, size: int):
        self._size = size
        self._items: OrderedDict[Hashable, SkilltreeError] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> SkilltreeError | None:
        with self._lock:
            return self._items.get(key)

    def add(self, key: Hashable, error: SkilltreeError) -> None:
        # Keep the message, not the frames: a traceback would pin the parsed document.
        error.__traceback__ = error.__context__ = error.__cause__ = None
        with self._lock:
            self._items[key] = error
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


#: Failed data and profile uploads, by digest (and reader, or graph for a profile).
failures = Failures(FAILURES_KEPT)


# -- loading ----------------------------------------------------------------------------------

_frozen = False
_freeze_lock = threading.Lock()


def start_afresh() -> None:
    """Forget what this process loaded, kept and froze, as a new server process starts: for
    benchmarks that serve several start ladders, one after the other, in one process."""
    global _frozen
    st.cache_resource.clear()
    st.cache_data.clear()
    forget_figures()
    with _freeze_lock:
        gc.collect()
        gc.unfreeze()
        _frozen = False


def _freeze_once() -> None:
    """Keep the collector from walking the start graph on every pass: once per process.

    Freezing again for each new graph would make every graph alive at that moment permanent,
    leaking it once evicted; so only the first start ladder is frozen, never an upload.
    """
    global _frozen
    with _freeze_lock:
        if not _frozen:
            gc.collect()
            gc.freeze()
            _frozen = True


@gc_paused()  # the tables below stay alive as long as the graph: no collections while built
def _prepared(G: nx.DiGraph) -> nx.DiGraph:
    # Build the per-graph tables now, under the loading spinner, rather than on a first click.
    index = index_of(G)
    index.uses("")
    # Readiness for every role and what to learn next read tables over every role and skill.
    readiness_scores(G, Profile())
    next_steps(G, Profile(), limit=1)
    # plotly loads each trace type's classes on first use (a tenth of a second): pay it here.
    some = next(iter(index.roles), None)
    if some is not None:
        readiness_figure({some: 0.0}, index.names)
        graph_figure(G, {some: (0.0, 0.0)})
    return G


def _read_start_file(path: str, label: str) -> nx.DiGraph:
    """A start file's graph; every message names it by ``label``, never by its full path."""
    try:
        size = os.stat(path).st_size
        if size > MAX_JSON_BYTES:
            raise DataError([Problem(label, "", too_big(size, MAX_JSON_BYTES))])
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise DataError(
            [Problem(label, "", f"cannot read the file: {exc.strerror or exc}")]
        ) from None
    return graph_from_text(raw, label)


Stamp = tuple[int, int]


@dataclass
class _StartFile:
    good: tuple[Stamp | None, nx.DiGraph] | None = None
    bad: tuple[Stamp | None, DataError] | None = None


@dataclass(frozen=True)
class _Start:
    G: nx.DiGraph
    token: str
    label: str  # "" for the built-in ladder
    error: DataError | None = None  # the current version is broken (G is the last good one)
    fallback: bool = False  # broken with no good version: G is the built-in ladder


_start_files: OrderedDict[str | None, _StartFile] = OrderedDict()
_start_lock = threading.Lock()
_load_lock = threading.Lock()


def _stamp(path: str | None) -> Stamp | None:
    if path is None:
        return (0, 0)
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_mtime_ns, found.st_size)


def _start_file(path: str | None) -> tuple[nx.DiGraph, Stamp | None, DataError | None]:
    """The last good graph of a start file (None if none) and the error of its current version.

    Each version (modification time and size) is checked once; a broken version is not
    checked again, and the last good graph stays in service.
    """
    stamp = _stamp(path)
    with _start_lock:
        entry = _start_files.setdefault(path, _StartFile())
        _start_files.move_to_end(path)
        while len(_start_files) > _START_FILES_KEPT:
            _start_files.popitem(last=False)
    good, bad = entry.good, entry.bad
    if good is not None and good[0] == stamp:
        return good[1], stamp, None
    if bad is not None and bad[0] == stamp:
        return (good[1] if good else None), (good[0] if good else None), bad[1]
    # One load at a time; while one runs, the others keep serving the last good graph.
    if not _load_lock.acquire(blocking=good is None):
        assert good is not None
        return good[1], good[0], None
    try:
        if entry.good is not None and entry.good[0] == stamp:
            return entry.good[1], stamp, None
        try:
            with st.spinner("Loading and checking the career graph…"):
                G = load_graph(None) if path is None else _read_start_file(path, shown_path(path))
                _prepared(G)
        except DataError as exc:
            entry.bad = (stamp, exc)
            good = entry.good
            return (good[1] if good else None), (good[0] if good else None), exc
        entry.good, entry.bad = (stamp, G), None
        _freeze_once()
        return G, stamp, None
    finally:
        _load_lock.release()


def _start(path: str | None) -> _Start:
    G, stamp, error = _start_file(path)
    label = shown_path(path) if path else ""
    if G is not None:
        return _Start(G, f"path:{path}:{stamp}", label, error)
    builtin, stamp, broken = _start_file(None)
    if builtin is None:  # the ladder shipped with the app is broken: nothing to serve
        raise broken or DataError([Problem("data", "", "no ladder could be loaded")])
    return _Start(builtin, f"path:None:{stamp}", label, error, fallback=True)


class _Gone(Exception):
    """The ladder asked for is no longer kept anywhere."""


@st.cache_resource(show_spinner="Loading and checking the uploaded graph…", max_entries=4)
def _load_upload(digest: str, reader: str, _fetch: Callable[[], tuple[bytes, str]]) -> nx.DiGraph:
    # A graph the cache let go of is a web of cycles (networkx's views refer back to their
    # graph) that only a full collection frees; loading holds the collector off, so run one
    # here, before this graph's allocations, to free any evicted upload first.
    gc.collect()
    raw, name = _fetch()
    return _prepared(graph_from_text(raw, name))


def _reader_name(name: str) -> str:
    try:
        return reader_for(name).name
    except DataError:
        return ""


@dataclass(frozen=True)
class _OpenStore:
    store: LadderStore | None
    reason: str
    when: float


_stores: dict[tuple[str, int], _OpenStore] = {}
_stores_lock = threading.Lock()


def ladder_store(config: Settings | None = None) -> tuple[LadderStore | None, str]:
    """The ladder store, or ``None`` and why not (``""`` when it is turned off).

    A store that cannot be opened is tried again after :data:`STORE_RETRY_SECONDS`.
    """
    config = config or settings()
    if config.db is None:
        return None, ""
    key = (config.db, config.db_total)
    now = time.monotonic()
    with _stores_lock:
        known = _stores.get(key)
        if known is not None and (
            known.store is not None or now - known.when < STORE_RETRY_SECONDS
        ):
            return known.store, known.reason
        try:
            opened = _OpenStore(LadderStore(config.db, max_total_bytes=config.db_total), "", now)
        except StoreUnavailable as exc:
            opened = _OpenStore(None, exc.reason, now)
        _stores[key] = opened
    return opened.store, opened.reason


def _without_store(reason: str) -> str:
    return (
        "The ladder store cannot be used right now "
        f"({reason}); uploaded ladders are kept for this session only, and links to them "
        "will not bring them back."
    )


# -- the ladder in use ------------------------------------------------------------------------


def _upload_types() -> list[str]:
    return sorted({ext.lstrip(".") for reader in READERS.values() for ext in reader.extensions})


def _upload_label() -> str:
    labels = [reader.label for reader in READERS.values()]
    listed = ", ".join(labels[:-1]) + f" or {labels[-1]}" if len(labels) > 1 else labels[0]
    return f"Your own ladder ({listed})"


def _showing(start: _Start) -> str:
    """What is shown instead of a ladder that cannot be had."""
    if start.fallback or not start.label:
        return "showing the built-in ladder"
    return f"showing {start.G.graph.get('name') or start.label}"


def _brief(error: BaseException) -> str:
    """An error in one line: a data file's first problem and how many more."""
    if isinstance(error, DataError) and error.problems:
        more = len(error.problems) - 1
        return str(error.problems[0]) + (f" (and {more:,} more problems)" if more else "")
    return str(error)


def _restore_from_link(start: _Start, store: LadderStore | None, reason: str) -> None:
    """On a session's first run: the ladder a link names (``data=<digest>``), if it is kept."""
    ss = st.session_state
    digest = st.query_params.get("data")
    if not isinstance(digest, str) or not DIGEST.match(digest):
        return
    found: tuple[bytes, str] | None = None
    if store is not None:
        try:
            found = store.get(digest)
        except StoreUnavailable as exc:
            reason = exc.reason
            store = None
    if store is None and reason:
        ss.data_notice = (
            f"The ladder in this link cannot be fetched: the ladder store is unavailable "
            f"({reason}); {_showing(start)}."
        )
        return
    if found is None:
        ss.data_notice = GONE.replace("showing the built-in ladder", _showing(start))
        ss.data_notice = ss.data_notice[:1].upper() + ss.data_notice[1:] + "."
        return
    raw, name = found
    reader = _reader_name(name)
    failed = failures.get(("data", digest, reader))
    if failed is None:
        try:
            _load_upload(digest, reader, lambda: (raw, name))
        except DataError as exc:
            failures.add(("data", digest, reader), exc)
            failed = exc
    if failed is not None:
        ss.data_notice = (
            f"The ladder in this link ({name}) no longer loads here: {_brief(failed)}; "
            f"{_showing(start)}."
        )
        return
    ss.data_digest, ss.data_name, ss.data_origin, ss.data_raw = digest, name, "link", None


def _check_upload(raw: bytes, name: str, digest: str) -> SkilltreeError | str | None:
    """Load an upload (once per distinct content); None if it loaded, else why not."""
    if len(raw) > MAX_UPLOAD_BYTES:
        return (
            f"{name} is {len(raw):,} bytes, over the {MAX_UPLOAD_BYTES:,}-byte limit; "
            "keeping the current data."
        )
    reader = _reader_name(name)
    failed = failures.get(("data", digest, reader))
    if failed is not None:
        return failed
    try:
        _load_upload(digest, reader, lambda: (raw, name))
    except DataError as exc:
        failures.add(("data", digest, reader), exc)
        return exc
    return None


def _show_refusal(name: str, error: SkilltreeError | str) -> None:
    if isinstance(error, DataError):
        show_problems(f"{name} is invalid; keeping the current data.", error)
    else:
        st.error(esc(f"{name}: {error}" if isinstance(error, SkilltreeError) else error))


def _use_upload(raw: bytes, name: str, digest: str, store: LadderStore | None) -> str | None:
    """Make a loaded upload the session's ladder, kept in the store; a note if it is not."""
    ss = st.session_state
    ss.data_digest, ss.data_name, ss.data_origin, ss.data_raw = digest, name, "upload", None
    ss.data_notice = None
    if store is None:
        ss.data_raw = raw
        return f"{name} is in use for this session only: this server does not keep uploaded " + (
            "ladders, so a link will not bring it back."
        )
    try:
        store.put(raw, name)
    except SkilltreeError as exc:  # StoreUnavailable, or over a smaller per-ladder cap
        ss.data_raw = raw
        return f"{name} is in use for this session only, not kept for links: {exc}."
    return None


def _back() -> None:
    ss = st.session_state
    ss.data_digest = ss.data_name = ss.data_origin = ss.data_raw = ss.data_notice = None
    ss.data_upload_seen = None
    # A new key gives an empty uploader, so the file does not come back on the next run.
    ss.data_upload_round = int(ss.get("data_upload_round") or 0) + 1


def _session_graph(start: _Start, store: LadderStore | None) -> tuple[nx.DiGraph, str] | None:
    """The uploaded or linked ladder the session uses, if any (and if it is still kept)."""
    ss = st.session_state
    digest, name = ss.get("data_digest"), ss.get("data_name") or ""
    if not digest:
        return None
    raw = ss.get("data_raw")

    def fetch() -> tuple[bytes, str]:
        if raw is not None:
            return raw, name
        found = store.get(digest) if store is not None else None
        if found is None:
            raise _Gone(digest)
        return found

    try:
        G = _load_upload(digest, _reader_name(name), fetch)
    except (_Gone, StoreUnavailable, DataError) as exc:
        ss.data_digest = ss.data_name = ss.data_origin = ss.data_raw = None
        why = (
            "is no longer stored on this server"
            if isinstance(exc, _Gone)
            else f"cannot be loaded ({_brief(exc)})"
        )
        ss.data_notice = f"The ladder {name} {why}; {_showing(start)}."
        return None
    return G, f"upload:{digest}"


def active_graph() -> tuple[nx.DiGraph, str]:
    """The graph in use and a token naming it (for caches): a session's upload or linked
    ladder, else the start ladder."""
    config = settings()
    start = _start(config.data)
    if start.error is not None:
        what = (
            "using the built-in ladder" if start.fallback else "still using its last good version"
        )
        show_problems(f"The data file {start.label} is invalid; {what}.", start.error)
    store, reason = ladder_store(config)

    ss = st.session_state
    if not ss.get("data_checked"):
        ss.data_checked = True
        _restore_from_link(start, store, reason)

    with st.sidebar.expander("Data", expanded=False):
        in_use = st.empty()
        upload = st.file_uploader(
            _upload_label(),
            type=_upload_types(),
            key=f"data_upload_{int(ss.get('data_upload_round') or 0)}",
            help=f"Checked before use; a bad file changes nothing. At most "
            f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
        )
        if upload is None:
            ss.data_upload_seen = None
        else:
            raw = upload.getvalue()
            digest = hashlib.sha256(raw).hexdigest()
            seen = ss.get("data_upload_seen")
            if seen is not None and seen[0] == digest:
                # Checked already in this session: show the refusal again, never check again.
                if seen[1] is not None:
                    _show_refusal(upload.name, seen[1])
            else:
                error = _check_upload(raw, upload.name, digest)
                ss.data_upload_seen = (digest, error)
                if error is None:
                    note = _use_upload(raw, upload.name, digest, store)
                    if note:
                        st.warning(esc(note))
                else:
                    _show_refusal(upload.name, error)
        chosen = _session_graph(start, store)
        G, token = chosen if chosen is not None else (start.G, start.token)
        in_use.caption(f"In use: **{esc(G.graph.get('name', ''))}** — {esc(_origin(start))}")
        if chosen is not None:
            st.button(
                "Back to the built-in ladder"
                if not config.data
                else f"Back to {start.G.graph.get('name') or 'the server’s ladder'}",
                key="data_back",
                on_click=_back,
            )
        if reason:
            st.caption(esc(_without_store(reason)))
    if ss.get("data_notice"):
        st.warning(esc(ss.data_notice))
    return G, token


def _origin(start: _Start) -> str:
    ss = st.session_state
    if ss.get("data_digest"):
        how = "uploaded" if ss.get("data_origin") == "upload" else "from a link"
        return f"{how} ({ss.get('data_name')})"
    if start.fallback or not start.label:
        return "the built-in ladder"
    return f"from the file {start.label}"


# -- per-graph lists --------------------------------------------------------------------------


#: Searches a catalogue keeps the answer of (cleared when full).
SEARCHES_KEPT = 64


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
    #: The last searches' answers: a search box's text stays while the person clicks around,
    #: and each rerun would otherwise scan every name of a large ladder again.
    _found: dict[tuple[str, str], tuple[str, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def ids(self, kind: str) -> tuple[str, ...]:
        return {"role": self.roles, "skill": self.skills, "node": self.nodes}[kind]

    def search(self, query: str, kind: str = "node") -> tuple[str, ...]:
        """Every id of ``kind`` whose name (casefolded) or id holds ``query``, in list order."""
        key = (query, kind)
        found = self._found.get(key)
        if found is None:
            found = tuple(n for n in self.ids(kind) if query in self.folded[n] or query in n)
            if len(self._found) >= SEARCHES_KEPT:
                self._found.clear()
            self._found[key] = found
        return found


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
