"""Reading a roadmap.sh roadmap: the JSON its editor saves, checked and turned into plain nodes
and edges, each subtopic hung on its topic, the title and the buttons' links. The mapping to
format 2 is :mod:`.roadmap_sh`.

The file is a React Flow canvas, ``{"nodes": [...], "edges": [...]}``. A node has ``id``,
``type``, ``position`` {x, y}, a size (``width``/``height`` or ``style``) and ``data`` with a
``label``; buttons add ``data.href``; a node may carry a marker ``data.legend`` {id, label,
color, position} that repeats an entry of the ``legend`` node's ``data.legends`` list. An edge
has ``id``, ``source``, ``target``, handles and a style (``data.edgeStyle`` solid or dashed).
The structure is in the drawing (which box a subtopic sits in, which edge links it to a topic),
so reading it means reading positions. The older Balsamiq files (``{"mockup": {...}}``) are
refused with a clear message.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .common import (
    MAX_RESOURCES,
    Collector,
    clean_name,
    failure,
    file_stem,
    plural,
    resource,
)
from .csvfiles import decode_utf8

__all__ = [
    "LEGEND_KINDS",
    "MAX_BYTES",
    "Node",
    "button_links",
    "find_parents",
    "legend_kind",
    "read_roadmap",
    "roadmap_title",
]

MAX_BYTES = 32 * 1024 * 1024
#: What a legend marker can mean to us.
LEGEND_KINDS = ("recommended", "alternative", "optional", "anytime", "none")
#: Colours of roadmap.sh's legend entries, for markers whose label we cannot read.
LEGEND_COLOURS = {"#874efe": "recommended", "#4f7a28": "alternative", "#929292": "anytime"}
OPTIONAL_WORDS = ("optional", "not recommend", "nice to have", "if you want")

#: A problem in the file: (line, where, field, message).
Bad = Callable[[int | None, str, str, str], None]


@dataclass
class Node:
    id: str
    type: str
    label: str
    x: float
    y: float
    w: float
    h: float
    key: str = ""
    kind: str = "none"
    href: str = ""
    grouped: bool = False
    parent: str | None = None
    box: str | None = None


def legend_kind(legend: Mapping[str, Any], overrides: Mapping[str, str]) -> str:
    """The meaning of a marker: the caller's override (by id or label), else its label's words,
    else its colour.

    >>> legend_kind({"label": "Alternative option - pick this or purple"}, {})
    'alternative'
    """
    label = str(legend.get("label", "")).casefold()
    for key in (str(legend.get("id", "")).casefold(), label):
        if key in overrides:
            return overrides[key]
    if "alternative" in label or "pick this" in label:
        return "alternative"
    if "not strict" in label or "anytime" in label or "any order" in label:
        return "anytime"
    if any(word in label for word in OPTIONAL_WORDS):
        return "optional"
    if "recommend" in label or "opinion" in label:
        return "recommended"
    return LEGEND_COLOURS.get(str(legend.get("color", "")).casefold(), "none")


def _number(value: Any, default: float = 0.0) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return float(value) if ok else default


def _parse(data: bytes, file: str) -> tuple[list[Any], list[Any], dict[str, list[int]]]:
    """Nodes, edges and the lines where each ``"id"`` value stands (for placing problems)."""
    if len(data) > MAX_BYTES:
        raise failure(file, f"the file is {len(data):,} bytes; at most {MAX_BYTES:,}")
    text = decode_utf8(data, file)
    if not text.strip():
        raise failure(file, "the file is empty")
    try:
        top = json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"broken JSON: {exc.msg} (column {exc.colno})"
        raise failure(file, message, line=exc.lineno) from None
    except (RecursionError, ValueError) as exc:
        raise failure(file, f"unreadable JSON: {type(exc).__name__}") from None
    if isinstance(top, dict) and "mockup" in top:
        message = "this is the older Balsamiq mockup format, not the editor's nodes and edges"
        raise failure(file, message, line=1)
    if not isinstance(top, dict) or not isinstance(top.get("nodes"), list):
        message = "a roadmap.sh roadmap is an object with a 'nodes' list"
        raise failure(file, message, field="nodes", line=1)
    if not isinstance(top.get("edges", []), list):
        raise failure(file, "must be a list", field="edges", line=1)
    lines: dict[str, list[int]] = {}
    for m in re.finditer(r'"id"\s*:\s*"((?:[^"\\]|\\.)*)"', text):
        lines.setdefault(m.group(1), []).append(text.count("\n", 0, m.start()) + 1)
    return top["nodes"], top.get("edges", []), lines


def _node(
    raw: Any, i: int, line: int | None, overrides: Mapping[str, str], bad: Bad
) -> Node | None:
    """The node, or ``None`` and a problem."""
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
        bad(None, f"nodes[{i}]", "id", "a node must be an object with an 'id' string")
        return None
    data, where = raw.get("data", {}), f"nodes[{i}] {raw['id']!r}"
    label = data.get("label", "") if isinstance(data, dict) else None
    if not isinstance(raw.get("type"), str) or not isinstance(data, dict):
        bad(line, where, "type", "a node needs a 'type' string and a 'data' object")
        return None
    if not isinstance(label, str):
        bad(line, where, "data.label", "the label must be text")
        return None
    pos = raw["position"] if isinstance(raw.get("position"), dict) else {}
    size = raw["style"] if isinstance(raw.get("style"), dict) else {}
    node = Node(
        raw["id"],
        raw["type"],
        clean_name(label),
        _number(pos.get("x")),
        _number(pos.get("y")),
        _number(raw.get("width"), _number(size.get("width"))),
        _number(raw.get("height"), _number(size.get("height"))),
    )
    if isinstance(data.get("href"), str):
        node.href = data["href"].strip()
    if isinstance(data.get("legend"), dict):
        node.kind = legend_kind(data["legend"], overrides)
    return node


def read_roadmap(
    data: bytes, file: str, overrides: Mapping[str, str], report: list[str]
) -> tuple[dict[str, Node], list[tuple[str, str]], list[dict[str, Any]]]:
    """Nodes by id, edges as (source, target) and the legend node's entries. Problems are
    gathered and raised together; edges to nodes already reported are not reported again."""
    raw_nodes, raw_edges, lines = _parse(data, file)
    found = Collector()

    def bad(line: int | None, where: str, fld: str, message: str) -> None:
        found.add(file, where, message, fld, line)

    nodes: dict[str, Node] = {}
    legends: list[dict[str, Any]] = []
    broken: set[str] = set()
    seen: dict[str, int] = {}  # the k-th node with an id stands at its k-th "id" in the text
    for i, raw in enumerate(raw_nodes):
        ident = raw.get("id") if isinstance(raw, dict) else None
        line = None
        if isinstance(ident, str):
            k = seen[ident] = seen.get(ident, -1) + 1
            at = lines.get(ident, [])
            line = at[k] if k < len(at) else None
        node = _node(raw, i, line, overrides, bad)
        if node is None:
            if isinstance(ident, str):
                broken.add(ident)
        elif node.id in nodes:
            bad(line, f"nodes[{i}] {node.id!r}", "id", "duplicate node id")
        else:
            nodes[node.id] = node
            entries = raw.get("data", {}).get("legends")
            if node.type == "legend" and isinstance(entries, list):
                legends += [e for e in entries if isinstance(e, dict)]
    edges, open_ends, loops = _edges(raw_edges, nodes, broken, lines, bad)
    found.check()
    counts: dict[str, int] = {}
    for n in nodes.values():
        counts[n.type] = counts.get(n.type, 0) + 1
    kinds = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
    report.append(
        f"Read a roadmap.sh editor file: {plural(len(nodes), 'node')} ({kinds}) and "
        f"{plural(len(raw_edges), 'edge')}."
    )
    if open_ends:
        report.append(
            f"{plural(open_ends, 'edge')} missing a source or target (left over in "
            "the editor) dropped."
        )
    if loops:
        report.append(f"{plural(loops, 'edge')} from a node to itself dropped.")
    return nodes, edges, legends


def _edges(
    raw_edges: list[Any],
    nodes: dict[str, Node],
    broken: set[str],
    lines: dict[str, list[int]],
    bad: Bad,
) -> tuple[list[tuple[str, str]], int, int]:
    """Edges as (source, target), and how many had an open end or looped; dangling ones are
    problems (unless they touch a node already reported)."""
    edges: list[tuple[str, str]] = []
    open_ends = loops = 0
    for j, e in enumerate(raw_edges):
        if not isinstance(e, dict):
            bad(None, f"edges[{j}]", "", "an edge must be an object")
            continue
        ends = (e.get("source"), e.get("target"))
        where = f"edges[{j}]" + (f" {e['id']!r}" if isinstance(e.get("id"), str) else "")
        if any(end in (None, "") for end in ends):
            open_ends += 1
        elif not any(isinstance(end, str) and end in broken for end in ends):
            for side, end in zip(("source", "target"), ends, strict=True):
                if not isinstance(end, str) or end not in nodes:
                    line = lines.get(str(e.get("id")), [None])[-1]
                    bad(line, where, side, f"names no node ({end!r}): a dangling edge")
            if all(isinstance(end, str) and end in nodes for end in ends):
                loops += ends[0] == ends[1]
                if ends[0] != ends[1]:
                    edges.append((str(ends[0]), str(ends[1])))
    return edges, open_ends, loops


def find_parents(nodes: dict[str, Node], edges: list[tuple[str, str]], report: list[str]) -> None:
    """Set each subtopic's topic: one it shares an edge with (the nearest when several), else the
    topic linked to a drawn box (section or paragraph) that holds the subtopic, else the topic of
    a subtopic it is linked to. ``box`` records the box or subtopic it hangs from, if any."""

    def centre(n: Node) -> tuple[float, float]:
        return n.x + n.w / 2, n.y + n.h / 2

    linked: dict[str, set[str]] = {}
    for a, b in edges:
        linked.setdefault(a, set()).add(b)
        linked.setdefault(b, set()).add(a)
    boxes = [n for n in nodes.values() if n.type in ("section", "paragraph") and n.w and n.h]
    by_edge = by_box = several = 0
    for sub in (n for n in nodes.values() if n.type == "subtopic" and n.label):
        tops: list[tuple[Node, str | None]] = [
            (nodes[t], None) for t in linked.get(sub.id, ()) if nodes[t].type == "topic"
        ]
        by_edge += bool(tops)
        if not tops:
            cx, cy = centre(sub)
            for box in boxes:
                if box.x <= cx <= box.x + box.w and box.y <= cy <= box.y + box.h:
                    near = [nodes[t] for t in linked.get(box.id, ()) if nodes[t].type == "topic"]
                    tops += [(t, box.id) for t in near]
            by_box += bool(tops)
        tops = [(t, box) for t, box in tops if t.label]
        several += len({t.id for t, _ in tops}) > 1
        if tops:
            sx, sy = centre(sub)
            top, sub.box = min(tops, key=lambda tb: math.dist((sx, sy), centre(tb[0])))
            sub.parent = top.id
    by_sub = 0
    for sub in (n for n in nodes.values() if n.type == "subtopic" and n.label and not n.parent):
        via = [nodes[t] for t in sorted(linked.get(sub.id, ())) if nodes[t].parent]
        if via:  # a detail of a detail: it hangs off a subtopic, which says where it belongs
            sub.parent, sub.box, by_sub = via[0].parent, via[0].id, by_sub + 1
    report.append(
        f"Subtopics were hung on their topic by a shared edge ({by_edge}), by sitting in a box "
        f"linked to it ({by_box}) or through a linked subtopic ({by_sub}); {several} had "
        "several topics and took the nearest."
    )
    loose = [n.label for n in nodes.values() if n.type == "subtopic" and n.label and not n.parent]
    if loose:
        report.append(
            f"{plural(len(loose), 'subtopic')} under no topic stand alone: {', '.join(loose[:5])}."
        )


def roadmap_title(nodes: dict[str, Node], file: str, name: str | None, report: list[str]) -> str:
    """The name given, else the topmost title node's label, else the file's name."""
    titles = sorted(
        (n for n in nodes.values() if n.type == "title" and n.label), key=lambda n: (n.y, n.x)
    )
    if name and clean_name(name):
        return clean_name(name)
    title = titles[0].label if titles else file_stem(file) or "roadmap"
    where = "the title node" if titles else "the file name"
    report.append(f"The role and ladder are named {title!r}, from {where}.")
    return title


def button_links(buttons: list[Node], report: list[str]) -> list[dict[str, str]]:
    """Buttons' targets as resources: http(s) links, site-relative ones made absolute; at most
    as many as the format allows."""
    out, seen = [], set()
    for b in sorted(buttons, key=lambda n: (n.y, n.x)):
        href = "https://roadmap.sh" + b.href if b.href.startswith("/") else b.href
        link = resource(b.label, href) if b.label and href not in seen else None
        if link:
            seen.add(href)
            out.append(link)
    if len(out) > MAX_RESOURCES:
        report.append(
            f"{plural(len(out), 'button link')}: the first {MAX_RESOURCES} (in reading order) "
            "kept, as a role holds at most that many links."
        )
    return out[:MAX_RESOURCES]
