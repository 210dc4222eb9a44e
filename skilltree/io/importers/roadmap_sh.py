"""A roadmap.sh roadmap (the JSON its editor saves) to a format-2 file: one role and its skills.

roadmap.sh's roadmaps are the best-known public learning paths for developer roles; importing
one gives a ladder with a sensible order to start from. Reading the file is
:mod:`.roadmap_read`. Mapping: topics and subtopics become skills (nodes with the same label
become one skill); a topic whose subtopics are marked as alternatives becomes a "pick one"
group (the recommended option preferred); nodes marked optional become optional requirements;
the drawn path between topics and each topic's hold on its subtopics become ``after`` links
(none for nodes marked "order not strict"); the whole roadmap is one role, as its sections are
drawing boxes rather than stages; decorative nodes are dropped and buttons kept as the role's
resources. roadmap.sh has no levels and no hours: two levels, every requirement at
``require_level``, hours guessed per topic and subtopic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...gcpause import gc_paused
from .common import (
    MAX_NAME,
    IdMaker,
    OptionError,
    category_slug,
    check_levels,
    check_require_level,
    declare_categories,
    failure,
    guess_hours,
    plain,
    plural,
    truncate,
)
from .roadmap_read import (
    LEGEND_KINDS,
    Node,
    button_links,
    find_parents,
    legend_kind,
    read_roadmap,
    roadmap_title,
)

__all__ = ["LEGEND_KINDS", "import_roadmap_sh"]

SKILL_TYPES = ("topic", "subtopic")
DRAWING = {
    "title",
    "paragraph",
    "label",
    "button",
    "section",
    "vertical",
    "horizontal",
    "legend",
    "checklist",
    "linksgroup",
    "todo",
    "resourceButton",
}
FIRST_STEP = {"topic": 12, "subtopic": 6}
STEP_FACTOR = 2.5
PICKED = ("alternative", "recommended")


@dataclass
class _Skill:
    name: str
    nodes: list[Node] = field(default_factory=list)
    after: set[str] = field(default_factory=set)


class _Mapping:
    """The roadmap's nodes seen as skills, groups and order."""

    def __init__(self, nodes: dict[str, Node], edges: list[tuple[str, str]]) -> None:
        self.nodes = nodes
        self.skills: dict[str, _Skill] = {}
        for n in sorted(
            (n for n in nodes.values() if n.type in SKILL_TYPES and n.label), key=self.reading
        ):
            n.key = n.label.casefold()
            self.skills.setdefault(n.key, _Skill(n.label)).nodes.append(n)
        clusters: dict[tuple[str, str | None], list[Node]] = {}
        for n in sorted(nodes.values(), key=self.reading):
            if n.parent:
                clusters.setdefault((n.parent, n.box), []).append(n)
        self.heads: set[str] = set()  # topics that became groups
        # (head node, (topic id, box id), option keys)
        self.groups: list[tuple[Node, tuple[str, str | None], list[str]]] = []
        for (top, box), kids in clusters.items():
            options = list(dict.fromkeys(k.key for k in kids if k.kind in PICKED))
            if not any(k.kind == "alternative" for k in kids) or len(options) < 2:
                continue
            for k in kids:
                k.grouped = k.kind in PICKED
            head = nodes[box] if box and nodes[box].label else nodes[top]
            self.groups.append((head, (top, box), options))
            if box is None:
                self.heads.add(top)
                self.skills[head.key].nodes.remove(head)
                if not self.skills[head.key].nodes:
                    del self.skills[head.key]
        self.back: dict[str, set[str]] = {}
        for a, b in edges:  # topic–subtopic edges are membership, not order
            if {nodes[a].type, nodes[b].type} != {"topic", "subtopic"}:
                self.back.setdefault(b, set()).add(a)

    def reading(self, n: Node) -> tuple[float, float, bool, float, float]:
        """Reading order: topics down the page, each topic before its subtopics."""
        top = self.nodes[n.parent] if n.parent else n
        return (top.y, top.x, n is not top, n.y, n.x)

    def before(self, node_id: str) -> set[str]:
        """The skills just before a node on the drawn path, looking through drawing and groups."""
        seen, todo, out = {node_id}, list(self.back.get(node_id, ())), set()
        while todo:
            cur = todo.pop()
            if cur not in seen:
                seen.add(cur)
                n = self.nodes[cur]
                if n.type in SKILL_TYPES and n.label and cur not in self.heads:
                    out.add(n.key)
                else:
                    todo.extend(self.back.get(cur, ()))
        return out

    def order(self) -> tuple[int, list[str]]:
        """Fill each skill's ``after``; the number of unordered nodes and the links cut."""
        anytime = 0
        for skill in self.skills.values():
            for n in skill.nodes:
                anytime += n.kind == "anytime"
                if n.kind != "anytime":
                    skill.after |= self.before(n.id)
                    if n.parent in self.heads:
                        skill.after |= self.before(n.parent)
                    elif n.parent:
                        skill.after.add(self.nodes[n.parent].key)
        return anytime, self._break_cycles()

    def _break_cycles(self) -> list[str]:
        """Drop links that close a cycle (depth first, reading order): the loader refuses them."""
        for key, skill in self.skills.items():
            skill.after = {k for k in skill.after if k in self.skills and k != key}
        state: dict[str, int] = {}
        cut: list[str] = []
        for start in self.skills:
            if start in state:
                continue
            state[start], stack = 1, [(start, iter(sorted(self.skills[start].after)))]
            while stack:
                key, links = stack[-1]
                nxt = next(links, None)
                if nxt is None:
                    state[key] = 2
                    stack.pop()
                elif state.get(nxt) == 1:
                    self.skills[key].after.discard(nxt)
                    cut.append(f"{self.skills[key].name} after {self.skills[nxt].name}")
                elif nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, iter(sorted(self.skills[nxt].after))))
        return cut


@gc_paused()
def import_roadmap_sh(
    data: bytes | str,
    *,
    filename: str = "roadmap.json",
    name: str | None = None,
    levels: Sequence[str] = ("basics", "working"),
    require_level: int = 1,
    legend_kinds: Mapping[str, str] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """A roadmap.sh roadmap JSON as format-2 data and the report of every assumption made.

    ``legend_kinds`` maps a legend id or label (any case) to one of :data:`LEGEND_KINDS`, for
    markers the built-in reading gets wrong; ``name`` names the role and the ladder (else the
    title node does); every requirement is at ``require_level``.

    Raises
    ------
    DataError
        Every problem found in the file (up to 50), each with its line, node or edge and field.
    OptionError
        For options it cannot use (an unknown legend kind, bad level names, …).
    """
    overrides = {k.strip().casefold(): v.strip() for k, v in (legend_kinds or {}).items()}
    for key, kind in overrides.items():
        if kind not in LEGEND_KINDS:
            raise OptionError(
                "legend_kinds", f"{key}={kind}: the kinds are {', '.join(LEGEND_KINDS)}"
            )
    levels = check_levels(levels)
    require_level = check_require_level(require_level, levels)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    report: list[str] = []
    nodes, edges, legends = read_roadmap(raw, filename, overrides, report)
    if not any(n.type in SKILL_TYPES and n.label for n in nodes.values()):
        message = "no topic or subtopic with a label: nothing to learn"
        raise failure(filename, message, field="nodes")
    drawing: dict[str, int] = {}
    for n in nodes.values():
        if n.type not in SKILL_TYPES:
            drawing[n.type] = drawing.get(n.type, 0) + 1
    unknown = ", ".join(sorted(set(drawing) - DRAWING))
    report.append(
        "Dropped as drawing, not skills: "
        + ", ".join(f"{c} {t}" for t, c in drawing.items())
        + (f" (types {unknown} are unknown here; taken as drawing)" if unknown else "")
        + "."
    )
    unnamed = sum(n.type in SKILL_TYPES and not n.label for n in nodes.values())
    if unnamed:
        report.append(f"{plural(unnamed, 'topic')} without a label dropped.")
    for entry in legends:
        kind = legend_kind(entry, overrides)
        report.append(
            f"Legend {str(entry.get('label', ''))!r} ({entry.get('color', 'no colour')}) "
            f"was read as '{kind}'."
        )
    find_parents(nodes, edges, report)
    mapping = _Mapping(nodes, edges)
    anytime, cut = mapping.order()
    return _assemble(mapping, filename, name, levels, require_level, report, anytime, cut)


def _assemble(
    m: _Mapping,
    file: str,
    name: str | None,
    levels: Sequence[str],
    require_level: int,
    report: list[str],
    anytime: int,
    cut: list[str],
) -> tuple[dict[str, Any], list[str]]:
    nodes, skills = m.nodes, m.skills
    title = truncate(roadmap_title(nodes, file, name, report), MAX_NAME)[0]
    ids = IdMaker()
    role_id = ids.make(title)
    skill_ids = {key: ids.make(s.name) for key, s in skills.items()}
    categories: dict[str, str] = {}
    order = {key: i for i, key in enumerate(skills)}
    out_skills, entries = [], []
    for key, s in skills.items():
        first = s.nodes[0]
        kind = "topic" if any(n.type == "topic" for n in s.nodes) else "subtopic"
        topic = first if kind == "topic" else nodes.get(first.parent or "")
        label = topic.label if topic else "Not under a topic"
        categories.setdefault(category_slug(label), label)
        where = (
            f"A main topic of the roadmap.sh {title!r} roadmap."
            if kind == "topic"
            else f"Under {label!r} on the roadmap.sh {title!r} roadmap."
            if topic
            else f"On the roadmap.sh {title!r} roadmap."
        )
        skill: dict[str, Any] = {
            "id": skill_ids[key],
            "name": truncate(s.name, MAX_NAME)[0],
            "category": category_slug(label),
            "description": where,
            "hours": guess_hours(FIRST_STEP[kind], len(levels), STEP_FACTOR),
        }
        if s.after:
            skill["after"] = [{"id": skill_ids[k]} for k in sorted(s.after, key=order.__getitem__)]
        out_skills.append(skill)
        direct = [n for n in s.nodes if not n.grouped]
        if direct:
            entry: dict[str, Any] = {"id": skill_ids[key], "level": require_level}
            if all(n.kind == "optional" for n in direct):
                entry["importance"] = "optional"
            entries.append((m.reading(first), entry))
    groups = [
        _group(m, head, cluster, options, ids, skill_ids, entries, require_level, report)
        for head, cluster, options in m.groups
    ]
    resources = button_links([n for n in nodes.values() if n.type == "button"], report)
    _summary(m, levels, require_level, report, anytime, cut, entries, resources)
    report += ids.report("roles, skills or groups")
    role: dict[str, Any] = {
        "id": role_id,
        "name": title,
        "rank": 1,
        "track": "individual",
        "description": f"Everything on the roadmap.sh {title!r} roadmap.",
    }
    if resources:
        role["resources"] = resources
    role["requires"] = [e for _, e in sorted(entries, key=lambda p: p[0])]
    result: dict[str, Any] = {
        "format": 2,
        "name": title,
        "source": f"roadmap.sh roadmap {file} (editor JSON: nodes and edges).",
        "notes": [
            "Topics, subtopics, alternatives and order come from the roadmap; levels and "
            "hours are the importer's guesses (see the import report)."
        ],
        "levels": list(levels),
        "categories": declare_categories(categories, report),
        "roles": [role],
        "skills": out_skills,
    }
    if groups:
        result["groups"] = groups
    return plain(result), report


def _group(
    m: _Mapping,
    head: Node,
    cluster: tuple[str, str | None],
    options: list[str],
    ids: IdMaker,
    skill_ids: dict[str, str],
    entries: list[Any],
    require_level: int,
    report: list[str],
) -> dict[str, Any]:
    """A "pick one" group of a topic's (or a box's) alternatives; its requirement joins
    ``entries`` and a sentence to the report."""
    # A group under a subtopic is named apart from the subtopic, which stays a skill.
    title = f"{head.label}: pick one" if head.type == "subtopic" else head.label
    mine = [n for k in options for n in m.skills[k].nodes if (n.parent, n.box) == cluster]
    liked = list(dict.fromkeys(n.key for n in mine if n.kind == "recommended"))
    group: dict[str, Any] = {
        "id": ids.make(title),
        "name": truncate(title, MAX_NAME)[0],
        "pick": 1,
        "description": f"Pick one: the roadmap marks these as alternatives under {head.label!r}.",
    }
    if liked:
        group["preferred"] = skill_ids[liked[0]]
    group["options"] = [{"id": skill_ids[k]} for k in options]
    entries.append((m.reading(head), {"id": group["id"], "level": require_level}))
    names = ", ".join(m.skills[k].name for k in options)
    what = "Topic" if cluster[1] is None else head.type.capitalize()
    text = f"{what} {head.label!r} became the group {group['id']!r} (pick 1 of {names})"
    if liked:
        many = f" (the first of {len(liked)} marked recommended)" if len(liked) > 1 else ""
        text += f", preferred {m.skills[liked[0]].name!r}{many}"
    report.append(text + ".")
    return group


def _summary(
    m: _Mapping,
    levels: Sequence[str],
    require_level: int,
    report: list[str],
    anytime: int,
    cut: list[str],
    entries: list[Any],
    resources: list[Any],
) -> None:
    merged = [s for s in m.skills.values() if len(s.nodes) > 1]
    if merged:
        shown = ", ".join(f"{s.name} ({len(s.nodes)})" for s in merged[:8])
        report.append(
            f"{plural(len(merged), 'label')} on several nodes became one skill each: {shown}."
        )
    links = sum(len(s.after) for s in m.skills.values())
    report.append(
        f"{plural(links, 'after link')} (soft order): topic to topic along the drawn "
        "path (through buttons, boxes and groups) and topic to its subtopics; "
        f"{plural(anytime, 'node')} marked 'order not strict' got none."
    )
    if cut:
        report.append(
            f"{plural(len(cut), 'after link')} closing a cycle dropped: {'; '.join(cut[:5])}."
        )
    optional = sum("importance" in e for _, e in entries)
    report.append(
        f"One role (rank 1, individual track) needs every topic, subtopic and group at "
        f"level {require_level} ({optional} optional): roadmap sections are drawing "
        "boxes, not stages."
    )
    topic = guess_hours(FIRST_STEP["topic"], len(levels), STEP_FACTOR)
    sub = guess_hours(FIRST_STEP["subtopic"], len(levels), STEP_FACTOR)
    report.append(
        f"roadmap.sh has no levels: {len(levels)} levels ({', '.join(levels)}); hours "
        f"guessed: topics {topic}, subtopics {sub} h per level step."
    )
    report.append(
        "Descriptions only say where a skill sits: roadmap.sh keeps topic texts in "
        "separate content files, not read here. Categories are each skill's topic."
    )
    if resources:
        report.append(f"{plural(len(resources), 'button link')} kept as the role's resources.")
