"""charts.cnn: the mosaic's geometry, the bars, the unit's blocks, the confusion matrix."""

from __future__ import annotations

import numpy as np
import pytest

from charts import cnn as charts
from dlcore.layers import Field
from dlcore.views.cnn import MapRow


def test_feature_mosaic_is_one_picture_with_the_unit_outlined():
    rows = [MapRow("conv 1", np.random.default_rng(0).random((8, 16, 16))),
            MapRow("pool 2", np.ones((16, 4, 4)))]  # fmt: skip
    fig = charts.feature_mosaic(rows, unit=("pool 2", 2, 1, 3))
    assert len(fig.data) == 1 and fig.data[0].type == "image"
    assert charts.mosaic_layout([8, 16], 16) == (2 * 16 + 2, 16 * 18 - 2)
    unit_box = fig.layout.shapes[0]
    # map 2 of row 1 starts at x = 36, y = 18; a 4 x 4 map is drawn 4x: unit (1, 3) -> (22, 48)
    assert (unit_box.x0, unit_box.y0) == (36 + 12 - 0.5, 18 + 4 - 0.5)
    assert [a.text for a in fig.layout.annotations] == ["conv 1", "pool 2"]


def test_probability_bars_highlight_the_winner():
    p = np.full(10, 0.05)
    p[3] = 0.55
    fig = charts.class_probabilities(p, np.arange(10.0), 3, 2.0)
    colors = fig.data[0].marker.color
    assert colors[3] != colors[0] and len(set(colors)) == 2
    assert fig.data[0].text[3] == "z=3.0" and "2" in fig.layout.title.text


def test_unit_products_tile_the_channels_with_gaps():
    products = np.arange(8 * 9, dtype=float).reshape(8, 3, 3)
    z = np.array(charts.unit_products(products, "t").data[0].z, dtype=float)
    assert z.shape == (7, 15)
    np.testing.assert_array_equal(z[4:7, 4:7], products[5])
    assert np.isnan(z[3]).all() and np.isnan(z[:, 3]).all()


def test_confusion_and_digit_grid_and_filters():
    m = np.eye(10) * 45
    fig = charts.confusion(m, normalised=False)
    assert fig.data[0].text[0][0] == "45" and fig.data[0].text[0][1] == ""
    grid = charts.digit_grid(np.zeros((7, 16, 16)), [f"#{i}" for i in range(7)], columns=5)
    assert len(grid.layout.annotations) == 7
    filters = charts.filters_before_after(np.ones((4, 3, 3)), -np.ones((4, 3, 3)))
    assert filters.data[0].type == "image"
    field = charts.digit_with_field(np.zeros((16, 16)), Field(-1, 1, 14, 16), "t")
    box = fig_box = field.layout.shapes[0]
    assert (fig_box.x0, box.x1, box.y0, box.y1) == (13.5, 15.5, -0.5, 1.5)


def network_shaped_rows() -> list[MapRow]:
    """Maps of the shapes the digits network makes (their values do not matter here)."""
    shapes = {
        "conv 1": (8, 16, 16),
        "pool 1": (8, 8, 8),
        "conv 2": (16, 8, 8),
        "pool 2": (16, 4, 4),
    }
    return [MapRow(name, np.zeros(shape)) for name, shape in shapes.items()]


def test_every_unit_point_falls_inside_its_own_cell_of_the_mosaic():
    split = network_shaped_rows()
    x, y, ids = charts.unit_points(split)
    assert len(x) == 8 * 16 * 16 + 8 * 8 * 8 + 16 * 8 * 8 + 16 * 4 * 4
    for (layer, channel, row, col), px, py in zip(ids, x, y, strict=True):
        side = split[layer].maps.shape[1]
        f = charts.CELL // side
        left, top = channel * (charts.CELL + charts.GAP), layer * (charts.CELL + charts.GAP)
        assert left + col * f <= px < left + (col + 1) * f
        assert top + row * f <= py < top + (row + 1) * f
    codes = np.ravel_multi_index(tuple(ids.T), charts.UNIT_CODES)
    assert len(set(codes.tolist())) == len(codes)  # one code, one unit
    assert [charts.unit_of_code(int(c)) for c in codes[::97]] == [tuple(i) for i in ids[::97]]


@pytest.mark.parametrize("bad", [-1, 8 * 64 * 16 * 16, "12", 3.0, None, True, [1, 2, 3, 4]])
def test_a_unit_code_from_the_browser_must_be_an_in_range_integer(bad):
    with pytest.raises(ValueError):
        charts.unit_of_code(bad)


def test_the_clickable_mosaic_adds_one_webgl_trace_of_codes():
    rows = network_shaped_rows()
    fig = charts.with_unit_clicks(charts.feature_mosaic(rows), rows)
    clicks = fig.data[-1]
    assert clicks.type == "scattergl" and len(clicks.x) == len(clicks.customdata) == 3840
    assert fig.layout.clickmode == "event+select"
