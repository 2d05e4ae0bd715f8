"""Small hand-written surfaces the optimizer tests step on (gradients by hand)."""

from __future__ import annotations

import numpy as np


class Square:
    """f(x) = x^2 in one dimension, gradient 2x: the hand-computed steps use it."""

    def f(self, p):
        return p[..., 0] ** 2

    def grad(self, p):
        return 2 * p


class Bowl:
    """f = (x^2 + 4 y^2) / 2, minimum at the origin."""

    def f(self, p):
        return 0.5 * (p[..., 0] ** 2 + 4 * p[..., 1] ** 2)

    def grad(self, p):
        return np.stack([p[..., 0], 4 * p[..., 1]], axis=-1)


class Rosenbrock:
    """(1 - x)^2 + 100 (y - x^2)^2, minimum at (1, 1)."""

    def f(self, p):
        x, y = p[..., 0], p[..., 1]
        return (1 - x) ** 2 + 100 * (y - x**2) ** 2

    def grad(self, p):
        x, y = p[..., 0], p[..., 1]
        return np.stack([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)], axis=-1)


class SqrtX:
    """f = sqrt(x) + y^2: NaN for x < 0, so a long step leaves the domain."""

    def f(self, p):
        return np.sqrt(p[..., 0]) + p[..., 1] ** 2

    def grad(self, p):
        return np.stack([0.5 / np.sqrt(p[..., 0]), 2 * p[..., 1]], axis=-1)
