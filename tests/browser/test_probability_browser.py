"""The probability lab in Chromium: the gallery reacts to a control, every panel opens from its tab."""

from __future__ import annotations

import urllib.parse

from labs import probability as lab
from tests.browser.conftest import at_least, page_url, screenshot, wait_idle

PAGE = "pages/4_Probability_and_Statistics.py"
PANELS = [p.label for p in lab.PANELS]


def _no_exception(pg):
    assert pg.locator('[data-testid="stException"]').count() == 0


def _latex_text(pg) -> str:
    """The TeX source of every formula on the page (KaTeX keeps it in an annotation)."""
    return " ".join(pg.locator(".katex-mathml annotation").all_text_contents())


def _open_tab(pg, label: str) -> None:
    pg.get_by_role("tab", name=label, exact=True).click()
    wait_idle(pg)
    pg.wait_for_selector('[role="tabpanel"]:not([hidden]) .js-plotly-plot .main-svg')
    _no_exception(pg)


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
    for label in PANELS[1:]:
        _open_tab(page, label)
        assert at_least(page.locator('[data-testid="stPlotlyChart"]'), 1) >= 1, label
        assert f"prob_panel={urllib.parse.quote_plus(label)}" in page.url, label
        screenshot(page, "probability_" + label.lower().replace(" ", "_").replace("-", "_"))
    # The Beta posterior animates in the browser (Plotly frames), not by reruns.
    _open_tab(page, "Bayesian updating")
    page.get_by_text("Play").first.click()
    page.wait_for_timeout(500)
    _no_exception(page)


def test_an_old_bayes_link_keeps_the_coin_for_its_new_tab(app_url, page):
    """Before the split the coin sat in the Bayes topic; its values wait in the link for its tab."""
    page.goto(page_url(app_url, PAGE) + "?prob_panel=Bayes&prob_flips=7&prob_prior_a=3.0")
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert "0.1538" in _latex_text(page)  # the diagnostic test
    _open_tab(page, "Bayesian updating")
    text = _latex_text(page)
    assert r"\text{Beta}(3, 1) \xrightarrow" in text
    heads, tails = text.split(r"\xrightarrow{")[1].split(r"\text{ heads},\ ")
    assert int(heads) + int(tails.split(r"\text")[0]) == 7
