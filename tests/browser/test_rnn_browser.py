"""The Recurrent networks lab in Chromium: the unrolled graph, rho against the gradient, training."""

from __future__ import annotations

from tests.browser.conftest import at_least, open_panel, page_url, screenshot, wait_idle

PAGE = "pages/10_Recurrent_Networks.py"
CHARTS = '[role="tabpanel"]:not([hidden]) [data-testid="stPlotlyChart"]'


def _no_exception(pg) -> None:
    assert pg.locator('[data-testid="stException"]').count() == 0


def _latex_text(pg) -> str:
    return " ".join(pg.locator(".katex-mathml annotation").all_text_contents())


def _nudge(pg, label: str, key: str, times: int) -> None:
    thumb = pg.locator('[data-testid="stSlider"]').filter(has_text=label).first
    thumb = thumb.get_by_role("slider")
    thumb.focus()
    for _ in range(times):
        thumb.press(key)
    wait_idle(pg)


def test_main_path(app_url, page):
    page.goto(page_url(app_url, PAGE))
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    _no_exception(page)
    assert at_least(page.locator(CHARTS), 1) == 1
    assert "a_{5} = x_{5} W_{xh}" in _latex_text(page)
    _nudge(page, "Step t written out", "ArrowLeft", 2)
    _no_exception(page)
    assert "a_{3} = x_{3} W_{xh}" in _latex_text(page)
    assert "rnn_step=3" in page.url
    screenshot(page, "rnn_unrolled")

    open_panel(page, "Vanishing and exploding")
    page.wait_for_selector('[role="tabpanel"]:not([hidden]) .js-plotly-plot .main-svg')
    assert at_least(page.locator(CHARTS), 2) == 2
    assert page.get_by_text("The gradient vanishes").count() >= 1
    # rho 0.9 -> 1.2: six steps of 0.05 to the right, and the gradient explodes
    _nudge(page, "Spectral radius", "ArrowRight", 6)
    _no_exception(page)
    assert page.get_by_text("The gradient explodes").count() >= 1
    assert "rnn_radius=1.2" in page.url
    screenshot(page, "rnn_exploding")

    open_panel(page, "Train an RNN")
    page.wait_for_selector('[role="tabpanel"]:not([hidden]) .js-plotly-plot .main-svg')
    page.get_by_role("button", name="Step 200").click()
    wait_idle(page)
    _no_exception(page)
    steps = page.locator('[data-testid="stMetric"]').filter(has_text="steps").first
    assert steps.locator('[data-testid="stMetricValue"]').inner_text() == "400"
    screenshot(page, "rnn_train")
