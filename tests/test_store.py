"""The ladder store: content addressing, caps, least-recently-used eviction, several processes
sharing one file, and a file that is corrupt, locked, unwritable or not ours."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from skilltree import SkilltreeError
from skilltree.io.store import (
    ENTRY_OVERHEAD,
    MAX_LADDER_BYTES,
    LadderStore,
    LadderTooLarge,
    StoreUnavailable,
    default_store_path,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store" / "ladders.sqlite3"


def small(db: Path, ladders: int, each: int = 1000, **options: float) -> LadderStore:
    """A store that holds exactly ``ladders`` ladders of ``each`` bytes."""
    total = ladders * (each + ENTRY_OVERHEAD)
    return LadderStore(db, max_ladder_bytes=each, max_total_bytes=total, **options)  # type: ignore[arg-type]


def blob(n: int, size: int = 1000) -> bytes:
    return f"# ladder {n}\n".encode().ljust(size, b"#")


def test_a_ladder_comes_back_under_the_digest_of_its_bytes(db):
    store = LadderStore(db)
    raw = "format: 1\nname: Équipe\n".encode()
    digest = store.put(raw, "équipe.yaml")
    assert digest == hashlib.sha256(raw).hexdigest()
    assert store.get(digest) == (raw, "équipe.yaml")
    assert digest in store
    # The same bytes are one ladder, whatever they are called the second time.
    assert store.put(raw, "copy.yaml") == digest
    assert store.get(digest) == (raw, "équipe.yaml")
    assert store.usage().ladders == 1
    # A second object on the same file sees the same ladders.
    assert LadderStore(db).get(digest) == (raw, "équipe.yaml")


@pytest.mark.parametrize("digest", ["0" * 64, "A" * 64, "abc", "", "../" * 30, "0" * 65])
def test_unknown_or_malformed_digests_are_not_found(db, digest):
    store = LadderStore(db)
    store.put(b"x", "x.yaml")
    assert store.get(digest) is None
    assert digest not in store


def test_names_are_kept_without_folders_or_control_characters(db):
    store = LadderStore(db)
    digest = store.put(b"a", "../../etc/team\x00\x1b[31m.yaml")
    found = store.get(digest)
    assert found is not None
    assert found[1] == "team??[31m.yaml"
    assert store.get(store.put(b"b", "x" * 1000 + ".yaml"))[1] == "x" * 200  # type: ignore[index]


def test_a_ladder_over_the_cap_is_refused_and_nothing_is_kept(db):
    store = LadderStore(db)
    with pytest.raises(LadderTooLarge) as caught:
        store.put(b"#" * (MAX_LADDER_BYTES + 1), "big.yaml")
    assert isinstance(caught.value, SkilltreeError)
    assert caught.value.limit == MAX_LADDER_BYTES
    assert "over the 5,242,880-byte limit" in str(caught.value)
    assert store.usage().ladders == 0
    store.put(b"#" * MAX_LADDER_BYTES, "just.yaml")
    assert store.usage().ladders == 1


def test_the_total_is_capped_by_evicting_the_least_recently_used(db):
    store = small(db, ladders=3)
    a, b, c = (store.put(blob(n), f"{n}.yaml") for n in range(3))
    assert store.usage().bytes == store.max_total_bytes
    assert store.get(a) is not None  # a is now the most recently used
    d = store.put(blob(3), "3.yaml")
    assert store.get(b) is None
    assert all(store.get(x) is not None for x in (a, c, d))
    # Storing a ladder that is already kept marks it as used and evicts nothing.
    store.put(blob(2), "again.yaml")
    e = store.put(blob(4), "4.yaml")
    assert store.get(a) is None  # used before c and d were
    assert all(store.get(x) is not None for x in (c, d, e))
    usage = store.usage()
    assert usage.ladders == 3
    assert usage.bytes <= usage.limit


def test_many_small_ladders_are_bounded_by_their_overhead(db):
    store = small(db, ladders=4)
    for n in range(30):
        store.put(str(n).encode(), f"{n}.yaml")
    # Each ladder counts ENTRY_OVERHEAD besides its bytes: tiny ones cannot pile up.
    assert store.usage().ladders <= 4 * (1000 + ENTRY_OVERHEAD) // ENTRY_OVERHEAD
    assert store.usage().bytes <= store.max_total_bytes


def test_a_store_must_hold_at_least_one_ladder_at_the_cap(db):
    with pytest.raises(ValueError, match="at least one ladder"):
        LadderStore(db, max_ladder_bytes=1000, max_total_bytes=1000)


def test_the_default_path_follows_the_environment(tmp_path):
    assert default_store_path({"SKILLTREE_DB": "~/x.db"}) == Path("~/x.db").expanduser()
    assert default_store_path({"XDG_DATA_HOME": str(tmp_path)}) == (
        tmp_path / "skilltree" / "ladders.sqlite3"
    )
    # A relative XDG_DATA_HOME is ignored, as the specification says.
    home = default_store_path({"XDG_DATA_HOME": "relative"})
    assert home == Path.home() / ".local" / "share" / "skilltree" / "ladders.sqlite3"


def test_threads_share_a_store(db):
    store = LadderStore(db)
    problems: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for k in range(10):
                raw = blob(n * 100 + k)
                digest = store.put(raw, f"{n}-{k}.yaml")
                assert store.get(digest) == (raw, f"{n}-{k}.yaml")
        except BaseException as exc:  # pragma: no cover - reported below
            problems.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not problems
    assert store.usage().ladders == 40


# Workers import the store alone (the package's __init__ pulls in the whole engine, seconds
# of start-up on a busy machine): which also shows that the store needs nothing else.
PRELUDE = textwrap.dedent(
    f"""
    import sys, types
    for name, folder in (("skilltree", "skilltree"), ("skilltree.io", "skilltree/io")):
        package = types.ModuleType(name)
        package.__path__ = [{str(ROOT)!r} + "/" + folder]
        sys.modules[name] = package
    from skilltree.io.store import LadderStore
    """
)

WORKER = PRELUDE + textwrap.dedent(
    """
    import hashlib, json, time

    path, who, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = LadderStore(path)
    mine, seen = [], set()
    for k in range(count):
        raw = f"# {who} {k}\\n".encode() * 200
        mine.append(store.put(raw, f"{who}-{k}.yaml"))
        assert store.get(mine[-1]) == (raw, f"{who}-{k}.yaml")
    # Read what the other process stored, waiting for it to finish.
    other = "b" if who == "a" else "a"
    deadline = time.monotonic() + 60
    while len(seen) < count and time.monotonic() < deadline:
        for k in range(count):
            raw = f"# {other} {k}\\n".encode() * 200
            digest = hashlib.sha256(raw).hexdigest()
            if digest not in seen and store.get(digest) == (raw, f"{other}-{k}.yaml"):
                seen.add(digest)
        time.sleep(0.02)
    print(json.dumps({"mine": mine, "seen": len(seen)}))
    """
)


def test_two_processes_make_write_and_read_the_same_file(db):
    # Both start on a file that does not exist yet: one makes it, the other finds it made.
    count = 30
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(db), who, str(count)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("a", "b")
    ]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        results.append(json.loads(out))
    assert all(r["seen"] == count for r in results)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    con.close()
    store = LadderStore(db)
    assert store.usage().ladders == 2 * count
    assert all(store.get(d) is not None for r in results for d in r["mine"])


def test_a_file_that_is_not_a_database_is_unavailable(tmp_path):
    bad = tmp_path / "ladders.sqlite3"
    bad.write_bytes(os.urandom(8192))
    with pytest.raises(StoreUnavailable, match="not a database") as caught:
        LadderStore(bad)
    assert isinstance(caught.value, SkilltreeError)
    assert str(tmp_path) not in str(caught.value)


def test_a_database_that_is_not_a_store_is_left_alone(tmp_path):
    other = tmp_path / "other.sqlite3"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (text)")
    con.commit()
    con.close()
    with pytest.raises(StoreUnavailable, match="not a ladder store"):
        LadderStore(other)
    con = sqlite3.connect(other)
    assert con.execute("SELECT name FROM sqlite_master").fetchall() == [("notes",)]
    con.close()


def test_a_damaged_store_raises_only_store_unavailable(db):
    store = LadderStore(db)
    digests = [store.put(os.urandom(3000), f"{n}.yaml") for n in range(20)]
    # Stop every connection's log, then scribble over pages in the middle of the file.
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(db.read_bytes())
    for at in range(4096, len(data), 8192):
        data[at : at + 600] = os.urandom(600)
    db.write_bytes(bytes(data))
    for digest in digests:
        try:
            found = store.get(digest)
        except StoreUnavailable:
            continue
        assert found is None or hashlib.sha256(found[0]).hexdigest() == digest
    with contextlib.suppress(StoreUnavailable):
        store.put(b"new", "new.yaml")


def test_a_ladder_whose_bytes_changed_on_disk_is_not_served(db):
    store = LadderStore(db)
    digest = store.put(b"format: 1\n", "a.yaml")
    con = sqlite3.connect(db)
    con.execute("UPDATE ladders SET raw = ? WHERE digest = ?", (b"format: 2\n", digest))
    con.commit()
    con.close()
    assert store.get(digest) is None
    assert digest not in store


def test_a_locked_database_refuses_writes_in_time_and_still_serves_reads(db):
    store = LadderStore(db, timeout=0.3)
    digest = store.put(b"kept", "kept.yaml")
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        began = time.monotonic()
        with pytest.raises(StoreUnavailable, match="locked"):
            store.put(b"new", "new.yaml")
        assert time.monotonic() - began < 2.0
        # Readers never wait for a writer (WAL); recording the use is skipped, not waited for.
        began = time.monotonic()
        assert store.get(digest) == (b"kept", "kept.yaml")
        assert time.monotonic() - began < 1.0
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert store.get(store.put(b"new", "new.yaml")) == (b"new", "new.yaml")


def test_an_exclusively_locked_database_is_unavailable_until_released(db):
    store = LadderStore(db, timeout=0.2)
    digest = store.put(b"kept", "kept.yaml")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreUnavailable, match="locked"):
            store.get(digest)
        with pytest.raises(StoreUnavailable, match="locked"):
            LadderStore(db, timeout=0.2)
    finally:
        holder.execute("COMMIT")
        holder.close()
    assert store.get(digest) == (b"kept", "kept.yaml")


def test_a_folder_that_cannot_be_made_is_unavailable(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreUnavailable, match="folder cannot be made"):
        LadderStore(blocker / "ladders.sqlite3")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write a read-only file")
def test_a_read_only_store_serves_and_refuses_to_store(db):
    store = LadderStore(db)
    digest = store.put(b"kept", "kept.yaml")
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    db.chmod(0o444)
    try:
        with pytest.raises(StoreUnavailable):
            store.put(b"new", "new.yaml")
    finally:
        db.chmod(0o644)
    assert store.get(digest) == (b"kept", "kept.yaml")
