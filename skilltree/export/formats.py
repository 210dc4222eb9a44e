"""The export formats, one table: file extension → label, MIME type and the producer.

The command line (``export --out FILE``) and the app's download buttons both read
:data:`FORMATS`; adding a format is one entry here and the module that produces it. Producers
take an :class:`ExportRequest` and return the file's bytes; writing them is the caller's job,
so that a failed export never leaves a partial file behind.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import networkx as nx

from ..errors import ExportError
from ..io.interchange import graphml_text
from ..planner import Plan
from ..profile import Profile
from ..views.records import plan_json
from .checklist import markdown_checklist
from .figure import fitted_size, path_figure
from .render import MAX_PIXELS, render_image

__all__ = ["FORMATS", "ExportRequest", "Format", "export_bytes", "format_of"]


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """Everything an export is made from."""

    G: nx.DiGraph
    profile: Profile
    plan: Plan
    pace: float
    start: date
    width: int | None = None
    height: int | None = None
    scale: float = 1.0


@dataclass(frozen=True, slots=True)
class Format:
    """An export format: its extension, what a person calls it, its MIME type, whether it needs
    a browser to render, and the function that makes its bytes."""

    ext: str
    label: str
    mime: str
    image: bool
    produce: Callable[[ExportRequest], bytes]


def _image(fmt: str) -> Callable[[ExportRequest], bytes]:
    def produce(r: ExportRequest) -> bytes:
        if r.width is None or r.height is None:
            # By default an image is the plan's own size: it grows with the plan.
            width, height = fitted_size(r.G, r.profile, r.plan, r.pace, r.start)
        else:
            width, height = r.width, r.height
        fig = path_figure(
            r.G, r.profile, r.plan, pace=r.pace, start=r.start, width=width, height=height
        )
        # A large plan at a high scale would pass the pixel cap: sharpness gives way, not size.
        scale = min(r.scale, (MAX_PIXELS / (width * height)) ** 0.5)
        return render_image(fig, fmt, width, height, scale)

    return produce


def _markdown(r: ExportRequest) -> bytes:
    return markdown_checklist(r.G, r.plan, r.pace, r.start).encode("utf-8")


def _json(r: ExportRequest) -> bytes:
    text = json.dumps(plan_json(r.plan, r.pace, r.start), indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def _graphml(r: ExportRequest) -> bytes:
    return graphml_text(r.G).encode("utf-8")


FORMATS: dict[str, Format] = {
    f.ext: f
    for f in (
        Format("png", "Image (PNG)", "image/png", True, _image("png")),
        Format("svg", "Image (SVG)", "image/svg+xml", True, _image("svg")),
        Format("pdf", "Document (PDF)", "application/pdf", True, _image("pdf")),
        Format("md", "Checklist (Markdown)", "text/markdown", False, _markdown),
        Format("json", "Plan (JSON)", "application/json", False, _json),
        Format("graphml", "Graph (GraphML)", "application/xml", False, _graphml),
    )
}
_ALIASES = {"markdown": "md"}


def format_of(name: str) -> str:
    """The export format named by a file's extension.

    >>> format_of("plan.PNG"), format_of("notes.markdown")
    ('png', 'md')
    """
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    ext = _ALIASES.get(ext, ext)
    if ext not in FORMATS:
        raise ExportError(
            f"cannot tell the format of {name!r}: the extension must be one of "
            + ", ".join(f".{f}" for f in FORMATS)
        )
    return ext


def export_bytes(request: ExportRequest, fmt: str) -> bytes:
    """One export of the plan, as the bytes of a file of format ``fmt`` (see ``FORMATS``).

    Raises
    ------
    ExportError
        For an unknown format, an image size out of range, or no browser to render images.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    return FORMATS[fmt].produce(request)
