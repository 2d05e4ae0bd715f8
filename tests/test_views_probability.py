"""dlcore.views.probability: each panel's numbers against scipy.stats, degenerate cases included."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special, stats

from dlcore import probability as prob
from dlcore.views import probability as views


# -------------------------------------------------------------- distributions
def test_distributions_view_normal_against_scipy():
    w = views.distributions_view("Normal", {"mu": 1.0, "sigma": 2.0}, 1000, 7)
    np.testing.assert_allclose(w.density, stats.norm(1, 2).pdf(w.x), rtol=1e-12)
    np.testing.assert_allclose(w.cdf, stats.norm(1, 2).cdf(w.x), rtol=1e-12)
    np.testing.assert_array_equal(w.samples, prob.Normal(1.0, 2.0).sample(1000, 7))
    np.testing.assert_allclose(w.running, np.cumsum(w.samples) / np.arange(1, 1001))
    assert (w.mean, w.sd, w.has_mean) == (1.0, 2.0, True)
    assert w.sample_mean == f"{w.samples.mean():.4g}"
    assert w.sample_var == f"{np.var(w.samples, ddof=1):.4g}"
    assert w.mean_gap == f"{w.samples.mean() - 1.0:+.3g} from E[X]"
    assert w.density_title == "Density f(x)" and "law of large numbers" in w.notice


def test_distributions_view_discrete_and_without_a_mean():
    w = views.distributions_view("Poisson", {"lam": 3.0}, 100, 0)
    np.testing.assert_allclose(w.density, stats.poisson(3.0).pmf(w.x), rtol=1e-12)
    assert w.density_title == "Probability mass P(X = k)"
    t = views.distributions_view("Student t", {"nu": 0.5}, 100, 0)
    assert not t.has_mean and math.isnan(t.mean)
    assert t.mean_gap == "E[X] does not exist" and "has no mean" in t.notice
    assert "settles on E[X]" not in t.notice


def test_distributions_view_with_too_few_samples():
    none = views.distributions_view("Normal", {"mu": 0.0, "sigma": 1.0}, 0, 0)
    assert none.samples.size == 0 and none.running.size == 0
    assert (none.sample_mean, none.sample_var, none.mean_gap) == ("n/a", "n/a", "")
    one = views.distributions_view("Normal", {"mu": 0.0, "sigma": 1.0}, 1, 0)
    assert one.sample_var == "n/a" and one.sample_mean == f"{one.samples[0]:.4g}"


def test_distributions_view_rejects_bad_parameters():
    with pytest.raises(ValueError, match="b must be greater than a"):
        views.distributions_view("Uniform", {"a": 3.0, "b": 1.0}, 10, 0)
    with pytest.raises(ValueError, match="distribution must be one of"):
        views.distributions_view("Zipf", {}, 10, 0)
    assert views.distribution_slug("Student t") == "studentt"


def test_lln_notice_each_branch():
    assert views.lln_notice(True).endswith("settles on E[X] (the law of large numbers).")
    assert "does not apply" in views.lln_notice(False)


# ------------------------------------------------------- central limit theorem
def test_clt_view_exponential_against_the_normal_limit():
    w = views.clt_view("Exponential", 30, 5000, 0)
    d = prob.DISTRIBUTIONS["Exponential"]()
    np.testing.assert_array_equal(w.means, prob.sample_means(d, n=30, repeats=5000, rng=0))
    assert w.applies and w.warning == "" and w.notice == views.CLT_NOTICE
    assert w.se == pytest.approx(math.sqrt(d.var() / 30))
    assert w.observed_sd == pytest.approx(np.std(w.means))
    assert w.observed_sd == pytest.approx(w.se, rel=0.05)
    np.testing.assert_allclose(w.curve, stats.norm(d.mean(), w.se).pdf(w.x), rtol=1e-10)
    assert w.iqr == pytest.approx(stats.iqr(w.means))
    assert w.clip is None and w.lattice is None


def test_clt_view_discrete_parent_has_a_lattice():
    w = views.clt_view("Poisson", 10, 1000, 0)
    assert w.lattice == pytest.approx(0.1)
    np.testing.assert_allclose(w.means * 10, np.round(w.means * 10), atol=1e-9)
    assert views.clt_view("Bernoulli", 1, 100, 0).lattice == 1.0


def test_clt_view_cauchy_fails_the_clt():
    w = views.clt_view(views.CAUCHY, 100, 5000, 0)
    assert not w.applies and math.isnan(w.se) and w.warning == views.CLT_FAILS
    np.testing.assert_allclose(w.curve, stats.cauchy.pdf(w.x), rtol=1e-10)
    assert w.iqr == pytest.approx(2.0, rel=0.1)  # the mean of n Cauchy draws is Cauchy(0, 1)
    assert w.clip == (-10.0, 10.0)


# ------------------------------------------------------------------------ Bayes
def test_diagnostic_view_by_hand():
    w = views.diagnostic_view(0.01, 0.9, 0.95)
    assert w.ppv == f"{0.9 * 0.01 / (0.9 * 0.01 + 0.05 * 0.99):.4f}" == "0.1538"
    assert w.false_positive_rate == pytest.approx(0.05) and w.healthy == pytest.approx(0.99)
    tp, fn, fp, tn = w.people
    assert (tp, fn, fp, tn) == (9, 1, 50, 940) and sum(w.people) == 1000
    assert "swamp the true ones" in w.notice


def test_diagnostic_view_nobody_positive_is_undefined_not_nan():
    w = views.diagnostic_view(0.0, 0.9, 1.0)
    assert math.isnan(w.result.ppv) and w.ppv == r"\text{undefined}"
    assert w.people == (0, 0, 0, 1000) and "nobody tests positive" in w.notice


def test_bayes_notice_each_branch():
    assert "swamp" in views.bayes_notice(9, 50)
    fewer = views.bayes_notice(450, 25)
    assert "the 25 false positives do not outnumber them" in fewer
    assert "Of 1000 people, 475 test positive and 450 of them are ill" in fewer
    assert "do not outnumber" in views.bayes_notice(5, 5)  # a tie does not swamp
    assert "nobody tests positive" in views.bayes_notice(0, 0)


def test_coin_view_posteriors_are_scipy_betas():
    w = views.coin_view(2.0, 3.0, 100, 4)
    assert w.true_p == prob.Uniform(0.05, 0.95).sample(1, 4)[0]
    np.testing.assert_array_equal(w.flips, prob.Bernoulli(w.true_p).sample(100, 5))
    assert w.heads == int(w.flips.sum()) and w.heads + w.tails == 100
    assert w.frames[0] == 0 and w.frames[-1] == 100 and w.frames.size <= views.MAX_FRAMES
    heads = np.concatenate([[0], np.cumsum(w.flips)])
    for row, t in zip(w.densities, w.frames):
        expected = stats.beta(2 + heads[t], 3 + t - heads[t]).pdf(w.grid[1:-1])
        np.testing.assert_allclose(row[1:-1], expected, rtol=1e-9)
    post = stats.beta(2 + w.heads, 3 + w.tails)
    assert (w.a_post, w.b_post) == (2 + w.heads, 3 + w.tails)
    assert w.mean[-1] == pytest.approx(post.mean()) and w.std[-1] == pytest.approx(post.std())
    assert w.mean[0] == pytest.approx(0.4)  # the prior's mean a / (a + b)


def test_coin_view_with_few_flips_shows_every_one():
    w = views.coin_view(1.0, 1.0, 1, 0)
    np.testing.assert_array_equal(w.frames, [0, 1])
    assert w.densities.shape == (2, w.grid.size)
    np.testing.assert_allclose(w.densities[0], 1.0)  # Beta(1, 1) is flat


# ------------------------------------------------------------------- likelihood
def test_likelihood_view_against_scipy():
    w = views.likelihood_view(1.0, 1.5, 0.3, 30, 0)
    assert w.fit.mu == pytest.approx(w.x.mean()) and w.fit.sigma == pytest.approx(w.x.std())
    assert w.loglik == pytest.approx(stats.norm(w.fit.mu, w.fit.sigma).logpdf(w.x).sum())
    for i, j in [(0, 0), (60, 60), (120, 7)]:
        ref = stats.norm(w.mu_grid[j], w.sigma_grid[i]).logpdf(w.x).sum()
        assert w.surface[i, j] == pytest.approx(ref, rel=1e-10)
    assert w.surface.max() <= w.loglik + 1e-9  # the MLE is the peak
    assert w.p_hat == w.heads.mean() and w.h == int(w.heads.sum())
    inner = w.p_grid[1:-1]
    ref = stats.bernoulli(inner[:, None]).logpmf(w.heads[None, :]).sum(axis=1)
    np.testing.assert_allclose(w.coin_loglik[1:-1], ref, rtol=1e-10)


def test_likelihood_view_all_tails_peaks_at_zero():
    w = views.likelihood_view(0.0, 1.0, 0.0, 5, 0)
    assert w.h == 0 and w.p_hat == 0.0
    assert w.coin_loglik[0] == 0.0 and w.coin_loglik[-1] == -np.inf  # 0 log 0 = 0


# ------------------------------------------------------------ tests, intervals
@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_tests_view_against_scipy(alternative):
    w = views.tests_view(0.7, 0.0, 20, 0.05, alternative, 0.9, 0)
    samples = prob.Normal(0.7, 1.0).sample((100, 20), 0)
    ref = stats.ttest_1samp(samples[0], 0.0, alternative=alternative)
    assert w.test.statistic == pytest.approx(ref.statistic)
    assert w.test.p_value == pytest.approx(ref.pvalue)
    assert w.s == pytest.approx(np.std(samples[0], ddof=1))
    lo, hi = stats.t.interval(0.9, 19, loc=samples.mean(axis=1), scale=stats.sem(samples, axis=1))
    np.testing.assert_allclose(w.intervals.lower, lo)
    np.testing.assert_allclose(w.intervals.upper, hi)
    assert w.covered == int(np.sum((lo <= 0.7) & (0.7 <= hi)))
    np.testing.assert_allclose(w.null_density, stats.t(19).pdf(w.t_grid), rtol=1e-9)
    assert w.reject == (ref.pvalue < 0.05) and w.relation == ("<" if w.reject else "≥")
    assert "90% t-interval" in w.notice and "size 20" in w.notice


def test_tests_view_two_sided_decision_at_both_levels():
    w = views.tests_view(0.7, 0.0, 20, 0.05, "two-sided", 0.95, 0)
    assert w.p_text == "= 0.0159" and w.reject and w.decision.startswith("Reject H")
    w = views.tests_view(0.7, 0.0, 20, 0.01, "two-sided", 0.95, 0)
    assert not w.reject and w.decision.startswith("Do not reject") and w.relation == "≥"


def test_decision_and_p_value_texts_each_branch():
    assert views.decision_text(0.01, 0.05, 0.0) == "Reject H\u2080 (mean = 0) at \u03b1 = 0.05."
    assert views.decision_text(0.05, 0.05, 1.5).endswith("the data are compatible with it.")
    assert views.decision_text(float("nan"), 0.05, 0.0).startswith("No decision")
    assert views.p_value_text(0.01594) == "= 0.0159"
    assert views.p_value_text(1e-4) == "= 0.0001"
    assert views.p_value_text(3e-9) == "< 0.0001"
    w = views.tests_view(2.0, -2.0, 200, 0.05, "two-sided", 0.95, 0)  # t far in the tail
    assert w.p_text == "< 0.0001" and w.t_grid.max() == pytest.approx(abs(w.test.statistic) + 1)


# ----------------------------------------------------------------- information
def test_information_view_against_scipy_in_bits_and_nats():
    pw, qw = [0.5, 0.3, 0.15, 0.05], [0.25, 0.25, 0.25, 0.25]
    for unit, base in (("bits", 2), ("nats", math.e)):
        w = views.information_view(pw, qw, unit)
        p, q = np.array(pw), np.array(qw)
        expected = [
            stats.entropy(p, base=base),
            stats.entropy(q, base=base),
            stats.entropy(p, base=base) + stats.entropy(p, q, base=base),
            stats.entropy(p, q, base=base),
            stats.entropy(q, p, base=base),
        ]
        np.testing.assert_allclose(w.values, expected, rtol=1e-12)
        np.testing.assert_allclose(w.terms_pq.sum(), expected[3], rtol=1e-12)
        assert w.tex == tuple(f"{v:.4f}" for v in expected) == w.shown
        assert w.relation == r"\ne" and w.warning == ""
    assert w.log == r"\ln" and views.information_view(pw, qw, "bits").log == r"\log_2"


def test_information_view_normalises_and_handles_zeros():
    w = views.information_view([1, 1, 0, 0], [2, 2, 2, 0], "bits")
    np.testing.assert_allclose(w.p, [0.5, 0.5, 0, 0])
    np.testing.assert_allclose(w.q, [1 / 3] * 3 + [0])
    assert (w.p_total, w.q_total) == (2.0, 6.0)
    assert w.tex[4] == r"\infty" and w.shown[4] == "∞" and w.tex[3] != r"\infty"
    assert w.warning == views.INFINITE_KL
    assert math.isinf(w.terms_qp[2])
    same = views.information_view([1, 2, 3, 4], [2, 4, 6, 8], "nats")
    assert same.relation == "=" and same.tex[3] == "0.0000"
    with pytest.raises(ValueError, match="must not all be zero"):
        views.information_view([0, 0, 0, 0], [1, 1, 1, 1], "bits")
    with pytest.raises(ValueError, match="unit"):
        views.information_view([1, 1, 1, 1], [1, 1, 1, 1], "bans")


def test_softmax_view_against_scipy():
    z = [2.0, 1.0, 0.1, -1.0]
    w = views.softmax_loss_view(z, "B")
    p = special.softmax(z)
    np.testing.assert_allclose(w.result.probs, p, rtol=1e-12)
    assert w.result.loss == pytest.approx(-math.log(p[1]))
    np.testing.assert_array_equal(w.onehot, [0, 1, 0, 0])
    np.testing.assert_allclose(w.result.grad, p - w.onehot, atol=1e-15)
    assert w.label == 1 and w.grad_text == ", ".join(f"{g:+.3f}" for g in p - w.onehot)
    assert "-0.765" in w.grad_text
    with pytest.raises(ValueError, match="label"):
        views.softmax_loss_view(z, "E")
