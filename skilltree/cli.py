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
from collections import Counter
from collections.abc import Sequence
from typing import Any, TextIO

import networkx as nx

from .errors import ProfileError, SkilltreeError, UnknownIdError
from .graph import load_graph, node_ids
from .schema import json_schema_text
from .serialize import graphml_text, node_link_text

__all__ = ["main"]

DATA_ENV = "SKILLTREE_DATA"


class UsageError(SkilltreeError):
    """Flags that do not make sense together, or values out of range."""


def _data_path(args: argparse.Namespace) -> str | None:
    return args.data or os.environ.get(DATA_ENV) or None


def _load(args: argparse.Namespace) -> nx.DiGraph:
    return load_graph(_data_path(args))


def _money(value: float) -> str:
    return f"{value / 1000:g}K" if value >= 1000 else f"{value:g}"


def salary_text(band: dict[str, Any] | None) -> str:
    """A salary band as a short line: ``EUR 35K–48K gross/year``, estimates marked."""
    if not band:
        return "no band in the data"
    text = (
        f"{band['currency']} {_money(band['min'])}–{_money(band['max'])} "
        f"{band['basis']}/{band['period']}"
    )
    return text + (" (estimate)" if band.get("estimate") else "")


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
    counts = Counter(kind for _n, kind in G.nodes(data="kind"))
    edges = Counter(kind for _u, _v, kind in G.edges(data="kind"))
    label = path or "default data"
    parts = ", ".join(f"{counts[k]} {k}s" for k in ("role", "skill", "group", "training"))
    edge_text = ", ".join(f"{n} {k}" for k, n in sorted(edges.items()))
    out.write(f"{label}: valid — {parts}; {G.number_of_edges()} edges ({edge_text})\n")
    return 0


def cmd_roles(args: argparse.Namespace, out: TextIO) -> int:
    G = _load(args)
    roles = sorted(node_ids(G, "role"), key=lambda r: (G.nodes[r]["rank"], r))
    rows = []
    for r in roles:
        attrs = G.nodes[r]
        nxt = [v for v in G.successors(r) if G.edges[r, v]["kind"] == "progression"]
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
    out.write(node_link_text(G) if args.format == "node-link" else graphml_text(G))
    return 0


def cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    out.write(json_schema_text())
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
    _add_data(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("roles", help="the ladder with salary bands")
    _add_data(p)
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=cmd_roles)

    p = sub.add_parser("graph", help="the whole graph on standard output")
    _add_data(p)
    p.add_argument("--format", choices=("node-link", "graphml"), default="node-link")
    p.set_defaults(func=cmd_graph)

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
    """Unknown ids and bad profiles are usage errors (2); the rest failed (1)."""
    return 2 if isinstance(exc, (UnknownIdError, ProfileError, UsageError)) else 1
