"""Bytes to a parsed document: JSON or YAML, with the line each part came from.

Parsing is where hostile input is stopped before anything is built: sizes are capped, YAML is
read with the safe loader only, aliases that would expand a small file into a huge tree are
refused, nesting is capped, duplicate keys are errors, and text must be UTF-8. A document that
fails here raises :class:`~skilltree.errors.DataError` with its problems; one that passes is
plain data (dicts, lists, scalars) plus a table of line numbers for messages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import DataError, Problem

__all__ = [
    "MAX_DEPTH",
    "MAX_JSON_BYTES",
    "MAX_YAML_BYTES",
    "MAX_YAML_EVENTS",
    "MAX_YAML_NODES",
    "Document",
    "Place",
    "decode_text",
    "parse_json",
    "parse_yaml",
    "path_text",
    "too_big",
]

# JSON parses in C and linearly; YAML is parsed in Python and is far slower per byte.
MAX_JSON_BYTES = 64 * 1024 * 1024
MAX_YAML_BYTES = 8 * 1024 * 1024
# Aliases let a tiny YAML file stand for a huge tree ("billion laughs"): cap the expanded size.
MAX_YAML_NODES = 2_000_000
# YAML is built in Python, about 0.5 KB of memory and 10 µs per value: past this many values
# (a ladder of several megabytes) a file is refused before it is built. JSON has no such cap.
MAX_YAML_EVENTS = 600_000
MAX_DEPTH = 64

#: A place in a document: keys and list indexes from the top.
Place = tuple[Any, ...]


@dataclass
class Document:
    """Parsed data, the name it is reported under, the line of each path (YAML only), and what
    a reader assumed to get there (an importer's report: hours guessed, links dropped, …)."""

    data: Any
    file: str
    lines: dict[Place, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def line_of(self, path: Place) -> int | None:
        """The line of ``path``, or of its deepest ancestor whose line is known."""
        for cut in range(len(path), -1, -1):
            line = self.lines.get(path[:cut])
            if line is not None:
                return line
        return None


def too_big(size: int, limit: int) -> str:
    return f"the file is {size:,} bytes, over the limit of {limit:,} bytes"


def decode_text(raw: bytes | str, file: str, limit: int) -> str:
    """UTF-8 text (a byte-order mark is dropped) of at most ``limit`` bytes, not blank."""
    if len(raw) > limit:
        raise DataError([Problem(file, "", too_big(len(raw), limit))])
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DataError(
                [Problem(file, "", f"not UTF-8 text (bad byte at offset {exc.start})")]
            ) from None
    else:
        text = raw
    if not text.strip():
        raise DataError([Problem(file, "", "the file is empty")])
    return text


def path_text(path: Place) -> str:
    """A path as a reader writes it: ``roles[2].requires[0].id``.

    >>> path_text(("roles", 2, "requires", 0, "id"))
    'roles[2].requires[0].id'
    """
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse_json(raw: bytes | str, file: str) -> Document:
    """A JSON document; duplicate keys, bad syntax and runaway nesting are problems."""
    text = decode_text(raw, file, MAX_JSON_BYTES)
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) < len(items):  # rare: find which keys came twice
            seen: set[str] = set()
            for key, _value in items:
                if key in seen:
                    duplicates.append(key)
                seen.add(key)
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise DataError([Problem(file, "", f"invalid JSON: {exc.msg}", line=exc.lineno)]) from None
    except RecursionError:
        raise DataError([Problem(file, "", "the document is nested too deeply")]) from None
    except ValueError as exc:  # a number too long to convert, say
        raise DataError([Problem(file, "", f"invalid JSON: {exc}")]) from None
    if duplicates:
        raise DataError(
            [Problem(file, "", f"duplicate key {k!r}") for k in sorted(set(duplicates))]
        )
    return Document(data, file)


_YamlLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _count_events(text: str, file: str) -> None:
    """Refuse a document of more than ``MAX_YAML_EVENTS`` values before building any of it:
    counting the parser's events is cheap, building nodes for them is not."""
    loader = _YamlLoader(text)
    try:
        count = 0
        while loader.get_event() is not None:
            count += 1
            if count > MAX_YAML_EVENTS:
                raise DataError(
                    [
                        Problem(
                            file,
                            "",
                            f"the document holds more than {MAX_YAML_EVENTS:,} values; "
                            "a ladder this large loads much faster as JSON",
                        )
                    ]
                )
    except yaml.YAMLError:
        return  # the real parse below reports it, with its line
    finally:
        loader.dispose()


def parse_yaml(raw: bytes | str, file: str) -> Document:
    """A YAML document read with the safe loader, every path's line recorded."""
    text = decode_text(raw, file, MAX_YAML_BYTES)
    _count_events(text, file)
    loader = _YamlLoader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            what = exc.problem or exc.context or "syntax error"
            raise DataError([Problem(file, "", f"invalid YAML: {what}", line=line)]) from None
        except yaml.YAMLError as exc:
            raise DataError([Problem(file, "", f"invalid YAML: {exc}")]) from None
        except RecursionError:
            raise DataError([Problem(file, "", "the document is nested too deeply")]) from None
        if root is None:
            raise DataError([Problem(file, "", "the file is empty")])
        lines: dict[Place, int] = {}
        problems = _walk_yaml(root, file, lines)
        if problems:
            raise DataError(problems)
        try:
            data = loader.construct_document(root)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            raise DataError([Problem(file, "", f"invalid YAML value: {exc}", line=line)]) from None
        except (RecursionError, TypeError, ValueError) as exc:
            raise DataError([Problem(file, "", f"invalid YAML value: {exc}")]) from None
        return Document(data, file, lines)
    finally:
        loader.dispose()


def _walk_yaml(root: yaml.Node, file: str, lines: dict[Place, int]) -> list[Problem]:
    """Record the line of every path, and find duplicate keys, runaway aliases and deep nesting."""
    problems: list[Problem] = []
    budget = MAX_YAML_NODES
    stack: list[tuple[yaml.Node, Place]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        budget -= 1
        if budget < 0:
            return [
                Problem(
                    file,
                    "",
                    f"the document expands to more than {MAX_YAML_NODES:,} values "
                    "(aliases repeated too often?)",
                )
            ]
        if len(path) > MAX_DEPTH:
            return [
                Problem(
                    file,
                    "",
                    f"the document is nested more than {MAX_DEPTH} levels deep",
                    line=node.start_mark.line + 1,
                )
            ]
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if key is None:
                    continue
                line = key_node.start_mark.line + 1
                if key in seen:
                    problems.append(
                        Problem(
                            file,
                            path_text(path),
                            f"duplicate key {key!r} (first at line {seen[key]})",
                            line=line,
                        )
                    )
                    continue
                seen[key] = line
                lines.setdefault((*path, key), line)
                stack.append((value_node, (*path, key)))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                stack.append((item, (*path, index)))
    return problems
