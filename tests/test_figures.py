"""The figures, tested on their data: traces, ids, colours, escaping, order."""

from __future__ import annotations

import networkx as nx
import plotly.graph_objects as go
import pytest

from skilltree.errors import UnknownIdError
from skilltree.model import DEFAULT_CATEGORIES
from skilltree.views.charts import readiness_figure, salary_figure
from skilltree.views.figures import graph_figure
from skilltree.views.layout import layered_layout
from skilltree.views.palette import KIND_COLORS, STATUS_COLORS
from skilltree.views.text import plain

CATEGORY_COLORS = {c.id: c.color for c in DEFAULT_CATEGORIES}


def band(low: float, high: float, estimate: bool = False) -> dict[str, object]:
    return {
        "min": low,
        "max": high,
        "currency": "EUR",
        "period": "year",
        "basis": "gross",
        "source": "a survey",
        "estimate": estimate,
    }


def small_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_node(
        "python",
        kind="skill",
        name="Python",
        category="language",
        description="A language.",
        hours=(40.0, 100.0, 200.0),
    )
    G.add_node(
        "django",
        kind="skill",
        name="Django",
        category="framework",
        description="A web framework.",
        hours=(30.0, 80.0, 160.0),
    )
    G.add_node("git", kind="skill", name="Git", category="tool", description="", hours=(5, 10, 20))
    G.add_node("framework", kind="group", name="A framework", description="", pick=1)
    G.add_node("school", kind="training", name="School", description="", months=36)
    G.add_node(
        "senior", kind="role", name="Senior", description="", rank=3, salary=band(55000, 70000)
    )
    G.add_node("junior", kind="role", name="Junior", description="", rank=1, salary=band(35, 45))
    G.add_node(
        "manager", kind="role", name="Manager", description="", rank=4, salary=band(70, 99, True)
    )
    G.add_node("intern", kind="role", name="Intern", description="", rank=0, salary=None)
    G.add_edge("school", "python", kind="teaches", level=1)
    G.add_edge("python", "django", kind="prerequisite", level=1)
    G.add_edge("django", "framework", kind="option", level=1)
    G.add_edge("framework", "junior", kind="requirement", level=1, importance="essential")
    G.add_edge("git", "junior", kind="requirement", level=1, importance="optional")
    G.add_edge("junior", "senior", kind="progression", years=3)
    G.add_edge("senior", "manager", kind="progression", years=3)
    return nx.freeze(G)


def node_traces(fig: go.Figure) -> list:
    return [t for t in fig.data if t.customdata is not None]


def trace_of(fig: go.Figure, node: str):
    [trace] = [t for t in node_traces(fig) if [node] in [list(c) for c in t.customdata]]
    return trace


def point(trace, node: str) -> int:
    return [list(c) for c in trace.customdata].index([node])


def test_every_drawn_node_appears_once_in_customdata():
    G = small_graph()
    fig = graph_figure(G, layered_layout(G))
    ids = [c[0] for t in node_traces(fig) for c in t.customdata]
    assert sorted(ids) == sorted(G)
    assert all(isinstance(i, str) for i in ids)


def test_only_the_positioned_nodes_and_their_edges_are_drawn():
    G = small_graph()
    fig = graph_figure(G, layered_layout(G, ["python", "django"]))
    assert sorted(c[0] for t in node_traces(fig) for c in t.customdata) == ["django", "python"]
    edges = [t for t in fig.data if t.customdata is None]
    assert [t.name for t in edges] == ["prerequisite"]


def test_edge_traces_skip_hover_so_clicks_select_nodes_only():
    G = small_graph()
    fig = graph_figure(G, layered_layout(G))
    edges = [t for t in fig.data if t.customdata is None]
    assert edges
    assert all(t.hoverinfo == "skip" for t in edges)
    assert all(t.hoverinfo == "text" for t in node_traces(fig))


def test_edges_carry_an_arrowhead_at_their_target():
    G = small_graph()
    fig = graph_figure(G, {"python": (0.0, 0.0), "django": (1.0, 0.0)})
    [edge] = [t for t in fig.data if t.customdata is None]
    assert edge.x == (0.0, 1.0, None)
    assert edge.marker.symbol == "arrow"
    assert edge.marker.angleref == "previous"
    assert edge.marker.size[0] == 0 < edge.marker.size[1]


def test_kind_colours_skills_by_category_and_other_kinds_by_kind():
    G = small_graph()
    fig = graph_figure(G, layered_layout(G))
    assert trace_of(fig, "python").marker.color == CATEGORY_COLORS["language"]
    assert trace_of(fig, "django").marker.color == CATEGORY_COLORS["framework"]
    assert trace_of(fig, "junior").marker.color == KIND_COLORS["role"]
    assert trace_of(fig, "framework").marker.color == KIND_COLORS["group"]


def test_roles_are_bigger_diamonds():
    G = small_graph()
    fig = graph_figure(G, layered_layout(G))
    role, skill = trace_of(fig, "junior"), trace_of(fig, "git")
    assert role.marker.symbol[point(role, "junior")] == "diamond"
    assert role.marker.size[point(role, "junior")] > skill.marker.size[point(skill, "git")]


def test_status_colours_are_applied():
    G = small_graph()
    status = {"python": "have", "django": "in_plan", "git": "ready", "framework": "locked"}
    fig = graph_figure(G, layered_layout(G), status=status, color_by="status")
    for node, value in status.items():
        assert trace_of(fig, node).marker.color == STATUS_COLORS[value]
    assert trace_of(fig, "junior").name == "No status"
    assert "status: have" in trace_of(fig, "python").hovertext[0]


def test_unknown_status_value_is_refused():
    G = small_graph()
    with pytest.raises(ValueError, match="'mastered'"):
        graph_figure(G, layered_layout(G), status={"python": "mastered"}, color_by="status")


def test_unknown_colour_scheme_is_refused():
    G = small_graph()
    with pytest.raises(ValueError, match="color_by"):
        graph_figure(G, layered_layout(G), color_by="salary")


def test_positioned_node_missing_from_graph_is_reported():
    with pytest.raises(UnknownIdError, match="'cobol'"):
        graph_figure(small_graph(), {"cobol": (0.0, 0.0)})


def test_highlight_enlarges_markers_and_thickens_the_path():
    G = small_graph()
    pos = layered_layout(G)
    plain_fig = graph_figure(G, pos)
    path = ["python", "django", "framework", "junior"]
    lit = graph_figure(G, pos, highlight=path)
    for node in path:
        before, after = trace_of(plain_fig, node), trace_of(lit, node)
        assert after.marker.size[point(after, node)] > before.marker.size[point(before, node)]
        assert after.marker.line.width[point(after, node)] > 1
    [thick] = [t for t in lit.data if t.name == "highlighted path"]
    assert thick.hoverinfo == "skip"
    assert thick.line.width > max(t.line.width for t in plain_fig.data if t.customdata is None)
    # Three edges of the path, each two points and a separator.
    assert len(thick.x) == 9
    assert not [t for t in plain_fig.data if t.name == "highlighted path"]


def test_selected_node_is_outlined_strongly():
    G = small_graph()
    fig = graph_figure(G, layered_layout(G), selected="django", highlight=["python", "django"])
    trace = trace_of(fig, "django")
    other = trace_of(fig, "python")
    assert trace.marker.line.width[point(trace, "django")] > max(other.marker.line.width)


def test_text_from_data_is_escaped_in_labels_and_hover():
    G = nx.DiGraph()
    G.add_node(
        "x",
        kind="skill",
        name="<script>alert(1)</script>",
        category="<b>tool</b>",
        description="R&D <img src=x>",
        hours=(1, 2, 3),
    )
    fig = graph_figure(G, {"x": (0.0, 0.0)}, title="<i>mine</i>")
    [trace] = node_traces(fig)
    assert "<script>" not in trace.text[0]
    assert trace.text[0].startswith("&lt;script&gt;")
    hover = trace.hovertext[0]
    assert "<script>" not in hover
    assert "<img" not in hover
    assert "&lt;script&gt;" in hover
    assert "R&amp;D" in hover
    assert "&lt;b&gt;tool" in hover
    assert fig.layout.title.text == "&lt;i&gt;mine&lt;/i&gt;"


def test_long_names_are_truncated_in_labels_but_whole_in_hover():
    G = nx.DiGraph()
    name = "Continuous integration and continuous delivery"
    G.add_node("ci", kind="skill", name=name, category="practice", hours=(1, 2, 3))
    [trace] = node_traces(graph_figure(G, {"ci": (0.0, 0.0)}))
    assert trace.text[0].endswith("…")
    assert len(trace.text[0]) < len(name)
    assert name in trace.hovertext[0]


def test_hover_summarises_hours_and_salary():
    G = small_graph()
    fig = graph_figure(G, layered_layout(G))
    assert "40 h" in trace_of(fig, "python").hovertext[point(trace_of(fig, "python"), "python")]
    roles = trace_of(fig, "senior")
    assert "55,000 – 70,000 EUR per year" in roles.hovertext[point(roles, "senior")]


def test_plain_escapes_html():
    assert plain("a < b & c > d") == "a &lt; b &amp; c &gt; d"


def test_webgl_is_used_above_the_threshold():
    G = small_graph()
    pos = layered_layout(G)
    below = graph_figure(G, pos, webgl_threshold=len(pos))
    above = graph_figure(G, pos, webgl_threshold=len(pos) - 1)
    assert all(isinstance(t, go.Scatter) for t in node_traces(below))
    assert all(isinstance(t, go.Scattergl) for t in node_traces(above))
    assert sorted(c[0] for t in node_traces(above) for c in t.customdata) == sorted(G)


def test_layout_suits_clicking_and_survives_redraws():
    G = small_graph()
    pos = layered_layout(G)
    fig = graph_figure(G, pos)
    assert fig.layout.clickmode == "event+select"
    assert fig.layout.dragmode == "pan"
    assert fig.layout.xaxis.visible is False
    assert fig.layout.yaxis.visible is False
    assert fig.layout.showlegend is True
    assert fig.layout.uirevision == graph_figure(G, pos, highlight=["python"]).layout.uirevision
    smaller = layered_layout(G, ["python", "django"])
    assert fig.layout.uirevision != graph_figure(G, smaller).layout.uirevision


def test_salary_figure_has_one_bar_per_paid_role_by_rank():
    fig = salary_figure(small_graph())
    ids = [c[0] for t in fig.data for c in t.customdata]
    assert sorted(ids) == ["junior", "manager", "senior"]
    assert list(fig.layout.yaxis.categoryarray) == [
        "Junior",
        "Senior",
        "Manager (estimate)",
    ]
    [published] = [t for t in fig.data if t.name == "Published band"]
    assert list(published.base) == [35, 55000]
    assert list(published.x) == [10, 15000]


def test_salary_estimate_is_marked():
    fig = salary_figure(small_graph())
    [estimate] = [t for t in fig.data if t.name == "Estimate"]
    assert [c[0] for c in estimate.customdata] == ["manager"]
    assert estimate.y == ("Manager (estimate)",)
    assert estimate.marker.pattern.shape == "/"


def test_salary_axis_names_currency_and_period():
    fig = salary_figure(small_graph())
    assert "EUR per year" in fig.layout.xaxis.title.text


def test_salary_figure_without_bands_says_so():
    G = nx.DiGraph()
    G.add_node("junior", kind="role", name="Junior", rank=1, salary=None)
    fig = salary_figure(G)
    assert not fig.data
    assert "No role" in fig.layout.annotations[0].text


def test_readiness_bars_in_order_with_target_emphasised():
    fig = readiness_figure(
        {"junior": 1.0, "senior": 0.4, "manager": 0.1},
        {"junior": "Junior", "senior": "Senior <b>", "manager": "Manager"},
        target="senior",
    )
    [bars] = fig.data
    assert [c[0] for c in bars.customdata] == ["junior", "senior", "manager"]
    assert bars.text == ("100%", "40%", "10%")
    assert bars.marker.color[1] != bars.marker.color[0] == bars.marker.color[2]
    assert "(target)" in bars.y[1]
    assert "&lt;b&gt;" in bars.y[1]
    # Plotly lists horizontal categories bottom-up: the first role must come last.
    assert fig.layout.yaxis.categoryarray[-1] == bars.y[0]


def test_readiness_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError, match="'junior'"):
        readiness_figure({"junior": 80}, {})


def test_links_of_the_selected_node_stand_out():
    G = small_graph()
    fig = graph_figure(G, layered_layout(G), selected="django")
    (links,) = [t for t in fig.data if t.name == "links of the selected node"]
    # python → django and django → framework: two segments, each "x0, x1, None".
    assert len(links.x) == 6
    assert links.hoverinfo == "skip"
    others = [t for t in fig.data if t.mode and "lines" in t.mode and t.name != links.name]
    assert all(t.opacity < 0.9 for t in others)
    plain_fig = graph_figure(G, layered_layout(G))
    assert not [t for t in plain_fig.data if t.name == "links of the selected node"]
