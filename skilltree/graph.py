"""Reading a career-graph file and building the ``networkx.DiGraph`` it describes.

``load_graph`` reads YAML (safe loading only) or JSON, checks it against the schema in
:mod:`skilltree.schema`, resolves every reference, and returns a frozen graph whose edges point
from what is needed to what needs it. Validation gathers **every** problem before it fails, and
each problem names the file, the entry, the field and, for YAML, the line. A file that fails
never yields a half-built graph.

What it checks: size cap, empty file, text encoding, syntax, duplicate keys, alias expansion and
nesting depth, the top level being a mapping, each entry's shape, duplicate ids, unknown
references (with close matches), the kinds at both ends of every edge, and cycles (reported as
the cycle). What it does not check: whether the figures are realistic.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import yaml
from pydantic import BaseModel, ValidationError

from .errors import DataError, Problem
from .schema import ENTRY_MODELS, DataFile

__all__ = [
    "DEFAULT_DATA",
    "MAX_FILE_BYTES",
    "MAX_YAML_BYTES",
    "graph_from_text",
    "load_graph",
    "node_ids",
]

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data" / "backend.yaml"
# JSON parses in C and linearly; YAML is parsed in Python and is far slower per byte.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_YAML_BYTES = 8 * 1024 * 1024
# Aliases let a tiny YAML file stand for a huge tree ("billion laughs"): cap the expanded size.
MAX_YAML_NODES = 2_000_000
MAX_DEPTH = 64

_TOP_LEVEL_SCALARS = ("format", "name", "description", "source", "notes")

# Which node kinds may stand at each end of each edge kind.
EDGE_ENDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "prerequisite": (frozenset({"skill"}), frozenset({"skill"})),
    "requirement": (frozenset({"skill", "group"}), frozenset({"role"})),
    "option": (frozenset({"skill"}), frozenset({"group"})),
    "progression": (frozenset({"role"}), frozenset({"role"})),
    "teaches": (frozenset({"training"}), frozenset({"skill"})),
    "entry": (frozenset({"training"}), frozenset({"role"})),
}

_KIND_OF_SECTION = {
    "roles": "role",
    "skills": "skill",
    "groups": "group",
    "training": "training",
}


@dataclass
class _Document:
    """Parsed data plus where each part of it came from (YAML only)."""

    data: Any
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict)


class _Collector:
    def __init__(self, file: str, lines: Mapping[tuple[Any, ...], int]):
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []

    def line_of(self, path: tuple[Any, ...]) -> int | None:
        # The deepest known ancestor of a path gives the closest line.
        for cut in range(len(path), -1, -1):
            line = self.lines.get(path[:cut])
            if line is not None:
                return line
        return None

    def add(self, path: tuple[Any, ...], where: str, message: str, fld: str = "") -> None:
        self.problems.append(Problem(self.file, where, message, fld, self.line_of(path)))


def load_graph(path: str | Path | None = None) -> nx.DiGraph:
    """Load a career-graph file (YAML or JSON) into a frozen ``DiGraph``.

    Parameters
    ----------
    path : path to a ``.yaml``/``.yml``/``.json`` file; ``None`` loads the default data set.

    Returns
    -------
    A frozen ``networkx.DiGraph``: node attribute ``kind`` (role, skill, group, training), edge
    attribute ``kind`` (prerequisite, requirement, option, progression, teaches, entry), every other
    field of the file as attributes. Graph attributes: ``name``, ``description``, ``source``,
    ``notes``, ``file``.

    Raises
    ------
    DataError
        With every problem found, when the file cannot be read or is invalid.

    Examples
    --------
    >>> G = load_graph()
    >>> G.nodes["django"]["kind"], G.edges["python", "django"]["kind"]
    ('skill', 'prerequisite')
    """
    file = Path(path) if path is not None else DEFAULT_DATA
    label = str(path) if path is not None else f"data/{DEFAULT_DATA.name}"
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataError([Problem(label, "", _too_big(size, MAX_FILE_BYTES))])
        raw = file.read_bytes()
    except OSError as exc:
        raise DataError(
            [Problem(label, "", f"cannot read the file: {exc.strerror or exc}")]
        ) from None
    return graph_from_text(raw, label, fmt=_format_of(file.name))


def graph_from_text(raw: bytes | str, file: str = "<data>", fmt: str | None = None) -> nx.DiGraph:
    """Build the graph from a document's text (an upload, say); ``file`` names it in messages.

    ``fmt`` is ``"yaml"`` or ``"json"``; ``None`` guesses from ``file``'s extension (YAML, a
    superset of JSON, by default).
    """
    fmt = fmt or _format_of(file)
    limit = MAX_YAML_BYTES if fmt == "yaml" else MAX_FILE_BYTES
    size = len(raw)
    if size > limit:
        raise DataError([Problem(file, "", _too_big(size, limit))])
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
    doc = _parse_json(text, file) if fmt == "json" else _parse_yaml(text, file)
    return _build(doc, file)


def node_ids(G: nx.DiGraph, kind: str) -> list[str]:
    """The ids of the nodes of one kind, in file order."""
    return [n for n, k in G.nodes(data="kind") if k == kind]


def _format_of(name: str) -> str:
    return "json" if name.lower().endswith(".json") else "yaml"


def _too_big(size: int, limit: int) -> str:
    return f"the file is {size:,} bytes, over the limit of {limit:,} bytes"


# --- parsing ---------------------------------------------------------------------------------


def _parse_json(text: str, file: str) -> _Document:
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                duplicates.append(key)
            out[key] = value
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
    return _Document(data)


_YamlLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_yaml(text: str, file: str) -> _Document:
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
        lines: dict[tuple[Any, ...], int] = {}
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
        return _Document(data, lines)
    finally:
        loader.dispose()


def _walk_yaml(root: yaml.Node, file: str, lines: dict[tuple[Any, ...], int]) -> list[Problem]:
    """Record the line of every path, and find duplicate keys, runaway aliases and deep nesting."""
    problems: list[Problem] = []
    budget = MAX_YAML_NODES
    stack: list[tuple[yaml.Node, tuple[Any, ...]]] = [(root, ())]
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
                            _path_text(path),
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


def _path_text(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# --- validation and building -----------------------------------------------------------------


def _entry_label(section: str, index: int, entry: Any) -> str:
    ident = entry.get("id") if isinstance(entry, dict) else None
    label = f"{section}[{index}]"
    if isinstance(ident, str):
        label += f" {ident!r}"
    return label


def _loc_text(loc: tuple[Any, ...]) -> str:
    return _path_text(tuple(loc))


def _pydantic_problems(
    out: _Collector, base: tuple[Any, ...], where: str, error: ValidationError
) -> None:
    for item in error.errors(include_url=False):
        loc = tuple(item.get("loc", ()))
        message = item.get("msg", "invalid value")
        if item.get("type") == "extra_forbidden":
            message = "unknown field"
        elif item.get("type") == "missing":
            message = "required field is missing"
        value = item.get("input")
        if item.get("type") not in ("missing", "extra_forbidden") and isinstance(
            value, (str, int, float, bool)
        ):
            shown = repr(value)
            message += f" (got {shown[:60] + '…' if len(shown) > 60 else shown})"
        out.add(base + loc, where, message, _loc_text(loc))


def _build(doc: _Document, file: str) -> nx.DiGraph:
    out = _Collector(file, doc.lines)
    data = doc.data
    if not isinstance(data, dict):
        got = type(data).__name__ if data is not None else "nothing"
        raise DataError([Problem(file, "", f"the top level must be a mapping, got {got}", line=1)])

    # Top-level fields first; entries are checked one by one so that one bad entry does not
    # hide the problems (or the references) of the others.
    head = {k: v for k, v in data.items() if k not in ENTRY_MODELS}
    try:
        meta = DataFile.model_validate(head)
    except ValidationError as exc:
        meta = None
        _pydantic_problems(out, (), "top level", exc)

    entries: dict[str, list[tuple[int, BaseModel]]] = {}
    # Ids of entries that failed their own checks: references to them are not reported again.
    broken: set[str] = set()
    for section, model in ENTRY_MODELS.items():
        raw = data.get(section, [])
        if raw is None:
            raw = []
        if not isinstance(raw, list):
            out.add((section,), section, f"must be a list, got {type(raw).__name__}")
            continue
        good: list[tuple[int, BaseModel]] = []
        for index, entry in enumerate(raw):
            where = _entry_label(section, index, entry)
            if not isinstance(entry, dict):
                out.add(
                    (section, index),
                    where,
                    f"must be a mapping, got {type(entry).__name__}",
                )
                continue
            try:
                good.append((index, model.model_validate(entry)))
            except ValidationError as exc:
                _pydantic_problems(out, (section, index), where, exc)
                if isinstance(entry.get("id"), str):
                    broken.add(entry["id"])
        entries[section] = good

    G = nx.DiGraph()
    if meta is not None:
        G.graph.update(
            name=meta.name,
            description=meta.description,
            source=meta.source,
            notes=tuple(meta.notes),
            file=file,
            format=meta.format,
        )

    # Nodes, with duplicate ids found across every section.
    first_seen: dict[str, str] = {}
    for section, items in entries.items():
        kind = _KIND_OF_SECTION[section]
        for index, entry in items:
            ident = entry.id  # type: ignore[attr-defined]
            where = f"{section}[{index}] {ident!r}"
            if ident in first_seen:
                out.add(
                    (section, index, "id"),
                    where,
                    f"duplicate id (also {first_seen[ident]})",
                    "id",
                )
                continue
            first_seen[ident] = where
            G.add_node(ident, kind=kind, **_node_attrs(entry))

    known = sorted(G.nodes)

    def edge(
        section: str,
        index: int,
        fld: str,
        path: tuple[Any, ...],
        src: str,
        dst: str,
        kind: str,
        **attrs: Any,
    ) -> None:
        where = f"{section}[{index}] {(dst if kind != 'teaches' and kind != 'entry' else src)!r}"
        other = src if dst in G and G.nodes[dst]["kind"] in EDGE_ENDS[kind][1] else dst
        if other not in G:
            if other in broken:
                return
            wanted = "/".join(sorted(EDGE_ENDS[kind][0] if other == src else EDGE_ENDS[kind][1]))
            hint = difflib.get_close_matches(other, known, n=3, cutoff=0.6)
            message = f"unknown {wanted} {other!r}"
            if hint:
                message += " — did you mean " + ", ".join(repr(h) for h in hint) + "?"
            out.add(path, where, message, fld)
            return
        sources, targets = EDGE_ENDS[kind]
        if G.nodes[src]["kind"] not in sources or G.nodes[dst]["kind"] not in targets:
            bad = src if G.nodes[src]["kind"] not in sources else dst
            allowed = sources if bad == src else targets
            out.add(
                path,
                where,
                f"{bad!r} is a {G.nodes[bad]['kind']}, but a {kind} here must name a "
                + " or ".join(sorted(allowed)),
                fld,
            )
            return
        if src == dst:
            out.add(path, where, f"{src!r} refers to itself", fld)
            return
        if G.has_edge(src, dst):
            out.add(path, where, f"{other!r} is listed twice", fld)
            return
        G.add_edge(src, dst, kind=kind, **attrs)

    for index, role in entries.get("roles", []):
        r = role.id  # type: ignore[attr-defined]
        if first_seen.get(r) != f"roles[{index}] {r!r}":
            continue
        for j, req in enumerate(role.requires):  # type: ignore[attr-defined]
            edge(
                "roles",
                index,
                f"requires[{j}].id",
                ("roles", index, "requires", j, "id"),
                req.id,
                r,
                "requirement",
                level=req.level,
                importance=req.importance,
            )
        for j, nxt in enumerate(role.next):  # type: ignore[attr-defined]
            edge(
                "roles",
                index,
                f"next[{j}].id",
                ("roles", index, "next", j, "id"),
                r,
                nxt.id,
                "progression",
                years=nxt.years,
            )
    for index, skill in entries.get("skills", []):
        s = skill.id  # type: ignore[attr-defined]
        if first_seen.get(s) != f"skills[{index}] {s!r}":
            continue
        for j, pre in enumerate(skill.requires):  # type: ignore[attr-defined]
            edge(
                "skills",
                index,
                f"requires[{j}].id",
                ("skills", index, "requires", j, "id"),
                pre.id,
                s,
                "prerequisite",
                level=pre.level,
            )
    for index, group in entries.get("groups", []):
        g = group.id  # type: ignore[attr-defined]
        if first_seen.get(g) != f"groups[{index}] {g!r}":
            continue
        for j, opt in enumerate(group.options):  # type: ignore[attr-defined]
            edge(
                "groups",
                index,
                f"options[{j}].id",
                ("groups", index, "options", j, "id"),
                opt.id,
                g,
                "option",
                level=opt.level,
            )
    for index, route in entries.get("training", []):
        t = route.id  # type: ignore[attr-defined]
        if first_seen.get(t) != f"training[{index}] {t!r}":
            continue
        for j, taught in enumerate(route.teaches):  # type: ignore[attr-defined]
            edge(
                "training",
                index,
                f"teaches[{j}].id",
                ("training", index, "teaches", j, "id"),
                t,
                taught.id,
                "teaches",
                level=taught.level,
            )
        for j, role_id in enumerate(route.leads_to):  # type: ignore[attr-defined]
            edge(
                "training",
                index,
                f"leads_to[{j}]",
                ("training", index, "leads_to", j),
                t,
                role_id,
                "entry",
            )

    _check_groups_used(G, out)
    _check_cycles(G, out, first_seen)
    if out.problems:
        raise DataError(out.problems)
    return nx.freeze(G)


def _node_attrs(entry: BaseModel) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    for name in type(entry).model_fields:
        if name in ("id", "requires", "next", "options", "teaches", "leads_to"):
            continue
        value = getattr(entry, name)
        if isinstance(value, BaseModel):
            value = value.model_dump()
        elif isinstance(value, list):
            value = tuple(value)
        attrs[name] = value
    return attrs


def _check_groups_used(G: nx.DiGraph, out: _Collector) -> None:
    """A group that no role requires can never count for anything: almost surely a mistake."""
    for node, kind in G.nodes(data="kind"):
        if kind == "group" and not any(
            G.edges[node, succ]["kind"] == "requirement" for succ in G.successors(node)
        ):
            out.add((), f"group {node!r}", "no role requires this group")


def _check_cycles(G: nx.DiGraph, out: _Collector, entries: Mapping[str, str]) -> None:
    """Report one cycle per strongly connected component, placed at the entry that declares
    its first edge (a prerequisite is declared by the skill that needs it)."""
    for component in _cyclic_components(G):
        cycle = nx.find_cycle(G.subgraph(component))
        names = [u for u, _v in cycle] + [cycle[0][0]]
        u, v = cycle[0][0], cycle[0][1]
        declared_by = u if G.edges[u, v]["kind"] in ("progression", "teaches", "entry") else v
        out.add(
            (),
            entries.get(declared_by, repr(declared_by)),
            "cycle: " + " → ".join(names) + " (edges must point from what is needed to what "
            "needs it)",
        )


def _cyclic_components(G: nx.DiGraph) -> Iterator[set[str]]:
    for component in nx.strongly_connected_components(G):
        if len(component) > 1:
            yield component
