"""A person's learning path as files: the path figure (PNG, SVG, PDF), a Markdown checklist,
the plan as JSON, and the graph as GraphML. :data:`FORMATS` is the table of them all."""

from .checklist import markdown_checklist
from .figure import DEFAULT_SIZE, fitted_size, path_figure
from .formats import FORMATS, ExportRequest, Format, export_bytes, format_of
from .render import MAX_PIXELS, MAX_SIDE, NO_BROWSER, find_browser, render_image

__all__ = [
    "DEFAULT_SIZE",
    "FORMATS",
    "MAX_PIXELS",
    "MAX_SIDE",
    "NO_BROWSER",
    "ExportRequest",
    "Format",
    "export_bytes",
    "find_browser",
    "fitted_size",
    "format_of",
    "markdown_checklist",
    "path_figure",
    "render_image",
]
