"""dlcore.lstm: BPTT through the LSTM against central differences and dlcore.autograd."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore import lstm
from dlcore.autograd import Tensor
from dlcore.gradcheck import relative_error


def _loss(w: lstm.LSTMWeights, X: np.ndarray, V: np.ndarray) -> float:
    return float(np.sum(lstm.lstm_forward(w, X).h[1:] * V))


@pytest.mark.parametrize("forget_bias", [0.0, 2.0])
def test_lstm_backward_matches_central_differences(forget_bias):
    gen = np.random.default_rng(0)
    w = lstm.init_lstm(3, 4, forget_bias=forget_bias, rng=1)
    w = w._replace(b=w.b + 0.3 * gen.standard_normal(w.b.shape))
    X = gen.standard_normal((6, 2, 3))
    V = gen.standard_normal((6, 2, 4))  # L = sum_t V_t . h_t: a gradient at every step
    g = lstm.lstm_backward(w, X, lstm.lstm_forward(w, X), V)
    eps = 1e-6
    for name in ("W", "b"):
        param = getattr(w, name)
        numeric = np.empty_like(param)
        for idx in np.ndindex(param.shape):
            up, down = param.copy(), param.copy()
            up[idx] += eps
            down[idx] -= eps
            numeric[idx] = (
                _loss(w._replace(**{name: up}), X, V) - _loss(w._replace(**{name: down}), X, V)
            ) / (2 * eps)
        assert relative_error(getattr(g, name), numeric) < 1e-7, name


def test_lstm_equals_autograd_step_by_step():
    gen = np.random.default_rng(2)
    w = lstm.init_lstm(2, 3, forget_bias=1.0, rng=3)
    X = gen.standard_normal((5, 4, 2))
    V = gen.standard_normal((5, 4, 3))
    W, b = Tensor(w.W), Tensor(w.b)
    h, c, total = Tensor(np.zeros((4, 3))), Tensor(np.zeros((4, 3))), None
    for t in range(5):
        # [x, h] W = x W[:n_in] + h W[n_in:]: autograd has no concatenation or slicing
        z = Tensor(X[t]) @ _rows(W, 0, 2) + h @ _rows(W, 2, 5) + b
        i, f, g, o = (_cols(z, k, 3) for k in range(4))
        c = f.sigmoid() * c + i.sigmoid() * g.tanh()
        h = o.sigmoid() * c.tanh()
        term = (h * V[t]).sum()
        total = term if total is None else total + term
    total.backward()
    fwd = lstm.lstm_forward(w, X)
    assert total.item() == pytest.approx(float(np.sum(fwd.h[1:] * V)), rel=1e-12)
    g = lstm.lstm_backward(w, X, fwd, V)
    np.testing.assert_allclose(g.W, W.grad, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(g.b, b.grad, rtol=1e-10, atol=1e-12)


def _rows(T: Tensor, lo: int, hi: int) -> Tensor:
    """Rows lo:hi of a tensor as a product with a selection matrix (autograd has no slicing)."""
    S = np.zeros((hi - lo, T.shape[0]))
    S[np.arange(hi - lo), np.arange(lo, hi)] = 1.0
    return Tensor(S) @ T


def _cols(T: Tensor, k: int, H: int) -> Tensor:
    S = np.zeros((T.shape[1], H))
    S[np.arange(k * H, (k + 1) * H), np.arange(H)] = 1.0
    return T @ Tensor(S)


def test_forget_gate_keeps_the_gradient_alive():
    low = lstm.lstm_gradient_through_time(16, 60, forget_bias=-2.0, rng=0)
    high = lstm.lstm_gradient_through_time(16, 60, forget_bias=5.0, rng=0)
    assert low[0] == high[0] == 1.0
    assert high[60] > 0.1 and low[60] < 1e-10
    assert high[60] < 10.0  # survives: neither vanishing nor exploding over 60 steps


def test_bad_input_shape():
    w = lstm.init_lstm(2, 3, rng=0)
    with pytest.raises(ValueError, match="X must have shape"):
        lstm.lstm_forward(w, np.zeros((4, 1, 3)))
