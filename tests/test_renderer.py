"""The image renderer is supervised: a dead browser is started again on the next export, a hung
one is stopped at the time limit, and every failed export says what happened."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import plotly.graph_objects as go
import pytest

import skilltree.export.render as render
from skilltree import ExportError
from skilltree.export.render import RENDER_TIMEOUT, Renderer, child_processes

from .browsers import require_browser


def figure() -> go.Figure:
    return go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2]), layout={"title": {"text": "test"}})


def browser_processes(renderer: Renderer) -> list[int]:
    """Chromium processes below the renderer's launcher, found in /proc by their name."""
    pids = renderer.browser_pids()
    assert pids, "no browser running"
    out, todo = [], [pids[0]]
    while todo:
        for child in child_processes(todo.pop()):
            todo.append(child)
            name = Path(f"/proc/{child}/comm").read_text().strip()
            if name.startswith(("chrom", "chrome")):
                out.append(child)
    return out


def gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def renderer():
    require_browser()
    if not Path("/proc/self/stat").exists():
        pytest.skip("finding the browser's processes needs Linux /proc")
    made = Renderer(time_limit=45)
    yield made
    made.close()


@pytest.mark.browser
@pytest.mark.slow
def test_a_killed_browser_is_started_again_on_the_next_export(renderer):
    first = renderer.render(figure(), "png", 300, 200)
    assert first.startswith(b"\x89PNG")
    chromium = browser_processes(renderer)
    assert chromium, "kaleido's Chromium processes not found"
    main = chromium[0]  # the launcher's own child: the browser process
    os.kill(main, signal.SIGKILL)
    assert gone(main)
    second = renderer.render(figure(), "svg", 300, 200)
    assert second.lstrip().startswith(b"<svg")
    assert renderer.starts == 2
    assert main not in browser_processes(renderer)


@pytest.mark.browser
@pytest.mark.slow
def test_a_hung_browser_hits_the_time_limit_with_a_clear_error(renderer):
    renderer.render(figure(), "png", 300, 200)
    launcher = renderer.browser_pids()[0]
    os.killpg(launcher, signal.SIGSTOP)  # the browser stops answering, as a hung one does
    renderer.time_limit = 3
    started = time.monotonic()
    try:
        with pytest.raises(ExportError) as info:
            renderer.render(figure(), "png", 300, 200)
    finally:
        took = time.monotonic() - started
        if not gone(launcher, within=5):  # the renderer failed to stop it: do not leak it
            os.killpg(launcher, signal.SIGKILL)
            pytest.fail("the hung browser was left running")
    assert 2.9 < took < 8, took
    assert "took over 3 s and was stopped" in str(info.value)
    assert "started again on the next export" in str(info.value)
    renderer.time_limit = 45
    assert renderer.render(figure(), "png", 300, 200).startswith(b"\x89PNG")
    assert renderer.starts == 2


@pytest.mark.browser
@pytest.mark.slow
def test_a_browser_dying_during_an_export_fails_that_export_clearly_and_fast(renderer):
    renderer.render(figure(), "png", 300, 200)
    launcher = renderer.browser_pids()[0]
    os.killpg(launcher, signal.SIGSTOP)  # hold the render in the browser...
    outcome: list[BaseException | bytes] = []

    def export() -> None:
        try:
            outcome.append(renderer.render(figure(), "pdf", 300, 200))
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=export)
    worker.start()
    time.sleep(1.0)
    started = time.monotonic()
    os.killpg(launcher, signal.SIGKILL)  # ...and kill it under the render
    worker.join(timeout=30)
    assert not worker.is_alive()
    assert time.monotonic() - started < 10  # well inside the 20 s limit: no waiting it out
    [error] = outcome
    assert isinstance(error, ExportError)
    assert str(error).startswith("the image renderer (Chromium) stopped while drawing the PDF")
    assert renderer.render(figure(), "pdf", 300, 200).startswith(b"%PDF-")


# --- without a browser: the supervision itself, with a stand-in for kaleido ------------------

STAND_IN = (
    "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', "
    "'import time; time.sleep(120)']); time.sleep(120)"
)


class FakeKaleido:
    """Launches a process with a child (as kaleido's launcher and Chromium), renders slowly."""

    made: list[FakeKaleido] = []  # noqa: RUF012 - a test registry
    open_delay = 0.0

    def __init__(self, **_options: object) -> None:
        self.subprocess: subprocess.Popen[bytes] | None = None
        self.delay = 0.0
        FakeKaleido.made.append(self)

    async def open(self) -> None:
        import asyncio

        self.subprocess = subprocess.Popen([sys.executable, "-c", STAND_IN], start_new_session=True)
        await asyncio.sleep(self.open_delay)
        while not child_processes(self.subprocess.pid):
            await asyncio.sleep(0.02)

    async def calc_fig(self, _fig: object, opts: dict[str, object]) -> bytes:
        import asyncio

        await asyncio.sleep(self.delay)
        return f"image {opts['format']}".encode()

    async def close(self) -> None:
        return None


@pytest.fixture
def fake(monkeypatch):
    if not Path("/proc/self/stat").exists():
        pytest.skip("the supervision checks processes through Linux /proc")
    import kaleido

    FakeKaleido.made = []
    FakeKaleido.open_delay = 0.0
    monkeypatch.setattr(kaleido, "Kaleido", FakeKaleido)
    monkeypatch.setattr(render, "find_browser", lambda: "/usr/bin/true")
    made = Renderer(time_limit=4)
    yield made
    made.close()
    for k in FakeKaleido.made:
        if k.subprocess is not None and k.subprocess.poll() is None:
            os.killpg(k.subprocess.pid, signal.SIGKILL)
            k.subprocess.wait()


@pytest.mark.slow  # waits out a time limit
def test_stand_in_a_render_past_the_limit_stops_the_browser_and_the_next_starts_one(fake):
    assert fake.render(figure(), "png", 10, 10) == b"image png"
    first = FakeKaleido.made[0]
    first.delay = 60
    started = time.monotonic()
    with pytest.raises(ExportError, match=r"took over 4 s and was stopped"):
        fake.render(figure(), "png", 10, 10)
    assert time.monotonic() - started < 6
    assert first.subprocess is not None
    assert first.subprocess.wait(timeout=5) is not None  # killed, with its child
    assert fake.render(figure(), "svg", 10, 10) == b"image svg"
    assert fake.starts == 2


def test_stand_in_a_dead_browser_is_replaced_before_the_export(fake):
    fake.render(figure(), "png", 10, 10)
    first = FakeKaleido.made[0]
    assert first.subprocess is not None
    [child] = child_processes(first.subprocess.pid)
    os.kill(child, signal.SIGKILL)  # the browser dies; its launcher lingers
    assert gone(child)
    assert fake.render(figure(), "pdf", 10, 10) == b"image pdf"
    assert fake.starts == 2
    assert first.subprocess.wait(timeout=5) is not None  # the old launcher was stopped too


@pytest.mark.slow  # waits out a time limit
def test_stand_in_a_browser_that_will_not_start_costs_one_time_limit_then_fails_fast(fake):
    FakeKaleido.open_delay = 60
    started = time.monotonic()
    with pytest.raises(
        ExportError, match=r"could not start the browser .* no answer within the 4 s"
    ):
        fake.render(figure(), "png", 10, 10)
    assert time.monotonic() - started < 6  # the start counts against the image's limit
    stuck = FakeKaleido.made[0].subprocess
    assert stuck is not None
    assert stuck.wait(timeout=5) is not None  # and what it started is stopped
    started = time.monotonic()
    with pytest.raises(ExportError, match="could not start the browser"):
        fake.render(figure(), "png", 10, 10)  # at once: no second wait for the same failure
    assert time.monotonic() - started < 0.5
    assert len(FakeKaleido.made) == 1


def test_the_time_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("SKILLTREE_RENDER_TIMEOUT", "2.5")
    assert Renderer().time_limit == 2.5
    monkeypatch.setenv("SKILLTREE_RENDER_TIMEOUT", "soon")
    assert Renderer().time_limit == RENDER_TIMEOUT
    assert Renderer(time_limit=7).time_limit == 7
