"""The app in a real browser: headless Chromium, driven by Playwright, against `streamlit run`.

These tests read the page as a person would: the first screen, labels on the graph (none may
overlap another or be cut, on the default ladder and on a 153-node ladder of long multilingual
names), zoom that survives a click, details in view after a click, progress set from the graph,
the phone's outline, reloads, shared links and downloads. Screenshots go to test-artifacts/ (and
to docs/ with ``--update-screenshot``); the browser's redraw time after a click is measured and
written to test-artifacts/browser-timings.json.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from skilltree import Profile, load_graph, plan
from skilltree.export.figure import path_size

from .browsers import BROWSER_FLAGS, ROOT, require_browser, serve_app
from .hard_ladders import write_long_label_ladder

expect = pytest.importorskip("playwright.sync_api").expect

# A real browser against a running app: seconds per test, so not in the quick run.
pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = ROOT / "test-artifacts"
DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = require_browser()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=BROWSER_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    ARTIFACTS.mkdir(exist_ok=True)
    with serve_app({"SKILLTREE_DB": "off"}) as served:
        yield served.url


@pytest.fixture(scope="module")
def long_url(tmp_path_factory) -> Iterator[str]:
    path = write_long_label_ladder(tmp_path_factory.mktemp("ladder") / "long.json")
    with serve_app({"SKILLTREE_DATA": str(path), "SKILLTREE_DB": "off"}) as served:
        yield served.url


def new_page(browser, viewport: dict[str, int] = DESKTOP):
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    return page


@pytest.fixture
def page(browser):
    page = new_page(browser)
    yield page
    page.context.close()


def wait_ready(page) -> None:
    """Wait until the page has content, the script has finished running and nothing on the
    page is still a placeholder."""
    page.wait_for_selector("h1:has-text('skilltree')", timeout=60_000)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stApp]')"
        ".getAttribute('data-test-script-state') === 'notRunning'"
        " && document.querySelectorAll('[data-testid=stSkeleton]').length === 0",
        timeout=60_000,
    )
    page.wait_for_timeout(300)


def wait_graph(page) -> None:
    page.wait_for_function(
        "() => { const gd = document.querySelector('.st-key-graph_area .js-plotly-plot');"
        " return gd && gd._fullLayout && gd._fullData && gd._fullData.length > 0"
        " && gd.querySelectorAll('.textpoint text').length > 0; }",
        timeout=30_000,
    )
    page.wait_for_timeout(500)


def assert_no_error(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0


GRAPH = "document.querySelector('.st-key-graph_area .js-plotly-plot')"

NODE_POSITION_JS = f"""(id) => {{
    const gd = {GRAPH};
    if (!gd || !gd._fullLayout || !gd._fullData) return null;
    const full = gd._fullLayout;
    for (const trace of gd._fullData) {{
        const ids = trace.customdata || [];
        for (let i = 0; i < ids.length; i++) {{
            const value = Array.isArray(ids[i]) ? ids[i][0] : ids[i];
            if (value === id) {{
                const box = gd.getBoundingClientRect();
                return {{
                    x: box.left + full._size.l + full.xaxis.l2p(trace.x[i]),
                    y: box.top + full._size.t + full.yaxis.l2p(trace.y[i]),
                }};
            }}
        }}
    }}
    return null;
}}"""

#: Every label on the graph: how many, how many pairs overlap, how many are cut with "…".
LABELS_JS = f"""() => {{
    const gd = {GRAPH};
    const boxes = Array.from(gd.querySelectorAll('.textpoint text')).map(t => {{
        const r = t.getBoundingClientRect();
        return [r.left, r.top, r.right, r.bottom, t.textContent];
    }}).filter(b => b[2] > b[0]);
    const pairs = [];
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {{
        const a = boxes[i], b = boxes[j];
        if (Math.min(a[2], b[2]) - Math.max(a[0], b[0]) > 0.5
            && Math.min(a[3], b[3]) - Math.max(a[1], b[1]) > 0.5) pairs.push([a[4], b[4]]);
    }}
    return {{count: boxes.length, overlaps: pairs.slice(0, 5), overlapping: pairs.length,
             cut: boxes.filter(b => b[4].includes('…')).map(b => b[4])}};
}}"""

RANGES_JS = f"""() => {{ const l = {GRAPH}._fullLayout;
    return [l.xaxis.range.slice(), l.yaxis.range.slice()]; }}"""


def click_node(page, node_id: str) -> None:
    """Click the marker of ``node_id`` on the graph, where plotly drew it."""
    wait_graph(page)
    # The chart wires its selection handler a moment after it is drawn, and the page may still
    # shift: find the node afresh and hover it (plotly clicks what it hovers) until it answers.
    for _attempt in range(6):
        where = page.evaluate(NODE_POSITION_JS, node_id)
        assert where is not None, f"{node_id} is not drawn"
        page.mouse.move(where["x"], where["y"])
        page.wait_for_timeout(300)
        page.mouse.click(where["x"], where["y"])
        try:
            page.wait_for_url(f"**node={node_id}**", timeout=4_000)
            wait_ready(page)
            return
        except Exception:
            page.wait_for_timeout(500)
    raise AssertionError(f"clicking {node_id} on the graph selected nothing")


def show(page, scope: str) -> None:
    """Pick what the graph shows: Overview, My plan or All."""
    page.locator("[data-testid='stButtonGroup'] button", has_text=scope).first.click()
    wait_ready(page)
    wait_graph(page)


def assert_labels_read_whole(page, expected: int) -> None:
    labels = page.evaluate(LABELS_JS)
    assert labels["count"] == expected, labels
    assert labels["overlapping"] == 0, labels["overlaps"]
    assert labels["cut"] == [], labels["cut"]


def test_first_screen_asks_where_you_are_and_where_you_go(page, app_url, request):
    page.goto(app_url)
    wait_ready(page)
    wait_graph(page)
    welcome = page.locator(".st-key-welcome")
    expect(welcome).to_contain_text("Where are you now?")
    expect(welcome).to_contain_text("Where do you want to go?")
    expect(welcome.locator("input[placeholder='— choose a role —']")).to_have_count(2)
    placeholders = page.evaluate(
        "() => Array.from(document.querySelectorAll('input')).map(i => i.placeholder)"
    )
    assert "Choose an option" not in placeholders
    labels = page.evaluate(LABELS_JS)
    assert labels["overlapping"] == 0, labels["overlaps"]
    assert labels["cut"] == []
    # The first picture is the ladder with its categories folded: it fits the page.
    assert labels["count"] < 40
    assert_no_error(page)
    page.screenshot(path=str(ARTIFACTS / "first-screen.png"))
    if request.config.getoption("--update-screenshot", default=False):
        page.screenshot(path=str(ROOT / "docs" / "first-screen.png"))


def test_every_label_of_the_default_ladder_reads_whole(page, app_url):
    page.goto(app_url)
    wait_ready(page)
    show(page, "All")
    assert_labels_read_whole(page, load_graph().number_of_nodes())
    page.screenshot(path=str(ARTIFACTS / "explore-all.png"))


def test_every_label_of_a_long_label_ladder_reads_whole(browser, long_url):
    page = new_page(browser)
    page.goto(long_url)
    wait_ready(page)
    show(page, "All")
    assert_labels_read_whole(page, 153)
    page.screenshot(path=str(ARTIFACTS / "explore-long-labels.png"))
    show(page, "Overview")
    labels = page.evaluate(LABELS_JS)
    assert labels["overlapping"] == 0, labels["overlaps"]
    assert labels["cut"] == []
    assert_no_error(page)
    page.context.close()


def test_click_a_cluster_then_a_node_opens_its_details_in_view(page, app_url):
    page.goto(app_url)
    wait_ready(page)
    wait_graph(page)
    # The overview folds the frameworks into one cluster: a click shows them.
    where = page.evaluate(NODE_POSITION_JS, "cluster:framework")
    page.mouse.move(where["x"], where["y"])
    page.wait_for_timeout(300)
    page.mouse.click(where["x"], where["y"])
    page.wait_for_function(f"() => ({NODE_POSITION_JS})('django') !== null", timeout=30_000)
    wait_ready(page)
    click_node(page, "django")
    drawer = page.locator(".st-key-drawer")
    heading = drawer.locator("h3", has_text="Django")
    expect(heading).to_be_visible(timeout=30_000)
    box = heading.bounding_box()
    assert box is not None
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= DESKTOP["height"]
    expect(drawer).to_contain_text("Needs first:")
    expect(drawer).to_contain_text("Python 1")
    assert "node=django" in page.url
    # The selection survives the redraw: the details stay after the figure is rebuilt.
    page.get_by_role("button", name="Options").click()
    page.get_by_text("Kind", exact=True).click()
    wait_ready(page)
    expect(heading).to_be_visible(timeout=30_000)
    assert_no_error(page)
    page.screenshot(path=str(ARTIFACTS / "explore-django.png"))


def test_zoom_survives_a_click_and_the_redraw_is_timed(page, app_url):
    page.goto(app_url + "/?have=python:2,sql:1,git:1&target=junior")
    wait_ready(page)
    show(page, "All")
    box = page.locator(".st-key-graph_area .js-plotly-plot").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -300)
    page.wait_for_timeout(800)
    page.mouse.move(box["x"] + 100, box["y"] + 100)
    page.mouse.down()
    page.mouse.move(box["x"] + 160, box["y"] + 130, steps=5)
    page.mouse.up()
    page.wait_for_timeout(500)
    zoomed = page.evaluate(RANGES_JS)
    # A node in view, away from the edges of the chart.
    target = page.evaluate(
        f"""() => {{ const gd = {GRAPH}, full = gd._fullLayout, box = gd.getBoundingClientRect();
            for (const t of gd._fullData) {{ if (!t.customdata) continue;
              for (let i = 0; i < t.x.length; i++) {{
                const x = box.left + full._size.l + full.xaxis.l2p(t.x[i]);
                const y = box.top + full._size.t + full.yaxis.l2p(t.y[i]);
                if (x > box.left + 40 && x < box.left + box.width * 0.6
                    && y > box.top + 60 && y < box.top + box.height - 120)
                    return [t.customdata[i][0], t.text[i]];
              }} }} return null; }}"""
    )
    assert target is not None, "no node in view after zooming"
    node, name = target
    # Time, in the page, from the click to the details of the node being on screen.
    page.evaluate(
        """(name) => { window.clickedAt = null; window.detailsAt = null;
            const poll = setInterval(() => {
                const h = document.querySelector('.st-key-drawer h3');
                if (window.clickedAt !== null && h && h.textContent.includes(name)) {
                    window.detailsAt = performance.now(); clearInterval(poll);
                }
            }, 5);
            document.addEventListener('mousedown',
                () => { if (window.clickedAt === null) window.clickedAt = performance.now(); },
                {capture: true});
        }""",
        name.split("&")[0],
    )
    page.evaluate(
        f"() => {{ window.chart = {GRAPH}; window.redraws = 0;"
        " window.chart.on('plotly_afterplot', () => { window.redraws += 1; }); }"
    )
    click_node(page, node)
    page.wait_for_function("() => window.detailsAt !== null", timeout=30_000)
    page.wait_for_timeout(1000)
    after = page.evaluate(RANGES_JS)
    for axis in (0, 1):
        assert after[axis] == pytest.approx(zoomed[axis], rel=1e-6, abs=1e-6), (zoomed, after)
    heading = page.locator(".st-key-drawer h3").first
    expect(heading).to_be_visible()
    top = heading.bounding_box()
    assert top is not None
    assert top["y"] + top["height"] <= DESKTOP["height"]
    took = page.evaluate("() => window.detailsAt - window.clickedAt")
    same, redraws = page.evaluate(f"() => [{GRAPH} === window.chart, window.redraws]")
    # The figure is the same after a click: the chart is neither rebuilt nor redrawn.
    assert same
    timings = {"click_to_details_on_screen_ms": round(took, 1), "chart_redraws": redraws}
    (ARTIFACTS / "browser-timings.json").write_text(json.dumps(timings, indent=2))
    print("browser timings:", timings)
    assert_no_error(page)


def test_progress_is_set_from_the_details(page, app_url):
    page.goto(app_url + "/?target=junior&node=git")
    wait_ready(page)
    bar = page.locator("[data-testid='stProgress']").first
    before = bar.inner_text()
    drawer = page.locator(".st-key-drawer")
    drawer.get_by_role("radio", name="2 · working").click()
    page.wait_for_url("**have=git%3A2**", timeout=30_000)
    wait_ready(page)
    assert bar.inner_text() != before
    expect(drawer).to_contain_text("You have level 2 of 3")
    drawer.get_by_text("Learning it now").click()
    page.wait_for_url("**learn=**", timeout=30_000)
    assert_no_error(page)


def test_phone_shows_the_outline_without_horizontal_overflow(browser, app_url):
    page = new_page(browser, PHONE)
    page.goto(app_url + "/?have=python:2,sql:1,git:1&target=junior")
    wait_ready(page)
    page.wait_for_timeout(1000)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
    outline = page.locator(".st-key-outline_area")
    expect(outline).to_be_visible()
    expect(page.locator(".st-key-graph_area")).to_be_hidden()
    expect(outline).to_contain_text("Junior back-end developer")
    page.screenshot(path=str(ARTIFACTS / "phone-outline.png"))
    outline.locator("label", has_text="Flask").first.click()
    page.wait_for_url("**node=flask**", timeout=30_000)
    wait_ready(page)
    heading = page.locator(".st-key-drawer h3", has_text="Flask")
    expect(heading).to_be_visible()
    box = heading.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"]
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
    page.screenshot(path=str(ARTIFACTS / "phone-details.png"))
    for view in ("My path", "Compare"):
        page.get_by_text(view, exact=True).click()
        wait_ready(page)
        page.wait_for_timeout(800)
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], (view, widths)
    assert_no_error(page)
    page.context.close()


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select box or multiselect labelled ``label``."""
    box = page.get_by_role("combobox", name=label).first
    box.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).first.click()
    wait_ready(page)


def test_first_answers_give_a_plan_that_survives_reload(page, app_url):
    page.goto(app_url)
    wait_ready(page)
    choose(page, "or the skills you have", "Python")
    page.keyboard.press("Escape")
    wait_ready(page)
    choose(page, "Where do you want to go?", "Senior back-end developer")
    page.get_by_text("My path", exact=True).click()
    wait_ready(page)
    main = page.locator("[data-testid='stMain']")
    expect(main).to_contain_text("Plan to Senior back-end developer", timeout=30_000)
    expect(main).to_contain_text("What to learn next")
    expect(main).to_contain_text("Toward Senior back-end developer")
    assert "target=senior" in page.url
    assert "have=python" in page.url
    page.screenshot(path=str(ARTIFACTS / "my-path.png"))

    page.reload()
    wait_ready(page)
    expect(main).to_contain_text("Plan to Senior back-end developer", timeout=30_000)
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar).to_contain_text("Python", timeout=30_000)
    assert "target=senior" in page.url
    assert_no_error(page)
    assert page.dialogs == []


def test_shared_link_shows_the_same_state(page, app_url):
    page.goto(app_url + "/?have=python:2,sql:1&target=junior&view=path&pace=5")
    wait_ready(page)
    page.get_by_text("Plan to Junior back-end developer").wait_for(timeout=30_000)
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar).to_contain_text("2 · working", timeout=30_000)
    expect(sidebar).to_contain_text("SQL")
    assert_no_error(page)


def test_bad_link_warns_and_keeps_working(page, app_url):
    page.goto(app_url + "/?have=cobol:9&target=%3Cscript%3Ealert(1)%3C/script%3E")
    wait_ready(page)
    body = page.locator("[data-testid='stMain']")
    expect(body).to_contain_text("cobol", timeout=30_000)
    expect(body).to_contain_text("<script>alert(1)</script>")
    assert page.dialogs == []
    assert_no_error(page)


def test_screenshot_for_the_readme(page, app_url, request):
    if not request.config.getoption("--update-screenshot", default=False):
        pytest.skip("run with --update-screenshot to refresh docs/screenshot.png")
    page.goto(app_url + "/?have=python:2,sql:1,git:1&target=junior")
    wait_ready(page)
    click_node(page, "flask")
    page.mouse.move(5, 500)  # no hover label over the picture
    page.wait_for_timeout(1500)
    Path(ROOT / "docs").mkdir(exist_ok=True)
    page.screenshot(path=str(ROOT / "docs" / "screenshot.png"))


def test_download_the_path_as_png_at_the_size_the_plan_needs(page, app_url, tmp_path):
    page.goto(app_url + "/?have=python:2,sql:1&target=junior&view=export")
    wait_ready(page)
    button = page.get_by_role("button", name="Image (PNG)")
    expect(button).to_be_enabled(timeout=30_000)
    with page.expect_download(timeout=120_000) as info:
        button.click()
    path = tmp_path / "path.png"
    info.value.save_as(path)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    size = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    G = load_graph()
    profile = Profile({"python": 2, "sql": 1})
    width, height = path_size(G, profile, plan(G, profile, "junior"), 10.0, date.today())
    assert size == (2 * width, 2 * height)  # the plan's own size at the default scale of 2
    assert info.value.suggested_filename == "skilltree-path-junior.png"
    assert_no_error(page)
    page.screenshot(path=str(ARTIFACTS / "export.png"))
