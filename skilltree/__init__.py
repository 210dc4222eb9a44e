"""skilltree: the back-end career ladder as a prerequisite graph, and what to learn next.

The public API is listed in ``__all__``; everything else is internal. Nothing here does I/O
beyond reading data files (``load_graph``), and nothing imports a UI toolkit.
"""

from .errors import DataError, ExportError, Problem, ProfileError, SkilltreeError, UnknownIdError
from .graph import DEFAULT_DATA, graph_from_text, load_graph, node_ids
from .schema import json_schema
from .serialize import graphml_text, node_link

__all__ = [
    "DEFAULT_DATA",
    "DataError",
    "ExportError",
    "Problem",
    "ProfileError",
    "SkilltreeError",
    "UnknownIdError",
    "graph_from_text",
    "graphml_text",
    "json_schema",
    "load_graph",
    "node_ids",
    "node_link",
]
