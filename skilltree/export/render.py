"""Rendering plotly figures to PNG, SVG and PDF with kaleido and an installed Chrome/Chromium.

This is the one part of the library that starts a process: a headless browser, started on the
first render and reused after. Renders may come from several threads at once (app sessions):
each call is its own task on the renderer's event loop with its own future, so results can never
be handed to the wrong caller. MathJax is off (text stays text, and no network is needed).

The browser is supervised. Every image has a hard time limit (:data:`RENDER_TIMEOUT` seconds,
``SKILLTREE_RENDER_TIMEOUT`` or ``Renderer(time_limit=…)``), starting the browser included: the
caller never waits longer.
Before each render the browser is checked: if it has exited (crashed, killed, out of memory) it
is started again, so the export goes through. A render that fails because the browser died under
it, or that runs past the time limit (a hung browser), ends with an :class:`ExportError` that
says so; the browser is then killed with all its processes and a new one is started by the next
export. Renders in progress on a browser that is being replaced fail with the same message, at
once, rather than waiting for their own time limit.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import os
import shutil
import signal
import subprocess
import threading
import time
from concurrent.futures import CancelledError as FutureCancelled
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from ..errors import ExportError

__all__ = [
    "IMAGE_FORMATS",
    "MAX_PIXELS",
    "MAX_SIDE",
    "NO_BROWSER",
    "RENDER_TIMEOUT",
    "Renderer",
    "child_processes",
    "find_browser",
    "render_image",
]

log = logging.getLogger(__name__)

IMAGE_FORMATS = ("png", "svg", "pdf")
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
NO_BROWSER = (
    "image export needs Chrome or Chromium, and none is installed: install one "
    "(on Debian or Ubuntu: apt-get install chromium) or set BROWSER_PATH to its path. "
    "The chart's own camera button still saves a PNG, and the Markdown, JSON and GraphML "
    "exports need no browser."
)
#: The hard limit on one image, in seconds, from the call to the bytes (starting the browser
#: and waiting for a free tab included). ``SKILLTREE_RENDER_TIMEOUT`` overrides it.
RENDER_TIMEOUT = 60.0
#: After the browser failed to start, exports fail at once with that error for this long,
#: rather than each waiting for a start of its own.
RETRY_START_AFTER = 10.0
#: The most pixels one image may have (width × height × scale²).
MAX_PIXELS = 40_000_000
#: The longest side of an image, in pixels.
MAX_SIDE = 10_000
RESTARTED = (
    "the image renderer (Chromium) stopped while drawing the {fmt}; it is started again on "
    "the next export, so try again"
)
TIMED_OUT = (
    "rendering the {fmt} took over {limit:g} s and was stopped; the image renderer (Chromium) "
    "is started again on the next export. Try again, or a smaller image"
)


def find_browser() -> str | None:
    """The path of an installed Chrome or Chromium, or None."""
    override = os.environ.get("BROWSER_PATH")
    if override and shutil.which(override):
        return shutil.which(override)
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def _seconds_from_env(name: str, default: float) -> float:
    """A positive number of seconds from the environment, else ``default``."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value < 86_400:
        log.warning("%s=%r is not a number of seconds; using %g", name, raw, default)
        return default
    return value


def child_processes(pid: int) -> list[int]:
    """Direct children of ``pid`` (Linux ``/proc``; empty elsewhere)."""
    found = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        # A zombie has exited already: only its parent has not collected it yet.
        if len(fields) > 1 and fields[1] == str(pid) and fields[0] not in ("Z", "X"):
            found.append(int(entry))
    return found


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid``, parents before children."""
    out: list[int] = []
    todo = [pid]
    while todo:
        kids = child_processes(todo.pop())
        out += kids
        todo += kids
    return out


class _Browser:
    """One started browser: a kaleido instance on its own event-loop thread, and the renders
    running on it. Replaced as a whole, never repaired."""

    def __init__(self, loop: asyncio.AbstractEventLoop, thread: threading.Thread, kaleido: Any):
        self.loop = loop
        self.thread = thread
        self.kaleido = kaleido
        self.pending: set[Future[Any]] = set()
        self.lock = threading.Lock()
        self.discarded = False

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        """kaleido's launcher process (a small wrapper; Chromium runs below it)."""
        return getattr(self.kaleido, "subprocess", None)

    def pids(self) -> list[int]:
        """The launcher and every browser process below it."""
        proc = self.process
        if proc is None or proc.poll() is not None:
            return []
        return [proc.pid, *_descendants(proc.pid)]

    def alive(self) -> bool:
        """The launcher runs, has a browser below it (where /proc tells), and the loop runs."""
        proc = self.process
        if proc is None or proc.poll() is not None or not self.thread.is_alive():
            return False
        # Where /proc tells, the browser itself must still be there below its launcher.
        return not os.path.isdir("/proc/self") or bool(child_processes(proc.pid))

    def kill(self) -> None:
        """SIGKILL the browser's whole process group (the launcher starts it as its own)."""
        proc = self.process
        if proc is None:
            return
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired, OSError):
            proc.wait(timeout=5)

    def dispose(self, graceful: float = 0.0) -> None:
        """Stop this browser: fail the renders in progress, close it (politely for up to
        ``graceful`` seconds, then by force), and end its event loop in the background."""
        with self.lock:
            if self.discarded:
                return
            self.discarded = True
            pending = list(self.pending)
        for future in pending:
            future.cancel()  # the waiting callers learn at once, not at their time limit
        if graceful > 0:
            closing = asyncio.run_coroutine_threadsafe(self.kaleido.close(), self.loop)
            with contextlib.suppress(Exception):
                closing.result(graceful)
        self.kill()
        threading.Thread(target=self._end_loop, name="skilltree-render-reaper", daemon=True).start()

    def _end_loop(self) -> None:
        async def shutdown() -> None:
            # kaleido cleans its temporary profile directory; the browser is already gone.
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(self.kaleido.close(), 10)
            me = asyncio.current_task()
            tasks = [t for t in asyncio.all_tasks() if t is not me]
            for task in tasks:
                task.cancel()
            if tasks:
                await asyncio.wait(tasks, timeout=5)

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(20)
        with contextlib.suppress(RuntimeError):
            self.loop.call_soon_threadsafe(self.loop.stop)


def _run_loop(loop: asyncio.AbstractEventLoop) -> None:
    asyncio.set_event_loop(loop)
    try:
        loop.run_forever()
    finally:
        loop.close()


class Renderer:
    """A supervised kaleido browser, started on first use and shared by every caller.

    ``time_limit``: the hard limit on one image in seconds, starting the browser included
    (default ``RENDER_TIMEOUT``, or ``SKILLTREE_RENDER_TIMEOUT``).
    """

    def __init__(self, processes: int = 2, time_limit: float | None = None):
        self._processes = processes
        self.time_limit = time_limit or _seconds_from_env(
            "SKILLTREE_RENDER_TIMEOUT", RENDER_TIMEOUT
        )
        self._lock = threading.Lock()
        self._browser: _Browser | None = None
        self._start_failed: tuple[float, str] | None = None  # when, and the message
        self._at_exit = False
        #: How many browsers were started (1 after the first image; more after restarts).
        self.starts = 0

    # --- the browser ---------------------------------------------------------------------

    def _start(self, seconds: float) -> _Browser:
        browser = find_browser()
        if browser is None:
            raise ExportError(NO_BROWSER)
        try:
            from kaleido import Kaleido
        except ImportError:  # pragma: no cover - kaleido is a runtime requirement
            raise ExportError(
                "image export needs the kaleido package (pip install kaleido)"
            ) from None
        loop = asyncio.new_event_loop()
        thread = threading.Thread(
            target=_run_loop, args=(loop,), name="skilltree-render", daemon=True
        )
        thread.start()

        async def make() -> Any:
            # Created on the loop's own thread: kaleido's queues belong to that loop. The time
            # limit is ours (see render), so kaleido's own is off.
            kaleido = Kaleido(n=self._processes, timeout=None, mathjax=False, path=browser)
            holder.append(kaleido)
            await kaleido.open()
            return kaleido

        holder: list[Any] = []
        opening = asyncio.run_coroutine_threadsafe(make(), loop)
        try:
            kaleido = opening.result(seconds)
        except Exception as exc:
            opening.cancel()
            if holder:
                _Browser(loop, thread, holder[0]).dispose()
            else:
                loop.call_soon_threadsafe(loop.stop)
            reason = (
                f"no answer within the {self.time_limit:g} s an image may take"
                if isinstance(exc, FutureTimeout)
                else str(exc) or type(exc).__name__
            )
            raise ExportError(
                f"could not start the browser at {browser} to render images: {reason}"
            ) from None
        self.starts += 1
        if not self._at_exit:
            atexit.register(self.close)
            self._at_exit = True
        started = _Browser(loop, thread, kaleido)
        log.info("image renderer started (browser pid %s)", started.pids()[1:2])
        return started

    def _ready_browser(self, deadline: float) -> _Browser:
        """The running browser; a new one if there is none or the last one has exited. Waits
        (for another caller's start, or its own) until ``deadline`` at most."""
        if not self._lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise ExportError(
                f"the image renderer was not ready within {self.time_limit:g} s "
                "(the browser is starting); try again"
            )
        try:
            current = self._browser
            if current is not None and not current.alive():
                log.warning("the image renderer's browser has exited; starting a new one")
                self._browser = None
                current.dispose()
            if self._browser is None:
                failed = self._start_failed
                if failed is not None and time.monotonic() - failed[0] < RETRY_START_AFTER:
                    raise ExportError(failed[1])
                try:
                    self._browser = self._start(max(0.0, deadline - time.monotonic()))
                except ExportError as exc:
                    if str(exc) != NO_BROWSER:
                        self._start_failed = (time.monotonic(), str(exc))
                    raise
                self._start_failed = None
            return self._browser
        finally:
            self._lock.release()

    def _discard(self, browser: _Browser) -> None:
        """Take ``browser`` out of service (if it still is) and stop it."""
        with self._lock:
            if self._browser is browser:
                self._browser = None
        browser.dispose()

    def browser_pids(self) -> list[int]:
        """The processes of the running browser (launcher first); empty before the first
        image. For supervision and tests."""
        browser = self._browser
        return browser.pids() if browser is not None else []

    # --- rendering -----------------------------------------------------------------------

    def render(
        self, fig: go.Figure, fmt: str, width: int, height: int, scale: float = 1.0
    ) -> bytes:
        """The figure as ``fmt`` (png, svg or pdf) bytes at ``width`` × ``height`` × ``scale``,
        within the time limit or an :class:`ExportError`."""
        if fmt not in IMAGE_FORMATS:
            raise ExportError(
                f"unknown image format {fmt!r}: use one of {', '.join(IMAGE_FORMATS)}"
            )
        if not (1 <= width <= MAX_SIDE and 1 <= height <= MAX_SIDE and 0 < scale <= 10):
            raise ExportError(
                f"image size {width}×{height} at scale {scale:g} is out of range "
                "(width and height 1–10000 px, scale above 0 and at most 10)"
            )
        if width * height * scale * scale > MAX_PIXELS:
            raise ExportError(
                f"{width}×{height} at scale {scale:g} is over {MAX_PIXELS:,} pixels; "
                "lower the scale or the size"
            )
        deadline = time.monotonic() + self.time_limit
        browser = self._ready_browser(deadline)
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        name = fmt.upper()
        with browser.lock:
            if browser.discarded:  # replaced between the check and now: a rare race
                raise ExportError(RESTARTED.format(fmt=name))
            future = asyncio.run_coroutine_threadsafe(
                browser.kaleido.calc_fig(fig, opts=opts), browser.loop
            )
            browser.pending.add(future)
        try:
            data = future.result(max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            log.warning(
                "rendering a %s took over %g s: stopping the browser", name, self.time_limit
            )
            future.cancel()
            self._discard(browser)
            raise ExportError(TIMED_OUT.format(fmt=name, limit=self.time_limit)) from None
        except FutureCancelled:
            raise ExportError(RESTARTED.format(fmt=name)) from None
        except Exception as exc:
            if browser.alive() and _is_figure_error(exc):
                raise ExportError(f"rendering the {name} failed: {exc}") from None
            log.warning("the image renderer failed (%r): stopping the browser", exc)
            self._discard(browser)
            raise ExportError(RESTARTED.format(fmt=name)) from None
        finally:
            with browser.lock:
                browser.pending.discard(future)
        return bytes(data)

    def close(self) -> None:
        """Stop the browser and its loop (at exit, or to free the process)."""
        with self._lock:
            browser, self._browser = self._browser, None
        if browser is not None:
            browser.dispose(graceful=5.0)


def _is_figure_error(exc: BaseException) -> bool:
    """An error the page reported about the figure itself (the browser is fine)."""
    try:
        from kaleido.errors import KaleidoError
    except ImportError:  # pragma: no cover
        return False
    return isinstance(exc, KaleidoError)


_RENDERER = Renderer()


def render_image(fig: go.Figure, fmt: str, width: int, height: int, scale: float = 1.0) -> bytes:
    """Render with the shared :class:`Renderer` (started on first use)."""
    return _RENDERER.render(fig, fmt, width, height, scale)
