"""Text from data files shown as text: escaping for Markdown (and the maths it may carry).

Data files and uploads are untrusted. Wherever their text reaches a renderer that reads markup
— Markdown in the app, a Markdown checklist export — it goes through :func:`markdown_escape`
first, so ``**bold**``, ``[link](javascript:…)``, ``<script>`` or ``$x$`` stay literal.
"""

from __future__ import annotations

import re

__all__ = ["markdown_escape"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~$:])")
_SCHEME = re.compile(r"(\\:)(/)")
_WWW = re.compile(r"(?i)(www)(\\\.)")


def markdown_escape(text: object) -> str:
    """Escape every character Markdown, HTML or MathJax would read as markup.

    >>> markdown_escape("**bold** <b>x</b> $1")
    '\\\\*\\\\*bold\\\\*\\\\* &lt;b&gt;x&lt;/b&gt; \\\\$1'
    """
    escaped = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = _SPECIAL.sub(r"\\\1", escaped)
    # Renderers turn bare addresses into links even when escaped: a zero-width space breaks
    # the pattern without changing what a reader sees.
    escaped = _SCHEME.sub("\\1\u200b\\2", escaped)
    escaped = _WWW.sub("\\1\u200b\\2", escaped).replace("@", "\u200b@")
    return escaped.replace("\n", " ")
