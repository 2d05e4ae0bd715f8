"""Gradient flow: the ODE dx/dt = -grad f solved accurately, next to gradient descent.

:func:`gradient_flow` integrates the flow with an adaptive Dormand-Prince 5(4)
method (the method of scipy's RK45); :func:`gradient_descent` is its Euler
discretisation with step ``lr``, and :func:`flow_vs_descent` runs both from
one start so the lab can show where they part ways.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlcore._validation import (
    check_array,
    check_int,
    check_positive,
    check_range,
)
from dlcore.differentiation import Fn, call_quietly

# ----------------------------------------------------------------------------
# Gradient flow and gradient descent


class Flow(NamedTuple):
    """A path through the plane: times and points, and where it left the finite range."""

    t: np.ndarray  # shape (m,)
    points: np.ndarray  # shape (m, d)
    diverged_at: int  # first index with a non-finite point, -1 if none


# Dormand-Prince 5(4) coefficients (the method of scipy's RK45 and MATLAB's ode45):
# row s of _DP_A weights the earlier slopes k_0..k_{s-1} for stage s.
_DP_A = [
    np.array(row)
    for row in (
        (),
        (1 / 5,),
        (3 / 40, 9 / 40),
        (44 / 45, -56 / 15, 32 / 9),
        (19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729),
        (9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656),
        (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84),
    )
]
_DP_B5 = np.array([35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0.0])
_DP_B4 = np.array([5179 / 57600, 0.0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40])
_DP_E = _DP_B5 - _DP_B4


def _dp_step(rhs: Fn, x: np.ndarray, k1: np.ndarray, dt: float, rtol: float):
    """One Dormand-Prince step from x with slope k1 = rhs(x).

    Returns the 5th-order point, the slope there (the last stage: "first same
    as last", so the next step needs no extra evaluation) and the error
    estimate relative to the tolerance (accept the step when <= 1).
    """
    k = np.empty((7, x.size))
    k[0] = k1
    with np.errstate(
        all="ignore"
    ):  # a trial step too long for a steep surface may overflow; it is rejected
        for stage in range(1, 7):
            k[stage] = rhs(x + dt * (_DP_A[stage] @ k[:stage]))
        x5 = x + dt * (_DP_B5 @ k)
        delta = dt * (_DP_E @ k)
        scale = rtol * (1e-3 + np.maximum(np.abs(x), np.abs(x5)))
        return x5, k[6], float(np.max(np.abs(delta) / scale))


def gradient_flow(
    grad: Fn, x0, *, t_end: float, n_points: int = 200, max_steps: int = 20000, rtol: float = 1e-6
) -> Flow:
    """Solve dx/dt = -grad f(x), x(0) = x0, accurately (adaptive Dormand-Prince 5(4)).

    Gradient descent with learning rate lr is Euler's method for this ODE:
    its k-th iterate approximates x(k lr).

    Parameters
    ----------
    grad : callable
        ``grad(p) -> ndarray of p's shape``.
    x0 : array_like of shape (d,)
    t_end : float
        Final time, > 0.
    n_points : int
        Output at ``n_points`` equally spaced times in [0, t_end].
    max_steps : int
        Budget of accepted and rejected steps (stiff, ill-conditioned surfaces
        need many); past it the rest of the path is NaN and ``diverged_at`` set.
    rtol : float
        Relative error allowed per step (absolute near 0: rtol * 1e-3); the
        default is far below what a plot can show.

    Returns
    -------
    Flow
        ``t`` of shape (n_points,), ``points`` of shape (n_points, d).
    """
    x = check_array("x0", x0, ndim=1).copy()
    t_end = check_positive("t_end", t_end)
    n_points = check_int("n_points", n_points, 2, 100_000)
    max_steps = check_int("max_steps", max_steps, 1, 10**7)
    rtol = check_range("rtol", rtol, 1e-13, 1e-2)

    def rhs(p):
        return -np.asarray(
            grad(p), dtype=float
        )  # _dp_step already silences overflow in trial steps

    times = np.linspace(0.0, t_end, n_points)
    points = np.full((n_points, x.size), np.nan)
    points[0] = x
    dt, steps, t, slope = t_end / n_points, 0, 0.0, rhs(x)
    for i in range(1, n_points):
        while t < times[i] and steps < max_steps:
            last = dt >= times[i] - t
            step = times[i] - t if last else dt
            candidate, candidate_slope, err = _dp_step(rhs, x, slope, step, rtol)
            steps += 1
            if not np.isfinite(err):
                dt = step / 10
            else:
                if err <= 1.0:
                    t, x, slope = (times[i] if last else t + step), candidate, candidate_slope
                # the standard controller: scale by (1/err)^(1/5), within [0.2, 5]
                dt = step * min(5.0, max(0.2, 0.9 * max(err, 1e-10) ** -0.2))
            if dt < 1e-12 * t_end:
                break
        if t < times[i]:
            return Flow(times, points, i)
        points[i] = x
        # Settled at a minimum: over the last two output intervals the path moved
        # no faster than the solver's own tolerance jitter. The rest is that
        # point (a stiff surface would otherwise burn the step budget standing still).
        if i >= 2 and np.max(np.abs(points[i - 2 : i] - points[i - 1 : i + 1])) < 10 * rtol * (
            1e-3 + np.max(np.abs(x))
        ) * (times[1] - times[0]):
            points[i + 1 :] = x
            break
    return Flow(times, points, -1)


def gradient_descent(grad: Fn, x0, *, lr: float, steps: int, escape: float = 1e150) -> Flow:
    """x_{k+1} = x_k - lr grad f(x_k): Euler's method on the gradient flow, t_k = k lr.

    Parameters
    ----------
    grad : callable
    x0 : array_like of shape (d,)
    lr : float
        Learning rate (the Euler time step), > 0.
    steps : int
    escape : float
        An iterate with a coordinate beyond +-escape (or not finite) counts as
        diverged.

    Returns
    -------
    Flow
        ``t`` of shape (steps + 1,), ``points`` of shape (steps + 1, d); after
        a divergence the points stay at the last iterate inside the range.
    """
    x = check_array("x0", x0, ndim=1)
    lr = check_positive("lr", lr)
    steps = check_int("steps", steps, 0, 10**6)
    escape = check_positive("escape", escape)
    points = np.empty((steps + 1, x.size))
    points[0] = x
    diverged_at = -1
    for k in range(steps):
        nxt = points[k] - lr * call_quietly(grad, points[k])
        if diverged_at < 0 and not np.all(np.abs(nxt) < escape):  # False for NaN too
            diverged_at = k + 1
        points[k + 1] = points[k] if diverged_at >= 0 else nxt
    return Flow(lr * np.arange(steps + 1), points, diverged_at)


class FlowComparison(NamedTuple):
    """Gradient descent next to the flow it discretises, at the same times t_k = k lr."""

    descent: Flow
    flow: Flow
    gap: np.ndarray  # shape (steps + 1,), |x_k - x(t_k)|


def flow_vs_descent(
    grad: Fn, x0, *, lr: float, steps: int, max_steps: int = 4000, escape: float = 1e6
) -> FlowComparison:
    """Run gradient descent and solve the gradient flow to t = steps * lr, sampled at the same times.

    Descent counts as diverged once a coordinate passes +-``escape``, far
    outside any plotted region, rather than waiting for float64 to overflow.
    """
    descent = gradient_descent(grad, x0, lr=lr, steps=steps, escape=escape)
    flow = gradient_flow(
        grad, x0, t_end=lr * max(steps, 1), n_points=max(steps, 1) + 1, max_steps=max_steps
    )
    gap = np.linalg.norm(descent.points - flow.points[: steps + 1], axis=-1)
    return FlowComparison(descent, flow, gap)
