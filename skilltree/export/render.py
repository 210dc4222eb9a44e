"""Rendering plotly figures to PNG, SVG and PDF with kaleido and an installed Chrome/Chromium.

This is the one part of the library that starts a process: a headless browser, started on the
first render and reused after. Renders may come from several threads at once (app sessions):
each call is its own task on the renderer's event loop with its own future, so results can never
be handed to the wrong caller. MathJax is off (text stays text, and no network is needed).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import shutil
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import plotly.graph_objects as go

from ..errors import ExportError

__all__ = ["IMAGE_FORMATS", "NO_BROWSER", "Renderer", "find_browser", "render_image"]

IMAGE_FORMATS = ("png", "svg", "pdf")
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
NO_BROWSER = (
    "image export needs Chrome or Chromium, and none is installed: install one "
    "(on Debian or Ubuntu: apt-get install chromium) or set BROWSER_PATH to its path. "
    "The chart's own camera button still saves a PNG, and the Markdown, JSON and GraphML "
    "exports need no browser."
)
RENDER_TIMEOUT = 120.0
MAX_PIXELS = 40_000_000


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


class Renderer:
    """A kaleido instance on its own event loop thread, started once and shared."""

    def __init__(self, processes: int = 2):
        self._processes = processes
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido: Any = None

    def _start(self) -> None:
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
        thread = threading.Thread(target=loop.run_forever, name="skilltree-render", daemon=True)
        thread.start()
        kaleido = Kaleido(n=self._processes, timeout=90, mathjax=False, path=browser)
        try:
            asyncio.run_coroutine_threadsafe(kaleido.__aenter__(), loop).result(RENDER_TIMEOUT)
        except Exception as exc:
            loop.call_soon_threadsafe(loop.stop)
            raise ExportError(
                f"could not start the browser at {browser} to render images: {exc}"
            ) from None
        self._loop, self._kaleido = loop, kaleido
        atexit.register(self.close)

    def render(
        self, fig: go.Figure, fmt: str, width: int, height: int, scale: float = 1.0
    ) -> bytes:
        """The figure as ``fmt`` (png, svg or pdf) bytes at ``width`` × ``height`` × ``scale``."""
        if fmt not in IMAGE_FORMATS:
            raise ExportError(
                f"unknown image format {fmt!r}: use one of {', '.join(IMAGE_FORMATS)}"
            )
        if not (1 <= width <= 10_000 and 1 <= height <= 10_000 and 0 < scale <= 10):
            raise ExportError(
                f"image size {width}×{height} at scale {scale:g} is out of range "
                "(width and height 1–10000 px, scale above 0 and at most 10)"
            )
        if width * height * scale * scale > MAX_PIXELS:
            raise ExportError(
                f"{width}×{height} at scale {scale:g} is over {MAX_PIXELS:,} pixels; "
                "lower the scale or the size"
            )
        with self._lock:
            if self._kaleido is None:
                self._start()
        assert self._loop is not None
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        future = asyncio.run_coroutine_threadsafe(
            self._kaleido.calc_fig(fig, opts=opts), self._loop
        )
        try:
            data = future.result(RENDER_TIMEOUT)
        except FutureTimeout:
            future.cancel()
            raise ExportError(
                f"rendering the {fmt.upper()} took over {RENDER_TIMEOUT:g} s"
            ) from None
        except Exception as exc:
            raise ExportError(f"rendering the {fmt.upper()} failed: {exc}") from None
        return bytes(data)

    def close(self) -> None:
        """Stop the browser and the loop (at exit, or to free the process)."""
        with self._lock:
            loop, kaleido = self._loop, self._kaleido
            self._loop = self._kaleido = None
        if loop is None:
            return
        # Closing at exit: if the browser is already gone there is nothing left to tell.
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(kaleido.__aexit__(None, None, None), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)


_RENDERER = Renderer()


def render_image(fig: go.Figure, fmt: str, width: int, height: int, scale: float = 1.0) -> bytes:
    """Render with the shared :class:`Renderer` (started on first use)."""
    return _RENDERER.render(fig, fmt, width, height, scale)
