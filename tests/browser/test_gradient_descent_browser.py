"""The gradient-descent lab in Chromium: push the learning rate past 2/λ, see it explained; open every panel."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import page_url, screenshot, wait_idle

PATH = "pages/5_Gradient_Descent.py"
# The regime sentences, as the label under the 1-D chart says them (the chart's bands give just the name,
# and the code panel's copy of lr_regime is not markdown).
MONOTONE, OSCILLATING, DIVERGING = (
    "η < 1/λ: every step",
    "1/λ < η < 2/λ: each step",
    "η > 2/λ: each step",
)
OPEN = '[role="tabpanel"]:not([hidden])'


def _label(page, text: str):
    return page.locator(f'{OPEN} [data-testid="stMarkdownContainer"]').filter(has_text=text)


def _charts(page):
    return page.locator(f'{OPEN} [data-testid="stPlotlyChart"]')


def test_learning_rate_past_two_over_lambda_is_explained(app_url, page):
    page.goto(page_url(app_url, PATH) + "?gd_lr=0.3")
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    expect(page.get_by_role("tab", name="Step size and curvature")).to_have_attribute(
        "aria-selected", "true"
    )
    expect(_charts(page)).to_have_count(2)
    expect(_label(page, MONOTONE)).to_have_count(1)
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "gradient_descent_default")

    # the URL carries the state: a learning rate beyond 2/lambda = 1 for the default quadratic
    page.goto(page_url(app_url, PATH) + "?gd_lr=1.2&gd_steps=30")
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    expect(_label(page, DIVERGING)).to_have_count(1)
    expect(page.get_by_text("Diverging: |x_30|").first).to_be_visible()
    expect(page.locator(".js-plotly-plot").first.get_by_text("leaves the view")).to_have_count(1)
    assert page.locator('[data-testid="stException"]').count() == 0

    # change one control: click the learning-rate slider's track at 70 % (η ≈ 0.84, between 1/λ and 2/λ)
    widget = page.locator('[data-testid="stSlider"]').filter(has_text="Learning rate η").first
    area, thumb = widget.bounding_box(), widget.get_by_role("slider").bounding_box()
    page.mouse.click(area["x"] + 0.7 * area["width"], thumb["y"] + thumb["height"] / 2)
    expect(_label(page, OSCILLATING)).to_have_count(1, timeout=60_000)
    wait_idle(page)
    expect(page.get_by_text("Diverging: |x_30|")).to_have_count(0)
    expect(_label(page, DIVERGING)).to_have_count(0)
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "gradient_descent_oscillating")


def test_exp_has_no_minimum_and_the_other_panels_open_from_their_tabs(app_url, page):
    """Issue 15 in the browser: exp(x) typed is said to have no minimum, not "towards the minimum"."""
    page.goto(page_url(app_url, PATH) + "?gd_fn=Type+a+formula&gd_formula=exp(x)")
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    expect(_label(page, "No minimum: f keeps falling to the left")).to_have_count(1)
    expect(_label(page, "towards the minimum")).to_have_count(0)
    for label, charts in (("Conditioning and momentum", 3), ("Mini-batches", 3)):
        page.get_by_role("tab", name=label, exact=True).click()
        wait_idle(page)
        page.wait_for_selector(f"{OPEN} .js-plotly-plot .main-svg")
        expect(_charts(page)).to_have_count(charts)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert "gd_panel=" in page.url
        screenshot(page, "gradient_descent_" + label.split()[0].lower().replace("-", "_"))
