"""What every command shares: the data file, the profile flags, tables and JSON on output,
files written all or nothing, and the usage error."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

import networkx as nx

from ..errors import ExportError, ProfileError, SkilltreeError, UnknownIdError
from ..index import resolve_id
from ..io import load_graph
from ..profile import MAX_PROFILE_BYTES, Profile, parse_have, profile_from_bytes

__all__ = [
    "DATA_ENV",
    "Command",
    "UsageError",
    "add_data",
    "add_profile",
    "data_path",
    "emit_json",
    "load",
    "pace_of",
    "profile_of",
    "role_of",
    "table",
    "write_atomically",
]

DATA_ENV = "SKILLTREE_DATA"


class UsageError(SkilltreeError):
    """Flags that do not make sense together, or values out of range."""


@dataclass(frozen=True, slots=True)
class Command:
    """A command: its name and one-line help, the flags it takes, and what it runs."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, TextIO], int]


def data_path(args: argparse.Namespace) -> str | None:
    return getattr(args, "data", None) or os.environ.get(DATA_ENV) or None


def load(args: argparse.Namespace) -> nx.DiGraph:
    return load_graph(data_path(args))


def emit_json(out: TextIO, payload: Any) -> None:
    # allow_nan=False: the output is standard JSON whatever the data (the loader already
    # refuses non-finite numbers; this keeps it so).
    out.write(json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False) + "\n")


def table(out: TextIO, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for n, row in enumerate(cells):
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")
        if n == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")


def add_data(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data",
        metavar="FILE",
        help=f"ladder file (YAML or JSON); default: ${DATA_ENV} or the built-in ladder",
    )


def add_profile(p: argparse.ArgumentParser) -> None:
    group = p.add_argument_group("profile")
    group.add_argument(
        "--have", metavar="SKILLS", help="skills you have: python:2,sql,git:1 (bare id = 1)"
    )
    group.add_argument("--profile", metavar="FILE", help="a JSON profile file")
    group.add_argument(
        "--role", metavar="ROLE", help="your current role (what it asks is assumed held)"
    )
    group.add_argument(
        "--no-assume-role",
        dest="assume_role",
        action="store_false",
        help="do not assume the current role's requirements as held",
    )
    group.add_argument(
        "--prefer", metavar="SKILLS", help="your stack: skills plans pick whenever they can"
    )
    group.add_argument(
        "--avoid", metavar="SKILLS", help="skills plans never pick unless nothing else will do"
    )


def _stack(G: nx.DiGraph, flag: str, text: str | None) -> frozenset[str]:
    """The skills a --prefer or --avoid flag names: unknown ones are warned about and dropped,
    and the flag is a usage error only when none of its names is known."""
    names = [t.strip() for t in (text or "").split(",") if t.strip()]
    found: set[str] = set()
    for name in names:
        try:
            found.add(resolve_id(G, name, "skill"))
        except UnknownIdError as exc:
            sys.stderr.write(f"warning: {flag}: {exc}; ignored\n")
    if names and not found:
        raise UsageError(f"{flag}: none of {', '.join(names)} is a skill of this ladder")
    return frozenset(found)


def profile_of(args: argparse.Namespace, G: nx.DiGraph) -> Profile:
    if args.have is not None and args.profile is not None:
        raise UsageError("give --have or --profile, not both")
    if args.profile is not None:
        path = Path(args.profile)
        try:
            with path.open("rb") as handle:
                raw = handle.read(MAX_PROFILE_BYTES + 1)
        except OSError as exc:
            raise ProfileError(
                [f"{path}: cannot read the profile: {exc.strerror or exc}"]
            ) from None
        profile = profile_from_bytes(G, raw, str(path))
    else:
        profile = parse_have(G, args.have or "")
    role = getattr(args, "role", None)
    prefer = _stack(G, "--prefer", getattr(args, "prefer", None)) | profile.prefer
    avoid = _stack(G, "--avoid", getattr(args, "avoid", None)) | profile.avoid
    both = prefer & avoid
    if both:
        raise ProfileError(
            [f"{skill}: both preferred and avoided; say which you want" for skill in sorted(both)]
        )
    return replace(
        profile,
        role=resolve_id(G, role, "role") if role else profile.role,
        prefer=prefer,
        avoid=avoid,
        assume_role=profile.assume_role and getattr(args, "assume_role", True),
    )


def role_of(G: nx.DiGraph, text: str) -> str:
    return resolve_id(G, text, "role")


def pace_of(args: argparse.Namespace) -> float:
    pace = args.pace
    if not (0 < pace <= 168):
        raise UsageError(f"--pace must be between 0 and 168 hours per week, got {pace:g}")
    return float(pace)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it: all or nothing."""
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: the folder {folder} does not exist")
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.")
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        # mkstemp makes the file private (0600); a file written on purpose gets the mode any
        # new file would, under the user's umask.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
