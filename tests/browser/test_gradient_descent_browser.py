"""The gradient-descent page in Chromium: open it, push the learning rate past 2/λ, see it explained."""

from __future__ import annotations

from tests.browser.conftest import page_url, screenshot, wait_idle

PATH = "pages/5_Gradient_Descent.py"


def test_learning_rate_past_two_over_lambda_is_explained(app_url, page):
    page.goto(page_url(app_url, PATH) + "?gd_lr=0.3")
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 8
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

    # change one control: click the learning-rate slider's track at 70 % (η ≈ 0.84, between 1/λ and 2/λ)
    widget = page.locator('[data-testid="stSlider"]').filter(has_text="Learning rate η").first
    area, thumb = widget.bounding_box(), widget.get_by_role("slider").bounding_box()
    page.mouse.click(area["x"] + 0.7 * area["width"], thumb["y"] + thumb["height"] / 2)
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("oscillating", exact=True).count() >= 1
    assert page.get_by_text("Diverging: |x_30|").count() == 0
    screenshot(page, "gradient_descent_oscillating")
