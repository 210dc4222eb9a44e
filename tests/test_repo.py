"""The repository keeps its promises: the README's commands, CI, lint and types."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_readme_starts_with_the_two_commands():
    start, test = readme_commands()[:2]
    assert start.startswith("python3 -m venv .venv && ")
    assert test.startswith("python3 -m venv .venv && ")
    assert test.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command():
    test = readme_commands()[1]
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in script.splitlines()


def _tool(name: str) -> str:
    path = Path(sys.executable).parent / name
    found = str(path) if path.exists() else shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed (it comes with requirements-dev.txt)")
    return found


def test_ruff_lint_is_clean():
    done = subprocess.run(
        [_tool("ruff"), "check", "--quiet", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format_is_clean():
    done = subprocess.run(
        [_tool("ruff"), "format", "--check", "--quiet", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_library_type_checks():
    done = subprocess.run(
        [_tool("mypy"), "--no-error-summary"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(','.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return {name.split(".")[0] for name in done.stdout.strip().split(",")}


def test_the_engine_imports_no_ui_or_plotting_library():
    loaded = _loaded_after("import skilltree, skilltree.io")
    assert not loaded & {"plotly", "streamlit", "pandas"}


def test_the_command_line_imports_no_ui_toolkit():
    assert "streamlit" not in _loaded_after("import skilltree.cli")


def _imports(path: Path) -> list[tuple[str, str, int]]:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.module, alias.name, node.lineno) for alias in node.names]
    return found


def test_the_app_imports_only_public_names_of_the_library():
    import importlib

    files = [ROOT / "app.py", *sorted((ROOT / "webapp").rglob("*.py"))]
    private = []
    for path in files:
        for module, name, line in _imports(path):
            if not module.startswith("skilltree"):
                continue
            public = getattr(importlib.import_module(module), "__all__", ())
            if name.startswith("_") or name not in public:
                private.append(f"{path.relative_to(ROOT)}:{line}: {module}.{name}")
    assert not private, "\n".join(private)
