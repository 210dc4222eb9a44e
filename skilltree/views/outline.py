"""The drawn part of the graph as an outline: the tree as an indented list, for narrow screens.

A phone cannot show a layered drawing, but it can show the same tree as a list: one section per
role, top rung first, listing what the role asks for and, indented under each, what that needs
in turn, down to the nodes that need nothing drawn. A node listed once in a section is not
listed again in it (it is marked ``repeat`` where it comes back). Drawn nodes no role leads to
come last, under "Also drawn". Every item keeps the node's status and held level, so the list
says what the graph says.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import networkx as nx

from ..index import rank_of
from .geometry import kind_of
from .status import Held

__all__ = ["OutlineItem", "OutlineSection", "outline"]


@dataclass(frozen=True, slots=True)
class OutlineItem:
    """One line of the outline: a node, how deep it sits, and what the graph shows of it."""

    node: str
    name: str
    depth: int
    status: str | None = None
    level: int = 0
    repeat: bool = False


@dataclass(frozen=True, slots=True)
class OutlineSection:
    """A role (or the rest) and the items under it."""

    title: str
    node: str | None
    items: tuple[OutlineItem, ...]
    more: int = 0


#: Items listed under one role at most; the rest is counted.
MAX_ITEMS = 80


def outline(
    G: nx.DiGraph,
    nodes: Collection[str],
    status: Mapping[str, str] | None = None,
    held: Mapping[str, Held] | None = None,
    max_depth: int = 3,
    max_sections: int | None = None,
) -> list[OutlineSection]:
    """The drawn ``nodes`` of ``G`` as sections of indented items (see the module).

    With ``max_sections``, only the first that many sections are worked out (a page lists no
    more): when the roles alone fill them, "Also drawn" is left out.

    >>> G = nx.DiGraph()
    >>> G.add_node("junior", kind="role", name="Junior", rank=1)
    >>> G.add_node("python", kind="skill", name="Python")
    >>> G.add_node("django", kind="skill", name="Django")
    >>> G.add_edges_from([("python", "django"), ("django", "junior")])
    >>> [(i.name, i.depth) for i in outline(G, list(G))[0].items]
    [('Django', 1), ('Python', 2)]
    """
    drawn = set(nodes)
    status = status or {}
    held = held or {}
    roles = sorted(
        (n for n in drawn if kind_of(G, n) == "role"),
        key=lambda r: (-rank_of(G, r), str(G.nodes[r].get("name", r)).casefold(), r),
    )

    def item(n: str, depth: int, repeat: bool = False) -> OutlineItem:
        ring = held.get(n)
        return OutlineItem(
            n,
            str(G.nodes[n].get("name", n)),
            depth,
            status.get(n),
            ring.level if ring else 0,
            repeat,
        )

    def needs(n: str) -> list[str]:
        # What a node needs, among the drawn ones: a role's rung below is a section of its own.
        return sorted(
            (
                p
                for p in G.pred[n]
                if p in drawn and not (kind_of(G, n) == "role" and kind_of(G, p) == "role")
            ),
            key=lambda p: (str(G.nodes[p].get("name", p)).casefold(), p),
        )

    reached: set[str] = set(roles)
    sections = []
    for role in roles[:max_sections]:
        items: list[OutlineItem] = []
        listed: set[str] = set()
        stack = [(p, 1) for p in reversed(needs(role))]
        more = 0
        while stack:
            n, depth = stack.pop()
            if len(items) >= MAX_ITEMS:
                more += 1
                continue
            if n in listed:
                items.append(item(n, depth, repeat=True))
                continue
            listed.add(n)
            items.append(item(n, depth))
            if depth < max_depth:
                stack += [(p, depth + 1) for p in reversed(needs(n))]
        reached |= listed
        sections.append(
            OutlineSection(str(G.nodes[role].get("name", role)), role, tuple(items), more)
        )
    if max_sections is not None and len(roles) >= max_sections:
        return sections
    rest = sorted(
        drawn - reached,
        key=lambda n: (str(G.nodes[n].get("category", "")), str(G.nodes[n].get("name", n)), n),
    )
    if rest:
        sections.append(
            OutlineSection(
                "Also drawn",
                None,
                tuple(item(n, 1) for n in rest[:MAX_ITEMS]),
                max(len(rest) - MAX_ITEMS, 0),
            )
        )
    return sections
