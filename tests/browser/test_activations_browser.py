"""The activation-functions lab in Chromium: open it, change the depth activation, see the view update."""

from __future__ import annotations

from tests.browser.conftest import at_least, page_url, screenshot, wait_idle

PAGE = "pages/7_Activation_Functions.py"


def _choose(pg, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label`` (a react-aria combobox in Streamlit 1.67)."""
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
    # gallery, softmax bars, temperature, Jacobian, signal, histograms, shrinkage
    assert at_least(page.locator('[data-testid="stPlotlyChart"]'), 7) >= 7
    # curves drawn for the four default activations, in both panels
    assert page.locator('[data-testid="stPlotlyChart"]').first.locator("path.js-line").count() >= 8
    before = _metric(page, "Std of activations")
    screenshot(page, "activations_default")

    # The main lesson: switch the deep stack from sigmoid to ReLU (He normal keeps it flat).
    _choose(page, "Activation", "ReLU")
    _choose(page, "Initialisation", "He normal")
    assert page.locator('[data-testid="stException"]').count() == 0
    after = _metric(page, "Std of activations")
    assert after != before
    assert "act_depth_fn=ReLU" in page.url and "He" in page.url
    assert page.get_by_text("Dead units per layer").count() >= 1
    screenshot(page, "activations_relu_he")

    # The ELU alpha slider sits in the gallery (its own fragment); the depth panel must follow it.
    _choose(page, "Activation", "ELU")
    assert page.get_by_text("With alpha = 1, as set in section 1.").count() == 1
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
    assert page.get_by_text("With alpha = 1.5, as set in section 1.").count() == 1
    assert (
        page.get_by_text("The textbook bound for ELU: at most max|f′| = 1.5 per layer").count() == 1
    )
    assert "act_alpha=1.5" in page.url
