"""The command line, ``python -m skilltree``: flags in, one library call, text or JSON out.

Every command that reads data takes ``--data FILE`` (default: the built-in back-end ladder, or
the file named by the ``SKILLTREE_DATA`` environment variable). Query commands take ``--json``
for scripts. Exit codes: 0 success, 1 invalid data or a failed export, 2 usage errors (unknown
flags, unknown ids, bad profiles).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import networkx as nx

from .advice import next_steps
from .errors import ExportError, ProfileError, SkilltreeError, UnknownIdError
from .export import DEFAULT_SIZE, FORMATS, ExportRequest, export_bytes, format_of
from .index import index_of, resolve_id
from .io import DEFAULT_DATA, GRAPH_WRITERS, load_graph, read_document, upgraded_yaml
from .model import NODE_KINDS
from .planner import plan
from .profile import MAX_PROFILE_BYTES, Profile, parse_have, profile_from_bytes
from .routes import NoRouteError, compare, route
from .schema import json_schema_text
from .timeline import weeks
from .views.records import (
    choices_text,
    comparison_json,
    comparison_rows,
    plan_json,
    plan_rows,
    route_json,
    route_rows,
    suggestion_json,
)
from .views.text import hours_text, salary_text

__all__ = ["main"]

DATA_ENV = "SKILLTREE_DATA"


class UsageError(SkilltreeError):
    """Flags that do not make sense together, or values out of range."""


def _data_path(args: argparse.Namespace) -> str | None:
    return args.data or os.environ.get(DATA_ENV) or None


def _load(args: argparse.Namespace) -> nx.DiGraph:
    return load_graph(_data_path(args))


def _emit_json(out: TextIO, payload: Any) -> None:
    out.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")


def _table(out: TextIO, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for n, row in enumerate(cells):
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")
        if n == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")


# --- commands --------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    path = args.file or _data_path(args)
    G = load_graph(path)
    if args.upgrade:
        source = Path(path) if path else DEFAULT_DATA
        text = upgraded_yaml(read_document(source.read_bytes(), str(source)).data, G)
        if args.out:
            write_atomically(Path(args.out), text.encode("utf-8"))
            out.write(f"wrote {args.out} (format 2)\n")
        else:
            out.write(text)
        return 0
    counts = Counter(kind for _n, kind in G.nodes(data="kind"))
    edges = Counter(kind for _u, _v, kind in G.edges(data="kind"))
    label = path or "default data"
    parts = ", ".join(f"{counts[k]} {k}s" for k in NODE_KINDS)
    edge_text = ", ".join(f"{n} {k}" for k, n in sorted(edges.items()))
    out.write(f"{label}: valid — {parts}; {G.number_of_edges()} edges ({edge_text})\n")
    return 0


def cmd_roles(args: argparse.Namespace, out: TextIO) -> int:
    G = _load(args)
    index = index_of(G)
    rows = []
    for r in index.ladder():
        attrs = G.nodes[r]
        nxt = list(index.next_roles[r])
        rows.append(
            {
                "id": r,
                "name": attrs["name"],
                "rank": attrs["rank"],
                "track": attrs["track"],
                "salary": attrs.get("salary"),
                "salary_note": attrs.get("salary_note", ""),
                "next": nxt,
            }
        )
    if args.json:
        _emit_json(out, {"data": G.graph.get("name", ""), "roles": rows})
        return 0
    _table(
        out,
        ("rank", "id", "name", "track", "salary band", "next"),
        [
            (
                row["rank"],
                row["id"],
                row["name"],
                row["track"],
                salary_text(row["salary"]),
                ", ".join(row["next"]) or "—",
            )
            for row in rows
        ],
    )
    return 0


def cmd_graph(args: argparse.Namespace, out: TextIO) -> int:
    G = _load(args)
    out.write(GRAPH_WRITERS[args.format](G))
    return 0


def cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    out.write(json_schema_text())
    return 0


def _profile(args: argparse.Namespace, G: nx.DiGraph) -> Profile:
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
    if role:
        profile = Profile(profile.skills, resolve_id(G, role, "role"))
    return profile


def _role(G: nx.DiGraph, text: str) -> str:
    return resolve_id(G, text, "role")


def _pace(args: argparse.Namespace) -> float:
    pace = args.pace
    if not (0 < pace <= 168):
        raise UsageError(f"--pace must be between 0 and 168 hours per week, got {pace:g}")
    return float(pace)


def cmd_plan(args: argparse.Namespace, out: TextIO) -> int:
    G = _load(args)
    profile = _profile(args, G)
    pace = _pace(args)
    result = plan(G, profile, _role(G, args.target), optional=args.optional)
    start = date.today()
    if args.json:
        _emit_json(out, plan_json(result, pace, start))
        return 0
    out.write(
        f"Plan to {result.target_name}: readiness now {result.readiness.score:.0%}, "
        f"{hours_text(result.total_hours)} to go"
        f" (about {weeks(result.total_hours, pace):.0f} weeks at {pace:g} h/week)"
        + ("" if result.exact else " — heuristic, not proven minimal")
        + "\n"
    )
    if result.choices:
        out.write(f"Choices: {choices_text(index_of(G), result)}\n")
    if not result.steps:
        out.write("Nothing to learn: the profile meets every requirement.\n")
        return 0
    out.write("\n")
    _table(
        out,
        ("#", "skill", "level", "hours", "total", "done by", "why"),
        [
            (
                row.number,
                row.name,
                row.levels,
                f"{row.hours:g}",
                f"{row.cumulative_hours:g}",
                row.done_by.isoformat() if row.done_by else "",
                row.why,
            )
            for row in plan_rows(result, pace, start)
        ],
    )
    return 0


def cmd_next(args: argparse.Namespace, out: TextIO) -> int:
    G = _load(args)
    profile = _profile(args, G)
    if args.limit < 1:
        raise UsageError(f"--limit must be at least 1, got {args.limit}")
    target = _role(G, args.target) if args.target else None
    found = next_steps(G, profile, target, limit=args.limit, optional=args.optional)
    if args.json:
        _emit_json(out, {"target": target, "suggestions": [suggestion_json(s) for s in found]})
        return 0
    if not found:
        out.write("Nothing left to suggest: the profile covers what the roles ask for.\n")
        return 0
    for n, s in enumerate(found, 1):
        out.write(f"{n:>2}. {s.reason}\n")
    return 0


def cmd_route(args: argparse.Namespace, out: TextIO) -> int:
    G = _load(args)
    profile = _profile(args, G)
    targets = [_role(G, t.strip()) for t in args.to.split(",") if t.strip()]
    if not targets:
        raise UsageError("--to needs at least one role")
    start = _role(G, args.start) if args.start else None
    routes = [route(G, profile, t, start, optional=args.optional) for t in targets]
    comparison = compare(G, profile, targets, optional=args.optional)
    if args.json:
        _emit_json(
            out,
            {"routes": [route_json(r) for r in routes], "comparison": comparison_json(comparison)},
        )
        return 0
    names = index_of(G).names
    for r in routes:
        out.write(f"Route to {names[r.target]}: {hours_text(r.total_hours)} in all\n")
        rows = route_rows(r)
        _table(out, tuple(rows[0]), [tuple(row.values()) for row in rows])
        out.write("\n")
    if len(targets) > 1:
        out.write("Side by side\n")
        side = comparison_rows(index_of(G), comparison)
        _table(
            out,
            ("target", "ready now", "hours left", "salary band", "only on this path"),
            [tuple(f"{v:g}" if isinstance(v, float) else v for v in row.values()) for row in side],
        )
        shared = ", ".join(sorted(names[s] for s in comparison.shared)) or "—"
        out.write(f"\nShared by every path: {shared}\n")
    return 0


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


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    path = Path(args.out)
    fmt = format_of(path.name)
    G = _load(args)
    profile = _profile(args, G)
    pace = _pace(args)
    result = plan(G, profile, _role(G, args.target), optional=args.optional)
    request = ExportRequest(
        G, profile, result, pace, date.today(), args.width, args.height, args.scale
    )
    data = export_bytes(request, fmt)
    write_atomically(path, data)
    out.write(f"wrote {path} ({fmt}, {len(data):,} bytes)\n")
    return 0


# --- parser ----------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _add_data(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data",
        metavar="FILE",
        help=f"career-graph file (YAML or JSON); default: ${DATA_ENV} or the built-in ladder",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m skilltree",
        description="Explore the back-end career ladder: validate data, list roles, plan, export.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("validate", help="check a data file and print a summary")
    p.add_argument("file", nargs="?", help="the file to check (default: --data or built-in)")
    p.add_argument(
        "--upgrade",
        action="store_true",
        help="rewrite a valid file in format 2 (to --out, or standard output); comments are lost",
    )
    p.add_argument("--out", metavar="FILE", help="with --upgrade: where to write")
    _add_data(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("roles", help="the ladder with salary bands")
    _add_data(p)
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=cmd_roles)

    p = sub.add_parser("graph", help="the whole graph on standard output")
    _add_data(p)
    p.add_argument("--format", choices=tuple(GRAPH_WRITERS), default="node-link")
    p.set_defaults(func=cmd_graph)

    def add_profile(p: argparse.ArgumentParser) -> None:
        group = p.add_argument_group("profile")
        group.add_argument(
            "--have", metavar="SKILLS", help="skills you have: python:2,sql,git:1 (bare id = 1)"
        )
        group.add_argument("--profile", metavar="FILE", help="a JSON profile file")
        group.add_argument("--role", metavar="ROLE", help="your current role")

    p = sub.add_parser("plan", help="the minimum-hours learning plan to a role")
    p.add_argument("--target", required=True, metavar="ROLE", help="the role to reach")
    add_profile(p)
    p.add_argument("--optional", action="store_true", help="meet optional requirements too")
    p.add_argument("--pace", type=float, default=10.0, metavar="H", help="hours per week (10)")
    _add_data(p)
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser("next", help="what to learn next, best value per hour first")
    p.add_argument("--target", metavar="ROLE", help="rank toward this role (default: all roles)")
    add_profile(p)
    p.add_argument("--optional", action="store_true", help="with --target: optional ones too")
    p.add_argument("--limit", type=int, default=10, metavar="N", help="how many (10)")
    _add_data(p)
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=cmd_next)

    p = sub.add_parser("route", help="rung by rung to one or more roles, side by side")
    p.add_argument("--to", required=True, metavar="ROLE[,ROLE...]", help="target role(s)")
    p.add_argument("--from", dest="start", metavar="ROLE", help="start rung (default: --role)")
    add_profile(p)
    p.add_argument("--optional", action="store_true", help="meet optional requirements too")
    _add_data(p)
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=cmd_route)

    p = sub.add_parser("export", help="the plan as PNG, SVG, PDF, Markdown, JSON or GraphML")
    p.add_argument("--target", required=True, metavar="ROLE", help="the role to reach")
    add_profile(p)
    p.add_argument("--optional", action="store_true", help="meet optional requirements too")
    p.add_argument("--pace", type=float, default=10.0, metavar="H", help="hours per week (10)")
    _add_data(p)
    p.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="where to write; the extension picks the format (" + ", ".join(FORMATS) + ")",
    )
    p.add_argument("--width", type=int, default=DEFAULT_SIZE[0], metavar="W", help="pixels")
    p.add_argument("--height", type=int, default=DEFAULT_SIZE[1], metavar="H", help="pixels")
    p.add_argument("--scale", type=float, default=1.0, metavar="S", help="2 for sharp PNGs")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("schema", help="the JSON Schema of data files")
    p.set_defaults(func=cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run one command; return its exit code. Errors go to standard error, never a traceback."""
    out = out or sys.stdout
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return int(args.func(args, out))
    except SkilltreeError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return exit_code_of(exc)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


def exit_code_of(exc: SkilltreeError) -> int:
    """Unknown ids, bad profiles and impossible routes are usage errors (2); the rest failed (1)."""
    usage = (UnknownIdError, ProfileError, UsageError, NoRouteError)
    return 2 if isinstance(exc, usage) else 1
