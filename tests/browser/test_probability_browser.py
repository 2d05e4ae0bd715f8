"""The probability lab in Chromium: gallery, a slider change, then every topic renders."""

from __future__ import annotations

import pytest

from tests.browser.conftest import page_url, screenshot, wait_idle

PAGE = "pages/4_Probability_and_Statistics.py"
TOPICS = ["Central limit theorem", "Bayes", "Likelihood", "Tests and intervals", "Information"]


def _no_exception(pg):
    assert pg.locator('[data-testid="stException"]').count() == 0


def test_gallery_updates_when_a_distribution_is_chosen(app_url, page):
    page.goto(page_url(app_url, PAGE))
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    _no_exception(page)
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 3
    before = page.locator(".katex-display").first.inner_text()
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="Poisson").click()
    wait_idle(page)
    _no_exception(page)
    after = page.locator(".katex-display").first.inner_text()
    assert after != before and "k!" in after
    assert "prob_dist=Poisson" in page.url
    screenshot(page, "probability_gallery")


@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_renders(app_url, page, topic):
    page.goto(page_url(app_url, PAGE))
    wait_idle(page)
    page.get_by_role("radio", name=topic, exact=True).click()
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    _no_exception(page)
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 1
    screenshot(page, "probability_" + topic.lower().replace(" ", "_"))
