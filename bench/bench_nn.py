"""Training a 2-64-64-2 MLP: dlcore.nn.train against PyTorch CPU and hand-written NumPy.

All three do the same work per epoch in float32: one full-batch forward and
backward pass of softmax cross-entropy, one Adam step, and the training
accuracy after the step. PyTorch is optional (benchmarks only): without it
that reference is skipped. The hand-written NumPy loop (the backward pass
written out per layer, no graph) shows what the autograd bookkeeping costs.
"""

from __future__ import annotations

import numpy as np

from bench.timing import Comparison, compare
from dlcore import datasets, nn, optim

SIZES = (2, 64, 64, 2)


def _data(n: int) -> tuple[np.ndarray, np.ndarray]:
    d = datasets.load("moons", n_samples=n, noise=0.2, rng=0)
    return d.X.astype(np.float32), d.y


def _dlcore(X: np.ndarray, y: np.ndarray, epochs: int) -> float:
    model = nn.MLP(SIZES, rng=0, dtype=np.float32)
    return nn.train(model, X, y, optimizer=optim.Adam(lr=1e-2), epochs=epochs).loss[-1]


def _numpy_by_hand(X: np.ndarray, y: np.ndarray, epochs: int) -> float:
    weights = nn.MLP(SIZES, rng=0, dtype=np.float32).weights()
    names = list(weights)
    theta = np.concatenate([weights[k].ravel() for k in names])
    bounds = np.cumsum([0] + [weights[k].size for k in names])
    opt = optim.Adam(lr=1e-2)
    state = opt.init(theta)
    n = len(y)
    onehot = np.eye(SIZES[-1], dtype=np.float32)[y]
    loss = np.nan
    for _ in range(epochs):
        W1, b1, W2, b2, W3, b3 = (
            theta[a:b].reshape(weights[k].shape) for k, a, b in zip(names, bounds, bounds[1:])
        )
        h1 = np.maximum(X @ W1 + b1, 0)
        h2 = np.maximum(h1 @ W2 + b2, 0)
        z = h2 @ W3 + b3
        e = np.exp(z - z.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        loss = -np.mean(np.log(p[np.arange(n), y]))
        d3 = (p - onehot) / n
        d2 = (d3 @ W3.T) * (h2 > 0)
        d1 = (d2 @ W2.T) * (h1 > 0)
        grads = [X.T @ d1, d1.sum(0), h1.T @ d2, d2.sum(0), h2.T @ d3, d3.sum(0)]
        updates, state = opt.update(np.concatenate([g.ravel() for g in grads]), state, theta)
        theta = (theta + updates).astype(np.float32)
        W1, b1, W2, b2, W3, b3 = (
            theta[a:b].reshape(weights[k].shape) for k, a, b in zip(names, bounds, bounds[1:])
        )
        np.mean(
            np.argmax(np.maximum(np.maximum(X @ W1 + b1, 0) @ W2 + b2, 0) @ W3 + b3, axis=1) == y
        )
    return float(loss)


def _torch_reference(X: np.ndarray, y: np.ndarray, epochs: int):
    try:
        import torch
    except ImportError:
        return None
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y.astype(np.int64))

    def run() -> float:
        torch.manual_seed(0)
        model = torch.nn.Sequential(
            torch.nn.Linear(2, 64),
            torch.nn.ReLU(),
            torch.nn.Linear(64, 64),
            torch.nn.ReLU(),
            torch.nn.Linear(64, 2),
        )
        opt = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = torch.nn.CrossEntropyLoss()
        loss = None
        for _ in range(epochs):
            opt.zero_grad()
            loss = loss_fn(model(Xt), yt)
            loss.backward()
            opt.step()
            with torch.no_grad():
                (model(Xt).argmax(1) == yt).float().mean()
        return loss.item()

    return run


def run(quick: bool = False) -> list[Comparison]:
    n, epochs = (200, 20) if quick else (1000, 200)
    X, y = _data(n)
    impls = {
        "dlcore.nn.train": lambda: _dlcore(X, y, epochs),
        "NumPy backprop by hand": lambda: _numpy_by_hand(X, y, epochs),
    }
    # Importing torch alone takes seconds: the quick run (part of the test suite) leaves it out.
    torch_run = None if quick else _torch_reference(X, y, epochs)
    note = "float32, full batch"
    if torch_run is not None:
        impls["PyTorch CPU"] = torch_run
    else:
        note += "; PyTorch reference skipped (" + ("quick run" if quick else "not installed") + ")"
    return [
        compare(
            f"train 2-64-64-2 on {n} points, {epochs} full-batch Adam epochs",
            impls,
            ours="dlcore.nn.train",
            rounds=3 if quick else 7,
            note=note,
        )
    ]
