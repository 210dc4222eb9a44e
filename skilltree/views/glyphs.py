"""Advance widths of DejaVu Sans, the face label boxes are measured on, as a table.

Labels are measured without a font file or an imaging library at run time: the widths of the
characters the ladders use (Latin with its extensions, Greek, Cyrillic, Hebrew, Arabic,
punctuation, currency, arrows, mathematical signs and box drawing) are kept in
``glyph_widths.json`` beside this module, in font units of 1/2048 em, keyed by the hexadecimal
first code point of each block. ``-1`` marks a character DejaVu Sans has no glyph for: the
browser draws it with a fallback face, and :mod:`skilltree.views.labels` estimates its width
instead.

The table was generated from DejaVu Sans 2.37 (Debian's ``fonts-dejavu-core``) with
``python -m skilltree.views.glyphs /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf >
skilltree/views/glyph_widths.json``, which needs Pillow; nothing else in the project does.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

__all__ = ["ADVANCES", "UNITS_PER_EM", "advance_em"]

UNITS_PER_EM = 2048

#: First code point of a block → the advance of each code point from there on.
ADVANCES: dict[int, tuple[int, ...]] = {
    int(start, 16): tuple(widths)
    for start, widths in json.loads(
        (Path(__file__).with_name("glyph_widths.json")).read_text(encoding="utf-8")
    ).items()
}

#: The blocks the table covers: (first, last + 1).
_BLOCKS = [(start, start + len(widths)) for start, widths in ADVANCES.items()]


def advance_em(char: str) -> float | None:
    """The advance of one character as a fraction of the font size; None if DejaVu Sans has no
    glyph for it or the table does not cover it.

    >>> advance_em("W"), advance_em("i") < advance_em("m"), advance_em("中")
    (0.98876953125, True, None)
    """
    code = ord(char)
    for start, end in _BLOCKS:
        if start <= code < end:
            units = ADVANCES[start][code - start]
            return None if units < 0 else units / UNITS_PER_EM
    return None


def _generate(font_file: str) -> str:  # pragma: no cover - run by hand when the font changes
    from PIL import ImageFont

    font = ImageFont.truetype(font_file, UNITS_PER_EM, layout_engine=ImageFont.Layout.BASIC)
    missing = font.getmask("\U000f0000").getbbox()
    lines = []
    for start, end in _BLOCKS:
        widths = []
        for code in range(start, end):
            char = chr(code)
            drawn = font.getmask(char).getbbox()
            widths.append(-1 if drawn == missing and char.strip() else round(font.getlength(char)))
        body = textwrap.fill(
            ", ".join(map(str, widths)), 96, initial_indent=" " * 4, subsequent_indent=" " * 4
        )
        lines.append(f'  "{start:04X}": [\n{body}\n  ]')
    return "{\n" + ",\n".join(lines) + "\n}"


if __name__ == "__main__":  # pragma: no cover
    print(_generate(sys.argv[1]))
