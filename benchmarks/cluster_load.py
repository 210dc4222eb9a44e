"""One process against several behind nginx, under the same websocket load, in one run.

    python benchmarks/cluster_load.py                      # 1 process direct, 2 behind nginx
    python benchmarks/cluster_load.py --processes 1 2 4    # and 4 behind nginx
    python benchmarks/cluster_load.py --quick              # a short smoke run
    python benchmarks/cluster_load.py --commit HEAD        # the last commit, not the work tree

Each scenario gets a fresh deployment (:class:`deploy.cluster.Cluster`: production settings,
every process warmed before the load; one process is served directly, more through nginx),
then the load of :mod:`benchmarks.wsload` (default 50 sessions, 1–3 s think time, 10 s ramp,
60 s measured) with the pids of every server process; it is stopped before the next one
starts. ``--commit REV`` measures a commit, exported to a temporary folder, so that edits in
the working tree during the run change nothing; the processes' logs are scanned for
tracebacks after each scenario. ``--rounds N`` repeats the whole series, so that a change in
what else the machine is doing shows up as a spread rather than as a ratio.

It prints one table (sessions, reruns/s, the ratio to one process, latency p50 / p95 / max,
errors, CPU per rerun, the cores other programs kept busy, memory per process), the targets
met or not, and one JSON line with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.wsload import Config, Ladder, run_load, table  # noqa: E402
from deploy.cluster import SWITCH_INTERVAL, Cluster  # noqa: E402
from deploy.serve import free_port  # noqa: E402
from skilltree.export.render import child_processes  # noqa: E402

#: The issue's targets: at 50 sessions, p95 at most this, no errors, and two processes serving
#: at least this many times the reruns per second of one.
P95_TARGET_MS = 1000
RATIO_TARGET = 1.6


def snapshot(commit: str, folder: Path) -> Path:
    """The project as committed at ``commit``, exported to ``folder``: what is measured then
    does not change while others edit the working tree."""
    folder.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit],
        capture_output=True,
        check=True,
    )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def server_errors(run_dir: Path) -> tuple[int, str | None]:
    """How many tracebacks the app processes logged, and the first one (its end)."""
    count, first = 0, None
    for log in sorted((run_dir / "logs").glob("app-*.log")):
        text = log.read_text(errors="replace")
        blocks = text.split("Traceback (most recent call last):")[1:]
        count += len(blocks)
        if blocks and first is None:
            first = blocks[0][:4000].strip()[-1500:]
    return count, first


def run_scenario(
    processes: int, args: argparse.Namespace, folder: Path, root: Path, name: str
) -> dict[str, Any]:
    """Deploy, load, stop: the load's figures and the scenario's."""
    streamlit_args = ["--runner.postScriptGC=true"] if args.untuned else []
    run_dir = folder / name
    cluster = Cluster(
        processes=processes,
        port=free_port() if processes > 1 else None,
        db=folder / "ladders.sqlite3",
        root=root,
        run_dir=run_dir,
        streamlit_args=streamlit_args,
        switch_interval=None if args.untuned else args.switch_interval,
        access_log=False,  # cheap, but not what is measured
    )
    with cluster:
        pids = {f"app {b.address}": b.pid for b in cluster.backends if b.pid}
        if cluster.nginx is not None:
            pids["nginx"] = cluster.nginx.pid
            for worker in child_processes(cluster.nginx.pid):
                pids[f"nginx worker {worker}"] = worker
        cfg = Config.of_args(cluster.url, Ladder.of_project(root), args, pids)
        result = asyncio.run(run_load(cfg))
    result["server_tracebacks"], result["server_traceback_example"] = server_errors(run_dir)
    result["processes_n"] = processes
    result["via"] = "nginx" if processes > 1 else "direct"
    return result


def summary(results: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """The comparison table, and the verdict on the targets."""
    by_n: dict[int, list[dict[str, Any]]] = {}
    for r in results:
        by_n.setdefault(r["processes_n"], []).append(r)
    one = statistics.median(r["reruns_per_s"] for r in by_n.get(1, [])) if 1 in by_n else None
    head = (
        "processes",
        "via",
        "sessions",
        "reruns/s",
        "vs 1",
        "p50 ms",
        "p95 ms",
        "max ms",
        "errors",
        "CPU ms/rerun",
        "others' cores",
        "RSS MiB per process (peak)",
    )
    rows = [head]
    for r in results:
        n, lat = r["processes_n"], r["latency_ms"]
        rss = ", ".join(
            f"{p['rss_mib']:.0f} ({p['rss_mib_peak']:.0f})"
            for label, p in r["processes"].items()
            if label.startswith("app")
        )
        rows.append(
            (
                str(n),
                r["via"],
                str(r["sessions"]),
                f"{r['reruns_per_s']:.2f}",
                f"{r['reruns_per_s'] / one:.2f}×" if one and n > 1 else "–",
                str(lat["p50"]),
                str(lat["p95"]),
                str(lat["max"]),
                str(r["errors"]),
                str(r["app_cpu_ms_per_rerun"]),
                f"{r['other_busy_cores']:.2f}",
                rss,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    two = statistics.median(r["reruns_per_s"] for r in by_n[2]) if 2 in by_n else None
    ratio = round(two / one, 2) if one and two else None
    best = min(
        (r for r in results if r["sessions"] >= 50),
        key=lambda r: r["latency_ms"]["p95"],
        default=None,
    )
    verdict = {
        "ratio_2_to_1": ratio,
        "ratio_target": RATIO_TARGET,
        "ratio_met": ratio is not None and ratio >= RATIO_TARGET,
        "best_p95_ms_at_50": best["latency_ms"]["p95"] if best else None,
        "best_p95_processes": best["processes_n"] if best else None,
        "p95_target_ms": P95_TARGET_MS,
        "p95_met": bool(best and best["latency_ms"]["p95"] <= P95_TARGET_MS),
        "errors": sum(r["errors"] for r in results),
        "server_tracebacks": sum(r.get("server_tracebacks", 0) for r in results),
    }
    lines.append("")
    lines.append(
        f"reruns/s, 2 processes : 1 = {ratio}× (target ≥ {RATIO_TARGET}×: "
        f"{'met' if verdict['ratio_met'] else 'NOT met'})"
    )
    if best:
        lines.append(
            f"best p95 at {best['sessions']} sessions: {best['latency_ms']['p95']} ms with "
            f"{best['processes_n']} process(es) (target ≤ {P95_TARGET_MS} ms and 0 errors: "
            f"{'met' if verdict['p95_met'] and verdict['errors'] == 0 else 'NOT met'})"
        )
    return "\n".join(lines), verdict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--processes",
        type=int,
        nargs="+",
        default=[1, 2],
        help="process counts, one scenario each (1: direct, more: nginx)",
    )
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0, help="measured seconds each")
    parser.add_argument("--ramp", type=float, default=10.0, help="seconds to start sessions")
    parser.add_argument("--think", type=float, nargs=2, default=[1.0, 3.0], metavar=("MIN", "MAX"))
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=1, help="repeat the series")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--switch-interval", type=float, default=SWITCH_INTERVAL)
    parser.add_argument(
        "--untuned",
        action="store_true",
        help="Streamlit's and Python's defaults (gc after every run, 5 ms switch interval)",
    )
    parser.add_argument("--commit", help="measure this commit (e.g. HEAD), exported apart "
                        "from the working tree; default: the working tree as it is")  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="10 sessions, 15 s: a smoke run")
    parser.add_argument("--out", type=Path, help="write the JSON line here too")
    args = parser.parse_args(argv)
    if args.quick:
        args.sessions, args.seconds, args.ramp = 10, 15.0, 3.0
    started = time.time()
    load_before = os.getloadavg()
    results = []
    commit = None
    with tempfile.TemporaryDirectory(prefix="skilltree-bench-") as name:
        folder = Path(name)
        root = ROOT
        if args.commit:
            commit = subprocess.run(
                ["git", "-C", str(ROOT), "rev-parse", "--short", args.commit],
                capture_output=True, text=True, check=True,
            ).stdout.strip()  # fmt: skip
            root = snapshot(commit, folder / "app")
        for round_ in range(args.rounds):
            for n in args.processes:
                title = f"== {n} process{'es' if n > 1 else ''}, round {round_ + 1}"
                print(title, file=sys.stderr, flush=True)
                result = run_scenario(n, args, folder, root, f"run-{n}p-{round_ + 1}")
                result["round"] = round_ + 1
                print(table(result, title), flush=True)
                if result["server_traceback_example"]:
                    print(f"server: {result['server_tracebacks']} tracebacks; the first ends:")
                    print(result["server_traceback_example"], flush=True)
                results.append(result)
                time.sleep(2)
    text, verdict = summary(results)
    print()
    print(text)
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_before": [round(x, 2) for x in load_before],
        },
        "app": f"commit {commit}" if commit else "working tree",
        "tuned": not args.untuned,
        "switch_interval": None if args.untuned else args.switch_interval,
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "verdict": verdict,
        "scenarios": results,
    }
    line = json.dumps(report, separators=(",", ":"))
    print(line)
    if args.out:
        args.out.write_text(line + "\n", encoding="utf-8")
    return 0 if verdict["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
