"""Uploaded ladders kept on disk, addressed by their content, shared by every app process.

A ladder someone uploads is kept in a SQLite file under the SHA-256 digest of its bytes, so a
link can name it (``data=<digest>``) and any process pointed at the same file can serve it. The
store is bounded: each ladder is capped (:data:`MAX_LADDER_BYTES`, the upload cap) and so is the
whole (:data:`MAX_TOTAL_BYTES` by default); storing past the total evicts the ladders used
least recently. Every ladder also counts :data:`ENTRY_OVERHEAD` bytes, so many tiny ones are
bounded too.

The database runs in WAL mode (readers never wait for a writer) with a busy timeout, and each
call opens its own connection, so threads and processes can share the file. Whatever goes wrong
with the file itself (corrupt, locked for longer than the timeout, unwritable, not ours) raises
:class:`StoreUnavailable`: a shell catches it and carries on without the store.

The default file is ``$SKILLTREE_DB``, else ``$XDG_DATA_HOME/skilltree/ladders.sqlite3``, else
``~/.local/share/skilltree/ladders.sqlite3`` (see :func:`default_store_path`).
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from ..errors import SkilltreeError

__all__ = [
    "DIGEST",
    "ENTRY_OVERHEAD",
    "MAX_LADDER_BYTES",
    "MAX_NAME_CHARS",
    "MAX_TOTAL_BYTES",
    "LadderStore",
    "LadderTooLarge",
    "StoreUnavailable",
    "StoreUsage",
    "default_store_path",
]

MIB = 1024 * 1024
#: The most one ladder may weigh: the app's upload cap.
MAX_LADDER_BYTES = 5 * MIB
#: The most the store holds by default, every ladder's bytes and overhead together.
MAX_TOTAL_BYTES = 200 * MIB
#: Bytes every ladder counts besides its own (its row, name and index entries).
ENTRY_OVERHEAD = 512
#: File names are kept to this many characters.
MAX_NAME_CHARS = 200
#: How long a call waits for another connection's write lock, in seconds.
BUSY_TIMEOUT = 2.0
#: How long a read waits to record that a ladder was used (bookkeeping, never worth a wait).
_TOUCH_TIMEOUT_MS = 100
#: A ladder's address: the hex SHA-256 of its bytes.
DIGEST = re.compile(r"^[0-9a-f]{64}$")

_APPLICATION_ID = 0x736B6C74  # "sklt": marks the file as ours
_SCHEMA_VERSION = 1
_SCHEMA = (
    "CREATE TABLE ladders (digest TEXT PRIMARY KEY, name TEXT NOT NULL, size INTEGER NOT NULL,"
    " raw BLOB NOT NULL, stored REAL NOT NULL, used INTEGER NOT NULL)",
    "CREATE INDEX ladders_used ON ladders (used)",
    f"PRAGMA user_version = {_SCHEMA_VERSION}",
    f"PRAGMA application_id = {_APPLICATION_ID}",
)


class LadderTooLarge(SkilltreeError):
    """A ladder over the store's per-ladder cap; ``size`` and ``limit`` are in bytes."""

    def __init__(self, size: int, limit: int):
        self.size = size
        self.limit = limit
        super().__init__(f"the ladder is {size:,} bytes, over the {limit:,}-byte limit")


class StoreUnavailable(SkilltreeError):
    """The store's file cannot be used now (corrupt, locked, unwritable, not a ladder store)."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"the ladder store {path.name} cannot be used: {reason}")


@dataclass(frozen=True, slots=True)
class StoreUsage:
    """How full the store is: ladders held, and bytes counted against the total."""

    ladders: int
    bytes: int
    limit: int


def default_store_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where the store lives by default: ``$SKILLTREE_DB``, else under the user's data folder.

    >>> str(default_store_path({"SKILLTREE_DB": "/srv/ladders.db"}))
    '/srv/ladders.db'
    >>> str(default_store_path({"XDG_DATA_HOME": "/data"}))
    '/data/skilltree/ladders.sqlite3'
    """
    env = os.environ if environ is None else environ
    if env.get("SKILLTREE_DB"):
        return Path(env["SKILLTREE_DB"]).expanduser()
    base = env.get("XDG_DATA_HOME", "")
    # The XDG rule: a relative value is ignored.
    if base and Path(base).is_absolute():
        root = Path(base)
    else:
        try:
            root = Path.home() / ".local" / "share"
        except RuntimeError as exc:  # no home directory to be found
            raise StoreUnavailable(Path("ladders.sqlite3"), str(exc)) from None
    return root / "skilltree" / "ladders.sqlite3"


def _clean_name(name: str) -> str:
    """A file name as it is kept: printable, without folders, at most MAX_NAME_CHARS."""
    base = re.split(r"[\\/]", name)[-1]
    text = "".join(ch if ch.isprintable() else "?" for ch in base).strip()
    return text[:MAX_NAME_CHARS] or "ladder"


class LadderStore:
    """Ladders kept in a SQLite file, by the SHA-256 digest of their bytes.

    Creating one opens (or creates) the file and checks it is a ladder store; it raises
    :class:`StoreUnavailable` if the file cannot be used. Every method may raise it later too
    (the file can be locked, filled or damaged by someone else at any time).

    Examples
    --------
    >>> import tempfile
    >>> store = LadderStore(Path(tempfile.mkdtemp()) / "ladders.sqlite3")
    >>> digest = store.put(b"format: 1\\n", "mine.yaml")
    >>> store.get(digest)
    (b'format: 1\\n', 'mine.yaml')
    >>> store.get("0" * 64) is None
    True
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        max_ladder_bytes: int = MAX_LADDER_BYTES,
        max_total_bytes: int = MAX_TOTAL_BYTES,
        timeout: float = BUSY_TIMEOUT,
    ):
        if max_ladder_bytes + ENTRY_OVERHEAD > max_total_bytes:
            raise ValueError("the total cap must hold at least one ladder at the per-ladder cap")
        self.path = Path(path)
        self.max_ladder_bytes = max_ladder_bytes
        self.max_total_bytes = max_total_bytes
        self.timeout = timeout
        self._setup()

    def __repr__(self) -> str:
        return f"LadderStore({str(self.path)!r})"

    # -- connections -------------------------------------------------------------------------

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """A connection for one call, closed after it; file errors become StoreUnavailable."""
        try:
            con = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        except (sqlite3.Error, OSError) as exc:
            raise StoreUnavailable(self.path, _reason(exc)) from None
        try:
            # Keep the write-ahead log from staying at the size of the largest write; in WAL
            # mode NORMAL never corrupts the file (a power cut may lose the last ladders).
            con.execute(f"PRAGMA journal_size_limit = {16 * MIB}")
            con.execute("PRAGMA synchronous = NORMAL")
            yield con
        except sqlite3.Error as exc:
            if con.in_transaction:
                with suppress(sqlite3.Error):
                    con.execute("ROLLBACK")
            raise StoreUnavailable(self.path, _reason(exc)) from None
        finally:
            con.close()

    def _setup(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            why = f"its folder cannot be made ({_reason(exc)})"
            raise StoreUnavailable(self.path, why) from None
        with self._connection() as con:
            if self._ours(con):
                return
            # auto_vacuum must be chosen before the first table; WAL stays set in the file.
            con.execute("PRAGMA auto_vacuum = INCREMENTAL")
            con.execute("PRAGMA journal_mode = WAL")
            con.execute("BEGIN IMMEDIATE")
            if self._ours(con):  # another process made it meanwhile
                con.execute("COMMIT")
                return
            for statement in _SCHEMA:
                con.execute(statement)
            con.execute("COMMIT")

    def _ours(self, con: sqlite3.Connection) -> bool:
        """True if the file is a ladder store; False if it is empty; else StoreUnavailable."""
        app = con.execute("PRAGMA application_id").fetchone()[0]
        version = con.execute("PRAGMA user_version").fetchone()[0]
        if app == _APPLICATION_ID and version == _SCHEMA_VERSION:
            return True
        if app == _APPLICATION_ID:
            raise StoreUnavailable(self.path, f"store format {version} is not known here")
        tables = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app or version or tables:
            raise StoreUnavailable(self.path, "the file is a database, but not a ladder store")
        return False

    # -- the API -----------------------------------------------------------------------------

    def put(self, raw: bytes, name: str) -> str:
        """Keep a ladder (if not kept already) and return its digest.

        Marks it as used now; evicts the least recently used ladders while the total is over
        the cap. Raises :class:`LadderTooLarge` over the per-ladder cap.
        """
        size = len(raw)
        if size > self.max_ladder_bytes:
            raise LadderTooLarge(size, self.max_ladder_bytes)
        digest = hashlib.sha256(raw).hexdigest()
        with self._connection() as con:
            con.execute("BEGIN IMMEDIATE")
            tick = _next_tick(con)
            kept = con.execute("UPDATE ladders SET used = ? WHERE digest = ?", (tick, digest))
            if not kept.rowcount:
                con.execute(
                    "INSERT INTO ladders (digest, name, size, raw, stored, used) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (digest, _clean_name(name), size, sqlite3.Binary(raw), time.time(), tick),
                )
                self._evict(con, keep=digest)
            con.execute("COMMIT")
        return digest

    def get(self, digest: str) -> tuple[bytes, str] | None:
        """The ladder's bytes and file name, or ``None`` if it is not (or no longer) kept.

        Marks it as used now (when the file can be written in a tenth of a second; reading
        never waits for that). A malformed digest is simply not found.
        """
        if not isinstance(digest, str) or not DIGEST.match(digest):
            return None
        with self._connection() as con:
            row = con.execute(
                "SELECT raw, name FROM ladders WHERE digest = ?", (digest,)
            ).fetchone()
            if row is None:
                return None
            raw, name = bytes(row[0]), str(row[1])
            damaged = hashlib.sha256(raw).hexdigest() != digest
            con.execute(f"PRAGMA busy_timeout = {_TOUCH_TIMEOUT_MS}")
            try:
                con.execute("BEGIN IMMEDIATE")
                if damaged:
                    con.execute("DELETE FROM ladders WHERE digest = ?", (digest,))
                else:
                    tick = _next_tick(con)
                    con.execute("UPDATE ladders SET used = ? WHERE digest = ?", (tick, digest))
                con.execute("COMMIT")
            except sqlite3.OperationalError:
                # Locked by a writer, or a read-only file: the ladder is still good to serve.
                if con.in_transaction:
                    con.execute("ROLLBACK")
        return None if damaged else (raw, name)

    def __contains__(self, digest: object) -> bool:
        if not isinstance(digest, str) or not DIGEST.match(digest):
            return False
        with self._connection() as con:
            found = con.execute("SELECT 1 FROM ladders WHERE digest = ?", (digest,)).fetchone()
        return found is not None

    def usage(self) -> StoreUsage:
        """How many ladders are kept and the bytes they count against the total."""
        with self._connection() as con:
            count, size = con.execute(
                "SELECT count(*), coalesce(sum(size), 0) FROM ladders"
            ).fetchone()
        return StoreUsage(int(count), int(size) + int(count) * ENTRY_OVERHEAD, self.max_total_bytes)

    # -- eviction ----------------------------------------------------------------------------

    def _evict(self, con: sqlite3.Connection, keep: str) -> None:
        count, size = con.execute("SELECT count(*), coalesce(sum(size), 0) FROM ladders").fetchone()
        total = int(size) + int(count) * ENTRY_OVERHEAD
        if total <= self.max_total_bytes:
            return
        victims: list[tuple[str]] = []
        rows = con.execute(
            "SELECT digest, size FROM ladders WHERE digest != ? ORDER BY used", (keep,)
        )
        for digest, weight in rows:
            if total <= self.max_total_bytes:
                break
            victims.append((digest,))
            total -= int(weight) + ENTRY_OVERHEAD
        rows.close()
        con.executemany("DELETE FROM ladders WHERE digest = ?", victims)
        # Give the freed pages back to the file system rather than keeping the high-water mark.
        con.execute("PRAGMA incremental_vacuum").fetchall()


def _next_tick(con: sqlite3.Connection) -> int:
    """The next value of the store's use clock (inside a write transaction, so unique)."""
    return int(con.execute("SELECT coalesce(max(used), 0) + 1 FROM ladders").fetchone()[0])


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc) or type(exc).__name__
