"""dlcore.conditioning: Hessians, condition numbers and convergence rates against hand-derived values and real runs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlcore import conditioning
from dlcore.objectives import ellipse
from dlcore.optim import SGD, minimize

KAPPAS = [2.0, 10.0, 100.0, 1000.0]


# ---------------------------------------------------------------- 2-D quadratic


def _ellipse(kappa):
    return ellipse(kappa, angle=math.radians(30.0))


def _eig(obj):
    return conditioning.hessian_eigenvalues(conditioning.hessian(obj.grad, np.zeros(2)))


@pytest.mark.parametrize("kappa", KAPPAS)
def test_hessian_of_the_ellipse_and_its_eigenvalues(kappa):
    obj = _ellipse(kappa)
    H = conditioning.hessian(obj.grad, np.array([0.3, -0.7]))
    c, s = math.cos(math.radians(30)), math.sin(math.radians(30))
    R = np.array([[c, -s], [s, c]])
    np.testing.assert_allclose(H, R @ np.diag([1.0, kappa]) @ R.T, rtol=1e-9, atol=1e-9 * kappa)
    np.testing.assert_allclose(_eig(obj), [1.0, kappa], rtol=1e-9)
    np.testing.assert_allclose(
        conditioning.hessian_eigenvalues(H), np.linalg.eigvalsh(H), rtol=1e-12
    )
    assert conditioning.eigen_condition_number(_eig(obj)) == pytest.approx(kappa)
    # a non-quadratic: Rosenbrock's Hessian at (1, 1) is [[802, -400], [-400, 200]]
    from dlcore.objectives import OBJECTIVES

    np.testing.assert_allclose(
        conditioning.hessian(OBJECTIVES["Rosenbrock"].grad, np.array([1.0, 1.0]), h=1e-5),
        [[802.0, -400.0], [-400.0, 200.0]],
        rtol=1e-6,
    )


@pytest.mark.parametrize("kappa", KAPPAS)
def test_observed_rate_at_best_step_equals_theory(kappa):
    obj = _ellipse(kappa)
    lam = _eig(obj)
    lr = conditioning.best_step(lam)
    assert lr == pytest.approx(2.0 / (1.0 + kappa))
    run = minimize(obj, SGD(lr=lr), obj.start, 200)
    theory = conditioning.theoretical_rate(kappa)
    assert theory == pytest.approx((kappa - 1) / (kappa + 1))
    assert conditioning.observed_rate(run.points) == pytest.approx(theory, rel=1e-8)
    assert conditioning.gd_rate(lr, lam) == pytest.approx(theory, rel=1e-9)
    for other in (0.9 * lr, 1.05 * lr):  # any other fixed step is worse
        assert conditioning.gd_rate(other, lam) > theory


@pytest.mark.parametrize("kappa", [10.0, 100.0])
@pytest.mark.parametrize("lr_times_lmax", [0.5, 1.0, 1.9])
def test_observed_rate_at_other_steps_approaches_max_factor(kappa, lr_times_lmax):
    obj = _ellipse(kappa)
    lr = lr_times_lmax / kappa
    run = minimize(obj, SGD(lr=lr), obj.start, 3000)
    assert conditioning.observed_rate(run.points) == pytest.approx(
        conditioning.gd_rate(lr, _eig(obj)), rel=2e-3
    )


def test_observed_rate_of_a_diverged_run_ignores_its_frozen_tail():
    obj = _ellipse(10.0)
    lr = 2.3 / 10.0
    run = minimize(obj, SGD(lr=lr), obj.start, 300)
    assert run.diverged_at > 0 and np.all(
        run.points[-1] == run.points[-2]
    )  # frozen after blowing up
    assert conditioning.observed_rate(run.points) == pytest.approx(
        conditioning.gd_rate(lr, _eig(obj)), rel=1e-3
    )  # |1 - 2.3| = 1.3


def test_divergence_in_2d_is_lr_times_largest_eigenvalue_above_two():
    obj = _ellipse(10.0)
    ok = minimize(obj, SGD(lr=0.199), obj.start, 3000)
    bad = minimize(obj, SGD(lr=0.201), obj.start, 3000)
    assert ok.diverged_at == -1 and bad.diverged_at > 0
    assert conditioning.gd_rate(0.201, _eig(obj)) > 1 > conditioning.gd_rate(0.199, _eig(obj))


def _heavy_ball(obj, lr, beta, steps):
    """Polyak's form, written out here independently of dlcore."""
    x_prev = x = np.asarray(obj.start, float)
    out = [x]
    for _ in range(steps):
        x, x_prev = x - lr * obj.grad(x) + beta * (x - x_prev), x
        out.append(x)
    return np.array(out)


@pytest.mark.parametrize("kappa", [10.0, 100.0])
def test_momentum_rate_theory(kappa):
    obj = _ellipse(kappa)
    lam = _eig(obj)
    hb = conditioning.optimal_momentum(lam)
    assert hb.rate == pytest.approx((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1))
    assert conditioning.momentum_rate(hb.lr, hb.momentum, lam) == pytest.approx(hb.rate, rel=1e-6)
    lr = conditioning.best_step(lam)
    assert conditioning.momentum_rate(lr, 0.0, lam) == pytest.approx(conditioning.gd_rate(lr, lam))
    # with real roots the observed rate of a simulated heavy ball matches the theory ...
    for beta in (0.1, 0.3):
        rate = conditioning.momentum_rate(1.0 / kappa, beta, lam)
        observed = conditioning.observed_rate(_heavy_ball(obj, 1.0 / kappa, beta, 4000))
        assert observed == pytest.approx(rate, rel=5e-3)
    # ... and with complex roots every direction spirals in at exactly sqrt(beta)
    assert conditioning.momentum_rate(hb.lr, 0.95, lam) == pytest.approx(math.sqrt(0.95), rel=1e-12)
    assert hb.rate < conditioning.theoretical_rate(kappa)


def test_rates_vectorise_over_learning_rates():
    lam = np.array([1.0, 10.0])
    lrs = np.linspace(0.01, 0.25, 25)
    np.testing.assert_allclose(
        conditioning.gd_rate(lrs, lam),
        [conditioning.gd_rate(float(v), lam) for v in lrs],
        rtol=1e-15,
    )
    np.testing.assert_allclose(
        conditioning.momentum_rate(lrs, 0.5, lam),
        [conditioning.momentum_rate(float(v), 0.5, lam) for v in lrs],
        rtol=1e-15,
    )
    # the V of Distill's figure: the rate is smallest at the best step and reaches 1 at lr = 2 / lambda_max
    curve = conditioning.gd_rate(np.linspace(0.001, 0.2, 2000), lam)
    assert np.linspace(0.001, 0.2, 2000)[curve.argmin()] == pytest.approx(
        conditioning.best_step(lam), abs=2e-4
    )
    assert conditioning.gd_rate(0.2, lam) == pytest.approx(1.0)
    e = conditioning.hessian_eigen([[2.0, 1.0], [1.0, 2.0]])
    np.testing.assert_allclose(e.values, [1.0, 3.0])
    np.testing.assert_allclose(np.abs(e.vectors), np.sqrt(0.5))
    with pytest.raises(ValueError, match="lr"):
        conditioning.gd_rate(np.array([0.1, 0.0]), lam)


def test_rate_helpers():
    assert conditioning.steps_to_reduce(0.5, 1e-3) == 10
    assert conditioning.steps_to_reduce(1.0) == math.inf
    assert conditioning.steps_to_reduce(0.0) == 1
    assert conditioning.observed_rate(np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0]])) == 0.0
    assert conditioning.eigen_condition_number([-1.0, 2.0]) == math.inf
    with pytest.raises(ValueError, match="kappa"):
        conditioning.theoretical_rate(0.5)
    with pytest.raises(ValueError, match="momentum"):
        conditioning.momentum_rate(0.1, 1.0, [1.0, 2.0])
    with pytest.raises(ValueError, match="symmetric"):
        conditioning.hessian_eigenvalues([[1.0, 2.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="> 0"):
        conditioning.best_step([0.0, 1.0])


def test_stability_report_each_branch():
    lam = np.array([1.0, 10.0])
    assert conditioning.stability_report(0.19, lam) == ""
    bounce = conditioning.stability_report(0.2, lam)
    assert bounce.startswith("Gradient descent does not converge") and "exactly 2" in bounce
    diverge = conditioning.stability_report(0.23, lam)
    assert diverge.startswith("Gradient descent diverges. ") and "2.3 > 2" in diverge
    # heavy ball: stable up to lr lambda_max = 2 (1 + beta)
    assert conditioning.stability_report(0.23, lam, momentum=0.5) == ""
    assert conditioning.stability_report(0.3, lam, momentum=0.5).startswith(
        "Momentum does not converge"
    )
    bad = conditioning.stability_report(0.23, lam, momentum=0.05)
    assert bad.startswith("Momentum diverges") and "2(1 + β) = 2.1" in bad
    rho = conditioning.momentum_rate(0.23, 0.05, lam)
    assert rho > 1 and f"{rho:.4g}" in bad
    with pytest.raises(ValueError, match="> 0"):
        conditioning.stability_report(0.1, [0.0, 1.0])
    with pytest.raises(ValueError, match="momentum"):
        conditioning.stability_report(0.1, lam, momentum=1.0)


def test_steps_text():
    assert conditioning.steps_text(0.5) == "10"
    assert conditioning.steps_text(0.999) == "6,905"
    assert conditioning.steps_text(1.0) == "never" and conditioning.steps_text(1.3) == "never"
    assert conditioning.steps_text(0.0) == "1"
