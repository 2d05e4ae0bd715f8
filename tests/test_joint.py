"""dlcore.joint and dlcore.views.joint against NumPy, SciPy and scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore import joint as jt
from dlcore.views import joint as views


def test_joint_table_marginals_and_mutual_information_equal_sklearn():
    metrics = pytest.importorskip("sklearn.metrics")
    counts = np.array([[9.0, 1.0], [99.0, 891.0]])
    t = jt.joint_table(counts)
    np.testing.assert_allclose(t.joint, counts / 1000)
    np.testing.assert_allclose(t.p_a, [0.01, 0.99])
    np.testing.assert_allclose(t.p_b, [0.108, 0.892])
    ref = metrics.mutual_info_score(None, None, contingency=counts)
    assert t.mutual_information == pytest.approx(ref, rel=1e-12)
    assert not t.independent and t.max_gap == pytest.approx(np.abs(t.joint - t.product).max())


def test_mutual_information_is_the_kl_of_the_joint_from_the_product():
    special = pytest.importorskip("scipy.special")
    t = jt.joint_table([[0.4, 0.02], [0.2, 0.08], [0.05, 0.25]])
    assert t.mutual_information == pytest.approx(
        special.rel_entr(t.joint, t.product).sum(), rel=1e-12
    )


def test_independent_tables_pass_and_a_nudge_fails():
    t = jt.joint_table(np.outer([0.6, 0.4], [0.1, 0.4, 0.5]))
    assert t.independent and t.mutual_information == pytest.approx(0.0, abs=1e-15)
    nudged = jt.joint_table(np.outer([0.6, 0.4], [0.1, 0.4, 0.5]) + [[1e-3, 0, 0], [0, 0, 0]])
    assert not nudged.independent


def test_conditional_is_the_slice_renormalised_and_bayes_agrees():
    t = jt.joint_table([[9, 1], [99, 891]])
    ill_given_positive = jt.conditional(t, given="B", index=0)
    np.testing.assert_allclose(ill_given_positive, [9 / 108, 99 / 108])
    # Bayes: P(ill | +) = P(+ | ill) P(ill) / P(+)
    sens = jt.conditional(t, given="A", index=0)[0]
    assert ill_given_positive[0] == pytest.approx(sens * t.p_a[0] / t.p_b[0])
    assert jt.conditional(t, given="A", index=1).sum() == pytest.approx(1.0)


def test_bad_tables_and_slices_raise_value_errors():
    with pytest.raises(ValueError, match="negative"):
        jt.joint_table([[1, -1]])
    with pytest.raises(ValueError, match="positive"):
        jt.joint_table([[0, 0]])
    t = jt.joint_table([[1, 0], [1, 0]])
    with pytest.raises(ValueError, match=r"P\(B = b2\) = 0"):
        jt.conditional(t, given="B", index=1)
    with pytest.raises(ValueError, match="given"):
        jt.conditional(t, given="C", index=0)


def test_bivariate_normal_has_the_asked_covariance():
    X = jt.bivariate_normal(200_000, rho=-0.6, sigma_x=2.0, sigma_y=0.5, rng=0)
    cov = jt.sample_covariance(X)
    np.testing.assert_allclose(cov, np.cov(X, rowvar=False), rtol=1e-12)
    # standard error of a covariance entry at n = 2e5 is about 0.3 %: 5 standard errors
    np.testing.assert_allclose(cov, [[4.0, -0.6], [-0.6, 0.25]], rtol=0.02, atol=0.01)
    corr = jt.correlation_from_covariance(cov)
    np.testing.assert_allclose(corr, np.corrcoef(X, rowvar=False), rtol=1e-12)
    assert jt.bivariate_normal(10, rho=1.0, rng=1)[:, 1] == pytest.approx(
        jt.bivariate_normal(10, rho=1.0, rng=1)[:, 0]
    )


def test_dependent_uncorrelated_sample_has_zero_correlation():
    X = jt.dependent_uncorrelated(1000, rng=3)
    r = jt.correlation_from_covariance(jt.sample_covariance(X))[0, 1]
    assert abs(r) < 1e-12
    # ... yet y is nearly a function of x: x^2 - 1 explains almost all of it
    resid = X[:, 1] - (X[:, 0] ** 2 - 1)
    assert resid.var() < 0.02 * X[:, 1].var()


def test_regression_lines_equal_scipy_linregress():
    stats = pytest.importorskip("scipy.stats")
    X = jt.bivariate_normal(500, rho=0.5, sigma_x=1.5, rng=4) + [1.0, -2.0]
    lines = jt.regression_lines(X)
    fit = stats.linregress(X[:, 0], X[:, 1])
    assert lines.y_on_x == pytest.approx((fit.intercept, fit.slope), rel=1e-10)
    back = stats.linregress(X[:, 1], X[:, 0])  # x = a + b y, written as y = -a/b + x/b
    assert lines.x_on_y == pytest.approx((-back.intercept / back.slope, 1 / back.slope), rel=1e-10)
    flat = jt.regression_lines(jt.dependent_uncorrelated(100, rng=0))
    assert flat.x_on_y[1] == float("inf")


def test_constant_column_has_undefined_correlation():
    X = np.column_stack([np.arange(5.0), np.ones(5)])
    corr = jt.correlation_from_covariance(jt.sample_covariance(X))
    assert corr[0, 0] == 1.0 and np.isnan(corr[0, 1]) and np.isnan(corr[1, 1])


def test_covariance_ellipse_lies_on_the_two_sigma_contour():
    cov = np.array([[2.0, 0.8], [0.8, 1.0]])
    pts = jt.covariance_ellipse([1.0, -1.0], cov)
    d = pts - [1.0, -1.0]
    np.testing.assert_allclose(np.einsum("ij,jk,ik->i", d, np.linalg.inv(cov), d), 4.0)


def test_joint_view_lines_and_verdicts():
    w = views.joint_view("0.40 0.02; 0.20 0.08; 0.05 0.25", "B", 0)
    np.testing.assert_allclose(w.conditional, np.array([0.4, 0.2, 0.05]) / 0.65)
    assert w.names == ["a1", "a2", "a3"] and "dependent" in w.verdict
    assert w.rows["P(A)"] == ["0.42", "0.28", "0.3", "1"]
    assert r"P(A \mid B = b1)" in w.lines[0]
    coins = views.joint_view("1 1; 1 1", "A", 1)
    assert coins.table.independent and "independent" in coins.verdict
    np.testing.assert_allclose(coins.conditional, coins.marginal)


@pytest.mark.parametrize("name", list(views.JOINT_EXAMPLES))
def test_every_example_parses(name):
    w = views.joint_view(views.JOINT_EXAMPLES[name].text, "B", 0)
    assert w.table.joint.sum() == pytest.approx(1.0)


def test_correlation_view():
    w = views.correlation_view(views.CORRELATION_SOURCES[0], 0.7, 1.0, 2.0, 1000, 0)
    np.testing.assert_allclose(w.true_cov, [[1.0, 1.4], [1.4, 4.0]])
    assert w.corr[0, 1] == pytest.approx(0.7, abs=0.05)
    assert w.ellipse.shape == (100, 2)
    u = views.correlation_view(views.CORRELATION_SOURCES[1], 0.7, 1.0, 2.0, 1000, 0)
    assert abs(u.corr[0, 1]) < 1e-12
    with pytest.raises(ValueError, match="source"):
        views.correlation_view("Poisson", 0.0, 1.0, 1.0, 100, 0)


def test_dataset_correlation_equals_numpy():
    d = views.dataset_correlation_view("iris")
    from dlcore import datasets

    X = datasets.load("iris").X
    np.testing.assert_allclose(d.corr, np.corrcoef(X, rowvar=False), rtol=1e-12)
    np.testing.assert_allclose(d.cov, np.cov(X, rowvar=False), rtol=1e-12)
    assert d.strongest[:2] == ("petal length (cm)", "petal width (cm)")
