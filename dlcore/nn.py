"""Layers, a multi-layer perceptron and its training loop, on :mod:`dlcore.autograd`.

The row convention of every deep-learning library is used: a batch ``X`` of
shape ``(n, d)`` holds one example per row, and a layer computes
``X @ W + b`` with ``W`` of shape ``(fan_in, fan_out)``.

Training is generic over ``dlcore.optim``: all parameters are flattened into
one vector ``theta`` and the optimizer's pure contract is applied to it,
``updates, state = opt.update(grads, state, theta)``; ``theta = theta + updates``.
The gradients come from :mod:`dlcore.mlp_pass`, the backpropagation equations
written out per layer on buffers kept for the whole run (the same numbers as
autograd, several times faster); :class:`MLP` itself runs on autograd.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from dlcore._validation import RngLike, as_rng, check_array, check_choice, check_int, check_range
from dlcore.autograd import Tensor, op, softmax_cross_entropy
from dlcore.mlp_pass import MLPPass


# ----------------------------------------------------------------- registries
@dataclass(frozen=True)
class Init:
    """A weight initialisation: ``W ~ N(0, std^2)`` with ``std = std_of(fan_in, fan_out)``."""

    name: str
    latex: str
    gain: float  # std = sqrt(gain / fan), fan chosen by `fan`
    fan: str  # "in", "avg" or "const"

    def std(self, fan_in: int, fan_out: int) -> float:
        fan = {"in": fan_in, "avg": (fan_in + fan_out) / 2, "const": 1.0}[self.fan]
        return float(np.sqrt(self.gain / fan))


INITS: dict[str, Init] = {
    # He et al. (2015) keep the variance of ReLU outputs constant from layer to layer.
    "he": Init("he", r"W_{ij} \sim \mathcal N\!\left(0, \tfrac{2}{n_\text{in}}\right)", 2.0, "in"),
    # Glorot & Bengio (2010) for tanh/sigmoid: the average of fan-in and fan-out.
    "xavier": Init(
        "xavier",
        r"W_{ij} \sim \mathcal N\!\left(0, \tfrac{2}{n_\text{in} + n_\text{out}}\right)",
        1.0,
        "avg",
    ),
    "small normal": Init("small normal", r"W_{ij} \sim \mathcal N(0, 0.01^2)", 1e-4, "const"),
    # All-zero weights: every hidden neuron computes the same thing forever (symmetry).
    "zeros": Init("zeros", r"W_{ij} = 0", 0.0, "const"),
}


@dataclass(frozen=True)
class Hidden:
    """A hidden-layer activation, applied through the Tensor method ``method``.

    ``kinks`` lists the inputs where the derivative jumps (ReLU's 0): a finite
    difference that straddles one measures the average of the two one-sided
    slopes, not the derivative, so a gradient check must stay away from them.
    """

    name: str
    latex: str
    method: str
    kinks: tuple[float, ...] = ()


HIDDEN_ACTIVATIONS: dict[str, Hidden] = {
    "relu": Hidden("relu", r"\operatorname{relu}(z) = \max(z, 0)", "relu", kinks=(0.0,)),
    "tanh": Hidden("tanh", r"\tanh(z)", "tanh"),
    "sigmoid": Hidden("sigmoid", r"\sigma(z) = \frac{1}{1 + e^{-z}}", "sigmoid"),
    "identity": Hidden("identity", r"z", ""),
}


def activate(h: Tensor, name: str) -> Tensor:
    """Apply the hidden activation ``name`` (a key of ``HIDDEN_ACTIVATIONS``)."""
    method = HIDDEN_ACTIVATIONS[name].method
    return getattr(h, method)() if method else h


# --------------------------------------------------------------------- layers
class Linear:
    """``y = x @ W + b`` with ``W`` of shape (fan_in, fan_out) and ``b`` of shape (fan_out,).

    Parameters
    ----------
    fan_in, fan_out : int
    init : str
        A key of ``INITS``; biases start at zero.
    rng : Generator, int or None
    dtype : float32 or float64
    """

    def __init__(
        self,
        fan_in: int,
        fan_out: int,
        *,
        init: str = "he",
        rng: RngLike = None,
        dtype: Any = np.float64,
    ) -> None:
        fan_in = check_int("fan_in", fan_in, 1, 100_000)
        fan_out = check_int("fan_out", fan_out, 1, 100_000)
        spec = INITS[check_choice("init", init, INITS)]
        w = as_rng(rng).normal(0.0, 1.0, (fan_in, fan_out)) * spec.std(fan_in, fan_out)
        self.weight = Tensor(w.astype(dtype), label="W")
        self.bias = Tensor(np.zeros(fan_out, dtype), label="b")

    def __call__(self, x: Tensor) -> Tensor:
        return x @ self.weight + self.bias

    def parameters(self) -> list[Tensor]:
        return [self.weight, self.bias]


class MLP:
    """A multi-layer perceptron: Linear, activation, ..., Linear (logits, no softmax).

    Parameters
    ----------
    sizes : sequence of int
        ``(n_inputs, hidden_1, ..., hidden_k, n_outputs)``; ``(d, C)`` with no
        hidden layer is multinomial logistic regression.
    activation : str
        Hidden activation, a key of ``HIDDEN_ACTIVATIONS``.
    init : str
        A key of ``INITS``.
    rng : Generator, int or None
    dtype : float32 or float64
        float32 for speed; float64 (the default) for gradient checks.

    Examples
    --------
    >>> model = MLP((2, 8, 2), rng=0)
    >>> model(np.zeros((5, 2))).shape
    (5, 2)
    """

    def __init__(
        self,
        sizes: Sequence[int],
        *,
        activation: str = "relu",
        init: str = "he",
        rng: RngLike = None,
        dtype: Any = np.float64,
    ) -> None:
        sizes = tuple(sizes)
        if len(sizes) < 2:
            raise ValueError(
                f"sizes must list at least inputs and outputs, e.g. (2, 8, 2), got {sizes}"
            )
        self.sizes = tuple(check_int(f"sizes[{i}]", s, 1, 4096) for i, s in enumerate(sizes))
        self.activation = check_choice("activation", activation, HIDDEN_ACTIVATIONS)
        self.init = check_choice("init", init, INITS)
        gen = as_rng(rng)
        self.layers = [
            Linear(a, b, init=init, rng=gen, dtype=dtype) for a, b in zip(sizes[:-1], sizes[1:])
        ]
        for k, layer in enumerate(self.layers, start=1):
            layer.weight.label, layer.bias.label = f"W{k}", f"b{k}"

    def __call__(self, x: Any, *, activation: Callable[[Tensor], Tensor] | None = None) -> Tensor:
        """Logits of shape (n, n_outputs) for ``x`` of shape (n, n_inputs).

        ``activation`` replaces the hidden activation (the gradient check uses
        it to plant a wrong derivative).
        """
        h = x if isinstance(x, Tensor) else Tensor(np.asarray(x, dtype=self.dtype))
        if h.ndim != 2 or h.shape[1] != self.sizes[0]:
            raise ValueError(f"x must have shape (n, {self.sizes[0]}), got {h.shape}")
        act = activation or (lambda t: activate(t, self.activation))
        for layer in self.layers[:-1]:
            h = act(layer(h))
        return self.layers[-1](h)

    @property
    def dtype(self) -> np.dtype:
        return self.layers[0].weight.dtype

    def parameters(self) -> list[Tensor]:
        return [p for layer in self.layers for p in layer.parameters()]

    def pre_activations(self, x: np.ndarray) -> list[np.ndarray]:
        """The inputs ``z = h W + b`` of each hidden activation, each of shape (n, width)."""
        h = Tensor(np.asarray(x, dtype=self.dtype))
        zs = []
        for layer in self.layers[:-1]:
            z = layer(h)
            zs.append(z.data)
            h = activate(z, self.activation)
        return zs

    def hidden_outputs(self, x: np.ndarray) -> list[np.ndarray]:
        """The activations of each hidden layer, each of shape (n, width)."""
        h = Tensor(np.asarray(x, dtype=self.dtype))
        outs = []
        for layer in self.layers[:-1]:
            h = activate(layer(h), self.activation)
            outs.append(h.data)
        return outs

    def weights(self) -> dict[str, np.ndarray]:
        """Copies of the parameters by name: ``W1, b1, W2, b2, ...``."""
        return {p.label: p.data.copy() for p in self.parameters()}

    def load_weights(self, weights: dict[str, np.ndarray]) -> MLP:
        """Set the parameters from :meth:`weights` output (shapes must match); returns self."""
        for p in self.parameters():
            w = np.asarray(weights[p.label], dtype=self.dtype)
            if w.shape != p.shape:
                raise ValueError(f"weights[{p.label!r}] must have shape {p.shape}, got {w.shape}")
            p.data = w.copy()
        return self


def predict_proba(model: MLP, X: np.ndarray) -> np.ndarray:
    """Softmax of the logits, shape (n, n_outputs); rows sum to one."""
    z = model(X).data
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def evaluate(model: MLP, X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Mean cross-entropy and accuracy of ``model`` on ``(X, y)``."""
    logits = model(X)
    loss = softmax_cross_entropy(logits, y).item()
    return loss, float(np.mean(np.argmax(logits.data, axis=1) == y))


# ------------------------------------------------------------------- training
class History(NamedTuple):
    """One entry per epoch.

    Attributes
    ----------
    loss : ndarray of shape (epochs,)
        Mean training cross-entropy over the epoch's batches (without the L2
        term). NaN from the epoch where training diverged on.
    accuracy : ndarray of shape (epochs,)
        Accuracy on the training data after the epoch.
    grad_norms : ndarray of shape (epochs, n_layers)
        Per Linear layer, the norm of its weight and bias gradients together,
        averaged over the epoch's batches.
    """

    loss: np.ndarray
    accuracy: np.ndarray
    grad_norms: np.ndarray


class Fit(NamedTuple):
    """What :func:`fit` returns: the history, test curves and the state to resume from.

    Attributes
    ----------
    history : History
    test_loss, test_accuracy : ndarray of shape (epochs,)
        On the held-out data after each epoch (NaN when none was given).
    state : optimizer state
        Pass it back with ``start_epoch`` to continue exactly where this stopped.
    diverged_at : int
        The epoch (counted from ``start_epoch``) whose loss was not finite or
        exceeded ``limit``; -1 if none.
        Training stops there and the parameters keep their last finite values.
    """

    history: History
    test_loss: np.ndarray
    test_accuracy: np.ndarray
    state: Any
    diverged_at: int


def check_xy(model: MLP, X: Any, y: Any, name: str = "X") -> tuple[np.ndarray, np.ndarray]:
    """Check inputs ``X`` of shape (n, model inputs) and integer labels ``y`` of shape (n,).

    Returns ``X`` in the model's dtype and ``y``; raises ValueError naming what is wrong.
    """
    X = check_array(name, X, ndim=2).astype(model.dtype, copy=False)
    if X.shape[1] != model.sizes[0]:
        raise ValueError(
            f"{name} must have {model.sizes[0]} columns (the model's inputs), got {X.shape[1]}"
        )
    y = np.asarray(y)
    if y.shape != (X.shape[0],) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(
            f"y must hold {X.shape[0]} integer labels, got shape {y.shape} of {y.dtype}"
        )
    if y.min() < 0 or y.max() >= model.sizes[-1]:
        raise ValueError(
            f"labels must be in [0, {model.sizes[-1] - 1}] (one per output), got up to {y.max()}"
        )
    return X, y


def fit(
    model: MLP,
    X: Any,
    y: Any,
    *,
    optimizer: Any,
    epochs: int,
    batch_size: int | None = None,
    rng: RngLike = None,
    l2: float = 0.0,
    state: Any = None,
    start_epoch: int = 0,
    X_test: Any = None,
    y_test: Any = None,
    limit: float = 1e4,
) -> Fit:
    """Train ``model`` in place with mini-batch gradient descent on softmax cross-entropy.

    Parameters
    ----------
    model : MLP
    X : ndarray of shape (n, n_inputs)
    y : ndarray of int, shape (n,)
        At least two classes.
    optimizer : a ``dlcore.optim`` optimizer
    epochs : int
        Passes over the data (0..100000).
    batch_size : int, optional
        None (or >= n) for full-batch gradient descent.
    rng : int, Generator or None
        The batches of epoch ``e`` are shuffled by ``default_rng([seed, e])``,
        so training 10 epochs at once equals 10 calls of one epoch each.
    l2 : float
        Weight decay: adds ``l2/2 * sum ||W||^2`` (weights, not biases) to the loss.
    state, start_epoch
        Resume: the optimizer state and epoch count of an earlier :class:`Fit`.
    X_test, y_test : optional held-out data, evaluated after every epoch.
    limit : float
        Training counts as diverged once a batch loss is NaN, infinite or above
        ``limit``. A cross-entropy of 1e4 means logits thousands apart: the
        weights have blown up long before floats overflow to NaN (and a ReLU
        network that blew up often stays finite, every unit dead).
    """
    X, y = check_xy(model, X, y)
    limit = check_range("limit", limit, 0.0, None, low_inclusive=False)
    if np.unique(y).size < 2:
        raise ValueError(
            f"y holds only one class ({y[0]}); a classifier needs at least two. "
            "Use more samples or a smaller test fraction."
        )
    epochs = check_int("epochs", epochs, 0, 100_000)
    n = X.shape[0]
    batch = n if batch_size is None else min(check_int("batch_size", batch_size, 1, None), n)
    l2 = check_range("l2", l2, 0.0, 10.0)
    start_epoch = check_int("start_epoch", start_epoch, 0, None)
    seed = (
        rng
        if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool)
        else int(as_rng(rng).integers(2**31))
    )
    test = None if X_test is None else check_xy(model, X_test, y_test, "X_test")
    run = _Run(model, X, batch, l2, limit, test)
    if state is None:
        state = optimizer.init(run.theta)
    loss_hist, acc_hist, test_loss, test_acc = np.full((4, epochs), np.nan)
    norm_hist = np.full((epochs, len(model.layers)), np.nan)
    diverged_at = -1
    # Divergence is detected and reported below, so overflow on the way there is expected.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for e in range(epochs):
            order = (
                np.random.default_rng([seed, start_epoch + e]).permutation(n) if batch < n else None
            )
            theta_start, state_start = run.theta.copy(), state
            losses, norms, state = run.epoch(X, y, order, optimizer, state)
            if losses is None or not np.all(np.isfinite(run.theta)):
                # Keep the last finite parameters, so the model still draws sensibly.
                diverged_at, state = e, state_start
                run.theta[...] = theta_start
                break
            loss_hist[e], norm_hist[e] = np.mean(losses), norms / len(losses)
            # Full batch: this forward pass is also the next epoch's (same parameters).
            acc_hist[e] = np.mean(np.argmax(run.net.forward(X), axis=1) == y)
            if test is not None:
                test_loss[e], test_acc[e] = run.test_net.evaluate(*test)
    return Fit(History(loss_hist, acc_hist, norm_hist), test_loss, test_acc, state, diverged_at)


class _Run:
    """The parameters of ``model`` as one vector ``theta``, and the passes that train them.

    The model's parameter Tensors become views of ``theta``, so updating
    ``theta`` in place updates the model; the gradients are views of ``grads``.
    """

    def __init__(self, model: MLP, X: np.ndarray, batch: int, l2: float, limit: float, test):
        params = model.parameters()
        bounds = np.cumsum([0] + [p.data.size for p in params])
        self.theta = np.concatenate([p.data.ravel() for p in params])
        self.grads = np.zeros_like(self.theta)
        pieces = list(zip(params, bounds[:-1], bounds[1:]))
        values = [self.theta[a:b].reshape(p.shape) for p, a, b in pieces]
        grads = [self.grads[a:b].reshape(p.shape) for p, a, b in pieces]
        for p, v in zip(params, values):
            p.data = v
        self.weights, self.biases = values[0::2], values[1::2]
        self.grad_weights, self.grad_biases = grads[0::2], grads[1::2]
        self.starts = bounds[:-1:2]  # W1, b1, W2, b2, ...: layer k owns two consecutive slices
        self.net = MLPPass(self.weights, self.biases, model.activation, rows=X.shape[0])
        self.test_net = None
        if test is not None:
            self.test_net = MLPPass(self.weights, self.biases, model.activation, len(test[0]))
        self.batch, self.l2, self.limit = batch, l2, limit
        if batch >= X.shape[0]:
            self.net.forward(X)  # full batch: each epoch starts from the latest forward pass

    def epoch(self, X: np.ndarray, y: np.ndarray, order, optimizer, state):
        """One pass over the data in batches (``order`` shuffles them; None: one full batch).

        Returns ``(batch losses, summed per-layer gradient norms, state)``;
        losses are None once a batch diverged (loss above ``limit`` or not
        finite, or a gradient not finite): that batch's step is not taken.
        """
        losses, norms = [], np.zeros(len(self.weights))
        for lo in range(0, X.shape[0], self.batch):
            if order is None:
                xb, yb = X, y  # already forwarded, at these parameters (see fit)
            else:
                xb, yb = X[order[lo : lo + self.batch]], y[order[lo : lo + self.batch]]
                self.net.forward(xb)
            losses.append(self.net.backward(xb, yb, self.grad_weights, self.grad_biases))
            if self.l2 > 0:  # the gradient of l2/2 ||W||^2
                for w, g in zip(self.weights, self.grad_weights):
                    g += self.l2 * w
            if not (losses[-1] <= self.limit and np.all(np.isfinite(self.grads))):
                return None, norms, state  # NaN <= limit is False
            norms += np.sqrt(np.add.reduceat(self.grads * self.grads, self.starts))
            updates, state = optimizer.update(self.grads, state, self.theta)
            # The optimizer works in float64; the model keeps its own dtype.
            self.theta += updates
        return losses, norms, state


def train(
    model: MLP,
    X: Any,
    y: Any,
    *,
    optimizer: Any,
    epochs: int,
    batch_size: int | None = None,
    rng: RngLike = None,
    l2: float = 0.0,
) -> History:
    """Train ``model`` in place; one :class:`History` entry per epoch (see :func:`fit`)."""
    return fit(
        model, X, y, optimizer=optimizer, epochs=epochs, batch_size=batch_size, rng=rng, l2=l2
    ).history


def train_test_split(
    X: Any, y: Any, *, test_fraction: float = 0.3, rng: RngLike = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A random split ``(X_train, X_test, y_train, y_test)``; at least one row on each side."""
    X = check_array("X", X, ndim=2)
    y = np.asarray(y)
    frac = check_range(
        "test_fraction", test_fraction, 0.0, 1.0, low_inclusive=False, high_inclusive=False
    )
    n = X.shape[0]
    if n < 2:
        raise ValueError(f"X needs at least 2 rows to split, got {n}")
    n_test = min(max(int(round(frac * n)), 1), n - 1)
    order = as_rng(rng).permutation(n)
    test, train_ = order[:n_test], order[n_test:]
    return X[train_], X[test], y[train_], y[test]


# --------------------------------------------------- one step, by hand (2-2-1)
class StepTrace(NamedTuple):
    """Every matrix of one gradient step of a tanh-sigmoid network on one example (row vectors).

    Shapes for ``x`` of shape (1, d), hidden width h: ``z1, a1, delta1`` (1, h);
    ``z2, p, delta2`` (1, 1); ``dW1`` (d, h), ``db1`` (h,), ``dW2`` (h, 1), ``db2`` (1,).
    ``new`` holds the parameters after ``W <- W - lr dW``.
    """

    z1: np.ndarray
    a1: np.ndarray
    z2: np.ndarray
    p: np.ndarray
    loss: float
    delta2: np.ndarray
    dW2: np.ndarray
    db2: np.ndarray
    delta1: np.ndarray
    dW1: np.ndarray
    db1: np.ndarray
    new: dict[str, np.ndarray]


def manual_step(x: Any, y: float, weights: dict[str, np.ndarray], *, lr: float) -> StepTrace:
    """Backpropagation written out by hand for ``p = sigmoid(tanh(x W1 + b1) W2 + b2)``.

    The loss is binary cross-entropy ``-[y log p + (1-y) log(1-p)]``, whose
    gradient with respect to the logit is simply ``p - y``.

    Parameters
    ----------
    x : array_like of shape (d,)
    y : 0 or 1
    weights : dict with ``W1`` (d, h), ``b1`` (h,), ``W2`` (h, 1), ``b2`` (1,)
    lr : float
    """
    x = check_array("x", x, ndim=1).reshape(1, -1)
    y = check_range("y", y, 0.0, 1.0)
    lr = check_range("lr", lr, 0.0, 100.0)
    W1, b1, W2, b2 = (np.asarray(weights[k], float) for k in ("W1", "b1", "W2", "b2"))
    # forward
    z1 = x @ W1 + b1
    a1 = np.tanh(z1)
    z2 = a1 @ W2 + b2
    p = 0.5 * (1.0 + np.tanh(0.5 * z2))
    p_safe = np.clip(p, 1e-15, 1 - 1e-15)
    loss = float(-(y * np.log(p_safe) + (1 - y) * np.log1p(-p_safe))[0, 0])
    # backward: the error signal delta = dL/dz, layer by layer
    delta2 = p - y  # sigmoid + cross-entropy: dL/dz2 = p - y
    dW2 = a1.T @ delta2  # outer product (h, 1) x (1, 1)
    db2 = delta2[0]
    delta1 = (delta2 @ W2.T) * (1.0 - a1**2)  # back through W2, then tanh' = 1 - tanh^2
    dW1 = x.T @ delta1  # outer product (d, 1) x (1, h)
    db1 = delta1[0]
    new = {"W1": W1 - lr * dW1, "b1": b1 - lr * db1, "W2": W2 - lr * dW2, "b2": b2 - lr * db2}
    return StepTrace(z1, a1, z2, p, loss, delta2, dW2, db2, delta1, dW1, db1, new)


def broken_activation(h: Tensor, name: str) -> Tensor:
    """The activation ``name`` with a planted bug: its derivative taken as the function itself.

    The forward value is right (sigmoid' taken as sigmoid, tanh' as tanh,
    relu' as relu), so only a gradient check can tell.
    """
    out = activate(h, name).data
    return op(out, (h,), f"{name} (broken)", lambda g: (g * out,))


# ------------------------------------------------------ helpers for the lab
def neuron(
    x: Sequence[float], w: Sequence[float], b: float, target: float, *, activation: str = "sigmoid"
) -> Tensor:
    """The graph of one neuron and its squared error, every node labelled.

    ``L = (f(w1 x1 + w2 x2 + b) - t)^2`` for two inputs, built from scalar
    tensors so :func:`dlcore.autograd.trace` can show each chain-rule step.
    """
    check_choice("activation", activation, HIDDEN_ACTIVATIONS)
    if len(x) != 2 or len(w) != 2:
        raise ValueError(f"x and w must hold 2 numbers each, got {len(x)} and {len(w)}")
    xs = [Tensor(check_range(f"x{i}", v), label=f"x{i}") for i, v in enumerate(x, start=1)]
    ws = [Tensor(check_range(f"w{i}", v), label=f"w{i}") for i, v in enumerate(w, start=1)]
    products = []
    for i, (xi, wi) in enumerate(zip(xs, ws), start=1):
        products.append(wi * xi)
        products[-1].label = f"w{i}x{i}"
    s = products[0] + products[1]
    s.label = "w1x1+w2x2"
    z = s + Tensor(check_range("b", b), label="b")
    z.label = "z"
    a = activate(z, activation)
    if a is not z:  # identity adds no node
        a.label = "a"
    err = a - Tensor(check_range("target", target), label="t")
    err.label = "a - t"
    loss = err**2
    loss.label = "L"
    return loss


def grid_over(
    X: Any, *, resolution: int = 60, margin: float = 0.25
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A square grid around 2-D data, for decision regions.

    Returns
    -------
    xs, ys : ndarray of shape (resolution,)
    points : ndarray of shape (resolution**2, 2)
        Row-major: ``points[i * resolution + j] = (xs[j], ys[i])``.
    """
    X = check_array("X", X, ndim=2)
    resolution = check_int("resolution", resolution, 2, 1000)
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = margin * np.maximum(hi - lo, 1e-9)
    xs = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
    ys = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.column_stack([gx.ravel(), gy.ravel()])


def standardize_split(X_train: Any, X_test: Any) -> tuple[np.ndarray, np.ndarray]:
    """Scale both sets by the training set's mean and standard deviation.

    Training statistics only, so nothing about the test set leaks into training.
    """
    X_train = check_array("X_train", X_train, ndim=2)
    X_test = check_array("X_test", X_test, ndim=2)
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return (X_train - mean) / std, (X_test - mean) / std


class Progress(NamedTuple):
    """A training run that can be continued epoch by epoch (what the lab keeps between clicks).

    Attributes
    ----------
    weights : dict of str to ndarray
        The parameters now (see :meth:`MLP.weights`).
    state : optimizer state, or None before the first epoch
    epoch : int
        Epochs done.
    loss, accuracy, test_loss, test_accuracy : ndarray of shape (epoch,)
    grad_norms : ndarray of shape (epoch, n_layers)
    diverged_at : int
        The epoch (0-based, absolute) whose loss was not finite, or -1.
    """

    weights: dict[str, np.ndarray]
    state: Any
    epoch: int
    loss: np.ndarray
    accuracy: np.ndarray
    test_loss: np.ndarray
    test_accuracy: np.ndarray
    grad_norms: np.ndarray
    diverged_at: int


def start(model: MLP) -> Progress:
    """A run at epoch 0 from the model's current parameters."""
    empty = np.zeros(0)
    return Progress(
        model.weights(), None, 0, empty, empty, empty, empty, np.zeros((0, len(model.layers))), -1
    )


def resume(
    model: MLP,
    progress: Progress,
    X: Any,
    y: Any,
    *,
    optimizer: Any,
    epochs: int,
    batch_size: int | None = None,
    rng: RngLike = 0,
    l2: float = 0.0,
    X_test: Any = None,
    y_test: Any = None,
) -> Progress:
    """Continue ``progress`` for ``epochs`` more epochs (nothing happens once it diverged).

    ``model`` must have the run's architecture; it ends holding the new
    parameters. Same arguments as :func:`fit`; with an int ``rng`` the result
    does not depend on how the epochs were split between calls.
    """
    model.load_weights(progress.weights)
    if progress.diverged_at >= 0 or epochs == 0:
        return progress
    result = fit(
        model,
        X,
        y,
        optimizer=optimizer,
        epochs=epochs,
        batch_size=batch_size,
        rng=rng,
        l2=l2,
        state=progress.state,
        start_epoch=progress.epoch,
        X_test=X_test,
        y_test=y_test,
    )
    done = epochs if result.diverged_at < 0 else result.diverged_at
    h = result.history
    return Progress(
        weights=model.weights(),
        state=result.state,
        epoch=progress.epoch + done,
        loss=np.concatenate([progress.loss, h.loss[:done]]),
        accuracy=np.concatenate([progress.accuracy, h.accuracy[:done]]),
        test_loss=np.concatenate([progress.test_loss, result.test_loss[:done]]),
        test_accuracy=np.concatenate([progress.test_accuracy, result.test_accuracy[:done]]),
        grad_norms=np.concatenate([progress.grad_norms, h.grad_norms[:done]]),
        diverged_at=-1 if result.diverged_at < 0 else progress.epoch + result.diverged_at,
    )
