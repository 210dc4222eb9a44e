"""Reading and writing ladders: bytes → document → graph, and the graph in other formats.

``load_graph`` and ``graph_from_text`` read a file or its text with the reader its extension
names (see :mod:`.readers`); ``graph_from_data`` builds the graph from data already parsed (see
:mod:`.build`). :mod:`.interchange` writes node-link JSON and GraphML.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from ..errors import DataError, Problem
from ..gcpause import gc_paused
from .build import graph_from_data, graph_from_document
from .document import MAX_JSON_BYTES, Document, too_big
from .interchange import GRAPH_WRITERS, graphml_text, node_link, node_link_text
from .readers import READERS, Reader, reader_for
from .upgrade import upgraded_yaml

__all__ = [
    "DEFAULT_DATA",
    "GRAPH_WRITERS",
    "READERS",
    "Document",
    "Reader",
    "graph_from_data",
    "graph_from_document",
    "graph_from_text",
    "graphml_text",
    "load_graph",
    "node_link",
    "node_link_text",
    "read_document",
    "reader_for",
    "upgraded_yaml",
]

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "data" / "backend.yaml"


@gc_paused()
def read_document(raw: bytes | str, file: str = "<data>", fmt: str | None = None) -> Document:
    """Parse a document with the reader named ``fmt`` or picked by ``file``'s extension."""
    return reader_for(file, fmt).read(raw, file)


def graph_from_text(
    raw: bytes | str,
    file: str = "<data>",
    fmt: str | None = None,
    time_limit: float | None = None,
) -> nx.DiGraph:
    """Build the graph from a document's text (an upload, say); ``file`` names it in messages.

    ``fmt`` names a reader (``"yaml"``, ``"json"``, …); ``None`` picks one by ``file``'s
    extension (YAML by default). ``time_limit`` caps the seconds spent checking it.
    """
    return graph_from_document(read_document(raw, file, fmt), time_limit)


@gc_paused()
def load_graph(path: str | Path | None = None) -> nx.DiGraph:
    """Load a career-graph file into a frozen ``DiGraph``.

    Parameters
    ----------
    path : path to a ``.yaml``/``.yml``/``.json`` file; ``None`` loads the default data set.

    Returns
    -------
    A frozen ``networkx.DiGraph``: node attribute ``kind`` (role, skill, group, training), edge
    attribute ``kind`` (prerequisite, requirement, option, progression, teaches, entry), every
    other field of the file as attributes. Graph attributes: ``name``, ``description``,
    ``source``, ``notes``, ``file``.

    Raises
    ------
    DataError
        With every problem found, when the file cannot be read or is invalid.

    Examples
    --------
    >>> G = load_graph()
    >>> G.nodes["django"]["kind"], G.edges["python", "django"]["kind"]
    ('skill', 'prerequisite')
    """
    file = Path(path) if path is not None else DEFAULT_DATA
    label = str(path) if path is not None else f"data/{DEFAULT_DATA.name}"
    try:
        size = file.stat().st_size
        if size > MAX_JSON_BYTES:
            raise DataError([Problem(label, "", too_big(size, MAX_JSON_BYTES))])
        raw = file.read_bytes()
    except OSError as exc:
        raise DataError(
            [Problem(label, "", f"cannot read the file: {exc.strerror or exc}")]
        ) from None
    return graph_from_document(reader_for(file.name).read(raw, label))
