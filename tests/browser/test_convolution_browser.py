"""The convolution lab in Chromium: change the kernel, see the map change; play the sliding kernel."""

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
    # the Kernels panel opens first, alone: kernel, input, signed and normalised maps
    assert page.get_by_role("tab", name="Kernels").get_attribute("aria-selected") == "true"
    assert at_least(page.locator('[data-testid="stPlotlyChart"]'), 4) == 4
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
    assert len(before) == 4 and all(src.startswith("data:image/") for src in before)
    screenshot(page, "convolution_default")

    # Choose another kernel from the select box: the feature map must change.
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Kernel").first.click()
    page.get_by_role("option", name="Laplacian").click()
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "kernel=Laplacian" in page.url  # bound to the URL
    after = _images(page)
    assert after[2] != before[2] and after[3] != before[3], "the maps did not change"
    assert after[1] == before[1]  # the input picture is the same
    assert page.get_by_text("Second derivative").count() >= 1
    screenshot(page, "convolution_laplacian")

    # The sliding kernel animates in the browser (Plotly frames), behind its toggle: outputs fill in.
    page.get_by_role("tab", name="Sliding kernel and im2col").click()
    wait_idle(page)
    assert "cv_panel=Sliding" in page.url and "cv_kernel=Laplacian" in page.url  # kept in the link
    assert at_least(page.locator('[data-testid="stPlotlyChart"]'), 1) == 1
    page.locator('[data-testid="stCheckbox"]').filter(has_text="kernel sliding").locator(
        "label"
    ).click()
    wait_idle(page)
    assert "cv_im2col=true" in page.url
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(
        has=page.locator(".updatemenu-button")
    )
    chart.wait_for()
    play = chart.locator(".updatemenu-button").filter(has_text="Play")
    play.scroll_into_view_if_needed()
    filled_before = len(chart.locator(".hm text, text").all_inner_texts())
    play.click()
    page.wait_for_timeout(2500)
    filled_after = len(chart.locator(".hm text, text").all_inner_texts())
    assert filled_after > filled_before, (filled_before, filled_after)
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "convolution_im2col")


def test_convolution_stride_panel_from_a_link(app_url, page):
    """A link opens the panel with its values; the stride slider redraws the map smaller."""
    url = page_url(app_url, "pages/8_Convolution.py")
    page.goto(url + "?cv_panel=Stride%2C+padding%2C+dilation&cv_stride=2")
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator('[data-testid="stException"]').count() == 0
    tab = page.get_by_role("tab", name="Stride, padding, dilation")
    assert tab.get_attribute("aria-selected") == "true"
    assert page.get_by_text("only defined at stride 1").count() == 1
    assert page.get_by_text("feature map, 171 x 256").count() == 1
    slider = (
        page.locator('[data-testid="stSlider"]').filter(has_text="Stride s").get_by_role("slider")
    )
    slider.focus()
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert "cv_stride=3" in page.url
    assert page.get_by_text("feature map, 114 x 171").count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0
