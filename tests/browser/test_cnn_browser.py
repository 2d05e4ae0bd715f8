"""The Convolutional networks lab in Chromium: a test digit, an upload, a unit, training, mistakes."""

from __future__ import annotations

import io
import time

import numpy as np
from PIL import Image
from sklearn.datasets import load_digits

from tests.browser.conftest import at_least, open_panel, page_url, screenshot, wait_idle

PAGE = "pages/11_Convolutional_Networks.py"
CHARTS = '[role="tabpanel"]:not([hidden]) [data-testid="stPlotlyChart"]'
NO_EXCEPTION = '[data-testid="stException"]'


def _images(pg) -> list[str]:
    return pg.eval_on_selector_all(
        ".js-plotly-plot image", "els => els.map(e => e.getAttribute('href') || '')"
    )


def _photo(tmp_path, index: int = 7) -> str:
    big = np.kron(load_digits().images[index] / 16, np.ones((12, 12)))
    path = tmp_path / "digit.png"
    buf = io.BytesIO()
    Image.fromarray((255 * (1 - big)).astype(np.uint8)).save(buf, format="PNG")
    path.write_bytes(buf.getvalue())
    return str(path)


def test_cnn_main_path(app_url, page, tmp_path):
    page.goto(page_url(app_url, PAGE))
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator(NO_EXCEPTION).count() == 0
    assert page.locator("h1").first.inner_text().strip() == "Convolutional networks"
    assert at_least(page.locator(CHARTS), 3) == 3
    assert page.get_by_text("Correct").count() >= 1
    before = _images(page)
    screenshot(page, "cnn_trained_network")

    # Another test digit: the input and the maps change, the link follows.
    thumb = (
        page.locator('[data-testid="stSlider"]').filter(has_text="Test digit").get_by_role("slider")
    )
    thumb.focus()
    start = time.monotonic()
    thumb.press("ArrowRight")
    wait_idle(page)
    elapsed = time.monotonic() - start
    assert "cnn_idx=1" in page.url
    assert _images(page) != before
    assert page.locator(NO_EXCEPTION).count() == 0
    print(f"test digit slider to settled: {elapsed:.2f} s (includes the 0.3 s idle wait)")

    # Pick a digit from the grid: a click opens it (the slider and the link follow).
    page.locator('[data-testid="stCheckbox"]').filter(has_text="Pick from a grid").locator(
        "label"
    ).click()
    wait_idle(page)
    assert "cnn_grid=true" in page.url
    page.locator(".scatterlayer .point").nth(13).click(force=True)  # row 1, class 3
    wait_idle(page)
    assert "cnn_idx=18" in page.url, page.url
    page.get_by_text("reads a 3").first.wait_for(timeout=15_000)
    page.locator('[data-testid="stCheckbox"]').filter(has_text="Pick from a grid").locator(
        "label"
    ).click()
    wait_idle(page)

    # A unit of the second conv layer: its formula sums per input channel.
    box = (
        page.locator('[data-testid="stSelectbox"]').filter(has_text="Layer").first.locator("input")
    )
    box.scroll_into_view_if_needed()
    box.click()
    page.get_by_role("option", name="conv 2", exact=True).click()
    wait_idle(page)
    assert "cnn_layer=conv+2" in page.url or "cnn_layer=conv%202" in page.url
    assert page.get_by_text("input channels").count() >= 1

    # Upload a photo of a dark digit on paper: inverted, read, maps redrawn.
    page.get_by_text("Upload a picture").click()
    wait_idle(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(_photo(tmp_path))
    page.get_by_text("colours were inverted").wait_for(timeout=30_000)
    wait_idle(page)
    assert page.locator(NO_EXCEPTION).count() == 0
    assert page.get_by_text("reads a 7").count() + page.get_by_text("guess is 7").count() >= 1
    screenshot(page, "cnn_upload")

    open_panel(page, "Mistakes")
    assert at_least(page.locator(CHARTS), 2) == 2
    assert page.get_by_text("misclassified").count() >= 1
    screenshot(page, "cnn_mistakes")

    open_panel(page, "Train it yourself")
    page.get_by_role("button", name="Train").click()
    page.get_by_text("Training time").wait_for(timeout=120_000)
    wait_idle(page)
    assert page.locator(NO_EXCEPTION).count() == 0
    assert at_least(page.locator(CHARTS), 2) == 2
    screenshot(page, "cnn_trained_live")


def _stroke(page, canvas, points) -> None:
    """Drag the mouse through ``points`` (fractions of the canvas's width and height)."""
    box = canvas.bounding_box()
    xy = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in points]
    page.mouse.move(*xy[0])
    page.mouse.down()
    for x, y in xy[1:]:
        page.mouse.move(x, y, steps=6)
    page.mouse.up()


def test_draw_a_seven_then_clear_the_canvas(app_url, page):
    page.goto(page_url(app_url, PAGE) + "?cnn_src=Draw+a+digit")
    wait_idle(page)
    page.get_by_text("Draw a digit on the black square").wait_for(timeout=30_000)
    canvas = page.locator("canvas.digit-canvas").first
    _stroke(page, canvas, [(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)])
    page.get_by_text("The network reads a 7").wait_for(timeout=30_000)
    wait_idle(page)
    assert page.locator(NO_EXCEPTION).count() == 0
    assert "cnn_canvas" not in page.url  # the drawing is not a setting of the link
    screenshot(page, "cnn_drawn_seven")

    page.get_by_role("button", name="Clear the drawing").click()
    page.get_by_text("Draw a digit on the black square").wait_for(timeout=30_000)
    assert page.locator(NO_EXCEPTION).count() == 0


def _unit_at(plot, x: float, y: float) -> list[float]:
    """Page coordinates of the mosaic's pixel (x, y)."""
    return plot.locator(".js-plotly-plot").evaluate(
        """(gd, [x, y]) => {
            const L = gd._fullLayout, r = gd.getBoundingClientRect();
            return [r.left + L.xaxis._offset + L.xaxis.d2p(x), r.top + L.yaxis._offset + L.yaxis.d2p(y)];
        }""",
        [x, y],
    )


def test_a_click_on_a_map_opens_that_unit(app_url, page):
    page.goto(page_url(app_url, PAGE) + "?cnn_click=true&cnn_col=9")
    wait_idle(page)
    plot = page.locator('[data-testid="stPlotlyChart"]').nth(2)
    plot.scroll_into_view_if_needed()
    wait_idle(page)
    # Unit (pool 2, channel 5, row 1, column 2): the 4th row of maps, 4 x 4 pixels a unit.
    page.mouse.click(*_unit_at(plot, 5 * 18 + 2 * 4 + 1.5, 3 * 18 + 1 * 4 + 1.5))
    page.get_by_text("Unit pool 2, channel 5, row 1, column 2").wait_for(timeout=30_000)
    wait_idle(page)
    # Another layer: the link follows every number (column 2 is pool 2's default: left out).
    page.wait_for_function("() => location.search.includes('cnn_ch=5')", timeout=10_000)
    assert "cnn_layer=pool+2" in page.url or "cnn_layer=pool%202" in page.url
    assert "cnn_row=1" in page.url and "cnn_col" not in page.url
    # Another unit of the same layer: the ranges stay, and the link follows every number.
    page.mouse.click(*_unit_at(plot, 7 * 18 + 0 * 4 + 1.5, 3 * 18 + 3 * 4 + 1.5))
    page.get_by_text("Unit pool 2, channel 7, row 3, column 0").wait_for(timeout=30_000)
    wait_idle(page)
    assert "cnn_ch=7" in page.url and "cnn_row=3" in page.url and "cnn_col=0" in page.url
    assert page.locator(NO_EXCEPTION).count() == 0
    screenshot(page, "cnn_unit_clicked")
