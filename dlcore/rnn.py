"""A vanilla recurrent network and backpropagation through time, written out.

The cell, for a batch of B sequences with row vectors (as ``X @ W + b`` in
:mod:`dlcore.nn`)::

    a_t = x_t W_xh + h_{t-1} W_hh + b_h      (B, H)   pre-activation
    h_t = f(a_t)                             (B, H)   f = tanh (or identity)
    y_t = h_t W_hy + b_y                     (B, O)   output at every step

The same weights are used at every step, so the unrolled network is a deep
feed-forward network with tied weights. Backpropagation through time (BPTT)
walks the unrolled graph backwards; the gradient reaching ``h_t`` has two
sources, its own output and the next step::

    dL/dh_t = dL/dy_t W_hy^T + (dL/dh_{t+1} * f'(a_{t+1})) W_hh^T

and a weight's gradient is the sum of its uses over time, e.g.
``dL/dW_hh = sum_t h_{t-1}^T (dL/dh_t * f'(a_t))``. Going k steps back
multiplies by ``(diag f' W_hh^T)`` k times: for a linear cell and a normal
``W_hh`` the norm scales like ``rho^k`` (the spectral radius), which is the
vanishing (rho < 1) and exploding (rho > 1) gradient problem.

Everything here is explicit NumPy, vectorised over the batch; the tests check
it against central differences and against :mod:`dlcore.autograd`.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from dlcore._validation import RngLike, as_rng, check_choice, check_int, check_range
from dlcore.gradcheck import relative_error

#: Cell nonlinearities: tanh (the vanilla RNN) or identity (the linear RNN of the theory).
CELL_ACTIVATIONS = ("tanh", "linear")
#: Output losses: mean squared error on real targets, softmax cross-entropy on class labels.
SEQUENCE_LOSSES = ("mse", "xent")
#: The parameter names, in the order of :class:`RNNWeights`.
RNN_PARAMS = ("W_xh", "W_hh", "b_h", "W_hy", "b_y")


class RNNWeights(NamedTuple):
    """The parameters of a vanilla RNN with an output layer.

    Attributes
    ----------
    W_xh : ndarray of shape (n_in, H)
    W_hh : ndarray of shape (H, H)
    b_h : ndarray of shape (H,)
    W_hy : ndarray of shape (H, n_out)
    b_y : ndarray of shape (n_out,)
    """

    W_xh: np.ndarray
    W_hh: np.ndarray
    b_h: np.ndarray
    W_hy: np.ndarray
    b_y: np.ndarray


class RNNForward(NamedTuple):
    """Every value of the forward pass.

    Attributes
    ----------
    h : ndarray of shape (T + 1, B, H)
        Hidden states, ``h[0]`` the initial state.
    a : ndarray of shape (T, B, H)
        Pre-activations (``a[t - 1]`` produces ``h[t]``).
    y : ndarray of shape (T, B, n_out)
        Outputs.
    """

    h: np.ndarray
    a: np.ndarray
    y: np.ndarray


class RNNGrads(NamedTuple):
    """The gradients of a loss, one field per parameter, plus the states' gradients.

    Attributes
    ----------
    W_xh, W_hh, b_h, W_hy, b_y : ndarray, shapes of :class:`RNNWeights`
    dh : ndarray of shape (T + 1, B, H)
        ``dL/dh_t`` (total: through its own output and through every later step);
        ``dh[0]`` is the gradient with respect to the initial state.
    """

    W_xh: np.ndarray
    W_hh: np.ndarray
    b_h: np.ndarray
    W_hy: np.ndarray
    b_y: np.ndarray
    dh: np.ndarray


def orthogonal(n: int, *, rng: RngLike = None) -> np.ndarray:
    """A random orthogonal matrix (Haar measure: QR of a Gaussian with the signs fixed).

    Returns
    -------
    ndarray of shape (n, n)
    """
    n = check_int("n", n, 1, 4096)
    q, r = np.linalg.qr(as_rng(rng).standard_normal((n, n)))
    return q * np.sign(np.where(np.diag(r) == 0, 1.0, np.diag(r)))


def spectral_radius(W: Any) -> float:
    """``max |lambda_i(W)|``, the largest eigenvalue modulus of a square matrix."""
    W = np.asarray(W, float)
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise ValueError(f"W must be a square matrix, got shape {W.shape}")
    return float(np.max(np.abs(np.linalg.eigvals(W))))


def recurrent_matrix(n: int, radius: float, *, kind: str = "orthogonal", rng: RngLike = None):
    """A recurrent weight matrix with spectral radius exactly ``radius``.

    Parameters
    ----------
    n : int
        Hidden size H.
    radius : float
        The spectral radius rho, in [0, 10].
    kind : {"orthogonal", "gaussian"}
        ``rho Q`` with Q random orthogonal (a normal matrix: every singular
        value is rho, so ``||W^k v|| = rho^k ||v||``), or a Gaussian matrix
        rescaled to spectral radius rho (not normal: its largest singular
        value exceeds rho, so early steps can grow even when rho < 1).

    Returns
    -------
    ndarray of shape (n, n)
    """
    radius = check_range("radius", radius, 0.0, 10.0)
    check_choice("kind", kind, ("orthogonal", "gaussian"))
    if kind == "orthogonal":
        return radius * orthogonal(n, rng=rng)
    n = check_int("n", n, 1, 4096)
    G = as_rng(rng).standard_normal((n, n)) / np.sqrt(n)
    return G * (radius / spectral_radius(G))


def init_rnn(
    n_in: int, hidden: int, n_out: int, *, radius: float = 0.9, rng: RngLike = None
) -> RNNWeights:
    """Random weights: ``W_hh = radius * Q`` (orthogonal), Xavier-like input and output weights."""
    n_in, n_out = check_int("n_in", n_in, 1, 1024), check_int("n_out", n_out, 1, 1024)
    hidden = check_int("hidden", hidden, 1, 1024)
    gen = as_rng(rng)
    return RNNWeights(
        W_xh=gen.standard_normal((n_in, hidden)) / np.sqrt(n_in),
        W_hh=recurrent_matrix(hidden, radius, rng=gen),
        b_h=np.zeros(hidden),
        W_hy=gen.standard_normal((hidden, n_out)) / np.sqrt(hidden),
        b_y=np.zeros(n_out),
    )


def _cell(a: np.ndarray, activation: str) -> np.ndarray:
    return np.tanh(a) if activation == "tanh" else a


def _cell_grad(h: np.ndarray, activation: str) -> np.ndarray:
    # tanh' written through the output: 1 - tanh(a)^2 = 1 - h^2
    return 1.0 - h * h if activation == "tanh" else np.ones_like(h)


def rnn_forward(w: RNNWeights, X: Any, h0: Any = None, *, activation: str = "tanh") -> RNNForward:
    """Run the cell over a batch of sequences.

    Parameters
    ----------
    w : RNNWeights
    X : array_like of shape (T, B, n_in)
        Time first: ``X[t]`` is the batch's input at step t + 1.
    h0 : array_like of shape (B, H), optional
        Zeros when omitted.
    activation : {"tanh", "linear"}
    """
    check_choice("activation", activation, CELL_ACTIVATIONS)
    X = np.asarray(X, float)
    if X.ndim != 3 or X.shape[2] != w.W_xh.shape[0]:
        raise ValueError(f"X must have shape (T, B, {w.W_xh.shape[0]}), got {X.shape}")
    T, B, _ = X.shape
    H = w.W_hh.shape[0]
    h = np.zeros((T + 1, B, H))
    if h0 is not None:
        h[0] = h0
    # The input part of every step in one product: (T, B, n_in) @ (n_in, H).
    a = X @ w.W_xh + w.b_h
    for t in range(T):
        a[t] += h[t] @ w.W_hh
        h[t + 1] = _cell(a[t], activation)
    return RNNForward(h=h, a=a, y=h[1:] @ w.W_hy + w.b_y)


def output_loss(y: np.ndarray, targets: Any, loss: str) -> tuple[float, np.ndarray]:
    """The loss averaged over every step and sequence, and ``dL/dy``.

    Parameters
    ----------
    y : ndarray of shape (T, B, n_out)
    targets : ndarray of shape (T, B, n_out) for "mse", of int and shape (T, B) for "xent"
    loss : {"mse", "xent"}
        ``mean((y - target)^2)`` over all entries, or the softmax cross-entropy of
        each step's output against its label, averaged over the T * B outputs.

    Returns
    -------
    value : float
    dy : ndarray of shape (T, B, n_out)
    """
    check_choice("loss", loss, SEQUENCE_LOSSES)
    if loss == "mse":
        targets = np.asarray(targets, float)
        if targets.shape != y.shape:
            raise ValueError(f"targets must have shape {y.shape}, got {targets.shape}")
        diff = y - targets
        return float(np.mean(diff * diff)), 2.0 * diff / diff.size
    labels = np.asarray(targets)
    if labels.shape != y.shape[:2] or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"targets must be integer labels of shape {y.shape[:2]}")
    shifted = y - y.max(axis=2, keepdims=True)
    p = np.exp(shifted)
    total = p.sum(axis=2, keepdims=True)
    p /= total
    picked = np.take_along_axis(shifted, labels[..., None], axis=2)[..., 0]
    value = float(np.mean(np.log(total[..., 0]) - picked))
    np.put_along_axis(p, labels[..., None], np.take_along_axis(p, labels[..., None], 2) - 1, 2)
    return value, p / labels.size


def rnn_backward(
    w: RNNWeights, X: Any, fwd: RNNForward, dy: np.ndarray, *, activation: str = "tanh"
) -> RNNGrads:
    """Backpropagation through time: every gradient from ``dL/dy`` of every step.

    Parameters
    ----------
    w, X, activation : as for :func:`rnn_forward`
    fwd : RNNForward
        The forward pass of ``X`` with ``w``.
    dy : ndarray of shape (T, B, n_out)
        ``dL/dy_t``.
    """
    X = np.asarray(X, float)
    T = X.shape[0]
    dh = np.zeros_like(fwd.h)
    dh[1:] = dy @ w.W_hy.T  # each state's own output
    da = np.zeros_like(fwd.a)
    for t in range(T - 1, -1, -1):  # step t + 1 in the 1-based notation of the docstring
        da[t] = dh[t + 1] * _cell_grad(fwd.h[t + 1], activation)
        dh[t] += da[t] @ w.W_hh.T  # ... plus what comes back from the step after
    H, n_in, n_out = w.W_hh.shape[0], w.W_xh.shape[0], w.W_hy.shape[1]
    return RNNGrads(
        W_xh=X.reshape(-1, n_in).T @ da.reshape(-1, H),
        W_hh=fwd.h[:-1].reshape(-1, H).T @ da.reshape(-1, H),
        b_h=da.sum(axis=(0, 1)),
        W_hy=fwd.h[1:].reshape(-1, H).T @ dy.reshape(-1, n_out),
        b_y=dy.sum(axis=(0, 1)),
        dh=dh,
    )


def rnn_loss_and_grads(
    w: RNNWeights, X: Any, targets: Any, *, loss: str, activation: str = "tanh"
) -> tuple[float, RNNGrads, RNNForward]:
    """Forward, loss and BPTT in one call: ``(loss value, gradients, forward pass)``."""
    fwd = rnn_forward(w, X, activation=activation)
    value, dy = output_loss(fwd.y, targets, loss)
    return value, rnn_backward(w, X, fwd, dy, activation=activation), fwd


def flatten_weights(w: RNNWeights) -> np.ndarray:
    """All parameters as one vector (the optimizers of :mod:`dlcore.optim` step arrays)."""
    return np.concatenate([np.ravel(p) for p in w])


def unflatten_weights(theta: np.ndarray, like: RNNWeights) -> RNNWeights:
    """The inverse of :func:`flatten_weights`, shaped as ``like``."""
    sizes = np.cumsum([0] + [p.size for p in like])
    return RNNWeights(*(theta[a:b].reshape(p.shape) for p, a, b in zip(like, sizes, sizes[1:])))


def clip_by_norm(grad: np.ndarray, max_norm: float | None) -> tuple[np.ndarray, float, float]:
    """Gradient clipping by the global norm, as ``torch.nn.utils.clip_grad_norm_``.

    Returns
    -------
    clipped : ndarray of grad's shape
        ``grad * min(1, max_norm / ||grad||)``: the direction kept, the length capped.
    norm : float
        ``||grad||`` before clipping.
    scale : float
        The factor applied (1 when not clipped, or when ``max_norm`` is None).
    """
    norm = float(np.linalg.norm(grad))
    if max_norm is None:
        return grad, norm, 1.0
    max_norm = check_range("max_norm", max_norm, 0.0, None, low_inclusive=False)
    # torch adds 1e-6 to the norm; the same here, so a zero gradient stays zero.
    scale = min(1.0, max_norm / (norm + 1e-6))
    return grad * scale, norm, scale


class ThroughTime(NamedTuple):
    """How a gradient fades or grows on its way back through time.

    Attributes
    ----------
    distance : ndarray of int, shape (T + 1,)
        k = 0, 1, ..., T steps back from the last state.
    norm : ndarray of shape (T + 1,)
        ``||dL/dh_{T-k}||`` for the loss ``L = v . h_T`` (v a random unit vector).
    ratio : ndarray of shape (T + 1,)
        ``norm / norm[0]``.
    reference : ndarray of shape (T + 1,)
        ``rho^k``, the rate of a linear cell with a normal ``W_hh``.
    contribution : ndarray of shape (T,)
        ``||h_{T-k-1}^T (dL/dh_{T-k} * f'(a_{T-k}))||``: what the step k back adds to
        ``dL/dW_hh`` (a weight's gradient is the sum of its uses).
    grad_W_hh : ndarray of shape (H, H)
        The whole ``dL/dW_hh``.
    radius : float
        The spectral radius rho of ``W_hh``.
    """

    distance: np.ndarray
    norm: np.ndarray
    ratio: np.ndarray
    reference: np.ndarray
    contribution: np.ndarray
    grad_W_hh: np.ndarray
    radius: float


def gradient_through_time(
    W_hh: Any,
    length: int,
    *,
    activation: str = "tanh",
    input_scale: float = 0.5,
    rng: RngLike = None,
) -> ThroughTime:
    """Send one gradient back ``length`` steps through a cell with recurrent matrix ``W_hh``.

    The inputs are seeded Gaussian noise of std ``input_scale`` fed straight into
    the hidden units (``W_xh = I``), ``h_0 = 0``, and the loss is ``L = v . h_T``
    with v a random unit vector, so ``dL/dh_T = v`` and every earlier gradient
    is that vector carried back by BPTT.

    Parameters
    ----------
    W_hh : array_like of shape (H, H)
    length : int
        T, 1..500.
    activation : {"tanh", "linear"}
    input_scale : float
        In [0, 10]; with 0 and ``h_0 = 0`` the tanh cell stays at 0 and acts linearly.
    """
    W_hh = np.asarray(W_hh, float)
    radius = spectral_radius(W_hh)
    T = check_int("length", length, 1, 500)
    input_scale = check_range("input_scale", input_scale, 0.0, 10.0)
    H = W_hh.shape[0]
    gen = as_rng(rng)
    X = input_scale * gen.standard_normal((T, 1, H))
    v = gen.standard_normal((H, 1))
    w = RNNWeights(np.eye(H), W_hh, np.zeros(H), v / np.linalg.norm(v), np.zeros(1))
    with np.errstate(over="ignore", invalid="ignore"):
        fwd = rnn_forward(w, X, activation=activation)
        dy = np.zeros((T, 1, 1))
        dy[-1] = 1.0
        grads = rnn_backward(w, X, fwd, dy, activation=activation)
        norm = np.linalg.norm(grads.dh[::-1, 0], axis=1)  # k = 0 is h_T
        da = grads.dh[1:, 0] * _cell_grad(fwd.h[1:, 0], activation)
        uses = np.linalg.norm(fwd.h[:-1, 0], axis=1) * np.linalg.norm(da, axis=1)  # rank one
    k = np.arange(T + 1)
    return ThroughTime(
        distance=k,
        norm=norm,
        ratio=norm / norm[0],
        reference=radius ** k.astype(float),
        contribution=uses[::-1],
        grad_W_hh=grads.W_hh,
        radius=radius,
    )


class RNNCheck(NamedTuple):
    """BPTT against central differences, per parameter.

    Attributes
    ----------
    names : tuple of str
        :data:`RNN_PARAMS`.
    analytic, numeric : tuple of ndarray
        Per parameter, BPTT's gradient and the central differences' (parameter shapes).
    errors : ndarray of shape (5,)
        ``||analytic - numeric|| / (||analytic|| + ||numeric||)`` per parameter.
    """

    names: tuple[str, ...]
    analytic: tuple[np.ndarray, ...]
    numeric: tuple[np.ndarray, ...]
    errors: np.ndarray


def rnn_gradient_check(
    w: RNNWeights,
    X: Any,
    targets: Any,
    *,
    loss: str,
    activation: str = "tanh",
    eps: float = 1e-6,
) -> RNNCheck:
    """Every parameter entry perturbed by ``+-eps``: BPTT's gradient against the differences.

    Meant for small networks (a few hundred parameters): two forward passes per entry.
    """
    eps = check_range("eps", eps, 0.0, 1.0, low_inclusive=False)
    _, grads, _ = rnn_loss_and_grads(w, X, targets, loss=loss, activation=activation)
    theta = flatten_weights(w)
    if theta.size > 5000:
        raise ValueError(f"the check perturbs each of {theta.size} parameters: at most 5000")
    numeric = np.empty_like(theta)
    for i in range(theta.size):
        values = []
        for sign in (1.0, -1.0):
            moved = theta.copy()
            moved[i] += sign * eps
            fwd = rnn_forward(unflatten_weights(moved, w), X, activation=activation)
            values.append(output_loss(fwd.y, targets, loss)[0])
        numeric[i] = (values[0] - values[1]) / (2 * eps)
    numeric_w = unflatten_weights(numeric, w)
    analytic = tuple(grads[:5])
    return RNNCheck(
        names=RNN_PARAMS,
        analytic=analytic,
        numeric=tuple(numeric_w),
        errors=np.array([relative_error(a, n) for a, n in zip(analytic, numeric_w)]),
    )
