"""dlcore.distributions against scipy.stats: densities, CDFs, moments, samplers."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import scipy.stats as st

from dlcore.continuous import (
    Beta,
    ChiSquared,
    Exponential,
    Gamma,
    Laplace,
    LogNormal,
    Normal,
    StudentT,
    Uniform,
)
from dlcore.discrete import Bernoulli, Binomial, Geometric, Poisson
from dlcore.distributions import DISTRIBUTIONS


def scipy_twin(d):
    """The frozen scipy.stats distribution with the same parameters."""
    return {
        Normal: lambda: st.norm(d.mu, d.sigma),
        Uniform: lambda: st.uniform(d.a, d.b - d.a),
        Exponential: lambda: st.expon(scale=1 / d.rate),
        Laplace: lambda: st.laplace(d.mu, d.b),
        Beta: lambda: st.beta(d.a, d.b),
        Gamma: lambda: st.gamma(d.k, scale=d.theta),
        StudentT: lambda: st.t(d.nu),
        Bernoulli: lambda: st.bernoulli(d.p),
        Binomial: lambda: st.binom(d.n, d.p),
        Poisson: lambda: st.poisson(d.lam),
        Geometric: lambda: st.geom(d.p),
        LogNormal: lambda: st.lognorm(d.sigma, scale=np.exp(d.mu)),
        ChiSquared: lambda: st.chi2(d.k),
    }[type(d)]()


# Defaults, slider corners and awkward cases (shape < 1, p at 0 or 1, heavy tails).
CASES = [cls() for cls in DISTRIBUTIONS.values()] + [
    Normal(-3, 0.1),
    Normal(4.5, 5),
    Uniform(-2, 3.5),
    Exponential(0.1),
    Exponential(5),
    Laplace(2, 0.3),
    Beta(0.5, 0.5),
    Beta(1, 1),
    Beta(20, 0.1),
    Gamma(0.5, 2),
    Gamma(1, 1),
    Gamma(20, 0.1),
    StudentT(1),
    StudentT(0.5),
    StudentT(2),
    StudentT(30),
    Bernoulli(0),
    Bernoulli(1),
    Binomial(100, 0.03),
    Binomial(1, 0),
    Binomial(7, 1),
    Poisson(0.1),
    Poisson(30),
    Geometric(1),
    Geometric(0.01),
    LogNormal(-2, 0.1),
    LogNormal(2, 1.5),
    ChiSquared(0.5),
    ChiSquared(1),
    ChiSquared(30),
]


def _grid(d):
    lo, hi = d.plot_range()
    width = hi - lo
    x = np.linspace(lo - 0.3 * width, hi + 0.3 * width, 301)
    if d.discrete:
        x = np.concatenate([x, np.arange(np.floor(lo) - 2, np.ceil(hi) + 3)])
    return x


def test_registry_is_complete():
    assert {
        "Normal",
        "Uniform",
        "Exponential",
        "Bernoulli",
        "Binomial",
        "Poisson",
        "Beta",
        "Gamma",
        "Student t",
    } <= set(DISTRIBUTIONS)
    for name, cls in DISTRIBUTIONS.items():
        assert cls.name == name and cls.latex and "@" not in cls.latex
        d = cls()
        assert "@" not in d.latex_filled()
        assert hasattr(d, "pmf" if cls.discrete else "pdf")
        assert [p.name for p in cls.params] == [f.name for f in dataclasses.fields(cls)]
        for p in cls.params:
            assert p.low <= p.default <= p.high and getattr(d, p.name) == p.default
            assert p.label.startswith(f"${p.symbol}$")
            assert all(isinstance(v, int) for v in p.slider_args()) == p.integer


@pytest.mark.parametrize("d", CASES, ids=repr)
def test_density_and_cdf_match_scipy(d):
    x = _grid(d)
    ref = scipy_twin(d)
    with np.errstate(all="ignore"):
        want_f = ref.pmf(x) if d.discrete else ref.pdf(x)
    np.testing.assert_allclose(d.density(x), want_f, rtol=1e-9, atol=1e-12)
    with np.errstate(all="ignore"):
        want_cdf = ref.cdf(x)
    np.testing.assert_allclose(d.cdf(x), want_cdf, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("d", CASES, ids=repr)
def test_moments_match_scipy(d):
    with np.errstate(all="ignore"):
        mean, var = scipy_twin(d).stats("mv")
    if isinstance(d, StudentT) and d.nu <= 1:
        # scipy reports +inf; the mean of a Cauchy does not exist, so we say nan.
        assert np.isnan(d.mean()) and np.isnan(d.var())
        return
    np.testing.assert_allclose(d.mean(), float(mean), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(d.var(), float(var), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", list(DISTRIBUTIONS))
def test_sampler_follows_the_distribution(name):
    d = DISTRIBUTIONS[name]()
    x = d.sample(4000, rng=0)
    assert x.shape == (4000,) and x.dtype == float
    if d.discrete:
        # KS is not valid for discrete laws; compare frequencies with a chi-square test.
        ks, counts = np.unique(x, return_counts=True)
        expected = d.pmf(ks) * x.size
        keep = expected >= 5
        obs, exp = counts[keep], expected[keep]
        stat = st.chisquare(obs, exp * obs.sum() / exp.sum())
        assert stat.pvalue > 1e-3
    else:
        assert st.kstest(x, d.cdf).pvalue > 1e-3


def test_latex_filled_shows_current_numbers():
    assert (
        "2.5" in Normal(-1.5, 2.5).latex_filled() and "(-1.5)" in Normal(-1.5, 2.5).latex_filled()
    )
    assert r"\sigma" in Normal.latex and r"\sigma" not in Normal(0, 2).latex_filled()
    assert Binomial(10.0, 0.5).n == 10 and isinstance(Binomial(10.0, 0.5).n, int)
    assert (
        Normal(1, 2).moments_latex()
        == r"\mathbb{E}[X] = \mu = 1, \qquad \operatorname{Var}[X] = \sigma^2 = 4"
    )
    assert r"= \text{undefined}" in StudentT(1).moments_latex()
    assert r"= \infty" in StudentT(1.5).moments_latex()


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Normal(0, 0), "sigma"),
        (lambda: Normal(0, -1), "sigma"),
        (lambda: Normal(float("nan"), 1), "mu"),
        (lambda: Bernoulli(1.5), "p must be in [0, 1]"),
        (lambda: Binomial(10, -0.1), "p must be in [0, 1]"),
        (lambda: Binomial(2.5, 0.5), "n must be an integer"),
        (lambda: Uniform(1, 1), "b must be greater than a"),
        (lambda: Poisson(0), "lam"),
        (lambda: Beta(0, 1), "a"),
        (lambda: Gamma(1, 0), "theta"),
        (lambda: StudentT(-1), "nu"),
        (lambda: Geometric(0), "p"),
        (lambda: LogNormal(0, 0), "sigma"),
        (lambda: ChiSquared(0), "k"),
        (lambda: Normal().sample(-1, 0), "size"),
    ],
)
def test_bad_parameters_raise_clear_errors(make, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        make()
