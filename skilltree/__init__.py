"""skilltree: the back-end career ladder as a prerequisite graph, and what to learn next.

The public API is listed in ``__all__``; everything else is internal. Nothing here does I/O
beyond reading data files (``load_graph``), and nothing imports a UI toolkit.
"""

from .advice import Suggestion, fringe, next_steps
from .charts import readiness_figure, salary_figure
from .errors import DataError, ExportError, Problem, ProfileError, SkilltreeError, UnknownIdError
from .figures import graph_figure
from .graph import DEFAULT_DATA, graph_from_text, load_graph, node_ids
from .layout import layered_layout
from .planner import Plan, Reason, Step, path_to, plan, schedule, weeks
from .profile import Profile, clean_profile, parse_have, profile_from_json, resolve_id
from .readiness import Readiness, RequirementStatus, readiness, readiness_all, readiness_scores
from .routes import Comparison, NoRouteError, Route, Rung, compare, route
from .schema import json_schema
from .serialize import graphml_text, node_link
from .share import AppState, params_from_state, state_from_params
from .status import statuses

__all__ = [
    "DEFAULT_DATA",
    "AppState",
    "Comparison",
    "DataError",
    "ExportError",
    "NoRouteError",
    "Plan",
    "Problem",
    "Profile",
    "ProfileError",
    "Readiness",
    "Reason",
    "RequirementStatus",
    "Route",
    "Rung",
    "SkilltreeError",
    "Step",
    "Suggestion",
    "UnknownIdError",
    "clean_profile",
    "compare",
    "fringe",
    "graph_figure",
    "graph_from_text",
    "graphml_text",
    "json_schema",
    "layered_layout",
    "load_graph",
    "next_steps",
    "node_ids",
    "node_link",
    "params_from_state",
    "parse_have",
    "path_to",
    "plan",
    "profile_from_json",
    "readiness",
    "readiness_all",
    "readiness_figure",
    "readiness_scores",
    "resolve_id",
    "route",
    "salary_figure",
    "schedule",
    "state_from_params",
    "statuses",
    "weeks",
]
