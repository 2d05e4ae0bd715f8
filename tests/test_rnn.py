"""dlcore.rnn and dlcore.rnn_train: BPTT against central differences and autograd, rho^k, training."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore import rnn
from dlcore.autograd import Tensor, mse, softmax_cross_entropy
from dlcore.rnn_train import (
    SEQUENCE_TASKS,
    RNNTrainConfig,
    make_sequences,
    predict_sequence,
    start_run,
    train_rnn,
)


def _weights(task: str, hidden: int = 4, seed: int = 1) -> rnn.RNNWeights:
    spec = SEQUENCE_TASKS[task]
    w = rnn.init_rnn(spec.n_in, hidden, spec.n_out, radius=1.1, rng=seed)
    gen = np.random.default_rng(seed + 10)  # non-zero biases, so their gradients are tested too
    return w._replace(
        b_h=0.3 * gen.standard_normal(hidden), b_y=0.3 * gen.standard_normal(spec.n_out)
    )


@pytest.mark.parametrize("task", list(SEQUENCE_TASKS))
@pytest.mark.parametrize("activation", rnn.CELL_ACTIVATIONS)
def test_bptt_matches_central_differences(task, activation):
    X, y = make_sequences(task, 3, 7, rng=0)
    check = rnn.rnn_gradient_check(
        _weights(task), X, y, loss=SEQUENCE_TASKS[task].loss, activation=activation
    )
    assert check.names == rnn.RNN_PARAMS
    assert np.all(check.errors < 1e-7), dict(zip(check.names, check.errors))


def _autograd_loss(w: rnn.RNNWeights, X: np.ndarray, y: np.ndarray, loss: str):
    """The same network built step by step on dlcore.autograd: an independent BPTT."""
    params = [Tensor(p) for p in w]
    W_xh, W_hh, b_h, W_hy, b_y = params
    h = Tensor(np.zeros((X.shape[1], w.W_hh.shape[0])))
    total = None
    for t in range(X.shape[0]):
        h = (Tensor(X[t]) @ W_xh + h @ W_hh + b_h).tanh()
        out = h @ W_hy + b_y
        step = mse(out, y[t]) if loss == "mse" else softmax_cross_entropy(out, y[t])
        total = step if total is None else total + step
    total = total * (1.0 / X.shape[0])
    total.backward()
    return total.item(), [p.grad for p in params]


@pytest.mark.parametrize("task", list(SEQUENCE_TASKS))
def test_bptt_equals_autograd_through_the_unrolled_graph(task):
    X, y = make_sequences(task, 5, 9, rng=3)
    w = _weights(task, hidden=6, seed=2)
    loss = SEQUENCE_TASKS[task].loss
    value, grads, _ = rnn.rnn_loss_and_grads(w, X, y, loss=loss)
    ref_value, ref_grads = _autograd_loss(w, X, y, loss)
    assert value == pytest.approx(ref_value, rel=1e-12)
    for name, g, r in zip(rnn.RNN_PARAMS, grads, ref_grads):
        np.testing.assert_allclose(g, r, rtol=1e-10, atol=1e-13, err_msg=name)


def test_forward_is_the_recurrence_vectorised_over_the_batch():
    X, _ = make_sequences("Characters", 4, 5, rng=0)
    w = _weights("Characters")
    fwd = rnn.rnn_forward(w, X)
    for b in range(4):  # one sequence at a time, the formula as written
        h = np.zeros(4)
        for t in range(5):
            h = np.tanh(X[t, b] @ w.W_xh + h @ w.W_hh + w.b_h)
            np.testing.assert_allclose(fwd.h[t + 1, b], h, rtol=1e-13)
            np.testing.assert_allclose(fwd.y[t, b], h @ w.W_hy + w.b_y, rtol=1e-13)


def test_cross_entropy_equals_scipy_log_softmax():
    special = pytest.importorskip("scipy.special")
    y = np.random.default_rng(0).standard_normal((3, 4, 5)) * 30
    labels = np.random.default_rng(1).integers(0, 5, (3, 4))
    value, _ = rnn.output_loss(y, labels, "xent")
    ref = -np.take_along_axis(special.log_softmax(y, axis=2), labels[..., None], 2).mean()
    assert value == pytest.approx(ref, rel=1e-12)


def test_recurrent_matrix_has_the_spectral_radius_asked_for():
    for kind in ("orthogonal", "gaussian"):
        W = rnn.recurrent_matrix(12, 1.3, kind=kind, rng=5)
        assert rnn.spectral_radius(W) == pytest.approx(1.3, rel=1e-10)
    Q = rnn.recurrent_matrix(12, 1.0, rng=5)
    np.testing.assert_allclose(Q.T @ Q, np.eye(12), atol=1e-12)
    G = rnn.recurrent_matrix(12, 1.0, kind="gaussian", rng=5)
    assert np.linalg.norm(G, 2) > 1.1  # not normal: its largest singular value exceeds rho


@pytest.mark.parametrize("radius", [0.5, 0.8, 0.95, 1.0, 1.05, 1.2])
def test_linear_cell_scaled_orthogonal_ratio_is_rho_to_the_k(radius):
    """Tolerance: relative 1e-9 at every k up to 60 (exact up to round-off)."""
    W = rnn.recurrent_matrix(16, radius, rng=0)
    r = rnn.gradient_through_time(W, 60, activation="linear", rng=1)
    np.testing.assert_allclose(r.ratio, radius ** np.arange(61), rtol=1e-9)
    np.testing.assert_allclose(r.reference, radius ** np.arange(61), rtol=1e-12)
    assert r.radius == pytest.approx(radius)


@pytest.mark.parametrize("radius", [0.7, 0.9, 1.1])
def test_linear_cell_symmetric_matrix_ratio_tracks_rho_to_the_k(radius):
    """A normal matrix that is not orthogonal: ||W^k v|| <= rho^k ||v|| (tolerance 1e-9), and
    the per-step rate ratio_k^(1/k) within 5 % of rho at k = 80 (log-rate within 0.05)."""
    gen = np.random.default_rng(4)
    Q = rnn.orthogonal(16, rng=gen)
    eig = gen.uniform(-1, 1, 16)
    eig[0] = 1.0
    W = (Q * (radius * eig)) @ Q.T
    r = rnn.gradient_through_time(W, 80, activation="linear", rng=2)
    assert r.radius == pytest.approx(radius)
    assert np.all(r.ratio <= r.reference * (1 + 1e-9))
    assert abs(np.log(r.ratio[80]) / 80 - np.log(radius)) < 0.05


def test_tanh_cell_at_rest_is_the_linear_cell_and_otherwise_below_it():
    W = rnn.recurrent_matrix(8, 1.1, rng=0)
    rest = rnn.gradient_through_time(W, 30, activation="tanh", input_scale=0.0, rng=1)
    np.testing.assert_allclose(rest.ratio, rest.reference, rtol=1e-9)  # tanh'(0) = 1
    driven = rnn.gradient_through_time(W, 30, activation="tanh", input_scale=1.0, rng=1)
    assert np.all(driven.ratio <= driven.reference * (1 + 1e-9))  # |tanh'| <= 1, W normal
    assert driven.ratio[-1] < 0.5 * driven.reference[-1]


def test_contributions_add_up_to_the_weight_gradient():
    W = rnn.recurrent_matrix(6, 0.9, rng=0)
    r = rnn.gradient_through_time(W, 12, activation="tanh", rng=3)
    assert r.contribution.shape == (12,)
    assert r.contribution[-1] == 0.0  # h_0 = 0 adds nothing
    assert np.linalg.norm(r.grad_W_hh) <= r.contribution.sum() * (1 + 1e-12)  # triangle


def test_clip_by_norm_matches_torch_semantics():
    g = np.array([3.0, 4.0])
    clipped, norm, scale = rnn.clip_by_norm(g, 1.0)
    assert norm == 5.0 and scale == pytest.approx(1 / (5 + 1e-6))
    np.testing.assert_allclose(clipped, g / (5 + 1e-6))
    same, _, one = rnn.clip_by_norm(g, 10.0)
    assert one == 1.0 and np.array_equal(same, g)
    assert rnn.clip_by_norm(g, None)[2] == 1.0
    with pytest.raises(ValueError, match="max_norm"):
        rnn.clip_by_norm(g, 0.0)


def test_bad_inputs_raise_value_errors_naming_the_argument():
    w = _weights("Sine wave")
    with pytest.raises(ValueError, match="X must have shape"):
        rnn.rnn_forward(w, np.zeros((3, 2, 5)))
    with pytest.raises(ValueError, match="activation"):
        rnn.rnn_forward(w, np.zeros((3, 2, 1)), activation="relu")
    with pytest.raises(ValueError, match="targets"):
        rnn.output_loss(np.zeros((3, 2, 2)), np.zeros((3, 2)), "xent")
    with pytest.raises(ValueError, match="radius"):
        rnn.recurrent_matrix(4, -1.0)
    with pytest.raises(ValueError, match="square"):
        rnn.spectral_radius(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="task"):
        make_sequences("Poems", 2, 3)


def test_tasks_make_the_right_targets():
    X, y = make_sequences("Sine wave", 3, 10, rng=0)
    np.testing.assert_allclose(X[1:], y[:-1])  # the target is the next input
    X, y = make_sequences("Parity bits", 4, 9, rng=0)
    np.testing.assert_array_equal(y, np.cumsum(X[..., 0], axis=0) % 2)
    X, y = make_sequences("Characters", 2, 6, rng=0)
    np.testing.assert_array_equal(X[1:].argmax(axis=2), y[:-1])


def test_training_learns_each_task_and_splits_across_presses():
    for task, length, final in (
        ("Sine wave", 20, 0.02),
        ("Parity bits", 8, 0.3),
        ("Characters", 20, 0.3),
    ):
        cfg = RNNTrainConfig(task=task, length=length, seed=0)
        run = train_rnn(cfg, None, 300)
        assert run.diverged_at == -1 and run.step == 300
        assert run.loss[-20:].mean() < final < run.loss[:5].mean(), task
    cfg = RNNTrainConfig(seed=3)
    once = train_rnn(cfg, None, 40)
    twice = train_rnn(cfg, train_rnn(cfg, None, 25), 15)
    np.testing.assert_allclose(once.theta, twice.theta, rtol=1e-12)
    np.testing.assert_allclose(once.loss, twice.loss, rtol=1e-12)


def test_clipping_rescues_a_run_that_explodes_without_it():
    cfg = RNNTrainConfig(optimizer="SGD", lr=0.3, radius=1.0, length=30, clip=None, seed=0)
    wild = train_rnn(cfg, None, 300)
    assert 0 <= wild.diverged_at < 300 and wild.step == wild.diverged_at
    assert np.all(np.isfinite(wild.theta))  # the last finite parameters are kept
    assert train_rnn(cfg, wild, 10) is wild  # a diverged run does not continue
    tame = train_rnn(RNNTrainConfig(**{**cfg.__dict__, "clip": 1.0}), None, 300)
    assert tame.diverged_at == -1 and tame.loss[-20:].mean() < 0.02


def test_predict_sequence_on_a_held_out_sequence():
    cfg = RNNTrainConfig(task="Characters", seed=0)
    p = predict_sequence(cfg, train_rnn(cfg, None, 300), 24)
    assert p.inputs.shape == (24, 8) and p.targets.shape == (24,)
    assert np.mean(p.outputs == p.targets) > 0.8
    assert np.all((p.confidence >= 0) & (p.confidence <= 1))
    fresh = predict_sequence(cfg, start_run(cfg), 24)
    assert np.mean(fresh.confidence) < np.mean(p.confidence)
