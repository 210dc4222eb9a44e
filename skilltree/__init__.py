"""skilltree: a career ladder as a prerequisite graph, and what to learn next.

This package is the engine: pure functions over a frozen ``networkx.DiGraph`` and plain data
(profiles, plans, readiness, routes). It imports no UI toolkit and no plotting library. Around
it, in their own folders:

* :mod:`skilltree.io` — reading ladders (YAML, JSON and the importers) and writing graphs;
* :mod:`skilltree.views` — layout, plotly figures, text and view-models for the app and exports;
* :mod:`skilltree.export` — the export formats (images, Markdown, JSON, GraphML);
* :mod:`skilltree.cli` — the command line.

The engine's API is listed in ``__all__``; everything else is internal.
"""

from .advice import Suggestion, fringe, next_steps
from .coverage import Readiness, RequirementStatus, readiness, readiness_all, readiness_scores
from .errors import DataError, ExportError, Problem, ProfileError, SkilltreeError, UnknownIdError
from .index import GraphIndex, Requirement, index_of, node_ids, resolve_id
from .io import DEFAULT_DATA, graph_from_data, graph_from_text, load_graph
from .model import DEFAULT_WEIGHTS, EDGE_KINDS, NODE_KINDS, Weights
from .planner import Plan, Reason, Step, path_to, plan
from .profile import (
    Profile,
    clean_profile,
    format_have,
    parse_have,
    profile_from_bytes,
    profile_from_json,
    split_have,
)
from .routes import Comparison, NoRouteError, Route, Rung, compare, entry_roles, route
from .schema import json_schema
from .timeline import finish, schedule, weeks

__all__ = [
    "DEFAULT_DATA",
    "DEFAULT_WEIGHTS",
    "EDGE_KINDS",
    "NODE_KINDS",
    "Comparison",
    "DataError",
    "ExportError",
    "GraphIndex",
    "NoRouteError",
    "Plan",
    "Problem",
    "Profile",
    "ProfileError",
    "Readiness",
    "Reason",
    "Requirement",
    "RequirementStatus",
    "Route",
    "Rung",
    "SkilltreeError",
    "Step",
    "Suggestion",
    "UnknownIdError",
    "Weights",
    "clean_profile",
    "compare",
    "entry_roles",
    "finish",
    "format_have",
    "fringe",
    "graph_from_data",
    "graph_from_text",
    "index_of",
    "json_schema",
    "load_graph",
    "next_steps",
    "node_ids",
    "parse_have",
    "path_to",
    "plan",
    "profile_from_bytes",
    "profile_from_json",
    "readiness",
    "readiness_all",
    "readiness_scores",
    "resolve_id",
    "route",
    "schedule",
    "split_have",
    "weeks",
]
