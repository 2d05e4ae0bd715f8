"""A TensorFlow-Playground network: feature crosses, a per-layer activation, L1, L2,
dropout, classification or regression, trained in resumable chunks.

The network is :class:`dlcore.nn.MLP`'s (``h = act(h @ W + b)``, row
convention, the same initialisation), and :func:`advance` is
:func:`dlcore.nn.fit`'s loop with the extras switched on: with no L1, no
dropout and one activation everywhere it takes the very same steps, so a
run paused and resumed any number of times ends where one uninterrupted
``nn.fit`` call ends (tested to 1e-9).

Everything a run needs to continue is in :class:`PlayState`: the weights,
the optimizer's moments, the seed and the epoch count. Randomness is
counter-based, a generator per ``(seed, epoch)``: the batches of epoch ``e``
are shuffled by ``default_rng([seed, e])`` (as in ``nn.fit``) and its
dropout masks drawn from ``default_rng([seed, e, 1])``, so the seed and the
epoch are the whole random state and nothing depends on how epochs were
split between calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from dlcore import nn
from dlcore._validation import check_choice, check_int, check_range
from dlcore.autograd import Tensor, mse, softmax_cross_entropy


# ------------------------------------------------------------------ features
@dataclass(frozen=True)
class Feature:
    """One input feature computed from the point ``(x1, x2)``: ``fn(X) -> (n,)``."""

    name: str
    latex: str
    fn: Callable[[np.ndarray], np.ndarray]


FEATURES: dict[str, Feature] = {
    f.name: f
    for f in (
        Feature("x1", r"x_1", lambda X: X[:, 0]),
        Feature("x2", r"x_2", lambda X: X[:, 1]),
        Feature("x1^2", r"x_1^2", lambda X: X[:, 0] ** 2),
        Feature("x2^2", r"x_2^2", lambda X: X[:, 1] ** 2),
        Feature("x1*x2", r"x_1 x_2", lambda X: X[:, 0] * X[:, 1]),
        Feature("sin x1", r"\sin x_1", lambda X: np.sin(X[:, 0])),
        Feature("sin x2", r"\sin x_2", lambda X: np.sin(X[:, 1])),
    )
}

#: the hidden activations a layer may take (keys of ``nn.HIDDEN_ACTIVATIONS``)
LAYER_ACTIVATIONS = tuple(nn.HIDDEN_ACTIVATIONS)
TASKS = ("classification", "regression")


def feature_matrix(X: Any, names: tuple[str, ...]) -> np.ndarray:
    """The chosen features of the points ``X`` of shape (n, 2), one column each: (n, k)."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2), got {X.shape}")
    if not names:
        raise ValueError("choose at least one input feature")
    for name in names:
        check_choice("feature", name, FEATURES)
    return np.column_stack([FEATURES[name].fn(X) for name in names])


# -------------------------------------------------------------- configuration
@dataclass(frozen=True)
class Architecture:
    """What a run cannot change without starting over (new weights).

    Attributes
    ----------
    features : tuple of str
        Keys of ``FEATURES``, the network's inputs in order.
    hidden : tuple of int
        Neurons per hidden layer (0 to 6 layers of 1..16).
    activations : tuple of str
        One per hidden layer, keys of ``nn.HIDDEN_ACTIVATIONS``.
    outputs : int
        Classes (softmax cross-entropy), or 1 for regression (mean squared error).
    task : {"classification", "regression"}
    init : str
        A key of ``nn.INITS``.
    seed : int
        Seeds the initial weights, the batches and the dropout masks.
    """

    features: tuple[str, ...] = ("x1", "x2")
    hidden: tuple[int, ...] = (4, 2)
    activations: tuple[str, ...] = ("tanh", "tanh")
    outputs: int = 2
    task: str = "classification"
    init: str = "xavier"
    seed: int = 0

    def __post_init__(self) -> None:
        if not self.features:
            raise ValueError("choose at least one input feature")
        for name in self.features:
            check_choice("feature", name, FEATURES)
        if len(self.hidden) > 6 or len(self.activations) != len(self.hidden):
            raise ValueError(
                f"hidden and activations must have one entry per layer (at most 6), got "
                f"{len(self.hidden)} and {len(self.activations)}"
            )
        for k, (width, act) in enumerate(zip(self.hidden, self.activations), start=1):
            check_int(f"hidden[{k}]", width, 1, 16)
            check_choice(f"activations[{k}]", act, nn.HIDDEN_ACTIVATIONS)
        check_choice("task", self.task, TASKS)
        low = 2 if self.task == "classification" else 1
        high = 8 if self.task == "classification" else 1
        check_int("outputs", self.outputs, low, high)
        check_choice("init", self.init, nn.INITS)
        check_int("seed", self.seed, 0, None)

    @property
    def sizes(self) -> tuple[int, ...]:
        """``(inputs, hidden..., outputs)``."""
        return (len(self.features), *self.hidden, self.outputs)


@dataclass(frozen=True)
class Regimen:
    """What may change between chunks of a run, the weights kept.

    Attributes
    ----------
    optimizer : a ``dlcore.optim`` optimizer (its ``lr`` may be a schedule)
    batch_size : int or None
        None for full batch.
    l1, l2 : float
        Penalties ``l1 * sum |W|`` and ``l2 / 2 * sum W^2`` on the weights (not the biases).
    dropout : float
        The probability of zeroing each hidden unit in training (inverted dropout:
        survivors are scaled by ``1 / (1 - dropout)``, so nothing changes at test time).
    """

    optimizer: Any
    batch_size: int | None = None
    l1: float = 0.0
    l2: float = 0.0
    dropout: float = 0.0

    def __post_init__(self) -> None:
        if self.batch_size is not None:
            check_int("batch_size", self.batch_size, 1, None)
        check_range("l1", self.l1, 0.0, 10.0)
        check_range("l2", self.l2, 0.0, 10.0)
        check_range("dropout", self.dropout, 0.0, 0.9)


class PlayState(NamedTuple):
    """A run that can be continued: everything :func:`advance` needs.

    Attributes
    ----------
    weights : tuple of ndarray
        ``(W1, b1, W2, b2, ...)``, ``W_k`` of shape (fan_in, fan_out).
    opt_state : optimizer state, or None before the first update
    rng : int
        The seed; with ``epoch`` it fixes every batch and dropout mask to come.
    epoch : int
        Epochs done.
    train_loss, test_loss : ndarray of shape (epoch,)
        The data loss (no penalty, no dropout) on the whole training and test
        sets after each epoch; NaN where there is no test set.
    diverged_at : int
        The (0-based) epoch whose loss was not finite or above the limit, -1 if none.
    """

    weights: tuple[np.ndarray, ...]
    opt_state: Any
    rng: int
    epoch: int
    train_loss: np.ndarray
    test_loss: np.ndarray
    diverged_at: int


def initial_state(arch: Architecture) -> PlayState:
    """Epoch 0: the weights ``nn.MLP(arch.sizes, init=arch.init, rng=arch.seed)`` starts from."""
    model = nn.MLP(arch.sizes, init=arch.init, rng=arch.seed)
    weights = tuple(p.data.copy() for p in model.parameters())
    empty = np.zeros(0)
    return PlayState(weights, None, arch.seed, 0, empty, empty, -1)


# --------------------------------------------------------------- the network
def forward(
    arch: Architecture, params: list[Tensor], X: Any, masks: list[np.ndarray] | None = None
) -> list[Tensor]:
    """Every layer's output for inputs ``X`` of shape (n, k): hidden layers, then the output.

    ``masks`` (one per hidden layer, shape (n, width)) multiply the hidden outputs (dropout).
    """
    h = X if isinstance(X, Tensor) else Tensor(np.asarray(X, dtype=float))
    outs = []
    for k, act in enumerate(arch.activations):
        h = nn.activate(h @ params[2 * k] + params[2 * k + 1], act)
        if masks is not None:
            h = h * masks[k]
        outs.append(h)
    outs.append(h @ params[-2] + params[-1])
    return outs


def data_loss(arch: Architecture, out: Tensor, y: np.ndarray) -> Tensor:
    """Softmax cross-entropy (classification) or mean squared error (regression)."""
    if arch.task == "classification":
        return softmax_cross_entropy(out, y)
    return mse(out.reshape(-1), y)


def objective(
    arch: Architecture,
    regimen: Regimen,
    params: list[Tensor],
    X: np.ndarray,
    y: np.ndarray,
    masks: list[np.ndarray] | None = None,
) -> tuple[Tensor, Tensor]:
    """``(data loss, total)``: the total adds ``l2/2 sum W^2`` and ``l1 sum |W|``.

    The L1 term's gradient is ``l1 sign(W)`` (0 at W = 0, the subgradient PyTorch takes).
    """
    fit = data_loss(arch, forward(arch, params, X, masks)[-1], y)
    total = fit
    weights = params[0::2]
    if regimen.l2 > 0:  # written as in nn.fit, so the same numbers come out
        total = fit + 0.5 * regimen.l2 * sum((w * w).sum() for w in weights)
    if regimen.l1 > 0:
        total = total + regimen.l1 * sum((w * np.sign(w.data)).sum() for w in weights)
    return fit, total


def dropout_masks(
    arch: Architecture, rate: float, rows: int, gen: np.random.Generator
) -> list[np.ndarray] | None:
    """Inverted-dropout masks, one (rows, width) array per hidden layer; None at rate 0."""
    if rate <= 0:
        return None
    return [(gen.random((rows, w)) >= rate) / (1.0 - rate) for w in arch.hidden]


def predict(arch: Architecture, weights: tuple[np.ndarray, ...], X: Any) -> list[np.ndarray]:
    """Every layer's output as arrays: hidden ``(n, width)`` ..., then the output.

    The output is the class probabilities (n, C) for classification, the
    prediction (n, 1) for regression.
    """
    outs = [t.data for t in forward(arch, [Tensor(w) for w in weights], X)]
    if arch.task == "classification":
        z = outs[-1]
        e = np.exp(z - z.max(axis=1, keepdims=True))
        outs[-1] = e / e.sum(axis=1, keepdims=True)
    return outs


def losses(
    arch: Architecture, weights: tuple[np.ndarray, ...], X: np.ndarray, y: np.ndarray
) -> float:
    """The data loss of ``weights`` on ``(X, y)`` (no penalty, no dropout); NaN for no rows."""
    if len(X) == 0:
        return float("nan")
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        out = forward(arch, [Tensor(w) for w in weights], X)[-1]
        return data_loss(arch, out, y).item()


def check_targets(arch: Architecture, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """``X`` (n, k) as floats and ``y`` as class integers or float targets; ValueError if wrong."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != arch.sizes[0]:
        raise ValueError(f"X must have shape (n, {arch.sizes[0]}), got {X.shape}")
    y = np.asarray(y)
    if y.shape != (len(X),):
        raise ValueError(f"y must have shape ({len(X)},), got {y.shape}")
    if arch.task == "regression":
        return X, y.astype(float)
    if not np.issubdtype(y.dtype, np.integer) or (
        len(y) and (y.min() < 0 or y.max() >= arch.outputs)
    ):
        raise ValueError(f"labels must be integers in [0, {arch.outputs - 1}]")
    return X, y


# ------------------------------------------------------------------ training
class EpochResult(NamedTuple):
    """One epoch of :func:`run_epoch`: the parameters after it, or where it blew up."""

    theta: np.ndarray
    opt_state: Any
    diverged: bool


def run_epoch(
    arch: Architecture,
    regimen: Regimen,
    theta: np.ndarray,
    opt_state: Any,
    X: np.ndarray,
    y: np.ndarray,
    *,
    seed: int,
    epoch: int,
    limit: float,
) -> EpochResult:
    """One pass over ``(X, y)`` in the batches of ``nn.fit``; flat parameters in and out.

    ``theta`` holds ``W1, b1, W2, b2, ...`` flattened in that order, as ``nn.fit`` does.
    """
    shapes = [w.shape for w in initial_shapes(arch)]
    bounds = np.cumsum([0] + [int(np.prod(s)) for s in shapes])
    n = len(X)
    batch = n if regimen.batch_size is None else min(regimen.batch_size, n)
    order = np.random.default_rng([seed, epoch]).permutation(n) if batch < n else None
    masks_rng = np.random.default_rng([seed, epoch, 1])
    for lo in range(0, n, batch):
        idx = slice(lo, lo + batch) if order is None else order[lo : lo + batch]
        params = [Tensor(theta[a:b].reshape(s)) for a, b, s in zip(bounds[:-1], bounds[1:], shapes)]
        Xb = X[idx]
        masks = dropout_masks(arch, regimen.dropout, len(Xb), masks_rng)
        fit, total = objective(arch, regimen, params, Xb, y[idx], masks)
        total.backward()
        grads = np.concatenate([p.grad.ravel() for p in params])
        if not (fit.item() <= limit and np.all(np.isfinite(grads))):  # NaN <= limit is False
            return EpochResult(theta, opt_state, True)
        updates, opt_state = regimen.optimizer.update(grads, opt_state, theta)
        theta = theta + updates
    return EpochResult(theta, opt_state, not np.all(np.isfinite(theta)))


def initial_shapes(arch: Architecture) -> list[np.ndarray]:
    """Zero arrays shaped as ``W1, b1, W2, b2, ...`` (the layout of the flat parameters)."""
    sizes = arch.sizes
    out = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        out += [np.zeros((a, b)), np.zeros(b)]
    return out


def advance(
    arch: Architecture,
    regimen: Regimen,
    state: PlayState,
    X: Any,
    y: Any,
    epochs: int,
    *,
    X_test: Any = None,
    y_test: Any = None,
    limit: float = 1e4,
) -> PlayState:
    """``epochs`` more epochs of ``state`` on the features ``X`` (n, k) and labels or targets ``y``.

    The optimizer's moments are kept when the optimizer's state has the same
    kind (a new learning rate, schedule or penalty keeps them) and restarted
    otherwise (Adam after SGD). Nothing happens once the run diverged; the
    weights then stay at the last finite values.
    """
    X, y = check_targets(arch, X, y)
    if X_test is None:
        X_test, y_test = np.zeros((0, X.shape[1])), np.zeros(0, dtype=y.dtype)
    X_test, y_test = check_targets(arch, X_test, y_test)
    epochs = check_int("epochs", epochs, 0, 100_000)
    limit = check_range("limit", limit, 0.0, None, low_inclusive=False)
    if len(X) == 0:
        raise ValueError("there are no training points")
    if state.diverged_at >= 0 or epochs == 0:
        return state
    theta = np.concatenate([w.ravel() for w in state.weights])
    fresh = regimen.optimizer.init(theta)
    opt_state = state.opt_state
    if opt_state is None or type(opt_state) is not type(fresh):
        opt_state = fresh
    train_hist, test_hist, diverged_at = [], [], -1
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for e in range(state.epoch, state.epoch + epochs):
            r = run_epoch(
                arch, regimen, theta, opt_state, X, y, seed=state.rng, epoch=e, limit=limit
            )
            if r.diverged:
                diverged_at = e
                break
            theta, opt_state = r.theta, r.opt_state
            weights = unflatten(arch, theta)
            train_hist.append(losses(arch, weights, X, y))
            test_hist.append(losses(arch, weights, X_test, y_test))
    return PlayState(
        weights=unflatten(arch, theta),
        opt_state=opt_state,
        rng=state.rng,
        epoch=state.epoch + len(train_hist),
        train_loss=np.concatenate([state.train_loss, train_hist]),
        test_loss=np.concatenate([state.test_loss, test_hist]),
        diverged_at=diverged_at,
    )


def unflatten(arch: Architecture, theta: np.ndarray) -> tuple[np.ndarray, ...]:
    """The flat parameters as ``(W1, b1, W2, b2, ...)`` (copies)."""
    out, start = [], 0
    for like in initial_shapes(arch):
        out.append(theta[start : start + like.size].reshape(like.shape).copy())
        start += like.size
    return tuple(out)


def set_weight(
    arch: Architecture, state: PlayState, layer: int, i: int, j: int, value: float
) -> PlayState:
    """``state`` with ``W_layer[i, j] = value`` (1-based layer; 0-based units), the rest kept.

    TensorFlow Playground lets a visitor type a weight on a link; the
    optimizer's moments and the history stay as they were.
    """
    n_layers = len(arch.sizes) - 1
    layer = check_int("layer", layer, 1, n_layers)
    i = check_int("i", i, 0, arch.sizes[layer - 1] - 1)
    j = check_int("j", j, 0, arch.sizes[layer] - 1)
    value = check_range("value", value, -100.0, 100.0)
    weights = list(state.weights)
    W = weights[2 * (layer - 1)].copy()
    W[i, j] = value
    weights[2 * (layer - 1)] = W
    return state._replace(weights=tuple(weights))
