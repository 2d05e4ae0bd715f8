"""charts.backprop: what the figures encode (layout, colour bands, tiling), not how they look."""

from __future__ import annotations

import numpy as np

from charts import backprop as charts
from dlcore import autograd, nn


def test_graph_layout_and_gradients_revealed_step_by_step():
    t = autograd.trace(nn.neuron([1.0, -0.5], [0.8, 0.4], 0.1, 1.0))
    depth, _ = charts._layout(len(t.labels), t.edges)
    pos = dict(zip(t.labels, depth))
    assert (
        pos["b"] == pos["z"] - 1 and pos["t"] == pos["a - t"] - 1
    )  # inputs sit next to where they enter
    assert pos["L"] == max(depth)

    def texts(step):
        fig = charts.computational_graph(
            t.labels, t.values, t.grads, t.edges, t.local, t.chain, t.order, step
        )
        return [a.text for a in fig.layout.annotations]

    assert sum("grad ?" in x for x in texts(0)) == len(t.labels)
    assert sum("grad ?" in x for x in texts(len(t.order))) == 0
    # after step 1 only L is final: its input a - t is an op whose gradient shows once its own step comes
    assert sum("grad ?" not in x and "<b>" in x for x in texts(1)) == 1


def test_decision_regions_put_each_class_in_its_colour_band():
    xs = ys = np.linspace(-1, 1, 3)
    proba = np.tile([[0.9, 0.05, 0.05], [0.2, 0.7, 0.1], [1 / 3, 1 / 3, 1 / 3]], (3, 1))
    fig = charts.decision_regions(xs, ys, proba, np.zeros((2, 2)), np.array([0, 2]))
    z = np.asarray(fig.data[0].z).ravel()
    assert np.all((z[:3] >= [0, 1, 0]) & (z[:3] < [1, 2, 1]))
    np.testing.assert_allclose(z[2], 0.0, atol=1e-6)  # a coin toss is the palest tint


def test_neuron_maps_tile_every_neuron_and_curves_mark_divergence():
    xs = ys = np.linspace(0, 1, 8)
    out = np.random.default_rng(0).normal(size=(64, 5))
    fig = charts.neuron_maps(xs, ys, out, cols=4)
    mosaic = np.asarray(fig.data[0].z, float)
    assert np.isfinite(mosaic).sum() == 5 * 64 and len(fig.layout.annotations) == 5
    curves = charts.training_curves(np.ones(5), np.ones(5), np.ones(5), np.ones(5), diverged_at=3)
    assert curves.layout.shapes[0].x0 == 4 and len(curves.data) == 4
