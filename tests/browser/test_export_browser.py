"""Take it with you, in Chromium: a panel's script downloads whole, and its embed link shows
the figure and the formula with no control, no tab and no sidebar visible."""

from __future__ import annotations

import ast
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import at_least, page_url, screenshot, wait_idle

PATH = "pages/5_Gradient_Descent.py"
#: Every kind of control a panel draws, and the page's furniture around it.
CONTROLS = (
    '[data-testid="stSlider"]',
    '[data-testid="stSelectbox"]',
    '[data-testid="stTextInput"]',
    '[data-testid="stNumberInput"]',
    '[data-testid="stRadio"]',
    '[data-testid="stCheckbox"]',
    '[data-testid="stButton"]',
    '[data-testid="stDownloadButton"]',
    '[data-testid="stExpander"]',
    '[data-testid="stSidebar"]',
    '[role="tab"]',
)


def _visible(page, selector: str) -> int:
    return sum(1 for el in page.locator(selector).all() if el.is_visible())


def test_the_view_downloads_as_a_script_and_embeds_without_controls(app_url, page):
    page.goto(page_url(app_url, PATH) + "?gd_lr=0.9")
    wait_idle(page)
    assert at_least(page.locator('[data-testid="stPlotlyChart"]'), 2) == 2
    numbers = page.get_by_text("This view in numbers:")
    expect(numbers).to_contain_text("Regime: oscillating")
    page.get_by_text("Take this view with you").click()
    wait_idle(page)
    with page.expect_download() as info:  # written on click (a deferred download)
        page.get_by_text("Download as Python").click()
    script = Path(info.value.path()).read_text()
    assert info.value.suggested_filename == "gd_step_size_and_curvature.py"
    ast.parse(script)
    assert "lr = 0.9" in script and "fig.show()" in script

    link = page.locator('[data-testid="stCode"]').filter(has_text="embed=true").inner_text()
    assert "gd_lr=0.9" in link and "gd_embed=1" in link
    expect(page.locator('[data-testid="stCode"]').filter(has_text="step_size_view(")).to_have_count(
        1
    )
    screenshot(page, "export_panel")

    page.goto(link.replace("\n", "").strip())
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert at_least(page.locator('[data-testid="stPlotlyChart"]'), 2) == 2
    assert all(c.is_visible() for c in page.locator('[data-testid="stPlotlyChart"]').all())
    assert page.locator(".katex-display").first.is_visible()  # the formula stays
    expect(page.locator(".katex-display").filter(has_text="0.9")).not_to_have_count(0)
    assert {s: _visible(page, s) for s in CONTROLS} == dict.fromkeys(CONTROLS, 0)
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "export_embed")
