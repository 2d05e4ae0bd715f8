"""dlcore.descent against hand-derived values, finite differences and scikit-learn."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlcore import descent as d

CURVATURES = [0.3, 1.0, 2.0, 3.0, 7.0, 49.0, 1000.0]
KAPPAS = [2.0, 10.0, 100.0, 1000.0]


def _fd(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


# ---------------------------------------------------------------- regimes


@pytest.mark.parametrize("lam", CURVATURES)
def test_regime_boundaries_exactly_at_one_and_two_over_lambda(lam):
    assert d.lr_regime(1.0 / lam, lam).name == "one step"
    assert d.lr_regime(2.0 / lam, lam).name == "bouncing"
    assert d.lr_regime(1.0 / lam * (1 - 1e-6), lam).name == "monotone"
    assert d.lr_regime(1.0 / lam * (1 + 1e-6), lam).name == "oscillating"
    assert d.lr_regime(2.0 / lam * (1 - 1e-6), lam).name == "oscillating"
    assert d.lr_regime(2.0 / lam * (1 + 1e-6), lam).name == "diverging"
    assert d.lr_regime(0.1 / lam, lam).factor == pytest.approx(0.9)
    assert d.lr_regime(1.5 / lam, lam).factor == pytest.approx(-0.5)


@pytest.mark.parametrize("lam", CURVATURES)
def test_iterates_behave_as_their_regime_says(lam):
    q = d.Quadratic1D(curvature=lam)
    x0 = 2.5

    def run(lr, steps=40):
        return d.gradient_descent(q.grad, x0, lr=lr, steps=steps).points

    # lr = 1/lambda: one step lands on the minimum (to rounding)
    assert abs(run(1.0 / lam, 3)[1]) <= 1e-12 * x0
    # lr = 2/lambda: flips between +x0 and -x0 forever, neither shrinking nor growing
    bounce = run(2.0 / lam)
    np.testing.assert_allclose(np.abs(bounce), x0, rtol=1e-9)
    assert np.all(np.sign(bounce[1:]) == -np.sign(bounce[:-1]))
    # monotone: same side, shrinking by 1 - lr*lambda each step
    mono = run(0.4 / lam)
    assert np.all(mono > 0) and np.all(np.diff(mono) < 0)
    np.testing.assert_allclose(mono[1:] / mono[:-1], 0.6, rtol=1e-9)
    # oscillating: alternating sides, shrinking by |1 - lr*lambda|
    osc = run(1.6 / lam)
    assert np.all(np.sign(osc[1:]) == -np.sign(osc[:-1]))
    np.testing.assert_allclose(osc[1:] / osc[:-1], -0.6, rtol=1e-9)
    # diverging: growing by |1 - lr*lambda| until the bound stops it; nothing non-finite
    div = d.gradient_descent(q.grad, x0, lr=2.5 / lam, steps=200)
    assert div.diverged_at > 0
    assert np.all(np.isfinite(div.points)) and np.max(np.abs(div.points)) <= d.DIVERGENCE_BOUND
    grow = div.points[: div.diverged_at]
    np.testing.assert_allclose(np.abs(grow[1:] / grow[:-1]), 1.5, rtol=1e-9)
    np.testing.assert_array_equal(div.points[div.diverged_at:], grow[-1])


def test_regime_without_a_minimum_and_bad_input():
    assert d.lr_regime(0.1, -2.0).name == "repelled"
    assert d.lr_regime(0.1, 0.0).name == "flat"
    assert not d.lr_regime(0.1, 0.0).converges
    with pytest.raises(ValueError, match="lr"):
        d.lr_regime(0.0, 1.0)
    with pytest.raises(ValueError, match="curvature"):
        d.lr_regime(0.1, float("nan"))
    assert "> 2" in d.explain_divergence(1.5, 2.0)
    assert "3" in d.explain_divergence(1.5, 2.0)  # the product, with the numbers
    assert "≤ 2" in d.explain_divergence(0.5, 2.0)


@pytest.mark.parametrize("name", sorted(d.FUNCTIONS_1D))
def test_presets_derivatives_match_finite_differences(name):
    fn = d.FUNCTIONS_1D[name]
    x = np.linspace(*fn.domain, 41)
    np.testing.assert_allclose(fn.grad(x), _fd(fn.f, x), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(fn.second(x), _fd(fn.grad, x), rtol=1e-6, atol=1e-6)
    assert fn.latex.startswith("f(x)")
    assert fn.domain[0] < fn.start < fn.domain[1]


def test_quartic_has_two_minima_and_the_regime_applies_locally():
    q = d.FUNCTIONS_1D["Quartic with two minima"]
    right = d.gradient_descent(q.grad, 1.6, lr=0.05, steps=400).points[-1]
    left = d.gradient_descent(q.grad, -1.6, lr=0.05, steps=400).points[-1]
    assert right > 0 > left
    assert abs(q.grad(right)) < 1e-10 and abs(q.grad(left)) < 1e-10
    assert q.f(left) < q.f(right)  # the tilt makes the left one global
    # near the right minimum the local curvature decides: lr just above 2/f'' diverges or leaves it
    lam = float(q.second(right))
    stay = d.gradient_descent(q.grad, right + 1e-3, lr=1.9 / lam, steps=300).points[-1]
    assert abs(stay - right) < 1e-6
    leave = d.gradient_descent(q.grad, right + 1e-3, lr=2.1 / lam, steps=300).points
    assert np.max(np.abs(leave[100:] - right)) > 1e-2


def test_gradient_descent_validates_and_survives_overflow():
    with pytest.raises(ValueError, match="lr"):
        d.gradient_descent(lambda x: x, 1.0, lr=-1, steps=3)
    with pytest.raises(ValueError, match="steps"):
        d.gradient_descent(lambda x: x, 1.0, lr=0.1, steps=-1)
    with pytest.raises(ValueError, match="x0"):
        d.gradient_descent(lambda x: x, [np.nan], lr=0.1, steps=3)
    # a gradient that overflows: reported, no warning, no inf returned
    run = d.gradient_descent(lambda x: np.exp(x * 1000.0), 1.0, lr=1.0, steps=5)
    assert run.diverged_at == 1 and np.all(run.points == 1.0)


# ---------------------------------------------------------------- 2-D quadratic


@pytest.mark.parametrize("kappa", KAPPAS)
def test_quadratic_2d_hessian_eigenvalues_and_gradient(kappa):
    q = d.quadratic_2d(kappa, angle=25.0)
    np.testing.assert_allclose(d.hessian_eigenvalues(q.hessian), [1.0 / kappa, 1.0], rtol=1e-12)
    assert d.condition_number(q.eigenvalues) == pytest.approx(kappa)
    V = q.eigenvectors
    np.testing.assert_allclose(q.hessian @ V, V * q.eigenvalues, atol=1e-12)
    p = np.random.default_rng(0).normal(size=(5, 2))
    np.testing.assert_allclose(q.f(p), 0.5 * np.einsum("ni,ij,nj->n", p, q.hessian, p))
    for i in range(2):
        e = np.eye(2)[i] * 1e-6
        np.testing.assert_allclose(q.grad(p)[:, i], (q.f(p + e) - q.f(p - e)) / 2e-6, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("kappa", KAPPAS)
def test_observed_rate_at_best_step_equals_theory(kappa):
    q = d.quadratic_2d(kappa)
    lr = d.best_step(q.eigenvalues)
    assert lr == pytest.approx(2.0 / (1.0 + 1.0 / kappa))
    run = d.gradient_descent(q.grad, q.start, lr=lr, steps=200)
    theory = d.theoretical_rate(kappa)
    assert theory == pytest.approx((kappa - 1) / (kappa + 1))
    assert d.observed_rate(run.points) == pytest.approx(theory, rel=1e-9)
    assert d.gd_rate(lr, q.eigenvalues) == pytest.approx(theory, rel=1e-12)
    # any other fixed step is worse
    for other in (0.9 * lr, 1.05 * lr):
        assert d.gd_rate(other, q.eigenvalues) > theory


@pytest.mark.parametrize("kappa", [10.0, 100.0])
@pytest.mark.parametrize("lr_times_lmax", [0.5, 1.0, 1.9])
def test_observed_rate_at_other_steps_approaches_max_factor(kappa, lr_times_lmax):
    q = d.quadratic_2d(kappa)
    run = d.gradient_descent(q.grad, q.start, lr=lr_times_lmax, steps=3000)
    assert d.observed_rate(run.points) == pytest.approx(d.gd_rate(lr_times_lmax, q.eigenvalues), rel=2e-3)


def test_divergence_in_2d_is_lr_times_largest_eigenvalue_above_two():
    q = d.quadratic_2d(10.0, lam_max=4.0)
    ok = d.gradient_descent(q.grad, q.start, lr=0.499, steps=2000)
    bad = d.gradient_descent(q.grad, q.start, lr=0.501, steps=20000)
    assert ok.diverged_at == -1 and bad.diverged_at > 0
    assert d.gd_rate(0.501, q.eigenvalues) > 1 > d.gd_rate(0.499, q.eigenvalues)


def _heavy_ball(q, lr, beta, steps):
    """Polyak's form, written out here independently of dlcore."""
    x_prev = x = q.start.copy()
    out = [x]
    for _ in range(steps):
        x, x_prev = x - lr * q.grad(x) + beta * (x - x_prev), x
        out.append(x)
    return np.array(out)


@pytest.mark.parametrize("kappa", [10.0, 100.0])
def test_momentum_rate_theory(kappa):
    q = d.quadratic_2d(kappa)
    hb = d.optimal_momentum(q.eigenvalues)
    assert hb.rate == pytest.approx((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1))
    assert d.momentum_rate(hb.lr, hb.momentum, q.eigenvalues) == pytest.approx(hb.rate, rel=1e-6)
    lr = d.best_step(q.eigenvalues)
    assert d.momentum_rate(lr, 0.0, q.eigenvalues) == pytest.approx(d.gd_rate(lr, q.eigenvalues))
    # away from the double root the observed rate of a simulated heavy ball matches the theory
    for beta in (0.3, 0.8):
        rate = d.momentum_rate(1.0, beta, q.eigenvalues)
        observed = d.observed_rate(_heavy_ball(q, 1.0, beta, 4000))
        assert observed == pytest.approx(rate, rel=5e-3)
    assert hb.rate < d.theoretical_rate(kappa)


def test_rate_helpers():
    assert d.steps_to_reduce(0.5, 1e-3) == 10
    assert d.steps_to_reduce(1.0) == math.inf
    assert d.steps_to_reduce(0.0) == 1
    P = np.array([[0.0, 0.0], [1.0, 1.0], [5.0, 0.0], [np.inf, 0.0]])
    assert d.escape_step(P, 2.0) == 2
    assert d.escape_step(P[:2], 2.0) == -1
    assert d.escape_step(np.array([0.0, np.nan]), 2.0) == 1
    assert d.observed_rate(np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0]])) == 0.0
    with pytest.raises(ValueError, match="kappa"):
        d.quadratic_2d(0.5)
    with pytest.raises(ValueError, match="momentum"):
        d.momentum_rate(0.1, 1.0, [1.0, 2.0])
    with pytest.raises(ValueError, match="symmetric"):
        d.hessian_eigenvalues([[1.0, 2.0], [0.0, 1.0]])


# ---------------------------------------------------------------- linear regression


@pytest.fixture(scope="module")
def data():
    return d.make_linear_data(200, w=2.0, b=-1.0, noise=0.5, rng=3)


def test_make_linear_data_is_seeded(data):
    again = d.make_linear_data(200, w=2.0, b=-1.0, noise=0.5, rng=3)
    np.testing.assert_array_equal(data.x, again.x)
    np.testing.assert_array_equal(data.y, again.y)
    assert not np.array_equal(data.x, d.make_linear_data(200, rng=4).x)
    assert abs(data.x.mean() - 1.0) < 0.3  # uncentred on purpose
    with pytest.raises(ValueError, match="n_samples"):
        d.make_linear_data(1)


def test_mse_gradient_and_hessian(data):
    x, y = data.x, data.y
    w, b = 0.7, 0.4
    assert d.mse(x, y, w, b) == pytest.approx(np.mean((w * x + b - y) ** 2), rel=1e-12)
    g = d.mse_gradient(x, y, w, b)
    h = 1e-6
    assert g[0] == pytest.approx((d.mse(x, y, w + h, b) - d.mse(x, y, w - h, b)) / (2 * h), rel=1e-6)
    assert g[1] == pytest.approx((d.mse(x, y, w, b + h) - d.mse(x, y, w, b - h)) / (2 * h), rel=1e-6)
    H = d.mse_hessian(x)
    H_fd = np.column_stack([(d.mse_gradient(x, y, w + h, b) - d.mse_gradient(x, y, w - h, b)) / (2 * h),
                            (d.mse_gradient(x, y, w, b + h) - d.mse_gradient(x, y, w, b - h)) / (2 * h)])
    np.testing.assert_allclose(H, H_fd, rtol=1e-6)
    W, B = np.meshgrid(np.linspace(-1, 3, 4), np.linspace(-2, 1, 3))
    ref = np.mean((W[..., None] * x + B[..., None] - y) ** 2, axis=-1)
    np.testing.assert_allclose(d.mse(x, y, W, B), ref, rtol=1e-10)


def test_least_squares_matches_sklearn(data):
    from sklearn.linear_model import LinearRegression

    ref = LinearRegression().fit(data.x[:, None], data.y)
    np.testing.assert_allclose(d.least_squares(data.x, data.y), [ref.coef_[0], ref.intercept_], rtol=1e-10)
    np.testing.assert_allclose(d.mse_gradient(data.x, data.y, *d.least_squares(data.x, data.y)), 0, atol=1e-12)
    with pytest.raises(ValueError, match="constant"):
        d.least_squares(np.ones(5), np.arange(5.0))


def test_minibatch_gradients_over_a_partition_average_to_the_full_gradient(data):
    x, y = data.x, data.y
    full = d.mse_gradient(x, y, 0.3, 0.2)
    order = np.random.default_rng(0).permutation(x.size)
    batches = order.reshape(10, 20)
    mean = np.mean([d.mse_gradient(x[i], y[i], 0.3, 0.2) for i in batches], axis=0)
    np.testing.assert_allclose(mean, full, rtol=1e-12)


@pytest.mark.parametrize("batch_size", [1, 8, 50])
def test_minibatch_gradient_is_unbiased_with_the_predicted_noise(data, batch_size):
    x, y = data.x, data.y
    full = d.mse_gradient(x, y, 0.3, 0.2)
    rng = np.random.default_rng(42)
    draws = np.array([d.minibatch_gradient(x, y, 0.3, 0.2, batch_size=batch_size, rng=rng) for _ in range(4000)])
    cov = d.gradient_noise(x, y, 0.3, 0.2, batch_size=batch_size)
    stderr = np.sqrt(np.diag(cov) / len(draws))
    assert np.all(np.abs(draws.mean(axis=0) - full) < 4 * stderr)
    np.testing.assert_allclose(np.cov(draws, rowvar=False), cov, rtol=0.1)


def test_full_batch_has_no_gradient_noise_and_noise_falls_as_one_over_b(data):
    x, y = data.x, data.y
    np.testing.assert_allclose(d.gradient_noise(x, y, 0.3, 0.2, batch_size=x.size), 0, atol=1e-12)
    one = d.gradient_noise(x, y, 0.3, 0.2, batch_size=1)
    ten = d.gradient_noise(x, y, 0.3, 0.2, batch_size=10)
    np.testing.assert_allclose(ten, one / 10 * (x.size - 10) / (x.size - 1), rtol=1e-12)


@pytest.mark.parametrize("batch_size", [1, 7, 32, 200])
def test_fast_sgd_equals_the_loop_reference(data, batch_size):
    kw = dict(lr=0.05, batch_size=batch_size, epochs=4, start=(0.5, -0.5), rng=11)
    fast = d.sgd_linear_regression(data.x, data.y, **kw)
    loop = d.sgd_linear_regression_loop(data.x, data.y, **kw)
    per = math.ceil(200 / batch_size)
    assert fast.updates_per_epoch == loop.updates_per_epoch == per
    assert fast.params.shape == (4 * per + 1, 2) and fast.epoch_loss.shape == (5,)
    np.testing.assert_allclose(fast.params, loop.params, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fast.batch_loss, loop.batch_loss, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fast.loss, loop.loss, rtol=1e-10)
    np.testing.assert_allclose(fast.epoch_loss, fast.loss[::per], rtol=0)
    assert fast.diverged_at == loop.diverged_at == -1


def test_full_batch_sgd_is_gradient_descent_and_converges_to_least_squares(data):
    x, y = data.x, data.y
    lam_max = d.hessian_eigenvalues(d.mse_hessian(x))[-1]
    lr = 1.0 / lam_max
    run = d.sgd_linear_regression(x, y, lr=lr, batch_size=x.size, epochs=300, rng=0)
    gd = d.gradient_descent(lambda p: d.mse_gradient(x, y, *p), [0.0, 0.0], lr=lr, steps=300)
    np.testing.assert_allclose(run.params, gd.points, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(run.params[-1], d.least_squares(x, y), rtol=1e-6)


def test_sgd_divergence_is_detected_at_lr_times_lambda_max_above_two(data):
    x, y = data.x, data.y
    lam_max = d.hessian_eigenvalues(d.mse_hessian(x))[-1]
    calm = d.sgd_linear_regression(x, y, lr=1.95 / lam_max, batch_size=x.size, epochs=500, rng=0)
    wild = d.sgd_linear_regression(x, y, lr=2.05 / lam_max, batch_size=x.size, epochs=2000, rng=0)
    assert calm.diverged_at == -1
    assert wild.diverged_at > 0
    for run in (wild, d.sgd_linear_regression_loop(x, y, lr=2.05 / lam_max, batch_size=x.size, epochs=2000, rng=0)):
        assert np.all(np.isfinite(run.params)) and np.all(np.isfinite(run.loss))
        assert np.max(np.abs(run.params)) <= d.DIVERGENCE_BOUND
    stochastic = d.sgd_linear_regression(x, y, lr=1.0, batch_size=1, epochs=3, rng=0)
    assert stochastic.diverged_at > 0 and np.all(np.isfinite(stochastic.batch_loss))


def test_sgd_reaches_the_least_squares_fit_like_sklearn(data):
    from sklearn.linear_model import SGDRegressor

    x, y = data.x, data.y
    ours = d.sgd_linear_regression(x, y, lr=0.005, batch_size=1, epochs=60, rng=0).params[-1]
    # sklearn's squared loss is half ours, so its step eta0 matches our lr * 2
    ref = SGDRegressor(loss="squared_error", penalty=None, learning_rate="constant", eta0=0.01, max_iter=60,
                       tol=None, random_state=0).fit(x[:, None], y)
    best = d.least_squares(x, y)
    np.testing.assert_allclose(ours, best, atol=0.05)
    np.testing.assert_allclose([ref.coef_[0], ref.intercept_[0]], best, atol=0.05)


def test_sgd_validates(data):
    with pytest.raises(ValueError, match="batch_size"):
        d.sgd_linear_regression(data.x, data.y, lr=0.1, batch_size=0, epochs=1)
    with pytest.raises(ValueError, match="same length"):
        d.sgd_linear_regression(data.x, data.y[:-1], lr=0.1, batch_size=1, epochs=1)
    with pytest.raises(ValueError, match="lr"):
        d.sgd_linear_regression(data.x, data.y, lr=0, batch_size=1, epochs=1)
