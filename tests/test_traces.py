"""Shared chart pieces: the banded map behind contour-like figures."""

from __future__ import annotations

import base64
import io

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from charts.traces import (
    BLUES,
    MAP_PIXELS,
    band_edges,
    band_palette,
    banded_image,
    banded_map,
    nearest_upsample,
    upsample,
)


def _decode(uri: str) -> np.ndarray:
    assert uri.startswith("data:image/png;base64,")
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))))


def test_upsample_is_bilinear_and_keeps_the_ends():
    z = np.arange(6.0).reshape(2, 3)
    fine = upsample(z, 2)
    assert fine.shape == (3, 5)
    np.testing.assert_allclose(fine[::2, ::2], z)
    np.testing.assert_allclose(fine[1], [1.5, 2.0, 2.5, 3.0, 3.5])
    assert upsample(z, 1) is z


def _reference_upsample(z: np.ndarray, factor: int) -> np.ndarray:
    """The loop it replaced: np.interp along every row, then along every column."""
    ny, nx = z.shape
    fine_y = np.linspace(0, ny - 1, (ny - 1) * factor + 1)
    fine_x = np.linspace(0, nx - 1, (nx - 1) * factor + 1)
    rows = np.stack([np.interp(fine_x, np.arange(nx), row) for row in z])
    return np.stack([np.interp(fine_y, np.arange(ny), col) for col in rows.T], axis=1)


def _reference_banded_rgb(z: np.ndarray, bands: int) -> np.ndarray:
    """banded_image's pixels computed colour by colour, pixel by pixel (the first version)."""
    finite = np.isfinite(z)
    lo, hi = float(z[finite].min()), float(z[finite].max())
    factor = max(1, -(-MAP_PIXELS // max(z.shape)))
    fine = _reference_upsample(np.where(finite, z, hi), factor)
    hole = ~nearest_upsample(finite, factor)
    level = np.floor((fine - lo) / max(hi - lo, 1e-300) * bands).clip(0, bands - 1) / (bands - 1)
    stops = np.linspace(0, 1, len(BLUES))
    rgb = np.stack([np.interp(level, stops, BLUES[:, c]) for c in range(3)], axis=-1)
    rgb = 255 - 0.55 * (255 - rgb)
    rgb[band_edges(level) & ~hole] *= 0.8
    rgb[hole] = 255
    return rgb[::-1].round().astype(np.uint8)


def test_upsample_equals_np_interp_row_by_row_bit_for_bit():
    rng = np.random.default_rng(0)
    for shape, factor in [((2, 3), 2), ((7, 5), 3), ((40, 41), 9), ((120, 120), 3)]:
        z = rng.normal(size=shape) * 10.0 ** rng.integers(-3, 4)
        np.testing.assert_array_equal(upsample(z, factor), _reference_upsample(z, factor))


def test_banded_image_equals_the_pixel_by_pixel_reference():
    g = np.linspace(-2, 2, 121)
    x, y = np.meshgrid(g, g)
    rosenbrock = np.log10((1 - x) ** 2 + 100 * (y - x**2) ** 2 + 1)
    holes = np.where(x * y > 1, np.nan, np.hypot(x, y))
    noise = np.random.default_rng(1).normal(size=(33, 50))
    for z, bands in [(rosenbrock, 24), (holes, 18), (noise, 30), (rosenbrock, 2)]:
        np.testing.assert_array_equal(
            _decode(banded_image(z, bands)), _reference_banded_rgb(z, bands)
        )


def test_band_palette_runs_dark_to_light_with_darker_edges():
    light, dark = band_palette(5)
    assert light.shape == dark.shape == (5, 3) and light.dtype == np.uint8
    assert (np.diff(light.astype(int).sum(axis=1)) > 0).all()  # band 0, the lowest, darkest
    assert (dark < light).all()
    assert light[-1].tolist() == [251, 253, 255]  # 255 - 0.55 * (255 - BLUES[-1]), rounded


def test_band_edges_mark_where_the_band_changes():
    level = np.array([[0, 0, 1], [0, 0, 1], [1, 1, 1]])
    assert band_edges(level).tolist() == [
        [False, True, False],
        [True, True, False],
        [False, False, False],
    ]


def test_banded_image_low_is_dark_top_row_is_largest_y_and_nan_is_white():
    g = np.linspace(-1, 1, 41)
    z = np.add.outer(g, np.zeros_like(g))  # z grows with y (rows)
    z[0, 0] = np.nan
    img = _decode(banded_image(z))
    assert max(img.shape[:2]) >= MAP_PIXELS
    top, bottom = img[0].mean(), img[-1].mean()
    assert top > bottom  # the top row is the largest y: the highest values, the lightest
    assert (img[-1, 0] == 255).all()  # the NaN cell (lowest y, first x) is white


def test_banded_map_spans_the_grid_behind_the_axes():
    fig = go.Figure()
    banded_map(fig, [0.0, 1.0, 2.0], [-1.0, 0.0, 3.0], np.ones((3, 3)))
    (image,) = fig.layout.images
    assert (image.x, image.y, image.sizex, image.sizey) == (0.0, 3.0, 2.0, 4.0)
    assert image.layer == "below" and image.sizing == "stretch"


def test_a_hole_in_the_map_stays_the_size_of_its_cells():
    g = np.linspace(-1, 1, 41)
    z = np.add.outer(g, g)
    z[20, :] = np.nan  # one undefined row (y = 0)
    img = _decode(banded_image(z))
    white_rows = np.where((img == 255).all(axis=(1, 2)))[0]
    assert 0 < len(white_rows) <= img.shape[0] // 40 + 1  # about one grid row, not two


def test_banded_image_and_map_refuse_what_they_cannot_draw():
    import pytest

    with pytest.raises(ValueError, match="bands"):
        banded_image(np.ones((3, 3)), bands=1)
    with pytest.raises(ValueError, match="increase"):
        banded_map(go.Figure(), [2.0, 1.0, 0.0], [0.0, 1.0, 2.0], np.ones((3, 3)))


def test_banded_map_turns_grid_lines_off_over_the_picture():
    fig = go.Figure()
    banded_map(fig, [0.0, 1.0], [0.0, 1.0], np.ones((2, 2)))
    assert fig.layout.xaxis.showgrid is False and fig.layout.yaxis.zeroline is False
