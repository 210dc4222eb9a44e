"""What people see: layout, plotly figures, text, statuses and view-models over the engine.

Nothing here changes the engine's answers; it decides what part of the graph to draw
(:mod:`.focus`), where (:mod:`.layout`, with :mod:`.labels` measuring text, :mod:`.layering`,
:mod:`.ordering` and :mod:`.lanes` placing it, and :mod:`.metrics` counting what a reader trips
over), how it looks (:mod:`.palette`, :mod:`.figures`, :mod:`.charts`), and how results read as
text and rows (:mod:`.text`, :mod:`.records`, :mod:`.cards`). It imports plotly, never
streamlit.
"""

from .cards import Card, Fact, node_card
from .charts import readiness_figure, salary_figure
from .figures import FigureOptions, chart_dict, graph_figure, graph_figure_spec
from .focus import MAX_DRAWN, View, edges_among, explore_view, neighbourhood, plan_view
from .geometry import Layout
from .layout import count_crossings, graph_layout, layered_layout
from .metrics import Measures, measure
from .palette import STATUS_COLORS, STATUS_LABELS, categories_of
from .records import (
    PlanRow,
    brief_reason,
    choices_text,
    comparison_json,
    comparison_rows,
    plan_json,
    plan_rows,
    route_json,
    route_rows,
    suggestion_json,
)
from .status import STATUSES, Held, Status, held_levels, statuses
from .text import band_text, hours_text, markdown_escape, plain, salary_text

__all__ = [
    "MAX_DRAWN",
    "STATUSES",
    "STATUS_COLORS",
    "STATUS_LABELS",
    "Card",
    "Fact",
    "FigureOptions",
    "Held",
    "Layout",
    "Measures",
    "PlanRow",
    "Status",
    "View",
    "band_text",
    "brief_reason",
    "categories_of",
    "chart_dict",
    "choices_text",
    "comparison_json",
    "comparison_rows",
    "count_crossings",
    "edges_among",
    "explore_view",
    "graph_figure",
    "graph_figure_spec",
    "graph_layout",
    "held_levels",
    "hours_text",
    "layered_layout",
    "markdown_escape",
    "measure",
    "neighbourhood",
    "node_card",
    "plain",
    "plan_json",
    "plan_rows",
    "plan_view",
    "readiness_figure",
    "route_json",
    "route_rows",
    "salary_figure",
    "salary_text",
    "statuses",
    "suggestion_json",
]
