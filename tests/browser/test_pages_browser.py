"""Open every page in headless Chromium: no exception, charts drawn, screenshot."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import at_least, page_url, screenshot, wait_idle
from tests.pagetest import ROOT

PAGES = ["app.py"] + sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_in_browser(app_url, page, path):
    page.goto(page_url(app_url, path))
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    title = page.locator("h1").first.inner_text()
    assert title.strip()
    if path != "app.py":
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        assert at_least(page.locator('[data-testid="stPlotlyChart"]'), 1) >= 1
    shot = screenshot(page, Path(path).stem)
    assert shot.stat().st_size > 10_000


def test_home_menu_links_to_labs(app_url, page):
    page.goto(app_url)
    wait_idle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_text("Home").count() >= 1
    # the default auto-discovered menu (which would label home "app") is hidden
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
