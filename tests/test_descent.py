"""dlcore.descent in one dimension: regimes, presets and verdicts against hand-derived values and finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore import descent as d
from dlcore import minibatch
from dlcore.optim import SGD, minimize

CURVATURES = [0.3, 1.0, 2.0, 3.0, 7.0, 49.0, 1000.0]


def _fd(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


def _gd_1d(fn, x0, lr, steps):
    """Gradient descent on a 1-D function through dlcore.optim, as the page runs it."""
    run = minimize(d.CurveObjective(fn), SGD(lr=lr), [x0], steps)
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
    assert np.all(np.isfinite(points)) and np.max(np.abs(points)) <= minibatch.DIVERGENCE_BOUND
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
    c = d.CurveObjective(d.Quadratic1D(curvature=4.0))
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
