"""Websocket-level load on the app: many sessions speaking Streamlit's protocol, no browsers.

    python benchmarks/wsload.py --url http://127.0.0.1:8080 --sessions 50 --seconds 60 \\
        --state RUN_DIR/state.json

Each session is a person with a tab open (see :mod:`benchmarks.stclient`): it loads the page,
connects, runs the app with a link of its own (a random profile and target from the ladder,
``have=python:2,git:1&target=senior``), then, after a think time (1–3 s by default; 0 0 for the
most the server can do), changes one widget and waits for the rerun: a node in "Find a node"
(four times in ten), the page (two in ten), what the graph shows (overview, my plan,
everything: two in ten) or the pace (two in ten); see :data:`ACTIONS`.

After every run the session checks what a person would see: no exception, no error message, no
script that failed to finish, and its own profile and target in the URL the app writes back
(never another session's). A disconnect or a timeout counts as an error; the session then
reconnects as the browser does (same cookies, its old session id offered) and carries on from
its last URL.

Sessions start over ``--ramp`` seconds; the figures cover the ``--seconds`` after that: reruns
finished, reruns per second, latency (rerun sent to ``script_finished`` read) p50 / p95 / max,
errors, and for each server process (``--pid``, or every pid in the cluster's ``--state``
file) its memory (RSS at the end, and the peak sampled every second) and CPU seconds. A table,
then one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.stclient import ProtocolError, RunResult, Session  # noqa: E402
from skilltree.export.render import child_processes  # noqa: E402

__all__ = ["Config", "Ladder", "pids_from_state", "run_load", "table"]


@dataclass(frozen=True)
class Ladder:
    """The ids a session draws its profile and target from."""

    skills: tuple[str, ...]
    roles: tuple[str, ...]

    @classmethod
    def load(cls, data: str | None = None) -> Ladder:
        from skilltree import load_graph

        G = load_graph(data) if data else load_graph()
        kinds = {n: d.get("kind") for n, d in G.nodes(data=True)}
        return cls(
            tuple(sorted(n for n, k in kinds.items() if k == "skill")),
            tuple(sorted(n for n, k in kinds.items() if k == "role")),
        )

    @classmethod
    def of_project(cls, root: Path) -> Ladder:
        """The built-in ladder of the project at ``root`` (e.g. an exported commit), read by
        that project's own code."""
        code = (
            "import json; from skilltree import load_graph; G = load_graph(); "
            "print(json.dumps({k: sorted(n for n, d in G.nodes(data=True) "
            "if d.get('kind') == k) for k in ('skill', 'role')}))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
        )
        ids = json.loads(done.stdout.strip().splitlines()[-1])
        return cls(tuple(ids["skill"]), tuple(ids["role"]))


@dataclass
class Config:
    url: str
    ladder: Ladder
    sessions: int = 50
    seconds: float = 60.0
    ramp: float = 10.0
    think: tuple[float, float] = (1.0, 3.0)
    timeout: float = 30.0
    seed: int = 1
    use_cache: bool = True
    pids: dict[str, int] = field(default_factory=dict)  # label -> pid, for memory and CPU

    @classmethod
    def of_args(
        cls, url: str, ladder: Ladder, args: argparse.Namespace, pids: dict[str, int]
    ) -> Config:
        """The load the command-line options ask for (this script's and the cluster's)."""
        return cls(
            url=url,
            ladder=ladder,
            sessions=args.sessions,
            seconds=args.seconds,
            ramp=args.ramp,
            think=(args.think[0], args.think[1]),
            timeout=args.timeout,
            seed=args.seed,
            use_cache=not getattr(args, "no_cache", False),
            pids=pids,
        )


@dataclass
class Stats:
    window: tuple[float, float] = (0.0, 0.0)
    latencies: list[float] = field(default_factory=list)  # reruns finished in the window
    first_runs: list[float] = field(default_factory=list)
    actions: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    reconnects: int = 0
    bytes: int = 0
    messages: int = 0
    refs: int = 0

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] += 1
        self.examples.setdefault(kind, detail[:300])


def parse_have(text: str) -> dict[str, int]:
    """``python:2,git`` as ``{"python": 2, "git": 1}``."""
    out: dict[str, int] = {}
    for item in filter(None, text.split(",")):
        skill, _, level = item.partition(":")
        out[skill] = int(level) if level.isdigit() else 1
    return out


def shown(query: str) -> tuple[dict[str, int], str | None]:
    """The profile and target a URL's query string holds."""
    params = parse_qs(query)
    return parse_have(params.get("have", [""])[-1]), params.get("target", [None])[-1]


def person(ladder: Ladder, rng: random.Random) -> tuple[str, dict[str, int], str]:
    """A random link: its query string, the skills it claims and its target."""
    have = {s: rng.randint(1, 3) for s in rng.sample(ladder.skills, rng.randint(1, 6))}
    target = rng.choice(ladder.roles)
    text = ",".join(f"{s}:{level}" for s, level in have.items())
    return f"have={text}&target={target}", have, target


#: What a person changes between two reruns: (action, widget key, weight).
ACTIONS = (
    ("node", "w_node", 4),
    ("view", "w_view", 2),
    ("scope", "w_scope", 2),
    ("pace", "w_pace", 2),
)


def choose_action(session: Session, rng: random.Random) -> str | None:
    """Change one widget's value as a person would; the action's name, or None."""
    w = session.widgets
    choices: list[str] = []
    for action, key, weight in ACTIONS:
        widget = w.get(key)
        if widget is not None and not widget.disabled and (key == "w_pace" or widget.options[1:]):
            choices += [action] * weight
    if not choices:
        return None
    action = rng.choice(choices)
    if action == "node":  # the first option is "nothing chosen"
        session.values["w_node"] = rng.choice(w["w_node"].options[1:])
    elif action in ("view", "scope"):
        key = "w_view" if action == "view" else "w_scope"
        now = session.values.get(key, w[key].options[0])
        session.values[key] = rng.choice([v for v in w[key].options if v != now])
    else:
        session.values["w_pace"] = float(rng.randint(2, 40))
    return action


def check(result: RunResult, expected: tuple[dict[str, int], str] | None, stats: Stats) -> None:
    """Count what a person would see as wrong. ``expected``: the profile and target this
    session's page must show (the app may add what the skills imply, never drop or change
    what the link claimed)."""
    for text in result.exceptions:
        stats.error("exception", text)
    for text in result.errors:
        stats.error("app_error", text)
    if expected is not None and result.query_string is not None:
        have, target = shown(result.query_string)
        claimed, aim = expected
        wrong = {s: lv for s, lv in claimed.items() if have.get(s) != lv}
        if wrong or target != aim:
            stats.error(
                "state", f"page shows have={have} target={target}; session has {claimed} {aim}"
            )


async def simulate(n: int, cfg: Config, stats: Stats, stop_at: float) -> None:
    """One person: open the link, then think and click until ``stop_at``."""
    rng = random.Random(cfg.seed * 100_003 + n)
    await asyncio.sleep(cfg.ramp * n / max(cfg.sessions, 1))
    query, have, target = person(cfg.ladder, rng)
    url_query = query  # the URL as the tab has it: the app rewrites it after each run
    session: Session | None = None
    lost: Session | None = None
    while time.perf_counter() < stop_at:
        try:
            if session is None:
                session = Session(
                    cfg.url, timeout=cfg.timeout, use_cache=cfg.use_cache, resume=lost
                )
                await session.open()
                first = await session.rerun(url_query)
                stats.first_runs.append(first.seconds)
                check(first, (have, target), stats)
                url_query = first.query_string or url_query
            think = rng.uniform(*cfg.think)
            if think > 0:
                await asyncio.sleep(think)
            if time.perf_counter() >= stop_at:
                break
            action = choose_action(session, rng)
            if action is None:
                stats.error("no_widget", "no widget to change on the page")
                await asyncio.sleep(1.0)
                continue
            result = await session.rerun(url_query)
            end = time.perf_counter()
            check(result, (have, target), stats)
            url_query = result.query_string or url_query
            if stats.window[0] <= end <= stats.window[1]:
                stats.latencies.append(result.seconds)
                stats.actions[action] += 1
                stats.bytes += result.bytes
                stats.messages += result.messages
                stats.refs += result.refs
        except ProtocolError as exc:
            stats.error(exc.kind, str(exc))
            if session is not None:
                await session.close()
                lost = session if session.session_id else lost
            session = None
            if exc.kind in ("status", "cache_miss"):
                return  # the server broke the protocol: reconnecting would hide it
            stats.reconnects += 1
            await asyncio.sleep(1.0)
    if session is not None:
        await session.close()


# --- the server's processes ------------------------------------------------------------------


def rss_kib(pid: int) -> int | None:
    """A process's resident memory in KiB; None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds of a process (all its threads); None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU seconds every core spent busy since boot (all but idle and iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def pids_from_state(path: Path) -> dict[str, int]:
    """The processes a cluster's ``state.json`` names: each app process, nginx and its
    workers."""
    state = json.loads(path.read_text(encoding="utf-8"))
    pids = {f"app {b['address']}": int(b["pid"]) for b in state["backends"] if b.get("pid")}
    if state.get("nginx_pid"):
        master = int(state["nginx_pid"])
        pids["nginx"] = master
        for worker in child_processes(master):
            pids[f"nginx worker {worker}"] = worker
    return pids


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100), nearest rank; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-q * len(ordered) // 100)))
    return ordered[int(rank) - 1]


async def run_load(cfg: Config) -> dict[str, Any]:
    """Run the load; every figure in a dict (what the JSON line holds)."""
    stats = Stats()
    start = time.perf_counter()
    stats.window = (start + cfg.ramp, start + cfg.ramp + cfg.seconds)
    peaks: dict[str, int] = {}
    lag: list[float] = []
    done = asyncio.Event()
    marks: dict[str, dict[str, float | None]] = {}

    def mark(name: str) -> None:
        marks[name] = {label: cpu_seconds(pid) for label, pid in cfg.pids.items()}
        marks[name]["(machine)"] = machine_busy_seconds()
        marks[name]["(client)"] = time.process_time()

    async def monitor() -> None:
        next_sample = 0.0
        while not done.is_set():
            t = time.perf_counter()
            await asyncio.sleep(0.1)
            lag.append(time.perf_counter() - t - 0.1)
            if t >= next_sample:
                next_sample = t + 1.0
                for label, pid in cfg.pids.items():
                    rss = rss_kib(pid)
                    if rss is not None:
                        peaks[label] = max(peaks.get(label, 0), rss)

    async def at(moment: float, name: str) -> None:
        await asyncio.sleep(max(0.0, moment - time.perf_counter()))
        mark(name)

    watcher = asyncio.create_task(monitor())
    markers = [
        asyncio.create_task(at(stats.window[0], "start")),
        asyncio.create_task(at(stats.window[1], "end")),
    ]
    await asyncio.gather(*(simulate(n, cfg, stats, stats.window[1]) for n in range(cfg.sessions)))
    await asyncio.gather(*markers)
    done.set()
    await watcher

    def spent(label: str) -> float | None:
        a, b = marks["start"].get(label), marks["end"].get(label)
        return round(b - a, 2) if a is not None and b is not None else None

    processes = {
        label: {
            "pid": pid,
            "rss_mib": round((rss_kib(pid) or 0) / 1024, 1),
            "rss_mib_peak": round(peaks.get(label, 0) / 1024, 1),
            "cpu_s": spent(label),
        }
        for label, pid in cfg.pids.items()
    }
    lat = stats.latencies
    ours = sum(p["cpu_s"] or 0.0 for p in processes.values()) + (spent("(client)") or 0.0)
    machine = spent("(machine)") or 0.0
    app_cpu = sum(p["cpu_s"] or 0.0 for k, p in processes.items() if k.startswith("app"))
    return {
        "url": cfg.url,
        "sessions": cfg.sessions,
        "think_s": list(cfg.think),
        "window_s": cfg.seconds,
        "reruns": len(lat),
        "reruns_per_s": round(len(lat) / cfg.seconds, 2),
        "latency_ms": {
            "p50": round(percentile(lat, 50) * 1000),
            "p95": round(percentile(lat, 95) * 1000),
            "max": round(max(lat, default=0.0) * 1000),
            "mean": round(statistics.fmean(lat) * 1000) if lat else 0,
        },
        "first_run_ms": {
            "count": len(stats.first_runs),
            "p50": round(percentile(stats.first_runs, 50) * 1000),
            "max": round(max(stats.first_runs, default=0.0) * 1000),
        },
        "errors": sum(stats.errors.values()),
        "errors_by_kind": dict(stats.errors),
        "error_examples": stats.examples,
        "reconnects": stats.reconnects,
        "actions": dict(stats.actions),
        "kib_per_rerun": round(stats.bytes / 1024 / len(lat), 1) if lat else 0.0,
        "messages_per_rerun": round(stats.messages / len(lat), 1) if lat else 0.0,
        "cached_messages": stats.refs,
        "app_cpu_ms_per_rerun": round(app_cpu * 1000 / len(lat), 1) if lat else None,
        "processes": processes,
        "client_cpu_s": spent("(client)"),
        "client_loop_lag_ms_p95": round(percentile(lag, 95) * 1000, 1),
        # Busy cores on the whole machine during the window, and how many of them were busy
        # with something other than this test: figures taken while others used the cores are
        # not comparable with figures taken on a quiet machine.
        "machine_busy_cores": round(machine / cfg.seconds, 2),
        "other_busy_cores": round(max(0.0, machine - ours) / cfg.seconds, 2),
    }


def table(r: dict[str, Any], title: str = "") -> str:
    """The figures of one load as aligned text."""
    lat, first = r["latency_ms"], r["first_run_ms"]
    rows = [
        ("sessions, think time", "{} sessions, {:g}–{:g} s".format(r["sessions"], *r["think_s"])),
        ("window", f"{r['window_s']:g} s"),
        ("reruns, per second", f"{r['reruns']}, {r['reruns_per_s']:.2f}/s"),
        ("latency p50 / p95 / max", "{p50} / {p95} / {max} ms".format(**lat)),
        ("first run p50 / max", "{p50} / {max} ms".format(**first)),
        ("errors", f"{r['errors']} {r['errors_by_kind'] or ''}".strip()),
        ("reconnects", str(r["reconnects"])),
        (
            "per rerun",
            f"{r['messages_per_rerun']} messages, {r['kib_per_rerun']} KiB, "
            f"{r['app_cpu_ms_per_rerun']} ms app CPU",
        ),
        ("busy cores: all / not this test", f"{r['machine_busy_cores']} / {r['other_busy_cores']}"),
    ]
    for label, p in r["processes"].items():
        rows.append(
            (label, f"RSS {p['rss_mib']} MiB (peak {p['rss_mib_peak']}), CPU {p['cpu_s']} s")
        )
    width = max(len(k) for k, _ in rows)
    return "\n".join(([title] if title else []) + [f"{k.ljust(width)}  {v}" for k, v in rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080", help="the app, or nginx")
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0, help="measured seconds")
    parser.add_argument("--ramp", type=float, default=10.0, help="seconds to start sessions")
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=[1.0, 3.0],
        metavar=("MIN", "MAX"),
        help="seconds between clicks",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", help="the ladder the server uses (default: built-in)")
    parser.add_argument("--no-cache", action="store_true", help="offer no cached messages")
    parser.add_argument("--pid", type=int, action="append", default=[], help="a server pid")
    parser.add_argument("--state", type=Path, help="a cluster's state.json: its pids")
    args = parser.parse_args(argv)
    pids = {f"app pid {p}": p for p in args.pid}
    if args.state:
        pids.update(pids_from_state(args.state))
    cfg = Config.of_args(args.url, Ladder.load(args.data), args, pids)
    result = asyncio.run(run_load(cfg))
    print(table(result, f"wsload: {cfg.url}"))
    print(json.dumps(result, separators=(",", ":")))
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
