"""dlcore.differentiation against closed forms and the textbook orders of finite differences."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlcore.calculus import derivative, gradient, gradient_check
from dlcore.differentiation import (
    CURVES,
    DIFFERENCES,
    chain_rule,
    difference_errors,
    directional_derivatives,
    surface_with_gradients,
    univariate,
)
from dlcore.expr import parse
from dlcore.objectives import OBJECTIVES

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
    grid = surface_with_gradients(obj.f, obj.grad, obj.bounds, n=31, every=10)
    assert grid.xs.shape == (31,) and grid.ys.shape == (31,) and grid.z.shape == (31, 31)
    assert grid.z[4, 7] == pytest.approx(float(obj.f(np.array([grid.xs[7], grid.ys[4]]))))
    assert grid.arrows.shape == (9, 2)
    np.testing.assert_allclose(grid.gradients, obj.grad(grid.arrows))
