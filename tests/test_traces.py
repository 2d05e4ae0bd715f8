"""Shared chart pieces: the banded map behind contour-like figures."""

from __future__ import annotations

import base64
import io

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from charts.traces import MAP_PIXELS, band_edges, banded_image, banded_map, upsample


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
