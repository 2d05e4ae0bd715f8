"""charts.playground and charts.raster: the network drawing, the pictures shown while playing."""

from __future__ import annotations

import io

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from charts import playground as ch
from charts import raster


def test_layout_centres_columns_and_never_overlaps():
    spots, h, w = ch.map_layout([2, 4, 1], 10)
    assert h == 4 * 10 + 3 * ch.ROW_GAP and w == 3 * 10 + 2 * ch.COLUMN_GAP
    assert spots[1][0] == (10 + ch.COLUMN_GAP, h - 10)  # the tallest column starts at the top
    centres = [np.mean([y + 5 for _, y in column]) for column in spots]
    np.testing.assert_allclose(centres, h / 2, atol=1)
    for column in spots:
        ys = sorted(y for _, y in column)
        assert all(b - a >= 10 + ch.ROW_GAP for a, b in zip(ys, ys[1:]))


def test_mosaic_scales_inputs_and_keeps_neuron_values():
    g = 3
    maps = [np.full((9, 1), 4.0), np.full((9, 2), 0.25)]
    spots, h, w = ch.map_layout([1, 2], g)
    z = ch.mosaic_of(maps, spots, h, w, g)
    x0, y0 = spots[0][0]
    assert np.all(z[y0 : y0 + g, x0 : x0 + g] == 1.0)  # inputs scaled by their largest size
    x1, y1 = spots[1][1]
    assert np.all(z[y1 : y1 + g, x1 : x1 + g] == 0.25)  # neurons keep their value
    assert np.isnan(z).sum() == z.size - 3 * g * g


def test_network_figure_has_one_heatmap_and_grouped_links():
    g = 4
    maps = [np.zeros((16, 2)), np.zeros((16, 3)), np.zeros((16, 1))]
    W1 = np.array([[1.0, -0.1, 0.5], [-1.0, 0.0, 0.2]])
    fig = ch.network_maps(maps, [("x1", "x2"), ("a", "b", "c"), ("o",)], [W1, np.ones((3, 1))], g)
    kinds = [type(t).__name__ for t in fig.data]
    assert kinds.count("Heatmap") == 1
    assert len(fig.data) <= 1 + 2 * len(ch.LINK_WIDTHS) + 1
    hover = fig.data[-1].text
    assert len(hover) == 2 * 3 + 3 * 1 and "w = -0.1 (layer 1, 1 → 2)" in hover
    widest = [t for t in fig.data[1:-1] if t.line.width == ch.LINK_WIDTHS[-1]]
    assert {t.line.color for t in widest} == {ch.POSITIVE, ch.NEGATIVE}  # +1 and -1 both widest


def test_diverging_colours():
    rgb = raster.diverging(np.array([-1.0, 0.0, 1.0, 5.0, np.nan]))
    np.testing.assert_array_equal(rgb[0], raster.BLUE)
    np.testing.assert_array_equal(rgb[1], raster.WHITE)
    np.testing.assert_array_equal(rgb[2], raster.RED)
    np.testing.assert_array_equal(rgb[3], raster.RED)  # clipped
    np.testing.assert_array_equal(rgb[4], raster.BACKGROUND)


def _image(data: bytes) -> np.ndarray:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def test_pictures_have_the_layout_size_and_the_colours():
    g = 8
    maps = [np.ones((64, 2)), -np.ones((64, 3)), np.zeros((64, 1))]
    img = _image(ch.network_picture(maps, [np.ones((2, 3)), -np.ones((3, 1))], g, scale=2))
    spots, h, w = ch.map_layout([2, 3, 1], g)
    assert img.shape == (2 * h, 2 * w, 3)
    x, y = spots[1][0]  # a -1 neuron: blue, row 0 of the picture is the top
    np.testing.assert_array_equal(img[2 * (h - y - g // 2), 2 * (x + g // 2)], raster.BLUE)
    xs = ys = np.linspace(-1, 1, 10)
    proba = np.tile([[0.0, 1.0]], (100, 1))
    plane = _image(
        ch.plane_picture(
            xs,
            ys,
            proba,
            np.zeros((0, 2)),
            np.zeros(0, int),
            np.zeros((0, 2)),
            np.zeros(0, int),
            regression=False,
            scale=4,
        )
    )
    assert plane.shape == (40, 40, 3)
    expected = raster.BACKGROUND + (raster.hex_rgb(ch.PALETTE[1]) - raster.BACKGROUND) * 0.6
    np.testing.assert_allclose(plane[5, 5], expected, atol=1)
    loss = _image(ch.loss_picture(np.array([1.0, 0.5, 0.25]), np.full(3, np.nan)))
    assert loss.shape == (150, 480, 3)
    assert _image(ch.loss_picture(np.zeros(0), np.zeros(0))).shape == (150, 480, 3)


def test_click_grid_and_plane_figures():
    xs = ys = np.linspace(-1, 1, 5)
    fig = ch.with_click_grid(go.Figure(), xs, ys)
    assert len(fig.data[0].x) == 25 and fig.data[0].hoverinfo == "none"
    reg = ch.output_plane(
        xs,
        ys,
        np.linspace(-2, 2, 25),
        np.zeros((3, 2)),
        np.ones(3),
        np.zeros((0, 2)),
        np.zeros(0),
        regression=True,
    )
    assert reg.data[0].zmax == 2.0 and reg.data[0].zmin == -2.0
