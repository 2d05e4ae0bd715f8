"""The activation-functions lab in Chromium: the gallery, then the depth panel's main lesson."""

from __future__ import annotations

from tests.browser.conftest import at_least, open_panel, page_url, screenshot, wait_idle

PAGE = "pages/7_Activation_Functions.py"
CHARTS = '[role="tabpanel"]:not([hidden]) [data-testid="stPlotlyChart"]'


def _choose(pg, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label`` (a react-aria combobox)."""
    box = pg.locator('[data-testid="stSelectbox"]').filter(has_text=label).first.locator("input")
    box.scroll_into_view_if_needed()
    box.click()
    pg.get_by_role("option", name=option, exact=True).click()
    wait_idle(pg)


def _metric(pg, label: str) -> str:
    metric = pg.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text()


def test_main_path(app_url, page):
    page.goto(page_url(app_url, PAGE))
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert at_least(page.locator(CHARTS), 1) == 1  # the gallery alone runs
    # f and f' of the four default activations
    assert page.locator(CHARTS).first.locator("path.js-line").count() >= 8
    screenshot(page, "activations_gallery")

    open_panel(page, "Gradients through depth")
    before = _metric(page, "Std of activations")
    # The main lesson: switch the deep stack from sigmoid to ReLU (He normal keeps it flat).
    _choose(page, "Activation", "ReLU")
    _choose(page, "Initialisation", "He normal")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert _metric(page, "Std of activations") != before
    assert "act_depth_fn=ReLU" in page.url and "He" in page.url
    assert page.get_by_text("Dead units per layer").count() >= 1
    screenshot(page, "activations_relu_he")

    # ELU's alpha, a slider of this panel shared with the gallery, moves the textbook bound.
    _choose(page, "Activation", "ELU")
    thumb = (
        page.locator('[data-testid="stSlider"]')
        .filter(has_text="ELU: alpha")
        .first.get_by_role("slider")
    )
    thumb.focus()
    for _ in range(5):
        thumb.press("ArrowRight")  # steps of 0.1
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    bound = page.get_by_text("The textbook bound for ELU: at most max|f′| = 1.5 per layer")
    assert bound.count() == 1
    assert "act_alpha=1.5" in page.url
