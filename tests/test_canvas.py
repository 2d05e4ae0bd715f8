"""ui.canvas: what the browser sends is decoded only when it is a PNG data URL."""

import base64
import io

import numpy as np
import pytest
from PIL import Image

from ui.canvas import MAX_URL, PNG_URL, png_of_url
from ui.images import load_image


def _png(pixels: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")
    return out.getvalue()


def test_a_drawing_round_trips_to_the_loader():
    ink = np.zeros((224, 224, 4), dtype=np.uint8)
    ink[..., 3] = 255
    ink[40:180, 100:120, :3] = 255  # a white bar: a "1"
    png = _png(ink)
    got = png_of_url(PNG_URL + base64.b64encode(png).decode())
    assert got == png
    gray = load_image(got, gray=True, max_side=224)
    assert gray.shape == (224, 224)
    assert gray[100, 110] == pytest.approx(1.0) and gray[100, 10] == pytest.approx(0.0)


@pytest.mark.parametrize(
    "sent",
    [
        None,
        "",
        42,
        ["data:image/png;base64,AAAA"],
        "data:image/jpeg;base64,/9j/4AAQ",
        "data:text/html;base64,PHNjcmlwdD4=",
        PNG_URL,  # nothing after the prefix
        PNG_URL + "not base64!",
        PNG_URL + "A" * MAX_URL,  # over-long
    ],
)
def test_anything_else_is_none(sent):
    assert png_of_url(sent) is None


def test_a_png_url_of_garbage_reaches_the_loader_and_is_refused_there():
    junk = png_of_url(PNG_URL + base64.b64encode(b"not a png at all").decode())
    assert junk == b"not a png at all"
    with pytest.raises(ValueError):
        load_image(junk, gray=True, max_side=224)
