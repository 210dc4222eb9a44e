"""Text from data shown as text, and the few ways figures are written out for people.

Data files, uploads and links are untrusted. Wherever their text reaches a renderer that reads
markup it is escaped first: :func:`plain` for plotly (which reads HTML in labels and hovers) and
SVG, :func:`markdown_escape` for Markdown in the app and the checklist export. Salary bands,
units and hours are written out here once, for the command line, the app and the exports.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = [
    "band_text",
    "hours_text",
    "markdown_escape",
    "money",
    "plain",
    "salary_text",
    "unit",
    "unit_text",
]

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~$:])")
_SCHEME = re.compile(r"(\\:)(/)")
_WWW = re.compile(r"(?i)(www)(\\\.)")


def plain(text: object) -> str:
    """Text from data, escaped so that plotly (or SVG) shows it as typed instead of reading HTML.

    >>> plain("<script>alert('R&D')</script>")
    "&lt;script&gt;alert('R&amp;D')&lt;/script&gt;"
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markdown_escape(text: object) -> str:
    """Escape every character Markdown, HTML or MathJax would read as markup.

    >>> markdown_escape("**bold** <b>x</b> $1")
    '\\\\*\\\\*bold\\\\*\\\\* &lt;b&gt;x&lt;/b&gt; \\\\$1'
    """
    escaped = plain(text)
    escaped = _SPECIAL.sub(r"\\\1", escaped)
    # Renderers turn bare addresses into links even when escaped: a zero-width space breaks
    # the pattern without changing what a reader sees.
    escaped = _SCHEME.sub("\\1\u200b\\2", escaped)
    escaped = _WWW.sub("\\1\u200b\\2", escaped).replace("@", "\u200b@")
    return escaped.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def money(value: float) -> str:
    """A salary figure, short: ``35K``, ``950``.

    >>> money(35000), money(950)
    ('35K', '950')
    """
    return f"{value / 1000:g}K" if value >= 1000 else f"{value:g}"


def unit(band: Mapping[str, Any]) -> tuple[str, str, str]:
    """(currency, period, basis) of a salary band: bands compare only when these are equal."""
    return (
        str(band.get("currency", "EUR")),
        str(band.get("period", "year")),
        str(band.get("basis", "gross")),
    )


def unit_text(band: Mapping[str, Any]) -> str:
    """``EUR per year, gross``.

    >>> unit_text({"currency": "USD", "period": "month", "basis": "net"})
    'USD per month, net'
    """
    currency, period, basis = unit(band)
    return f"{currency} per {period}, {basis}"


def salary_text(band: Mapping[str, Any] | None) -> str:
    """A salary band as a short line: ``EUR 35K–48K gross/year``, estimates marked.

    >>> salary_text({"min": 35000, "max": 48000, "currency": "EUR", "period": "year",
    ...              "basis": "gross", "estimate": True})
    'EUR 35K–48K gross/year (estimate)'
    """
    if not band:
        return "no band in the data"
    currency, period, basis = unit(band)
    text = f"{currency} {money(band['min'])}–{money(band['max'])} {basis}/{period}"
    return text + (" (estimate)" if band.get("estimate") else "")


def band_text(band: Mapping[str, Any]) -> str:
    """A salary band in full: ``35,000 – 48,000 EUR per year, gross``, estimates marked."""
    text = f"{band['min']:,.0f} – {band['max']:,.0f} {unit_text(band)}"
    return text + (" (estimate)" if band.get("estimate") else "")


def hours_text(value: float) -> str:
    """Hours, rounded where the decimals would be noise: ``1,250 h``, ``2.5 h``.

    >>> hours_text(1250.4), hours_text(2.5)
    ('1,250 h', '2.5 h')
    """
    return f"{value:,.0f} h" if value >= 10 else f"{value:g} h"
