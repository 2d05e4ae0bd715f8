"""dlcore.gradflow against scipy.integrate.solve_ivp, closed forms and gradient descent as its Euler steps."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate as sp_integrate

from dlcore.calculus import gradient_flow
from dlcore.gradflow import flow_vs_descent, gradient_descent
from dlcore.objectives import OBJECTIVES, ellipse

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


def test_gradient_flow_settles_at_a_minimum_without_exhausting_its_budget():
    obj = OBJECTIVES["Himmelblau"]
    flow = gradient_flow(obj.grad, obj.start, t_end=200.0, n_points=201, max_steps=3000)
    assert flow.diverged_at == -1
    end = flow.points[-1]
    assert min(np.linalg.norm(end - np.array(m)) for m in obj.minima) < 1e-4
    np.testing.assert_array_equal(flow.points[-1], flow.points[-50])
