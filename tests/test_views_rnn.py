"""dlcore.views.rnn: what the Recurrent networks panels show."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore import rnn
from dlcore.rnn_train import RNNTrainConfig, start_run, train_rnn
from dlcore.views import rnn as views


@pytest.mark.parametrize("task", ["Sine wave", "Parity bits", "Characters"])
def test_unrolled_view_writes_out_the_chosen_step(task):
    v = views.unrolled_view(task, 4, 2, 0)
    assert v.passed and np.all(v.check.errors < views.RNN_CHECK_THRESHOLD)
    assert v.h.shape == (5, views.SMALL_HIDDEN) and v.dh.shape == (5, views.SMALL_HIDDEN)
    assert len(v.inputs) == len(v.targets) == len(v.outputs) == 4
    np.testing.assert_allclose(v.dh_norm, np.linalg.norm(v.dh, axis=1))
    assert v.forward_tex[0].startswith(r"a_{2} = x_{2} W_{xh} + h_{1} W_{hh}")
    assert r"\frac{\partial L}{\partial a_{3}} W_{hh}^\top" in v.backward_tex[0]
    np.testing.assert_array_equal(v.h[0], 0.0)


def test_unrolled_view_numbers_are_the_forward_pass():
    v = views.unrolled_view("Sine wave", 3, 3, 5)
    h3 = "&".join(f" {x:.3g} " for x in v.h[3]).split("&")
    assert all(s.strip() in v.forward_tex[1] for s in h3)
    assert "nothing comes back from later" in v.backward_tex[0]  # the last step
    # the gradient at the last state is its own output's alone: dL/dy_T W_hy^T
    assert np.linalg.norm(v.dh[3]) > 0


def test_unrolled_view_rejects_a_step_beyond_t():
    with pytest.raises(ValueError, match="step"):
        views.unrolled_view("Sine wave", 3, 4, 0)
    with pytest.raises(ValueError, match="task"):
        views.unrolled_view("Poems", 3, 1, 0)


def test_time_verdict_edges():
    assert views.time_verdict(0.0099) == "vanishing"
    assert views.time_verdict(0.01) == "stable"
    assert views.time_verdict(100.0) == "stable"
    assert views.time_verdict(100.1) == "exploding"
    assert views.time_verdict(float("nan")) == "exploding"


@pytest.mark.parametrize(
    ("radius", "verdict"), [(0.5, "vanishing"), (1.0, "stable"), (1.5, "exploding")]
)
def test_through_time_view_verdict_follows_rho(radius, verdict):
    v = views.through_time_view(radius, "orthogonal", "linear", 50, 16, None, 0)
    assert v.verdict == verdict
    assert v.rate == pytest.approx(radius, rel=1e-9)
    assert v.scale == 1.0 and v.clipped_norm == v.norm
    assert rf"\rho^{{50}} = {radius:g}^{{50}}" in v.ratio_tex


def test_through_time_view_clipping_caps_the_norm_and_keeps_the_direction():
    v = views.through_time_view(1.5, "orthogonal", "linear", 50, 16, 1.0, 0)
    assert v.norm > 1e6 and v.clipped_norm == pytest.approx(1.0, rel=1e-6)
    assert v.scale == pytest.approx(1.0 / v.norm, rel=1e-6)
    W = rnn.recurrent_matrix(16, 1.5, rng=0)
    ref = rnn.gradient_through_time(W, 50, activation="linear", rng=0)
    np.testing.assert_allclose(v.result.ratio, ref.ratio)


def test_train_view_status_and_metrics():
    cfg = RNNTrainConfig(task="Parity bits", length=8)
    fresh = views.rnn_train_view(cfg, start_run(cfg))
    assert fresh.status == "fresh" and "held-out accuracy" in fresh.metrics
    run = views.train_run_rnn(cfg, None, 300)
    w = views.rnn_train_view(cfg, run)
    assert w.status == "trained" and w.metrics["steps"] == "300"
    assert int(w.metrics["held-out accuracy"].rstrip("%")) >= 90
    assert set(w.targets) <= {"0", "1"} and len(w.outputs) == 16
    wild = RNNTrainConfig(optimizer="SGD", lr=0.3, radius=1.0, length=30, clip=None)
    d = views.rnn_train_view(wild, train_rnn(wild, None, 100))
    assert d.status == "diverged" and "clipping" in d.message
    assert "held-out RMSE" in d.metrics


def test_token_labels():
    X = np.eye(8)[[3, 2, 4]]
    assert views.token_labels("Characters", X) == ["'h'", "'e'", "'l'"]
    assert views.token_labels("Parity bits", np.array([[1.0], [0.0]])) == ["1", "0"]
    assert views.target_labels("Sine wave", np.array([0.5])) == ["0.50"]


def test_through_time_view_with_an_lstm():
    v = views.through_time_view(0.9, "orthogonal", "tanh", 50, 16, None, 0, forget_bias=5.0)
    assert v.lstm_ratio.shape == (51,) and v.lstm_ratio[0] == 1.0
    assert v.lstm_ratio[50] > 100 * v.result.ratio[50]  # the LSTM's gradient survives longer
    assert views.through_time_view(0.9, "orthogonal", "tanh", 50, 16, None, 0).lstm_ratio is None
