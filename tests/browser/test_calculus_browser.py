"""The Calculus lab in Chromium: every section drawn, typing a formula, hostile text, no exception."""

from __future__ import annotations

from tests.browser.conftest import SCREENSHOTS, at_least, page_url, screenshot, wait_idle

PAGE = "pages/3_Calculus.py"


def _no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def test_calculus_main_path(app_url, page):
    page.goto(page_url(app_url, PAGE))
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    _no_exception(page)
    assert at_least(page.locator('[data-testid="stPlotlyChart"]'), 8) >= 8
    screenshot(page, "calculus_default")

    # Streamlit scrolls inside its own container: shoot the viewport at each section to look at them
    headers = page.locator("h2")
    assert headers.count() == 6
    SCREENSHOTS.mkdir(exist_ok=True)
    for i in range(headers.count()):
        headers.nth(i).evaluate("el => el.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        page.screenshot(path=str(SCREENSHOTS / f"calculus_section_{i + 1}.png"))
    assert page.locator(".js-plotly-plot .main-svg").count() >= 8
    page.locator("h1").first.evaluate("el => el.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)

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

    # a hostile formula ends in a message, and the rest of the page keeps working
    box.fill("__import__('os').system('echo pwned')")
    box.press("Enter")
    wait_idle(page)
    _no_exception(page)
    assert page.locator('[data-testid="stAlert"]').filter(has_text="listed functions").count() >= 1
    assert (
        at_least(page.locator('[data-testid="stPlotlyChart"]'), 3) >= 3
    )  # chain rule, gradients, flow still drawn
