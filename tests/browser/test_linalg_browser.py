"""The Linear Algebra lab's main path in headless Chromium."""

from __future__ import annotations

from tests.browser.conftest import at_least, page_url, screenshot, wait_idle

NO_EXCEPTION = '[data-testid="stException"]'


def _latex_text(pg) -> str:
    """The TeX source of every formula on the page (KaTeX keeps it in an annotation)."""
    return " ".join(pg.locator(".katex-mathml annotation").all_text_contents())


def test_linear_algebra_preset_changes_the_view(app_url, page):
    page.goto(page_url(app_url, "pages/1_Linear_Algebra.py"))
    wait_idle(page)
    page.get_by_role("tab", name="Transformations").click()
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator(NO_EXCEPTION).count() == 0
    assert at_least(page.locator('[data-testid="stPlotlyChart"]'), 1) == 1  # one panel runs
    assert r"\det A = ad - bc = 3" in _latex_text(page)
    assert "la_panel=Transformations" in page.url
    screenshot(page, "linalg_default")

    # pick the complex-eigenvalue preset: the entries load and the explanation switches to r e^{±iθ}
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Preset").first
    box.scroll_into_view_if_needed()
    box.locator("input").click()
    page.keyboard.type("complex eigen")  # the selectbox filters its options as one types
    page.keyboard.press("Enter")
    wait_idle(page)
    assert page.locator(NO_EXCEPTION).count() == 0
    text = _latex_text(page)
    assert r"\det A = ad - bc = 1.17" in text
    assert r"\theta = 33.7^\circ" in text
    screenshot(page, "linalg_complex")
    assert "la_preset=" in page.url  # the choice is in the link
