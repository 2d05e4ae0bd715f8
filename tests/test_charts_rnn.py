"""charts.rnn: the figures carry the numbers they are given."""

from __future__ import annotations

import numpy as np

from charts import rnn as charts


def test_unrolled_graph_colours_states_by_their_gradient():
    h = np.arange(12.0).reshape(4, 3) / 12
    dh = np.array([[3.0, 4.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 2.0, 0.0]])
    fig = charts.unrolled_graph(["a", "b", "c"], ["b", "c", "d"], h, dh, 2)
    states = fig.data[2]
    np.testing.assert_allclose(states.marker.color, [5.0, 1.0, 1.0, 2.0])
    assert list(states.text) == ["h0", "h1", "h2", "h3"]
    assert list(fig.data[3].text) == ["a", "b", "c"] and list(fig.data[4].text) == ["b", "c", "d"]
    bold = [v for v in fig.data[1].x if v is not None]
    assert bold == [2, 2, 1, 2, 2, 2]  # x_2 -> h_2, h_1 -> h_2, h_2 -> y_2


def test_gradient_decay_hides_values_a_log_axis_cannot_show():
    k = np.arange(4)
    fig = charts.gradient_decay(k, np.array([1.0, 0.0, np.inf, 0.1]), 0.5**k)
    y = np.asarray(fig.data[0].y, float)
    assert y[0] == 1.0 and np.isnan(y[1]) and np.isnan(y[2])
    assert fig.layout.yaxis.type == "log"


def test_weight_parts_show_the_clipped_bars_only_when_clipped():
    k = np.arange(6)
    parts = np.array([1.0, 2.0, 3.0, 4.0, 0.0])
    assert len(charts.weight_gradient_parts(k, parts, 1.0).data) == 1
    clipped = charts.weight_gradient_parts(k, parts, 0.5)
    np.testing.assert_allclose(np.asarray(clipped.data[1].y, float)[:4], [0.5, 1.0, 1.5, 2.0])


def test_training_curves_and_predictions():
    loss = np.geomspace(1, 0.01, 50)
    fig = charts.rnn_training_curves(loss, loss * 3, 1.0)
    assert len(fig.data) == 2 and fig.layout.shapes[0].y0 == 1.0
    pred = charts.sequence_prediction(np.sin(np.arange(5)), np.cos(np.arange(5)))
    assert list(pred.data[0].x) == [1, 2, 3, 4, 5]
    bars = charts.class_confidence(["'a'", "'b'"], np.array([0.9, 0.2]), np.array([True, False]))
    assert bars.data[0].marker.color[0] != bars.data[0].marker.color[1]
