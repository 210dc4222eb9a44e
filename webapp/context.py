"""What every page is given: the graph in use, its cache token, the state and the plan."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from skilltree import GraphIndex, Plan

from .data import Catalogue
from .state import AppState

__all__ = ["Context"]


@dataclass(frozen=True)
class Context:
    """One run of the app: the ladder, its widget lists, the person's state and plan."""

    G: nx.DiGraph
    token: str
    index: GraphIndex
    cat: Catalogue
    state: AppState
    plan: Plan | None
