"""charts.cnn: the mosaic's geometry, the bars, the unit's blocks, the confusion matrix."""

from __future__ import annotations

import numpy as np

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
