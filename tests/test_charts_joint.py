"""charts.joint: the figures carry the numbers they are given."""

from __future__ import annotations

import numpy as np

from charts import joint as charts


def test_joint_heatmap_outlines_the_slice():
    joint = np.array([[0.1, 0.2, 0.3], [0.25, 0.1, 0.05]])
    col = charts.joint_heatmap(joint, "B", 2)
    assert (col.layout.shapes[0].x0, col.layout.shapes[0].x1) == (1.5, 2.5)
    assert (col.layout.shapes[0].y0, col.layout.shapes[0].y1) == (-0.5, 1.5)
    row = charts.joint_heatmap(joint, "A", 1)
    assert (row.layout.shapes[0].y0, row.layout.shapes[0].y1) == (0.5, 1.5)
    assert list(col.data[0].x) == ["b1", "b2", "b3"] and col.data[0].text[1][0] == "0.25"


def test_conditional_bars_and_scatter():
    bars = charts.conditional_bars(
        ["a1", "a2"], np.array([0.7, 0.3]), np.array([0.5, 0.5]), label="P"
    )
    np.testing.assert_allclose(bars.data[0].y, [0.7, 0.3])
    X = np.random.default_rng(0).standard_normal((50, 2))
    ellipse = np.zeros((10, 2))
    fig = charts.correlation_scatter(X, (0.0, 0.5), (0.0, float("inf")), ellipse)
    vertical = fig.data[2]
    assert vertical.x[0] == vertical.x[1]  # an infinite slope is a vertical line at the mean
    np.testing.assert_allclose(fig.data[1].y, 0.5 * np.asarray(fig.data[1].x), rtol=1e-6)
    assert fig.data[0].type == "scatter"  # a small sample: SVG markers
    big = np.random.default_rng(1).standard_normal((charts.SVG_POINTS + 1, 2))
    assert charts.correlation_scatter(big, (0.0, 0.5), (0.0, 2.0), ellipse).data[0].type == (
        "scattergl"
    )


def test_correlation_heatmap_labels_small_matrices_only():
    small = charts.correlation_heatmap(["a", "b"], np.eye(2))
    assert small.data[0].text[0][0] == "1.00"
    big = charts.correlation_heatmap([f"f{i}" for i in range(13)], np.eye(13))
    assert big.data[0].text is None


def test_covariance_heatmap_is_symmetric_about_zero():
    fig = charts.covariance_heatmap(["a", "b"], np.array([[4.0, -1.0], [-1.0, 0.5]]))
    assert (fig.data[0].zmin, fig.data[0].zmax) == (-4.0, 4.0)
    assert fig.data[0].text[0][1] == "-1"
