"""The optimizer race: 7 optimizers x 100 starts x 1000 steps on Rosenbrock.

dlcore runs each optimizer through ``optim.minimize`` (all starts as one
array, pure ``update`` returning new state). The references do the same
work: a hand-written, in-place, vectorised NumPy Adam loop run seven times
(Adam is the most expensive rule of the seven, so this is the upper bound
a hand-tuned loop would reach), and, when PyTorch is installed, the seven
``torch.optim`` optimizers stepping a (100, 2) leaf tensor. Both references
record every point, as ``minimize`` does.
"""

from __future__ import annotations

import numpy as np

from bench.timing import Comparison, compare
from dlcore import optim


class _Rosenbrock:
    """Rosenbrock with its exact gradient, vectorised over p[..., 2]."""

    def f(self, p):
        x, y = p[..., 0], p[..., 1]
        return (1 - x) ** 2 + 100 * (y - x**2) ** 2

    def grad(self, p):
        x, y = p[..., 0], p[..., 1]
        r = y - x**2
        return np.stack([-2 * (1 - x) - 400 * x * r, 200 * r], axis=-1)


def _objective():
    try:
        from dlcore.objectives import OBJECTIVES

        return OBJECTIVES["Rosenbrock"]
    except (ImportError, KeyError):
        return _Rosenbrock()


def _racers() -> list:
    return [
        optim.SGD(lr=1e-3),
        optim.Momentum(lr=1e-3),
        optim.Nesterov(lr=1e-3),
        optim.Adagrad(lr=0.1),
        optim.RMSProp(lr=1e-3),
        optim.Adam(lr=1e-2),
        optim.AdamW(lr=1e-2),
    ]


def _ours(objective, x0, steps):
    for opt in _racers():
        optim.minimize(objective, opt, x0, steps)


def _numpy_adam_loop(objective, x0, steps, lr=1e-2, b1=0.9, b2=0.999, eps=1e-8):
    """Adam by hand with in-place updates and preallocated buffers, one run."""
    points = np.empty((steps + 1, *x0.shape))
    points[0] = x0
    p = x0.copy()
    m, v, tmp = np.zeros_like(p), np.zeros_like(p), np.empty_like(p)
    for t in range(1, steps + 1):
        g = objective.grad(p)
        m *= b1
        m += (1 - b1) * g
        v *= b2
        np.square(g, out=tmp)
        tmp *= 1 - b2
        v += tmp
        np.sqrt(v, out=tmp)
        tmp *= 1 / np.sqrt(1 - b2**t)
        tmp += eps
        np.divide(m, tmp, out=tmp)
        tmp *= lr / (1 - b1**t)
        p -= tmp
        points[t] = p
    return points, objective.f(points)


def _torch_race(torch, x0, steps):
    makers = [
        lambda w: torch.optim.SGD([w], lr=1e-3),
        lambda w: torch.optim.SGD([w], lr=1e-3, momentum=0.9),
        lambda w: torch.optim.SGD([w], lr=1e-3, momentum=0.9, nesterov=True),
        lambda w: torch.optim.Adagrad([w], lr=0.1),
        lambda w: torch.optim.RMSprop([w], lr=1e-3),
        lambda w: torch.optim.Adam([w], lr=1e-2),
        lambda w: torch.optim.AdamW([w], lr=1e-2),
    ]
    for make in makers:
        w = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
        opt = make(w)
        points = torch.empty((steps + 1, *x0.shape), dtype=torch.float64)
        points[0] = w.detach()
        for t in range(steps):
            opt.zero_grad()
            x, y = w[:, 0], w[:, 1]
            loss = ((1 - x) ** 2 + 100 * (y - x**2) ** 2).sum()
            loss.backward()
            opt.step()
            points[t + 1] = w.detach()


def run(quick: bool = False) -> list[Comparison]:
    n, steps = (20, 100) if quick else (100, 1000)
    x0 = np.random.default_rng(0).uniform([-2.0, -1.0], [2.0, 3.0], size=(n, 2))
    objective = _objective()
    impls = {
        "dlcore optim.minimize": lambda: _ours(objective, x0, steps),
        "NumPy Adam loop x7": lambda: [_numpy_adam_loop(objective, x0, steps) for _ in range(7)],
    }
    note = f"{7 * n * steps:,} optimizer steps"
    try:
        if quick:  # importing torch alone takes seconds; the quick run is a smoke test
            raise ImportError
        import torch

        torch.set_num_threads(1)
        impls["torch.optim (7 optimizers)"] = lambda: _torch_race(torch, x0, steps)
    except ImportError:
        note += "; torch.optim reference skipped (quick run or PyTorch not installed)"
    return [
        compare(
            f"7 optimizers x {n} starts x {steps} steps on Rosenbrock",
            impls,
            ours="dlcore optim.minimize",
            rounds=3 if quick else 7,
            note=note,
        )
    ]
