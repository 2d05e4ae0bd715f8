"""The Calculus lab in Chromium: typing a formula, hostile text, the other panels still work."""

from __future__ import annotations

from tests.browser.conftest import open_panel, page_url, screenshot, wait_idle

PAGE = "pages/3_Calculus.py"
OPEN = '[role="tabpanel"]:not([hidden])'


def _no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def test_calculus_main_path(app_url, page):
    page.goto(page_url(app_url, PAGE))
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    _no_exception(page)
    screenshot(page, "calculus_derivative")

    # type a formula of our own: the derivative shown must be the exact one
    page.get_by_label("Function f(x)").click()
    page.get_by_role("option", name="Type your own formula").click()
    wait_idle(page)
    box = page.get_by_role("textbox", name="f(x) =")
    box.fill("x^3 - 3*x")
    box.press("Enter")
    wait_idle(page)
    _no_exception(page)
    assert page.locator(".katex").filter(has_text="f′(x)=3x2−3").count() >= 1
    screenshot(page, "calculus_own_formula")

    # the formula follows the visitor to the integration panel (same picker, same key)
    open_panel(page, "Integration")
    page.wait_for_selector(f"{OPEN} .js-plotly-plot .main-svg")
    _no_exception(page)
    assert "calc_fx=" in page.url

    # a hostile formula ends in a message, and the other panels keep working
    box = page.get_by_role("textbox", name="f(x) =")
    box.fill("__import__('os').system('echo pwned')")
    box.press("Enter")
    wait_idle(page)
    _no_exception(page)
    assert page.locator('[data-testid="stAlert"]').filter(has_text="listed functions").count() >= 1
    open_panel(page, "Chain rule")  # its own two formulas, untouched by the hostile one
    _no_exception(page)
    assert page.locator(f'{OPEN} [data-testid="stMetric"]').count() == 3
    assert page.locator(f'{OPEN} [data-testid="stAlert"]').filter(has_text="listed").count() == 0
