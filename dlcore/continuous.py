"""Continuous probability distributions as small frozen dataclasses.

Each is written with the textbook formula for its density, its CDF through a
special function where the integral has no elementary form (``erfc``,
``betainc``, ``gammainc``), its mean and variance, and a sampler that draws
through the ``rng`` it is given. Values equal ``scipy.stats`` (the tests check
it); only ``scipy.special`` is used here, so the formulas stay visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy import special

from dlcore._validation import check_positive, check_range
from dlcore.distribution_base import Continuous, Param

__all__ = [
    "Beta",
    "beta_pdf",
    "ChiSquared",
    "Exponential",
    "Gamma",
    "Laplace",
    "LogNormal",
    "Normal",
    "StudentT",
    "Uniform",
]

_SQRT2 = np.sqrt(2.0)


@dataclass(frozen=True)
class Normal(Continuous):
    mu: float = 0.0
    sigma: float = 1.0

    name: ClassVar[str] = "Normal"
    params: ClassVar[tuple[Param, ...]] = (
        Param("mu", r"\mu", -5.0, 5.0, 0.0, 0.1),
        Param("sigma", r"\sigma", 0.1, 5.0, 1.0, 0.1),
    )
    template: ClassVar[str] = (
        r"f(x) = \frac{1}{@sigma\sqrt{2\pi}}\exp\left(-\frac{(x-@mu)^2}{2\cdot @sigma^2}\right)"
    )
    mean_latex: ClassVar[str] = r"\mu"
    var_latex: ClassVar[str] = r"\sigma^2"

    def __post_init__(self):
        check_range("mu", self.mu)
        check_positive("sigma", self.sigma)

    def _density(self, x):
        z = (x - self.mu) / self.sigma
        return np.exp(-0.5 * z * z) / (self.sigma * np.sqrt(2.0 * np.pi))

    def cdf(self, x):
        # erfc keeps the far-left tail accurate where 1 + erf would cancel to 0.
        z = (np.asarray(x, dtype=float) - self.mu) / self.sigma
        return 0.5 * special.erfc(-z / _SQRT2)

    def ppf(self, q):
        """Quantile function: the x with cdf(x) = q."""
        return self.mu + self.sigma * _SQRT2 * special.erfinv(
            2.0 * np.asarray(q, dtype=float) - 1.0
        )

    def mean(self):
        return float(self.mu)

    def var(self):
        return float(self.sigma) ** 2

    def _draw(self, shape, rng):
        return rng.normal(self.mu, self.sigma, shape)

    def plot_range(self):
        return self.mu - 4 * self.sigma, self.mu + 4 * self.sigma


@dataclass(frozen=True)
class Uniform(Continuous):
    a: float = 0.0
    b: float = 1.0

    name: ClassVar[str] = "Uniform"
    params: ClassVar[tuple[Param, ...]] = (
        Param("a", "a", -5.0, 5.0, 0.0, 0.1),
        Param("b", "b", -5.0, 5.0, 1.0, 0.1),
    )
    template: ClassVar[str] = r"f(x) = \frac{1}{@b - @a}\quad\text{for } @a \le x \le @b"
    mean_latex: ClassVar[str] = r"\tfrac{a+b}{2}"
    var_latex: ClassVar[str] = r"\tfrac{(b-a)^2}{12}"

    def __post_init__(self):
        a = check_range("a", self.a)
        check_range("b", self.b)
        if not self.b > a:
            raise ValueError(f"b must be greater than a, got a={self.a:g}, b={self.b:g}")

    def _density(self, x):
        return np.where((x >= self.a) & (x <= self.b), 1.0 / (self.b - self.a), 0.0)

    def cdf(self, x):
        return np.clip((np.asarray(x, dtype=float) - self.a) / (self.b - self.a), 0.0, 1.0)

    def mean(self):
        return (self.a + self.b) / 2.0

    def var(self):
        return (self.b - self.a) ** 2 / 12.0

    def _draw(self, shape, rng):
        return rng.uniform(self.a, self.b, shape)

    def plot_range(self):
        pad = 0.15 * (self.b - self.a)
        return self.a - pad, self.b + pad


@dataclass(frozen=True)
class Exponential(Continuous):
    rate: float = 1.0

    name: ClassVar[str] = "Exponential"
    params: ClassVar[tuple[Param, ...]] = (Param("rate", r"\lambda", 0.1, 5.0, 1.0, 0.1),)
    template: ClassVar[str] = r"f(x) = @rate\, e^{-@rate x}\quad (x \ge 0)"
    mean_latex: ClassVar[str] = r"1/\lambda"
    var_latex: ClassVar[str] = r"1/\lambda^2"

    def __post_init__(self):
        check_positive("rate", self.rate)

    def _density(self, x):
        return np.where(x >= 0, self.rate * np.exp(-self.rate * np.maximum(x, 0.0)), 0.0)

    def cdf(self, x):
        # -expm1 keeps 1 - e^{-t} accurate for tiny t.
        return -np.expm1(-self.rate * np.maximum(np.asarray(x, dtype=float), 0.0))

    def mean(self):
        return 1.0 / self.rate

    def var(self):
        return 1.0 / self.rate**2

    def _draw(self, shape, rng):
        return rng.exponential(1.0 / self.rate, shape)

    def plot_range(self):
        return 0.0, 7.0 / self.rate


@dataclass(frozen=True)
class Laplace(Continuous):
    mu: float = 0.0
    b: float = 1.0

    name: ClassVar[str] = "Laplace"
    params: ClassVar[tuple[Param, ...]] = (
        Param("mu", r"\mu", -5.0, 5.0, 0.0, 0.1),
        Param("b", "b", 0.1, 5.0, 1.0, 0.1),
    )
    template: ClassVar[str] = r"f(x) = \frac{1}{2\cdot @b}\exp\left(-\frac{|x-@mu|}{@b}\right)"
    mean_latex: ClassVar[str] = r"\mu"
    var_latex: ClassVar[str] = r"2b^2"

    def __post_init__(self):
        check_range("mu", self.mu)
        check_positive("b", self.b)

    def _density(self, x):
        return np.exp(-np.abs(x - self.mu) / self.b) / (2.0 * self.b)

    def cdf(self, x):
        z = (np.asarray(x, dtype=float) - self.mu) / self.b
        # exp of a non-positive number only: no overflow in either tail.
        half = 0.5 * np.exp(-np.abs(z))
        return np.where(z < 0, half, 1.0 - half)

    def mean(self):
        return float(self.mu)

    def var(self):
        return 2.0 * self.b**2

    def _draw(self, shape, rng):
        return rng.laplace(self.mu, self.b, shape)

    def plot_range(self):
        return self.mu - 7 * self.b, self.mu + 7 * self.b


def beta_pdf(x: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The Beta(a, b) density, broadcast over x, a and b (many posteriors at once)."""
    x = np.asarray(x, dtype=float)
    xc = np.clip(x, 0.0, 1.0)
    # xlogy(0, 0) = 0 gives f(0) = 1 / B(1, b) for a = 1, as the formula does.
    with np.errstate(divide="ignore", over="ignore"):
        log_f = special.xlogy(a - 1, xc) + special.xlog1py(b - 1, -xc) - special.betaln(a, b)
        return np.where((x >= 0) & (x <= 1), np.exp(log_f), 0.0)


@dataclass(frozen=True)
class Beta(Continuous):
    a: float = 2.0
    b: float = 5.0

    name: ClassVar[str] = "Beta"
    params: ClassVar[tuple[Param, ...]] = (
        Param("a", r"\alpha", 0.1, 20.0, 2.0, 0.1),
        Param("b", r"\beta", 0.1, 20.0, 5.0, 0.1),
    )
    template: ClassVar[str] = r"f(x) = \frac{x^{@a-1}(1-x)^{@b-1}}{B(@a, @b)}\quad (0 \le x \le 1)"
    mean_latex: ClassVar[str] = r"\tfrac{\alpha}{\alpha+\beta}"
    var_latex: ClassVar[str] = r"\tfrac{\alpha\beta}{(\alpha+\beta)^2(\alpha+\beta+1)}"

    def __post_init__(self):
        check_positive("a", self.a)
        check_positive("b", self.b)

    def _density(self, x):
        return beta_pdf(x, self.a, self.b)

    def cdf(self, x):
        return special.betainc(self.a, self.b, np.clip(np.asarray(x, dtype=float), 0.0, 1.0))

    def ppf(self, q):
        return special.betaincinv(self.a, self.b, np.asarray(q, dtype=float))

    def mean(self):
        return self.a / (self.a + self.b)

    def var(self):
        s = self.a + self.b
        return self.a * self.b / (s * s * (s + 1.0))

    def _draw(self, shape, rng):
        return rng.beta(self.a, self.b, shape)

    def plot_range(self):
        return -0.05, 1.05


@dataclass(frozen=True)
class Gamma(Continuous):
    k: float = 2.0
    theta: float = 1.0

    name: ClassVar[str] = "Gamma"
    params: ClassVar[tuple[Param, ...]] = (
        Param("k", "k", 0.1, 20.0, 2.0, 0.1),
        Param("theta", r"\theta", 0.1, 5.0, 1.0, 0.1),
    )
    template: ClassVar[str] = (
        r"f(x) = \frac{x^{@k-1} e^{-x/@theta}}{\Gamma(@k)\, @theta^{@k}}\quad (x \ge 0)"
    )
    mean_latex: ClassVar[str] = r"k\theta"
    var_latex: ClassVar[str] = r"k\theta^2"

    def __post_init__(self):
        check_positive("k", self.k)
        check_positive("theta", self.theta)

    def _density(self, x):
        xc = np.maximum(x, 0.0)
        with np.errstate(divide="ignore", over="ignore"):
            log_f = (
                special.xlogy(self.k - 1, xc)
                - xc / self.theta
                - special.gammaln(self.k)
                - self.k * np.log(self.theta)
            )
            return np.where(x >= 0, np.exp(log_f), 0.0)

    def cdf(self, x):
        return special.gammainc(self.k, np.maximum(np.asarray(x, dtype=float), 0.0) / self.theta)

    def mean(self):
        return self.k * self.theta

    def var(self):
        return self.k * self.theta**2

    def _draw(self, shape, rng):
        return rng.gamma(self.k, self.theta, shape)

    def plot_range(self):
        return 0.0, (self.k + 6.0 * np.sqrt(self.k) + 2.0) * self.theta


@dataclass(frozen=True)
class LogNormal(Continuous):
    """exp(Y) for Y ~ Normal(mu, sigma): positive, right-skewed (incomes, weights of trained nets)."""

    mu: float = 0.0
    sigma: float = 0.5

    name: ClassVar[str] = "Log-normal"
    params: ClassVar[tuple[Param, ...]] = (
        Param("mu", r"\mu", -2.0, 2.0, 0.0, 0.1),
        Param("sigma", r"\sigma", 0.1, 1.5, 0.5, 0.05),
    )
    template: ClassVar[str] = (
        r"f(x) = \frac{1}{x\, @sigma\sqrt{2\pi}}\exp\left(-\frac{(\ln x-@mu)^2}{2\cdot @sigma^2}\right)\quad (x > 0)"
    )
    mean_latex: ClassVar[str] = r"e^{\mu+\sigma^2/2}"
    var_latex: ClassVar[str] = r"(e^{\sigma^2}-1)\,e^{2\mu+\sigma^2}"

    def __post_init__(self):
        check_range("mu", self.mu)
        check_positive("sigma", self.sigma)

    def _density(self, x):
        xp = np.where(x > 0, x, 1.0)  # a safe log; the result is masked below
        z = (np.log(xp) - self.mu) / self.sigma
        return np.where(x > 0, np.exp(-0.5 * z * z) / (xp * self.sigma * np.sqrt(2.0 * np.pi)), 0.0)

    def cdf(self, x):
        x = np.asarray(x, dtype=float)
        return np.where(
            x > 0, Normal(self.mu, self.sigma).cdf(np.log(np.where(x > 0, x, 1.0))), 0.0
        )

    def mean(self):
        return float(np.exp(self.mu + self.sigma**2 / 2))

    def var(self):
        return float(np.expm1(self.sigma**2) * np.exp(2 * self.mu + self.sigma**2))

    def _draw(self, shape, rng):
        return rng.lognormal(self.mu, self.sigma, shape)

    def plot_range(self):
        return 0.0, float(np.exp(self.mu + 4 * self.sigma))


@dataclass(frozen=True)
class ChiSquared(Continuous):
    """Sum of k squared standard normals; Gamma(k/2, 2). The law of sample variances."""

    k: float = 3.0

    name: ClassVar[str] = "Chi-squared"
    params: ClassVar[tuple[Param, ...]] = (Param("k", "k", 0.5, 30.0, 3.0, 0.5),)
    template: ClassVar[str] = (
        r"f(x) = \frac{x^{@k/2-1} e^{-x/2}}{2^{@k/2}\,\Gamma(@k/2)}\quad (x \ge 0)"
    )
    mean_latex: ClassVar[str] = "k"
    var_latex: ClassVar[str] = "2k"

    def __post_init__(self):
        check_positive("k", self.k)

    def _as_gamma(self) -> Gamma:
        return Gamma(self.k / 2, 2.0)

    def _density(self, x):
        return self._as_gamma().pdf(x)

    def cdf(self, x):
        return self._as_gamma().cdf(x)

    def mean(self):
        return float(self.k)

    def var(self):
        return 2.0 * self.k

    def _draw(self, shape, rng):
        return rng.chisquare(self.k, shape)

    def plot_range(self):
        return 0.0, self.k + 6.0 * np.sqrt(2 * self.k) + 2.0


@dataclass(frozen=True)
class StudentT(Continuous):
    nu: float = 3.0

    name: ClassVar[str] = "Student t"
    params: ClassVar[tuple[Param, ...]] = (Param("nu", r"\nu", 0.5, 30.0, 3.0, 0.5),)
    template: ClassVar[str] = (
        r"f(x) = \frac{\Gamma\left(\frac{@nu+1}{2}\right)}{\sqrt{@nu\pi}\,\Gamma\left(\frac{@nu}{2}\right)}"
        r"\left(1+\frac{x^2}{@nu}\right)^{-\frac{@nu+1}{2}}"
    )
    mean_latex: ClassVar[str] = r"0\ (\nu > 1)"
    var_latex: ClassVar[str] = r"\tfrac{\nu}{\nu-2}\ (\nu > 2)"

    def __post_init__(self):
        check_positive("nu", self.nu)

    def _density(self, x):
        nu = self.nu
        log_c = special.gammaln((nu + 1) / 2) - special.gammaln(nu / 2) - 0.5 * np.log(nu * np.pi)
        return np.exp(log_c - (nu + 1) / 2 * np.log1p(x * x / nu))

    def cdf(self, x):
        # Symmetry: P(T <= x) = P(T >= -x).
        return self.sf(-np.asarray(x, dtype=float))

    def sf(self, x):
        """Upper tail P(T > x), accurate far out (no 1 - cdf cancellation)."""
        x = np.asarray(x, dtype=float)
        # P(|T| > |x|) = I_{nu/(nu+x^2)}(nu/2, 1/2): the regularised incomplete beta.
        tail = 0.5 * special.betainc(self.nu / 2, 0.5, self.nu / (self.nu + x * x))
        return np.where(x > 0, tail, 1.0 - tail)

    def ppf(self, q):
        """Quantile function, by inverting the incomplete beta of :meth:`cdf`."""
        q = np.asarray(q, dtype=float)
        u = special.betaincinv(self.nu / 2, 0.5, 2.0 * np.minimum(q, 1.0 - q))
        with np.errstate(divide="ignore"):
            t = np.sqrt(self.nu * (1.0 / u - 1.0))
        return np.where(q < 0.5, -t, t)

    def mean(self):
        # Undefined (not infinite) for nu <= 1: the Cauchy case.
        return 0.0 if self.nu > 1 else float("nan")

    def var(self):
        if self.nu > 2:
            return self.nu / (self.nu - 2.0)
        return float("inf") if self.nu > 1 else float("nan")

    def _draw(self, shape, rng):
        return rng.standard_t(self.nu, shape)

    def plot_range(self):
        return -8.0, 8.0
