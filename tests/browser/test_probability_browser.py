"""The probability lab in Chromium: the gallery reacts to a control, then every topic renders."""

from __future__ import annotations

from tests.browser.conftest import at_least, page_url, screenshot, wait_idle

PAGE = "pages/4_Probability_and_Statistics.py"
TOPICS = ["Central limit theorem", "Bayes", "Likelihood", "Tests and intervals", "Information"]


def _no_exception(pg):
    assert pg.locator('[data-testid="stException"]').count() == 0


def test_main_path(app_url, page):
    page.goto(page_url(app_url, PAGE))
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    _no_exception(page)
    assert at_least(page.locator('[data-testid="stPlotlyChart"]'), 3) >= 3
    before = page.locator(".katex-display").first.inner_text()
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="Poisson").click()
    wait_idle(page)
    _no_exception(page)
    after = page.locator(".katex-display").first.inner_text()
    assert after != before and "k!" in after
    assert "prob_dist=Poisson" in page.url  # the view is in the link
    screenshot(page, "probability_gallery")
    for topic in TOPICS:
        page.get_by_role("radio", name=topic, exact=True).click()
        wait_idle(page)
        page.wait_for_selector(".js-plotly-plot .main-svg")
        _no_exception(page)
        assert at_least(page.locator('[data-testid="stPlotlyChart"]'), 1) >= 1, topic
        screenshot(page, "probability_" + topic.lower().replace(" ", "_"))
    # The Beta posterior animates in the browser (Plotly frames), not by reruns.
    page.get_by_role("radio", name="Bayes", exact=True).click()
    wait_idle(page)
    page.get_by_text("Play").first.click()
    page.wait_for_timeout(500)
    _no_exception(page)
