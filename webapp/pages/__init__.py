"""The app's pages, one module each, and the table that lists them in order.

Adding a page is one module with a ``render(ctx)`` function and one entry in :data:`PAGES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..context import Context
from . import compare, explore, export, my_path

__all__ = ["PAGES", "Page"]


@dataclass(frozen=True, slots=True)
class Page:
    """A page: its id in the URL (``view=``), its label, and what draws it."""

    id: str
    label: str
    render: Callable[[Context], None]


PAGES: dict[str, Page] = {
    page.id: page
    for page in (
        Page("explore", "Explore", explore.render),
        Page("path", "My path", my_path.render),
        Page("compare", "Compare", compare.render),
        Page("export", "Export", export.render),
    )
}
