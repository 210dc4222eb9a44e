"""What part of the graph to draw: focused views that stay small on any graph.

A graph of a few hundred nodes is drawn whole. A large one never is: the views here pick the
selected node's neighbourhood, the cheapest path to it, or the start of a plan, each capped at
``MAX_DRAWN`` nodes, and say what they left out. Only the nodes near the focus are looked at;
a filter by category or kind reads the index's lists, not the graph.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..index import index_of
from ..planner import Plan, Step, path_to
from ..profile import Profile
from ..steps import step_keys

__all__ = ["MAX_DRAWN", "View", "edges_among", "explore_view", "neighbourhood", "plan_view"]

MAX_DRAWN = 220


@dataclass(frozen=True)
class View:
    """Nodes to draw, the path among them to emphasise, and a note on what was left out."""

    nodes: frozenset[str]
    highlight: tuple[str, ...] = ()
    note: str = ""


Edge = tuple[str, str, Mapping[str, Any]]


def edges_among(G: nx.DiGraph, nodes: Iterable[str]) -> list[Edge]:
    """The edges whose both ends are drawn, with their attributes, in the order of ``nodes``.

    The cost is bounded by the drawn subset: for each drawn node, whichever is smaller of its
    successors and the drawn nodes is scanned (a skill of a large taxonomy may feed thousands
    of roles).

    >>> G = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c")])
    >>> [(u, v) for u, v, _ in edges_among(G, ["a", "b"])]
    [('a', 'b')]
    """
    order = list(dict.fromkeys(nodes))
    members = set(order)
    edges: list[Edge] = []
    for u in order:
        out = G.succ[u]
        targets = (
            [v for v in out if v in members]
            if len(out) <= len(order)
            else [v for v in order if v in out]
        )
        edges.extend((u, v, out[v]) for v in targets)
    return edges


def neighbourhood(G: nx.DiGraph, centre: str, depth: int = 1, cap: int = MAX_DRAWN) -> list[str]:
    """Nodes within ``depth`` edges of ``centre`` (either direction), nearest first, at most
    ``cap`` of them; ties broken by id so the view is the same every time.

    >>> from skilltree import load_graph
    >>> neighbourhood(load_graph(), "github", 1)
    ['github', 'bootcamp', 'engineering-school', 'git', 'junior', 'self-taught']
    >>> neighbourhood(load_graph(), "github", 1, cap=3)
    ['github', 'bootcamp', 'engineering-school']
    """
    seen = {centre}
    order = [centre]
    frontier = deque([(centre, 0)])
    while frontier and len(order) < cap:
        node, d = frontier.popleft()
        if d == depth:
            continue
        around = sorted(n for n in (*G.predecessors(node), *G.successors(node)) if n not in seen)
        for nxt in around:
            if len(order) >= cap:
                break
            seen.add(nxt)
            order.append(nxt)
            frontier.append((nxt, d + 1))
    return order


def _path_tail(steps: Sequence[Step], goal: str, room: int) -> tuple[list[str], int]:
    """The skills of the last steps before ``goal`` (the nearest to it), at most ``room``."""
    skills = list(dict.fromkeys(skill for skill, _level in reversed(step_keys(steps))))
    skills.reverse()
    left_out = max(len(skills) - room, 0)
    path = skills[left_out:]
    if goal not in path:
        path.append(goal)
    return path, left_out


def explore_view(
    G: nx.DiGraph,
    profile: Profile,
    selected: str | None,
    *,
    focus: bool = False,
    depth: int = 2,
    only: Collection[str] = (),
    cap: int = MAX_DRAWN,
) -> View:
    """The Explore view: the whole (filtered) graph when small, else a focus around the
    selected node; the cheapest path from the profile to the selected node is highlighted."""
    index = index_of(G)
    highlight: list[str] = []
    notes: list[str] = []
    if selected is not None:
        highlight, left_out = _path_tail(path_to(G, profile, selected), selected, cap // 2)
        if left_out:
            notes.append(
                f"the cheapest path to it has {left_out + len(highlight) - 1:,} skills; the "
                f"last {len(highlight) - 1} are drawn"
            )
    room = max(cap - len(highlight), 1)
    if focus and selected is not None:
        nodes = set(neighbourhood(G, selected, depth, room))
    elif only:
        chosen = [n for group in sorted(only) for n in index.by_group.get(group, ())]
        nodes = set(chosen[:room])
        if len(chosen) > room:
            notes.append(f"{len(chosen):,} nodes match the filter; the first {room} are drawn")
    elif G.number_of_nodes() <= cap:
        nodes = set(G.nodes)
    else:
        centre = selected or profile.role
        if centre is None:
            # Nothing to focus on yet: the ladder itself, highest rungs first.
            centre = max(index.roles, key=lambda r: (index.rank[r], r)) if index.roles else None
        nodes = set(neighbourhood(G, centre, 1, room)) if centre else set()
        notes.append(
            f"the graph has {G.number_of_nodes():,} nodes; showing the neighbourhood of "
            f"{index.names.get(centre, centre) if centre else 'nothing'}"
        )
    nodes |= set(highlight)
    return View(frozenset(nodes), tuple(highlight), "; ".join(notes))


def plan_view(G: nx.DiGraph, result: Plan, profile: Profile, cap: int = MAX_DRAWN) -> View:
    """The plan as a graph: its first steps (all of them if they fit), the groups they fill,
    the target, and the skills already held that they build on."""
    index = index_of(G)
    skills = list(dict.fromkeys(skill for skill, _level in step_keys(result.steps)))
    room = max(cap - len(result.choices) - 1, 1)
    shown = skills[:room]
    nodes = set(shown) | {result.target}
    drawn = set(shown)
    nodes |= {g for g, options in result.choices.items() if drawn.intersection(options)}
    held = {p for s in shown for p, _ in index.prereqs[s] if profile.level(p) > 0}
    nodes |= set(sorted(held)[: max(cap - len(nodes), 0)])
    note = ""
    if len(skills) > len(shown):
        note = f"the plan has {len(skills):,} skills; the first {len(shown)} are drawn"
    return View(frozenset(nodes), (), note)
