"""charts.conv: colours, scaling, formulas and that every figure builds with data in it."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from charts import conv as cc
from dlcore.layers import feature_stack


def test_colorize_is_white_at_zero_and_saturated_at_the_bound():
    rgb = cc.colorize(np.array([[-2.0, 0.0, 2.0]]), bound=2.0)
    assert rgb.dtype == np.uint8 and rgb.shape == (1, 3, 3)
    assert rgb[0, 1].min() > 240  # zero is (near) white
    assert rgb[0, 0, 2] > rgb[0, 0, 0] and rgb[0, 2, 0] > rgb[0, 2, 2]  # blue below, red above


def test_unit_range_clips_outliers():
    v = np.concatenate([np.linspace(0, 1, 1000), [1000.0]])
    u = cc.unit_range(v)
    assert u.min() == 0 and u.max() == 1 and u[500] == pytest.approx(0.5, abs=0.01)
    assert not cc.unit_range(np.ones(5)).any()


def test_size_latex_has_the_numbers():
    text = cc.size_latex("H", 10, 3, 2, (1, 1), 1, 5)
    assert r"\frac{10 + 1 + 1 - 1\cdot(3 - 1) - 1}{2}" in text and text.endswith("= 5")
    assert "impossible" in cc.size_latex("W", 2, 5, 1, (0, 0), 1, None)


def test_hwc_and_matrix_latex():
    assert cc.hwc(np.zeros((1, 4, 5))).shape == (4, 5) and cc.hwc(np.zeros((3, 4, 5))).shape == (
        4,
        5,
        3,
    )
    assert cc.matrix_latex(np.eye(2)) == r"\begin{bmatrix}1 & 0 \\ 0 & 1\end{bmatrix}"


def test_every_figure_builds():
    rng = np.random.default_rng(0)
    img = rng.random((40, 50, 3)).astype(np.float32)
    figs = [
        cc.picture(img, "p", boxes=[((1, 5, 2, 6), "#000000", "box")]),
        cc.signed_map(rng.normal(size=(300, 200)), "s"),
        cc.pixel_product(np.ones((3, 3)), rng.normal(size=(3, 3))),
        cc.zoom(rng.random((12, 12)), "z", marks=rng.random((12, 12)) > 0.5, windows=(2, 2)),
        cc.patch_zoom(img[..., 0], np.arange(-1, 2), np.arange(3, 6)),
        cc.fields(img, [((18, 20, 23, 25), "#000000", ""), ((15, 24, 20, 29), "#111111", "")], "f"),
        cc.im2col_product(rng.random((9, 16)), rng.normal(size=9), rng.normal(size=16)),
        cc.stage_grid(feature_stack(img.mean(axis=2))),
    ]
    for fig in figs:
        assert isinstance(fig, go.Figure) and len(fig.data) >= 1
    assert len(figs[-1].data) == 1 + 4 + 4 + 4 + 3 + 3
    big = cc.picture(rng.random((400, 600)), "big")
    assert big.data[0].source.startswith("data:image/jpeg") and len(big.to_json()) < 600_000
