"""The residual group choice as a mixed-integer program, solved by HiGHS (``highspy``).

:mod:`skilltree.solver` hands over the parts its search could not prove within its budget. The
model: a binary column per option (chosen or not) and a column per merged step (learnt or not,
in [0, 1]: integral at any optimum once the options are); each slot's options sum to its pick,
and a step is learnt when any option holding it is chosen; the cost is the hours learnt. The
solver starts from the search's best choice, runs single-threaded within the time left, and the
result is called optimal only when the plan in hand, costed here, meets the solver's proven
bound. highspy is imported here only, so the app pays for it only when a search runs out.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .solver import Part

__all__ = ["solve_parts"]

# Rows linking steps to options: "each" (one row per step and holder) or "slot" (aggregated
# per slot). "each" gave the stronger relaxation on the shapes measured.
MILP_ROWS = "each"


def solve_parts(parts: list[Part], deadline: float) -> tuple[bool, float, dict[str, int]]:
    """Solve ``parts`` together as one MILP, seeded with their best choices; updates each part's
    best when the solver finds better. Returns (proven optimal, dual bound, model size).

    Columns: x_e (option e chosen, binary) then y_t (merged step t learnt, in [0, 1]: integral
    at any optimum once x is). Rows: each slot's sum of x = k, and y_t >= x_e per holder e of t;
    with MILP_ROWS = "slot", a slot with k = 1 instead gets y_t >= sum of its holders of t (at
    most one is chosen: fewer rows, tighter relaxation), and a slot with k > 1 also gets
    min(k, m) y_t >= sum of its m holders of t."""
    import numpy as np

    nx = sum(len(p.pc) for p in parts)
    cost = [c for p in parts for c in p.pc] + [c for p in parts for c in p.h]
    seed = np.zeros(len(cost))
    starts, index, value, lo, hi = [0], [], [], [], []

    def row(cols: list[int], coefs: list[float], low: float, high: float) -> None:
        index.extend(cols)
        value.extend(coefs)
        starts.append(len(index))
        lo.append(low)
        hi.append(high)

    x0, y0 = 0, nx
    for p in parts:
        for k, members in p.slots:
            row([x0 + e for e in members], [1.0] * len(members), k, k)
        for t, holders in enumerate(p.inc):
            by_slot: dict[int, list[int]] = {}
            for e in holders:
                by_slot.setdefault(p.slot_of[e], []).append(x0 + e)
            for si, xs in by_slot.items():
                most = min(p.slots[si][0], len(xs))
                if MILP_ROWS == "slot" and len(xs) > 1:
                    row([y0 + t, *xs], [float(most)] + [-1.0] * len(xs), 0.0, np.inf)
                for x in xs if MILP_ROWS == "each" or most > 1 or len(xs) == 1 else ():
                    row([y0 + t, x], [1.0, -1.0], 0.0, np.inf)
        for e in p.best:
            seed[x0 + e] = 1.0
            seed[[y0 + t for t in p.esteps[e]]] = 1.0
        x0, y0 = x0 + len(p.pc), y0 + len(p.h)
    size = {"milp_cols": len(cost), "milp_rows": len(lo), "milp_nonzeros": len(index)}
    values, dual = _run(
        np.array(cost),
        nx,
        np.array(starts),
        np.array(index, dtype=np.int32),
        np.array(value),
        np.array(lo),
        np.array(hi),
        seed,
        deadline - time.perf_counter(),
    )
    if values is not None:
        x0 = 0
        for p in parts:
            chosen = p._local_search([e for e in range(len(p.pc)) if values[x0 + e] > 0.5])
            if p.cost(chosen) < p.best_cost - p.tol:
                p.best, p.best_cost = chosen, p.cost(chosen)
            x0 += len(p.pc)
    # Proven when the plan in hand, costed here, meets the solver's bound (not on its say-so).
    optimal = sum(p.best_cost for p in parts) <= dual + sum(p.tol for p in parts) + 1e-6
    return optimal, dual, size


def _run(
    cost: Any,
    nint: int,
    start: Any,
    index: Any,
    value: Any,
    lo: Any,
    hi: Any,
    seed: Any,
    seconds: float,
) -> tuple[Any, float]:
    """One MILP solve with HiGHS: columns in [0, 1], the first ``nint`` integer; rows in CSR
    form; ``seed`` a feasible solution. Returns the best values found (or None), and the proven
    lower bound."""
    import highspy
    import numpy as np

    n, m = len(cost), len(lo)
    # The core class: the wrapper's constructor prints a banner to the process's stdout.
    h = getattr(getattr(highspy, "_core", None), "_Highs", highspy.Highs)()
    for name, val in (
        ("output_flag", False),
        ("time_limit", max(seconds, 0.01)),
        ("mip_rel_gap", 0.0),
        ("mip_abs_gap", 1e-7),
        ("threads", 1),
    ):
        h.setOptionValue(name, val)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, m
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, np.zeros(n), np.ones(n)
    lp.row_lower_, lp.row_upper_ = lo, hi
    a = lp.a_matrix_
    a.format_, a.num_col_, a.num_row_ = highspy.MatrixFormat.kRowwise, n, m
    a.start_, a.index_, a.value_ = start, index, value
    kind = highspy.HighsVarType
    lp.integrality_ = [kind.kInteger] * nint + [kind.kContinuous] * (n - nint)
    h.passModel(lp)
    sol = highspy.HighsSolution()
    sol.col_value, sol.value_valid = list(seed), True
    h.setSolution(sol)
    h.run()
    info = h.getInfo()
    values = list(h.getSolution().col_value) if info.primal_solution_status == 2 else None
    return values, info.mip_dual_bound
