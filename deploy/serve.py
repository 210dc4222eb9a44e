"""Serve the app on loopback: ``streamlit run app.py`` on a free port, ready when healthy.

Tests and benchmarks start the app through :func:`serve_app` and drive it with a headless
Chromium started with :data:`BROWSER_FLAGS`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BROWSER_FLAGS", "ROOT", "Served", "free_port", "serve_app"]

ROOT = Path(__file__).resolve().parent.parent
#: Flags for a headless Chromium on a machine with no display and no network beyond loopback.
BROWSER_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@dataclass(frozen=True)
class Served:
    """A running app: its base URL and the server's process id."""

    url: str
    pid: int


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], log: str, timeout: float = 60) -> None:
    """Wait until the app at ``url`` answers its health check; fail if the process exits."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"streamlit did not start; see {log}")
        time.sleep(0.3)


def app_command(port: int, args: list[str] | None = None) -> list[str]:
    """The command that serves the app on ``port`` of loopback, headless."""
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    return command + (["--", *args] if args else [])


@contextmanager
def serve_app(
    extra_env: dict[str, str] | None = None,
    args: list[str] | None = None,
    logs: Path | None = None,
) -> Iterator[Served]:
    """Run the app on a free loopback port until the block ends; the server's output goes to
    ``logs`` (default ``test-artifacts/``)."""
    port = free_port()
    env = {**os.environ, **(extra_env or {})}
    folder = logs or ROOT / "test-artifacts"
    folder.mkdir(exist_ok=True)
    log_path = folder / f"streamlit-{port}.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            app_command(port, args), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, proc, str(log_path))
            yield Served(url, proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
