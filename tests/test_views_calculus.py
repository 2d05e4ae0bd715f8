"""dlcore.views.calculus: each panel's numbers against closed forms, degenerate cases included."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlcore import calculus as calc
from dlcore import differentiation
from dlcore.views import calculus as views

# --------------------------------------------------------------- the function


def test_function_view_parses_and_scans_the_plot_range():
    fn = views.function_view("x**3 - 2*x", -2.0, 2.0)
    assert fn.latex == "x^{3} - 2 x" and fn.prime_latex == "3 x^{2} - 2"
    assert fn.problems == () and fn.note == ""
    log = views.function_view("log(x)", -3.0, 3.0)
    assert log.problems == ("log(x) is undefined for x ≤ 0",)
    assert log.note == "On this range log(x) is undefined for x ≤ 0: the curve has gaps there."


def test_function_view_refuses_an_empty_range_and_a_bad_formula():
    with pytest.raises(ValueError, match="plot range is empty"):
        views.function_view("x", 1.0, 1.0)
    with pytest.raises(ValueError, match="not an allowed function"):
        views.function_view("__import__('os')", -1.0, 1.0)


def test_point_problem_says_where_f_is_undefined_and_when_only_f_prime_is():
    log = differentiation.univariate("log(x)")
    assert views.point_problem(log, -3.0, 3.0, 1.0) == ""
    assert views.point_problem(log, -3.0, 3.0, -0.9) == (
        "log(x) is undefined for x ≤ 0, and x₀ = -0.9 lies there: move x₀ to where f is defined."
    )
    # sqrt is defined at 0 but its derivative 1 / (2 sqrt(x)) is not
    root = views.point_problem(differentiation.univariate("sqrt(x)"), 0.0, 4.0, 0.0)
    assert root == "f′ is not defined at x₀ = 0 (its value is inf): move x₀."
    # an overflow stretch that holds x0, not the undefined one elsewhere
    both = views.point_problem(differentiation.univariate("exp(1000*x)"), -3.0, 3.0, 1.0)
    assert both.startswith("exp(1000*x) overflows float64") and "x ≥ 0.691" in both


# ------------------------------------------------------------- the derivative


def test_derivative_view_matches_the_closed_form():
    x0, h = 0.7, 0.1
    v = views.derivative_view("sin(x)", -4.0, 4.0, x0, h)
    assert v.f0 == pytest.approx(math.sin(x0)) and v.slope == pytest.approx(math.cos(x0))
    secant = (math.sin(x0 + h) - math.sin(x0)) / h
    assert v.secant == pytest.approx(secant, rel=1e-12)
    assert v.gap == pytest.approx(secant - math.cos(x0), rel=1e-9)
    assert v.x.shape == v.fx.shape == v.dfx.shape == (401,)
    np.testing.assert_allclose(v.dfx, np.cos(v.x), atol=1e-15)
    assert v.hs.shape == (31,) and v.hs[0] == pytest.approx(4.0) and v.hs[-1] == pytest.approx(4e-3)
    np.testing.assert_allclose(v.secants, (np.sin(x0 + v.hs) - math.sin(x0)) / v.hs, rtol=1e-10)
    assert v.prime_latex == r"\cos\left(x\right)" and v.problem == ""


def test_derivative_view_reports_an_undefined_point_instead_of_raising():
    v = views.derivative_view("log(x)", -3.0, 3.0, -0.9, 2.0)
    assert math.isnan(v.f0) and "x₀ = -0.9 lies there" in v.problem


def test_differences_view_errors_and_best_steps():
    x0 = 1.0
    v = views.differences_view("exp(x)", -2.0, 2.0, x0, 1e-3)
    assert v.orders == {"forward": 1, "backward": 1, "central": 2}
    assert v.at_h["central"] == pytest.approx((math.exp(1.001) - math.exp(0.999)) / 2e-3)
    i = int(np.argmin(np.abs(v.hs - 1e-2)))  # truncation: e h / 2 forward, e h^2 / 6 central
    assert v.errors["forward"][i] == pytest.approx(math.e * v.hs[i] / 2, rel=0.01)
    assert v.errors["central"][i] == pytest.approx(math.e * v.hs[i] ** 2 / 6, rel=0.01)
    # the bottom of the V: sqrt(eps) for one-sided quotients, eps^(1/3) for central ones
    assert 1e-10 <= v.best_h["forward"] <= 1e-6 and 1e-7 <= v.best_h["central"] <= 1e-3
    assert not v.flat and v.problem == ""


def test_differences_view_flat_and_undefined_cases_say_so():
    flat = views.differences_view("1", -1.0, 1.0, 0.2, 0.1)
    assert flat.flat and flat.best_h == {} and "flat" in flat.problem
    bad = views.differences_view("log(x)", -3.0, 3.0, -0.9, 0.1)
    assert bad.errors == {} and not bad.flat and "lies there" in bad.problem


# ----------------------------------------------------------------- integration


def test_integration_view_against_closed_forms():
    v = views.integration_view("x**2", 0.0, 1.0, 2, "simpson")
    assert v.area == pytest.approx(1 / 3, rel=1e-14) and v.exact == pytest.approx(1 / 3)
    assert abs(v.error) < 1e-14 and v.check.kind == "finite"
    mid = views.integration_view("sin(x)", -3.0, 1.2, 6, "midpoint")
    exact = math.cos(-3.0) - math.cos(1.2)
    assert mid.exact == pytest.approx(exact, rel=1e-12)
    dx = 4.2 / 6
    assert mid.area == pytest.approx(dx * np.sin(-3.0 + dx * (np.arange(6) + 0.5)).sum())
    assert mid.nodes.shape == (7,) and mid.ns.tolist() == [2**k for k in range(1, 13)]
    assert mid.fitted == pytest.approx(
        {"left": 1, "right": 1, "midpoint": 2, "trapezoid": 2, "simpson": 4}, abs=0.2
    )
    np.testing.assert_allclose(
        mid.errors["trapezoid"][0],
        abs(calc.integrate(np.sin, -3.0, 1.2, n=2, rule="trapezoid") - exact),
        rtol=1e-6,
    )


def test_integration_view_log_on_the_default_interval_is_a_message_not_an_exception():
    # issue 15: convergence() raised ValueError("exact must be finite") here
    v = views.integration_view("log(x)", -2.4, 1.8, 6, "midpoint")
    assert not v.check.integrable and v.check.kind == "undefined"
    assert "log(x) is undefined for x ≤ 0, which lies in [-2.4, 1.8]" in v.check.message
    assert v.shape is None and v.errors == {} and math.isnan(v.area)
    assert v.x.shape == v.fx.shape == (401,)  # the curve is still there to draw
    over = views.integration_view("exp(1000*x)", -2.4, 1.8, 6, "midpoint")
    assert over.check.kind == "overflow" and over.errors == {}


def test_integration_view_over_a_pole_diverges_instead_of_showing_a_sum():
    # issue 15: 1/x on [-2.4, 1.8] was shown as -9.22
    v = views.integration_view("1/x", -2.4, 1.8, 6, "midpoint")
    assert v.check.kind == "diverges" and "diverges" in v.check.message
    assert math.isnan(v.area) and math.isnan(v.exact) and v.fitted == {}
    clear = views.integration_view("1/x", 0.2, 1.8, 64, "simpson")
    assert clear.check.integrable and clear.exact == pytest.approx(math.log(9), rel=1e-12)


def test_integration_view_refuses_bad_intervals_and_rules():
    with pytest.raises(ValueError, match="a < b"):
        views.integration_view("x", 1.0, 1.0, 4, "left")
    with pytest.raises(ValueError, match="even"):
        views.integration_view("x", 0.0, 1.0, 3, "simpson")
    with pytest.raises(ValueError, match="rule"):
        views.integration_view("x", 0.0, 1.0, 4, "gauss")


# ------------------------------------------------------------------ chain rule


def test_chain_view_steps_and_check():
    v = views.chain_view("sin(u)", "x**2 + 1", 0.5)
    r = v.rule
    assert r.inner == 1.25 and r.outer == pytest.approx(math.sin(1.25))
    assert r.inner_derivative == 1.0 and r.outer_derivative == pytest.approx(math.cos(1.25))
    assert r.product == pytest.approx(math.cos(1.25))
    assert v.relative == pytest.approx(abs(r.product - r.numerical) / abs(r.product))
    assert v.relative < 1e-8
    assert v.composite_latex == r"\sin\left(x^{2} + 1\right)"
    assert v.outer_prime_at_u == r"\cos\left(1.25\right)"


def test_chain_view_undefined_composition_raises_a_message():
    with pytest.raises(ValueError, match="not defined at x = 0.5"):
        views.chain_view("log(u)", "x - 2", 0.5)
    with pytest.raises(ValueError):
        views.chain_view("sin(x)", "x", 0.5)  # the outer formula is in u


# ------------------------------------------------------------------- gradients


def test_surface_choice_and_surface():
    assert views.surface_choice(views.OWN) == (views.OWN_BOUNDS, views.OWN_START)
    bowl = views.surface_choice("Quadratic bowl")
    assert bowl.bounds == ((-3.0, 3.0), (-3.0, 3.0)) and bowl.start == (-2.5, 1.5)
    own = views.surface(views.OWN, "x**2 + y")
    assert own.bounds == views.OWN_BOUNDS and own.start == views.OWN_START
    with pytest.raises(ValueError, match="surface"):
        views.surface_choice("Nowhere")


def test_gradient_view_on_the_bowl():
    v = views.gradient_view("Quadratic bowl", "", 1.0, -2.0, 30)
    np.testing.assert_allclose(v.grad, [1.0, -2.0])
    assert v.norm == pytest.approx(math.sqrt(5))
    c, s = math.cos(math.radians(30)), math.sin(math.radians(30))
    np.testing.assert_allclose(v.u, [c, s])
    assert v.du == pytest.approx(c - 2 * s)
    assert v.grad_angle == pytest.approx(math.degrees(math.atan2(-2, 1)))
    assert v.directional.max() == pytest.approx(v.norm, rel=1e-3)  # along the gradient
    assert v.angles.shape == v.directional.shape == (181,)
    assert v.grid.z.shape == (121, 121) and v.problem == "" and v.title == "Quadratic bowl"


def test_gradient_view_undefined_gradient_and_bad_formula():
    v = views.gradient_view(views.OWN, "log(x) + y", -1.0, 0.0, 0)
    assert v.problem == "f is not defined at (-1, 0) (its value is nan); move the point."
    assert np.isnan(v.directional).all() and v.title == "log(x) + y"
    # sqrt is defined at 0, its derivative 1 / (2 sqrt(x)) is not
    root = views.gradient_view(views.OWN, "sqrt(x) + y", 0.0, 1.0, 0)
    assert root.problem == "The gradient is not defined at (0, 1); move the point."
    with pytest.raises(ValueError, match="unknown name 'z'"):
        views.gradient_view(views.OWN, "x + z", 0.0, 0.0, 0)


# --------------------------------------------------------------- gradient flow


def test_divergence_verdict_blames_the_rate_or_the_surface():
    assert views.divergence_verdict("Bowl", -1, bounded=True) == ""
    rate = views.divergence_verdict("Bowl", 7, bounded=True)
    assert rate.startswith("Gradient descent diverged at step 7:") and "2 / (largest" in rate
    saddle = views.divergence_verdict("Saddle", 65, bounded=False)
    assert "Saddle is unbounded below" in saddle and "2 / (largest" not in saddle


def test_flow_view_small_rate_follows_the_flow_and_large_rate_diverges():
    small = views.flow_view("Ill-conditioned ellipse", 0.01, 40)
    assert small.divergence == "" and small.t_end == pytest.approx(0.4)
    assert small.comparison.gap.max() < 0.05 and set(small.columns) == {
        "t",
        "gd_x",
        "gd_y",
        "flow_x",
        "flow_y",
    }
    assert all(c.shape == (41,) for c in small.columns.values())
    # curvature 10: Euler is unstable once lr > 2 / 10
    big = views.flow_view("Ill-conditioned ellipse", 0.3, 40)
    assert "2 / (largest curvature)" in big.divergence
    saddle = views.flow_view("Saddle", 0.1, 200)
    assert "unbounded below" in saddle.divergence
