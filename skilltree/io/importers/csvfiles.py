"""CSV as spreadsheets and data downloads write it: UTF-8 text (a byte-order mark allowed),
comma, semicolon or tab between cells, quoted cells that may hold line breaks.

Rows come with a :class:`~.common.Spot`: the row number a spreadsheet shows and the line the
row starts on, so that every problem can be found both ways. Unreadable bytes, broken quoting
and cells past the csv module's size limit are located problems, never exceptions of their own.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from collections.abc import Iterator
from typing import TextIO

from .common import Spot, failure

__all__ = ["decode_utf8", "parse_number", "read_rows", "sniff_delimiter"]

_DELIMITERS = (",", ";", "\t")


def decode_utf8(data: bytes, file: str) -> str:
    """UTF-8 text (a byte-order mark is dropped); a located problem for anything else."""
    if b"\x00" in data[:4096]:
        raise failure(file, "this is not a text file (it holds NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise failure(
            file,
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot start a character here; "
            "save the file as UTF-8 (spreadsheets: 'CSV UTF-8')",
            line=line,
        ) from None


def sniff_delimiter(text: str, file: str) -> str:
    """The delimiter of a spreadsheet export: comma, semicolon or tab, whichever splits the first
    rows into the same, largest number of cells. A single-column header is a problem: whatever
    separates its cells is not one we read."""
    best: tuple[float, int, str] | None = None
    for delim in _DELIMITERS:
        rows: list[list[str]] = []
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
        try:
            for row in itertools.islice(reader, 30):
                if any(c.strip() for c in row):
                    rows.append(row)
        except csv.Error:
            pass  # judge by the rows before it; reading the file will place the error
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        fit = sum(len(r) == width for r in rows) / len(rows)
        if best is None or (fit, width) > best[:2]:
            best = (fit, width, delim)
    if best is None:
        first = text.lstrip("\ufeff").splitlines()[0][:60] if text.strip() else ""
        raise failure(
            file,
            f"the header {first!r} is a single column: cells must be separated by commas or "
            "semicolons (tab also works)",
            where="row 1",
            line=1,
        )
    return best[2]


def read_rows(source: str | TextIO, file: str, delimiter: str) -> Iterator[tuple[Spot, list[str]]]:
    """``(spot, cells)`` for every row, blank ones included (they count as spreadsheet rows).

    ``source`` is text or a text stream opened with ``newline=""`` (streamed, so a large table
    is never held as text). Broken quoting, a cell past the csv module's limit and bytes that
    are not UTF-8 are located problems.
    """
    stream = io.StringIO(source, newline="") if isinstance(source, str) else source
    reader = csv.reader(stream, delimiter=delimiter)
    row, start = 0, 1
    try:
        for cells in reader:
            row += 1
            yield Spot(row, start), cells
            start = reader.line_num + 1
    except csv.Error as exc:
        where = f"row {row + 1}"
        raise failure(file, f"unreadable CSV: {exc}", where=where, line=start) from None
    except UnicodeDecodeError as exc:
        byte = f"byte 0x{exc.object[exc.start]:02x}"
        raise failure(
            file, f"not UTF-8 text ({byte}); save the file as UTF-8", line=reader.line_num + 1
        ) from None


def parse_number(text: str) -> float | None:
    """A finite number written with '.' or ',' as the decimal mark, or ``None``.

    >>> parse_number("8,5"), parse_number(" 12 "), parse_number("inf")
    (8.5, 12.0, None)
    """
    text = text.strip()
    if re.fullmatch(r"\d+,\d+", text):
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
