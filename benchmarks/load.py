"""Load test on loopback: many browser pages use one `streamlit run` server at once.

Each page is its own session with its own profile and target. For a bounded time every page
clicks through views, picks nodes and changes its pace; after every action it checks that it
still shows its own state and no error. The server's memory is sampled throughout. The run
prints a table and, last, one JSON line with every figure.

    python benchmarks/load.py [--pages 20] [--seconds 60] [--seed 1]

Everything stays on 127.0.0.1; the server is started and stopped by the script.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.async_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from playwright.async_api import expect  # noqa: E402

from deploy.serve import BROWSER_FLAGS, serve_app  # noqa: E402
from skilltree import load_graph, node_ids  # noqa: E402
from skilltree.export import find_browser  # noqa: E402

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
# Where plotly drew a node, in page coordinates (the browser tests click the same way).
NODE_POSITION_JS = """(id) => {
    const gd = document.querySelector('.js-plotly-plot');
    if (!gd || !gd._fullLayout || !gd._fullData) return null;
    const full = gd._fullLayout, box = gd.getBoundingClientRect();
    for (const trace of gd._fullData) {
        const ids = trace.customdata || [];
        for (let i = 0; i < ids.length; i++) {
            if ((Array.isArray(ids[i]) ? ids[i][0] : ids[i]) === id) return {
                x: box.left + full._size.l + full.xaxis.l2p(trace.x[i]),
                y: box.top + full._size.t + full.yaxis.l2p(trace.y[i]),
            };
        }
    }
    return null;
}"""
RUNNING = "[data-testid='stApp'][data-test-script-state='running']"
# Twenty pages drawing plotly graphs share two cores with the server: be patient.
ACTION_TIMEOUT = 180.0
THINK_MIN, THINK_MAX = 1.0, 3.0


@dataclass
class PageReport:
    page: int
    skill: str
    actions: int = 0
    errors: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children, in MiB (Linux /proc)."""
    total = 0.0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


async def settle(page, timeout: float = ACTION_TIMEOUT) -> None:
    """Wait for the rerun an action caused to start (if it has not yet) and to finish."""
    # A fast rerun may be over before we look for it.
    with contextlib.suppress(PlaywrightTimeout):
        await page.wait_for_selector(RUNNING, timeout=1500)
    await page.wait_for_selector(IDLE, timeout=timeout * 1000)


async def check_own_state(page, report: PageReport, skill_name: str) -> None:
    if f"have={report.skill}" not in page.url:
        report.errors.append(f"page {report.page}: lost its profile, url {page.url}")
    strangers = [s for s in report.others if f"have={s}:" in page.url]
    if strangers:
        report.errors.append(f"page {report.page}: shows another page's profile ({strangers[0]})")
    try:
        await expect(page.locator("[data-testid='stSidebar']")).to_contain_text(
            skill_name, timeout=ACTION_TIMEOUT * 1000
        )
    except AssertionError:
        report.errors.append(f"page {report.page}: sidebar does not show {skill_name}")
    alerts = await page.locator(
        "[data-testid='stException'], [data-testid='stAlertContentError']"
    ).count()
    if alerts:
        text = await page.locator(
            "[data-testid='stException'], [data-testid='stAlertContentError']"
        ).first.inner_text()
        report.errors.append(f"page {report.page}: {alerts} error element(s): {text[:200]}")


async def worker(
    browser, url: str, report: PageReport, skill_name: str, target: str, nodes: list[str],
    deadline: float, seed: int,
) -> None:  # fmt: skip
    rng = random.Random(seed)
    # Pages arrive one after another, as people do, not in one burst.
    await asyncio.sleep(report.page * 0.5)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT * 1000)
    page.on("dialog", lambda d: report.errors.append(f"dialog: {d.message}"))
    try:
        await page.goto(
            f"{url}/?have={report.skill}:1&target={target}&view=path",
        )
        await page.wait_for_selector("h1:has-text('skilltree')")
        await page.wait_for_selector(IDLE)
        await check_own_state(page, report, skill_name)
        # Every page acts at least once, however slowly the others let it load.
        while time.monotonic() < deadline or report.actions == 0:
            # People read what they clicked before the next click.
            await asyncio.sleep(rng.uniform(THINK_MIN, THINK_MAX))
            action = rng.choice(["view", "view", "node", "pace"])
            started = time.perf_counter()
            if action == "view":
                label = rng.choice(["Explore", "My path", "Compare", "Export"])
                await page.get_by_text(label, exact=True).first.click()
            elif action == "node":
                if "view=" in page.url and "view=explore" not in page.url:
                    await page.get_by_text("Explore", exact=True).first.click()
                    await settle(page)
                    started = time.perf_counter()
                where = await page.evaluate(NODE_POSITION_JS, rng.choice(nodes))
                if where is None:
                    continue
                await page.mouse.move(where["x"], where["y"])
                await page.mouse.click(where["x"], where["y"])
            else:
                await page.locator("[data-testid='stNumberInputStepUp']").first.click()
            await settle(page)
            report.latencies.append(time.perf_counter() - started)
            report.actions += 1
            await check_own_state(page, report, skill_name)
    except Exception as exc:
        report.errors.append(f"page {report.page}: {type(exc).__name__}: {exc}"[:300])
    finally:
        await context.close()


async def run(pages: int, seconds: float, seed: int) -> dict[str, object]:
    from playwright.async_api import async_playwright

    executable = find_browser()
    if executable is None:
        raise SystemExit("the load test needs Chrome or Chromium (apt-get install chromium)")
    G = load_graph()
    skills = node_ids(G, "skill")
    roles = node_ids(G, "role")
    names = {n: G.nodes[n]["name"] for n in G}
    rng = random.Random(seed)
    chosen = rng.sample(skills, pages)
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    with serve_app() as served:
        url, pid = served.url, served.pid
        memory = [rss_mib(pid)]
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=executable, args=BROWSER_FLAGS)
            reports = [
                PageReport(i, chosen[i], others=[s for s in chosen if s != chosen[i]])
                for i in range(pages)
            ]
            started = time.monotonic()
            deadline = started + seconds
            sampling = True

            async def sample() -> None:
                while sampling:
                    memory.append(rss_mib(pid))
                    await asyncio.sleep(1.0)

            sampler = asyncio.create_task(sample())
            await asyncio.gather(
                *(
                    worker(browser, url, r, names[r.skill], rng.choice(roles), sorted(G.nodes),
                           deadline, seed + r.page)
                    for r in reports
                )
            )  # fmt: skip
            sampling = False
            await sampler
            elapsed = time.monotonic() - started
            await browser.close()
        memory.append(rss_mib(pid))
    latencies = sorted(x for r in reports for x in r.latencies)
    errors = [e for r in reports for e in r.errors]

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else 0.0

    return {
        "pages": pages,
        "seconds": round(elapsed, 1),
        "actions": len(latencies),
        "actions_per_second": round(len(latencies) / elapsed, 2) if elapsed else 0.0,
        "pages_with_actions": sum(1 for r in reports if r.actions),
        "errors": len(errors),
        "error_samples": errors[:5],
        "latency_p50_s": round(statistics.median(latencies), 3) if latencies else None,
        "latency_p95_s": round(pct(0.95), 3),
        "latency_max_s": round(latencies[-1], 3) if latencies else None,
        "server_rss_start_mib": round(memory[0], 1),
        "server_rss_peak_mib": round(max(memory), 1),
        "server_rss_end_mib": round(memory[-1], 1),
        "machine": f"{platform.machine()} · {platform.python_version()} · "
        f"{__import__('os').cpu_count()} cores",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.pages, args.seconds, args.seed))
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key.ljust(width)}  {value}")
    print(json.dumps(result))
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
