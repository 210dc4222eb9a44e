"""A node's card: what the details panel shows of a role, skill, group or training route.

:func:`node_card` gathers, for one node and one profile, everything a person reads about it —
levels and hours, what it needs and opens, which roles need it, readiness for a role, the
cheapest path to it, what the person holds of it and why (said so, implied by a skill they hold,
assumed from their role), whether they are learning it or would skip it, and where it sits in
their plan — as plain text and rows. The app draws the card and its buttons; nothing here knows
about Streamlit, and nothing in the app reaches into the index to build it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ..closure import implied
from ..coverage import readiness
from ..index import index_of
from ..planner import Plan, Step, path_to
from ..profile import Profile
from ..steps import step_keys
from .status import held_levels
from .text import salary_text

__all__ = ["Card", "Fact", "node_card"]


@dataclass(frozen=True, slots=True)
class Fact:
    """A labelled line (``Needs first: Python 2 ✓``) or, with ``items``, a labelled list."""

    label: str
    text: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Card:
    """What to show of one node, as plain (unescaped) text and table rows."""

    node: str
    kind: str
    title: str
    subtitle: str
    description: str
    facts: tuple[Fact, ...] = ()
    table_title: str = ""
    table: tuple[dict[str, Any], ...] = ()
    notes: tuple[str, ...] = ()
    path: Sequence[Step] = field(default=())
    path_title: str = ""
    links: tuple[tuple[str, str], ...] = ()
    #: What the person holds: level (0: not held), the skill's top level, and where the level
    #: comes from ("" when they said so).
    level: int = 0
    top: int = 0
    source: str = ""
    stated: bool = False
    learning: bool = False
    skip: bool = False
    prefer: bool = False
    #: Readiness for a role, from 0 to 1; None for other kinds.
    readiness: float | None = None
    #: Where the node sits in the plan: "steps 3 and 7 of 40 · to level 2 · 30 h".
    in_plan: str = ""


#: Names a card lists in one fact at most; past this it counts the rest. A skill on a large
#: ladder can be needed by thousands of roles: nobody reads that list in a side panel, and it
#: costs a click tens of milliseconds to send.
MAX_LISTED = 30


def _capped(names: list[str]) -> list[str]:
    """The first :data:`MAX_LISTED` names, then how many more there are.

    >>> _capped([str(n) for n in range(32)])[-2:]
    ['28', '… and 3 more']
    """
    if len(names) <= MAX_LISTED:
        return names
    return [*names[: MAX_LISTED - 1], f"… and {len(names) - MAX_LISTED + 1:,} more"]


def _tick(ok: bool) -> str:
    return " ✓" if ok else ""


def node_card(G: nx.DiGraph, node: str, profile: Profile, plan: Plan | None = None) -> Card:
    """The card of ``node`` for ``profile`` (and its ``plan``, if any).

    >>> from skilltree import load_graph
    >>> card = node_card(load_graph(), "django", Profile({"python": 2}))
    >>> card.title, [f.label for f in card.facts][:2]
    ('Django', ['Needs first', 'Opens'])
    >>> node_card(load_graph(), "programming-fundamentals", Profile({"python": 2})).source
    'implied by Python'
    """
    index = index_of(G)
    stated = profile
    profile = implied(G, profile)
    attrs = G.nodes[node]
    names = index.names
    kind = index.kinds[node]
    label = attrs.get("category", kind) if kind == "skill" else kind
    base: dict[str, Any] = {
        "node": node,
        "kind": kind,
        "title": str(attrs.get("name", node)),
        "subtitle": f"{label} · id {node}",
        "description": str(attrs.get("description") or ""),
    }
    facts: list[Fact] = []
    notes: list[str] = []
    table: list[dict[str, Any]] = []
    table_title = ""

    if kind == "skill":
        have = profile.level(node)
        texts = list(attrs.get("levels", ()))
        total = 0.0
        for level, hours in enumerate(attrs["hours"], 1):
            total += hours
            table.append(
                {
                    "level": level,
                    "means": texts[level - 1] if level <= len(texts) else "",
                    "hours for this step": hours,
                    "hours from zero": total,
                    "you": "✓ have" if have >= level else "",
                }
            )
        needs = [f"{names[p]} {lv}{_tick(profile.level(p) >= lv)}" for p, lv in index.prereqs[node]]
        facts.append(Fact("Needs first", ", ".join(needs) or "nothing"))
        opens = sorted(names[d] for d, _ in index.dependents[node])
        facts.append(Fact("Opens", ", ".join(_capped(opens)) or "nothing further"))
        groups = [names[g] for g, _ in index.option_of[node]]
        if groups:
            facts.append(Fact("Counts for", ", ".join(groups)))
        roles = sorted(
            {(index.rank[r], names[r], req.level, req.importance) for r, req in index.uses(node)}
        )
        if roles:
            facts.append(
                Fact(
                    "Roles that need it (directly or as an option)",
                    items=tuple(
                        _capped(
                            [
                                f"{name} — level {level}"
                                + ("" if imp == "essential" else " (optional)")
                                for _rank, name, level, imp in roles
                            ]
                        )
                    ),
                )
            )
    elif kind == "role":
        facts.append(Fact("Salary", salary_text(attrs.get("salary"))))
        if attrs.get("salary_note"):
            notes.append(str(attrs["salary_note"]))
        years = attrs.get("years")
        if years:
            span = f"{years['min']:g}" + (f"–{years['max']:g}" if years.get("max") else "+")
            facts.append(Fact("Typical experience", f"{span} years"))
        for title, items in (
            ("Responsibilities", attrs.get("responsibilities", ())),
            ("Works with", attrs.get("works_with", ())),
        ):
            if items:
                facts.append(Fact(title, items=tuple(str(i) for i in items)))
        ready = readiness(G, profile, node)
        facts.append(Fact("Your readiness", f"{ready.score:.0%}"))
        table = [
            {
                "requirement": item.name,
                "level": item.level,
                "you have": item.have,
                "status": item.status,
                "importance": item.importance,
                "from rung": names[item.origin],
            }
            for item in ready.items
        ]
        nxt = ", ".join(names[r] for r in index.next_roles[node])
        facts.append(Fact("Next rungs", nxt or "top of this ladder"))
    elif kind == "group":
        facts.append(
            Fact(
                f"Any {index.pick[node]} of",
                items=tuple(
                    f"{names[o]} (level {lv}+){_tick(profile.level(o) >= lv)}"
                    for o, lv in index.options[node]
                ),
            )
        )
        required_by = [names[r] for r in index.required_by[node]]
        facts.append(Fact("Required by", ", ".join(_capped(required_by))))
    elif kind == "training":
        if attrs.get("months"):
            facts.append(Fact("Typical length", f"{attrs['months']:g} months"))
        taught = [
            f"{names[v]} {d['level']}"
            for _u, v, d in G.out_edges(node, data=True)
            if d["kind"] == "teaches"
        ]
        facts.append(Fact("Teaches", ", ".join(taught) or "—"))

    path: Sequence[Step] = ()
    path_title = ""
    if kind in ("skill", "group"):
        path = path_to(G, profile, node)
        if path:
            path_title = (
                f"Cheapest path from your profile: {len(path)} steps, "
                f"{path[-1].cumulative_hours:g} h (highlighted on the graph)"
            )
        else:
            path_title = "You already have this (at the top level)."
    links = tuple((str(r["title"]), str(r["url"])) for r in attrs.get("resources", ()))
    mine: dict[str, Any] = {}
    if kind == "skill":
        held = held_levels(G, stated, [node]).get(node)
        mine = {
            "level": held.level if held else 0,
            "top": index.top_level(node),
            "source": held.source if held else "",
            "stated": node in stated.skills,
            "learning": node in stated.learning,
            "skip": node in stated.avoid,
            "prefer": node in stated.prefer,
            "in_plan": _in_plan(plan, node),
        }
    elif kind == "role":
        mine = {"readiness": readiness(G, profile, node).score}
    return Card(
        **base,
        **mine,
        links=links,
        facts=tuple(facts),
        table_title=table_title,
        table=tuple(table),
        notes=tuple(notes),
        path=path,
        path_title=path_title,
    )


def _in_plan(plan: Plan | None, node: str) -> str:
    """Where a skill sits in a plan, as a short line; empty when the plan does not teach it."""
    if plan is None:
        return ""
    # Only the matching steps are built (a deep plan has thousands, each explaining itself).
    found = [
        (n, plan.steps[n - 1])
        for n, (skill, _level) in enumerate(step_keys(plan.steps), 1)
        if skill == node
    ]
    if not found:
        return ""
    numbers = [str(n) for n, _ in found]
    which = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]
    hours = sum(step.hours for _, step in found)
    return (
        f"step{'s' if len(found) > 1 else ''} {which} of {len(plan.steps)} · "
        f"to level {found[-1][1].to_level} · {hours:g} h"
    )
