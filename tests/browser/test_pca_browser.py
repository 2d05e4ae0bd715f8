"""The PCA and SVD lab in headless Chromium: the rank slider of the image panel."""

from __future__ import annotations

from tests.browser.conftest import open_panel, page_url, screenshot, wait_idle

NO_EXCEPTION = '[data-testid="stException"]'


def test_pca_rank_slider_updates_the_compression(app_url, page):
    page.goto(page_url(app_url, "pages/2_PCA_and_SVD.py"))
    wait_idle(page)
    open_panel(page, "Image compression")
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator(NO_EXCEPTION).count() == 0
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Relative error")
    before = metric.locator('[data-testid="stMetricValue"]').inner_text()
    screenshot(page, "pca_image")

    slider = (
        page.locator('[data-testid="stSlider"]').filter(has_text="Rank k").get_by_role("slider")
    )
    slider.focus()
    page.keyboard.press("End")  # one rerun at full rank, rather than one per arrow press
    wait_idle(page)
    after = metric.locator('[data-testid="stMetricValue"]').inner_text()
    assert page.locator(NO_EXCEPTION).count() == 0
    assert float(after.rstrip("%")) < float(before.rstrip("%"))
    assert float(after.rstrip("%")) < 0.01  # full rank: the image itself
    assert "pca_rank=" in page.url
