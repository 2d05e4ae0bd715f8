"""The backpropagation lab in Chromium: step the graph backward, then step the training."""

from __future__ import annotations

import re

from tests.browser.conftest import open_panel, page_url, screenshot, wait_idle

PAGE = "pages/6_Backpropagation.py"
OPEN = '[role="tabpanel"]:not([hidden])'


def _metric(pg, label: str) -> str:
    box = pg.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_backprop_main_path(app_url, page):
    page.goto(page_url(app_url, PAGE))
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "backpropagation_graph")

    # Run backward to the end with the keyboard: every node of the graph gets its gradient.
    slider = (
        page.locator('[data-testid="stSlider"]')
        .filter(has_text="Backward steps done")
        .get_by_role("slider")
    )
    slider.focus()
    slider.press("End")
    wait_idle(page)
    graph = page.locator(f'{OPEN} [data-testid="stPlotlyChart"]').first
    page.wait_for_function(
        "() => !document.querySelector('.js-plotly-plot').textContent.includes('grad ?')"
    )
    assert re.search(r"grad -?\d", graph.inner_text())
    assert page.locator('[data-testid="stException"]').count() == 0

    open_panel(page, "Train an MLP")
    page.wait_for_selector(f"{OPEN} .js-plotly-plot .main-svg")
    assert _metric(page, "Epoch") == "100"  # the first visit shows a trained network
    page.get_by_role("button", name="Step 1 epoch").click()
    wait_idle(page)
    assert _metric(page, "Epoch") == "101"
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "backpropagation_trained")
