"""dlcore.calculus against closed forms, scipy.integrate and the textbook convergence orders."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate as sp_integrate

from dlcore.calculus import (
    CURVES,
    DIFFERENCES,
    OVERFLOW,
    RULES,
    approximant,
    chain_rule,
    convergence,
    derivative,
    describe,
    difference_errors,
    directional_derivatives,
    flow_vs_descent,
    gradient,
    gradient_check,
    gradient_descent,
    gradient_flow,
    integrability,
    integrate,
    integrate_loop,
    observed_order,
    reference_integral,
    scan,
    surface_grid,
    univariate,
    where,
)
from dlcore.expr import parse
from dlcore.objectives import OBJECTIVES, ellipse

# ---------------------------------------------------------------- derivatives


@pytest.mark.parametrize("method", sorted(DIFFERENCES))
def test_differences_converge_at_their_order(method):
    x = np.linspace(-2, 2, 9)
    order = DIFFERENCES[method].order
    e1 = np.abs(derivative(np.sin, x, h=1e-2, method=method) - np.cos(x)).max()
    e2 = np.abs(derivative(np.sin, x, h=5e-3, method=method) - np.cos(x)).max()
    assert e1 / e2 == pytest.approx(2.0**order, rel=0.05)
    assert np.abs(derivative(np.exp, x, h=1e-6, method=method) - np.exp(x)).max() < 1e-4


def test_derivative_of_a_quadratic_is_exact_for_central_differences():
    x = np.array([-1.0, 0.5, 3.0])
    np.testing.assert_allclose(derivative(lambda t: 3 * t**2 - t, x, h=0.1), 6 * x - 1, rtol=1e-12)
    np.testing.assert_allclose(
        derivative(lambda t: 3 * t**2 - t, x, h=0.1, method="forward"), 6 * x - 1 + 0.3, rtol=1e-12
    )


def test_derivative_broadcasts_over_steps_and_points():
    hs = np.logspace(-8, -1, 5)
    d = derivative(np.sin, np.array([0.0, 1.0, 2.0])[None, :], h=hs[:, None])
    assert d.shape == (5, 3)


def test_error_against_h_shows_the_v():
    hs = np.logspace(-13, 0, 40)
    errors = difference_errors(np.exp, math.exp(1.0), 1.0, hs)
    for method, (_, order) in DIFFERENCES.items():
        e = errors[method]
        best = int(np.argmin(e))
        assert 0 < best < len(hs) - 1, "truncation falls and round-off rises: the minimum is inside"
        big = hs > 1e-3
        slope = np.polyfit(np.log(hs[big]), np.log(e[big]), 1)[0]
        assert slope == pytest.approx(order, abs=0.25)
    # the best central step is near eps^(1/3), the best one-sided near eps^(1/2)
    assert 1e-7 < hs[np.argmin(errors["central"])] < 1e-3
    assert 1e-10 < hs[np.argmin(errors["forward"])] < 1e-6


def test_derivative_refuses_bad_arguments():
    with pytest.raises(ValueError, match="method"):
        derivative(np.sin, 1.0, method="sideways")
    with pytest.raises(ValueError, match="h must be > 0"):
        derivative(np.sin, 1.0, h=0.0)


@pytest.mark.parametrize("name", sorted(OBJECTIVES))
def test_gradient_and_gradient_check_on_every_objective(name):
    obj = OBJECTIVES[name]
    rng = np.random.default_rng(3)
    (x0, x1), (y0, y1) = obj.bounds
    p = np.stack([rng.uniform(x0, x1, 20), rng.uniform(y0, y1, 20)], -1)
    np.testing.assert_allclose(gradient(obj.f, p), obj.grad(p), rtol=1e-5, atol=1e-5)
    assert gradient_check(obj.f, obj.grad, p) < 1e-7

    def wrong(q):
        return obj.grad(q) * np.array([1.0, -1.0])

    assert gradient_check(obj.f, wrong, p) > 1e-2


def test_gradient_check_flags_a_shape_mistake():
    with pytest.raises(ValueError, match="shape"):
        gradient_check(OBJECTIVES["Saddle"].f, lambda p: p[..., 0], np.zeros((3, 2)))


def test_directional_derivative_is_largest_along_the_gradient():
    g = np.array([3.0, -4.0])
    angles = np.linspace(-np.pi, np.pi, 3601)
    d = directional_derivatives(g, angles)
    assert d.max() == pytest.approx(5.0, rel=1e-6)
    assert angles[np.argmax(d)] == pytest.approx(math.atan2(-4, 3), abs=2e-3)
    assert directional_derivatives(g, [math.atan2(-4, 3) + math.pi / 2])[0] == pytest.approx(
        0.0, abs=1e-12
    )
    obj = OBJECTIVES["Himmelblau"]
    p, theta, h = np.array([1.0, 0.5]), 0.7, 1e-6
    u = np.array([math.cos(theta), math.sin(theta)])
    fd = (obj.f(p + h * u) - obj.f(p - h * u)) / (2 * h)
    assert directional_derivatives(obj.grad(p), [theta])[0] == pytest.approx(fd, rel=1e-7)


def test_chain_rule_steps():
    r = chain_rule(parse("sin(u)", ("u",)), parse("x**2 + 1", ("x",)), 1.3)
    assert r.inner == pytest.approx(2.69)
    assert r.outer == pytest.approx(math.sin(2.69))
    assert r.inner_derivative == pytest.approx(2.6)
    assert r.outer_derivative == pytest.approx(math.cos(2.69))
    assert r.product == pytest.approx(math.cos(2.69) * 2.6, rel=1e-12)
    assert r.numerical == pytest.approx(r.product, rel=1e-8)
    with pytest.raises(ValueError, match="one variable"):
        chain_rule(parse("x*y"), parse("x", ("x",)), 1.0)


# ---------------------------------------------------------------- integration

CLOSED_FORMS = [
    (np.sin, 0.0, math.pi, 2.0),
    (np.exp, -1.0, 2.0, math.exp(2) - math.exp(-1)),
    (lambda x: 1 / (1 + x**2), 0.0, 1.0, math.pi / 4),
    (lambda x: x**3 - 2 * x, -1.0, 3.0, (3**4 / 4 - 9) - (1 / 4 - 1)),
]


@pytest.mark.parametrize("rule", sorted(RULES))
@pytest.mark.parametrize("f, a, b, exact", CLOSED_FORMS)
def test_rules_against_closed_forms_and_the_loop_reference(rule, f, a, b, exact):
    fine = integrate(f, a, b, n=2048, rule=rule)
    tolerance = {1: 1e-2, 2: 1e-5, 4: 1e-11}[RULES[rule].order] * max(1.0, abs(exact))
    assert fine == pytest.approx(exact, abs=tolerance)
    for n in (2, 6, 50):
        assert integrate(f, a, b, n=n, rule=rule) == pytest.approx(
            integrate_loop(f, a, b, n=n, rule=rule), rel=1e-13, abs=1e-13
        )


@pytest.mark.parametrize("rule", ["trapezoid", "simpson"])
def test_rules_agree_with_scipy(rule):
    x = np.linspace(0.0, 2.0, 65)
    y = np.exp(-x) * np.cos(3 * x)
    ours = integrate(lambda t: np.exp(-t) * np.cos(3 * t), 0.0, 2.0, n=64, rule=rule)
    ref = sp_integrate.trapezoid(y, x) if rule == "trapezoid" else sp_integrate.simpson(y, x=x)
    assert ours == pytest.approx(ref, rel=1e-13)
    quad, _ = sp_integrate.quad(lambda t: math.exp(-t) * math.cos(3 * t), 0.0, 2.0)
    assert integrate(lambda t: np.exp(-t) * np.cos(3 * t), 0.0, 2.0, n=512) == pytest.approx(
        quad, rel=1e-8
    )


def test_convergence_orders_are_1_2_and_4():
    ns = 2 ** np.arange(2, 10)
    errors = convergence(np.exp, 0.0, 1.0, math.e - 1, ns)
    for rule, (_, order) in RULES.items():
        assert observed_order(ns, errors[rule]) == pytest.approx(order, abs=0.1), rule
    # the trapezoid error is about twice the midpoint's, with opposite sign
    assert errors["trapezoid"][-1] / errors["midpoint"][-1] == pytest.approx(2.0, rel=0.01)


def test_exactness_on_polynomials():
    assert integrate(lambda x: 2 * x + 1, 0, 3, n=1, rule="trapezoid") == pytest.approx(
        12.0, rel=1e-15
    )
    assert integrate(lambda x: 2 * x + 1, 0, 3, n=1, rule="midpoint") == pytest.approx(
        12.0, rel=1e-15
    )
    assert integrate(lambda x: x**3, 0, 2, n=2, rule="simpson") == pytest.approx(4.0, rel=1e-15)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_approximant_has_the_rules_integral(rule):
    a, b, n = 0.0, 2.0, 8
    shape = approximant(np.exp, a, b, n=n, rule=rule, samples=401)
    assert shape.x[0] == pytest.approx(a) and shape.x[-1] == pytest.approx(b)
    assert np.all(np.diff(shape.x) >= 0)
    area = np.trapezoid(shape.y, shape.x)
    rel = 1e-6 if rule == "simpson" else 1e-13
    assert area == pytest.approx(integrate(np.exp, a, b, n=n, rule=rule), rel=rel)


def test_integration_refuses_bad_arguments():
    with pytest.raises(ValueError, match="even"):
        integrate(np.sin, 0, 1, n=3, rule="simpson")
    with pytest.raises(ValueError, match="a must be below b"):
        integrate(np.sin, 1, 1, n=4)
    with pytest.raises(ValueError, match="rule"):
        integrate(np.sin, 0, 1, n=4, rule="gauss")
    with pytest.raises(ValueError, match="n must be an integer"):
        integrate(np.sin, 0, 1, n=0)
    with pytest.raises(ValueError, match="above round-off"):
        observed_order([1, 2], [0.0, 0.0])


# ---------------------------------------------------------------- gradient flow


@pytest.mark.parametrize("name", ["Rosenbrock", "Himmelblau", "Six-hump camel", "Saddle"])
def test_gradient_flow_matches_scipy_solve_ivp(name):
    obj = OBJECTIVES[name]
    flow = gradient_flow(obj.grad, obj.start, t_end=1.0, n_points=50)
    ref = sp_integrate.solve_ivp(
        lambda t, p: -obj.grad(p),
        (0.0, 1.0),
        obj.start,
        method="DOP853",
        t_eval=flow.t,
        rtol=1e-11,
        atol=1e-12,
    )
    assert flow.diverged_at == -1 and flow.points.shape == (50, 2)
    np.testing.assert_allclose(flow.points, ref.y.T, rtol=1e-4, atol=1e-6)


def test_gradient_flow_on_a_stiff_quadratic_is_the_exponential():
    obj = ellipse(200.0)
    flow = gradient_flow(obj.grad, [1.0, 1.0], t_end=2.0, n_points=21)
    exact = np.stack([np.exp(-flow.t), np.exp(-200 * flow.t)], -1)
    np.testing.assert_allclose(flow.points, exact, atol=1e-6)


def test_gradient_flow_reports_running_out_of_budget():
    flow = gradient_flow(ellipse(1e5).grad, [1.0, 1.0], t_end=10.0, n_points=11, max_steps=50)
    assert flow.diverged_at > 0 and np.isnan(flow.points[-1]).all()


def test_gradient_descent_is_euler_on_the_flow():
    obj = OBJECTIVES["Rosenbrock"]
    steps = gradient_descent(obj.grad, obj.start, lr=1e-4, steps=3)
    x = np.array(obj.start)
    for k in range(3):
        x = x - 1e-4 * obj.grad(x)
        np.testing.assert_allclose(steps.points[k + 1], x, rtol=1e-15)
    np.testing.assert_allclose(steps.t, [0.0, 1e-4, 2e-4, 3e-4])
    # Euler's global error is O(lr): halving the learning rate halves the gap to the flow at t = 0.05
    obj = OBJECTIVES["Himmelblau"]
    flow = gradient_flow(obj.grad, obj.start, t_end=0.05, n_points=2, rtol=1e-11)
    gaps = [
        np.linalg.norm(
            gradient_descent(obj.grad, obj.start, lr=lr, steps=round(0.05 / lr)).points[-1]
            - flow.points[-1]
        )
        for lr in (2e-3, 1e-3)
    ]
    assert gaps[0] / gaps[1] == pytest.approx(2.0, rel=0.1)


def test_gradient_descent_divergence_is_detected_and_frozen():
    bowl = OBJECTIVES["Quadratic bowl"]
    good = gradient_descent(bowl.grad, [1.0, 1.0], lr=0.5, steps=40)
    assert good.diverged_at == -1 and np.abs(good.points[-1]).max() < 1e-10
    bad = gradient_descent(bowl.grad, [1.0, 1.0], lr=3.0, steps=1000)
    assert bad.diverged_at > 0 and np.all(np.isfinite(bad.points))
    np.testing.assert_array_equal(bad.points[-1], bad.points[bad.diverged_at - 1])
    early = gradient_descent(bowl.grad, [1.0, 1.0], lr=3.0, steps=50, escape=1e3)
    assert early.diverged_at == 10  # |x_k| = 2^k passes 1e3 at k = 10
    with pytest.raises(ValueError, match="lr"):
        gradient_descent(bowl.grad, [1.0, 1.0], lr=0.0, steps=5)


def test_flow_vs_descent_samples_both_at_the_same_times():
    obj = OBJECTIVES["Ill-conditioned ellipse"]
    small = flow_vs_descent(obj.grad, obj.start, lr=0.01, steps=50)
    assert small.flow.points.shape == small.descent.points.shape == (51, 2)
    np.testing.assert_allclose(small.flow.t, small.descent.t)
    assert small.gap[0] == 0 and small.gap.max() < 0.05
    big = flow_vs_descent(obj.grad, obj.start, lr=0.3, steps=40)
    assert 0 < big.descent.diverged_at < 40 and big.gap.max() > 10


@pytest.mark.parametrize("name", sorted(CURVES))
def test_every_preset_curve_has_an_exact_derivative(name):
    curve = CURVES[name]
    f = univariate(curve.text)
    lo, hi = curve.domain
    x = np.linspace(lo, hi, 101)
    x = x[np.abs(x) > 1e-3]  # the kink of abs(x)
    assert np.all(np.isfinite(f(x))), "a preset is defined on its whole domain"
    np.testing.assert_allclose(f.prime(x), derivative(f, x, h=1e-6), rtol=1e-6, atol=1e-7)
    assert curve.latex == f.latex and curve.name == name


def test_univariate_wraps_any_variable_and_hashes():
    f = univariate("t**2", "t")
    assert float(f(3.0)) == 9.0 and float(f.prime(3.0)) == 6.0
    assert f == univariate("t**2", "t") and hash(f) == hash(univariate("t**2", "t"))


def test_surface_grid_evaluates_f_and_the_gradient():
    obj = OBJECTIVES["Rosenbrock"]
    grid = surface_grid(obj.f, obj.grad, obj.bounds, n=31, every=10)
    assert grid.xs.shape == (31,) and grid.ys.shape == (31,) and grid.z.shape == (31, 31)
    assert grid.z[4, 7] == pytest.approx(float(obj.f(np.array([grid.xs[7], grid.ys[4]]))))
    assert grid.arrows.shape == (9, 2)
    np.testing.assert_allclose(grid.gradients, obj.grad(grid.arrows))


def test_gradient_flow_settles_at_a_minimum_without_exhausting_its_budget():
    obj = OBJECTIVES["Himmelblau"]
    flow = gradient_flow(obj.grad, obj.start, t_end=200.0, n_points=201, max_steps=3000)
    assert flow.diverged_at == -1
    end = flow.points[-1]
    assert min(np.linalg.norm(end - np.array(m)) for m in obj.minima) < 1e-4
    np.testing.assert_array_equal(flow.points[-1], flow.points[-50])


# ------------------------------------------------- where a formula misbehaves


def test_scan_finds_where_log_is_undefined_and_absorbs_log_0():
    found = scan(univariate("log(x)"), -3.0, 3.0)
    ((start, end),) = found.undefined
    assert start == -3.0 and abs(end) < 1e-9
    assert found.overflow == () and found.singularities == ()  # log(0) = -inf ends the stretch
    assert describe(found, "log(x)") == ("log(x) is undefined for x ≤ 0",)


def test_scan_finds_where_exp_overflows():
    found = scan(univariate("exp(1000*x)"), -2.4, 1.8)
    ((start, end),) = found.overflow
    assert start == pytest.approx(math.log(OVERFLOW) / 1000, rel=1e-9) and end == 1.8
    assert found.undefined == () and found.singularities == ()


@pytest.mark.parametrize(
    ("text", "lo", "hi", "at", "order"),
    [
        ("1/x", -2.4, 1.8, [0.0], 1.0),  # the pole falls between samples
        ("1/x", -3.0, 3.0, [0.0], 1.0),  # ... or on one (1/0 = inf)
        ("1/x**2", -1.0, 1.0, [0.0], 2.0),
        ("1/(x - 0.3)", 0.0, 1.0, [0.3], 1.0),
        ("1/x", 0.0, 1.0, [0.0], 1.0),  # at an end of the interval
        ("tan(x)", -2.4, 1.8, [-math.pi / 2, math.pi / 2], 1.0),
        ("1/(1 - x**2)", -3.0, 3.0, [-1.0, 1.0], 1.0),
        ("1/sqrt(abs(x))", -2.4, 1.8, [0.0], 0.5),
        ("abs(x)**-0.45", -1.0, 1.0, [0.0], 0.45),
    ],
)
def test_scan_locates_poles_and_estimates_their_order(text, lo, hi, at, order):
    found = scan(univariate(text), lo, hi)
    assert [s.at for s in found.singularities] == pytest.approx(at, abs=1e-9)
    for s in found.singularities:
        assert s.order == pytest.approx(order, abs=2e-3)
        assert s.integrable == (order < 1)


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        *[(c.text, *c.domain) for c in CURVES.values()],
        ("sin(50*x)", -3.0, 3.0),  # many smooth maxima
        ("exp(-x**2 / 1e-8)", -1.0, 1.0),  # a spike far narrower than the samples, but bounded
        ("1/(x**2 + 1e-6)", -1.0, 1.0),  # tall (1e6) but finite
        ("sin(x)/x", -3.0, 3.0),  # 0/0 on a sample: a removable hole, not a pole
        ("log(abs(x))", -3.0, 3.0),  # -inf at 0, integrable: grows slower than any power
        ("1/x", 1e-12, 1.0),  # the pole is just outside
    ],
)
def test_scan_leaves_bounded_functions_alone(text, lo, hi):
    found = scan(univariate(text), lo, hi)
    assert found.clean, found


def test_where_puts_stretches_in_words():
    assert where((-2.4, 0.0), -2.4, 1.8) == "x ≤ 0"
    assert where((0.690775, 1.8), -2.4, 1.8) == "x ≥ 0.691"
    assert where((-1.0, 1.0), -3.0, 3.0) == "-1 ≤ x ≤ 1"
    assert where((-3.0, 3.0), -3.0, 3.0) == "every x"
    assert where((1e-17, 1e-17), -1.0, 1.0) == "x = 0"  # rounding noise next to 0


def test_integrability_refuses_what_has_no_integral():
    # issue 15: a rule's sum over a pole is some number (Simpson: -9.22 for 1/x on [-2.4, 1.8])
    f = univariate("1/x")
    assert reference_integral(f, -2.4, 1.8) == pytest.approx(-9.2248, abs=1e-3)
    pole = integrability(f, -2.4, 1.8, name="1/x")
    assert not pole.integrable and pole.kind == "diverges"
    assert pole.message.startswith("The integral of 1/x over [-2.4, 1.8] diverges: near x = 0,")
    assert "avoids x = 0" in pole.message
    log = integrability(univariate("log(x)"), -2.4, 1.8, name="log(x)")
    assert (log.integrable, log.kind) == (False, "undefined")
    assert log.message == (
        "log(x) is undefined for x ≤ 0, which lies in [-2.4, 1.8]: narrow the interval to where "
        "it is defined."
    )
    big = integrability(univariate("exp(1000*x)"), -2.4, 1.8, name="exp(1000*x)")
    assert (big.integrable, big.kind) == (False, "overflow") and "x ≥ 0.691" in big.message
    tan = integrability(univariate("tan(x)"), -2.4, 1.8)
    assert tan.kind == "diverges" and "x = -1.57 and x = 1.57" in tan.message


def test_integrability_accepts_integrable_singularities_with_a_note():
    f = univariate("1/sqrt(abs(x))")
    root = integrability(f, -2.4, 1.8)
    assert (root.integrable, root.kind, root.message) == (True, "singular", "")
    assert "integrable singularity at x = 0" in root.note
    exact = 2 * (math.sqrt(2.4) + math.sqrt(1.8))  # the integral exists
    assert reference_integral(f, -2.4, 1.8) == pytest.approx(exact, rel=1e-3)
    smooth = integrability(univariate("sin(x)"), -4.0, 4.0)
    assert (smooth.integrable, smooth.kind, smooth.message, smooth.note) == (True, "finite", "", "")


def test_scan_refuses_bad_arguments():
    with pytest.raises(ValueError, match="lo must be below hi"):
        scan(univariate("x"), 1.0, 1.0)
    with pytest.raises(ValueError, match="n must be"):
        scan(univariate("x"), 0.0, 1.0, n=2)
