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


def test_hwc():
    assert cc.hwc(np.zeros((1, 4, 5))).shape == (4, 5) and cc.hwc(np.zeros((3, 4, 5))).shape == (
        4,
        5,
        3,
    )


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


def test_thumbnail_keeps_small_images_and_shrinks_large_ones_by_area():
    small = np.zeros((20, 30))
    assert cc.thumbnail(small, 64) is small and cc.thumbnail(small, None) is small
    flat = np.full((342, 512, 3), 0.25, dtype=np.float32)
    t = cc.thumbnail(flat, 400)
    assert t.shape == (267, 400, 3) and t.dtype == np.float32
    np.testing.assert_allclose(t, 0.25, atol=1e-6)  # a flat image stays flat
    stripes = np.zeros((400, 400))
    stripes[:, ::2] = 1.0  # one-pixel stripes: a block mean gives their average, not aliasing
    np.testing.assert_allclose(cc.thumbnail(stripes, 100), 0.5, atol=1e-6)
    u8 = cc.thumbnail(np.full((50, 900), 200, dtype=np.uint8), 300)
    assert u8.dtype == np.uint8 and u8.shape == (17, 300) and (u8 == 200).all()


def test_pictures_are_sent_at_the_drawn_size_in_image_pixels():
    rng = np.random.default_rng(1)
    img = rng.random((342, 512, 3))
    full, thumb = cc.picture(img, "full"), cc.picture(img, "thumb", max_side=256)
    trace = thumb.data[0]
    assert trace.dx == 2 and trace.dy == 2 and trace.x0 == 0.5  # hover in input pixels
    assert full.data[0].dx is None and len(thumb.to_json()) < len(full.to_json()) / 2
    signed = cc.signed_map(rng.normal(size=(342, 512)), "s", max_side=128)
    assert signed.data[0].dx == 4 and signed.data[1].marker.showscale
    row = cc.picture_row([img, img[..., 0]], ["a", "b"], max_side=100)
    assert len(row.data) == 2 and row.data[1].xaxis == "x2"


def test_formula_helpers_have_the_numbers():
    assert r"\sum_{a=0}^{2} \sum_{b=0}^{4}" in cc.kernel_sum_latex((3, 5), 0.0)
    text = cc.pixel_sum_latex(2, 3, np.ones((1, 2)), np.array([[2.0, -1.0]]), 1.0, written_out=True)
    assert (
        "y_{2,3}" in text
        and "(1.00)(2) + (1.00)(-1)" in text
        and text.endswith(r"= 1 \end{aligned}")
    )
    short = cc.pixel_sum_latex(0, 0, np.ones((7, 7)), np.ones((7, 7)), 49.0, written_out=False)
    assert "(1.00)" not in short and "= 49" in short
    assert cc.pool_size_latex("H", 171, 2, 2, 85).endswith(
        r"\frac{171 - 2}{2} \right\rfloor + 1 = 85"
    )
    assert r"_{16 \times 9}" in cc.im2col_latex(16, 9, (4, 4)) and r"4 \times 4" in cc.im2col_latex(
        16, 9, (4, 4)
    )
    assert cc.scaled_height(342, 342) == 340 and cc.scaled_height(171, 342) < 200
    assert cc.scaled_height(1, 342) == 140


def test_field_boxes_match_the_steps():
    from dlcore.layers import Layer, centre_fields

    stack = [Layer("conv", 3), Layer("pool", 2, 2), Layer("conv", 3)]
    steps = centre_fields(stack, stack, 40, 50)
    boxes, text = cc.field_boxes(steps)
    assert [b[0] for b in boxes] == [tuple(s.field) for s in steps]
    assert text.splitlines()[0].startswith("- :green[after conv: **3 x 3 px**]")
    assert "after + pool + conv: **8 x 8 px**" in text
