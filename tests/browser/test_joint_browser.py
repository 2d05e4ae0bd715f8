"""The Probability lab's Joint and conditional and Correlation panels in Chromium."""

from __future__ import annotations

from tests.browser.conftest import at_least, open_panel, page_url, screenshot, wait_idle

PAGE = "pages/4_Probability_and_Statistics.py"
CHARTS = '[role="tabpanel"]:not([hidden]) [data-testid="stPlotlyChart"]'


def _latex_text(pg) -> str:
    return " ".join(pg.locator(".katex-mathml annotation").all_text_contents())


def test_joint_and_correlation(app_url, page):
    page.goto(page_url(app_url, PAGE) + "?prob_panel=Joint+and+conditional")
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert at_least(page.locator(CHARTS), 2) == 2
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Example").first
    box.locator("input").click()
    page.get_by_role("option", name="Two fair coins", exact=True).click()
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("A and B are independent").count() >= 1
    assert "prob_jt_example=Two+fair+coins" in page.url
    screenshot(page, "joint_coins")

    open_panel(page, "Correlation")
    page.get_by_text("Covariance and correlation of a real data set").click()
    wait_idle(page)
    assert at_least(page.locator(CHARTS), 2) == 2
    assert page.get_by_text("The most correlated pair: petal length (cm)").count() == 1
    assert "prob_cor_real=true" in page.url
    screenshot(page, "correlation_real")
