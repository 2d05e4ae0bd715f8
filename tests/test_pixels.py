"""Luminance: BT.601 weights, as Pillow computes them."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from dlcore.pixels import BT601, encode_png, to_gray


def test_weights_sum_to_one_and_match_pillow():
    assert BT601.sum() == pytest.approx(1.0)
    rgb = np.random.default_rng(0).integers(0, 256, (16, 16, 3), dtype=np.uint8)
    pillow = np.asarray(Image.fromarray(rgb).convert("L"), dtype=np.float32)
    # Pillow rounds to 8 bits; ours stays in float.
    np.testing.assert_allclose(to_gray(rgb), pillow, atol=0.5)


def test_primaries_gray_input_and_shape_errors():
    np.testing.assert_allclose(to_gray(np.eye(3).reshape(1, 3, 3))[0], BT601)
    gray = np.ones((2, 3), np.float32)
    np.testing.assert_array_equal(to_gray(gray), gray)
    with pytest.raises(ValueError, match="shape"):
        to_gray(np.zeros((2, 2, 4)))


@pytest.mark.parametrize("shape", [(5, 7), (5, 7, 3), (5, 7, 4)])
def test_encode_png_round_trips_through_pillow(shape):
    import io

    img = np.random.default_rng(1).integers(0, 256, shape, dtype=np.uint8)
    decoded = np.asarray(Image.open(io.BytesIO(encode_png(img))))
    np.testing.assert_array_equal(decoded, img)


def test_encode_png_refuses_what_it_cannot_write():
    with pytest.raises(ValueError, match="uint8"):
        encode_png(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="shape"):
        encode_png(np.zeros((2, 2, 2), np.uint8))
    with pytest.raises(ValueError, match="shape"):
        encode_png(np.zeros((0, 2), np.uint8))
