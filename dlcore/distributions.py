"""Probability distributions as small frozen dataclasses.

Each distribution is written with the textbook formula for its density (or
mass function), its CDF through a special function where the integral has no
elementary form (``erfc``, ``betainc``, ``gammainc``), its mean and variance,
and a sampler that draws through the ``rng`` it is given. Values equal
``scipy.stats`` (the tests check it); only ``scipy.special`` is used here, so
the formulas stay visible.

``DISTRIBUTIONS`` maps a display name to the class; each class carries its
parameters (:class:`Param`, with slider ranges), its LaTeX and whether it is
discrete, so a page builds its controls from the registry alone.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar, NamedTuple

import numpy as np
from scipy import special

from dlcore._validation import RngLike, as_rng, check_int, check_positive, check_range

__all__ = [
    "DISTRIBUTIONS",
    "Bernoulli",
    "Beta",
    "Binomial",
    "ChiSquared",
    "Distribution",
    "Exponential",
    "Gamma",
    "Geometric",
    "Laplace",
    "LogNormal",
    "Normal",
    "Param",
    "Poisson",
    "StudentT",
    "Uniform",
    "beta_pdf",
]

_SQRT2 = np.sqrt(2.0)


class Param(NamedTuple):
    """One parameter: its name, LaTeX symbol and a sensible slider range."""

    name: str
    symbol: str
    low: float
    high: float
    default: float
    step: float
    integer: bool = False

    @property
    def label(self) -> str:
        """The symbol in LaTeX, with the argument name when the two differ: "$\\mu$ (mu)"."""
        return f"${self.symbol}$" + (f" ({self.name})" if self.symbol != self.name else "")

    def slider_args(self) -> tuple[float, float, float, float] | tuple[int, int, int, int]:
        """(low, high, default, step), as ints for an integer parameter (so a slider steps by whole numbers)."""
        values = (self.low, self.high, self.default, self.step)
        return tuple(int(v) for v in values) if self.integer else values


def _fmt(value: float) -> str:
    text = f"{value:.4g}"
    return f"({text})" if value < 0 else text


@dataclass(frozen=True)
class Distribution:
    """Base class: the shared interface of every distribution.

    Subclasses define ``_density`` (pdf or pmf on the support), ``cdf``,
    ``mean``, ``var``, ``_draw`` and ``plot_range``, plus the class variables
    below. ``template`` is the density's LaTeX with ``@name`` where a
    parameter goes; :attr:`latex` puts the symbols there and
    :meth:`latex_filled` the current numbers.
    """

    name: ClassVar[str] = ""
    discrete: ClassVar[bool] = False
    params: ClassVar[tuple[Param, ...]] = ()
    template: ClassVar[str] = ""
    mean_latex: ClassVar[str] = ""
    var_latex: ClassVar[str] = ""

    latex: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # The registry's LaTeX: the template with the parameters' symbols.
        cls.latex = cls._fill({p.name: p.symbol for p in cls.params})

    def latex_filled(self) -> str:
        """The density formula with the current parameter values plugged in."""
        return self._fill({f.name: _fmt(float(getattr(self, f.name))) for f in fields(self)})

    def moments_latex(self) -> str:
        """E[X] and Var[X]: each formula, then its current value ("undefined" or infinity said so)."""

        def value(v: float) -> str:
            return r"\infty" if v == np.inf else r"\text{undefined}" if np.isnan(v) else f"{v:.4g}"

        return (
            rf"\mathbb{{E}}[X] = {self.mean_latex} = {value(self.mean())}, \qquad "
            rf"\operatorname{{Var}}[X] = {self.var_latex} = {value(self.var())}"
        )

    @classmethod
    def _fill(cls, values: dict[str, str]) -> str:
        text = cls.template
        for name in sorted(values, key=len, reverse=True):  # '@lam' before '@l'
            text = text.replace("@" + name, values[name])
        return text

    def density(self, x: np.ndarray) -> np.ndarray:
        """The pdf of a continuous, the pmf of a discrete distribution.

        Parameters
        ----------
        x : array_like of any shape

        Returns
        -------
        ndarray of the shape of x
        """
        x = np.asarray(x, dtype=float)
        if self.discrete:
            k = np.floor(x)
            # A pmf is zero off the integers.
            return np.where(k == x, self._density(k), 0.0)
        return self._density(x)

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """F(x) = P(X <= x), for x of any shape."""
        raise NotImplementedError

    def mean(self) -> float:
        """E[X]; nan where it does not exist."""
        raise NotImplementedError

    def var(self) -> float:
        """Var[X]; inf or nan where it does not exist."""
        raise NotImplementedError

    def plot_range(self) -> tuple[float, float]:
        """An x interval holding nearly all of the probability, for plotting."""
        raise NotImplementedError

    def sample(self, size: int | tuple[int, ...], rng: RngLike = None) -> np.ndarray:
        """Draw ``size`` independent samples (float array) through ``rng``."""
        shape = (size,) if np.isscalar(size) else tuple(size)
        for s in shape:
            check_int("size", s, 0, 100_000_000)
        return np.asarray(self._draw(shape, as_rng(rng)), dtype=float)

    def std(self) -> float:
        return float(np.sqrt(self.var()))

    def support_grid(self, num: int = 400) -> np.ndarray:
        """Points to plot the density at: the integers of the support, or a fine grid."""
        lo, hi = self.plot_range()
        if self.discrete:
            return np.arange(np.floor(lo), np.floor(hi) + 1.0)
        return np.linspace(lo, hi, num)


class _Continuous(Distribution):
    def pdf(self, x: np.ndarray) -> np.ndarray:
        """Probability density at ``x`` (any shape)."""
        return self.density(x)


class _Discrete(Distribution):
    discrete: ClassVar[bool] = True

    def pmf(self, x: np.ndarray) -> np.ndarray:
        """Probability mass at ``x`` (any shape; zero off the support)."""
        return self.density(x)


@dataclass(frozen=True)
class Normal(_Continuous):
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
class Uniform(_Continuous):
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
class Exponential(_Continuous):
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
class Laplace(_Continuous):
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
class Beta(_Continuous):
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
class Gamma(_Continuous):
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
class LogNormal(_Continuous):
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
class ChiSquared(_Continuous):
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
class StudentT(_Continuous):
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


@dataclass(frozen=True)
class Bernoulli(_Discrete):
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
class Binomial(_Discrete):
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
class Poisson(_Discrete):
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
class Geometric(_Discrete):
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


DISTRIBUTIONS: dict[str, type[Distribution]] = {
    cls.name: cls
    for cls in (
        Normal,
        Uniform,
        Exponential,
        Laplace,
        LogNormal,
        Beta,
        Gamma,
        ChiSquared,
        StudentT,
        Bernoulli,
        Binomial,
        Poisson,
        Geometric,
    )
}
