"""Statistical inference: Bayes, maximum likelihood, the CLT, tests and intervals."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlcore._validation import RngLike, as_rng, check_array, check_choice, check_int, check_range
from dlcore.continuous import Beta, Exponential, Normal, StudentT, beta_pdf
from dlcore.distribution_base import Distribution

__all__ = [
    "BetaPath",
    "ConfidenceIntervals",
    "DiagnosticTest",
    "TTest",
    "bernoulli_log_likelihood",
    "beta_binomial_update",
    "confidence_intervals",
    "diagnostic_test",
    "fit_bernoulli",
    "fit_exponential",
    "fit_normal",
    "normal_log_likelihood",
    "normal_log_likelihood_loop",
    "posterior",
    "running_mean",
    "sample_means",
    "t_test",
]


# ---------------------------------------------------------------- Bayes


def posterior(prior: np.ndarray, likelihood: np.ndarray) -> np.ndarray:
    """Bayes' rule over a set of hypotheses: P(H|D) = P(D|H) P(H) / P(D).

    Parameters
    ----------
    prior : array_like of shape (K,)
        P(H_k), non-negative, summing to one.
    likelihood : array_like of shape (K,)
        P(D | H_k), each in [0, 1].

    Returns
    -------
    ndarray of shape (K,)
        The posterior, summing to one.
    """
    prior = check_array("prior", prior, ndim=1)
    like = check_array("likelihood", likelihood, ndim=1)
    if prior.shape != like.shape:
        raise ValueError(
            f"prior and likelihood must have the same length, got {prior.size} and {like.size}"
        )
    if np.any(prior < 0) or abs(prior.sum() - 1.0) > 1e-6:
        raise ValueError("prior must be non-negative and sum to 1")
    if np.any((like < 0) | (like > 1)):
        raise ValueError("likelihood values must be in [0, 1]")
    joint = prior * like
    evidence = joint.sum()  # P(D), the law of total probability
    if evidence == 0:
        raise ValueError("the data has probability 0 under every hypothesis with prior > 0")
    return joint / evidence


class DiagnosticTest(NamedTuple):
    """A test for a condition, in probabilities and in expected counts.

    ``ppv`` = P(ill | positive), ``npv`` = P(healthy | negative);
    counts are expected numbers out of ``population`` people.
    """

    ppv: float
    npv: float
    p_positive: float
    true_pos: float
    false_neg: float
    false_pos: float
    true_neg: float

    def whole_people(self) -> tuple[int, int, int, int]:
        """The four counts (TP, FN, FP, TN) rounded to whole people, still summing to the population."""
        ill = round(self.true_pos + self.false_neg)
        healthy = round(self.false_pos + self.true_neg)
        tp, fp = min(round(self.true_pos), ill), min(round(self.false_pos), healthy)
        return tp, ill - tp, fp, healthy - fp


def diagnostic_test(
    prevalence: float, sensitivity: float, specificity: float, *, population: int = 1000
) -> DiagnosticTest:
    """Posterior probability of the condition after a positive (and a negative) test.

    Parameters
    ----------
    prevalence : float in [0, 1]
        P(ill), the prior.
    sensitivity : float in [0, 1]
        P(positive | ill).
    specificity : float in [0, 1]
        P(negative | healthy).
    population : int
        Size of the natural-frequency picture.
    """
    prev = check_range("prevalence", prevalence, 0, 1)
    sens = check_range("sensitivity", sensitivity, 0, 1)
    spec = check_range("specificity", specificity, 0, 1)
    n = check_int("population", population, 1, 10**9)
    prior = np.array([prev, 1.0 - prev])
    p_pos = prev * sens + (1 - prev) * (1 - spec)
    ppv = posterior(prior, [sens, 1.0 - spec])[0] if p_pos > 0 else float("nan")
    npv = posterior(prior, [1.0 - sens, spec])[1] if p_pos < 1 else float("nan")
    ill, healthy = n * prev, n * (1 - prev)
    return DiagnosticTest(
        float(ppv),
        float(npv),
        float(p_pos),
        ill * sens,
        ill * (1 - sens),
        healthy * (1 - spec),
        healthy * spec,
    )


class BetaPath(NamedTuple):
    """Beta(a_t, b_t) posteriors after each of t = 0..n observations; arrays of shape (n + 1,)."""

    a: np.ndarray
    b: np.ndarray

    def mean(self) -> np.ndarray:
        return self.a / (self.a + self.b)

    def std(self) -> np.ndarray:
        s = self.a + self.b
        return np.sqrt(self.a * self.b / (s * s * (s + 1)))

    def pdf(self, p: np.ndarray) -> np.ndarray:
        """Every posterior's density on the grid ``p`` of shape (G,): shape (n + 1, G)."""
        return beta_pdf(np.asarray(p, dtype=float)[None, :], self.a[:, None], self.b[:, None])


def beta_binomial_update(flips: np.ndarray, *, a: float = 1.0, b: float = 1.0) -> BetaPath:
    """Conjugate updating: a Beta(a, b) prior on a coin's p, one flip at a time.

    Each head adds one to a, each tail one to b (the Beta prior and the
    Bernoulli likelihood multiply to another Beta).

    Parameters
    ----------
    flips : array_like of shape (n,), 0 or 1
    a, b : float > 0
        Prior pseudo-counts of heads and tails; a = b = 1 is the flat prior.
    """
    Beta(a, b)  # validates a and b
    x = check_array("flips", flips, ndim=1, min_size=0)
    if np.any((x != 0) & (x != 1)):
        raise ValueError("flips must contain only 0 (tails) and 1 (heads)")
    heads = np.concatenate([[0.0], np.cumsum(x)])
    tails = np.arange(x.size + 1) - heads
    return BetaPath(a + heads, b + tails)


# ---------------------------------------------------------------- likelihood


def _sample(x, name: str = "x", min_size: int = 1) -> np.ndarray:
    return check_array(name, x, ndim=1, min_size=min_size)


def fit_normal(x: np.ndarray) -> Normal:
    """Maximum-likelihood Normal: the sample mean and the *biased* (divide-by-n) std."""
    x = _sample(x, min_size=2)
    sigma = x.std()
    if sigma == 0:
        raise ValueError("x has zero spread: the likelihood grows without bound as sigma -> 0")
    return Normal(float(x.mean()), float(sigma))


def fit_bernoulli(x: np.ndarray) -> float:
    """Maximum-likelihood p of 0/1 data: the fraction of ones."""
    x = _sample(x)
    if np.any((x != 0) & (x != 1)):
        raise ValueError("x must contain only 0 and 1")
    return float(x.mean())


def fit_exponential(x: np.ndarray) -> Exponential:
    """Maximum-likelihood Exponential: rate = 1 / sample mean."""
    x = _sample(x)
    if np.any(x < 0) or x.mean() == 0:
        raise ValueError("x must be non-negative with a positive mean")
    return Exponential(float(1.0 / x.mean()))


def normal_log_likelihood_loop(x: np.ndarray, mu: float, sigma: float) -> float:
    """The readable reference: log L(mu, sigma) = sum_i log N(x_i; mu, sigma)."""
    total = 0.0
    for xi in _sample(x):
        total += -0.5 * np.log(2 * np.pi) - np.log(sigma) - (xi - mu) ** 2 / (2 * sigma**2)
    return float(total)


def normal_log_likelihood(x: np.ndarray, mu: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """log L(mu, sigma) of a Normal sample, for whole grids of (mu, sigma) at once.

    Uses sum (x_i - mu)^2 = n (s^2 + (xbar - mu)^2) with s^2 the biased sample
    variance: the likelihood depends on the data only through (n, xbar, s^2),
    the sufficient statistics, so a 200 x 200 surface costs the same for any n.

    Parameters
    ----------
    x : array_like of shape (n,)
    mu, sigma : array_like, broadcastable to each other; sigma > 0

    Returns
    -------
    ndarray of the broadcast shape of mu and sigma
    """
    x = _sample(x)
    mu = np.asarray(mu, dtype=float)
    sigma = np.asarray(sigma, dtype=float)
    if np.any(sigma <= 0):
        raise ValueError("sigma must be > 0")
    n, xbar, s2 = x.size, x.mean(), x.var()
    return (
        -0.5 * n * np.log(2 * np.pi)
        - n * np.log(sigma)
        - n * (s2 + (xbar - mu) ** 2) / (2 * sigma**2)
    )


def bernoulli_log_likelihood(x: np.ndarray, p: np.ndarray) -> np.ndarray:
    """log L(p) = h log p + (n - h) log(1 - p) for 0/1 data with h ones; -inf where impossible."""
    x = _sample(x)
    p = np.asarray(p, dtype=float)
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must be in [0, 1]")
    h, n = x.sum(), x.size
    with np.errstate(divide="ignore", invalid="ignore"):
        # 0 * log 0 = 0: with no heads, p = 0 is perfectly possible.
        heads = np.where(h > 0, h * np.log(p), 0.0)
        tails = np.where(n - h > 0, (n - h) * np.log1p(-p), 0.0)
    return heads + tails


# ---------------------------------------------------------------- LLN, CLT, tests, intervals


def running_mean(x: np.ndarray) -> np.ndarray:
    """Mean of the first n values for every n: the law of large numbers in one array.

    Returns
    -------
    ndarray of shape (n,)
    """
    x = check_array("x", x, ndim=1, min_size=0)
    return np.cumsum(x) / np.arange(1, x.size + 1)


def sample_means(dist: Distribution, *, n: int, repeats: int, rng: RngLike = None) -> np.ndarray:
    """Means of ``repeats`` independent samples of size ``n``: the sampling distribution of the mean.

    Returns
    -------
    ndarray of shape (repeats,)
        By the CLT, close to N(mean, var / n) for large n when var is finite.
    """
    n = check_int("n", n, 1, 100_000)
    repeats = check_int("repeats", repeats, 1, 1_000_000)
    if n * repeats > 20_000_000:
        raise ValueError(f"n * repeats must be at most 20,000,000, got {n * repeats:,}")
    return dist.sample((repeats, n), as_rng(rng)).mean(axis=1)


class TTest(NamedTuple):
    """A one-sample t-test: statistic, degrees of freedom, p-value and the pieces of t."""

    statistic: float
    df: int
    p_value: float
    mean: float
    se: float


def t_test(x: np.ndarray, mu0: float = 0.0, *, alternative: str = "two-sided") -> TTest:
    """Test H0: the population mean is mu0, as ``scipy.stats.ttest_1samp``.

    t = (xbar - mu0) / (s / sqrt(n)) with s the unbiased (n - 1) std; under H0
    t follows a Student t with n - 1 degrees of freedom.

    Parameters
    ----------
    x : array_like of shape (n,), n >= 2
    mu0 : float
    alternative : {"two-sided", "greater", "less"}
    """
    x = _sample(x, min_size=2)
    mu0 = check_range("mu0", mu0)
    check_choice("alternative", alternative, ("two-sided", "greater", "less"))
    n = x.size
    se = x.std(ddof=1) / np.sqrt(n)
    if se == 0:
        raise ValueError("x has zero spread, so the t statistic is undefined")
    t = (x.mean() - mu0) / se
    null = StudentT(n - 1)
    if alternative == "two-sided":
        p = 2 * null.sf(abs(t))
    elif alternative == "greater":
        p = null.sf(t)
    else:
        p = null.cdf(t)
    return TTest(float(t), n - 1, float(np.clip(p, 0.0, 1.0)), float(x.mean()), float(se))


class ConfidenceIntervals(NamedTuple):
    """t-intervals of many samples at once; arrays of shape (m,)."""

    center: np.ndarray
    lower: np.ndarray
    upper: np.ndarray

    def covers(self, value: float) -> np.ndarray:
        return (self.lower <= value) & (value <= self.upper)


def confidence_intervals(samples: np.ndarray, *, level: float = 0.95) -> ConfidenceIntervals:
    """The t confidence interval xbar +- t_{n-1, (1+level)/2} s / sqrt(n) of each row.

    Parameters
    ----------
    samples : array_like of shape (m, n), n >= 2
        m independent samples of size n.
    level : float in (0, 1)
    """
    x = check_array("samples", samples, ndim=2)
    if x.shape[1] < 2:
        raise ValueError(f"each sample needs at least 2 values, got {x.shape[1]}")
    level = check_range("level", level, 0, 1, low_inclusive=False, high_inclusive=False)
    n = x.shape[1]
    center = x.mean(axis=1)
    half = StudentT(n - 1).ppf((1 + level) / 2) * x.std(axis=1, ddof=1) / np.sqrt(n)
    return ConfidenceIntervals(center, center - half, center + half)
