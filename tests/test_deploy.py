"""Serving many people: several app processes behind nginx, sticky, supervised.

The cluster tests start ``python -m deploy.cluster`` (two processes and nginx on loopback), as
an operator would, and check that a browser's websocket and its HTTP requests stay on one
process, that a short websocket load sees no error, that a killed process is replaced, and that
stopping leaves nothing running. They need nginx: where it is missing they are skipped with the
reason, except under ``CI=true``, where that fails the run.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
import tomllib
import urllib.request
from collections import defaultdict
from pathlib import Path

import pytest

from benchmarks.stclient import Session, http_get
from benchmarks.wsload import Config, Ladder, run_load
from deploy.cluster import Backend, Cluster
from deploy.nginx import ROUTE_COOKIE, nginx_binary, site_config, standalone_config
from deploy.serve import ROOT, free_port


def require_nginx() -> str:
    """nginx's path; skip (or, under CI=true, fail) when it is not installed."""
    found = nginx_binary()
    if found:
        return found
    message = "nginx is not installed (on Debian: apt-get install nginx); deployment tests need it"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " — and CI=true requires them to run")
    pytest.skip(message)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# --- configuration -----------------------------------------------------------------------------


def test_nginx_accepts_the_generated_configuration(tmp_path):
    nginx = require_nginx()
    for sub in ("logs", "temp"):
        (tmp_path / sub).mkdir()
    site = site_config(
        ["127.0.0.1:8501", "127.0.0.1:8502"], "127.0.0.1:8080", access_log="logs/access.log"
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(standalone_config())
    done = subprocess.run(
        [
            nginx,
            "-t",
            "-p",
            f"{tmp_path}/",
            "-e",
            str(tmp_path / "logs/error.log"),
            "-c",
            str(tmp_path / "nginx.conf"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "hash $skilltree_route consistent;" in site
    assert "proxy_set_header Host $http_host;" in site
    assert "server 127.0.0.1:8502 max_fails=1" in site


def test_the_site_for_a_system_nginx_lists_every_backend(capsys):
    from deploy.nginx import main

    assert (
        main(
            [
                "--backend",
                "10.0.0.5:8501",
                "--backend",
                "app2.internal:8501",
                "--listen",
                "80",
                "--server-name",
                "skilltree.example",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "server 10.0.0.5:8501" in text
    assert "server app2.internal:8501" in text
    assert "server_name skilltree.example;" in text
    assert "{{" not in text
    with pytest.raises(ValueError, match="host:port"):
        site_config(["10.0.0.5"], "80")
    with pytest.raises(ValueError, match="host:port"):
        site_config(["10.0.0.5:8501; include /etc/passwd"], "80")


def test_every_process_gets_the_production_settings(tmp_path):
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False
    from streamlit import config as st_config

    assert "runner.postScriptGC" in st_config._config_options_template
    cluster = Cluster(processes=2, db=tmp_path / "ladders.sqlite3", app_args=["--data", "x.yaml"])
    command = cluster.command(Backend("127.0.0.1", 9999))
    assert command[:5] == [sys.executable, "-m", "deploy.launch", "--switch-interval", "0.001"]
    text = " ".join(command)
    assert "--server.port 9999 --server.address 127.0.0.1" in text
    assert "--server.fileWatcherType none" in text
    assert command[-3:] == ["--", "--data", "x.yaml"]
    env = cluster.environment()
    assert env["SKILLTREE_DB"] == str(tmp_path / "ladders.sqlite3")
    assert len(env["STREAMLIT_SERVER_COOKIE_SECRET"]) >= 32
    secret = env["STREAMLIT_SERVER_COOKIE_SECRET"]
    assert cluster.environment()["STREAMLIT_SERVER_COOKIE_SECRET"] == secret


def test_the_launcher_sets_the_switch_interval_and_hands_over(monkeypatch):
    import streamlit.web.cli

    from deploy import launch

    seen: dict[str, object] = {}
    monkeypatch.setattr(
        streamlit.web.cli,
        "main",
        lambda prog_name: seen.update(argv=list(sys.argv), interval=sys.getswitchinterval()),
    )
    monkeypatch.setattr(sys, "argv", ["x"])
    before = sys.getswitchinterval()
    try:
        launch.main(["--switch-interval", "0.002", "run", "app.py"])
    finally:
        sys.setswitchinterval(before)
    assert seen == {"argv": ["streamlit", "run", "app.py"], "interval": pytest.approx(0.002)}


# --- a running cluster ---------------------------------------------------------------------


class Running:
    """``python -m deploy.cluster`` started as a process, and its state."""

    def __init__(self, folder: Path) -> None:
        self.run_dir = folder / "run"
        self.port = free_port()
        self.log = (folder / "cluster.log").open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "deploy.cluster",
                "-n",
                "2",
                "--port",
                str(self.port),
                "--run-dir",
                str(self.run_dir),
                "--db",
                str(folder / "ladders.sqlite3"),
                "--health-interval",
                "1",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()  # the state, once every process is warm
        if not line:
            self.proc.wait(timeout=30)
            raise RuntimeError(f"the cluster did not start; see {folder / 'cluster.log'}")
        self.url = f"http://127.0.0.1:{self.port}"

    def state(self) -> dict:
        return json.loads((self.run_dir / "state.json").read_text())

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()
        finally:
            self.log.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    require_nginx()
    running = Running(tmp_path_factory.mktemp("cluster"))
    yield running
    running.stop()


def access_log(cluster: Running) -> list[tuple[str, str, str]]:
    """(request, upstream, route) for every line nginx logged."""
    text = (cluster.run_dir / "logs" / "access.log").read_text()
    return re.findall(r'"(\S+ \S+) [^"]*" \d+ \d+ rt=\S+ up=(\S+) route=(\S+)', text)


async def visit(url: str) -> tuple[str, str | None]:
    """A tab: load the page, run the app once over the websocket, fetch one more URL with the
    same cookies, close. Its route cookie and its session id."""
    session = Session(url, timeout=60)
    await session.open()
    result = await session.rerun("have=python:2&target=junior")
    assert result.exceptions == []
    assert result.errors == []
    assert await http_get(url + "/_stcore/host-config", session.cookies) == 200
    await session.close()
    return session.cookies[ROUTE_COOKIE], session.session_id


async def page_loads(url: str, n: int) -> list[str]:
    """n visitors who only load the page and one more URL: their route cookies."""
    routes = []
    for _ in range(n):
        cookies: dict[str, str] = {}
        assert await http_get(url + "/", cookies) == 200
        assert await http_get(url + "/_stcore/host-config", cookies) == 200
        routes.append(cookies[ROUTE_COOKIE])
    return routes


@pytest.mark.slow
def test_a_session_and_its_requests_stay_on_one_process(cluster):
    async def main() -> tuple[list[tuple[str, str | None]], list[str]]:
        tabs = await asyncio.gather(*(visit(cluster.url) for _ in range(4)))
        return list(tabs), await page_loads(cluster.url, 24)

    tabs, visitors = asyncio.run(main())
    time.sleep(0.5)  # nginx logs a websocket when it closes
    upstreams: dict[str, set[str]] = defaultdict(set)
    requests: dict[str, set[str]] = defaultdict(set)
    for request, upstream, route in access_log(cluster):
        upstreams[route].add(upstream)
        requests[route].add(request.split("?")[0])
    backends = {b["address"] for b in cluster.state()["backends"]}
    for route, _session_id in tabs:
        assert requests[route] >= {"GET /", "GET /_stcore/stream", "GET /_stcore/host-config"}
        assert len(upstreams[route]) == 1, upstreams[route]  # one process for all of them
    for route in visitors:
        assert len(upstreams[route]) == 1
    used = set().union(*(upstreams[r] for r, _ in tabs), *(upstreams[r] for r in visitors))
    assert used == backends  # and the browsers spread over both processes


@pytest.mark.slow
def test_a_short_load_through_nginx_has_no_errors(cluster):
    cfg = Config(
        url=cluster.url,
        ladder=Ladder.load(),
        sessions=6,
        seconds=8,
        ramp=2,
        think=(0.5, 1.5),
        timeout=60,
    )
    result = asyncio.run(run_load(cfg))
    assert result["errors"] == 0, result["error_examples"]
    assert result["reruns"] >= 6, result


@pytest.mark.slow
def test_a_killed_process_is_replaced(cluster):
    before = cluster.state()["backends"][0]
    os.kill(before["pid"], signal.SIGKILL)
    deadline = time.monotonic() + 120
    while True:
        now = cluster.state()["backends"][0]
        if now["pid"] != before["pid"] and now["healthy"]:
            break
        assert time.monotonic() < deadline, "the killed process was not replaced"
        time.sleep(0.5)
    assert now["address"] == before["address"]  # the same port: no route moved
    assert now["restarts"] == before["restarts"] + 1
    with urllib.request.urlopen(now["url"] + "/_stcore/health", timeout=5) as answer:
        assert answer.read() == b"ok"
    # Every visitor is served again, whichever process the route picks.
    tabs = asyncio.run(asyncio.wait_for(_visits(cluster.url, 4), 180))
    assert len(tabs) == 4


async def _visits(url: str, n: int) -> list[tuple[str, str | None]]:
    return list(await asyncio.gather(*(visit(url) for _ in range(n))))


@pytest.mark.slow
def test_stopping_leaves_nothing_running(cluster):
    state = cluster.state()
    pids = [b["pid"] for b in state["backends"]] + [state["nginx_pid"]]
    assert all(alive(pid) for pid in pids)
    assert cluster.stop() == 0
    deadline = time.monotonic() + 15
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in pids if alive(pid)]
