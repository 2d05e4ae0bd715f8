"""Open every page and every panel in headless Chromium: no exception, the panel drawn.

Panels are walked by clicking their tabs, as a visitor does; each panel is
saved as a screenshot (tests/browser/screenshots/) to be looked at.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from tests.browser.conftest import at_least, page_url, screenshot, wait_idle
from ui.nav import LABS

NO_EXCEPTION = '[data-testid="stException"]'


def _labs_with_panels():
    found = []
    for lab in LABS:
        try:
            found.append((lab, importlib.import_module(f"labs.{lab.package}")))
        except ModuleNotFoundError:
            pass
    return found


LAB_PANELS = _labs_with_panels()


def test_home_page_renders(app_url, page):
    page.goto(app_url + "/")
    wait_idle(page)
    assert page.locator(NO_EXCEPTION).count() == 0
    assert page.locator("h1").first.inner_text().strip() == "DL Math Lab"
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_text("Home").count() >= 1
    # the default auto-discovered menu (which would label home "app") is hidden
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    assert screenshot(page, "home").stat().st_size > 10_000


@pytest.mark.parametrize(("lab", "module"), LAB_PANELS, ids=lambda x: getattr(x, "package", ""))
def test_every_panel_renders(app_url, page, lab, module):
    page.goto(page_url(app_url, lab.path))
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)  # the default panel
    for panel in module.PANELS:
        tab = page.get_by_role("tab", name=panel.label, exact=True)
        tab.click()
        wait_idle(page)
        assert tab.get_attribute("aria-selected") == "true", panel.label
        assert page.locator(NO_EXCEPTION).count() == 0, f"{lab.label}: {panel.label}"
        body = page.locator('[role="tabpanel"]:not([hidden])').first
        assert body.inner_text().strip(), f"{panel.label} drew nothing"
        charts = body.locator('[data-testid="stPlotlyChart"], [data-testid="stImage"]')
        if charts.count():
            assert at_least(body.locator(".js-plotly-plot .main-svg, img"), 1) >= 1
        slug = panel.label.lower().replace(" ", "_")
        screenshot(page, f"{Path(lab.path).stem}__{slug}")
