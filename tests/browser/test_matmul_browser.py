"""The Linear Algebra lab's Matrix multiplication panel in Chromium: stepping moves the entry."""

from __future__ import annotations

from tests.browser.conftest import open_panel, page_url, screenshot, wait_idle

PAGE = "pages/1_Linear_Algebra.py"


def _latex_text(pg) -> str:
    return " ".join(pg.locator(".katex-mathml annotation").all_text_contents())


def test_step_through_the_product(app_url, page):
    page.goto(page_url(app_url, PAGE))
    wait_idle(page)
    open_panel(page, "Matrix multiplication")
    page.wait_for_selector('[role="tabpanel"]:not([hidden]) .js-plotly-plot .main-svg')
    assert "C_{11} =" in _latex_text(page)
    thumb = page.locator('[data-testid="stSlider"]').filter(has_text="Entry").first
    thumb = thumb.get_by_role("slider")
    thumb.focus()
    thumb.press("End")
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "C_{22} =" in _latex_text(page)
    assert "la_mm_step=4" in page.url
    screenshot(page, "matmul_entry")
    group = page.locator('[data-testid="stButtonGroup"]').filter(has_text="Linear layer").first
    group.get_by_text("Linear layer", exact=True).click()
    wait_idle(page)
    assert "x_{1} W + b" in _latex_text(page)
    screenshot(page, "matmul_layer")
