"""Exact choice of the options that fill "any k of" group requirements in a learning plan.

The planner fixes what the fixed requirements pull in (``base``). What is left is, for each
group, which ``pick`` options fill it. A choice costs the hours of the union of the base and every
chosen option's steps, so options sharing prerequisites are cheaper together. This weighted
set-union problem with cardinalities is NP-hard in general; it is solved in stages, each cheaper
than the next and each kept only when the one before could not prove the optimum:

1. Preferences are hard rules. A group with P preferred, N neutral and A avoided options takes
   exactly min(pick, P) preferred and max(0, pick - P - N) avoided ones, so it splits into up to
   three *slots*, each "exactly k of these" (an option both preferred and avoided counts as
   neither).
2. Reductions, repeated until nothing changes: a slot with as many options as picks is forced;
   an option is dropped when k others of its slot are never dearer (shared steps a subset of its
   shared steps, private hours no more; among equals the earlier key stays). Steps that a single
   option holds become its private hours; steps held by the same options are merged. Parts with
   no shared step and no common slot are solved apart.
3. Per part, a greedy choice improved by swaps, then a depth-first branch and bound whose budget
   counts nodes, not seconds, so the result does not depend on the machine's speed. Its bound
   splits each shared step's hours among the slots that may use it (a slot's share divided by
   the most of its options that can be chosen together, the split tuned by a few subgradient
   rounds), then adds up each slot's k cheapest charges: no choice can pay less.
4. Parts whose search ran out of budget go to a MILP solved by HiGHS (``highspy``; see
   :mod:`skilltree.milp`), imported only then and seeded with the search's best choice. Past
   ``time_limit`` the best choice found is returned with the best proven bound (the solver's,
   or the search's root bound).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from networkx.utils import UnionFind

__all__ = [
    "PLAN_TIME_LIMIT",
    "SEARCH_BUDGET",
    "GroupSpec",
    "OptionSpec",
    "Part",
    "Solution",
    "solve",
]

#: Seconds a plan's group choice may take before the best plan found is returned with its gap.
PLAN_TIME_LIMIT = 2.0
#: Search nodes before the MILP solver takes over the group choice.
SEARCH_BUDGET = 50_000

# The share of ``time_limit`` the search may use when a MILP solver can take over.
SEARCH_SHARE = 0.3
# Subgradient rounds that tune the search's bound (fewer on large parts). More rounds cut nodes
# but cost more than they save on the benchmark shapes; 8 was the best of 0, 3, 8 and 40.
ROUNDS = 8


@dataclass(frozen=True)
class OptionSpec:
    """One option of a group: ``steps`` are the ids it pulls in beyond the base."""

    key: str
    steps: frozenset[int]
    preferred: bool = False
    avoided: bool = False


@dataclass(frozen=True)
class GroupSpec:
    """An "any ``pick`` of ``options``" requirement; option keys are unique within a group."""

    key: str
    pick: int
    options: tuple[OptionSpec, ...]


@dataclass(frozen=True)
class Solution:
    """The chosen options per group (key order, same order as the groups) and their cost.

    ``bound`` is a proven lower bound on the optimum; it equals ``cost`` when ``exact``.
    ``forced_avoided`` lists (group, option) pairs where an avoided option had to be used.
    ``method``: "trivial" (the reductions decided everything), "search" (branch and bound
    proved it), "milp" (the MILP proved it), "milp-timeout" (the MILP ran out of time) or
    "search-budget" (the search ran out and no MILP could run: no time left, no highspy, or
    it failed). ``stats`` holds effort figures: search nodes, and the MILP's size if used.
    """

    picks: tuple[tuple[str, ...], ...]
    cost: float
    bound: float
    exact: bool
    method: str
    forced_avoided: tuple[tuple[str, str], ...]
    stats: tuple[tuple[str, int], ...] = ()


class _OutOfBudget(Exception):
    """The search used its node budget or the clock."""


class Part:
    """An independent residual problem: slots of (k, local entry ids), each entry's private
    hours ``pc`` and shared steps ``esteps`` (ids into ``h``, the hours of merged steps)."""

    def __init__(
        self,
        slots: list[tuple[int, list[int]]],
        ids: list[int],
        pc: list[float],
        esteps: list[list[int]],
        h: list[float],
    ) -> None:
        self.slots, self.ids, self.pc, self.esteps, self.h = slots, ids, pc, esteps, h
        self.slot_of = [0] * len(ids)
        for si, (_k, members) in enumerate(slots):
            for e in members:
                self.slot_of[e] = si
        self.inc: list[list[int]] = [[] for _ in h]
        for e, ts in enumerate(esteps):
            for t in ts:
                self.inc[t].append(e)
        self.tol = 1e-9 * (1.0 + sum(pc) + sum(h))
        self.best = self._local_search(self._greedy())
        self.best_cost = self.cost(self.best)
        self.root_bound = 0.0
        self.exact = False

    def cost(self, chosen: Sequence[int]) -> float:
        covered = {t for e in chosen for t in self.esteps[e]}
        return sum(self.pc[e] for e in chosen) + sum(self.h[t] for t in sorted(covered))

    def _extra(self, e: int, count: list[int]) -> float:
        """Hours that choosing ``e`` adds, given how many chosen options hold each step."""
        return self.pc[e] + sum(self.h[t] for t in self.esteps[e] if not count[t])

    def _greedy(self) -> list[int]:
        """Cheapest marginal option first, over all slots at once (ties: lower entry id)."""
        count, chosen, left = [0] * len(self.h), [], [k for k, _m in self.slots]
        while any(left):
            best = min(
                (self._extra(e, count), e)
                for si, (_k, members) in enumerate(self.slots)
                if left[si]
                for e in members
                if e not in chosen
            )[1]
            chosen.append(best)
            left[self.slot_of[best]] -= 1
            for t in self.esteps[best]:
                count[t] += 1
        return sorted(chosen)

    def _local_search(self, chosen: list[int]) -> list[int]:
        """Swap one option for another of its slot while that is cheaper, or as cheap and of an
        earlier key (which makes ties come out the same whichever stage found the choice)."""
        count, current = [0] * len(self.h), set(chosen)
        for t in (t for e in chosen for t in self.esteps[e]):
            count[t] += 1
        for _sweep in range(50):
            changed = False
            for e in sorted(current):
                for t in self.esteps[e]:
                    count[t] -= 1
                saving = self._extra(e, count)
                cost, f = min(
                    (self._extra(f, count), f)
                    for f in self.slots[self.slot_of[e]][1]
                    if f not in current or f == e
                )
                if cost < saving - self.tol or (cost <= saving + self.tol and f < e):
                    current.symmetric_difference_update((e, f))
                    e, changed = f, True
                for t in self.esteps[e]:
                    count[t] += 1
            if not changed:
                break
        return sorted(current)

    def _weights(self) -> list[list[tuple[int, float]]]:
        """Per step, (entry, charge) pairs such that the charges of any feasible choice never add
        up to more than the hours of the steps it covers.

        Each step's hours are split among the slots that can use it (``share``), and a slot's
        share among the most of its options that can be chosen together. Any split gives a valid
        bound (sum over slots of the k cheapest charges); starting from equal shares, the split
        is improved by projected subgradient ascent on that bound (a few rounds, fewer on large
        parts), which moves hours to the slots whose cheap options use the step.
        """
        h, slots, slot_of, inc = self.h, self.slots, self.slot_of, self.inc
        tslots = [sorted({slot_of[e] for e in holders}) for holders in inc]
        tpos = [[ts.index(slot_of[e]) for e in h_] for ts, h_ in zip(tslots, inc, strict=True)]
        tdiv = [
            [min(slots[si][0], pos.count(i)) for i, si in enumerate(ts)]
            for ts, pos in zip(tslots, tpos, strict=True)
        ]
        share = [[h[t] / max(len(ts), 1)] * len(ts) for t, ts in enumerate(tslots)]
        split = [t for t, ts in enumerate(tslots) if len(ts) > 1]
        fixed = list(self.pc)
        for t, holders in enumerate(inc):
            if len(tslots[t]) == 1:
                for e in holders:
                    fixed[e] += h[t] / tdiv[t][0]
        work = sum(len(inc[t]) for t in split)
        best_value, best_share, step = -1.0, share, 1.0
        for _round in range(min(ROUNDS, 100_000 // (work + 1)) if split else 0):
            charge = list(fixed)
            for t in split:
                sh, dv = share[t], tdiv[t]
                for e, p in zip(inc[t], tpos[t], strict=True):
                    charge[e] += sh[p] / dv[p]
            value, chosen = 0.0, [False] * len(charge)
            for k, members in slots:
                for e in sorted(members, key=lambda e: (charge[e], e))[:k]:
                    chosen[e] = True
                    value += charge[e]
            if value > best_value + self.tol:
                best_value, best_share = value, [list(x) for x in share]
            else:
                step /= 1.5
            grads, norm = [], 0.0
            for t in split:
                g, dv = [0.0] * len(tslots[t]), tdiv[t]
                for e, p in zip(inc[t], tpos[t], strict=True):
                    if chosen[e]:
                        g[p] += 1.0 / dv[p]
                mean = sum(g) / len(g)
                g = [v - mean for v in g]
                norm += sum(v * v for v in g)
                grads.append(g)
            gap = self.best_cost - value
            if norm < 1e-12 or gap <= self.tol:
                break
            for t, g in zip(split, grads, strict=True):
                share[t] = _project(
                    [x + step * gap / norm * v for x, v in zip(share[t], g, strict=True)], h[t]
                )
        return [
            [(e, best_share[t][p] / tdiv[t][p]) for e, p in zip(holders, tpos[t], strict=True)]
            for t, holders in enumerate(inc)
        ]

    def search(self, budget: int, deadline: float) -> int:
        """Branch and bound from the current best; sets ``exact`` when it ends in the budget.
        Returns the nodes visited."""
        pc, h, esteps, slots, slot_of = self.pc, self.h, self.esteps, self.slots, self.slot_of
        weights = self._weights()
        charge = list(pc)
        for ws in weights:
            for e, w in ws:
                charge[e] += w
        state = [0] * len(pc)  # 0 free, 1 chosen, -1 excluded
        left = [k for k, _m in slots]
        free = [len(m) for _k, m in slots]
        count = [0] * len(h)
        paid = 0.0
        nodes = 0

        def bound() -> float:
            lb = paid
            for si, (_k, members) in enumerate(slots):
                if left[si]:
                    lb += sum(sorted(charge[e] for e in members if not state[e])[: left[si]])
            return lb

        def take(e: int, sign: int) -> None:
            nonlocal paid
            state[e] = sign  # 1 takes, 0 gives back
            left[slot_of[e]] -= 1 if sign else -1
            free[slot_of[e]] -= 1 if sign else -1
            paid += pc[e] if sign else -pc[e]
            for t in esteps[e]:
                count[t] += 1 if sign else -1
                if count[t] == sign:  # first holder came in, or the last went out
                    paid += h[t] if sign else -h[t]
                    for f, w in weights[t]:
                        charge[f] += -w if sign else w

        def visit() -> None:
            nonlocal nodes
            nodes += 1
            if nodes > budget or (nodes & 255 == 0 and time.perf_counter() > deadline):
                raise _OutOfBudget
            if bound() >= self.best_cost - self.tol:
                return
            open_slots = [(free[si] - left[si], si) for si in range(len(slots)) if left[si]]
            if not open_slots:
                self.best = sorted(e for e in range(len(pc)) if state[e] == 1)
                self.best_cost = self.cost(self.best)
                return
            si = min(open_slots)[1]
            e = min((charge[f], f) for f in slots[si][1] if not state[f])[1]
            take(e, 1)
            visit()
            take(e, 0)
            if free[si] - 1 >= left[si]:
                state[e], free[si] = -1, free[si] - 1
                visit()
                state[e], free[si] = 0, free[si] + 1

        self.root_bound = min(bound(), self.best_cost)
        try:
            if len(pc) > 400:  # the recursion goes one level per option: leave it to the MILP
                raise _OutOfBudget
            visit()
            self.exact, self.root_bound = True, self.best_cost
        except _OutOfBudget:
            pass
        return nodes


def _project(v: list[float], total: float) -> list[float]:
    """The nearest point to ``v`` with nonnegative values adding up to ``total``."""
    run, theta = 0.0, 0.0
    for i, x in enumerate(sorted(v, reverse=True), 1):
        run += x
        if x >= (run - total) / i:
            theta = (run - total) / i
    return [max(x - theta, 0.0) for x in v]


def solve(
    hours: Sequence[float],
    base: frozenset[int],
    groups: Sequence[GroupSpec],
    *,
    time_limit: float = PLAN_TIME_LIMIT,
    search_budget: int = SEARCH_BUDGET,
    milp: bool = True,
) -> Solution:
    """The cheapest choice of options for ``groups`` given the ``base`` steps.

    ``hours[s]`` is the hours of step ``s`` (never negative). ``search_budget`` caps the search
    nodes before the MILP takes over; ``time_limit`` (seconds) caps the whole call, after which
    the best choice found so far comes back with ``exact=False``. ``milp=False`` stops at the
    search (its best choice and bound), as does a missing or failing ``highspy``.
    The same input always gives the same output, unless the clock cuts the work short.

    >>> g = GroupSpec("lang", 1, (OptionSpec("go", frozenset({1})), OptionSpec("py", frozenset())))
    >>> solve([5.0, 3.0], frozenset({0}), [g]).picks
    (('py',),)
    """
    started = time.perf_counter()
    deadline = started + time_limit
    # The search may not starve the MILP: past this share of the time the MILP is the better bet.
    search_until = started + time_limit * (SEARCH_SHARE if milp else 1.0)
    base = frozenset(base)
    entries: list[tuple[int, int]] = []  # (group, option) per entry
    slots: list[tuple[int, list[int]]] = []
    for gi, g in enumerate(groups):
        keys = [o.key for o in g.options]
        if len(set(keys)) != len(keys) or not 0 <= g.pick <= len(keys):
            raise ValueError(f"group {g.key!r}: option keys must be unique and pick <= options")
        order = sorted(range(len(keys)), key=keys.__getitem__)
        kinds = [
            [i for i in order if (g.options[i].preferred, g.options[i].avoided) == flags]
            for flags in ((True, False), (False, False), (True, True), (False, True))
        ]
        classes = [kinds[0], sorted(kinds[1] + kinds[2], key=keys.__getitem__), kinds[3]]
        k_pref = min(g.pick, len(classes[0]))
        k_avoid = max(0, g.pick - len(classes[0]) - len(classes[1]))
        for members, k in zip(classes, (k_pref, g.pick - k_pref - k_avoid, k_avoid), strict=True):
            if k:
                slots.append((k, list(range(len(entries), len(entries) + len(members)))))
                entries.extend((gi, i) for i in members)
    steps = [set(groups[gi].options[oi].steps) - base for gi, oi in entries]
    if any(hours[s] < 0 for s in base.union(*steps)):
        raise ValueError("hours must not be negative")
    forced: list[int] = []
    fixed: set[int] = set(base)
    while True:  # reductions, until nothing changes
        live = []
        for k, members in slots:
            if k == len(members):
                forced.extend(members)
                fixed.update(*(steps[e] for e in members))
            else:
                live.append((k, members))
        holders: dict[int, list[int]] = {}
        for _k, members in live:
            for e in members:
                steps[e] -= fixed
                for s in steps[e]:
                    holders.setdefault(s, []).append(e)
        pc = {
            e: sum(hours[s] for s in sorted(steps[e]) if len(holders[s]) == 1)
            for _k, members in live
            for e in members
        }
        shared = {e: frozenset(s for s in steps[e] if len(holders[s]) > 1) for e in pc}
        slots = [
            (
                k,
                [
                    i
                    for i in members
                    if sum(
                        1
                        for j in members
                        if j != i
                        and shared[j] <= shared[i]
                        and pc[j] <= pc[i]
                        and (pc[j] < pc[i] or shared[j] != shared[i] or j < i)
                    )
                    < k
                ],
            )
            for k, members in live
        ]
        if slots == live:
            break
    # Merge steps held by the same entries; group entries linked by a step or a slot into parts.
    merged: dict[tuple[int, ...], float] = {}
    for s in sorted(holders):
        if len(holders[s]) > 1:
            sig = tuple(sorted(holders[s]))
            merged[sig] = merged.get(sig, 0.0) + hours[s]
    joined = UnionFind(pc)
    for link in [m for _k, m in slots] + list(merged):
        joined.union(*link)
    by_root: dict[int, list[int]] = {}
    for e in sorted(pc):
        by_root.setdefault(joined[e], []).append(e)
    parts: list[Part] = []
    for ids in sorted(by_root.values(), key=lambda ids: (len(ids), ids)):
        local = {e: i for i, e in enumerate(ids)}
        sigs = [sig for sig in merged if sig[0] in local]
        esteps: list[list[int]] = [[] for _ in ids]
        for t, sig in enumerate(sigs):
            for e in sig:
                esteps[local[e]].append(t)
        parts.append(
            Part(
                [(k, [local[e] for e in m]) for k, m in slots if m[0] in local],
                ids,
                [pc[e] for e in ids],
                esteps,
                [merged[sig] for sig in sigs],
            )
        )
    # Search the small parts first, then hand what is left to the MILP.
    stats = {"nodes": 0}
    for p in parts:
        stats["nodes"] += p.search(max(search_budget - stats["nodes"], 0), search_until)
    method = "search" if parts else "trivial"
    open_parts = [p for p in parts if not p.exact]
    dual = 0.0
    if open_parts:
        method = "search-budget"
        if milp and time.perf_counter() < deadline:
            try:  # what follows the MILP (checks, tie-breaks) gets 5% of the time
                from .milp import solve_parts

                optimal, dual, size = solve_parts(open_parts, deadline - 0.05 * time_limit)
                stats.update(size)
                method = "milp" if optimal else "milp-timeout"
                for p in open_parts:
                    p.exact = optimal
            except Exception:  # a solver failure never loses the plan: keep the search's best
                method = "search-budget"
    for p in parts:  # equal-cost ties: earlier keys, whichever stage found the choice
        p.best = p._local_search(p.best)
    chosen = forced + [p.ids[e] for p in parts for e in p.best]
    union = base.union(*(groups[gi].options[oi].steps for gi, oi in (entries[e] for e in chosen)))
    cost = sum(hours[s] for s in sorted(union))
    exact = all(p.exact for p in parts)
    lower = (
        sum(hours[s] for s in sorted(fixed))
        + sum(p.best_cost for p in parts if p.exact)
        + max(dual, sum(p.root_bound for p in open_parts))
    )
    options = sorted(
        (gi, groups[gi].options[oi].key, groups[gi].options[oi])
        for gi, oi in (entries[e] for e in chosen)
    )
    picks = tuple(tuple(k for gj, k, _o in options if gj == gi) for gi in range(len(groups)))
    avoided = tuple((groups[gi].key, k) for gi, k, o in options if o.avoided and not o.preferred)
    return Solution(
        picks,
        cost,
        cost if exact else min(lower, cost),
        exact,
        method,
        tuple(avoided),
        tuple(sorted(stats.items())),
    )
