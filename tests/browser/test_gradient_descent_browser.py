"""The gradient-descent page in Chromium: open it, push the learning rate past 2/λ, see it explained."""

from __future__ import annotations

from tests.browser.conftest import page_url, screenshot, wait_idle

PATH = "pages/5_Gradient_Descent.py"


def test_learning_rate_past_two_over_lambda_is_explained(app_url, page):
    page.goto(page_url(app_url, PATH) + "?gd_lr=0.3")
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 7
    assert page.get_by_text("monotone", exact=True).count() >= 1
    screenshot(page, "gradient_descent_default")

    # the URL carries the state: a learning rate beyond 2/lambda = 1 for the default quadratic
    page.goto(page_url(app_url, PATH) + "?gd_lr=1.2&gd_steps=30")
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("diverging", exact=True).count() >= 1
    assert page.get_by_text("Diverging: |x_30|").count() == 1
    assert page.locator(".js-plotly-plot").first.get_by_text("leaves the view").count() == 1

    # change one control with the keyboard: the slider moves, the regime label follows
    slider = page.locator('[data-testid="stSlider"]').filter(has_text="Learning rate η").first.get_by_role("slider")
    slider.focus()
    slider.press("End")  # 1.2, still diverging
    for _ in range(5):
        slider.press("PageDown")
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "gradient_descent_diverging")
