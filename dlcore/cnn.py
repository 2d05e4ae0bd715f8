"""A small convolutional network on :mod:`dlcore.autograd`, its training loop and its insides.

Architecture (``f1``, ``f2`` filters, input ``1 x S x S``)::

    conv 3x3 (pad 1) -> ReLU -> max-pool 2 -> conv 3x3 (pad 1) -> ReLU -> max-pool 2
    -> flatten (f2 * S/4 * S/4) -> linear -> 10 logits -> softmax cross-entropy

Convolutions and pooling are the differentiable operations of
:mod:`dlcore.convgrad`; the rest is the ordinary Tensor algebra. Training
uses any ``dlcore.optim`` optimizer (Adam by default), one state per
parameter, mini-batches shuffled by a seeded generator, so a seed gives the
same weights bit for bit.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from dlcore._validation import RngLike, as_rng, check_array, check_int
from dlcore.autograd import Tensor, softmax_cross_entropy
from dlcore.convgrad import conv2d_batch, conv2d_tensor, max_pool2d_batch, max_pool2d_tensor
from dlcore.layers import Field, Layer, receptive_field
from dlcore.optim import Adam

__all__ = ["CNN", "CNNConfig", "CNNHistory", "Stages", "UNIT_LAYERS", "fit_cnn", "unit_field"]

#: the layers whose units can be inspected, with their place in the stack
UNIT_LAYERS = ("conv 1", "pool 1", "conv 2", "pool 2")
_STACK = (
    Layer("conv", 3, 1, 1, 1),
    Layer("pool", 2, 2, 0, 1),
    Layer("conv", 3, 1, 1, 1),
    Layer("pool", 2, 2, 0, 1),
)


@dataclass(frozen=True)
class CNNConfig:
    """The network's shape and seed (hashable, so it can key a cache).

    ``side`` is the input's side (a multiple of 4); ``filters`` the channels
    of the two conv layers; ``classes`` the number of logits.
    """

    filters: tuple[int, int] = (8, 16)
    side: int = 16
    classes: int = 10
    seed: int = 0

    def __post_init__(self) -> None:
        check_int("filters[0]", self.filters[0], 1, 64)
        check_int("filters[1]", self.filters[1], 1, 64)
        if check_int("side", self.side, 4, 64) % 4:
            raise ValueError(f"side must be a multiple of 4 (two 2x2 poolings), got {self.side}")
        check_int("classes", self.classes, 2, 100)


class Stages(NamedTuple):
    """Every intermediate of one forward pass, batch axis first.

    ``z1`` conv 1 before ReLU (N, f1, S, S); ``p1`` after ReLU and pooling
    (N, f1, S/2, S/2); ``z2`` conv 2 before ReLU (N, f2, S/2, S/2); ``p2``
    (N, f2, S/4, S/4); ``logits`` (N, classes).
    """

    z1: np.ndarray
    p1: np.ndarray
    z2: np.ndarray
    p2: np.ndarray
    logits: np.ndarray


class CNN:
    """The two-conv-layer network; ``CNN(config)(x)`` gives a Tensor of logits.

    Weights are He-normal (std ``sqrt(2 / fan_in)``), biases zero, float32.
    """

    def __init__(self, config: CNNConfig | None = None) -> None:
        config = CNNConfig() if config is None else config
        self.config = config
        f1, f2 = config.filters
        rng = as_rng(config.seed)
        flat = f2 * (config.side // 4) ** 2

        def he(shape: tuple[int, ...], fan_in: int) -> Tensor:
            return Tensor((rng.normal(size=shape) * np.sqrt(2.0 / fan_in)).astype(np.float32))

        self.params = {
            "conv1.weight": he((f1, 1, 3, 3), 9),
            "conv1.bias": Tensor(np.zeros(f1, np.float32)),
            "conv2.weight": he((f2, f1, 3, 3), 9 * f1),
            "conv2.bias": Tensor(np.zeros(f2, np.float32)),
            "fc.weight": he((flat, config.classes), flat),
            "fc.bias": Tensor(np.zeros(config.classes, np.float32)),
        }

    def __call__(self, x: np.ndarray | Tensor) -> Tensor:
        """Logits, a Tensor of shape (N, classes), for images ``x`` of shape (N, 1, S, S)."""
        p = self.params
        h = x if isinstance(x, Tensor) else Tensor(np.asarray(x, np.float32))
        h = conv2d_tensor(h, p["conv1.weight"], p["conv1.bias"], padding=1).relu()
        h = max_pool2d_tensor(h, 2)
        h = conv2d_tensor(h, p["conv2.weight"], p["conv2.bias"], padding=1).relu()
        h = max_pool2d_tensor(h, 2)
        return h.reshape(h.shape[0], -1) @ p["fc.weight"] + p["fc.bias"]

    def parameters(self) -> list[Tensor]:
        return list(self.params.values())

    def weights(self) -> dict[str, np.ndarray]:
        """A copy of every parameter by name."""
        return {k: v.data.copy() for k, v in self.params.items()}

    def load_weights(self, weights: dict[str, np.ndarray]) -> CNN:
        """Set every parameter from ``weights`` (same names and shapes); returns self."""
        for name, t in self.params.items():
            if name not in weights or np.shape(weights[name]) != t.shape:
                raise ValueError(
                    f"weights must hold {name} of shape {t.shape}, got "
                    f"{np.shape(weights[name]) if name in weights else 'nothing'}"
                )
            t.data = np.array(weights[name], dtype=np.float32)
        return self

    def stages(self, x: np.ndarray) -> Stages:
        """The forward pass with every intermediate kept (NumPy only, no graph)."""
        w = {k: v.data for k, v in self.params.items()}
        xs = check_array("x", x, ndim=4, dtype=np.float32)
        z1 = conv2d_batch(xs, w["conv1.weight"], w["conv1.bias"], padding=1)[0]
        p1 = max_pool2d_batch(np.maximum(z1, 0), 2)[0]
        z2 = conv2d_batch(p1, w["conv2.weight"], w["conv2.bias"], padding=1)[0]
        p2 = max_pool2d_batch(np.maximum(z2, 0), 2)[0]
        logits = p2.reshape(p2.shape[0], -1) @ w["fc.weight"] + w["fc.bias"]
        return Stages(z1, p1, z2, p2, logits)

    def predict(self, x: np.ndarray, *, batch: int = 64) -> np.ndarray:
        """Logits of shape (N, classes), computed ``batch`` images at a time."""
        xs = check_array("x", x, ndim=4, dtype=np.float32)
        parts = [self.stages(xs[i : i + batch]).logits for i in range(0, len(xs), batch)]
        return np.concatenate(parts) if parts else np.zeros((0, self.config.classes), np.float32)


def unit_field(layer: str, row: int, col: int) -> Field:
    """The input pixels (inclusive bounds, may reach into the padding) unit (row, col) of ``layer`` sees."""
    if layer not in UNIT_LAYERS:
        raise ValueError(f"layer must be one of {UNIT_LAYERS}, got {layer!r}")
    return receptive_field(list(_STACK[: UNIT_LAYERS.index(layer) + 1]), row, col)


class CNNHistory(NamedTuple):
    """One entry per epoch: mean training loss and accuracy over the epoch's batches,
    test accuracy after the epoch, and the wall-clock seconds the epoch took."""

    loss: np.ndarray
    accuracy: np.ndarray
    test_accuracy: np.ndarray
    seconds: np.ndarray


def _epoch(model, X, y, opt, states, batch_size, gen) -> tuple[float, float]:
    params = model.parameters()
    order = gen.permutation(len(X))
    losses, hits = [], 0
    for start in range(0, len(X), batch_size):
        idx = order[start : start + batch_size]
        logits = model(X[idx])
        loss = softmax_cross_entropy(logits, y[idx])
        loss.backward()
        hits += int(np.sum(logits.data.argmax(axis=1) == y[idx]))
        losses.append(loss.item() * len(idx))
        for i, p in enumerate(params):
            update, states[i] = opt.update(p.grad, states[i], p.data)
            p.data = p.data + update.astype(np.float32)
    return float(np.sum(losses) / len(X)), hits / len(X)


def fit_cnn(
    model: CNN,
    X: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int,
    optimizer=None,
    batch_size: int = 32,
    rng: RngLike = 0,
    X_test: np.ndarray | None = None,
    y_test: np.ndarray | None = None,
    on_epoch: Callable[[int, CNNHistory], bool | None] | None = None,
) -> CNNHistory:
    """Train ``model`` in place with mini-batches; report after every epoch.

    Parameters
    ----------
    model : CNN
    X : ndarray of shape (n, 1, S, S)
    y : ndarray of int, shape (n,)
    epochs : int >= 0
    optimizer : dlcore.optim optimizer, optional
        ``Adam(lr=1e-3)`` by default.
    batch_size : int
    rng : seed or Generator
        Shuffles the batches; with the model's seed it fixes the result.
    X_test, y_test : optional
        Held-out data for the test accuracy (NaN without it).
    on_epoch : callable, optional
        ``on_epoch(epoch, history_so_far)`` after each epoch (epoch from 1),
        for a progress bar; returning True stops the training there.
    """
    X = check_array("X", X, ndim=4, dtype=np.float32)
    y = np.asarray(y, dtype=np.int64)
    epochs = check_int("epochs", epochs, 0, 10_000)
    batch_size = check_int("batch_size", batch_size, 1)
    opt = optimizer if optimizer is not None else Adam(lr=1e-3)
    states = [opt.init(p.data) for p in model.parameters()]
    gen = as_rng(rng)
    cols: list[list[float]] = [[], [], [], []]
    for e in range(epochs):
        t0 = time.perf_counter()
        loss, acc = _epoch(model, X, y, opt, states, batch_size, gen)
        test = float("nan")
        if X_test is not None and y_test is not None:
            test = float(np.mean(model.predict(X_test).argmax(axis=1) == np.asarray(y_test)))
        for col, v in zip(cols, (loss, acc, test, time.perf_counter() - t0)):
            col.append(v)
        if on_epoch is not None and on_epoch(e + 1, CNNHistory(*(np.array(c) for c in cols))):
            break
    return CNNHistory(*(np.array(c, dtype=float) for c in cols))
