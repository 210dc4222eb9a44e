"""Benchmark the engine and the app on a graph the size of a national skills taxonomy.

``python benchmarks/run.py`` generates the default synthetic graph (see
:mod:`benchmarks.synthetic`), shallow and ``--deep``, into a temporary directory and measures on
each: loading and validating the file (first time, and again through a cache as the app does),
building the index, readiness for one role and for all roles, the learning plan over random
profile × target pairs (median and 95th percentile), what to learn next, the focused views the
app draws (nodes, build time, size of the figure's JSON) and warm reruns of the app script under
``AppTest``. ``--data FILE`` measures that file only; ``--quick`` a smaller graph with fewer
samples, for a smoke run.

Absolute times vary from machine to machine, so every time is also given as a ratio to a
baseline measured in the same run: one plain Python pass over every node and edge of the same
graph. The output is a table per graph, the targets that were not met, and last one JSON line
with every figure and the machine it ran on.

The focused views are built here the way ``app.py`` builds them (the script cannot be imported
without running it); ``AppTest`` then times the real script.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import networkx as nx  # noqa: E402
import plotly.io  # noqa: E402

from benchmarks.synthetic import DEFAULT_ROLES, DEFAULT_SKILLS, generate, summary, write  # noqa: E402
from skilltree import (  # noqa: E402
    Plan,
    Profile,
    load_graph,
    next_steps,
    plan,
    readiness,
    readiness_all,
)
from skilltree.coverage import readiness_scores  # noqa: E402
from skilltree.index import GraphIndex, index_of  # noqa: E402
from skilltree.views import (  # noqa: E402
    chart_dict,
    graph_figure_spec,
    graph_layout,
    held_levels,
    statuses,
)
from skilltree.views.focus import MAX_DRAWN, explore_view, neighbourhood, plan_view  # noqa: E402

APP = ROOT / "app.py"
QUICK_ROLES, QUICK_SKILLS = 600, 2800
#: Targets from the issue. Ratios are to the baseline pass over the graph.
PLAN_P95_RATIO = 1.0
EXACT_SHARE = 0.95
NEXT_RATIO = 2.0
READINESS_ALL_RATIO = 2.0
FIRST_LOAD_SECONDS = 5.0  # "within a few seconds"
CACHED_LOAD_SECONDS = 0.1  # "well under a second"
# An ESCO-size import and its check stay within the load time of a ladder of that size as it
# was before format 2: 32.4× the baseline pass (the shallow graph in latest-run.txt of
# 2026-11-29, commit ebd322e).
ESCO_IMPORT_RATIO = 32.4
FIGURE_JSON_BYTES = 1_000_000
RERUN_SECONDS = 0.150
WEBGL_THRESHOLD = 500  # graph_figure's default
#: The ratio targets are meant for graphs of about this size and more.
LARGE_GRAPH_NODES = 10_000

T = TypeVar("T")


# --- figures ---------------------------------------------------------------------------------


@dataclass
class Row:
    """One measured figure: ``value`` in ``unit`` (seconds, bytes, nodes), with its target.

    A time's target is a ratio to the baseline (``max_ratio``) or a number of seconds
    (``max_seconds``); other targets are checked by the caller, who sets ``target`` and ``met``.
    """

    key: str
    label: str
    value: float
    unit: str = "s"
    max_ratio: float | None = None
    max_seconds: float | None = None
    target: str = ""
    met: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def shown(self) -> str:
        if self.unit == "s":
            return f"{self.value * 1000:,.1f} ms" if self.value < 1 else f"{self.value:,.2f} s"
        if self.unit == "bytes":
            return f"{self.value / 1e6:,.2f} MB"
        if self.unit == "share":
            return f"{self.value:.0%}"
        return f"{self.value:,.0f} {self.unit}"


@dataclass
class Report:
    """The figures of one graph. Ratios use the median of every baseline pass of the run."""

    name: str
    graph: dict[str, Any]
    baseline_samples: list[float] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)

    @property
    def baseline(self) -> float:
        return statistics.median(self.baseline_samples) if self.baseline_samples else 0.0

    def time(
        self,
        key: str,
        label: str,
        seconds: float,
        *,
        max_ratio: float | None = None,
        max_seconds: float | None = None,
        **extra: Any,
    ) -> Row:
        row = Row(key, label, seconds, "s", max_ratio, max_seconds, extra=extra)
        self.rows.append(row)
        return row

    def count(self, key: str, label: str, share: float, *, minimum: float, **extra: Any) -> Row:
        """A share (0–1) with a minimum to reach."""
        row = Row(key, label, share, "share", target=f"≥ {minimum:.0%}", met=share >= minimum)
        row.extra.update(extra)
        self.rows.append(row)
        return row

    def ratio(self, row: Row) -> float | None:
        return row.value / self.baseline if row.unit == "s" and self.baseline else None

    def verdict(self, row: Row) -> tuple[str, bool | None]:
        """The target of a row, in words, and whether it was met (None: no target)."""
        ratio = self.ratio(row)
        if row.max_ratio is not None and ratio is not None:
            return f"≤ {row.max_ratio:g}× baseline", ratio <= row.max_ratio
        if row.max_seconds is not None:
            return f"≤ {_ms(row.max_seconds)}", row.value <= row.max_seconds
        return row.target, row.met

    def not_met(self) -> list[Row]:
        return [r for r in self.rows if self.verdict(r)[1] is False]

    def table(self) -> str:
        head = ("figure", "value", "× baseline", "target", "met")
        lines = []
        for r in self.rows:
            ratio = self.ratio(r)
            target, met = self.verdict(r)
            lines.append(
                (
                    r.label,
                    r.shown(),
                    f"{ratio:,.2f}" if ratio is not None else "",
                    target,
                    "" if met is None else ("yes" if met else "NOT MET"),
                )
            )
        widths = [max(len(str(x)) for x in col) for col in zip(head, *lines, strict=True)]
        out = [
            f"== {self.name}: "
            + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in self.graph.items()),
            "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)),
            "  ".join("-" * w for w in widths),
        ]
        for line in lines:
            out.append("  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)))
        return "\n".join(out)

    def row_json(self, row: Row) -> dict[str, Any]:
        out: dict[str, Any] = {"value": round(row.value, 6), "unit": row.unit}
        ratio = self.ratio(row)
        if ratio is not None:
            out["ratio"] = round(ratio, 3)
        target, met = self.verdict(row)
        if target:
            out["target"] = target
            out["met"] = met
        out.update({k: round(v, 6) if isinstance(v, float) else v for k, v in row.extra.items()})
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "graph": self.graph,
            "baseline_seconds": round(self.baseline, 6),
            "figures": {r.key: self.row_json(r) for r in self.rows},
            "not_met": [r.key for r in self.not_met()],
        }


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.4g} ms" if seconds < 1 else f"{seconds:.4g} s"


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def median_time(fn: Callable[[], object], repeats: int) -> float:
    return statistics.median(timed(fn)[0] for _ in range(repeats))


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[round(q) - 1]


# --- the graph -------------------------------------------------------------------------------


def baseline_pass(G: nx.DiGraph) -> int:
    """One plain pass over every node and edge, touching one attribute of each."""
    count = 0
    for _n, attrs in G.nodes(data=True):
        if attrs["kind"] == "skill":
            count += 1
    for _u, _v, attrs in G.edges(data=True):
        if attrs["kind"] == "requirement":
            count += 1
    return count


def graph_counts(G: nx.DiGraph) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for _n, kind in G.nodes(data="kind"):
        kinds[kind] = kinds.get(kind, 0) + 1
    edges: dict[str, int] = {}
    for _u, _v, kind in G.edges(data="kind"):
        edges[kind] = edges.get(kind, 0) + 1
    return {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "roles": kinds.get("role", 0),
        "skills": kinds.get("skill", 0),
        "groups": kinds.get("group", 0),
        "requirement_links": edges.get("requirement", 0),
        "prerequisite_links": edges.get("prerequisite", 0),
    }


def random_profile(rng: random.Random, index: GraphIndex, target: str | None) -> Profile:
    """0–40 skills at random levels: half from what ``target`` asks for, half from anywhere."""
    skills = list(index.hours)
    near: list[str] = []
    if target is not None:
        for req in index.requirements(target):
            near += [o for o, _ in index.options[req.node]] if req.is_group else [req.node]
    count = rng.randint(0, 40)
    chosen: dict[str, int] = {}
    for i in range(count):
        pool = near if near and i % 2 == 0 else skills
        chosen[pool[rng.randrange(len(pool))]] = rng.randint(1, 3)
    return Profile(chosen)


def draw(
    G: nx.DiGraph,
    nodes: set[str],
    profile: Profile,
    result: Plan | None,
    highlight: list[str],
    selected: str | None,
) -> dict[str, Any]:
    """Lay out and draw ``nodes`` as the app does; the times, the size and the trace type.

    The figure is the app's: the drawing as plain data, turned into what plotly.js reads
    (:func:`chart_dict`), then the JSON Streamlit sends to the browser
    (``plotly.io.to_json``, as ``st.plotly_chart`` calls it).
    """
    drawn = tuple(sorted(nodes))
    layout_s, layout = timed(lambda: graph_layout(G, drawn))
    figure_s, chart = timed(
        lambda: chart_dict(
            graph_figure_spec(
                G,
                layout,
                status=statuses(G, profile, drawn, result),
                held=held_levels(G, profile, drawn),
                highlight=highlight,
                selected=selected,
                color_by="status",
            )
        )
    )
    json_s, text = timed(lambda: plotly.io.to_json(chart, validate=False))
    return {
        "nodes": len(drawn),
        "layout_s": layout_s,
        "figure_s": figure_s,
        "json_s": json_s,
        "json_bytes": len(text),
        "webgl": any(t.get("type") == "scattergl" for t in chart["data"]),
    }


# --- the app ---------------------------------------------------------------------------------


@contextlib.contextmanager
def app_environment(data: Path) -> Iterator[None]:
    """The app reads ``$SKILLTREE_DATA`` and ``--data`` in ``sys.argv``: point both at ``data``."""
    saved_env, saved_argv = os.environ.get("SKILLTREE_DATA"), sys.argv
    os.environ["SKILLTREE_DATA"] = str(data)
    sys.argv = [str(APP)]
    try:
        yield
    finally:
        sys.argv = saved_argv
        if saved_env is None:
            os.environ.pop("SKILLTREE_DATA", None)
        else:
            os.environ["SKILLTREE_DATA"] = saved_env


def have_param(profile: Profile) -> str:
    return ",".join(f"{s}:{lv}" for s, lv in profile.skills.items())


@contextlib.contextmanager
def fresh_server() -> Iterator[None]:
    """The app as a new server process finds itself: nothing cached from the ladders measured
    before, and this start ladder frozen out of the collector's passes as the app does for the
    one ladder a process starts with. (Three large ladders alive and walked by every full
    collection made one click of the third take three seconds, which no server sees.)"""
    from webapp.data import start_afresh

    start_afresh()
    try:
        yield
    finally:
        start_afresh()


def bench_app(
    report: Report,
    data: Path,
    target: str,
    profile: Profile,
    warm_up: str,
    clicks: Sequence[str],
) -> None:
    """Cold run, then reruns: unchanged, a first click on ``warm_up``, a click on each of
    ``clicks``, a switch to the path view."""
    from streamlit.testing.v1 import AppTest

    def check(at: AppTest, what: str) -> None:
        if at.exception:
            raise RuntimeError(f"the app failed on {what}: {at.exception[0].message}")

    def click(node: str | None) -> None:
        # Pick the node as a user of a large graph does: search for it (not timed), then
        # choose it; the rerun that follows is what a click on the graph costs too.
        if node is not None and any(w.key == "w_node_q" for w in at.text_input):
            at.text_input(key="w_node_q").set_value(node)
            at.run()
        at.selectbox(key="w_node").set_value(node)

    with app_environment(data), fresh_server():
        at = AppTest.from_file(str(APP), default_timeout=600)
        at.query_params.update(target=target, have=have_param(profile), view="explore")
        cold, _ = timed(at.run)
        check(at, "the first run")
        report.time("app_cold_run", "app: first run (loads the file)", cold)
        rerun, _ = timed(at.run)
        check(at, "a rerun")
        report.time("app_warm_rerun", "app: warm rerun, nothing changed", rerun)
        # The first click of a process also builds tables that later clicks reuse.
        click(warm_up)
        seconds, _ = timed(at.run)
        check(at, f"a click on {warm_up}")
        report.time("app_first_click", f"app: first click ({warm_up})", seconds, node=warm_up)
        for n, skill in enumerate(clicks, 1):
            click(skill)
            seconds, _ = timed(at.run)
            check(at, f"a click on {skill}")
            report.time(
                f"app_click_{n}",
                f"app: warm rerun after a click ({skill})",
                seconds,
                max_seconds=RERUN_SECONDS,
                node=skill,
            )
        click(None)
        at.radio(key="w_view").set_value("path")
        seconds, _ = timed(at.run)
        check(at, "the path view")
        report.time(
            "app_path_view",
            "app: warm rerun, switch to My path",
            seconds,
            max_seconds=RERUN_SECONDS,
        )


# --- one graph -------------------------------------------------------------------------------


def bench_esco_import(report: Report, quick: bool) -> None:
    """An ESCO download of the real size (or a fifth of it with ``quick``) imported, then the
    result checked as the loader checks any file: CPU seconds, against the load time of a ladder
    of that size before format 2 (``ESCO_IMPORT_RATIO``)."""
    from benchmarks.synthetic_esco import synthetic_esco
    from skilltree import graph_from_data
    from skilltree.io.importers import import_esco

    scale = 5 if quick else 1
    files = synthetic_esco(3000 // scale, 14000 // scale, 130000 // scale)
    # The median of three runs: one run of a few seconds moves by a third on a busy machine.
    runs: list[tuple[float, float]] = []
    for _ in range(3):
        start = time.process_time()
        data, _report = import_esco(files)
        imported = time.process_time() - start
        graph_from_data(data, "esco.json")
        runs.append((time.process_time() - start, imported))
        gc.collect()
    total, imported = sorted(runs)[1]
    report.time(
        "esco_import",
        f"import an ESCO download ({len(data['skills']):,} skills) and validate it "
        "(CPU, median of 3)",
        total,
        max_ratio=ESCO_IMPORT_RATIO,
        import_s=round(imported, 3),
        roles=len(data["roles"]),
    )


def bench_graph(
    name: str, path: Path, *, samples: int, next_samples: int, seed: int, app: bool
) -> Report:
    cached_load = functools.lru_cache(maxsize=4)(lambda p, stamp: load_graph(p))

    load_s, G = timed(lambda: cached_load(str(path), path.stat().st_mtime))
    again_s = median_time(lambda: cached_load(str(path), path.stat().st_mtime), 5)
    report = Report(name, graph_counts(G))
    # The app freezes the collector once, for its start ladder; graphs after the first are
    # walked by every full collection, as here (a fair, slightly pessimistic measure).
    gc.collect()
    baseline_pass(G)  # warm the attribute dicts once, like any other pass after loading
    # Measured at the start and again at the end: a busy machine shows as a wide spread.
    report.baseline_samples += [timed(lambda: baseline_pass(G))[0] for _ in range(5)]
    report.time(
        "load_first",
        f"load and validate {path.stat().st_size / 1e6:.1f} MB",
        load_s,
        max_seconds=FIRST_LOAD_SECONDS,
    )
    report.time(
        "load_cached", "load again (cached, as the app)", again_s, max_seconds=CACHED_LOAD_SECONDS
    )
    if name == "synthetic shallow":
        bench_esco_import(report, quick=G.number_of_nodes() < LARGE_GRAPH_NODES)
    report.time(
        "index_build", "build the index (GraphIndex)", median_time(lambda: GraphIndex(G), 3)
    )

    rng = random.Random(seed)
    first_s, _ = timed(lambda: readiness_all(G, Profile()))
    report.time(
        "readiness_all_first",
        "readiness, all roles, first query (+ index)",
        first_s,
    )
    index = index_of(G)
    roles = list(index.roles)
    profiles = [random_profile(rng, index, rng.choice(roles)) for _ in range(max(3, next_samples))]
    report.time(
        "readiness_all",
        "readiness, all roles (scores)",
        statistics.median(
            timed(functools.partial(readiness_scores, G, p))[0] for p in profiles[:10]
        ),
        max_ratio=READINESS_ALL_RATIO,
    )
    report.time(
        "readiness_all_explained",
        "readiness, all roles, every requirement explained",
        statistics.median(timed(functools.partial(readiness_all, G, p))[0] for p in profiles[:3]),
    )
    one = [
        timed(functools.partial(readiness, G, profiles[0], r))[0] for r in rng.choices(roles, k=100)
    ]
    report.time("readiness_one", "readiness, one role (median)", statistics.median(one))

    plan_times: list[float] = []
    steps: list[int] = []
    gaps: list[float] = []
    methods: dict[str, int] = {}
    for _ in range(samples):
        target = rng.choice(roles)
        profile = random_profile(rng, index, target)
        seconds, result = timed(functools.partial(plan, G, profile, target))
        plan_times.append(seconds)
        steps.append(len(result.steps))
        if not result.exact:
            gaps.append(result.gap)
        methods[result.method] = methods.get(result.method, 0) + 1
    shared: dict[str, Any] = {
        "pairs": samples,
        "median_steps": statistics.median(steps),
        "inexact": len(gaps),
        "methods": methods,
    }
    report.count(
        "plan_exact",
        "plans proven minimal (share of the pairs)",
        (samples - len(gaps)) / samples,
        minimum=EXACT_SHARE,
        max_gap=round(max(gaps, default=0.0), 4),
        median_gap=round(statistics.median(gaps), 4) if gaps else 0.0,
        methods=methods,
    )
    report.time("plan_median", "plan (median)", statistics.median(plan_times), **shared)
    report.time(
        "plan_p95",
        f"plan (95th percentile of {samples})",
        percentile(plan_times, 95),
        max_ratio=PLAN_P95_RATIO,
        **shared,
    )

    nexts = profiles[:next_samples]
    for key, aim in (("next_no_target", "no target"), ("next_target", "toward a target")):
        times = [
            timed(
                functools.partial(
                    next_steps, G, p, rng.choice(roles) if key == "next_target" else None, limit=10
                )
            )[0]
            for p in nexts
        ]
        report.time(
            key,
            f"what to learn next, top 10, {aim}",
            statistics.median(times),
            max_ratio=NEXT_RATIO,
            samples=len(times),
        )

    # The focused views, on one representative person: a rung high on a ladder, with part of
    # its requirements already met.
    target = max(roles, key=lambda r: (index.rank[r], -roles.index(r)))
    profile = random_profile(random.Random(seed + 1), index, target)
    result = plan(G, profile, target)
    by_uses = sorted(index.hours, key=lambda s: (len(G.succ[s]), s))
    typical, busiest = by_uses[len(by_uses) // 2], by_uses[-1]
    cap = MAX_DRAWN
    # Plotly builds its validators on first use; a running app has long paid for that.
    draw(G, {target}, profile, None, [], None)

    def view(key: str, label: str, select: Callable[[], tuple[set[str], list[str]]]) -> None:
        select_s, (nodes, highlight) = timed(select)
        chosen = highlight[-1] if highlight else None
        figures = draw(G, nodes, profile, result, highlight, chosen)
        total = select_s + figures["layout_s"] + figures["figure_s"] + figures["json_s"]
        small = figures["json_bytes"] <= FIGURE_JSON_BYTES
        capped = figures["nodes"] <= cap
        webgl_ok = figures["webgl"] or figures["nodes"] <= WEBGL_THRESHOLD
        row = report.time(key, label, total, select_s=select_s, **figures)
        row.label += f": {figures['nodes']:,} nodes, {figures['json_bytes'] / 1e6:.2f} MB JSON"
        row.label += ", WebGL" if figures["webgl"] else ", SVG"
        row.target = f"≤ {cap} nodes, ≤ 1 MB, WebGL > {WEBGL_THRESHOLD}"
        row.met = small and capped and webgl_ok

    # The views are the library's, as the app draws them.
    def explore(node: str) -> tuple[set[str], list[str]]:
        chosen = explore_view(G, profile, node, cap=cap)
        return set(chosen.nodes), list(chosen.highlight)

    view(
        "view_target",
        "view: target's neighbourhood",
        lambda: (set(neighbourhood(G, target, 1, cap)), []),
    )
    view("view_typical_skill", "view: a typical skill clicked", lambda: explore(typical))
    view("view_busiest_skill", "view: the busiest skill clicked", lambda: explore(busiest))
    view(
        "view_plan",
        "view: the plan (My path)",
        lambda: (set(plan_view(G, result, profile, cap).nodes), []),
    )

    if app:
        bench_app(report, path, target, profile, by_uses[0], [typical, busiest])
    report.baseline_samples += [timed(lambda: baseline_pass(G))[0] for _ in range(5)]
    report.rows.insert(
        0,
        Row(
            "baseline",
            "baseline: one pass over nodes and edges",
            report.baseline,
            extra={
                "min": min(report.baseline_samples),
                "max": max(report.baseline_samples),
                "samples": len(report.baseline_samples),
            },
        ),
    )
    gc.unfreeze()
    return report


# --- main ------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    return {
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "networkx": nx.__version__,
    }


def _load() -> list[float] | None:
    """The system's load averages (1, 5, 15 minutes), where the platform has them."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark skilltree on a large (synthetic) career graph."
    )
    parser.add_argument("--data", type=Path, help="benchmark this file only")
    parser.add_argument("--quick", action="store_true", help="a smaller graph, fewer samples")
    parser.add_argument("--samples", type=int, help="profile × target pairs planned (≥ 100)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-app", action="store_true", help="leave out the AppTest reruns")
    args = parser.parse_args(argv)
    samples = args.samples or (20 if args.quick else 100)
    next_samples = 3 if args.quick else 5
    if args.data is not None and not args.data.is_file():
        parser.error(f"no such file: {args.data}")

    load_start = _load()
    reports: list[Report] = []
    generated: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="skilltree-bench-") as tmp:
        if args.data is not None:
            files = [(args.data.name, args.data)]
        else:
            roles, skills = (
                (QUICK_ROLES, QUICK_SKILLS) if args.quick else (DEFAULT_ROLES, DEFAULT_SKILLS)
            )
            files = []
            for variant, deep, shared in (
                ("shallow", False, False),
                ("deep", True, False),
                ("shared options", True, True),
            ):
                seconds, data = timed(
                    functools.partial(generate, roles, skills, args.seed, deep, shared)
                )
                out = write(data, Path(tmp) / f"synthetic-{variant.replace(' ', '-')}.json")
                generated[variant] = {"seconds": round(seconds, 3), **summary(data)}
                print(f"generated {variant}: {generated[variant]}", file=sys.stderr)
                files.append((f"synthetic {variant}", out))
        for name, path in files:
            print(f"benchmarking {name} …", file=sys.stderr)
            report = bench_graph(
                name,
                path,
                samples=samples,
                next_samples=next_samples,
                seed=args.seed,
                app=not args.no_app,
            )
            reports.append(report)
            print(report.table())
            low, high = min(report.baseline_samples), max(report.baseline_samples)
            if high > 1.5 * low:
                print(
                    f"(a busy machine: baseline passes took {_ms(low)} to {_ms(high)}; "
                    "ratios use their median)"
                )
            if report.graph["nodes"] < LARGE_GRAPH_NODES:
                print(
                    f"(a small graph: the ratio targets are meant for {LARGE_GRAPH_NODES:,} nodes "
                    "and more, where a query's fixed costs no longer dominate)"
                )
            print(flush=True)

    missed = [(r, row) for r in reports for row in r.not_met()]
    if missed:
        print("Targets not met:")
        for report, row in missed:
            ratio = report.ratio(row)
            times = f" ({ratio:,.2f}× baseline)" if ratio is not None else ""
            target = report.verdict(row)[0]
            print(f"- {report.name}: {row.label} — {row.shown()}{times}; target {target}")
    else:
        print("Every target met.")
    line = {
        "machine": {**machine(), "load_average_start": load_start, "load_average_end": _load()},
        "quick": args.quick,
        "samples": samples,
        "seed": args.seed,
        "generated": generated,
        "graphs": {r.name: r.as_json() for r in reports},
        "all_met": not missed,
    }
    print(json.dumps(line, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
