"""Label text measured in pixels and wrapped into lines, so that a layout can reserve real room.

A layout needs two answers: how wide is this text at this font size, and how does it break into
lines no wider than a limit. Guessing "n characters" cut names at 18 characters and still let
them collide, so widths come from the font's own advances (:mod:`.glyphs`, DejaVu Sans, the face
the figures ask the browser for first; it is also among the widest of the usual sans faces, so a
box measured on it still holds the text when a browser falls back to Verdana or Arial).
Characters DejaVu has no glyph for get an estimate: full-width characters (Chinese, Japanese,
Korean) one em, emoji a little more, anything else a typical Latin width.

Wrapping breaks between words, or between CJK characters and emoji, which need no spaces; closing
punctuation never starts a line, and a word wider than the limit is split (after a hyphen or a
slash where it can). Only past ``max_lines`` is a label shortened, and then its last line ends
in "…". Results are cached: measuring a few hundred labels costs a few milliseconds.
"""

from __future__ import annotations

import functools
import unicodedata

from .glyphs import advance_em

__all__ = [
    "FONT_FAMILY",
    "LINE_HEIGHT",
    "block_size",
    "right_to_left",
    "text_width",
    "wrap_label",
]

#: The font stack the figures ask for; the first entry is the one the widths are measured on.
FONT_FAMILY = "DejaVu Sans, Verdana, Geneva, WenQuanYi Micro Hei, Noto Color Emoji, sans-serif"
#: Line pitch as a multiple of the font size (plotly sets <br> lines 1.3 em apart).
LINE_HEIGHT = 1.3

#: Estimated advances (em) where the table has no glyph.
_WIDE_EM = 1.0
_EMOJI_EM = 1.25
_OTHER_EM = 0.62
#: CJK and Latin closing punctuation that must not begin a line.
_NO_BREAK_BEFORE = frozenset("、。，．・：；！？）」』】〕〉》ー々,.;:!?)]}")
_INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\ufe0e\ufe0f")


def _emoji(char: str) -> bool:
    code = ord(char)
    return code >= 0x1F000 or 0x2600 <= code < 0x27C0 or 0x2B00 <= code < 0x2C00


@functools.cache
def _char_em(char: str) -> float:
    """Advance of one character, as a fraction of the font size."""
    if char in _INVISIBLE or unicodedata.combining(char):
        return 0.0
    if _emoji(char):
        return _EMOJI_EM
    em = advance_em(char)
    if em is not None:
        return em
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return _WIDE_EM
    return _OTHER_EM


@functools.cache
def text_width(text: str, font_px: float) -> float:
    """Width in pixels of one line of ``text`` at ``font_px`` (no kerning: never too narrow).

    >>> text_width("", 12)
    0.0
    >>> 60 < text_width("PostgreSQL", 12) < 75
    True
    >>> text_width("中文", 10)
    20.0
    """
    return float(sum(_char_em(c) for c in text) * font_px)


def right_to_left(text: str) -> bool:
    """Whether the first strongly directional character of ``text`` is right-to-left.

    >>> right_to_left("مراجعة الكود and pairing"), right_to_left("API (REST)")
    (True, False)
    """
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


@functools.cache
def _breakable(char: str) -> bool:
    """Characters after which a line may break without a space (CJK, emoji)."""
    return unicodedata.east_asian_width(char) in ("W", "F") or _emoji(char)


def _tokens(text: str) -> list[str]:
    """Words (with their trailing space) and single wide characters: the units of wrapping."""
    tokens: list[str] = []
    word = ""
    for char in text:
        if char == " ":
            tokens.append(word + char)
            word = ""
        elif char in _NO_BREAK_BEFORE and not word and tokens:
            # Closing punctuation stays with what it closes.
            tokens[-1] += char
        elif _breakable(char):
            if word:
                tokens.append(word)
            tokens.append(char)
            word = ""
        else:
            word += char
    return [*tokens, word] if word else tokens


def _split_long(token: str, limit: float, font_px: float) -> list[str]:
    """A word wider than the limit broken into pieces that fit (a URL, a long compound)."""
    pieces: list[str] = []
    piece = ""
    for char in token:
        if piece and text_width(piece + char, font_px) > limit:
            # Prefer to break just after a hyphen or slash inside the piece.
            cut = max(piece.rfind("-"), piece.rfind("/")) + 1
            if cut <= len(piece) // 3:
                cut = len(piece)
            pieces.append(piece[:cut])
            piece = piece[cut:]
        piece += char
    if piece:
        pieces.append(piece)
    return pieces


def _wrap_paragraph(text: str, width_px: float, font_px: float) -> list[str]:
    # Widths add up (no kerning), so each candidate line is measured as the line so far plus
    # the next piece, not from its first character again.
    lines: list[str] = []
    line = ""
    line_w = 0.0  # width of ``line``, trailing space included
    for token in _tokens(text):
        pieces = [token]
        if text_width(token.rstrip(), font_px) > width_px:
            pieces = _split_long(token, width_px, font_px)
        for piece in pieces:
            bare = piece.rstrip()
            if bare:
                wide = line_w + text_width(bare, font_px) > width_px
            else:
                wide = text_width((line + piece).rstrip(), font_px) > width_px
            if line and wide:
                lines.append(line.rstrip())
                line, line_w = piece, text_width(piece, font_px)
            else:
                line += piece
                line_w += text_width(piece, font_px)
    if line.strip():
        lines.append(line.rstrip())
    return lines


@functools.cache
def wrap_label(text: str, width_px: float, font_px: float, max_lines: int = 6) -> tuple[str, ...]:
    """``text`` broken into lines no wider than ``width_px``, at most ``max_lines`` of them.

    A newline in ``text`` always starts a new line. Right-to-left text wraps the same way: lines
    hold logical order and the browser's bidirectional algorithm draws each one.

    >>> wrap_label("Confirmed back-end developer (mid-level)", 150, 12)
    ('Confirmed back-end', 'developer (mid-level)')
    >>> wrap_label("Git", 150, 12)
    ('Git',)
    >>> wrap_label("a b c d e f g h", 10, 12, max_lines=2)
    ('a', 'b …')
    """
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        words = " ".join(paragraph.split())
        if text_width(words, font_px) <= width_px:
            # Widths add up, so a paragraph that fits whole wraps to itself: one line.
            lines += [words] if words else []
        else:
            lines += _wrap_paragraph(words, width_px, font_px)
    if not lines:
        return ("",)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while len(last) > 1 and text_width(last + " …", font_px) > width_px:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + " …"]
    return tuple(lines)


def block_size(lines: tuple[str, ...], font_px: float) -> tuple[float, float]:
    """(width, height) in pixels of a block of wrapped lines.

    >>> block_size(("ab", "abc"), 10)
    (17.9736328125, 26.0)
    """
    width = max((text_width(line, font_px) for line in lines), default=0.0)
    return width, len(lines) * font_px * LINE_HEIGHT
