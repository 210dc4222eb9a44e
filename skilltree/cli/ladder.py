"""Commands about the ladder itself: validate (and upgrade) a file, list the roles, print the
graph or the JSON Schema."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import TextIO

from ..index import index_of
from ..io import DEFAULT_DATA, GRAPH_WRITERS, load_graph, read_document, upgraded_yaml
from ..model import NODE_KINDS
from ..schema import json_schema_text
from ..views.text import salary_text
from .common import Command, add_data, data_path, emit_json, load, table, write_atomically

__all__ = ["COMMANDS"]


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    path = args.file or data_path(args)
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
    for note in G.graph.get("reader_notes", ()):
        out.write(f"  read as: {note}\n")
    return 0


def cmd_roles(args: argparse.Namespace, out: TextIO) -> int:
    G = load(args)
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
        emit_json(out, {"data": G.graph.get("name", ""), "roles": rows})
        return 0
    table(
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
    G = load(args)
    out.write(GRAPH_WRITERS[args.format](G))
    return 0


def cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    out.write(json_schema_text())
    return 0


def _validate_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", nargs="?", help="the file to check (default: --data or built-in)")
    p.add_argument(
        "--upgrade",
        action="store_true",
        help="rewrite a valid file in format 2 (to --out, or standard output); comments are lost",
    )
    p.add_argument("--out", metavar="FILE", help="with --upgrade: where to write")
    add_data(p)


def _roles_flags(p: argparse.ArgumentParser) -> None:
    add_data(p)
    p.add_argument("--json", action="store_true", help="print JSON for scripts")


def _graph_flags(p: argparse.ArgumentParser) -> None:
    add_data(p)
    p.add_argument("--format", choices=tuple(GRAPH_WRITERS), default="node-link")


COMMANDS = (
    Command("validate", "check a data file and print a summary", _validate_flags, cmd_validate),
    Command("roles", "the ladder with salary bands", _roles_flags, cmd_roles),
    Command("graph", "the whole graph on standard output", _graph_flags, cmd_graph),
    Command("schema", "the JSON Schema of data files", lambda p: None, cmd_schema),
)
