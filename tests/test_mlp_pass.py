"""dlcore.mlp_pass (the passes nn.fit runs) against autograd, finite differences and the old fit."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore import blocked, datasets, nn, optim
from dlcore.autograd import Tensor, softmax_cross_entropy
from dlcore.blocked import gram_blocks, matmul_blocks
from dlcore.mlp_pass import MLPPass, softmax_cross_entropy_grad

MOONS = datasets.load("moons", n_samples=120, noise=0.2, rng=0)


def _pass(model: nn.MLP, rows: int) -> MLPPass:
    params = model.parameters()
    return MLPPass(
        [p.data for p in params[0::2]], [p.data for p in params[1::2]], model.activation, rows
    )


def _backward(model: nn.MLP, X: np.ndarray, y: np.ndarray, rows: int | None = None):
    net = _pass(model, rows or len(X))
    net.forward(X)
    gw = [np.empty_like(p.data) for p in model.parameters()[0::2]]
    gb = [np.empty_like(p.data) for p in model.parameters()[1::2]]
    loss = net.backward(X, y, gw, gb)
    return loss, [g for pair in zip(gw, gb) for g in pair]


@pytest.mark.parametrize("classes", [2, 3, 7])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_cross_entropy_grad_equals_autograd(classes, dtype):
    rng = np.random.default_rng(classes)
    z = (rng.normal(size=(50, classes)) * 30).astype(dtype)
    z[0] = 1e4  # far beyond exp's range: the shift by the row maximum keeps it finite
    y = rng.integers(0, classes, 50)
    out = np.empty_like(z)
    loss = softmax_cross_entropy_grad(z, y, out)
    t = Tensor(z)
    ref = softmax_cross_entropy(t, y)
    ref.backward()
    tol = 1e-12 if dtype == np.float64 else 1e-5
    assert out.dtype == dtype and np.isfinite(loss)
    np.testing.assert_allclose(loss, ref.item(), rtol=tol)
    np.testing.assert_allclose(out, t.grad, rtol=tol, atol=tol / 50)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "identity"])
def test_gradients_equal_autograd_and_finite_differences(activation):
    model = nn.MLP((2, 7, 5, 3), activation=activation, rng=4)
    X = MOONS.X[:40] * 1.3 + 0.1
    y = np.arange(40) % 3
    # Buffers for more rows than the batch: passes work on their first n rows.
    loss, grads = _backward(model, X, y, rows=64)
    ref = softmax_cross_entropy(model(X), y)
    ref.backward()
    np.testing.assert_allclose(loss, ref.item(), rtol=1e-13)
    for g, p in zip(grads, model.parameters()):
        np.testing.assert_allclose(g, p.grad, rtol=1e-10, atol=1e-15)
    # Central differences on every parameter (float64, O(eps^2) error).
    eps = 1e-6
    for g, p in zip(grads, model.parameters()):
        numeric = np.empty_like(g)
        for i in np.ndindex(p.data.shape):
            old = p.data[i]
            p.data[i] = old + eps
            up = softmax_cross_entropy(model(X), y).item()
            p.data[i] = old - eps
            down = softmax_cross_entropy(model(X), y).item()
            p.data[i] = old
            numeric[i] = (up - down) / (2 * eps)
        np.testing.assert_allclose(g, numeric, rtol=1e-5, atol=1e-8)


def test_forward_equals_the_model_and_float32_stays_float32():
    model = nn.MLP((2, 6, 2), activation="tanh", rng=2, dtype=np.float32)
    X = MOONS.X.astype(np.float32)
    logits = _pass(model, len(X)).forward(X)
    assert logits.dtype == np.float32
    np.testing.assert_allclose(logits, model(X).data, rtol=1e-6, atol=1e-6)
    with pytest.raises(ValueError, match="activation"):
        MLPPass([np.eye(2)], [np.zeros(2)], "gelu", rows=1)


@pytest.mark.parametrize("macs", [1, 100, 10**9])
def test_blocked_products_equal_one_product(macs, monkeypatch):
    monkeypatch.setattr(blocked, "SINGLE_THREAD_MACS", macs)  # 64-row blocks, ragged last
    rng = np.random.default_rng(0)
    a, b, c = rng.normal(size=(150, 5)), rng.normal(size=(5, 3)), rng.normal(size=(150, 3))
    np.testing.assert_allclose(matmul_blocks(a, b, np.empty((150, 3))), a @ b, rtol=1e-13)
    np.testing.assert_allclose(gram_blocks(a, c, np.empty((5, 3))), a.T @ c, rtol=1e-12)


# ---------------------------------------------------------- nn.fit against the previous fit
def _reference_fit(model, X, y, *, optimizer, epochs, batch_size, rng, l2):
    """nn.fit as it was before MLPPass: an autograd graph per batch, a new theta per step."""
    params = model.parameters()
    bounds = np.cumsum([0] + [p.data.size for p in params])
    theta = np.concatenate([p.data.ravel() for p in params])
    state = optimizer.init(theta)
    n = len(y)
    batch = n if batch_size is None else min(batch_size, n)
    losses, accuracy = [], []
    for e in range(epochs):
        order = np.random.default_rng([rng, e]).permutation(n) if batch < n else None
        epoch_losses = []
        for lo in range(0, n, batch):
            idx = slice(lo, lo + batch) if order is None else order[lo : lo + batch]
            data_loss = softmax_cross_entropy(model(X[idx]), y[idx])
            total = data_loss + 0.5 * l2 * sum(
                (lay.weight * lay.weight).sum() for lay in model.layers
            )
            total.backward()
            epoch_losses.append(data_loss.item())
            grads = np.concatenate([p.grad.ravel() for p in params])
            updates, state = optimizer.update(grads, state, theta)
            theta = (theta + updates).astype(theta.dtype, copy=False)
            for p, a, b in zip(params, bounds[:-1], bounds[1:]):
                p.data = theta[a:b].reshape(p.shape)
        losses.append(np.mean(epoch_losses))
        accuracy.append(np.mean(np.argmax(model(X).data, axis=1) == y))
    return np.array(losses), np.array(accuracy)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("opt", ["SGD", "Momentum", "RMSProp", "Adam", "AdamW"])
@pytest.mark.parametrize("batch_size, l2", [(None, 0.0), (32, 0.0), (None, 0.05), (50, 0.01)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fit_equals_the_previous_autograd_fit(activation, opt, batch_size, l2, dtype):
    kwargs = dict(optimizer=optim.OPTIMIZERS[opt](lr=0.05), epochs=12, batch_size=batch_size)
    kwargs.update(rng=3, l2=l2)
    ref_model = nn.MLP((2, 8, 8, 2), activation=activation, rng=1, dtype=dtype)
    model = nn.MLP((2, 8, 8, 2), activation=activation, rng=1, dtype=dtype)
    X = MOONS.X.astype(dtype)
    ref_loss, ref_acc = _reference_fit(ref_model, X, MOONS.y, **kwargs)
    hist = nn.train(model, X, MOONS.y, **kwargs)
    # float64: the same computation up to the order of a few sums. float32: the same
    # formulas, rounded to float32 at each step; 12 epochs of it stay within 1e-4.
    tol = 1e-10 if dtype == np.float64 else 1e-4
    np.testing.assert_allclose(hist.loss, ref_loss, rtol=tol)
    for p, q in zip(model.parameters(), ref_model.parameters()):
        assert p.dtype == dtype
        np.testing.assert_allclose(p.data, q.data, rtol=tol, atol=tol)
    if dtype == np.float64:
        np.testing.assert_array_equal(hist.accuracy, ref_acc)
    else:  # a point within float32 round-off of the boundary may flip
        np.testing.assert_allclose(hist.accuracy, ref_acc, atol=2 / len(MOONS.y))


def test_fit_reports_test_curves_as_evaluate():
    X_tr, X_te, y_tr, y_te = nn.train_test_split(MOONS.X, MOONS.y, test_fraction=0.3, rng=0)
    model = nn.MLP((2, 8, 2), rng=0)
    result = nn.fit(
        model, X_tr, y_tr, optimizer=optim.Adam(lr=0.05), epochs=5, X_test=X_te, y_test=y_te
    )
    loss, acc = nn.evaluate(model, X_te, y_te)
    np.testing.assert_allclose(result.test_loss[-1], loss, rtol=1e-12)
    assert result.test_accuracy[-1] == acc
