"""dlcore.playground: features, the network's gradients, resumable training equal to nn.fit."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore import datasets, nn, optim, schedules
from dlcore import playground as pg
from dlcore.autograd import Tensor


def moons(n=120, seed=0):
    d = datasets.load("moons", n_samples=n, noise=0.15, rng=seed)
    return d.X, d.y


def test_features_are_the_playground_inputs():
    X = np.array([[0.5, -2.0], [1.0, 3.0]])
    F = pg.feature_matrix(X, tuple(pg.FEATURES))
    expected = np.array(
        [
            [0.5, -2.0, 0.25, 4.0, -1.0, np.sin(0.5), np.sin(-2.0)],
            [1.0, 3.0, 1.0, 9.0, 3.0, np.sin(1.0), np.sin(3.0)],
        ]
    )
    np.testing.assert_allclose(F, expected, rtol=0, atol=1e-15)
    with pytest.raises(ValueError, match="at least one"):
        pg.feature_matrix(X, ())
    with pytest.raises(ValueError, match="feature must be one of"):
        pg.feature_matrix(X, ("x3",))


@pytest.mark.parametrize("opt", [optim.SGD(lr=0.1), optim.Momentum(lr=0.05), optim.Adam(lr=0.01)])
@pytest.mark.parametrize("batch", [None, 16])
def test_paused_and_resumed_equals_one_nn_fit_call(opt, batch):
    X, y = moons()
    arch = pg.Architecture(hidden=(8, 8), activations=("tanh", "tanh"), init="he", seed=3)
    regimen = pg.Regimen(optimizer=opt, batch_size=batch, l2=1e-3)
    state = pg.initial_state(arch)
    for k in (7, 1, 12):  # pause and resume twice
        state = pg.advance(arch, regimen, state, X, y, k)
    model = nn.MLP(arch.sizes, activation="tanh", init="he", rng=3)
    ref = nn.fit(model, X, y, optimizer=opt, epochs=20, batch_size=batch, rng=3, l2=1e-3)
    assert state.epoch == 20 and ref.diverged_at == -1
    for w, p in zip(state.weights, model.parameters()):
        np.testing.assert_allclose(w, p.data, rtol=0, atol=1e-9)
    for a, b in zip(state.opt_state, ref.state):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-9)


def test_k_then_k_equals_2k_with_every_extra_on():
    X, y = moons()
    arch = pg.Architecture(
        features=("x1", "x2", "x1*x2", "sin x1"),
        hidden=(6, 3),
        activations=("relu", "sigmoid"),
        seed=5,
    )
    lr = schedules.CosineDecay(lr=0.05, total_steps=200)
    regimen = pg.Regimen(optim.Adam(lr=lr), batch_size=10, l1=1e-3, l2=1e-3, dropout=0.3)
    F = pg.feature_matrix(X, arch.features)
    s0 = pg.initial_state(arch)
    once = pg.advance(arch, regimen, s0, F[:80], y[:80], 10, X_test=F[80:], y_test=y[80:])
    half = pg.advance(arch, regimen, s0, F[:80], y[:80], 5, X_test=F[80:], y_test=y[80:])
    twice = pg.advance(arch, regimen, half, F[:80], y[:80], 5, X_test=F[80:], y_test=y[80:])
    for a, b in zip(once.weights, twice.weights):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    np.testing.assert_allclose(once.train_loss, twice.train_loss, rtol=0, atol=1e-12)
    np.testing.assert_allclose(once.test_loss, twice.test_loss, rtol=0, atol=1e-12)
    assert once.opt_state.step == twice.opt_state.step == 80
    assert not np.allclose(once.weights[0], s0.weights[0])  # it did train


def central_differences(f, theta, h=1e-6):
    g = np.zeros_like(theta)
    for i in range(theta.size):
        e = np.zeros_like(theta)
        e[i] = h
        g[i] = (f(theta + e) - f(theta - e)) / (2 * h)
    return g


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_gradient_with_l1_l2_and_a_fixed_dropout_mask_matches_finite_differences(task):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 3))
    y = rng.integers(0, 3, 12) if task == "classification" else rng.normal(size=12)
    arch = pg.Architecture(
        features=("x1", "x2", "x1^2"),
        hidden=(5, 4),
        activations=("tanh", "sigmoid"),
        outputs=3 if task == "classification" else 1,
        task=task,
        seed=1,
    )
    regimen = pg.Regimen(optim.SGD(lr=0.1), l1=0.03, l2=0.05, dropout=0.4)
    masks = pg.dropout_masks(arch, 0.4, 12, np.random.default_rng(2))
    weights = pg.initial_state(arch).weights
    weights = tuple(w + 0.1 * rng.normal(size=w.shape) for w in weights)  # no weight at 0
    theta = np.concatenate([w.ravel() for w in weights])

    def total(flat):
        params = [Tensor(w) for w in pg.unflatten(arch, flat)]
        return pg.objective(arch, regimen, params, X, y, masks)[1]

    params = [Tensor(w) for w in pg.unflatten(arch, theta)]
    t = pg.objective(arch, regimen, params, X, y, masks)[1]
    t.backward()
    grads = np.concatenate([p.grad.ravel() for p in params])
    numeric = central_differences(lambda f: total(f).item(), theta)
    np.testing.assert_allclose(grads, numeric, rtol=1e-6, atol=1e-8)


def test_losses_equal_sklearn_and_numpy_references():
    from sklearn.metrics import log_loss, mean_squared_error

    X, y = moons(60)
    arch = pg.Architecture(hidden=(3,), activations=("relu",), seed=2)
    w = pg.initial_state(arch).weights
    proba = pg.predict(arch, w, X)[-1]
    assert pg.losses(arch, w, X, y) == pytest.approx(log_loss(y, proba), rel=1e-12)
    reg = pg.Architecture(hidden=(3,), activations=("relu",), outputs=1, task="regression")
    t = X[:, 0] - X[:, 1]
    w = pg.initial_state(reg).weights
    pred = pg.predict(reg, w, X)[-1][:, 0]
    assert pg.losses(reg, w, X, t) == pytest.approx(mean_squared_error(t, pred), rel=1e-12)
    assert np.isnan(pg.losses(reg, w, X[:0], t[:0]))


def test_regression_learns_a_plane_and_l1_makes_weights_sparse():
    d = datasets.load("plane", n_samples=200, noise=0.0, rng=0)
    arch = pg.Architecture(hidden=(4,), activations=("tanh",), outputs=1, task="regression")
    s = pg.advance(
        arch, pg.Regimen(optim.Adam(lr=0.03), batch_size=20), pg.initial_state(arch), d.X, d.y, 150
    )
    assert s.train_loss[-1] < 1e-3 < s.train_loss[0]
    sparse = pg.advance(
        arch,
        pg.Regimen(optim.SGD(lr=0.05), batch_size=20, l1=0.03),
        pg.initial_state(arch),
        d.X,
        d.y,
        300,
    )
    dense = pg.advance(
        arch, pg.Regimen(optim.SGD(lr=0.05), batch_size=20), pg.initial_state(arch), d.X, d.y, 300
    )
    small = lambda s: np.mean(np.abs(s.weights[0]) < 0.02)  # noqa: E731
    assert small(sparse) > small(dense)


def test_moments_kept_for_a_new_rate_and_restarted_for_a_new_optimizer():
    X, y = moons()
    arch = pg.Architecture(seed=4)
    s = pg.advance(
        arch, pg.Regimen(optim.Adam(lr=0.01), batch_size=30), pg.initial_state(arch), X, y, 2
    )
    assert s.opt_state.step == 8
    s2 = pg.advance(arch, pg.Regimen(optim.Adam(lr=0.001), batch_size=30), s, X, y, 1)
    assert s2.opt_state.step == 12  # same moments, smaller rate
    s3 = pg.advance(arch, pg.Regimen(optim.Momentum(lr=0.01), batch_size=30), s2, X, y, 1)
    assert type(s3.opt_state).__name__ == "MomentumState"
    assert s3.epoch == 4 and len(s3.train_loss) == 4


def test_divergence_stops_at_the_last_finite_weights():
    X, y = moons()
    arch = pg.Architecture(hidden=(8,), activations=("relu",), init="he")
    s = pg.advance(arch, pg.Regimen(optim.SGD(lr=1e4)), pg.initial_state(arch), X, y, 20)
    assert 0 <= s.diverged_at < 20 and s.epoch == s.diverged_at
    assert all(np.all(np.isfinite(w)) for w in s.weights)
    again = pg.advance(arch, pg.Regimen(optim.SGD(lr=1e4)), s, X, y, 5)
    assert again is s


def test_bad_configurations_are_named():
    with pytest.raises(ValueError, match="one entry per layer"):
        pg.Architecture(hidden=(3, 3), activations=("tanh",))
    with pytest.raises(ValueError, match="outputs must be"):
        pg.Architecture(outputs=2, task="regression")
    with pytest.raises(ValueError, match="dropout must be"):
        pg.Regimen(optim.SGD(lr=0.1), dropout=1.0)
    arch = pg.Architecture()
    with pytest.raises(ValueError, match="labels must be integers"):
        pg.advance(
            arch,
            pg.Regimen(optim.SGD(lr=0.1)),
            pg.initial_state(arch),
            np.zeros((3, 2)),
            np.array([0, 1, 5]),
            1,
        )


def test_set_weight_changes_one_entry_and_checks_its_place():
    arch = pg.Architecture(hidden=(3,), activations=("tanh",))
    s = pg.initial_state(arch)
    t = pg.set_weight(arch, s, 2, 1, 0, 0.75)
    assert t.weights[2][1, 0] == 0.75 and s.weights[2][1, 0] != 0.75  # a copy
    changed = [not np.array_equal(a, b) for a, b in zip(s.weights, t.weights)]
    assert changed == [False, False, True, False]
    with pytest.raises(ValueError, match="layer must be"):
        pg.set_weight(arch, s, 3, 0, 0, 1.0)
    with pytest.raises(ValueError, match="j must be"):
        pg.set_weight(arch, s, 1, 0, 3, 1.0)
