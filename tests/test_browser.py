"""The app in a real browser: headless Chromium, driven by Playwright, against `streamlit run`.

These tests click the plotly graph, fill the sidebar, reload, and read what the page shows.
Screenshots are saved under test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .browsers import BROWSER_FLAGS, ROOT, require_browser, serve_app

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"


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
    with serve_app() as served:
        yield served.url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1100}, accept_downloads=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


def wait_ready(page) -> None:
    """Wait until the page has content and the script has finished running."""
    page.wait_for_selector("h1:has-text('skilltree')", timeout=30_000)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000
    )
    page.wait_for_timeout(300)


def assert_no_error(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0


NODE_POSITION_JS = """(id) => {
    const gd = document.querySelector('.js-plotly-plot');
    if (!gd || !gd._fullLayout || !gd._fullData) return null;
    const full = gd._fullLayout;
    for (const trace of gd._fullData) {
        const ids = trace.customdata || [];
        for (let i = 0; i < ids.length; i++) {
            const value = Array.isArray(ids[i]) ? ids[i][0] : ids[i];
            if (value === id) {
                const box = gd.getBoundingClientRect();
                return {
                    x: box.left + full._size.l + full.xaxis.l2p(trace.x[i]),
                    y: box.top + full._size.t + full.yaxis.l2p(trace.y[i]),
                };
            }
        }
    }
    return null;
}"""


def click_node(page, node_id: str) -> None:
    """Click the marker of ``node_id`` on the first plotly graph, where plotly drew it."""
    page.wait_for_function(
        "() => { const gd = document.querySelector('.js-plotly-plot');"
        " return gd && gd._fullLayout && gd._fullData && gd._fullData.length > 0; }",
        timeout=30_000,
    )
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
            return
        except Exception:
            page.wait_for_timeout(500)
    raise AssertionError(f"clicking {node_id} on the graph selected nothing")


def test_click_a_node_opens_its_details(page, app_url):
    page.goto(app_url)
    wait_ready(page)
    click_node(page, "django")
    main = page.locator("[data-testid='stMain']")
    expect(main.locator("h3", has_text="Django")).to_be_visible(timeout=30_000)
    expect(main).to_contain_text("Needs first:")
    expect(main).to_contain_text("Python 1")
    assert "node=django" in page.url
    # The selection survives the redraw: the details stay after the figure is rebuilt.
    page.get_by_text("Kind", exact=True).click()
    wait_ready(page)
    expect(main.locator("h3", has_text="Django")).to_be_visible(timeout=30_000)
    assert_no_error(page)
    page.screenshot(path=str(ARTIFACTS / "explore-django.png"))


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select box or multiselect labelled ``label``."""
    box = page.get_by_label(label, exact=False).first
    box.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).first.click()
    wait_ready(page)


def test_profile_and_target_give_a_plan_that_survives_reload(page, app_url):
    page.goto(app_url)
    wait_ready(page)
    choose(page, "Skills you have", "Python")
    page.keyboard.press("Escape")
    choose(page, "Target role", "Senior back-end developer")
    page.get_by_text("My path", exact=True).click()
    wait_ready(page)
    main = page.locator("[data-testid='stMain']")
    expect(main).to_contain_text("Plan to Senior back-end developer", timeout=30_000)
    expect(main).to_contain_text("What to learn next")
    assert "target=senior" in page.url
    assert "have=python" in page.url
    page.screenshot(path=str(ARTIFACTS / "my-path.png"), full_page=True)

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
    page.set_viewport_size({"width": 1500, "height": 1050})
    page.goto(app_url + "/?have=python:2,sql:1,git:1&target=junior&node=django")
    wait_ready(page)
    page.wait_for_timeout(1500)
    Path(ROOT / "docs").mkdir(exist_ok=True)
    page.screenshot(path=str(ROOT / "docs" / "screenshot.png"))


def test_download_the_path_as_png(page, app_url, tmp_path):
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
    width = int.from_bytes(data[16:20], "big")
    height = int.from_bytes(data[20:24], "big")
    assert (width, height) == (3200, 2000)  # 1600 × 1000 at the default scale of 2
    assert info.value.suggested_filename == "skilltree-path-junior.png"
    assert_no_error(page)
    page.screenshot(path=str(ARTIFACTS / "export.png"), full_page=True)
