"""A format-1 file rewritten in format 2: the same ladder with its levels and tracks spelled
out, ready for a team to declare its own.

The rewrite works on the parsed data, so YAML comments are not carried over.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import yaml

__all__ = ["upgraded_yaml"]

_ORDER = ("format", "name", "description", "source", "notes", "levels", "tracks", "categories")


def upgraded_yaml(data: dict[str, Any], G: nx.DiGraph) -> str:
    """YAML text of ``data`` (a valid file, already loaded as ``G``) in format 2."""
    out: dict[str, Any] = {"format": 2}
    for key in _ORDER[1:]:
        if key in data:
            out[key] = data[key]
    out.setdefault("levels", list(G.graph["levels"]))
    out.setdefault("tracks", [dict(t) for t in G.graph["tracks"]])
    for key, value in data.items():
        if key not in out:
            out[key] = value
    return "# skilltree ladder, format 2\n" + yaml.safe_dump(
        out, sort_keys=False, allow_unicode=True, width=100
    )
