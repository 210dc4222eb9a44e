"""The URL state: random and malicious query parameters are dropped with warnings, never raised."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from skilltree import Profile, load_graph
from webapp.pages import PAGES
from webapp.state import MAX_PARAM_CHARS, AppState, params_from_state
from webapp.state import state_from_params as _state_from_params

VIEWS = tuple(PAGES)


def state_from_params(G, params):
    return _state_from_params(G, params, VIEWS)


G = load_graph()
APP = str(Path(__file__).resolve().parent.parent / "app.py")
KEYS = ["have", "role", "target", "pace", "opt", "node", "view", "cmp"]
NASTY = [
    "",
    ",,,",
    "python:",
    ":2",
    "python:2:3",
    "python:-1",
    "python:1e9",
    "python:²",
    "python:" + "9" * 5000,
    "%00",
    "\x00\x01",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "../../etc/passwd",
    "nan",
    "inf",
    "-inf",
    "1e400",
    "😀" * 50,
    "python:2," * 3000,
]
text = st.one_of(st.text(max_size=60), st.sampled_from(NASTY))
params = st.dictionaries(
    st.one_of(st.sampled_from(KEYS), st.text(max_size=12)),
    st.one_of(text, st.lists(text, max_size=4)),
    max_size=10,
)


@pytest.mark.slow
@settings(max_examples=1500, deadline=None)
@given(params)
def test_random_parameters_give_a_valid_state_and_warnings(query):
    state, warnings = state_from_params(G, query)
    assert all(isinstance(w, str) and w for w in warnings)
    assert all(skill in G and G.nodes[skill]["kind"] == "skill" for skill in state.profile.skills)
    assert all(1 <= level <= 3 for level in state.profile.skills.values())
    assert state.target is None or G.nodes[state.target]["kind"] == "role"
    assert state.profile.role is None or G.nodes[state.profile.role]["kind"] == "role"
    assert 0 < state.pace <= 168
    assert state.view in VIEWS
    assert state.selected is None or state.selected in G
    assert all(G.nodes[r]["kind"] == "role" for r in state.compare)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from(sorted(n for n in G if G.nodes[n]["kind"] == "skill")),
                    st.integers(1, 3), max_size=10),
    st.sampled_from([None, "junior", "senior"]),
    st.floats(min_value=0.5, max_value=168),
    st.booleans(),
    st.sampled_from(VIEWS),
)  # fmt: skip
def test_state_survives_the_round_trip_through_the_url(skills, target, pace, optional, view):
    state = AppState(Profile(skills), target, round(pace, 2), optional, None, view)
    back, warnings = state_from_params(G, params_from_state(state))
    assert warnings == []
    assert back == state


def test_repeated_keys_take_the_last_value():
    state, warnings = state_from_params(G, {"target": ["junior", "senior"]})
    assert state.target == "senior"
    assert warnings == []


def test_oversized_value_is_dropped_with_a_warning():
    state, warnings = state_from_params(G, {"have": "python:1," * MAX_PARAM_CHARS})
    assert state.profile.skills == {}
    assert any("over" in w for w in warnings)


@pytest.mark.parametrize(
    "query",
    [
        {"have": "python:" + "9" * 5000},
        {"have": "python:²,sql:1"},
        {"pace": "1e400", "view": "<b>x</b>", "node": "%00"},
        {"target": "javascript:alert(1)", "cmp": "junior,,senior,ceo,junior"},
        {"have": "😀:2", "role": "😀", "opt": "yes"},
        {"a" * 100: "b" * 100, "have": "sql"},
    ],
)
def test_malicious_links_warn_and_the_app_keeps_working(query):
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert not at.error
    assert at.title[0].value == "skilltree"


def test_upload_over_the_cap_is_refused_and_the_data_kept():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["target"] = "junior"
    at.run()
    big = b"# padding\n" * (600 * 1024)
    upload = next(u for u in at.get("file_uploader") if "data_upload" in u.id)
    upload.set_value(("big.yaml", big, "application/yaml")).run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert "over the" in errors
    assert "keeping the current data" in errors
    assert "Back-end developer career ladder" in " ".join(c.value for c in at.caption).replace(
        "\\", ""
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("broken.yaml", b"roles: [\n"),
        ("binary.json", bytes(range(256))),
        ("list.yaml", b"- a\n- b\n"),
        ("empty.json", b""),
    ],
)
def test_malformed_uploads_are_refused_with_a_message(name, content):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    upload = next(u for u in at.get("file_uploader") if "data_upload" in u.id)
    upload.set_value((name, content, "application/octet-stream")).run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert f"{name} is invalid; keeping the current data" in errors
