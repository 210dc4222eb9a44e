"""The Streamlit script under AppTest: views render, the URL holds the state, bad input warns."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from skilltree import load_graph

from .conftest import TINY_YAML, start


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [s.value for s in at.subheader]
    parts += [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [e.value for e in at.error]
    # Text from data is shown Markdown-escaped; compare it as a reader sees it.
    return "\n".join(str(p) for p in parts).replace("\\", "")


@pytest.mark.parametrize("view", ["explore", "path", "compare", "export"])
def test_every_view_renders_without_exception(view):
    at = start({"view": view, "target": "senior", "have": "python:2,sql"})
    assert at.radio(key="w_view").value == view
    assert not at.error


def test_default_page_shows_the_graph_and_no_warning():
    at = start()
    assert at.title[0].value == "skilltree"
    assert not at.warning
    assert not at.error


def test_selecting_a_node_shows_its_details():
    at = start()
    at.selectbox(key="w_node").set_value("django").run()
    shown = texts(at)
    assert "Django" in [s.value for s in at.subheader]
    assert "Needs first:" in shown
    assert "Python 1" in shown
    assert at.query_params["node"] == "django"


def test_changing_the_profile_changes_the_plan():
    at = start({"view": "path", "target": "junior"})
    before = at.metric[1].value
    at.sidebar.multiselect(key="w_skills").select("python").select("sql").run()
    after = at.metric[1].value
    assert float(after.replace(",", "")) < float(before.replace(",", ""))
    assert at.query_params["have"] == "python:1,sql:1"


def test_raising_a_level_lowers_the_hours():
    at = start({"view": "path", "target": "junior", "have": "programming-fundamentals:1"})
    before = float(at.metric[1].value.replace(",", ""))
    at.sidebar.select_slider(key="lvl_programming-fundamentals").set_value("2 · working").run()
    assert float(at.metric[1].value.replace(",", "")) < before
    assert at.query_params["have"] == "programming-fundamentals:2"


def test_url_parameters_restore_the_state():
    at = start(
        {
            "have": "python:2,sql",
            "role": "junior",
            "target": "senior",
            "pace": "5",
            "opt": "1",
            "node": "django",
            "view": "path",
        }
    )
    assert at.sidebar.multiselect(key="w_skills").value == ["python", "sql"]
    assert at.sidebar.select_slider(key="lvl_python").value == "2 · working"
    assert at.sidebar.selectbox(key="w_role").value == "junior"
    assert at.sidebar.selectbox(key="w_target").value == "senior"
    assert at.sidebar.number_input(key="w_pace").value == 5.0
    assert at.sidebar.toggle(key="w_opt").value is True
    assert at.radio(key="w_view").value == "path"
    assert "Plan to Senior back-end developer" in texts(at)
    assert not at.warning


@pytest.mark.parametrize(
    ("params", "dropped"),
    [
        ({"have": "pyhton:2,sql:9"}, "pyhton"),
        ({"target": "ceo"}, "ceo"),
        ({"pace": "-3"}, "pace"),
        ({"pace": "nan"}, "pace"),
        ({"node": "<script>alert(1)</script>"}, "selected node"),
        ({"view": "admin"}, "view"),
        ({"have": "x" * 5000}, "over 4000 characters"),
        ({"zzz": "1"}, "unknown link parameter"),
    ],
)
def test_bad_url_parameters_warn_and_do_not_crash(params, dropped):
    at = start(params)
    warnings = " ".join(w.value for w in at.warning)
    assert dropped in warnings
    assert not at.error


def test_compare_lists_the_three_senior_tracks_and_the_salary_chart():
    at = start({"view": "compare"})
    table = at.dataframe[0].value
    assert list(table["target"]) == ["Lead developer", "Tech expert", "Engineering manager"]
    assert "Shared by every path" in texts(at)


def test_export_offers_downloads_with_a_target():
    at = start({"view": "export", "target": "junior"})
    assert "Choose a target" not in texts(at)


def test_bad_data_file_at_start_shows_every_problem_and_falls_back(tmp_path, monkeypatch):
    bad = tmp_path / "bad.yaml"
    bad.write_text(TINY_YAML.replace("rank: 2", "rank: -1").replace("{id: java}", "{id: jav}"))
    monkeypatch.setenv("SKILLTREE_DATA", str(bad))
    at = start()
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert "bad.yaml is invalid" in errors
    assert "rank" in errors
    assert "jav" in errors
    assert "Back-end developer career ladder" in texts(at)


def test_custom_data_file_from_the_environment(tmp_path, monkeypatch):
    good = tmp_path / "tiny.yaml"
    good.write_text(TINY_YAML)
    monkeypatch.setenv("SKILLTREE_DATA", str(good))
    at = start({"target": "senior", "view": "path"})
    assert "Tiny ladder" in texts(at)
    assert "Plan to Senior" in texts(at)


def uploader(at: AppTest, key: str):
    return next(u for u in at.get("file_uploader") if key in u.id)


def test_bad_uploaded_data_shows_every_problem_and_keeps_the_data():
    at = start({"target": "junior", "have": "python:2"})
    bad = TINY_YAML.replace("rank: 2", "rank: -1").replace("{id: java}", "{id: jav}")
    uploader(at, "data_upload").set_value(("mine.yaml", bad.encode(), "application/yaml")).run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert "mine.yaml is invalid; keeping the current data" in errors
    assert "rank" in errors
    assert "jav" in errors
    assert "Back-end developer career ladder" in texts(at)
    assert at.sidebar.multiselect(key="w_skills").value == ["python"]


def test_good_uploaded_data_replaces_the_graph_and_drops_what_it_lacks():
    at = start({"target": "junior", "have": "python:2,django:1"})
    uploader(at, "data_upload").set_value(("tiny.yaml", TINY_YAML.encode(), "application/yaml"))
    at.run()
    assert not at.exception
    assert "Tiny ladder" in texts(at)
    assert at.sidebar.multiselect(key="w_skills").value == ["python"]
    assert any("django" in w.value for w in at.warning)


def test_uploaded_profile_sets_the_skills():
    at = start()
    profile = json.dumps({"role": "junior", "skills": {"python": 2, "sql": 1}}).encode()
    uploader(at, "profile_upload").set_value(("me.json", profile, "application/json")).run()
    assert not at.exception
    assert at.sidebar.multiselect(key="w_skills").value == ["python", "sql"]
    assert at.sidebar.selectbox(key="w_role").value == "junior"


def test_bad_uploaded_profile_is_refused_with_its_problems():
    at = start({"have": "git:1"})
    profile = json.dumps({"skills": {"pyhton": 2, "sql": 7}}).encode()
    uploader(at, "profile_upload").set_value(("me.json", profile, "application/json")).run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert "me.json** was not loaded" in errors
    assert "pyhton" in errors
    assert "sql: level" in errors
    assert at.sidebar.multiselect(key="w_skills").value == ["git"]


def test_compare_a_target_the_ladder_does_not_lead_to():
    at = start({"view": "compare", "role": "tech-expert", "cmp": "engineering-manager,senior"})
    assert not at.error
    table = at.dataframe[0].value
    assert list(table["climb"]) == [
        "not up the ladder from Tech expert",
        "not up the ladder from Tech expert",
    ]


# -- the first screen, progress on the graph, the views of the graph ---------------------------


def drawn_ids(at: AppTest, key: str = "graph_chart") -> set[str]:
    """The node ids the chart with ``key`` draws (their points carry them in customdata)."""
    import json as _json

    [chart] = [c for c in at.get("plotly_chart") if c.proto.id.endswith(key) or key in c.proto.id]
    figure = _json.loads(chart.proto.spec)
    return {c[0] for t in figure["data"] if t.get("customdata") for c in t["customdata"]}


def test_first_screen_asks_where_you_are_and_where_you_go():
    at = start()
    hello = at.selectbox(key="hello_role")
    assert hello.placeholder == "— choose a role —"
    assert at.selectbox(key="hello_target").placeholder == "— choose a role —"
    at.selectbox(key="hello_target").set_value("senior").run()
    assert at.sidebar.selectbox(key="w_target").value == "senior"
    assert at.query_params["target"] == "senior"
    # Still asked where they are now; once answered, the questions go.
    at.selectbox(key="hello_role").set_value("junior").run()
    assert at.query_params["role"] == "junior"
    assert not [s for s in at.selectbox if s.key == "hello_role"]


def test_no_picker_says_choose_an_option():
    at = start({"view": "compare"})
    boxes = list(at.selectbox) + list(at.sidebar.selectbox) + list(at.multiselect)
    boxes += list(at.sidebar.multiselect)
    assert boxes
    assert all(b.placeholder != "Choose an option" for b in boxes), [b.key for b in boxes]


def test_captions_name_the_loaded_ladder(write_file, monkeypatch):
    monkeypatch.setenv("SKILLTREE_DATA", str(write_file(TINY_YAML)))
    at = start({"target": "junior"})
    caption = at.caption[0].value
    assert caption.startswith("Tiny ladder")
    assert "back-end" not in texts(at).lower()


def test_overview_folds_categories_and_expanding_one_shows_its_skills():
    at = start()
    assert at.segmented_control(key="w_scope").value == "overview"
    drawn = drawn_ids(at)
    assert "cluster:framework" in drawn
    assert "django" not in drawn
    at.pills(key="w_expand").set_value(["framework"]).run()
    drawn = drawn_ids(at)
    assert "django" in drawn
    assert "cluster:framework" not in drawn


def test_a_target_opens_on_the_plan_and_everything_is_one_click_away():
    at = start({"target": "junior", "have": "python:2"})
    assert at.segmented_control(key="w_scope").value == "plan"
    assert "junior" in drawn_ids(at)
    at.segmented_control(key="w_scope").set_value("all").run()
    assert len(drawn_ids(at)) == len(load_graph())


def test_search_lights_every_match():
    at = start()
    at.segmented_control(key="w_scope").set_value("all").run()
    at.text_input(key="w_node_q").set_value("script").run()
    import json as _json

    [chart] = at.get("plotly_chart")[:1]
    names = [t.get("name", "") for t in _json.loads(chart.proto.spec)["data"]]
    assert any(n.startswith("search match (") for n in names)
    assert "match" in texts(at)


def test_i_have_it_at_a_level_from_the_details():
    at = start({"target": "junior", "node": "git"})
    before = at.get("progress")[0].proto.text
    at.segmented_control(key="have_git").set_value(2).run()
    assert at.query_params["have"] == "git:2"
    assert at.sidebar.select_slider(key="lvl_git").value == "2 · working"
    assert at.get("progress")[0].proto.text != before
    assert "You have level 2 of 3" in texts(at)


def test_learning_skip_and_done_from_the_details():
    at = start({"target": "junior", "node": "git"})
    at.toggle(key="learning_git").set_value(True).run()
    assert "git" in at.query_params["learn"]
    at.toggle(key="skip_git").set_value(True).run()
    assert "git" in at.query_params["avoid"]
    at = start({"target": "junior", "node": "git"})
    [done] = [b for b in at.button if b.key == "done_git"]
    done.click().run()
    assert at.query_params["have"].startswith("git:")


def test_a_role_can_be_made_the_target_from_its_details():
    at = start({"node": "senior"})
    [aim] = [b for b in at.button if b.key == "aim_senior"]
    aim.click().run()
    assert at.query_params["target"] == "senior"


def test_the_outline_lists_the_same_nodes_for_phones():
    at = start({"target": "junior", "have": "python:2"})
    radios = [r for r in at.radio if str(r.key).startswith("outline_")]
    assert radios
    assert "flask" in [o for r in radios for o in r.options] or any(
        "Flask" in o for r in radios for o in r.options
    )


def test_a_ladder_without_salaries_shows_none(write_file, monkeypatch):
    unpaid = "\n".join(line for line in TINY_YAML.splitlines() if "salary:" not in line)
    monkeypatch.setenv("SKILLTREE_DATA", str(write_file(unpaid)))
    at = start({"view": "compare", "cmp": "junior,senior"})
    assert not at.get("plotly_chart")
    assert "Salary ladder" not in [s.value for s in at.subheader]
    assert "salary band" not in at.dataframe[0].value.columns


FORMULAS = ("=", "+", "-", "@", "\t", "\r")


def test_every_table_is_safe_to_open_in_a_spreadsheet(write_file, monkeypatch):
    hostile = TINY_YAML.replace("name: Python", 'name: \'=HYPERLINK("http://x","y")\'')
    hostile = hostile.replace("name: Junior", "name: '+Junior'").replace(
        "description: Version control.", "description: '@SUM(A1)'"
    )
    monkeypatch.setenv("SKILLTREE_DATA", str(write_file(hostile)))
    seen = 0
    for params in (
        {"view": "path", "target": "senior", "node": "python"},
        {"view": "compare", "cmp": "junior,senior"},
        {"view": "explore", "node": "junior", "target": "senior"},
    ):
        at = start(params)
        for frame in list(at.dataframe) + list(at.get("arrow_data_frame")):
            table = frame.value
            for column in table.columns:
                for cell in table[column]:
                    seen += 1
                    assert not (isinstance(cell, str) and cell.startswith(FORMULAS)), cell
    assert seen > 20


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6 12", "'+33 6 12"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Python", "Python"),
        ("a=b", "a=b"),
        (-3, -3),
        (None, None),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_shown_as_text(value, shown):
    from webapp.ui import cell, safe_rows

    assert cell(value) == shown
    assert safe_rows([{"x": value}]) == [{"x": shown}]


def test_edge_ladders_draw_in_every_scope(write_file, monkeypatch):
    skills = "\n".join(
        f"  - {{id: t{i:03d}, name: Tool number {i}, category: tool, description: A tool.,"
        " hours: [1, 2, 3]}"
        for i in range(500)
    )
    needs = ", ".join(f"{{id: t{i:03d}, level: 1}}" for i in range(500))
    ladder = (
        "format: 1\nname: One role, 500 tools\nroles:\n"
        f"  - {{id: dev, name: Developer, rank: 1, requires: [{needs}]}}\n"
        f"skills:\n{skills}\n"
    )
    monkeypatch.setenv("SKILLTREE_DATA", str(write_file(ladder, "crowded.yaml")))
    at = start({"target": "dev"})
    for scope in ("overview", "plan", "all"):
        at.segmented_control(key="w_scope").set_value(scope).run()
        assert not at.exception, (scope, at.exception)
        assert not at.error, scope
        assert drawn_ids(at)
