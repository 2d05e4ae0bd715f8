"""An LSTM cell and its backpropagation through time, to compare with the vanilla RNN.

For a batch of row vectors, with ``[x_t, h_{t-1}]`` the input and last state side by side::

    z_t = [x_t, h_{t-1}] W + b                    (B, 4H): four gates' pre-activations
    i, f, o = sigmoid(z_i), sigmoid(z_f), sigmoid(z_o);  g = tanh(z_g)
    c_t = f * c_{t-1} + i * g                      the cell: an update *added* to the old cell
    h_t = o * tanh(c_t)

Going back one step, the cell's gradient is ``dL/dc_{t-1} = dL/dc_t * f_t + ...``: an
elementwise product with the forget gate, not a product with a weight matrix
followed by a squashing derivative. With the forget gate near 1 (a positive
forget-gate bias, the usual initialisation) the gradient survives many steps:
the "constant error carousel" of Hochreiter and Schmidhuber (1997).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from dlcore._validation import RngLike, as_rng, check_int, check_range


class LSTMWeights(NamedTuple):
    """An LSTM cell's parameters.

    Attributes
    ----------
    W : ndarray of shape (n_in + H, 4 H)
        Columns in gate order i, f, g, o; rows x first, then h.
    b : ndarray of shape (4 H,)
    """

    W: np.ndarray
    b: np.ndarray


class LSTMForward(NamedTuple):
    """Every value of the LSTM's forward pass.

    Attributes
    ----------
    h, c : ndarray of shape (T + 1, B, H)
        States, index 0 the initial ones.
    gates : ndarray of shape (T, B, 4 H)
        i, f, g, o after their nonlinearities.
    """

    h: np.ndarray
    c: np.ndarray
    gates: np.ndarray


class LSTMGrads(NamedTuple):
    """Gradients of a loss through an LSTM.

    Attributes
    ----------
    W, b : ndarrays of the weights' shapes
    dh, dc : ndarray of shape (T + 1, B, H)
        ``dL/dh_t`` and ``dL/dc_t`` (total, through every later step).
    """

    W: np.ndarray
    b: np.ndarray
    dh: np.ndarray
    dc: np.ndarray


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # never overflows


def init_lstm(
    n_in: int, hidden: int, *, forget_bias: float = 1.0, rng: RngLike = None
) -> LSTMWeights:
    """Gaussian weights of variance ``1 / (n_in + H)``; every bias 0 but the forget gate's."""
    n_in, hidden = check_int("n_in", n_in, 1, 1024), check_int("hidden", hidden, 1, 1024)
    forget_bias = check_range("forget_bias", forget_bias, -10.0, 10.0)
    W = as_rng(rng).standard_normal((n_in + hidden, 4 * hidden)) / np.sqrt(n_in + hidden)
    b = np.zeros(4 * hidden)
    b[hidden : 2 * hidden] = forget_bias
    return LSTMWeights(W, b)


def lstm_forward(w: LSTMWeights, X: Any) -> LSTMForward:
    """Run the cell over ``X`` of shape (T, B, n_in) from zero states."""
    X = np.asarray(X, float)
    H = w.W.shape[1] // 4
    if X.ndim != 3 or X.shape[2] + H != w.W.shape[0]:
        raise ValueError(f"X must have shape (T, B, {w.W.shape[0] - H}), got {X.shape}")
    T, B, _ = X.shape
    h, c = np.zeros((T + 1, B, H)), np.zeros((T + 1, B, H))
    gates = np.empty((T, B, 4 * H))
    for t in range(T):
        z = np.concatenate([X[t], h[t]], axis=1) @ w.W + w.b
        gates[t] = _sigmoid(z)
        gates[t, :, 2 * H : 3 * H] = np.tanh(z[:, 2 * H : 3 * H])
        i, f, g, o = np.split(gates[t], 4, axis=1)
        c[t + 1] = f * c[t] + i * g
        h[t + 1] = o * np.tanh(c[t + 1])
    return LSTMForward(h, c, gates)


def lstm_backward(w: LSTMWeights, X: Any, fwd: LSTMForward, dh_out: np.ndarray) -> LSTMGrads:
    """BPTT through the LSTM from ``dh_out`` of shape (T, B, H), the loss's ``dL/dh_t``."""
    X = np.asarray(X, float)
    T, _, n_in = X.shape
    dh = np.zeros_like(fwd.h)
    dh[1:] = dh_out
    dc = np.zeros_like(fwd.c)
    dW, db = np.zeros_like(w.W), np.zeros_like(w.b)
    for t in range(T, 0, -1):  # the step that made h[t], c[t]
        i, f, g, o = np.split(fwd.gates[t - 1], 4, axis=1)
        tc = np.tanh(fwd.c[t])
        dc[t] += dh[t] * o * (1.0 - tc * tc)  # plus what step t + 1 already sent: dc[t+1] * f
        dz = np.concatenate(
            [
                dc[t] * g * i * (1.0 - i),
                dc[t] * fwd.c[t - 1] * f * (1.0 - f),
                dc[t] * i * (1.0 - g * g),
                dh[t] * tc * o * (1.0 - o),
            ],
            axis=1,
        )
        dc[t - 1] += dc[t] * f  # the additive path: an elementwise product with the forget gate
        inputs = np.concatenate([X[t - 1], fwd.h[t - 1]], axis=1)
        dW += inputs.T @ dz
        db += dz.sum(axis=0)
        dh[t - 1] += (dz @ w.W.T)[:, n_in:]
    return LSTMGrads(dW, db, dh, dc)


def lstm_gradient_through_time(
    hidden: int,
    length: int,
    *,
    forget_bias: float = 1.0,
    input_scale: float = 0.5,
    rng: RngLike = None,
) -> np.ndarray:
    """How ``L = v . h_T`` reaches the LSTM's state k steps back, relative to k = 0.

    The setting of :func:`dlcore.rnn.gradient_through_time`: seeded noise of std
    ``input_scale`` as input (n_in = H), zero initial states, v a random unit vector.

    Returns
    -------
    ndarray of shape (T + 1,)
        ``||(dL/dh_{T-k}, dL/dc_{T-k})|| / ||(dL/dh_T, dL/dc_T)||`` for k = 0..T.
    """
    hidden = check_int("hidden", hidden, 1, 256)
    T = check_int("length", length, 1, 500)
    input_scale = check_range("input_scale", input_scale, 0.0, 10.0)
    gen = as_rng(rng)
    w = init_lstm(hidden, hidden, forget_bias=forget_bias, rng=gen)
    X = input_scale * gen.standard_normal((T, 1, hidden))
    v = gen.standard_normal(hidden)
    dh_out = np.zeros((T, 1, hidden))
    dh_out[-1, 0] = v / np.linalg.norm(v)
    g = lstm_backward(w, X, lstm_forward(w, X), dh_out)
    norm = np.sqrt(np.sum(g.dh[:, 0] ** 2, axis=1) + np.sum(g.dc[:, 0] ** 2, axis=1))[::-1]
    return norm / norm[0]
