"""A parsed document to the ``networkx.DiGraph`` it describes, checked as a whole.

Each file section lists one kind of node (see :data:`skilltree.model.NODE_KINDS`); the fields
of an entry that name other nodes become edges, as the table :data:`LINKS` says: which field,
which edge kind, and whether the entry stands at the edge's source or its target. Edges always
point from what is needed to what needs it. Validation gathers every problem before it fails,
each one placed by file, line, entry and field, and a document that fails never yields a
half-built graph.

What is checked here: the top level being a mapping, each entry's shape (the schema), duplicate
ids across sections, unknown references (with close matches), the kinds at both ends of every
edge, self-references and repeated links, groups no role requires, and cycles (reported as the
cycle, at the entry that declares its first edge). Not checked: whether the figures are
realistic.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
from pydantic import BaseModel, ValidationError

from ..errors import DataError, Problem
from ..gcpause import gc_paused
from ..model import DEFAULT_LEVELS, DEFAULT_TRACKS, EDGE_KINDS, NODE_KINDS
from ..names import CloseMatches
from ..schema import ENTRY_MODELS, DataFile
from .document import Document, Place, path_text

__all__ = [
    "LINKS",
    "MAX_PROBLEMS",
    "MAX_SUGGESTIONS",
    "Link",
    "graph_from_data",
    "graph_from_document",
]

#: Problems gathered at most; past this the check stops and says how far it got.
MAX_PROBLEMS = 1000
#: Unknown references given close matches at most (each one is an index lookup).
MAX_SUGGESTIONS = 200


@dataclass(frozen=True, slots=True)
class Link:
    """A field of an entry that names other nodes, and the edges it makes.

    ``outward`` is true when the entry is the edge's source (a role's ``next`` rung), false when
    it is the target (a skill's ``requires``). Items are pydantic models with an ``id`` (their
    other fields become edge attributes) or bare ids.
    """

    field: str
    edge: str
    outward: bool


#: Section → the fields of its entries that make edges.
LINKS: dict[str, tuple[Link, ...]] = {
    "roles": (Link("requires", "requirement", False), Link("next", "progression", True)),
    "skills": (Link("requires", "prerequisite", False), Link("after", "after", False)),
    "groups": (Link("options", "option", False),),
    "training": (Link("teaches", "teaches", True), Link("leads_to", "entry", True)),
}


#: (section, field) → its link.
LINK_OF = {(section, link.field): link for section, links in LINKS.items() for link in links}


class _Collector:
    """Problems as they are found, placed by line; full once ``MAX_PROBLEMS`` are held. It also
    keeps the time budget: :meth:`tick` stops the check once the deadline has passed."""

    def __init__(self, doc: Document, time_limit: float | None = None):
        self.doc = doc
        self.problems: list[Problem] = []
        self.time_limit = time_limit
        self.deadline = time.monotonic() + time_limit if time_limit is not None else None
        self.ticks = 0

    def tick(self, where: str) -> None:
        """Count one unit of work; past the deadline, stop with a clear message."""
        self.ticks += 1
        if self.deadline is None or self.ticks % 256:
            return
        if time.monotonic() > self.deadline:
            raise DataError(
                [
                    Problem(
                        self.doc.file,
                        where,
                        f"checking the file took more than {self.time_limit:g} s and was "
                        "stopped; split the ladder or send it as JSON",
                    )
                ]
            )

    @property
    def full(self) -> bool:
        return len(self.problems) >= MAX_PROBLEMS

    def add(self, path: Place, where: str, message: str, fld: str = "") -> None:
        if not self.full:
            self.problems.append(
                Problem(self.doc.file, where, message, fld, self.doc.line_of(path))
            )

    def fail(self) -> DataError:
        problems = list(self.problems)
        if self.full:
            problems.append(
                Problem(
                    self.doc.file,
                    "",
                    f"stopped after {MAX_PROBLEMS:,} problems; fix these and check again",
                )
            )
        return DataError(problems)


def graph_from_data(data: Any, file: str = "<data>", time_limit: float | None = None) -> nx.DiGraph:
    """The graph a data mapping describes (as a data file holds it), checked and frozen.

    Raises
    ------
    DataError
        With every problem found (up to ``MAX_PROBLEMS``), or when checking takes longer than
    ``time_limit`` seconds (no limit by default).

    Examples
    --------
    >>> G = graph_from_data({
    ...     "name": "Tiny",
    ...     "roles": [{"id": "dev", "name": "Developer", "rank": 1, "requires": [{"id": "git"}]}],
    ...     "skills": [{"id": "git", "name": "Git", "category": "tool",
    ...                 "description": "Version control.", "hours": [5, 10, 20]}],
    ... })
    >>> G.edges["git", "dev"]["kind"], G.edges["git", "dev"]["importance"]
    ('requirement', 'essential')
    """
    return graph_from_document(Document(data, file), time_limit)


@gc_paused()
def graph_from_document(doc: Document, time_limit: float | None = None) -> nx.DiGraph:
    """The graph of a parsed document; see :func:`graph_from_data`."""
    out = _Collector(doc, time_limit)
    data = doc.data
    if not isinstance(data, dict):
        got = type(data).__name__ if data is not None else "nothing"
        raise DataError(
            [Problem(doc.file, "", f"the top level must be a mapping, got {got}", line=1)]
        )

    # Top-level fields first; entries are checked one by one so that one bad entry does not
    # hide the problems (or the references) of the others.
    head = {k: v for k, v in data.items() if k not in ENTRY_MODELS}
    meta: DataFile | None
    try:
        meta = DataFile.model_validate(head)
    except ValidationError as exc:
        meta = None
        _schema_problems(out, (), "top level", exc)

    entries, broken = _entries(data, out)
    levels = tuple(meta.levels) if meta is not None and meta.levels else DEFAULT_LEVELS
    tracks = (
        tuple({"id": t.id, "name": t.name} for t in meta.tracks)
        if meta is not None and meta.tracks
        else tuple({"id": t.id, "name": t.name} for t in DEFAULT_TRACKS)
    )
    G = nx.DiGraph()
    if meta is not None:
        G.graph.update(
            name=meta.name,
            description=meta.description,
            source=meta.source,
            notes=tuple(meta.notes),
            file=doc.file,
            format=meta.format,
            levels=levels,
            tracks=tracks,
            reader_notes=tuple(doc.notes),
            categories=tuple(c.model_dump() for c in meta.categories),
        )
    ladder = _Ladder(levels, frozenset(t["id"] for t in tracks))
    for section, items in entries.items():
        for index, entry in items:
            _check_entry(out, ladder, section, index, entry)

    declared = _add_nodes(G, entries, out)
    _add_edges(G, entries, declared, broken, ladder, out)

    _check_picks(G, out, entries, declared)
    _check_groups_used(G, out)
    _check_cycles(G, out, declared)
    if out.problems:
        raise out.fail()
    return nx.freeze(G)


@dataclass(frozen=True, slots=True)
class _Ladder:
    """What the whole file declares that single entries are checked against."""

    levels: tuple[str, ...]
    tracks: frozenset[str]

    def past_top(self, level: int) -> str:
        return (
            f"level {level} is past the top: this ladder has {len(self.levels)} levels "
            f"({', '.join(self.levels)})"
        )


def _check_entry(out: _Collector, ladder: _Ladder, section: str, index: int, entry: Any) -> None:
    """Checks of one entry against the ladder's own levels and tracks."""
    where = f"{section}[{index}] {entry.id!r}"
    count = len(ladder.levels)
    if section == "skills":
        if len(entry.hours) != count:
            out.add(
                (section, index, "hours"),
                where,
                f"this ladder has {count} levels, so hours needs {count} figures (one per level "
                f"step), got {len(entry.hours)}",
                "hours",
            )
        if len(entry.levels) > count:
            out.add(
                (section, index, "levels"),
                where,
                f"this ladder has {count} levels, but {len(entry.levels)} level texts are given",
                "levels",
            )
    elif section == "roles" and entry.track not in ladder.tracks:
        out.add(
            (section, index, "track"),
            where,
            f"unknown track {entry.track!r}; this ladder's tracks are "
            + ", ".join(sorted(ladder.tracks)),
            "track",
        )


def _check_picks(
    G: nx.DiGraph,
    out: _Collector,
    entries: Mapping[str, list[tuple[int, BaseModel]]],
    declared: Mapping[str, tuple[str, int]],
) -> None:
    """A requirement's own ``pick`` applies to a group, and no more than its options."""
    for index, role in entries.get("roles", []):
        if declared.get(role.id) != ("roles", index):  # type: ignore[attr-defined]
            continue
        for j, req in enumerate(role.requires):  # type: ignore[attr-defined]
            if req.pick is None or req.id not in G:
                continue
            where = f"roles[{index}] {role.id!r}"  # type: ignore[attr-defined]
            path = ("roles", index, "requires", j, "pick")
            fld = f"requires[{j}].pick"
            if G.nodes[req.id]["kind"] != "group":
                out.add(path, where, f"pick applies to groups, and {req.id!r} is a skill", fld)
                continue
            options = sum(1 for _ in G.predecessors(req.id))
            if req.pick > options:
                out.add(
                    path, where, f"pick is {req.pick} but {req.id!r} has {options} option(s)", fld
                )


def _entries(
    data: Mapping[str, Any], out: _Collector
) -> tuple[dict[str, list[tuple[int, BaseModel]]], set[str]]:
    """Each section's entries that pass the schema, and the ids of those that do not (references
    to them are not reported again)."""
    entries: dict[str, list[tuple[int, BaseModel]]] = {}
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
            if out.full:
                raise out.fail()
            where = _entry_label(section, index, entry)
            out.tick(where)
            if not isinstance(entry, dict):
                out.add((section, index), where, f"must be a mapping, got {type(entry).__name__}")
                continue
            try:
                good.append((index, model.model_validate(entry)))
            except ValidationError as exc:
                _schema_problems(out, (section, index), where, exc)
                if isinstance(entry.get("id"), str):
                    broken.add(entry["id"])
        entries[section] = good
    return entries, broken


def _add_nodes(
    G: nx.DiGraph, entries: Mapping[str, list[tuple[int, BaseModel]]], out: _Collector
) -> dict[str, tuple[str, int]]:
    """Add a node per entry; return where each id was first declared (duplicates are problems)."""
    declared: dict[str, tuple[str, int]] = {}
    kind_of = {kind.section: kind.id for kind in NODE_KINDS.values()}
    for section, items in entries.items():
        skip = {"id", *(link.field for link in LINKS[section])}
        for index, entry in items:
            ident = entry.id  # type: ignore[attr-defined]
            if ident in declared:
                first_section, first_index = declared[ident]
                out.add(
                    (section, index, "id"),
                    f"{section}[{index}] {ident!r}",
                    f"duplicate id (also {first_section}[{first_index}] {ident!r})",
                    "id",
                )
                continue
            declared[ident] = (section, index)
            G.add_node(ident, kind=kind_of[section], **_node_attrs(entry, skip))
    return declared


class _Suggestions:
    """Close matches among the graph's ids, for at most ``MAX_SUGGESTIONS`` unknown references."""

    def __init__(self, G: nx.DiGraph):
        self._G = G
        self._index: CloseMatches | None = None
        self._left = MAX_SUGGESTIONS

    def __call__(self, ident: str) -> list[str]:
        if self._left <= 0:
            return []
        self._left -= 1
        if self._index is None:
            self._index = CloseMatches(sorted(self._G.nodes))
        return self._index(ident)


def _add_edges(
    G: nx.DiGraph,
    entries: Mapping[str, list[tuple[int, BaseModel]]],
    declared: Mapping[str, tuple[str, int]],
    broken: set[str],
    ladder: _Ladder,
    out: _Collector,
) -> None:
    """Add the edges the entries' links make, in file order; a link that cannot make one is a
    problem (unless it names an entry that failed its own check).

    This runs once per link (over a hundred thousand on a large ladder): a good link costs a few
    lookups and is written straight into the new graph's adjacency tables (networkx's
    ``add_edges_from`` spends a third of a large load on checks made here already); the texts
    that place a problem are made only for a bad one.
    """
    kind_of = {n: data["kind"] for n, data in G._node.items()}
    succ, pred = G._succ, G._pred
    suggest = _Suggestions(G)
    top = len(ladder.levels)
    for section, items in entries.items():
        for index, entry in items:
            ident = entry.id  # type: ignore[attr-defined]
            if declared.get(ident) != (section, index):
                continue
            out.tick(f"{section}[{index}] {ident!r}")
            for link in LINKS[section]:
                kind, outward = link.edge, link.outward
                ends = EDGE_KINDS[kind]
                # The entry's own end is right by construction of LINKS; the other end is checked.
                allowed = ends.targets if outward else ends.sources
                linked = succ[ident] if outward else pred[ident]
                for j, item in enumerate(getattr(entry, link.field)):
                    attrs: dict[str, Any]
                    if type(item) is str:
                        attrs, other = {"kind": kind}, item
                    else:
                        # A link item's fields are plain values: its edge's attributes.
                        attrs = {"kind": kind, **item.__dict__}
                        other = attrs.pop("id")
                    if (
                        kind_of.get(other) in allowed
                        and other != ident
                        and other not in linked
                        and attrs.get("level", 1) <= top
                    ):
                        if outward:
                            succ[ident][other] = pred[other][ident] = attrs
                        else:
                            succ[other][ident] = pred[ident][other] = attrs
                        continue
                    src, dst = (ident, other) if outward else (other, ident)
                    place = _LinkPlace(
                        section, index, ident, link.field, j, isinstance(item, BaseModel)
                    )
                    _link_problem(out, suggest, broken, G._node, ladder, place, (src, dst), attrs)
            if out.full:
                raise out.fail()


@dataclass(frozen=True, slots=True)
class _LinkPlace:
    """Where a link stands: item ``j`` of field ``fld`` of an entry (an item with an ``id``
    field when ``keyed``, a bare id otherwise)."""

    section: str
    index: int
    ident: str
    fld: str
    j: int
    keyed: bool

    @property
    def where(self) -> str:
        return f"{self.section}[{self.index}] {self.ident!r}"

    def path(self, part: str = "id") -> Place:
        tail = (part,) if self.keyed else ()
        return (self.section, self.index, self.fld, self.j, *tail)

    def field(self, part: str = "id") -> str:
        return f"{self.fld}[{self.j}]" + (f".{part}" if self.keyed else "")


def _link_problem(
    out: _Collector,
    suggest: Callable[[str], list[str]],
    broken: set[str],
    nodes: Mapping[str, Mapping[str, Any]],
    ladder: _Ladder,
    place: _LinkPlace,
    ends_of: tuple[str, str],
    attrs: dict[str, Any],
) -> None:
    """Report what keeps a link from making an edge."""
    path, where, fld = place.path(), place.where, place.field()
    if attrs.get("level", 1) > len(ladder.levels):
        out.add(place.path("level"), where, ladder.past_top(attrs["level"]), place.field("level"))
        return
    src, dst = ends_of
    link = LINK_OF[place.section, place.fld]
    kind = link.edge
    ends = EDGE_KINDS[kind]
    dst_kind = nodes[dst]["kind"] if dst in nodes else None
    other = src if dst_kind in ends.targets else dst
    if other not in nodes:
        if other in broken:
            return
        wanted = "/".join(sorted(ends.sources if other == src else ends.targets))
        message = f"unknown {wanted} {other!r}"
        hint = suggest(other)
        if hint:
            message += " — did you mean " + ", ".join(repr(h) for h in hint) + "?"
        out.add(path, where, message, fld)
        return
    src_kind = nodes[src]["kind"]
    dst_kind = nodes[dst]["kind"]
    if src_kind not in ends.sources or dst_kind not in ends.targets:
        bad, bad_kind = (src, src_kind) if src_kind not in ends.sources else (dst, dst_kind)
        allowed = ends.sources if bad == src else ends.targets
        out.add(
            path,
            where,
            f"{bad!r} is a {bad_kind}, but a {kind} here must name a "
            + " or ".join(sorted(allowed)),
            fld,
        )
        return
    if src == dst:
        out.add(path, where, f"{src!r} refers to itself", fld)
        return
    far = dst if link.outward else src
    out.add(path, where, f"{far!r} is listed twice", fld)


def _entry_label(section: str, index: int, entry: Any) -> str:
    ident = entry.get("id") if isinstance(entry, dict) else None
    label = f"{section}[{index}]"
    if isinstance(ident, str):
        label += f" {ident[:64]!r}"
    return label


def _schema_problems(out: _Collector, base: Place, where: str, error: ValidationError) -> None:
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
        out.add(base + loc, where, message, path_text(loc))


def _node_attrs(entry: BaseModel, skip: set[str]) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    for name, value in entry.__dict__.items():  # the fields, in their declared order
        if name in skip:
            continue
        if isinstance(value, list):
            value = tuple(v.model_dump() if isinstance(v, BaseModel) else v for v in value)
        elif isinstance(value, BaseModel):
            value = value.model_dump()
        attrs[name] = value
    return attrs


def _check_groups_used(G: nx.DiGraph, out: _Collector) -> None:
    """A group that no role requires can never count for anything: almost surely a mistake."""
    for node, kind in G.nodes(data="kind"):
        if kind == "group" and not any(
            G.edges[node, succ]["kind"] == "requirement" for succ in G.successors(node)
        ):
            out.add((), f"group {node!r}", "no role requires this group")


def _check_cycles(G: nx.DiGraph, out: _Collector, declared: Mapping[str, tuple[str, int]]) -> None:
    """Report one cycle per strongly connected component, placed at the entry that declares
    its first edge (a prerequisite is declared by the skill that needs it)."""
    for component in _cyclic_components(G):
        cycle = nx.find_cycle(G.subgraph(component))
        names = [u for u, _v in cycle] + [cycle[0][0]]
        u, v = cycle[0][0], cycle[0][1]
        by_source = EDGE_KINDS[G.edges[u, v]["kind"]].declared_by == "source"
        node = u if by_source else v
        section, index = declared[node]
        out.add(
            (section, index),
            f"{section}[{index}] {node!r}",
            "cycle: " + " → ".join(names) + " (edges must point from what is needed to what "
            "needs it)",
        )


def _cyclic_components(G: nx.DiGraph) -> Iterator[set[str]]:
    for component in nx.strongly_connected_components(G):
        if len(component) > 1:
            yield component
