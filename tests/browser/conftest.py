"""Real-browser harness: ``streamlit run app.py`` on a free loopback port,
driven by Playwright in Debian's Chromium.

Locally, without /usr/bin/chromium, these tests skip with the reason; in CI
(``CI`` set) a missing browser is a failure, because .ci/run installs it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

# One definition of the browser, its arguments and the server's start and stop:
# the browser benchmark's (bench/browser.py).
from bench.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    start_server,
    stop_server,
    url_path,
    wait_healthy,
)

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
SERVER_LOG = ROOT / ".streamlit-test-server.log"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in item.nodeid.replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def app_url():
    """Start the app once per test session; kill its process group at the end."""
    server = start_server("app.py", SERVER_LOG)
    try:
        wait_healthy(server, timeout_s=60)
        yield server.url
    finally:
        stop_server(server)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run should have installed Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    try:
        yield pg
    finally:
        context.close()


def page_url(base: str, path: str) -> str:
    """The URL Streamlit gives a file in pages/: 'pages/8_Convolution.py' -> base + '/Convolution'."""
    return base + url_path(path)


def wait_idle(pg, *, timeout_ms: int = 60_000) -> None:
    """Wait until the script has finished running and the page has settled."""
    pg.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms
    )
    pg.wait_for_load_state("networkidle", timeout=timeout_ms)
    pg.wait_for_timeout(300)
    pg.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms
    )
    # Elements left over from the previous run fade out as "stale"; wait until none are.
    pg.wait_for_function(
        "() => !document.querySelector('[data-stale=\"true\"]')", timeout=timeout_ms
    )


def open_panel(pg, label: str) -> None:
    """Click a lab's panel tab, as a visitor does, and wait for the panel to settle."""
    tab = pg.get_by_role("tab", name=label, exact=True)
    tab.click()
    wait_idle(pg)
    assert tab.get_attribute("aria-selected") == "true", label


def at_least(locator, n: int, *, timeout_ms: int = 30_000) -> int:
    """Poll ``locator.count()`` until it reaches ``n`` (charts mount lazily after
    the script finishes, later on a loaded CI machine); return the last count."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        count = locator.count()
        if count >= n or time.monotonic() > deadline:
            return count
        time.sleep(0.2)


def screenshot(pg, name: str) -> Path:
    """Save the whole page as PNG.

    Streamlit scrolls an inner container, so ``full_page`` alone captures only
    the viewport; grow the viewport to the content's height, shoot, restore.
    """
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = pg.viewport_size
    height = pg.evaluate(
        '() => Math.max(...[...document.querySelectorAll(\'[data-testid="stMain"], '
        '[data-testid="stMainBlockContainer"]\')].map(e => e.scrollHeight), 0)'
    )
    tall = min(max(int(height) + 40, size["height"]), 16_000)
    if tall > size["height"]:
        pg.set_viewport_size({"width": size["width"], "height": tall})
        pg.wait_for_timeout(500)
    pg.screenshot(path=str(path), full_page=True)
    if tall > size["height"]:
        pg.set_viewport_size(size)
        pg.wait_for_timeout(200)
    return path
