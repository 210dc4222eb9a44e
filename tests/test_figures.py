"""The figures, tested on their data: traces, ids, colours, escaping, order."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import plotly.graph_objects as go
import pytest

from skilltree.errors import UnknownIdError
from skilltree.model import DEFAULT_CATEGORIES
from skilltree.views.charts import readiness_figure, salary_figure
from skilltree.views.figures import graph_figure
from skilltree.views.layout import graph_layout
from skilltree.views.palette import HELD_COLORS, KIND_COLORS, STATUS_COLORS
from skilltree.views.status import Held
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


def named(fig: go.Figure, name: str):
    return [t for t in fig.data if t.name == name]


def label_texts(fig: go.Figure) -> list[str]:
    return [text for t in fig.data if t.mode == "text" for text in t.text]


def test_every_drawn_node_appears_once_in_customdata():
    G = small_graph()
    ids = sorted(c[0] for t in node_traces(graph_figure(G, graph_layout(G))) for c in t.customdata)
    assert ids == sorted(G)


def test_only_the_laid_out_nodes_and_their_edges_are_drawn():
    G = small_graph()
    fig = graph_figure(G, graph_layout(G, ["python", "django"]))
    assert sorted(c[0] for t in node_traces(fig) for c in t.customdata) == ["django", "python"]
    assert [t.name for t in fig.data if t.mode == "lines+markers"] == ["needs first"]


def test_legend_lists_only_the_edge_kinds_drawn():
    G = small_graph()
    names = {t.name for t in graph_figure(G, graph_layout(G)).data}
    assert {"needs first", "counts as one of", "required by role", "optional for role"} <= names
    assert "recommended before" not in names
    assert "you have it (ring: your level)" not in names


def test_only_markers_answer_hover_and_clicks():
    G = small_graph()
    fig = graph_figure(G, graph_layout(G), selected="django", matches=["python"])
    for trace in fig.data:
        if trace.customdata is None:
            assert trace.hoverinfo == "skip", trace.name
    assert [t.mode for t in node_traces(fig)] == ["markers"] * len(node_traces(fig))


def test_each_edge_has_one_arrowhead_at_its_end():
    G = small_graph()
    drawn = graph_layout(G)
    fig = graph_figure(G, drawn)
    [needs] = named(fig, "needs first")
    assert needs.marker.symbol == "arrow"
    assert needs.marker.angleref == "previous"
    tips = [i for i, size in enumerate(needs.marker.size) if size > 0]
    assert len(tips) == 1
    end = drawn.edges[("python", "django")][-1]
    assert (needs.x[tips[0]], needs.y[tips[0]]) == pytest.approx(end)


def test_kind_colours_skills_by_category_and_other_kinds_by_kind():
    G = small_graph()
    fig = graph_figure(G, graph_layout(G), color_by="kind")
    assert trace_of(fig, "python").marker.color == CATEGORY_COLORS["language"]
    assert trace_of(fig, "django").marker.color == CATEGORY_COLORS["framework"]
    assert trace_of(fig, "junior").marker.color == KIND_COLORS["role"]
    assert trace_of(fig, "framework").marker.color == KIND_COLORS["group"]


def test_roles_are_bigger_diamonds():
    G = small_graph()
    fig = graph_figure(G, graph_layout(G))
    roles = trace_of(fig, "junior")
    skills = trace_of(fig, "python")
    assert roles.marker.symbol[point(roles, "junior")] == "diamond"
    assert roles.marker.size[point(roles, "junior")] > skills.marker.size[point(skills, "python")]


def test_status_colours_are_applied():
    G = small_graph()
    status = {"python": "have", "django": "in_plan", "git": "ready", "junior": "locked"}
    fig = graph_figure(G, graph_layout(G), status=status, color_by="status")
    for node, value in status.items():
        assert trace_of(fig, node).marker.color == STATUS_COLORS[value]
    assert trace_of(fig, "school").name == "No status"


def test_bad_arguments_are_refused():
    G = small_graph()
    drawn = graph_layout(G)
    with pytest.raises(ValueError, match="status of 'python'"):
        graph_figure(G, drawn, status={"python": "mastered"})
    with pytest.raises(ValueError, match="color_by"):
        graph_figure(G, drawn, color_by="rainbow")
    with pytest.raises(ValueError, match="mark of 'python'"):
        graph_figure(G, drawn, marks={"python": "maybe"})
    with pytest.raises(UnknownIdError, match="cobol"):
        graph_figure(small_graph(), {"cobol": (0.0, 0.0)})


def test_held_levels_ring_the_node_whatever_its_status():
    G = small_graph()
    held = {"python": Held(2, 3), "django": Held(1, 3, "implied by Flask")}
    status = {"python": "in_plan", "django": "have"}
    fig = graph_figure(G, graph_layout(G), status=status, color_by="status", held=held)
    python, django, git = trace_of(fig, "python"), trace_of(fig, "django"), trace_of(fig, "git")
    assert python.marker.color == STATUS_COLORS["in_plan"]
    ring = python.marker.line
    assert ring.color[point(python, "python")] == HELD_COLORS["stated"]
    assert django.marker.line.color[point(django, "django")] == HELD_COLORS["implied"]
    assert ring.width[point(python, "python")] > django.marker.line.width[point(django, "django")]
    assert django.marker.line.width[point(django, "django")] > git.marker.line.width[0]
    assert "you have level 2 of 3" in python.hovertext[point(python, "python")]
    assert "implied by Flask" in django.hovertext[point(django, "django")]
    names = {t.name for t in fig.data}
    assert {"you have it (ring: your level)", "implied or assumed"} <= names


def test_learning_and_skip_are_marked_in_the_symbol():
    G = small_graph()
    fig = graph_figure(G, graph_layout(G), marks={"python": "learning", "git": "skip"})
    python, git = trace_of(fig, "python"), trace_of(fig, "git")
    assert python.marker.symbol[point(python, "python")] == "circle-dot"
    assert git.marker.symbol[point(git, "git")] == "circle-x"
    assert {"learning now", "you would skip it"} <= {t.name for t in fig.data}


def test_highlight_and_selection_are_halos_under_the_markers():
    G = small_graph()
    drawn = graph_layout(G)
    path = ["python", "django", "framework", "junior"]
    fig = graph_figure(G, drawn, highlight=path, selected="django", matches=["git", "python"])
    [halo] = named(fig, "on the cheapest path")
    assert len(halo.x) == 4
    [thick] = named(fig, "cheapest path")
    assert thick.line.width >= 4
    [ring] = named(fig, "selected")
    assert (ring.x[0], ring.y[0]) == drawn.nodes["django"].marker
    [found] = named(fig, "search match (2)")
    assert len(found.x) == 2
    order = [t.name for t in fig.data]
    assert order.index("selected") < order.index(trace_of(fig, "django").name)
    plain_fig = graph_figure(G, drawn)
    assert not named(plain_fig, "cheapest path")
    assert not named(plain_fig, "selected")


def test_links_of_the_selected_node_stand_out():
    G = small_graph()
    fig = graph_figure(G, graph_layout(G), selected="django")
    (links,) = named(fig, "links of the selected node")
    assert links.hoverinfo == "skip"
    assert np.count_nonzero(np.isnan(np.asarray(links.x, dtype=float))) == 2  # two edges
    others = [t for t in fig.data if t.mode == "lines+markers"]
    assert all(t.opacity < 0.9 for t in others)
    assert not named(graph_figure(G, graph_layout(G)), "links of the selected node")


def test_text_from_data_is_escaped_in_labels_hover_and_titles():
    G = nx.DiGraph(tracks=[{"id": "individual", "name": "<b>Makers</b>"}])
    G.add_node(
        "x",
        kind="skill",
        name="<script>alert(1)</script>",
        category="<b>tool</b>",
        description="R&D <img src=x>",
        hours=(1, 2, 3),
    )
    G.add_node("r", kind="role", name="Role", rank=1, track="individual")
    fig = graph_figure(G, graph_layout(G), title="<i>mine</i>")
    assert any(t.startswith("&lt;script&gt;") for t in label_texts(fig))
    assert not any("<script>" in t for t in label_texts(fig))
    hover = trace_of(fig, "x").hovertext[0]
    assert "<script>" not in hover
    assert "<img" not in hover
    assert "&lt;script&gt;" in hover
    assert "R&amp;D" in hover
    assert "&lt;b&gt;tool" in hover
    assert fig.layout.title.text == "&lt;i&gt;mine&lt;/i&gt;"
    assert [a.text for a in fig.layout.annotations] == ["<b>&lt;b&gt;Makers&lt;/b&gt;</b>"]


def test_long_names_are_wrapped_whole_and_right_to_left_ones_set_flush_right():
    G = nx.DiGraph()
    name = "Continuous integration and continuous delivery for very large monorepos"
    G.add_node("ci", kind="skill", name=name, category="practice", hours=(1, 2, 3))
    G.add_node("ar", kind="skill", name="تصميم واجهات برمجة التطبيقات", hours=(1, 2, 3))
    fig = graph_figure(G, graph_layout(G))
    [ltr] = [t for t in fig.data if t.mode == "text" and t.textposition == "middle right"]
    assert "<br>" in ltr.text[0]
    assert ltr.text[0].replace("<br>", " ") == name
    [rtl] = [t for t in fig.data if t.mode == "text" and t.textposition == "middle left"]
    assert rtl.text[0].replace("<br>", " ") == "تصميم واجهات برمجة التطبيقات"
    assert name in trace_of(fig, "ci").hovertext[0]


def test_hover_summarises_hours_and_salary():
    G = small_graph()
    fig = graph_figure(G, graph_layout(G))
    assert "40 h" in trace_of(fig, "python").hovertext[point(trace_of(fig, "python"), "python")]
    roles = trace_of(fig, "senior")
    assert "55,000 – 70,000 EUR per year" in roles.hovertext[point(roles, "senior")]


def test_plain_escapes_html():
    assert plain("a < b & c > d") == "a &lt; b &amp; c &gt; d"


def test_webgl_is_used_above_the_threshold():
    G = small_graph()
    drawn = graph_layout(G)
    below = graph_figure(G, drawn, webgl_threshold=len(G))
    above = graph_figure(G, drawn, webgl_threshold=len(G) - 1)
    assert all(isinstance(t, go.Scatter) for t in node_traces(below))
    assert all(isinstance(t, go.Scattergl) for t in node_traces(above))
    assert sorted(c[0] for t in node_traces(above) for c in t.customdata) == sorted(G)


def test_positions_are_laid_out_afresh_for_older_callers():
    G = small_graph()
    fig = graph_figure(G, {"python": (0.0, 0.0), "django": (1.0, 0.0)})
    assert sorted(c[0] for t in node_traces(fig) for c in t.customdata) == ["django", "python"]


def test_a_figure_for_a_page_is_the_drawing_at_one_pixel_per_unit():
    G = small_graph()
    drawn = graph_layout(G)
    fig = graph_figure(G, drawn)
    assert tuple(fig.layout.xaxis.range) == (0, pytest.approx(drawn.width))
    low, high = fig.layout.yaxis.range
    assert high == pytest.approx(drawn.height)
    assert low < 0  # room for the legend, inside the plot, under the drawing
    margin = fig.layout.margin
    assert fig.layout.width == round(drawn.width) + margin.l + margin.r
    assert fig.layout.height == round(high - low) + margin.t + margin.b
    assert fig.layout.yaxis.scaleanchor == "x"
    assert (fig.layout.legend.y, fig.layout.legend.yanchor) == (0, "bottom")


def test_a_figure_for_the_app_shows_a_window_at_one_pixel_per_unit():
    G = small_graph()
    drawn = graph_layout(G)
    fig = graph_figure(G, drawn, height=180)
    margin = fig.layout.margin
    low, high = fig.layout.yaxis.range
    assert high - low == pytest.approx(180 - margin.t - margin.b)
    assert fig.layout.height == 180
    assert fig.layout.width is None
    # A drawing smaller than the window asked for gets a window its own size.
    roomy = graph_figure(G, drawn, height=2000)
    assert roomy.layout.height < 2000
    low, high = roomy.layout.yaxis.range
    assert high - low >= drawn.height


def test_layout_suits_clicking_and_keeps_zoom_for_the_same_nodes():
    G = small_graph()
    drawn = graph_layout(G)
    fig = graph_figure(G, drawn)
    assert fig.layout.clickmode == "event+select"
    assert fig.layout.dragmode == "pan"
    assert fig.layout.xaxis.visible is False
    assert fig.layout.showlegend is True
    again = graph_figure(G, drawn, highlight=["python"], selected="git")
    assert fig.layout.uirevision == again.layout.uirevision
    smaller = graph_layout(G, ["python", "django"])
    assert fig.layout.uirevision != graph_figure(G, smaller).layout.uirevision
    assert graph_figure(G, drawn, revision="mine").layout.uirevision == "mine"


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


def test_the_app_sends_the_same_figure_from_plain_data_as_from_a_figure_object():
    import base64
    import json

    import plotly.io as pio

    from skilltree import Profile, load_graph, plan
    from skilltree.views import graph_figure_spec, held_levels, statuses
    from webapp.ui import kept_figure

    G = load_graph()
    profile = Profile({"python": 2, "git": 1}, learning=frozenset({"django"}))
    result = plan(G, profile, "senior")
    layout = graph_layout(G)
    options = {
        "status": statuses(G, profile, list(layout.nodes), result),
        "held": held_levels(G, profile, list(layout.nodes)),
        "highlight": [s.skill for s in result.steps][:5],
        "selected": "python",
        "color_by": "status",
        "height": 600,
        "anchor": "senior",
        "marks": {"django": "learning"},
    }

    def decoded(figure: dict) -> object:
        def walk(value: object) -> object:
            if isinstance(value, dict):
                if set(value) == {"dtype", "bdata"}:
                    raw = base64.b64decode(value["bdata"])
                    return [None if x != x else x for x in np.frombuffer(raw, value["dtype"])]
                return {k: walk(v) for k, v in value.items()}
            if isinstance(value, list):
                return [walk(v) for v in value]
            return value

        return walk(json.loads(pio.to_json(figure, validate=False)))

    from_object = kept_figure(("t", 1), lambda: graph_figure(G, layout, **options)).to_dict()
    from_spec = kept_figure(("t", 2), lambda: graph_figure_spec(G, layout, **options)).to_dict()
    assert decoded(from_spec) == decoded(from_object)
    assert any("bdata" in json.dumps(t.get("x")) for t in from_spec["data"])


def test_an_unknown_figure_option_is_refused_by_name():
    from skilltree.views import graph_figure_spec

    G = nx.DiGraph()
    G.add_node("git", kind="skill", name="Git", category="tool", hours=(5,))
    with pytest.raises(TypeError, match="colour_by"):
        graph_figure(G, {"git": (0.0, 0.0)}, colour_by="status")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="colour_by"):
        graph_figure_spec(G, {"git": (0.0, 0.0)}, colour_by="status")  # type: ignore[call-arg]


def _lines_one_by_one(layout, pairs, arrows):
    """The lines of ``pairs`` worked out stretch by stretch: the reference for traces._lines."""
    seen: set = set()
    xs: list[float] = []
    ys: list[float] = []
    tips: list[int] = []
    for pair in pairs:
        points = layout.edges[pair]
        run = False
        for a, b in itertools.pairwise(points):
            key = (round(a[0] * 10), round(a[1] * 10), round(b[0] * 10), round(b[1] * 10))
            if key in seen:
                if run:
                    xs.append(np.nan)
                    ys.append(np.nan)
                run = False
                continue
            seen.add(key)
            if not run:
                xs.append(a[0])
                ys.append(a[1])
            xs.append(b[0])
            ys.append(b[1])
            run = True
        if run:
            tips.append(len(xs) - 1)
            xs.append(np.nan)
            ys.append(np.nan)
    sizes = np.zeros(len(xs), dtype=np.uint8)
    if arrows and tips:
        sizes[tips] = 9
    return np.array(xs, dtype=np.float32), np.array(ys, dtype=np.float32), sizes


@pytest.mark.parametrize("arrows", [True, False])
def test_edge_lines_send_each_shared_stretch_once_as_one_by_one_would(arrows):
    from benchmarks.synthetic import generate
    from skilltree import graph_from_data, load_graph
    from skilltree.views.traces import _lines

    for G in (load_graph(), graph_from_data(generate(20, 200, seed=3, deep=True))):
        layout = graph_layout(G, sorted(G)[:150])
        pairs = sorted(layout.edges)
        for chosen in (pairs, pairs[::3], pairs[:1], []):
            got = _lines(layout, chosen, arrows)
            want = _lines_one_by_one(layout, chosen, arrows)
            for a, b in zip(got, want, strict=True):
                assert a.dtype == b.dtype
                assert np.array_equal(a, b, equal_nan=True)
