"""Bounded work per request: whatever a visitor sends, the work it costs has a ceiling.

Each test pins a defect found by trying the server as an attacker would: a huge file of empty
entries, thousands of unknown references, a long link of unknown ids, a slow check.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
import time

import pytest

from skilltree import DataError, clean_profile, graph_from_data, graph_from_text, load_graph
from skilltree.io.build import MAX_PROBLEMS
from skilltree.views.text import markdown_escape

from .conftest import run_cli


def _measure(code: str) -> dict[str, float]:
    """Run ``code`` in a fresh interpreter; its CPU seconds and peak memory (MiB)."""
    wrapper = textwrap.dedent(
        """\
        import json, resource, sys, time
        sys.path.insert(0, {root!r})
        start = time.process_time()
        {code}
        try:  # this process's own peak: ru_maxrss also counts the parent's, from before the fork
            with open("/proc/self/status") as status:
                peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
        except (OSError, StopIteration):
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({{"cpu": time.process_time() - start, "mib": peak / 1024}}))
        """
    ).format(root=os.getcwd(), code=textwrap.indent(code, "").replace("\n", "\n"))
    done = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_a_five_megabyte_file_of_empty_entries_is_refused_quickly(fmt):
    code = textwrap.dedent(
        f"""\
        from skilltree import DataError, graph_from_text
        n = 4_900_000 // 5
        if {fmt!r} == "json":
            raw = ('{{"name": "x", "skills": [' + ",".join(["{{}}"] * n) + "]}}").encode()
        else:
            raw = ("name: x\\nskills:\\n" + "- {{}}\\n" * n).encode()
        try:
            graph_from_text(raw, "big.{fmt}")
        except DataError as exc:
            assert len(exc.problems) <= {MAX_PROBLEMS + 1}
        else:
            raise AssertionError("accepted")
        """
    )
    figures = _measure(code)
    assert figures["cpu"] < 2.0, figures
    assert figures["mib"] < 300, figures


def test_problems_are_capped_and_say_so():
    data = {"name": "x", "skills": [{} for _ in range(5000)]}
    with pytest.raises(DataError) as caught:
        graph_from_data(data)
    problems = caught.value.problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert "stopped after 1,000 problems" in str(problems[-1])


def test_thousands_of_unknown_references_cost_little():
    skills = [
        {"id": f"s{i}", "name": f"S{i}", "category": "tool", "description": "", "hours": [1, 2, 3]}
        for i in range(3000)
    ]
    role = {
        "id": "dev",
        "name": "Dev",
        "rank": 1,
        "requires": [{"id": f"missing-{i}"} for i in range(3000)],
    }
    start = time.process_time()
    with pytest.raises(DataError) as caught:
        graph_from_data({"name": "x", "roles": [role], "skills": skills})
    assert time.process_time() - start < 2.0
    assert "unknown group/skill 'missing-0'" in str(caught.value.problems[0])


def test_a_link_of_unknown_ids_costs_little_on_a_large_ladder():
    skills = [
        {
            "id": f"s{i}",
            "name": f"Skill {i}",
            "category": "tool",
            "description": "",
            "hours": [1, 2, 3],
        }
        for i in range(8000)
    ]
    G = graph_from_data({"name": "x", "skills": skills})
    pairs = [(f"nothing-{i}", 1) for i in range(1999)]
    start = time.process_time()
    _profile, problems = clean_profile(G, pairs)
    assert time.process_time() - start < 1.0
    assert len(problems) <= 25
    assert problems[-1].startswith("… and")


def test_a_check_past_its_time_limit_stops_with_a_clear_message():
    skills = [
        {"id": f"s{i}", "name": f"S{i}", "category": "tool", "description": "", "hours": [1, 2, 3]}
        for i in range(5000)
    ]
    raw = json.dumps({"name": "x", "skills": skills})
    with pytest.raises(DataError, match=r"took more than 0\.001 s"):
        graph_from_text(raw, "slow.json", time_limit=0.001)


def test_markdown_escape_leaves_no_carriage_return():
    assert "\r" not in markdown_escape("a\rb\r\nc")


def test_json_output_is_standard_json():
    code, out, _err = run_cli("roles", "--json")
    assert code == 0
    json.loads(out, parse_constant=lambda name: pytest.fail(f"non-standard {name}"))


def test_exports_are_written_with_the_umask_mode(tmp_path):
    old = os.umask(0o022)
    try:
        code, _out, err = run_cli("export", "--target", "junior", "--out", str(tmp_path / "p.md"))
    finally:
        os.umask(old)
    assert code == 0, err
    assert stat.S_IMODE((tmp_path / "p.md").stat().st_mode) == 0o644


def test_the_default_ladder_still_loads_well_inside_the_budgets():
    start = time.process_time()
    load_graph()
    assert time.process_time() - start < 2.0
