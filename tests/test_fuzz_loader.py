"""Fuzzing the loader: random documents and mutated valid files.

Whatever comes in, only the project's own ``DataError`` may escape, and every problem it reports
names its place (an entry, a field or a line; the file itself for problems of the whole file).
The suite runs a few thousand cases; set ``SKILLTREE_FUZZ_EXAMPLES`` for a longer run (see the
README).
"""

from __future__ import annotations

import copy
import json
import os
import time
from typing import Any

import networkx as nx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skilltree import DataError, graph_from_text
from skilltree.io import DEFAULT_DATA

EXAMPLES = int(os.environ.get("SKILLTREE_FUZZ_EXAMPLES", "400"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BASE: dict[str, Any] = yaml.safe_load(DEFAULT_DATA.read_text(encoding="utf-8"))
SECTIONS = ("roles", "skills", "groups", "training")
# Problems about the whole file, whose place is the file itself.
FILE_LEVEL = (
    "maximum nesting depth",
    "the file is empty",
    "the top level must be a mapping",
    "over the limit",
    "not UTF-8",
    "invalid JSON",
    "invalid YAML",
    "nested",
    "expands to more than",
    "duplicate key",
)


def load(text: str | bytes, name: str) -> nx.DiGraph | None:
    """Load, asserting that nothing but a well-formed DataError escapes."""
    try:
        G = graph_from_text(text, name)
    except DataError as exc:
        problems = exc.problems
    else:
        assert nx.is_frozen(G)
        assert nx.is_directed_acyclic_graph(G)
        return G
    assert problems, "a DataError must carry its problems"
    for problem in problems:
        assert problem.file == name
        assert problem.message.strip()
        placed = bool(problem.where or problem.field or problem.line is not None)
        assert placed or any(f in problem.message for f in FILE_LEVEL), str(problem)
        assert str(problem).startswith(name)
    return None


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=25,
)


@pytest.mark.slow
@FUZZ
@given(values, st.sampled_from(["json", "yaml"]))
def test_random_documents_only_raise_data_errors(document, fmt):
    text = json.dumps(document) if fmt == "json" else yaml.safe_dump(document)
    load(text, f"random.{fmt}")


entry_fields = st.dictionaries(
    st.sampled_from(
        ["id", "name", "rank", "category", "description", "hours", "requires", "options", "pick",
         "next", "teaches", "leads_to", "levels", "salary", "track", "extra"]
    ),
    values,
    max_size=8,
)  # fmt: skip


@pytest.mark.slow
@settings(FUZZ, max_examples=max(EXAMPLES // 2, 50))
@given(
    st.dictionaries(
        st.sampled_from([*SECTIONS, "name", "format", "notes"]),
        st.lists(entry_fields, max_size=4) | values,
        max_size=6,
    )
)
def test_random_structured_documents_only_raise_data_errors(document):
    load(json.dumps(document), "structured.json")


# --- mutations of the default ladder ---------------------------------------------------------


@st.composite
def mutated(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    data = copy.deepcopy(BASE)
    kinds = draw(
        st.lists(
            st.sampled_from(
                ["rename", "break", "retype", "drop", "cycle", "duplicate", "deep", "huge"]
            ),
            min_size=1,
            max_size=3,
        )
    )
    for kind in kinds:
        section = draw(st.sampled_from(SECTIONS))
        entries = data[section]
        index = draw(st.integers(0, len(entries) - 1))
        entry = entries[index]
        if kind == "rename":
            entry["id"] = draw(st.text(min_size=0, max_size=12))
        elif kind == "break":
            links = [k for k in ("requires", "options", "next", "teaches") if entry.get(k)]
            if links:
                link = draw(st.sampled_from(links))
                item = draw(st.integers(0, len(entry[link]) - 1))
                entry[link][item]["id"] = draw(st.text(max_size=12))
        elif kind == "retype":
            field = draw(st.sampled_from(sorted(entry)))
            entry[field] = draw(values)
        elif kind == "drop":
            entry.pop(draw(st.sampled_from(sorted(entry))))
        elif kind == "cycle":
            skills = data["skills"]
            a = draw(st.sampled_from([s for s in skills if s.get("requires")]))
            b_id = a["requires"][0].get("id")
            b = next((s for s in skills if s.get("id") == b_id), None)
            if b is not None and "id" in a:
                b.setdefault("requires", []).append({"id": a["id"], "level": 1})
        elif kind == "duplicate":
            entries.append(copy.deepcopy(entry))
        elif kind == "deep":
            nested: Any = "x"
            for _ in range(draw(st.integers(1, 300))):
                nested = [nested]
            entry[draw(st.sampled_from(sorted(entry)))] = nested
        elif kind == "huge":
            entry[draw(st.sampled_from(["name", "description", "id"]))] = "x" * draw(
                st.integers(100, 200_000)
            )
    return data, "+".join(kinds)


@pytest.mark.slow
@FUZZ
@given(mutated())
def test_mutated_ladders_only_raise_data_errors(case):
    data, _kinds = case
    load(json.dumps(data), "mutated.json")


@pytest.mark.slow
@settings(FUZZ, max_examples=max(EXAMPLES // 10, 25))
@given(mutated())
def test_mutated_ladders_in_yaml_only_raise_data_errors(case):
    data, _kinds = case
    load(yaml.safe_dump(data, sort_keys=False), "mutated.yaml")


@pytest.mark.slow
@settings(FUZZ, max_examples=max(EXAMPLES // 10, 25))
@given(st.data())
def test_duplicate_keys_anywhere_are_reported(data):
    lines = DEFAULT_DATA.read_text(encoding="utf-8").splitlines()
    keyed = [
        i for i, line in enumerate(lines) if line.strip().startswith(("name:", "description:"))
    ]
    at = data.draw(st.sampled_from(keyed))
    lines.insert(at + 1, lines[at])
    with pytest.raises(DataError) as info:
        graph_from_text("\n".join(lines), "dup.yaml")
    (problem,) = info.value.problems
    assert "duplicate key" in problem.message
    assert problem.line == at + 2


def test_cycle_from_a_mutation_is_reported_as_the_cycle():
    data = copy.deepcopy(BASE)
    django = next(s for s in data["skills"] if s["id"] == "django")
    python = next(s for s in data["skills"] if s["id"] == "python")
    python.setdefault("requires", []).append({"id": "django", "level": 1})
    assert django
    with pytest.raises(DataError) as info:
        graph_from_text(json.dumps(data), "cycle.json")
    cycles = [p.message for p in info.value.problems if p.message.startswith("cycle:")]
    assert len(cycles) == 1
    assert "python" in cycles[0]
    assert "django" in cycles[0]


# --- hostile sizes ---------------------------------------------------------------------------


def refused_quickly(text: str | bytes, name: str, words: str) -> None:
    started = time.perf_counter()
    with pytest.raises(DataError) as info:
        graph_from_text(text, name)
    assert time.perf_counter() - started < 10, "refusing must not take long"
    assert any(words in p.message for p in info.value.problems), info.value


def test_billion_laughs_is_refused_quickly():
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    refused_quickly("\n".join(lines) + "\nname: *a9\n", "laughs.yaml", "aliases")


def test_deeply_nested_yaml_and_json_are_refused():
    refused_quickly("name: " + "[" * 5000 + "]" * 5000, "deep.yaml", "nest")
    refused_quickly('{"name": ' + "[" * 100_000 + "]" * 100_000 + "}", "deep.json", "nest")
    block = "".join("  " * i + "- \n" for i in range(200))
    refused_quickly("name:\n" + block, "deep-block.yaml", "nest")


def test_oversized_text_is_refused_before_parsing():
    refused_quickly("name: " + "x" * (9 * 1024 * 1024), "big.yaml", "over the limit")


def test_huge_number_in_json_is_a_data_error():
    refused_quickly('{"name": "x", "format": ' + "9" * 5000 + "}", "n.json", "invalid JSON")
