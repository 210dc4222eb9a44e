"""A long run of random interactions with the app script under AppTest: never an exception.

One session clicks through views, nodes, skills, levels, targets, paces, filters and links the
way a restless user would. ``SKILLTREE_APP_STEPS`` sets how many interactions (default 400).
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from skilltree import load_graph, node_ids

APP = str(Path(__file__).resolve().parent.parent / "app.py")
STEPS = int(os.environ.get("SKILLTREE_APP_STEPS", "400"))
LEVELS = ["1 · basics", "2 · working", "3 · advanced"]


@pytest.mark.slow
def test_hundreds_of_random_interactions_raise_nothing():
    G = load_graph()
    skills = node_ids(G, "skill")
    roles = node_ids(G, "role")
    nodes = sorted(G.nodes)
    rng = random.Random(20261129)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    done: dict[str, int] = {}
    for step in range(STEPS):
        action = rng.choice(
            ["view", "node", "skills", "level", "target", "role", "pace", "optional", "filter",
             "focus", "color", "compare"]
        )  # fmt: skip
        views = at.radio(key="w_view")
        if action == "view":
            views.set_value(rng.choice(["explore", "path", "compare", "export"]))
        elif action == "node" and views.value == "explore":
            at.selectbox(key="w_node").set_value(rng.choice([None, *nodes]))
        elif action == "skills":
            chosen = rng.sample(skills, rng.randint(0, 8))
            at.sidebar.multiselect(key="w_skills").set_value(chosen)
        elif action == "level":
            current = at.sidebar.multiselect(key="w_skills").value
            if current:
                slider = at.sidebar.select_slider(key=f"lvl_{rng.choice(current)}")
                slider.set_value(rng.choice(LEVELS))
        elif action == "target":
            at.sidebar.selectbox(key="w_target").set_value(rng.choice([None, *roles]))
        elif action == "role":
            at.sidebar.selectbox(key="w_role").set_value(rng.choice([None, *roles]))
        elif action == "pace":
            at.sidebar.number_input(key="w_pace").set_value(float(rng.randint(1, 60)))
        elif action == "optional":
            at.sidebar.toggle(key="w_opt").set_value(rng.random() < 0.5)
        elif action == "filter" and views.value == "explore":
            options = at.multiselect(key="w_filter").options
            at.multiselect(key="w_filter").set_value(rng.sample(options, rng.randint(0, 3)))
        elif action == "focus" and views.value == "explore":
            toggle = at.toggle(key="w_focus")
            if not toggle.disabled:
                toggle.set_value(not toggle.value)
        elif action == "color" and views.value == "explore":
            at.radio(key="w_color").set_value(rng.choice(["status", "kind"]))
        elif action == "compare" and views.value == "compare":
            at.multiselect(key="w_cmp").set_value(rng.sample(roles, rng.randint(0, 4)))
        else:
            continue
        at.run()
        done[action] = done.get(action, 0) + 1
        assert not at.exception, f"step {step} ({action}): {at.exception}"
        assert not at.error, f"step {step} ({action}): {[e.value for e in at.error]}"
    assert sum(done.values()) >= STEPS * 0.6, done
