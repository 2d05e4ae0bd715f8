"""dlcore.descent against hand-derived values, finite differences and scikit-learn."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlcore import descent as d
from dlcore.objectives import ellipse
from dlcore.optim import SGD, minimize

CURVATURES = [0.3, 1.0, 2.0, 3.0, 7.0, 49.0, 1000.0]
KAPPAS = [2.0, 10.0, 100.0, 1000.0]


def _fd(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


def _gd_1d(fn, x0, lr, steps):
    """Gradient descent on a 1-D function through dlcore.optim, as the page runs it."""
    run = minimize(d.Curve(fn), SGD(lr=lr), [x0], steps)
    return run.points[:, 0], run.diverged_at


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
        return _gd_1d(q, x0, lr, steps)[0]

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
    points, diverged_at = _gd_1d(q, x0, 2.5 / lam, 200)
    assert diverged_at > 0
    assert np.all(np.isfinite(points)) and np.max(np.abs(points)) <= d.DIVERGENCE_BOUND
    grow = points[:diverged_at]
    np.testing.assert_allclose(np.abs(grow[1:] / grow[:-1]), 1.5, rtol=1e-9)
    np.testing.assert_array_equal(points[diverged_at:], grow[-1])


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
    assert "never positive" in d.explain_divergence(0.5, -1.0)


@pytest.mark.parametrize("name", sorted(d.FUNCTIONS_1D))
def test_presets_derivatives_match_finite_differences(name):
    fn = d.FUNCTIONS_1D[name]
    x = np.linspace(*fn.domain, 41)
    np.testing.assert_allclose(fn.grad(x), _fd(fn.f, x), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(fn.second(x), _fd(fn.grad, x), rtol=1e-6, atol=1e-6)
    assert fn.latex.startswith("f(x)")
    assert fn.domain[0] < 0 < fn.domain[1]


def test_quartic_has_two_minima_and_the_regime_applies_locally():
    q = d.FUNCTIONS_1D["Quartic with two minima"]
    right = _gd_1d(q, 1.6, 0.05, 400)[0][-1]
    left = _gd_1d(q, -1.6, 0.05, 400)[0][-1]
    assert right > 0 > left
    assert abs(q.grad(right)) < 1e-10 and abs(q.grad(left)) < 1e-10
    assert q.f(left) < q.f(right)  # the tilt makes the left one global
    # near the right minimum the local curvature decides: lr just above 2/f'' diverges or leaves it
    lam = float(q.second(right))
    stay = _gd_1d(q, right + 1e-3, 1.9 / lam, 300)[0][-1]
    assert abs(stay - right) < 1e-6
    leave = _gd_1d(q, right + 1e-3, 2.1 / lam, 300)[0]
    assert np.max(np.abs(leave[100:] - right)) > 1e-2


def test_typed_formula_has_exact_derivatives_and_rejects_hostile_text():
    fn = d.formula_1d("(x^2 - 1)^2 + 0.3*x", domain=(-1.8, 1.8))
    ref = d.FUNCTIONS_1D["Quartic with two minima"]
    x = np.linspace(-1.8, 1.8, 13)
    np.testing.assert_allclose(fn.f(x), ref.f(x), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(fn.grad(x), ref.grad(x), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(fn.second(x), ref.second(x), rtol=1e-12, atol=1e-12)
    assert fn.latex.startswith("f(x) =")
    points, _ = _gd_1d(fn, 1.6, 0.05, 50)
    np.testing.assert_allclose(points, _gd_1d(ref, 1.6, 0.05, 50)[0], rtol=1e-12)
    for text in ("__import__('os')", "x.__class__", "9**9**9", "", "y + 1"):
        with pytest.raises(ValueError):
            d.formula_1d(text)
    with pytest.raises(ValueError, match="domain upper"):
        d.formula_1d("x^2", domain=(1, -1))


def test_curve_objective_shapes_and_divergence_through_minimize():
    c = d.Curve(d.Quadratic1D(curvature=4.0))
    p = np.zeros((7, 3, 1)) + 0.5
    assert c.f(p).shape == (7, 3) and c.grad(p).shape == (7, 3, 1)
    points, diverged_at = _gd_1d(d.FUNCTIONS_1D["Quartic with two minima"], 1.6, 0.9, 100)
    assert diverged_at > 0 and np.all(np.isfinite(points))


# ---------------------------------------------------------------- verdicts in one dimension

VIEW = (-3.0, 3.0)


def _run(text_or_fn, x0=1.6, lr=0.3, steps=20):
    fn = d.formula_1d(text_or_fn) if isinstance(text_or_fn, str) else text_or_fn
    points, diverged_at = _gd_1d(fn, x0, lr, steps)
    stop = diverged_at if diverged_at > 0 else len(points)
    return fn, points[:stop], diverged_at


def test_downhill_to_the_edge_knows_where_a_minimum_holds_the_iterates():
    q = d.Quadratic1D(curvature=2.0)
    for x in (2.5, -2.5, 0.1, 40.0, -40.0):  # the minimum at 0 lies downhill from everywhere
        assert not d.downhill_to_the_edge(q, x, view=VIEW)
    exp = d.formula_1d("exp(x)")
    assert d.downhill_to_the_edge(exp, 1.0, view=VIEW)  # exp falls to the left forever
    assert d.downhill_to_the_edge(exp, -7.0, view=VIEW)  # already past the edge, still falling
    cubic = d.formula_1d("x^3 - 3*x")  # local minimum at 1, unbounded below to the left
    assert not d.downhill_to_the_edge(cubic, 1.6, view=VIEW)
    assert not d.downhill_to_the_edge(cubic, 0.0, view=VIEW)  # downhill to the right: x = 1
    assert d.downhill_to_the_edge(cubic, -1.6, view=VIEW)
    line = d.formula_1d("x")
    assert d.downhill_to_the_edge(line, 0.0, view=VIEW)


def test_downhill_to_the_edge_degenerate_cases():
    flat = d.formula_1d("1")
    assert not d.downhill_to_the_edge(flat, 0.5, view=VIEW)  # f' = 0: nowhere to run
    cusp = d.formula_1d("sqrt(abs(x))")  # f' is undefined at the minimum 0 itself
    assert not d.downhill_to_the_edge(cusp, 1.0, view=(-3.0, 3.0), num=7)  # 0 is a grid point
    log = d.formula_1d("log(x)")  # falls to -inf at 0+, undefined (NaN) beyond: skipped
    assert d.downhill_to_the_edge(log, 1.0, view=VIEW)
    nan = d.formula_1d("sqrt(x)")
    assert not d.downhill_to_the_edge(nan, -1.0, view=VIEW)  # f'(x) is NaN: no direction
    with pytest.raises(ValueError, match="view upper"):
        d.downhill_to_the_edge(nan, 1.0, view=(1.0, 1.0))
    with pytest.raises(ValueError, match="x must be finite"):
        d.downhill_to_the_edge(nan, float("nan"), view=VIEW)


def test_verdict_of_exp_is_no_minimum_not_towards_the_minimum():
    """Issue 15: f'' > 0 everywhere gave "monotone: every step moves towards the minimum"."""
    fn, x, diverged_at = _run("exp(x)")
    lam = float(fn.second(x[-1]))
    assert lam > 0 and d.lr_regime(0.3, lam).name == "monotone"
    v = d.verdict_1d(fn, x, lr=0.3, curvature=lam, diverged_at=diverged_at, view=VIEW)
    assert v.name == d.NO_MINIMUM and v.runs_off and v.regime.name == "monotone"
    assert "towards the minimum" not in v.sentence
    assert f"to the left of x = {x[-1]:.4g} all the way to the edge of the range, x = -3" in (
        v.sentence
    )
    assert v.warning == ""  # the badge already says it
    # a hundred steps take it past the edge: said as such
    fn, x, diverged_at = _run("exp(x)", steps=100)
    v = d.verdict_1d(fn, x, lr=0.3, curvature=float(fn.second(x[-1])), diverged_at=-1, view=VIEW)
    assert x[-1] < -3 and "have left the range [-3, 3] to the left" in v.sentence


@pytest.mark.parametrize(
    ("text", "regime"), [("-x**2", "repelled"), ("x", "flat"), ("x^3 - 3*x", "repelled")]
)
def test_verdict_of_unbounded_functions_warns_that_the_iterates_run_off(text, regime):
    x0 = -1.6 if text.startswith("x^3") else 1.6
    fn, x, diverged_at = _run(text, x0=x0, steps=3)
    lam = float(fn.second(x[-1]))
    v = d.verdict_1d(fn, x, lr=0.3, curvature=lam, diverged_at=diverged_at, view=VIEW)
    assert v.name == regime and v.runs_off
    assert v.warning.startswith("No minimum:") and "falls without bound" in v.warning


def test_verdict_keeps_the_regime_where_a_minimum_holds():
    q = d.Quadratic1D(curvature=2.0)
    for lr, regime in [(0.25, "monotone"), (0.5, "one step"), (0.75, "oscillating")]:
        fn, x, diverged_at = _run(q, lr=lr)
        v = d.verdict_1d(
            q, x, lr=lr, curvature=2.0, diverged_at=diverged_at, view=VIEW, quadratic=True
        )
        assert v.name == regime and not v.runs_off and v.warning == ""
        assert v.sentence == v.regime.description + "."  # exact on a quadratic: no caveat
    quartic = d.FUNCTIONS_1D["Quartic with two minima"]
    fn, x, diverged_at = _run(quartic, lr=0.05)
    v = d.verdict_1d(
        quartic, x, lr=0.05, curvature=float(quartic.second(x[-1])), diverged_at=-1, view=VIEW
    )
    assert v.name == "monotone" and v.sentence.endswith(d.LOCAL_CAVEAT)


def test_verdict_of_a_diverging_quadratic_before_and_after_the_bound():
    q = d.Quadratic1D(curvature=2.0)
    fn, x, diverged_at = _run(q, lr=1.2)
    v = d.verdict_1d(
        q, x, lr=1.2, curvature=2.0, diverged_at=diverged_at, view=VIEW, quadratic=True
    )
    assert diverged_at == -1 and v.name == "diverging"
    assert v.warning.startswith(f"Diverging: |x_20| = {abs(x[-1]):.3g} and growing. ")
    assert "2.4 > 2" in v.warning
    fn, x, diverged_at = _run(q, lr=1.2, steps=100)
    v = d.verdict_1d(
        q, x, lr=1.2, curvature=2.0, diverged_at=diverged_at, view=VIEW, quadratic=True
    )
    assert v.warning.startswith(f"Diverged at step {diverged_at}: |x| passed 10⁶")


def test_verdict_degenerate_cases():
    flat = d.formula_1d("1")
    fn, x, _ = _run(flat)
    v = d.verdict_1d(flat, x, lr=0.3, curvature=0.0, diverged_at=-1, view=VIEW)
    assert v.name == d.STUCK and v.warning == "" and not v.runs_off
    log = d.formula_1d("log(x)")  # steps past 0 into NaN: diverged, and the curvature is negative
    fn, x, diverged_at = _run(log)
    v = d.verdict_1d(
        log, x, lr=0.3, curvature=float(log.second(x[-1])), diverged_at=diverged_at, view=VIEW
    )
    assert diverged_at > 0 and v.warning.startswith(f"Diverged at step {diverged_at}")
    assert "never positive" in v.warning
    with pytest.raises(ValueError, match="f'' is not defined at x = 0"):
        d.verdict_1d(log, [1.0, 0.0], lr=0.3, curvature=float("nan"), diverged_at=-1, view=VIEW)


def test_explain_divergence_without_a_finite_curvature():
    assert "not a finite number" in d.explain_divergence(0.3, float("nan"))
    assert "not a finite number" in d.explain_divergence(0.3, float("inf"))


# ---------------------------------------------------------------- 2-D quadratic


def _ellipse(kappa):
    return ellipse(kappa, angle=math.radians(30.0))


def _eig(obj):
    return d.hessian_eigenvalues(d.hessian(obj.grad, np.zeros(2)))


@pytest.mark.parametrize("kappa", KAPPAS)
def test_hessian_of_the_ellipse_and_its_eigenvalues(kappa):
    obj = _ellipse(kappa)
    H = d.hessian(obj.grad, np.array([0.3, -0.7]))
    c, s = math.cos(math.radians(30)), math.sin(math.radians(30))
    R = np.array([[c, -s], [s, c]])
    np.testing.assert_allclose(H, R @ np.diag([1.0, kappa]) @ R.T, rtol=1e-9, atol=1e-9 * kappa)
    np.testing.assert_allclose(_eig(obj), [1.0, kappa], rtol=1e-9)
    np.testing.assert_allclose(d.hessian_eigenvalues(H), np.linalg.eigvalsh(H), rtol=1e-12)
    assert d.condition_number(_eig(obj)) == pytest.approx(kappa)
    # a non-quadratic: Rosenbrock's Hessian at (1, 1) is [[802, -400], [-400, 200]]
    from dlcore.objectives import OBJECTIVES

    np.testing.assert_allclose(
        d.hessian(OBJECTIVES["Rosenbrock"].grad, np.array([1.0, 1.0]), h=1e-5),
        [[802.0, -400.0], [-400.0, 200.0]],
        rtol=1e-6,
    )


@pytest.mark.parametrize("kappa", KAPPAS)
def test_observed_rate_at_best_step_equals_theory(kappa):
    obj = _ellipse(kappa)
    lam = _eig(obj)
    lr = d.best_step(lam)
    assert lr == pytest.approx(2.0 / (1.0 + kappa))
    run = minimize(obj, SGD(lr=lr), obj.start, 200)
    theory = d.theoretical_rate(kappa)
    assert theory == pytest.approx((kappa - 1) / (kappa + 1))
    assert d.observed_rate(run.points) == pytest.approx(theory, rel=1e-8)
    assert d.gd_rate(lr, lam) == pytest.approx(theory, rel=1e-9)
    for other in (0.9 * lr, 1.05 * lr):  # any other fixed step is worse
        assert d.gd_rate(other, lam) > theory


@pytest.mark.parametrize("kappa", [10.0, 100.0])
@pytest.mark.parametrize("lr_times_lmax", [0.5, 1.0, 1.9])
def test_observed_rate_at_other_steps_approaches_max_factor(kappa, lr_times_lmax):
    obj = _ellipse(kappa)
    lr = lr_times_lmax / kappa
    run = minimize(obj, SGD(lr=lr), obj.start, 3000)
    assert d.observed_rate(run.points) == pytest.approx(d.gd_rate(lr, _eig(obj)), rel=2e-3)


def test_observed_rate_of_a_diverged_run_ignores_its_frozen_tail():
    obj = _ellipse(10.0)
    lr = 2.3 / 10.0
    run = minimize(obj, SGD(lr=lr), obj.start, 300)
    assert run.diverged_at > 0 and np.all(
        run.points[-1] == run.points[-2]
    )  # frozen after blowing up
    assert d.observed_rate(run.points) == pytest.approx(
        d.gd_rate(lr, _eig(obj)), rel=1e-3
    )  # |1 - 2.3| = 1.3


def test_divergence_in_2d_is_lr_times_largest_eigenvalue_above_two():
    obj = _ellipse(10.0)
    ok = minimize(obj, SGD(lr=0.199), obj.start, 3000)
    bad = minimize(obj, SGD(lr=0.201), obj.start, 3000)
    assert ok.diverged_at == -1 and bad.diverged_at > 0
    assert d.gd_rate(0.201, _eig(obj)) > 1 > d.gd_rate(0.199, _eig(obj))


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
    hb = d.optimal_momentum(lam)
    assert hb.rate == pytest.approx((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1))
    assert d.momentum_rate(hb.lr, hb.momentum, lam) == pytest.approx(hb.rate, rel=1e-6)
    lr = d.best_step(lam)
    assert d.momentum_rate(lr, 0.0, lam) == pytest.approx(d.gd_rate(lr, lam))
    # with real roots the observed rate of a simulated heavy ball matches the theory ...
    for beta in (0.1, 0.3):
        rate = d.momentum_rate(1.0 / kappa, beta, lam)
        observed = d.observed_rate(_heavy_ball(obj, 1.0 / kappa, beta, 4000))
        assert observed == pytest.approx(rate, rel=5e-3)
    # ... and with complex roots every direction spirals in at exactly sqrt(beta)
    assert d.momentum_rate(hb.lr, 0.95, lam) == pytest.approx(math.sqrt(0.95), rel=1e-12)
    assert hb.rate < d.theoretical_rate(kappa)


def test_rates_vectorise_over_learning_rates():
    lam = np.array([1.0, 10.0])
    lrs = np.linspace(0.01, 0.25, 25)
    np.testing.assert_allclose(
        d.gd_rate(lrs, lam), [d.gd_rate(float(v), lam) for v in lrs], rtol=1e-15
    )
    np.testing.assert_allclose(
        d.momentum_rate(lrs, 0.5, lam),
        [d.momentum_rate(float(v), 0.5, lam) for v in lrs],
        rtol=1e-15,
    )
    # the V of Distill's figure: the rate is smallest at the best step and reaches 1 at lr = 2 / lambda_max
    curve = d.gd_rate(np.linspace(0.001, 0.2, 2000), lam)
    assert np.linspace(0.001, 0.2, 2000)[curve.argmin()] == pytest.approx(
        d.best_step(lam), abs=2e-4
    )
    assert d.gd_rate(0.2, lam) == pytest.approx(1.0)
    e = d.hessian_eigen([[2.0, 1.0], [1.0, 2.0]])
    np.testing.assert_allclose(e.values, [1.0, 3.0])
    np.testing.assert_allclose(np.abs(e.vectors), np.sqrt(0.5))
    with pytest.raises(ValueError, match="lr"):
        d.gd_rate(np.array([0.1, 0.0]), lam)


def test_rate_helpers():
    assert d.steps_to_reduce(0.5, 1e-3) == 10
    assert d.steps_to_reduce(1.0) == math.inf
    assert d.steps_to_reduce(0.0) == 1
    assert d.observed_rate(np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0]])) == 0.0
    assert d.condition_number([-1.0, 2.0]) == math.inf
    with pytest.raises(ValueError, match="kappa"):
        d.theoretical_rate(0.5)
    with pytest.raises(ValueError, match="momentum"):
        d.momentum_rate(0.1, 1.0, [1.0, 2.0])
    with pytest.raises(ValueError, match="symmetric"):
        d.hessian_eigenvalues([[1.0, 2.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="> 0"):
        d.best_step([0.0, 1.0])


def test_stability_report_each_branch():
    lam = np.array([1.0, 10.0])
    assert d.stability_report(0.19, lam) == ""
    bounce = d.stability_report(0.2, lam)
    assert bounce.startswith("Gradient descent does not converge") and "exactly 2" in bounce
    diverge = d.stability_report(0.23, lam)
    assert diverge.startswith("Gradient descent diverges. ") and "2.3 > 2" in diverge
    # heavy ball: stable up to lr lambda_max = 2 (1 + beta)
    assert d.stability_report(0.23, lam, momentum=0.5) == ""
    assert d.stability_report(0.3, lam, momentum=0.5).startswith("Momentum does not converge")
    bad = d.stability_report(0.23, lam, momentum=0.05)
    assert bad.startswith("Momentum diverges") and "2(1 + β) = 2.1" in bad
    rho = d.momentum_rate(0.23, 0.05, lam)
    assert rho > 1 and f"{rho:.4g}" in bad
    with pytest.raises(ValueError, match="> 0"):
        d.stability_report(0.1, [0.0, 1.0])
    with pytest.raises(ValueError, match="momentum"):
        d.stability_report(0.1, lam, momentum=1.0)


def test_steps_text():
    assert d.steps_text(0.5) == "10"
    assert d.steps_text(0.999) == "6,905"
    assert d.steps_text(1.0) == "never" and d.steps_text(1.3) == "never"
    assert d.steps_text(0.0) == "1"


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
    assert g[0] == pytest.approx(
        (d.mse(x, y, w + h, b) - d.mse(x, y, w - h, b)) / (2 * h), rel=1e-6
    )
    assert g[1] == pytest.approx(
        (d.mse(x, y, w, b + h) - d.mse(x, y, w, b - h)) / (2 * h), rel=1e-6
    )
    H = d.mse_hessian(x)
    H_fd = np.column_stack(
        [
            (d.mse_gradient(x, y, w + h, b) - d.mse_gradient(x, y, w - h, b)) / (2 * h),
            (d.mse_gradient(x, y, w, b + h) - d.mse_gradient(x, y, w, b - h)) / (2 * h),
        ]
    )
    np.testing.assert_allclose(H, H_fd, rtol=1e-6)
    W, B = np.meshgrid(np.linspace(-1, 3, 4), np.linspace(-2, 1, 3))
    ref = np.mean((W[..., None] * x + B[..., None] - y) ** 2, axis=-1)
    np.testing.assert_allclose(d.mse(x, y, W, B), ref, rtol=1e-10)


def test_example_curvatures_are_the_per_example_hessian_eigenvalues(data):
    lam = d.example_curvatures(data.x[:5])
    for xi, li in zip(data.x[:5], lam):
        np.testing.assert_allclose(
            d.hessian_eigenvalues(d.mse_hessian(np.array([xi])))[-1], li, rtol=1e-12
        )
    # a stochastic step on one example with lr * lambda_i = 2 exactly mirrors its residual
    i = 0
    lr = 2.0 / lam[0]
    x, y = data.x[i : i + 1], data.y[i : i + 1]
    w, b = np.array([0.5, 0.5]) - lr * d.mse_gradient(x, y, 0.5, 0.5)
    assert (w * x[0] + b - y[0]) == pytest.approx(-(0.5 * x[0] + 0.5 - y[0]), rel=1e-10)


def test_least_squares_matches_sklearn(data):
    from sklearn.linear_model import LinearRegression

    ref = LinearRegression().fit(data.x[:, None], data.y)
    np.testing.assert_allclose(
        d.least_squares(data.x, data.y), [ref.coef_[0], ref.intercept_], rtol=1e-10
    )
    np.testing.assert_allclose(
        d.mse_gradient(data.x, data.y, *d.least_squares(data.x, data.y)), 0, atol=1e-12
    )
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
    draws = np.array(
        [d.minibatch_gradient(x, y, 0.3, 0.2, batch_size=batch_size, rng=rng) for _ in range(4000)]
    )
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


def test_gradient_noise_std_is_the_trace_of_the_covariance(data):
    x, y = data.x, data.y
    sizes = np.array([1, 2, 10, 50, 199, 200])
    std = d.gradient_noise_std(x, y, 0.3, 0.2, batch_sizes=sizes)
    ref = [np.sqrt(np.trace(d.gradient_noise(x, y, 0.3, 0.2, batch_size=int(b)))) for b in sizes]
    np.testing.assert_allclose(std, ref, rtol=1e-12, atol=1e-15)
    assert std[-1] == 0 and np.all(np.diff(std) < 0)
    with pytest.raises(ValueError, match="batch_sizes"):
        d.gradient_noise_std(x, y, 0.3, 0.2, batch_sizes=[0, 5])


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
    np.testing.assert_allclose(fast.logged_loss, loop.logged_loss, rtol=1e-10)
    np.testing.assert_allclose(fast.logged_loss[0], np.mean(fast.batch_loss[:per]), rtol=1e-12)
    assert fast.diverged_at == loop.diverged_at == -1


def test_full_batch_sgd_is_gradient_descent_and_converges_to_least_squares(data):
    x, y = data.x, data.y
    lam_max = d.hessian_eigenvalues(d.mse_hessian(x))[-1]
    lr = 1.0 / lam_max
    run = d.sgd_linear_regression(x, y, lr=lr, batch_size=x.size, epochs=300, rng=0)
    points = [np.zeros(2)]
    for _ in range(300):  # plain gradient descent on the full data, written out
        points.append(points[-1] - lr * d.mse_gradient(x, y, *points[-1]))
    np.testing.assert_allclose(run.params, points, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(run.params[-1], d.least_squares(x, y), rtol=1e-6)
    # one batch per epoch: the logged loss is the full loss before the epoch's update, one step behind
    np.testing.assert_allclose(run.logged_loss, run.epoch_loss[:-1], rtol=1e-9)


def test_sgd_divergence_is_detected_at_lr_times_lambda_max_above_two(data):
    x, y = data.x, data.y
    lam_max = d.hessian_eigenvalues(d.mse_hessian(x))[-1]
    calm = d.sgd_linear_regression(x, y, lr=1.95 / lam_max, batch_size=x.size, epochs=500, rng=0)
    wild = d.sgd_linear_regression(x, y, lr=2.05 / lam_max, batch_size=x.size, epochs=2000, rng=0)
    assert calm.diverged_at == -1
    assert wild.diverged_at > 0
    for run in (
        wild,
        d.sgd_linear_regression_loop(
            x, y, lr=2.05 / lam_max, batch_size=x.size, epochs=2000, rng=0
        ),
    ):
        assert np.all(np.isfinite(run.params)) and np.all(np.isfinite(run.loss))
        assert np.max(np.abs(run.params)) <= d.DIVERGENCE_BOUND
    stochastic = d.sgd_linear_regression(x, y, lr=1.0, batch_size=1, epochs=3, rng=0)
    assert stochastic.diverged_at > 0 and np.all(np.isfinite(stochastic.batch_loss))


def test_sgd_reaches_the_least_squares_fit_like_sklearn(data):
    from sklearn.linear_model import SGDRegressor

    x, y = data.x, data.y
    ours = d.sgd_linear_regression(x, y, lr=0.005, batch_size=1, epochs=60, rng=0).params[-1]
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
    best = d.least_squares(x, y)
    np.testing.assert_allclose(ours, best, atol=0.05)
    np.testing.assert_allclose([ref.coef_[0], ref.intercept_[0]], best, atol=0.05)


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
        d._affine_scan(a11, a12, a22, c1, c2, np.array([0.3, -2.0])), ref, rtol=1e-10, atol=1e-12
    )


def test_sgd_validates(data):
    with pytest.raises(ValueError, match="start"):
        d.sgd_linear_regression(data.x, data.y, lr=0.1, batch_size=1, epochs=1, start=(2e6, 0.0))
    with pytest.raises(ValueError, match="batch_size"):
        d.sgd_linear_regression(data.x, data.y, lr=0.1, batch_size=0, epochs=1)
    with pytest.raises(ValueError, match="same length"):
        d.sgd_linear_regression(data.x, data.y[:-1], lr=0.1, batch_size=1, epochs=1)
    with pytest.raises(ValueError, match="lr"):
        d.sgd_linear_regression(data.x, data.y, lr=0, batch_size=1, epochs=1)


def test_sgd_report_each_branch(data):
    lam_max = float(d.hessian_eigenvalues(d.mse_hessian(data.x))[-1])
    lam_example = float(d.example_curvatures(data.x).max())
    warn = d.sgd_report(["Stochastic (B = 1)"], lr=0.6, lam_max=lam_max, lam_example=lam_example)
    assert warn.level == "warning" and warn.text.startswith("Stochastic (B = 1) diverged. ")
    assert "Small batches" in warn.text
    lr = 2.5 / lam_example  # single examples overshoot, the full data does not
    info = d.sgd_report([], lr=lr, lam_max=lam_max, lam_example=lam_example)
    assert info.level == "info" and f"{lam_example:.3g}" in info.text and "overshoots" in info.text
    assert d.sgd_report([], lr=0.01, lam_max=lam_max, lam_example=lam_example) == ("", "")
    with pytest.raises(ValueError, match="lr"):
        d.sgd_report([], lr=0.0, lam_max=lam_max, lam_example=lam_example)
