"""Text from data stays text: in figures, the app, and every export.

The fixture `tests/fixtures/hostile.yaml` is a valid ladder whose names and descriptions carry
HTML, script tags, event handlers, `javascript:` links, Markdown and MathJax delimiters.
"""

from __future__ import annotations

import contextlib
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from skilltree import Profile, load_graph, plan
from skilltree.export import ExportRequest, export_bytes, markdown_checklist, path_figure
from skilltree.views import graph_figure, layered_layout
from skilltree.views.charts import readiness_figure, salary_figure

from .browsers import BROWSER_FLAGS, ROOT, require_browser, serve_app

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile.yaml"
START = date(2026, 12, 1)
RAW_MARKUP = re.compile(r"<(script|img|svg|iframe|marquee|details|a|b|i)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def G():
    return load_graph(HOSTILE)


def figure_strings(fig) -> list[str]:
    """Every string plotly would render as (a subset of) HTML: texts, hovers, names, titles."""
    out: list[str] = []
    for trace in fig.data:
        for attr in ("text", "hovertext", "name"):
            value = getattr(trace, attr, None)
            if isinstance(value, str):
                out.append(value)
            elif value is not None:
                out += [str(v) for v in value]
    layout = fig.layout
    if layout.title and layout.title.text:
        out.append(layout.title.text)
    out += [a.text for a in layout.annotations or ()]
    out += [str(t) for t in (layout.yaxis.ticktext or ())]
    out += [str(t) for t in (layout.yaxis.categoryarray or ())]
    return out


def assert_no_markup(strings: list[str]) -> None:
    for text in strings:
        # Plotly's own tags (<b>, <br>) may appear, but never one that came from the data:
        # the data's tags all arrive as &lt;…&gt;.
        stripped = text.replace("<br>", "").replace("<b>", "").replace("</b>", "")
        assert not RAW_MARKUP.search(stripped), text


def test_graph_figure_escapes_labels_and_hovers(G):
    fig = graph_figure(G, layered_layout(G), title=G.graph["name"])
    strings = figure_strings(fig)
    assert_no_markup(strings)
    assert any("&lt;script&gt;alert('skill')&lt;/script&gt;" in s for s in strings)


def test_salary_and_readiness_figures_escape_names(G):
    assert_no_markup(figure_strings(salary_figure(G)))
    names = {"junior": G.nodes["junior"]["name"]}
    assert_no_markup(figure_strings(readiness_figure({"junior": 0.5}, names, "junior")))


def test_path_figure_escapes_every_label(G):
    result = plan(G, Profile(), "junior")
    assert_no_markup(figure_strings(path_figure(G, Profile(), result, pace=10, start=START)))


def test_markdown_export_shows_everything_literally(G):
    text = markdown_checklist(G, plan(G, Profile(), "junior"), 10, START)
    assert not RAW_MARKUP.search(text)
    assert "](javascript" not in text
    assert "$" not in text.replace("\\$", "")


def test_svg_export_holds_the_text_as_written(G):
    require_browser()
    data = export_bytes(ExportRequest(G, Profile(), plan(G, Profile(), "junior"), 10, START), "svg")
    root = ET.fromstring(data)
    ns = "{http://www.w3.org/2000/svg}"
    assert not list(root.iter(f"{ns}script"))
    assert not list(root.iter(f"{ns}foreignObject"))
    assert not any(name.lower().startswith("on") for el in root.iter() for name in el.attrib), (
        "an event handler attribute reached the SVG"
    )
    text = "".join(root.itertext())
    assert "<script>alert('skill')</script>" in text
    assert "<img src=x onerror=alert('role')> Junior" in text


def test_pdf_export_has_no_scripts_or_links(G):
    require_browser()
    data = export_bytes(ExportRequest(G, Profile(), plan(G, Profile(), "junior"), 10, START), "pdf")
    assert data.startswith(b"%PDF-")
    for forbidden in (b"/JavaScript", b"/JS ", b"/URI", b"/Launch"):
        assert forbidden not in data


def test_app_shows_hostile_text_escaped(monkeypatch):
    monkeypatch.setenv("SKILLTREE_DATA", str(HOSTILE))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["node"] = "js"
    at.query_params["target"] = "junior"
    at.query_params["have"] = "md"
    at.run()
    assert not at.exception
    shown = [s.value for s in at.subheader] + [m.value for m in at.markdown]
    shown += [c.value for c in at.caption] + [at.sidebar.select_slider[0].label]
    for text in shown:
        assert not RAW_MARKUP.search(text), text
        assert "](javascript" not in text, text
    assert "&lt;script&gt;alert\\('skill'\\)&lt;/script&gt;" in [s.value for s in at.subheader]


@pytest.mark.browser
@pytest.mark.slow
def test_browser_fires_nothing_and_shows_the_text_as_written(tmp_path):
    executable = require_browser()
    sync_api = pytest.importorskip("playwright.sync_api")
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    with serve_app({"SKILLTREE_DATA": str(HOSTILE)}) as served, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(served.url + "/?node=js&target=junior&have=md")
        page.wait_for_selector(
            "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000
        )
        main = page.locator("[data-testid='stMain']")
        sync_api.expect(main).to_contain_text("<script>alert('skill')</script>", timeout=30_000)
        sync_api.expect(main).to_contain_text("[click me](javascript:alert(5)) **bold**")
        sync_api.expect(main).to_contain_text("<b>Hostile</b> ladder")
        # Hover every node so plotly draws each hover label, then look for injected elements.
        page.wait_for_function("() => document.querySelector('.js-plotly-plot')?._fullData")
        points = page.evaluate(
            """() => {
                const gd = document.querySelector('.js-plotly-plot');
                const full = gd._fullLayout, box = gd.getBoundingClientRect(), out = [];
                for (const t of gd._fullData) {
                    if (!t.customdata) continue;
                    for (let i = 0; i < t.x.length; i++) out.push([
                        box.left + full._size.l + full.xaxis.l2p(t.x[i]),
                        box.top + full._size.t + full.yaxis.l2p(t.y[i]),
                    ]);
                }
                return out;
            }"""
        )
        assert len(points) == 4
        hovers = []
        for x, y in points:
            # Off the graph first, so that each label is drawn afresh; then wait for it (a busy
            # machine draws late).
            page.mouse.move(1, 1)
            page.mouse.move(x, y)
            with contextlib.suppress(sync_api.TimeoutError):
                page.wait_for_function(
                    "() => document.querySelector('.hoverlayer')?.textContent", timeout=5_000
                )
            hovers.append(page.locator(".hoverlayer").text_content())
        injected = page.evaluate(
            """() => ({
                pwned: window.pwned === 1,
                images: document.querySelectorAll('img[src="x"]').length,
                iframes: document.querySelectorAll('iframe[src^="javascript"]').length,
                marquees: document.querySelectorAll('marquee').length,
                handlers: Array.from(document.querySelectorAll('[data-testid="stMain"] *'))
                    .filter(el => Array.from(el.attributes)
                        .some(a => a.name.startsWith('on') && a.value.includes('alert'))).length,
                jsLinks: document.querySelectorAll('a[href^="javascript"]').length,
                dataLinks: document.querySelectorAll('a[href*="example.invalid"]').length,
            })"""
        )
        page.screenshot(path=str(ROOT / "test-artifacts" / "hostile.png"), full_page=True)
        browser.close()
    assert dialogs == []
    assert any("<script>alert('skill')</script>" in h for h in hovers), hovers
    assert injected == {
        "pwned": False,
        "images": 0,
        "iframes": 0,
        "marquees": 0,
        "handlers": 0,
        "jsLinks": 0,
        "dataLinks": 0,
    }
