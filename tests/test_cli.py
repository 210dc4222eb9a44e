"""The command line: exit codes and output, run as a user would (a subprocess) and in-process."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from skilltree import load_graph
from skilltree.cli import build_parser, main

from .conftest import TINY_YAML
from .conftest import run_cli as run

ROOT = Path(__file__).resolve().parent.parent


def test_module_runs_as_a_program():
    done = subprocess.run(
        [sys.executable, "-m", "skilltree", "validate"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "valid" in done.stdout


def test_validate_good_file_prints_counts(write_file):
    code, out, _ = run("validate", str(write_file(TINY_YAML)))
    assert code == 0
    assert "2 roles, 4 skills, 1 groups, 0 trainings" in out


def test_validate_bad_file_lists_every_problem(write_file):
    bad = TINY_YAML.replace("rank: 2", "rank: -1").replace("{id: python}", "{id: pyton}")
    code, out, err = run("validate", str(write_file(bad)))
    assert code == 1
    assert out == ""
    assert "2 problems" in err
    assert "rank" in err
    assert "pyton" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01\x02", b"[1, 2", b"- just\n- a list\n", b"a: &x [*x]\n", b"{" * 5000],
)
def test_validate_never_shows_a_traceback(write_file, content):
    code, _out, err = run("validate", str(write_file(content)))
    assert code == 1
    assert err.startswith("error:")
    assert "Traceback" not in err


def test_validate_missing_file():
    code, _out, err = run("validate", "no/such/file.yaml")
    assert code == 1
    assert "no/such/file.yaml: cannot read" in err


def test_roles_table_and_json():
    code, out, _ = run("roles")
    assert code == 0
    assert "Junior" in out
    assert "EUR 35K–48K gross/year" in out
    code, out, _ = run("roles", "--json")
    roles = json.loads(out)["roles"]
    assert [r["id"] for r in roles][:3] == ["junior", "confirmed", "senior"]
    assert roles[0]["salary"]["min"] == 35000
    assert roles[0]["next"] == ["confirmed"]


def test_roles_reads_the_data_environment_variable(write_file, monkeypatch):
    monkeypatch.setenv("SKILLTREE_DATA", str(write_file(TINY_YAML)))
    code, out, _ = run("roles", "--json")
    assert code == 0
    assert [r["id"] for r in json.loads(out)["roles"]] == ["junior", "senior"]


def test_graph_node_link_has_every_node_and_attribute():
    code, out, _ = run("graph", "--format", "node-link")
    assert code == 0
    data = json.loads(out)
    G = load_graph()
    assert len(data["nodes"]) == G.number_of_nodes()
    assert len(data["edges"]) == G.number_of_edges()
    django = next(n for n in data["nodes"] if n["id"] == "django")
    assert django["kind"] == "skill"
    assert len(django["hours"]) == 3
    back = nx.node_link_graph(data, edges="edges")
    assert set(back.edges) == set(G.edges)


def test_graph_graphml_loads_back(tmp_path):
    code, out, _ = run("graph", "--format", "graphml")
    assert code == 0
    ET.fromstring(out.encode())
    path = tmp_path / "g.graphml"
    path.write_text(out, encoding="utf-8")
    back = nx.read_graphml(path)
    G = load_graph()
    assert set(back.nodes) == set(G.nodes)
    assert set(back.edges) == set(G.edges)
    assert back.nodes["junior"]["salary_min"] == 35000


def test_schema_command_prints_the_json_schema():
    code, out, _ = run("schema")
    assert code == 0
    assert json.loads(out)["title"] == "skilltree career graph"


@pytest.mark.parametrize(
    "args",
    [[], ["frobnicate"], ["roles", "--nope"], ["graph", "--format", "pdf"]],
)
def test_usage_errors_exit_2(args, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "error:" in err
    assert "Traceback" not in err


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:  # type: ignore[union-attr]
        assert f"python -m skilltree {name}" in readme, name
