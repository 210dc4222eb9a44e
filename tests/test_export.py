"""Exports of a learning path: images through kaleido, Markdown, JSON, GraphML; CLI `export`."""

from __future__ import annotations

import json
import re
import threading
import xml.etree.ElementTree as ET
import zlib
from datetime import date

import networkx as nx
import pytest

from skilltree import ExportError, Profile, load_graph, plan
from skilltree.export import ExportRequest, export_bytes, format_of, markdown_checklist, path_figure
from skilltree.export.render import NO_BROWSER, Renderer
from skilltree.views.records import plan_json

from .browsers import require_browser
from .conftest import run_cli as run

START = date(2026, 12, 1)


@pytest.fixture(scope="module")
def G():
    return load_graph()


@pytest.fixture(scope="module")
def profile():
    return Profile({"python": 2, "sql": 1, "git": 1})


@pytest.fixture(scope="module")
def junior_plan(G, profile):
    return plan(G, profile, "junior")


@pytest.fixture
def browser():
    return require_browser()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def png_pixels(data: bytes) -> bytes:
    """The decompressed image data (filter bytes and all): enough to tell blank from drawn."""
    chunks, at = [], 8
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        kind = data[at + 4 : at + 8]
        if kind == b"IDAT":
            chunks.append(data[at + 8 : at + 8 + length])
        at += 12 + length
    return zlib.decompress(b"".join(chunks))


def svg_text(data: bytes) -> str:
    root = ET.fromstring(data)
    return " ".join(t for t in root.itertext())


def test_format_comes_from_the_extension():
    assert [format_of(n) for n in ("a.png", "b.SVG", "c.pdf", "d.md", "e.json", "f.graphml")] == [
        "png",
        "svg",
        "pdf",
        "md",
        "json",
        "graphml",
    ]
    with pytest.raises(ExportError, match=r"\.png, \.svg"):
        format_of("plan.docx")
    with pytest.raises(ExportError):
        format_of("no-extension")


def test_path_figure_numbers_steps_in_learning_order(G, profile, junior_plan):
    fig = path_figure(G, profile, junior_plan, pace=10, start=START)
    labels = {
        node: text
        for trace in fig.data
        if trace.customdata is not None
        for (node,), text in zip(trace.customdata, trace.text, strict=True)
    }
    for n, step in enumerate(junior_plan.steps, 1):
        assert re.search(rf"step [0-9, ]*\b{n}\b", labels[step.skill]), (n, step.skill)
    assert labels["junior"].startswith("Target:")
    assert f"{junior_plan.total_hours:,.0f} h" in fig.layout.title.text
    assert "done by" in fig.layout.title.text
    assert any("Back-end developer career ladder" in a.text for a in fig.layout.annotations)


def test_markdown_checklist_lists_steps_in_plan_order(G, junior_plan):
    text = markdown_checklist(G, junior_plan, 10, START)
    boxes = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    assert len(boxes) == len(junior_plan.steps)
    for n, (line, step) in enumerate(zip(boxes, junior_plan.steps, strict=True), 1):
        assert line.startswith(f"- [ ] {n}. **")
        assert f"{step.hours:g} h" in line
    assert text.startswith("# Learning path to Junior back")


def test_markdown_escapes_text_from_the_data(write_file):
    from .conftest import TINY_YAML

    hostile = TINY_YAML.replace(
        "name: Python", "name: '**Py** <script>x</script> [a](javascript:1)'"
    )
    G = load_graph(write_file(hostile))
    text = markdown_checklist(G, plan(G, Profile(), "junior"), 10, START)
    assert "<script>" not in text
    assert "](javascript" not in text
    assert "\\*\\*Py\\*\\*" in text


def test_plan_json_has_the_stable_keys(junior_plan):
    data = json.loads(json.dumps(plan_json(junior_plan, 10, START)))
    assert {"target", "readiness", "total_hours", "exact", "steps"} <= set(data)
    assert data["steps"][0]["done_by"] >= START.isoformat()


def test_graphml_loads_back_with_the_same_nodes_and_edges(G, profile, junior_plan, tmp_path):
    path = tmp_path / "g.graphml"
    path.write_bytes(export_bytes(ExportRequest(G, profile, junior_plan, 10, START), "graphml"))
    back = nx.read_graphml(path)
    assert set(back.nodes) == set(G.nodes)
    assert set(back.edges) == set(G.edges)


@pytest.mark.slow
def test_png_has_the_requested_size_and_is_not_blank(G, profile, junior_plan, browser):
    data = export_bytes(ExportRequest(G, profile, junior_plan, 10, START, 800, 500, 2), "png")
    assert png_size(data) == (1600, 1000)
    assert len(set(png_pixels(data))) > 16


def test_svg_is_vector_text_with_the_target_and_every_step(G, profile, junior_plan, browser):
    data = export_bytes(ExportRequest(G, profile, junior_plan, 10, START), "svg")
    text = svg_text(data)
    assert "<image" not in data.decode("utf-8")
    assert "Junior back-end developer" in text
    for step in junior_plan.steps:
        assert step.name in text, step.name


def test_pdf_is_one_page(G, profile, junior_plan, browser):
    data = export_bytes(ExportRequest(G, profile, junior_plan, 10, START), "pdf")
    assert data.startswith(b"%PDF-")
    assert b"%%EOF" in data[-64:]
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) == 1


@pytest.mark.slow
def test_concurrent_exports_each_get_their_own_figure(G, profile, browser):
    targets = ["junior", "confirmed", "senior", "tech-expert", "engineering-manager", "junior"]
    results: dict[int, bytes] = {}
    errors: list[BaseException] = []

    def work(i: int, target: str) -> None:
        try:
            result = plan(G, profile, target)
            results[i] = export_bytes(ExportRequest(G, profile, result, 5 + i, START), "svg")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i, t)) for i, t in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert errors == []
    for i, target in enumerate(targets):
        title = svg_text(results[i])
        assert f"Learning path to {G.nodes[target]['name']}:" in title
        assert f"at {5 + i} h/week" in title


def test_no_browser_gives_a_clear_message(monkeypatch, G, profile, junior_plan):
    import skilltree.export.render as render

    monkeypatch.setattr(render, "find_browser", lambda: None)
    renderer = Renderer()
    fig = path_figure(G, profile, junior_plan, pace=10, start=START)
    with pytest.raises(ExportError) as info:
        renderer.render(fig, "png", 800, 600)
    assert str(info.value) == NO_BROWSER
    assert "apt-get install chromium" in NO_BROWSER


def test_image_size_out_of_range_is_refused(G, profile, junior_plan):
    fig = path_figure(G, profile, junior_plan, pace=10, start=START)
    with pytest.raises(ExportError, match="out of range"):
        Renderer().render(fig, "png", 0, 600)
    with pytest.raises(ExportError, match="pixels"):
        Renderer().render(fig, "png", 4000, 4000, scale=4)


# --- the command line ------------------------------------------------------------------------


@pytest.mark.parametrize("ext", ["md", "json", "graphml"])
def test_cli_exports_documents(tmp_path, ext):
    out = tmp_path / f"plan.{ext}"
    code, text, err = run("export", "--target", "junior", "--have", "python:2", "--out", str(out))
    assert code == 0, err
    assert f"wrote {out}" in text
    assert out.stat().st_size > 0


def test_cli_exports_a_sharp_png(tmp_path, browser):
    out = tmp_path / "plan.png"
    code, _text, err = run(
        "export", "--target", "junior", "--out", str(out), "--width", "700", "--height", "400",
        "--scale", "2",
    )  # fmt: skip
    assert code == 0, err
    assert png_size(out.read_bytes()) == (1400, 800)


def test_cli_unknown_extension_writes_nothing(tmp_path):
    out = tmp_path / "plan.docx"
    code, _text, err = run("export", "--target", "junior", "--out", str(out))
    assert code == 1
    assert "extension must be one of" in err
    assert list(tmp_path.iterdir()) == []


def test_cli_unwritable_path_is_a_clear_error_and_leaves_nothing(tmp_path):
    missing = tmp_path / "no" / "such" / "plan.md"
    code, _text, err = run("export", "--target", "junior", "--out", str(missing))
    assert code == 1
    assert "does not exist" in err
    taken = tmp_path / "taken.md"
    taken.mkdir()
    code, _text, err = run("export", "--target", "junior", "--out", str(taken))
    assert code == 1
    assert "cannot write" in err
    assert [p.name for p in tmp_path.iterdir()] == ["taken.md"]
    assert list(taken.iterdir()) == []
    assert "Traceback" not in err
