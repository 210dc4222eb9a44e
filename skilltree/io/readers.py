"""Readers: one entry per source a ladder can be read from, registered by name and extension.

A reader turns a file's bytes into a :class:`~skilltree.io.document.Document` (plain data in
our format, with lines for messages and notes on what it assumed). The loader picks a reader by
the name asked for or by the file's extension; adding a source is one entry in :data:`READERS`
and the module that implements it.

A ``.csv`` file is read as a team's skills matrix (:mod:`.importers.csv_matrix`) with the
importer's defaults; its report of assumptions comes back as the document's ``notes``. Other
importers (ESCO, roadmap.sh) need options or several files, and a ``.json`` file is always our
own format, so they go through the ``import`` command instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..errors import DataError, Problem
from .document import Document, parse_json, parse_yaml
from .importers.csv_matrix import import_csv_matrix

__all__ = ["READERS", "Reader", "read_csv_matrix", "reader_for"]


@dataclass(frozen=True, slots=True)
class Reader:
    """A source of ladders: ``read(raw, file)`` gives the document; ``extensions`` pick it."""

    name: str
    label: str
    extensions: tuple[str, ...]
    read: Callable[[bytes | str, str], Document]


def read_csv_matrix(raw: bytes | str, file: str) -> Document:
    """A skills matrix in CSV as a format-2 document; the import report becomes its notes."""
    data, report = import_csv_matrix(raw, filename=file)
    return Document(data, file, notes=report)


READERS: dict[str, Reader] = {
    reader.name: reader
    for reader in (
        Reader("yaml", "YAML", (".yaml", ".yml"), parse_yaml),
        Reader("json", "JSON", (".json",), parse_json),
        Reader("csv", "CSV skills matrix", (".csv",), read_csv_matrix),
    )
}


def reader_for(file: str, name: str | None = None) -> Reader:
    """The reader called ``name``, else the one for ``file``'s extension, else YAML (a superset
    of JSON).

    >>> reader_for("ladder.JSON").name, reader_for("ladder.txt").name, reader_for("team.csv").name
    ('json', 'yaml', 'csv')
    """
    if name is not None:
        try:
            return READERS[name]
        except KeyError:
            known = ", ".join(READERS)
            raise DataError(
                [Problem(file, "", f"no reader called {name!r}; known: {known}")]
            ) from None
    lower = file.lower()
    for reader in READERS.values():
        if lower.endswith(reader.extensions):
            return reader
    return READERS["yaml"]
