"""Discrete probability distributions as small frozen dataclasses.

Each is written with the textbook formula for its mass function, its CDF, its
mean and variance, and a sampler that draws through the ``rng`` it is given.
Values equal ``scipy.stats`` (the tests check it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy import special

from dlcore._validation import check_int, check_positive, check_range
from dlcore.distribution_base import Discrete, Param

__all__ = [
    "Bernoulli",
    "Binomial",
    "Geometric",
    "Poisson",
]


@dataclass(frozen=True)
class Bernoulli(Discrete):
    p: float = 0.3

    name: ClassVar[str] = "Bernoulli"
    params: ClassVar[tuple[Param, ...]] = (Param("p", "p", 0.0, 1.0, 0.3, 0.01),)
    template: ClassVar[str] = r"P(X=k) = @p^{k}(1-@p)^{1-k}\quad k \in \{0, 1\}"
    mean_latex: ClassVar[str] = "p"
    var_latex: ClassVar[str] = "p(1-p)"

    def __post_init__(self):
        check_range("p", self.p, 0, 1)

    def _density(self, k):
        return np.where(k == 1, self.p, np.where(k == 0, 1.0 - self.p, 0.0))

    def cdf(self, x):
        x = np.asarray(x, dtype=float)
        return np.where(x < 0, 0.0, np.where(x < 1, 1.0 - self.p, 1.0))

    def mean(self):
        return float(self.p)

    def var(self):
        return self.p * (1.0 - self.p)

    def _draw(self, shape, rng):
        return rng.random(shape) < self.p

    def plot_range(self):
        return 0.0, 1.0


@dataclass(frozen=True)
class Binomial(Discrete):
    n: int = 10
    p: float = 0.5

    name: ClassVar[str] = "Binomial"
    params: ClassVar[tuple[Param, ...]] = (
        Param("n", "n", 1, 100, 10, 1, integer=True),
        Param("p", "p", 0.0, 1.0, 0.5, 0.01),
    )
    template: ClassVar[str] = r"P(X=k) = \binom{@n}{k} @p^{k} (1-@p)^{@n-k}"
    mean_latex: ClassVar[str] = "np"
    var_latex: ClassVar[str] = "np(1-p)"

    def __post_init__(self):
        object.__setattr__(self, "n", check_int("n", self.n, 0, 10**9))
        check_range("p", self.p, 0, 1)

    def _density(self, k):
        n, p = self.n, self.p
        inside = (k >= 0) & (k <= n)
        kc = np.clip(k, 0, n)
        # In logs, so n = 1000 does not overflow the binomial coefficient;
        # xlogy gives 0 * log 0 = 0 at p = 0 or 1.
        log_c = special.gammaln(n + 1) - special.gammaln(kc + 1) - special.gammaln(n - kc + 1)
        log_f = log_c + special.xlogy(kc, p) + special.xlog1py(n - kc, -p)
        return np.where(inside, np.exp(log_f), 0.0)

    def cdf(self, x):
        k = np.floor(np.asarray(x, dtype=float))
        kc = np.clip(k, 0, max(self.n - 1, 0))
        # P(X <= k) = I_{1-p}(n-k, k+1) for 0 <= k < n.
        with np.errstate(invalid="ignore"):
            inner = special.betainc(self.n - kc, kc + 1, 1.0 - self.p)
        return np.where(k < 0, 0.0, np.where(k >= self.n, 1.0, inner))

    def mean(self):
        return self.n * self.p

    def var(self):
        return self.n * self.p * (1.0 - self.p)

    def _draw(self, shape, rng):
        return rng.binomial(self.n, self.p, shape)

    def plot_range(self):
        # Mean +- 5 sd covers all but ~1e-6 of the mass; the whole 0..n would waste the axis when p is small.
        centre, spread = self.mean(), 5 * np.sqrt(self.var()) + 1
        return max(0.0, np.floor(centre - spread)), min(float(self.n), np.ceil(centre + spread))


@dataclass(frozen=True)
class Poisson(Discrete):
    lam: float = 3.0

    name: ClassVar[str] = "Poisson"
    params: ClassVar[tuple[Param, ...]] = (Param("lam", r"\lambda", 0.1, 30.0, 3.0, 0.1),)
    template: ClassVar[str] = r"P(X=k) = \frac{@lam^{k} e^{-@lam}}{k!}"
    mean_latex: ClassVar[str] = r"\lambda"
    var_latex: ClassVar[str] = r"\lambda"

    def __post_init__(self):
        check_positive("lam", self.lam)

    def _density(self, k):
        kc = np.maximum(k, 0)
        log_f = special.xlogy(kc, self.lam) - self.lam - special.gammaln(kc + 1)
        return np.where(k >= 0, np.exp(log_f), 0.0)

    def cdf(self, x):
        k = np.floor(np.asarray(x, dtype=float))
        # P(X <= k) = Q(k+1, lam), the upper regularised incomplete gamma.
        return np.where(k < 0, 0.0, special.gammaincc(np.maximum(k, 0) + 1, self.lam))

    def mean(self):
        return float(self.lam)

    def var(self):
        return float(self.lam)

    def _draw(self, shape, rng):
        return rng.poisson(self.lam, shape)

    def plot_range(self):
        return 0.0, np.ceil(self.lam + 5 * np.sqrt(self.lam) + 3)


@dataclass(frozen=True)
class Geometric(Discrete):
    """Number of trials up to and including the first success (k = 1, 2, ...)."""

    p: float = 0.3

    name: ClassVar[str] = "Geometric"
    params: ClassVar[tuple[Param, ...]] = (Param("p", "p", 0.01, 1.0, 0.3, 0.01),)
    template: ClassVar[str] = r"P(X=k) = (1-@p)^{k-1}\, @p\quad k = 1, 2, \dots"
    mean_latex: ClassVar[str] = "1/p"
    var_latex: ClassVar[str] = r"(1-p)/p^2"

    def __post_init__(self):
        check_range("p", self.p, 0, 1, low_inclusive=False)

    def _density(self, k):
        kc = np.maximum(k, 1)
        return np.where(k >= 1, np.exp(special.xlog1py(kc - 1, -self.p)) * self.p, 0.0)

    def cdf(self, x):
        k = np.floor(np.asarray(x, dtype=float))
        return np.where(k < 1, 0.0, -np.expm1(special.xlog1py(np.maximum(k, 1), -self.p)))

    def mean(self):
        return 1.0 / self.p

    def var(self):
        return (1.0 - self.p) / self.p**2

    def _draw(self, shape, rng):
        return rng.geometric(self.p, shape)

    def plot_range(self):
        return 1.0, max(2.0, np.ceil(1 + 5.0 * np.sqrt(self.var()) + 1 / self.p))
