"""The convolution lab in Chromium: open it, change the kernel, see the feature map change."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from tests.browser.conftest import at_least, page_url, screenshot, wait_idle


def _images(pg) -> list[str]:
    """The data URIs of every picture drawn (feature maps change them)."""
    return pg.eval_on_selector_all(
        ".js-plotly-plot image", "els => els.map(e => e.getAttribute('href') || '')"
    )


def test_convolution_main_path(app_url, page):
    page.goto(page_url(app_url, "pages/8_Convolution.py"))
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator("h1").first.inner_text().strip() == "Convolution"
    assert at_least(page.locator('[data-testid="stPlotlyChart"]'), 8) >= 8
    assert page.get_by_text("Download the feature map (PNG)").count() == 1
    # The PNG is encoded on click (a deferred download): it must arrive whole.
    with page.expect_download() as info:
        page.get_by_text("Download the feature map (PNG)").click()
    data = Path(info.value.path()).read_bytes()
    assert (
        data[:8] == b"\x89PNG\r\n\x1a\n"
        and info.value.suggested_filename == "feature_map_sobel_x.png"
    )
    with Image.open(io.BytesIO(data)) as img:
        assert img.size == (512, 342)
    before = _images(page)
    assert len(before) >= 5 and all(src.startswith("data:image/") for src in before)
    screenshot(page, "convolution_default")

    # Choose another kernel from the select box: the feature map must change.
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Kernel").first.click()
    page.get_by_role("option", name="Laplacian").click()
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "kernel=Laplacian" in page.url  # bound to the URL
    after = _images(page)
    assert after[1:3] != before[1:3], "the feature map did not change with the kernel"
    assert page.get_by_text("Second derivative").count() >= 1
    screenshot(page, "convolution_laplacian")

    # The sliding kernel animates in the browser (Plotly frames): outputs fill in.
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(
        has=page.locator(".updatemenu-button")
    )
    play = chart.locator(".updatemenu-button").filter(has_text="Play")
    play.scroll_into_view_if_needed()
    filled_before = len(chart.locator(".hm text, text").all_inner_texts())
    play.click()
    page.wait_for_timeout(2500)
    filled_after = len(chart.locator(".hm text, text").all_inner_texts())
    assert filled_after > filled_before, (filled_before, filled_after)
    assert page.locator('[data-testid="stException"]').count() == 0
