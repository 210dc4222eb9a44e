"""The ``import`` command: another source's skill data in, a format-2 ladder file out.

``python -m skilltree import KIND SOURCE… --out FILE [options]``: one sub-command per entry of
:data:`skilltree.io.importers.IMPORTERS`, with the options that entry lists. The command prints
the importer's report of every assumption, checks its own result by building the graph, and
only then writes the file (YAML, or JSON when ``--out`` ends in ``.json``) through a temporary
file, so a failure never leaves a partial or invalid ladder behind. Exit codes: 0 written, 1 an
invalid source (every problem listed) or a failed write, 2 usage errors (bad options, an
occupation that matches nothing, a result too large for YAML).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import yaml

from ..errors import DataError, Problem
from ..io import graph_from_data
from ..io.document import MAX_JSON_BYTES, MAX_YAML_BYTES, MAX_YAML_EVENTS, too_big
from ..io.importers import IMPORTERS, Importer, OptionError, Setting
from ..io.importers.common import plural
from ..model import NODE_KINDS
from .common import Command, UsageError, write_atomically

__all__ = ["COMMANDS", "yaml_events"]

_OUT_SUFFIXES = (".yaml", ".yml", ".json")
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_JSON: dict[str, Any] = {"ensure_ascii": False, "allow_nan": False}
#: YAML is at least this many bytes per byte of compact JSON (measured near 1.0).
_YAML_PER_JSON = 0.8
#: JSON output shorter than this (in characters, compact) is indented.
_INDENT_BELOW = 1_000_000


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    importer = IMPORTERS[args.kind]
    target = Path(args.out)
    if target.suffix.lower() not in _OUT_SUFFIXES:
        raise UsageError(f"--out must end in {', '.join(_OUT_SUFFIXES)}, got {args.out!r}")
    skipped: list[str] = []
    sources = _read_sources(importer, args.sources, target, skipped)
    try:
        options = {s.keyword: s.value(v) for s in importer.settings if (v := _given(args, s))}
        data, report = importer.run(sources, **options)
    except OptionError as exc:
        flags = {s.keyword: s.flag for s in importer.settings}
        raise UsageError(f"{flags.get(exc.option, exc.option)}: {exc.message}") from None
    if skipped:
        shown = ", ".join(skipped[:8]) + (" …" if len(skipped) > 8 else "")
        report.append(f"Not read in the folder (not tables this importer uses): {shown}.")
    text = _serialised(data, target, importer, list(sources), report)  # may be too big: first
    G = graph_from_data(data, f"{args.out} (the imported ladder)")
    out.write(f"Import report ({importer.label}):\n")
    out.writelines(f"  - {' '.join(line.split())}\n" for line in report)
    write_atomically(target, text.encode("utf-8"))
    kinds = {kind: 0 for kind in NODE_KINDS}
    for _node, kind in G.nodes(data="kind"):
        kinds[kind] += 1
    counts = ", ".join(plural(n, kind) for kind, n in kinds.items() if n or kind != "training")
    out.write(
        f"wrote {args.out} (format 2, {'JSON' if _is_json(target) else 'YAML'}): {counts}, "
        f"{len(G.graph['levels'])} levels. Check it: python -m skilltree validate {args.out}\n"
    )
    return 0


def _given(args: argparse.Namespace, setting: Setting) -> Any:
    return getattr(args, _dest(setting), None)


def _dest(setting: Setting) -> str:
    return "opt_" + setting.keyword


def _is_json(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def _read_sources(
    importer: Importer, given: list[str], target: Path, skipped: list[str]
) -> dict[str, bytes]:
    """File name → bytes for every source: the files given and, for an importer of several
    files, the files it reads in a folder given (the others' names go to ``skipped``).
    Unreadable or oversized files are problems."""
    sources: dict[str, bytes] = {}
    for path in _source_files(importer, given, skipped):
        label = str(path)
        try:
            if path.resolve() == target.resolve():
                raise UsageError(f"--out {target} would overwrite the source {label}")
            size = path.stat().st_size
            if size > importer.max_bytes:
                raise DataError([Problem(label, "", too_big(size, importer.max_bytes))])
            sources[label] = path.read_bytes()
        except OSError as exc:
            message = f"cannot read the file: {exc.strerror or exc}"
            raise DataError([Problem(label, "", message)]) from None
    return sources


def _source_files(importer: Importer, given: list[str], skipped: list[str]) -> Iterator[Path]:
    for text in given:
        path = Path(text)
        if not path.is_dir():
            yield path
            continue
        if not importer.several:
            raise UsageError(f"{text} is a folder; the {importer.name} importer reads one file")
        files = sorted(p for p in path.iterdir() if p.is_file())
        found = [p for p in files if importer.reads(p.name)]
        skipped += [p.name for p in files if p not in found and p.suffix in importer.extensions]
        if not found:
            wanted = "/".join(importer.extensions)
            raise UsageError(f"{text} holds no {wanted} file the {importer.name} importer reads")
        yield from found


def _serialised(
    data: dict[str, Any], target: Path, importer: Importer, sources: list[str], report: list[str]
) -> str:
    """The file's text, within the size the loader reads back (a usage error otherwise: the
    choice of format or of what to import is the person's)."""
    # Compact JSON is written by the C encoder; with an indent, json falls back to Python (many
    # seconds on an ESCO import), so only a small ladder is indented for people to read.
    compact = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    if _is_json(target):
        text = compact if len(compact) > _INDENT_BELOW else json.dumps(data, indent=1, **_JSON)
        text += "\n"
        if len(text.encode("utf-8")) > MAX_JSON_BYTES:
            raise UsageError(
                f"the result is over the {MAX_JSON_BYTES // 2**20} MiB a JSON ladder may be; "
                "import less (for ESCO, choose occupations with --occupation)"
            )
        return text
    advice = (
        f"the result is too large for a YAML ladder ({MAX_YAML_BYTES // 2**20} MiB or "
        f"{MAX_YAML_EVENTS:,} values at most): write JSON (--out {target.with_suffix('.json')}), "
        "or import less (for ESCO, choose occupations with --occupation)"
    )
    # Block YAML of our data comes out within a few percent of compact JSON; PyYAML builds it
    # in Python (tens of seconds for ESCO), so what is surely too big is refused unwritten.
    if len(compact) * _YAML_PER_JSON > MAX_YAML_BYTES or yaml_events(data) > MAX_YAML_EVENTS:
        raise UsageError(advice)
    head = [
        "# skilltree ladder, format 2, written by: python -m skilltree import "
        f"{importer.name} {' '.join(sources)[:200]}",
        "# Import report (what the importer assumed):",
        *(f"#   - {' '.join(line.split())}" for line in report),
    ]
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    text = "\n".join(head) + "\n" + body
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise UsageError(advice)
    return text


def yaml_events(data: Any) -> int:
    """How many events the YAML parser reads in a dump of ``data`` (what the loader counts
    against ``MAX_YAML_EVENTS``): one per scalar, keys included, two per mapping or list, and
    four for the stream and the document.

    >>> yaml_events({"a": [1, 2]})
    11
    """
    count, stack = 4, [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            count += 2 + len(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            count += 2
            stack.extend(item)
        else:
            count += 1
    return count


def _import_flags(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="kind", metavar="KIND", parser_class=type(p))
    sub.required = True
    for importer in IMPORTERS.values():
        q = sub.add_parser(importer.name, help=importer.label, description=importer.help)
        if importer.several:
            q.add_argument(
                "sources", nargs="+", metavar="SOURCE", help="a folder, or the files to read"
            )
        else:
            q.add_argument("sources", nargs=1, metavar="SOURCE", help="the file to read")
        q.add_argument(
            "--out",
            required=True,
            metavar="FILE",
            help="the ladder to write: .yaml/.yml, or .json (better for large imports)",
        )
        for setting in importer.settings:
            _add_setting(q, setting)


def _add_setting(p: argparse.ArgumentParser, setting: Setting) -> None:
    dest = _dest(setting)
    if setting.form == "off":
        p.add_argument(setting.flag, dest=dest, action="store_true", help=setting.help)
    elif setting.form in ("many", "pairs"):
        p.add_argument(
            setting.flag, dest=dest, action="append", metavar=setting.metavar, help=setting.help
        )
    elif setting.form == "choice":
        p.add_argument(setting.flag, dest=dest, choices=setting.choices, help=setting.help)
    else:
        p.add_argument(setting.flag, dest=dest, metavar=setting.metavar, help=setting.help)


COMMANDS = (
    Command(
        "import",
        "a ladder from a skills matrix (CSV), ESCO or a roadmap.sh roadmap",
        _import_flags,
        cmd_import,
    ),
)
