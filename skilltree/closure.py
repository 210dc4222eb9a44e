"""The person as they are: what a profile implies beyond what it states.

Knowing a skill at any level means knowing each of its prerequisites at the level it asks,
transitively; and holding a role means meeting what that role asks (with what it inherits from
the rungs below), unless the person turns that assumption off. :func:`implied` gives the
closure the engine plans from: every implied or assumed level added, each with its
:class:`~skilltree.profile.Origin`. What the person states always wins: a level they give (even
0, "I do not have it") is never raised by an implication, and nothing is implied through it.

For a group the role asks ("one back-end language"), the options the person already holds
count first; missing ones are assumed in this order: the options they prefer, the group's
recommended option, then the options of fewest hours. Avoided options and options stated as not
held are never assumed.

Examples
--------
On the default ladder, ``G = load_graph()``:

>>> p = implied(G, Profile({"python": 2}))
>>> p.level("programming-fundamentals"), p.origins["programming-fundamentals"].source
(1, 'python')
>>> implied(G, Profile(role="junior")).level("git")
1
"""

from __future__ import annotations

import networkx as nx

from .gcpause import gc_paused
from .index import GraphIndex, PerIndex, Recent, index_of
from .profile import Origin, Profile

__all__ = ["implied"]

_CLOSURES: PerIndex[Recent[Profile, Profile]] = PerIndex(lambda _index: Recent(256))
#: Per graph: one Origin per prerequisite source, shared by every closure (a closure of a deep
#: ladder implies thousands of skills; their origins need not be thousands of new objects).
_PREREQ_ORIGINS: PerIndex[dict[str, Origin]] = PerIndex(lambda _index: {})


def implied(G: nx.DiGraph, profile: Profile) -> Profile:
    """The closure of ``profile``: stated levels, plus those implied and assumed (see module).

    A profile that is already a closure is returned as it is.
    """
    if profile.closed:
        return profile
    index = index_of(G)
    return _CLOSURES(index).get(profile, lambda: _close(index, profile))


@gc_paused()  # thousands of implied levels on a deep ladder: no collections while they are added
def _close(index: GraphIndex, profile: Profile) -> Profile:
    stated = {s: lv for s, lv in profile.skills.items() if s in index.hours}
    levels = {s: lv for s, lv in stated.items() if lv > 0}
    origins: dict[str, Origin] = {}
    _prerequisites(index, levels, origins, stated)
    if profile.role is not None and profile.assume_role and profile.role in index.rank:
        _assume_role(index, profile, levels, origins, stated)
        _prerequisites(index, levels, origins, stated)
    return Profile(
        levels,
        profile.role,
        prefer=profile.prefer,
        avoid=profile.avoid,
        learning=profile.learning,
        assume_role=profile.assume_role,
        origins=origins,
        closed=True,
    )


def _prerequisites(
    index: GraphIndex, levels: dict[str, int], origins: dict[str, Origin], stated: dict[str, int]
) -> None:
    """Raise every prerequisite of a held skill to the level it asks, transitively."""
    shared = _PREREQ_ORIGINS(index)
    stack = list(levels)
    while stack:
        skill = stack.pop()
        for pre, level in index.prereqs[skill]:
            if pre in stated or levels.get(pre, 0) >= level:
                continue
            levels[pre] = level
            origin = shared.get(skill)
            if origin is None:
                origin = shared.setdefault(skill, Origin("prerequisite", skill))
            origins[pre] = origin
            stack.append(pre)


def _assume_role(
    index: GraphIndex,
    profile: Profile,
    levels: dict[str, int],
    origins: dict[str, Origin],
    stated: dict[str, int],
) -> None:
    """Hold what the current role asks: its skills at their levels, and its groups filled."""
    role = profile.role
    assert role is not None
    assumed = Origin("role", role)
    for req in index.requirements(role):
        if not req.is_group:
            if req.node not in stated and levels.get(req.node, 0) < req.level:
                levels[req.node] = req.level
                origins[req.node] = assumed
            continue
        needs = {o: index.option_need(req.level, lv) for o, lv in index.options[req.node]}
        held = [o for o, need in needs.items() if levels.get(o, 0) >= need]
        missing = req.pick - len(held)
        if missing <= 0:
            continue
        preferred = index.preferred.get(req.node)
        candidates = sorted(
            (o for o in needs if o not in held and o not in stated and o not in profile.avoid),
            key=lambda o: (
                o not in profile.prefer,
                o != preferred,
                sum(index.hours[o][: needs[o]]),
                o,
            ),
        )
        for option in candidates[:missing]:
            levels[option] = max(levels.get(option, 0), needs[option])
            origins[option] = assumed
