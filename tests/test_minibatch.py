"""dlcore.minibatch against hand-derived values, finite differences and scikit-learn."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlcore import conditioning, minibatch

# ---------------------------------------------------------------- linear regression


@pytest.fixture(scope="module")
def data():
    return minibatch.make_linear_data(200, w=2.0, b=-1.0, noise=0.5, rng=3)


def test_make_linear_data_is_seeded(data):
    again = minibatch.make_linear_data(200, w=2.0, b=-1.0, noise=0.5, rng=3)
    np.testing.assert_array_equal(data.x, again.x)
    np.testing.assert_array_equal(data.y, again.y)
    assert not np.array_equal(data.x, minibatch.make_linear_data(200, rng=4).x)
    assert abs(data.x.mean() - 1.0) < 0.3  # uncentred on purpose
    with pytest.raises(ValueError, match="n_samples"):
        minibatch.make_linear_data(1)


def test_mse_gradient_and_hessian(data):
    x, y = data.x, data.y
    w, b = 0.7, 0.4
    assert minibatch.line_mse(x, y, w, b) == pytest.approx(np.mean((w * x + b - y) ** 2), rel=1e-12)
    g = minibatch.line_mse_gradient(x, y, w, b)
    h = 1e-6
    assert g[0] == pytest.approx(
        (minibatch.line_mse(x, y, w + h, b) - minibatch.line_mse(x, y, w - h, b)) / (2 * h),
        rel=1e-6,
    )
    assert g[1] == pytest.approx(
        (minibatch.line_mse(x, y, w, b + h) - minibatch.line_mse(x, y, w, b - h)) / (2 * h),
        rel=1e-6,
    )
    H = minibatch.mse_hessian(x)
    H_fd = np.column_stack(
        [
            (
                minibatch.line_mse_gradient(x, y, w + h, b)
                - minibatch.line_mse_gradient(x, y, w - h, b)
            )
            / (2 * h),
            (
                minibatch.line_mse_gradient(x, y, w, b + h)
                - minibatch.line_mse_gradient(x, y, w, b - h)
            )
            / (2 * h),
        ]
    )
    np.testing.assert_allclose(H, H_fd, rtol=1e-6)
    W, B = np.meshgrid(np.linspace(-1, 3, 4), np.linspace(-2, 1, 3))
    ref = np.mean((W[..., None] * x + B[..., None] - y) ** 2, axis=-1)
    np.testing.assert_allclose(minibatch.line_mse(x, y, W, B), ref, rtol=1e-10)


def test_least_squares_matches_sklearn(data):
    from sklearn.linear_model import LinearRegression

    ref = LinearRegression().fit(data.x[:, None], data.y)
    np.testing.assert_allclose(
        minibatch.line_fit(data.x, data.y), [ref.coef_[0], ref.intercept_], rtol=1e-10
    )
    np.testing.assert_allclose(
        minibatch.line_mse_gradient(data.x, data.y, *minibatch.line_fit(data.x, data.y)),
        0,
        atol=1e-12,
    )
    with pytest.raises(ValueError, match="constant"):
        minibatch.line_fit(np.ones(5), np.arange(5.0))


def test_minibatch_gradients_over_a_partition_average_to_the_full_gradient(data):
    x, y = data.x, data.y
    full = minibatch.line_mse_gradient(x, y, 0.3, 0.2)
    order = np.random.default_rng(0).permutation(x.size)
    batches = order.reshape(10, 20)
    mean = np.mean([minibatch.line_mse_gradient(x[i], y[i], 0.3, 0.2) for i in batches], axis=0)
    np.testing.assert_allclose(mean, full, rtol=1e-12)


@pytest.mark.parametrize("batch_size", [1, 8, 50])
def test_minibatch_gradient_is_unbiased_with_the_predicted_noise(data, batch_size):
    x, y = data.x, data.y
    full = minibatch.line_mse_gradient(x, y, 0.3, 0.2)
    rng = np.random.default_rng(42)
    draws = np.array(
        [
            minibatch.minibatch_gradient(x, y, 0.3, 0.2, batch_size=batch_size, rng=rng)
            for _ in range(4000)
        ]
    )
    cov = minibatch.gradient_noise(x, y, 0.3, 0.2, batch_size=batch_size)
    stderr = np.sqrt(np.diag(cov) / len(draws))
    assert np.all(np.abs(draws.mean(axis=0) - full) < 4 * stderr)
    np.testing.assert_allclose(np.cov(draws, rowvar=False), cov, rtol=0.1)


def test_full_batch_has_no_gradient_noise_and_noise_falls_as_one_over_b(data):
    x, y = data.x, data.y
    np.testing.assert_allclose(
        minibatch.gradient_noise(x, y, 0.3, 0.2, batch_size=x.size), 0, atol=1e-12
    )
    one = minibatch.gradient_noise(x, y, 0.3, 0.2, batch_size=1)
    ten = minibatch.gradient_noise(x, y, 0.3, 0.2, batch_size=10)
    np.testing.assert_allclose(ten, one / 10 * (x.size - 10) / (x.size - 1), rtol=1e-12)


def test_gradient_noise_std_is_the_trace_of_the_covariance(data):
    x, y = data.x, data.y
    sizes = np.array([1, 2, 10, 50, 199, 200])
    std = minibatch.gradient_noise_std(x, y, 0.3, 0.2, batch_sizes=sizes)
    ref = [
        np.sqrt(np.trace(minibatch.gradient_noise(x, y, 0.3, 0.2, batch_size=int(b))))
        for b in sizes
    ]
    np.testing.assert_allclose(std, ref, rtol=1e-12, atol=1e-15)
    assert std[-1] == 0 and np.all(np.diff(std) < 0)
    with pytest.raises(ValueError, match="batch_sizes"):
        minibatch.gradient_noise_std(x, y, 0.3, 0.2, batch_sizes=[0, 5])


@pytest.mark.parametrize("batch_size", [1, 7, 32, 200])
def test_fast_sgd_equals_the_loop_reference(data, batch_size):
    kw = dict(lr=0.05, batch_size=batch_size, epochs=4, start=(0.5, -0.5), rng=11)
    fast = minibatch.sgd_linear_regression(data.x, data.y, **kw)
    loop = minibatch.sgd_linear_regression_loop(data.x, data.y, **kw)
    per = math.ceil(200 / batch_size)
    assert fast.updates_per_epoch == loop.updates_per_epoch == per
    assert fast.params.shape == (4 * per + 1, 2) and fast.epoch_loss.shape == (5,)
    np.testing.assert_allclose(fast.params, loop.params, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fast.batch_loss, loop.batch_loss, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fast.loss, loop.loss, rtol=1e-10)
    np.testing.assert_allclose(fast.epoch_loss, fast.loss[::per], rtol=0)
    np.testing.assert_allclose(fast.logged_loss, loop.logged_loss, rtol=1e-10)
    np.testing.assert_allclose(fast.logged_loss[0], np.mean(fast.batch_loss[:per]), rtol=1e-12)
    assert fast.diverged_at == loop.diverged_at == -1


def test_sgd_reaches_the_least_squares_fit_like_sklearn(data):
    from sklearn.linear_model import SGDRegressor

    x, y = data.x, data.y
    ours = minibatch.sgd_linear_regression(x, y, lr=0.005, batch_size=1, epochs=60, rng=0).params[
        -1
    ]
    # sklearn's squared loss is half ours, so its step eta0 matches our lr * 2
    ref = SGDRegressor(
        loss="squared_error",
        penalty=None,
        learning_rate="constant",
        eta0=0.01,
        max_iter=60,
        tol=None,
        random_state=0,
    ).fit(x[:, None], y)
    best = minibatch.line_fit(x, y)
    np.testing.assert_allclose(ours, best, atol=0.05)
    np.testing.assert_allclose([ref.coef_[0], ref.intercept_[0]], best, atol=0.05)


def test_sgd_validates(data):
    with pytest.raises(ValueError, match="start"):
        minibatch.sgd_linear_regression(
            data.x, data.y, lr=0.1, batch_size=1, epochs=1, start=(2e6, 0.0)
        )
    with pytest.raises(ValueError, match="batch_size"):
        minibatch.sgd_linear_regression(data.x, data.y, lr=0.1, batch_size=0, epochs=1)
    with pytest.raises(ValueError, match="same length"):
        minibatch.sgd_linear_regression(data.x, data.y[:-1], lr=0.1, batch_size=1, epochs=1)
    with pytest.raises(ValueError, match="lr"):
        minibatch.sgd_linear_regression(data.x, data.y, lr=0, batch_size=1, epochs=1)


def test_example_curvatures_are_the_per_example_hessian_eigenvalues(data):
    lam = minibatch.example_curvatures(data.x[:5])
    for xi, li in zip(data.x[:5], lam):
        np.testing.assert_allclose(
            conditioning.hessian_eigenvalues(minibatch.mse_hessian(np.array([xi])))[-1],
            li,
            rtol=1e-12,
        )
    # a stochastic step on one example with lr * lambda_i = 2 exactly mirrors its residual
    i = 0
    lr = 2.0 / lam[0]
    x, y = data.x[i : i + 1], data.y[i : i + 1]
    w, b = np.array([0.5, 0.5]) - lr * minibatch.line_mse_gradient(x, y, 0.5, 0.5)
    assert (w * x[0] + b - y[0]) == pytest.approx(-(0.5 * x[0] + 0.5 - y[0]), rel=1e-10)


def test_full_batch_sgd_is_gradient_descent_and_converges_to_least_squares(data):
    x, y = data.x, data.y
    lam_max = conditioning.hessian_eigenvalues(minibatch.mse_hessian(x))[-1]
    lr = 1.0 / lam_max
    run = minibatch.sgd_linear_regression(x, y, lr=lr, batch_size=x.size, epochs=300, rng=0)
    points = [np.zeros(2)]
    for _ in range(300):  # plain gradient descent on the full data, written out
        points.append(points[-1] - lr * minibatch.line_mse_gradient(x, y, *points[-1]))
    np.testing.assert_allclose(run.params, points, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(run.params[-1], minibatch.line_fit(x, y), rtol=1e-6)
    # one batch per epoch: the logged loss is the full loss before the epoch's update, one step behind
    np.testing.assert_allclose(run.logged_loss, run.epoch_loss[:-1], rtol=1e-9)


def test_sgd_divergence_is_detected_at_lr_times_lambda_max_above_two(data):
    x, y = data.x, data.y
    lam_max = conditioning.hessian_eigenvalues(minibatch.mse_hessian(x))[-1]
    calm = minibatch.sgd_linear_regression(
        x, y, lr=1.95 / lam_max, batch_size=x.size, epochs=500, rng=0
    )
    wild = minibatch.sgd_linear_regression(
        x, y, lr=2.05 / lam_max, batch_size=x.size, epochs=2000, rng=0
    )
    assert calm.diverged_at == -1
    assert wild.diverged_at > 0
    for run in (
        wild,
        minibatch.sgd_linear_regression_loop(
            x, y, lr=2.05 / lam_max, batch_size=x.size, epochs=2000, rng=0
        ),
    ):
        assert np.all(np.isfinite(run.params)) and np.all(np.isfinite(run.loss))
        assert np.max(np.abs(run.params)) <= minibatch.DIVERGENCE_BOUND
    stochastic = minibatch.sgd_linear_regression(x, y, lr=1.0, batch_size=1, epochs=3, rng=0)
    assert stochastic.diverged_at > 0 and np.all(np.isfinite(stochastic.batch_loss))


def test_sgd_report_each_branch(data):
    lam_max = float(conditioning.hessian_eigenvalues(minibatch.mse_hessian(data.x))[-1])
    lam_example = float(minibatch.example_curvatures(data.x).max())
    warn = minibatch.sgd_report(
        ["Stochastic (B = 1)"], lr=0.6, lam_max=lam_max, lam_example=lam_example
    )
    assert warn.level == "warning" and warn.text.startswith("Stochastic (B = 1) diverged. ")
    assert "Small batches" in warn.text
    lr = 2.5 / lam_example  # single examples overshoot, the full data does not
    info = minibatch.sgd_report([], lr=lr, lam_max=lam_max, lam_example=lam_example)
    assert info.level == "info" and f"{lam_example:.3g}" in info.text and "overshoots" in info.text
    assert minibatch.sgd_report([], lr=0.01, lam_max=lam_max, lam_example=lam_example) == ("", "")
    with pytest.raises(ValueError, match="lr"):
        minibatch.sgd_report([], lr=0.0, lam_max=lam_max, lam_example=lam_example)


@pytest.mark.parametrize("n", [1, 2, 3, 16, 17, 1000])
def test_affine_scan_equals_the_sequential_recursion(n):
    rng = np.random.default_rng(n)
    a11, a12, a22 = rng.uniform(0.5, 1.0, n), rng.uniform(-0.3, 0.3, n), rng.uniform(0.5, 1.0, n)
    c1, c2 = rng.normal(size=n), rng.normal(size=n)
    theta, ref = np.array([0.3, -2.0]), []
    for k in range(n):
        theta = np.array([[a11[k], a12[k]], [a12[k], a22[k]]]) @ theta + [c1[k], c2[k]]
        ref.append(theta)
    np.testing.assert_allclose(
        minibatch._affine_scan(a11, a12, a22, c1, c2, np.array([0.3, -2.0])),
        ref,
        rtol=1e-10,
        atol=1e-12,
    )
