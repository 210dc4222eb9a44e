"""Shared fixtures: tiny literal data files and graphs."""

from __future__ import annotations

import io
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

#: The app script, as AppTest runs it.
APP = str(Path(__file__).resolve().parent.parent / "app.py")

TINY_YAML = textwrap.dedent(
    """\
    format: 1
    name: Tiny ladder
    roles:
      - id: junior
        name: Junior
        rank: 1
        salary: {min: 35000, max: 48000, source: test}
        requires:
          - {id: language, level: 1}
          - {id: git, level: 1, importance: optional}
        next: [{id: senior, years: 3}]
      - id: senior
        name: Senior
        rank: 2
        requires:
          - {id: language, level: 2}
    skills:
      - id: python
        name: Python
        category: language
        description: A language.
        hours: [40, 100, 200]
      - id: java
        name: Java
        category: language
        description: Another language.
        hours: [60, 150, 300]
      - id: git
        name: Git
        category: tool
        description: Version control.
        hours: [5, 10, 20]
      - id: github
        name: GitHub
        category: tool
        description: Hosting for Git repositories.
        hours: [3, 6, 12]
        requires: [{id: git, level: 1}]
    groups:
      - id: language
        name: A language
        options: [{id: python}, {id: java}]
    """
)


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run the command line in-process: (exit code, standard output, standard error).

    Whatever the arguments, the command line must never print a traceback.
    """
    from skilltree.cli import main

    out, err = io.StringIO(), io.StringIO()
    old, sys.stderr = sys.stderr, err
    try:
        code = main(list(args), out=out)
    finally:
        sys.stderr = old
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _private_ladder_store(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
):
    """Every test (and every app it serves) stores uploaded ladders in its own temporary
    database, never in the user's data directory."""
    monkeypatch.setenv("SKILLTREE_DB", str(tmp_path_factory.mktemp("store") / "ladders.sqlite3"))


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[..., Path]:
    """Write text (or bytes) to a file in a temporary folder and return its path."""

    def write(text: str | bytes, name: str = "data.yaml") -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-screenshot",
        action="store_true",
        default=False,
        help="refresh docs/screenshot.png from the running app (browser tests)",
    )


def start(params: dict[str, str] | None = None) -> AppTest:
    """A first run of the app script with ``params`` in its link; it must raise nothing."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at
