"""dlcore.inference: Bayes by hand, MLE in closed form, t-test and intervals against scipy."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as st

from dlcore.continuous import Exponential, Normal, StudentT, Uniform
from dlcore.inference import (
    bernoulli_log_likelihood,
    beta_binomial_update,
    confidence_intervals,
    diagnostic_test,
    fit_bernoulli,
    fit_exponential,
    fit_normal,
    normal_log_likelihood,
    normal_log_likelihood_loop,
    posterior,
    running_mean,
    sample_means,
    t_test,
)


def test_posterior_by_hand():
    # Two urns, equal prior; a red ball has probability 0.8 and 0.2 under them.
    np.testing.assert_allclose(posterior([0.5, 0.5], [0.8, 0.2]), [0.8, 0.2])
    np.testing.assert_allclose(posterior([0.9, 0.1], [0.1, 0.9]), [0.5, 0.5])
    np.testing.assert_allclose(
        posterior([0.2, 0.3, 0.5], [1.0, 0.5, 0.0]), [0.2 / 0.35, 0.15 / 0.35, 0.0]
    )


def test_diagnostic_test_by_hand():
    # Prevalence 1 %, sensitivity 90 %, specificity 95 %: 9 true positives vs 49.5 false ones.
    r = diagnostic_test(0.01, 0.9, 0.95)
    assert r.ppv == pytest.approx(9 / 58.5)
    assert r.npv == pytest.approx(940.5 / 941.5)
    assert r.p_positive == pytest.approx(0.0585)
    assert (r.true_pos, r.false_neg, r.false_pos, r.true_neg) == pytest.approx((9, 1, 49.5, 940.5))
    assert r.whole_people() == (9, 1, 50, 940)
    assert sum(diagnostic_test(0.0333, 0.71, 0.27).whole_people()) == 1000
    perfect = diagnostic_test(0.3, 1.0, 1.0)
    assert perfect.ppv == 1.0 and perfect.npv == 1.0
    assert np.isnan(diagnostic_test(0.0, 1.0, 1.0).ppv)  # nobody tests positive


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: diagnostic_test(1.2, 0.9, 0.9), "prevalence must be in"),
        (lambda: diagnostic_test(0.1, -0.1, 0.9), "sensitivity must be in"),
        (lambda: posterior([0.5, 0.6], [0.1, 0.1]), "prior"),
        (lambda: posterior([1.0, 0.0], [0.0, 1.0]), "probability 0"),
        (lambda: beta_binomial_update([1], a=0, b=1), "a"),
        (lambda: beta_binomial_update([2], a=1, b=1), "flips"),
        (lambda: fit_normal([1.0, 1.0]), "zero spread"),
        (lambda: fit_bernoulli([0.5]), "only 0 and 1"),
        (lambda: fit_exponential([-1.0]), "non-negative"),
        (lambda: normal_log_likelihood([1.0], 0.0, 0.0), "sigma"),
        (lambda: t_test([1.0], 0.0), "at least 2"),
        (lambda: t_test([1.0, 2.0], 0.0, alternative="up"), "alternative"),
        (lambda: confidence_intervals(np.ones((3, 4)), level=1.0), "level"),
        (lambda: sample_means(Normal(), n=0, repeats=10, rng=0), "n must be"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_beta_binomial_update_counts_heads_and_tails():
    path = beta_binomial_update([1, 1, 0, 1], a=2.0, b=3.0)
    np.testing.assert_array_equal(path.a, [2, 3, 4, 4, 5])
    np.testing.assert_array_equal(path.b, [3, 3, 3, 4, 4])
    assert path.mean()[-1] == pytest.approx(5 / 9)
    assert path.std()[-1] == pytest.approx(st.beta(5, 4).std())
    # The posterior tightens as evidence accumulates.
    flips = (np.random.default_rng(0).random(500) < 0.7).astype(float)
    sd = beta_binomial_update(flips, a=1, b=1).std()
    assert sd[-1] < sd[10] < sd[0]


def test_mle_fits_are_the_closed_forms_and_maximise_the_likelihood():
    x = Normal(2.0, 3.0).sample(400, rng=1)
    fit = fit_normal(x)
    mu, sigma = st.norm.fit(x)
    assert (fit.mu, fit.sigma) == pytest.approx((mu, sigma), rel=1e-6)
    best = normal_log_likelihood(x, fit.mu, fit.sigma)
    for dm, ds in [(0.05, 0), (-0.05, 0), (0, 0.05), (0, -0.05)]:
        assert normal_log_likelihood(x, fit.mu + dm, fit.sigma + ds) < best
    assert fit_bernoulli([1, 0, 1, 1]) == 0.75
    e = Exponential(2.5).sample(2000, rng=2)
    assert fit_exponential(e).rate == pytest.approx(1 / st.expon.fit(e, floc=0)[1], rel=1e-9)


def test_normal_log_likelihood_vectorised_equals_loop_and_scipy():
    x = np.array([0.3, -1.2, 2.5, 0.9, 1.1])
    mu, sigma = np.meshgrid(np.linspace(-2, 2, 7), np.linspace(0.2, 3, 5))
    surface = normal_log_likelihood(x, mu, sigma)
    assert surface.shape == (5, 7)
    for i, j in [(0, 0), (2, 3), (4, 6)]:
        want = st.norm(mu[i, j], sigma[i, j]).logpdf(x).sum()
        assert surface[i, j] == pytest.approx(want, rel=1e-10)
        assert normal_log_likelihood_loop(x, mu[i, j], sigma[i, j]) == pytest.approx(
            want, rel=1e-10
        )


def test_bernoulli_log_likelihood():
    x = np.array([1, 0, 1, 1, 0, 1])
    p = np.linspace(0, 1, 11)
    ll = bernoulli_log_likelihood(x, p)
    np.testing.assert_allclose(ll[1:-1], st.bernoulli(p[1:-1, None]).logpmf(x).sum(axis=1))
    assert ll[0] == -np.inf and ll[-1] == -np.inf
    assert bernoulli_log_likelihood([1, 1], 1.0) == 0.0  # all heads: p = 1 is certain, not nan


def test_sample_means_follow_the_clt():
    d = Exponential(1.0)
    means = sample_means(d, n=50, repeats=4000, rng=0)
    assert means.shape == (4000,)
    assert means.mean() == pytest.approx(1.0, abs=0.01)
    assert means.std() == pytest.approx(1 / np.sqrt(50), rel=0.05)
    np.testing.assert_array_equal(means, sample_means(d, n=50, repeats=4000, rng=0))
    # Cauchy: averaging does not help; the spread of the means stays that of one draw.
    cauchy = sample_means(StudentT(1), n=100, repeats=4000, rng=0)
    iqr = np.subtract(*np.percentile(cauchy, [75, 25]))
    assert iqr == pytest.approx(2.0, rel=0.15)


@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_t_test_matches_scipy(alternative):
    rng = np.random.default_rng(3)
    for n, mu0 in [(2, 0.0), (10, 0.3), (200, -0.1), (30, 5.0)]:
        x = Uniform(-1, 2).sample(n, rng)
        ours = t_test(x, mu0, alternative=alternative)
        ref = st.ttest_1samp(x, mu0, alternative=alternative)
        assert ours.statistic == pytest.approx(ref.statistic, rel=1e-12)
        assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-300)
        assert ours.df == n - 1


def test_confidence_intervals_match_scipy_and_cover():
    samples = Normal(1.0, 2.0).sample((2000, 15), rng=4)
    ci = confidence_intervals(samples, level=0.9)
    lo, hi = st.t.interval(0.9, 14, loc=samples.mean(axis=1), scale=st.sem(samples, axis=1))
    np.testing.assert_allclose(ci.lower, lo, rtol=1e-10)
    np.testing.assert_allclose(ci.upper, hi, rtol=1e-10)
    assert ci.covers(1.0).mean() == pytest.approx(0.9, abs=0.02)


def test_beta_path_densities_equal_scipy():
    path = beta_binomial_update([1, 0, 1], a=0.5, b=2.0)
    grid = np.linspace(0, 1, 11)
    with np.errstate(divide="ignore"):
        want = st.beta(path.a[:, None], path.b[:, None]).pdf(grid[None, :])
    np.testing.assert_allclose(path.pdf(grid), want, rtol=1e-10)


def test_running_mean_settles():
    np.testing.assert_allclose(running_mean([1.0, 3.0, 2.0]), [1.0, 2.0, 2.0])
    x = Normal(3.0, 1.0).sample(20000, rng=0)
    assert running_mean(x)[-1] == pytest.approx(3.0, abs=0.03)
