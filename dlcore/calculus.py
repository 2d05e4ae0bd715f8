"""Calculus the way a computer does it: finite differences, quadrature, gradient flow.

* :func:`derivative` - forward, backward and central differences, vectorised
  over points and step sizes, so "error against h" is one call;
* :func:`gradient` and :func:`gradient_check` - the check every backprop
  implementation should pass (relative error of an analytic gradient against
  central differences);
* :func:`integrate` - left, right and midpoint Riemann sums, the trapezoid rule
  and Simpson's rule, with :func:`integrate_loop` as the readable reference
  and :func:`approximant` for drawing the shaded areas;
* :func:`chain_rule` - a composition g(h(x)) taken apart step by step;
* :func:`gradient_flow` and :func:`gradient_descent` - the ODE dx/dt = -grad f
  solved accurately, next to its Euler discretisation.

Functions ``f`` are callables on arrays (``f(x) -> ndarray``, or ``f(p)``
with ``p[..., d]`` for several variables), such as ``Expression.evaluate``
wrapped in a small function or an ``Objective.f``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import numpy as np

from dlcore._validation import (
    check_array,
    check_choice,
    check_int,
    check_number,
    check_positive,
    check_range,
)
from dlcore.expr import Expression, parse

__all__ = [
    "CURVES",
    "DIFFERENCES",
    "RULES",
    "Approximant",
    "ChainRule",
    "Curve",
    "Flow",
    "Integrability",
    "FlowComparison",
    "Scan",
    "Scheme",
    "Singularity",
    "SurfaceGrid",
    "Univariate",
    "approximant",
    "chain_rule",
    "convergence",
    "derivative",
    "difference_errors",
    "describe",
    "directional_derivatives",
    "flow_vs_descent",
    "gradient",
    "gradient_check",
    "gradient_descent",
    "gradient_flow",
    "integrate",
    "integrability",
    "integrate_loop",
    "observed_order",
    "reference_integral",
    "scan",
    "surface_grid",
    "univariate",
    "where",
]

Fn = Callable[[np.ndarray], np.ndarray]


class Scheme(NamedTuple):
    """A difference quotient or quadrature rule: its formula and its order of accuracy."""

    latex: str
    order: int  # the error falls like h^order (differences) or n^-order (rules) for smooth f


DIFFERENCES: dict[str, Scheme] = {
    "forward": Scheme(r"\frac{f(x + h) - f(x)}{h}", 1),
    "backward": Scheme(r"\frac{f(x) - f(x - h)}{h}", 1),
    "central": Scheme(r"\frac{f(x + h) - f(x - h)}{2h}", 2),
}

# Rules on n equal intervals x_i = a + i dx, dx = (b - a) / n.
RULES: dict[str, Scheme] = {
    "left": Scheme(r"\sum_{i=0}^{n-1} f(x_i)\,\Delta x", 1),
    "right": Scheme(r"\sum_{i=1}^{n} f(x_i)\,\Delta x", 1),
    "midpoint": Scheme(r"\sum_{i=0}^{n-1} f\!\left(\tfrac{x_i + x_{i+1}}{2}\right)\Delta x", 2),
    "trapezoid": Scheme(r"\sum_{i=0}^{n-1} \tfrac{f(x_i) + f(x_{i+1})}{2}\,\Delta x", 2),
    "simpson": Scheme(
        r"\tfrac{\Delta x}{3}\sum_{i=0}^{n/2-1}\left(f(x_{2i}) + 4f(x_{2i+1}) + f(x_{2i+2})\right)",
        4,
    ),
}


@dataclass(frozen=True)
class Univariate:
    """A parsed formula in one variable as a plain function ``f(x)``, with its exact derivative.

    A frozen dataclass rather than a closure, so it hashes and pickles.
    """

    expression: Expression

    def __call__(self, x) -> np.ndarray:
        return self.expression.evaluate(**{self.expression.variables[0]: x})

    @cached_property
    def prime(self) -> Univariate:
        """f' as a Univariate (exact, from the differentiated formula)."""
        return Univariate(self.expression.derivative())

    @property
    def latex(self) -> str:
        return self.expression.latex


def univariate(text: str, variable: str = "x") -> Univariate:
    """Parse ``text`` (safely, see :func:`dlcore.expr.parse`) as a function of ``variable``."""
    return Univariate(parse(text, (variable,)))


@dataclass(frozen=True)
class Curve:
    """A preset function of one variable: formula text, a domain worth plotting, LaTeX."""

    name: str
    text: str
    domain: tuple[float, float]
    latex: str


def _curve(name: str, text: str, domain: tuple[float, float]) -> Curve:
    return Curve(name, text, domain, univariate(text).latex)


CURVES: dict[str, Curve] = {
    c.name: c
    for c in (
        _curve("Sine", "sin(x)", (-4.0, 4.0)),
        _curve("Cubic", "x**3 - 2*x", (-2.0, 2.0)),
        _curve("Gaussian bump", "exp(-x**2 / 2)", (-3.0, 3.0)),
        _curve("Sigmoid", "sigmoid(x)", (-6.0, 6.0)),
        _curve("Tanh", "tanh(x)", (-3.0, 3.0)),
        _curve("Softplus", "softplus(x)", (-4.0, 4.0)),
        _curve("Logarithm", "log(x)", (0.2, 4.0)),
        _curve("Square root", "sqrt(x)", (0.05, 4.0)),
        _curve("Damped wave", "sin(3*x) * exp(-x**2 / 4)", (-3.0, 3.0)),
        _curve("Absolute value (a kink)", "abs(x)", (-2.0, 2.0)),
    )
}


def _call(f: Fn, x) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.asarray(f(x), dtype=float)


# ----------------------------------------------------------------------------
# Differentiation


def derivative(f: Fn, x, *, h=1e-5, method: str = "central") -> np.ndarray:
    """Finite-difference derivative of a function of one variable.

    Parameters
    ----------
    f : callable
        ``f(x) -> ndarray`` elementwise.
    x : array_like
        Points.
    h : float or array_like
        Step sizes > 0; broadcast against ``x`` (pass ``h[:, None]`` and
        ``x[None, :]`` for every pair).
    method : {"forward", "backward", "central"}

    Returns
    -------
    ndarray of the broadcast shape of x and h
        Forward and backward differences err by O(h), central by O(h^2),
        until round-off (about eps / h) takes over.
    """
    check_choice("method", method, DIFFERENCES)
    x = check_array("x", x, ndim=None)
    h = check_array("h", h, ndim=None)
    if np.any(h <= 0):
        raise ValueError(f"h must be > 0, got min {h.min():g}")
    if method == "forward":
        return (_call(f, x + h) - _call(f, x)) / h
    if method == "backward":
        return (_call(f, x) - _call(f, x - h)) / h
    return (_call(f, x + h) - _call(f, x - h)) / (2 * h)


def difference_errors(f: Fn, exact: float, x: float, hs) -> dict[str, np.ndarray]:
    """|finite difference - exact derivative| at ``x`` for each step in ``hs``, per method.

    Parameters
    ----------
    f : callable
    exact : float
        The exact derivative f'(x).
    x : float
    hs : array_like of shape (m,)
        Step sizes, typically ``np.logspace(-12, 0, m)``.

    Returns
    -------
    dict method -> ndarray of shape (m,)
    """
    exact = check_number("exact", exact)
    x = check_number("x", x)
    hs = check_array("hs", hs, ndim=1)
    return {m: np.abs(derivative(f, x, h=hs, method=m) - exact) for m in DIFFERENCES}


def gradient(f: Fn, x, *, h: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of a scalar function of several variables.

    Parameters
    ----------
    f : callable
        ``f(p) -> ndarray of shape p.shape[:-1]``, vectorised over ``p[..., d]``.
    x : array_like of shape (..., d)
    h : float
        Step along each coordinate.

    Returns
    -------
    ndarray of shape (..., d)
    """
    x = check_array("x", x, ndim=None)
    if x.ndim == 0:
        raise ValueError("x must have shape (..., d), got a scalar")
    h = check_positive("h", h)
    d = x.shape[-1]
    out = np.empty(x.shape)
    for i in range(d):  # d is 2 or 3 here: one pair of evaluations per coordinate
        step = np.zeros(d)
        step[i] = h
        out[..., i] = (_call(f, x + step) - _call(f, x - step)) / (2 * h)
    return out


def gradient_check(f: Fn, grad: Fn, x, *, h: float = 1e-6) -> float:
    """Relative error between an analytic gradient and central differences.

    ``|g - g_fd| / max(|g| + |g_fd|, tiny)`` over all points (the CS231n
    convention): about 1e-8 or less for a correct gradient in float64,
    1e-2 or more for a wrong one.

    Parameters
    ----------
    f : callable
        ``f(p)`` vectorised over ``p[..., d]``.
    grad : callable
        The gradient to check, ``grad(p) -> ndarray of shape p.shape``.
    x : array_like of shape (..., d)
        Points to check at.
    """
    x = check_array("x", x, ndim=None)
    analytic = _call(grad, x)
    if analytic.shape != x.shape:
        raise ValueError(f"grad(x) must have x's shape {x.shape}, got {analytic.shape}")
    numeric = gradient(f, x, h=h)
    denominator = max(np.linalg.norm(analytic) + np.linalg.norm(numeric), np.finfo(float).tiny)
    return float(np.linalg.norm(analytic - numeric) / denominator)


def directional_derivatives(grad_at_point, angles) -> np.ndarray:
    """D_u f = grad f . u for unit vectors u = (cos angle, sin angle).

    Parameters
    ----------
    grad_at_point : array_like of shape (2,)
    angles : array_like of shape (m,)
        Directions in radians.

    Returns
    -------
    ndarray of shape (m,)
        Largest, equal to |grad f|, along the gradient; zero across it.
    """
    g = check_array("grad_at_point", grad_at_point, ndim=1)
    if g.shape != (2,):
        raise ValueError(f"grad_at_point must have shape (2,), got {g.shape}")
    angles = check_array("angles", angles, ndim=1)
    return g[0] * np.cos(angles) + g[1] * np.sin(angles)


class SurfaceGrid(NamedTuple):
    """f(x, y) on a grid, and the gradient at a coarser grid of arrow positions."""

    xs: np.ndarray  # shape (n,)
    ys: np.ndarray  # shape (n,)
    z: np.ndarray  # shape (n, n), z[i, j] = f(xs[j], ys[i])
    arrows: np.ndarray  # shape (k, 2), positions
    gradients: np.ndarray  # shape (k, 2), grad f there


def surface_grid(f: Fn, grad: Fn, bounds, *, n: int = 121, every: int = 12) -> SurfaceGrid:
    """Evaluate f on an n x n grid over ``bounds`` and grad f on every ``every``-th point.

    Parameters
    ----------
    f, grad : callable
        Vectorised over ``p[..., 2]`` (an ``Objective``'s ``f`` and ``grad``).
    bounds : ((x_min, x_max), (y_min, y_max))
    """
    n = check_int("n", n, 2, 2000)
    every = check_int("every", every, 1, n)
    (x0, x1), (y0, y1) = bounds
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1)
    arrows = grid[every // 2 :: every, every // 2 :: every].reshape(-1, 2)
    return SurfaceGrid(xs, ys, _call(f, grid), arrows, _call(grad, arrows))


class ChainRule(NamedTuple):
    """g(h(x)) taken apart: the values and local derivatives, their product, and a check."""

    inner: float  # u = h(x)
    outer: float  # g(u)
    inner_derivative: float  # h'(x)
    outer_derivative: float  # g'(u)
    product: float  # g'(h(x)) h'(x), the chain rule
    numerical: float  # central difference of x -> g(h(x))


def chain_rule(outer: Expression, inner: Expression, x: float, *, h: float = 1e-5) -> ChainRule:
    """The chain rule at one point, step by step, checked by central differences.

    Parameters
    ----------
    outer : Expression
        g, a formula in one variable (its own name, such as ``u``).
    inner : Expression
        h, a formula in one variable (such as ``x``).
    x : float
    h : float
        Step of the numerical check.
    """
    for name, e in (("outer", outer), ("inner", inner)):
        if not isinstance(e, Expression) or len(e.variables) != 1:
            raise ValueError(f"{name} must be an Expression in one variable")
    x = check_number("x", x)
    h = check_positive("h", h)
    (xv,), (uv,) = inner.variables, outer.variables

    def composite(t):
        return outer.evaluate(**{uv: inner.evaluate(**{xv: t})})

    u = float(inner.evaluate(**{xv: x}))
    du = float(inner.gradient(**{xv: x})[0])
    g = float(outer.evaluate(**{uv: u}))
    dg = float(outer.gradient(**{uv: u})[0])
    numerical = float(derivative(composite, x, h=h, method="central"))
    return ChainRule(u, g, du, dg, dg * du, numerical)


# ----------------------------------------------------------------------------
# Integration


def _check_rule(a, b, n, rule) -> tuple[float, float, int]:
    check_choice("rule", rule, RULES)
    a, b = check_number("a", a), check_number("b", b)
    if not a < b:
        raise ValueError(f"a must be below b, got a={a:g}, b={b:g}")
    n = check_int("n", n, 1, 10**7)
    if rule == "simpson" and n % 2:
        raise ValueError(
            f"n must be even for Simpson's rule (it fits parabolas through pairs of intervals), got {n}"
        )
    return a, b, n


def integrate(f: Fn, a: float, b: float, *, n: int = 64, rule: str = "simpson") -> float:
    """Approximate the integral of ``f`` from ``a`` to ``b`` on ``n`` equal intervals.

    Parameters
    ----------
    f : callable
        ``f(x) -> ndarray``, elementwise.
    a, b : float
        Limits, a < b.
    n : int
        Number of intervals (even for Simpson).
    rule : {"left", "right", "midpoint", "trapezoid", "simpson"}
        Errors fall like 1/n, 1/n, 1/n^2, 1/n^2 and 1/n^4 for smooth f.

    Returns
    -------
    float
    """
    a, b, n = _check_rule(a, b, n, rule)
    dx = (b - a) / n
    if rule == "midpoint":
        return float(np.sum(_call(f, a + dx * (np.arange(n) + 0.5))) * dx)
    y = _call(f, np.linspace(a, b, n + 1))
    if rule == "left":
        return float(np.sum(y[:-1]) * dx)
    if rule == "right":
        return float(np.sum(y[1:]) * dx)
    if rule == "trapezoid":
        return float((np.sum(y) - 0.5 * (y[0] + y[-1])) * dx)
    # Simpson: weights 1, 4, 2, 4, ..., 2, 4, 1 times dx / 3
    return float((y[0] + y[-1] + 4 * np.sum(y[1:-1:2]) + 2 * np.sum(y[2:-1:2])) * dx / 3)


def integrate_loop(
    f: Callable[[float], float], a: float, b: float, *, n: int = 64, rule: str = "simpson"
) -> float:
    """The same rules as :func:`integrate`, one interval at a time (the readable reference)."""
    a, b, n = _check_rule(a, b, n, rule)
    dx = (b - a) / n
    total = 0.0
    if rule == "simpson":
        for i in range(0, n, 2):
            left, middle, right = a + i * dx, a + (i + 1) * dx, a + (i + 2) * dx
            total += (f(left) + 4 * f(middle) + f(right)) * dx / 3
        return float(total)
    for i in range(n):
        left, right = a + i * dx, a + (i + 1) * dx
        if rule == "left":
            total += f(left) * dx
        elif rule == "right":
            total += f(right) * dx
        elif rule == "midpoint":
            total += f((left + right) / 2) * dx
        else:
            total += (f(left) + f(right)) / 2 * dx
    return float(total)


class Approximant(NamedTuple):
    """The curve a rule really integrates, as a polyline to shade down to y = 0."""

    x: np.ndarray  # shape (m,)
    y: np.ndarray  # shape (m,)


def approximant(f: Fn, a: float, b: float, *, n: int, rule: str, samples: int = 12) -> Approximant:
    """What each rule puts in place of f: steps (Riemann sums), chords (trapezoid), parabolas (Simpson).

    Parameters
    ----------
    samples : int
        Points per parabola in Simpson's rule.

    Returns
    -------
    Approximant
        The integral of the polyline equals :func:`integrate` (exactly for the
        steps and chords; the parabolas are sampled).
    """
    a, b, n = _check_rule(a, b, n, rule)
    samples = check_int("samples", samples, 2, 1000)
    edges = np.linspace(a, b, n + 1)
    if rule in ("left", "right", "midpoint"):
        at = {"left": edges[:-1], "right": edges[1:], "midpoint": 0.5 * (edges[:-1] + edges[1:])}[
            rule
        ]
        heights = _call(f, at)
        # each rectangle as its two top corners: (x_i, y_i), (x_i+1, y_i)
        return Approximant(np.repeat(edges, 2)[1:-1], np.repeat(heights, 2))
    y = _call(f, edges)
    if rule == "trapezoid":
        return Approximant(edges, y)
    # Simpson: the parabola through each triple (x_2i, x_2i+1, x_2i+2), in Lagrange form
    t = np.linspace(0.0, 2.0, samples)  # position within a pair, in units of dx
    y0, y1, y2 = y[0:-1:2, None], y[1::2, None], y[2::2, None]
    parabolas = y0 * (t - 1) * (t - 2) / 2 - y1 * t * (t - 2) + y2 * t * (t - 1) / 2
    dx = (b - a) / n
    xs = edges[0:-1:2, None] + t * dx
    return Approximant(xs.ravel(), parabolas.ravel())


def convergence(f: Fn, a: float, b: float, exact: float, ns) -> dict[str, np.ndarray]:
    """|integrate(f, a, b, n, rule) - exact| for each n and rule.

    Parameters
    ----------
    exact : float
        The true integral (closed form, or a far more accurate estimate).
    ns : array_like of int, shape (m,)
        Interval counts; odd ones are rounded up to even for Simpson.

    Returns
    -------
    dict rule -> ndarray of shape (m,)
    """
    exact = check_number("exact", exact)
    ns = [check_int("ns", n, 1, 10**7) for n in np.atleast_1d(ns)]
    return {
        rule: np.array(
            [
                abs(
                    integrate(f, a, b, n=n + (n % 2 if rule == "simpson" else 0), rule=rule) - exact
                )
                for n in ns
            ]
        )
        for rule in RULES
    }


def reference_integral(f: Fn, a: float, b: float) -> float:
    """A far more accurate value to measure the rules against: Simpson on 2^16 intervals.

    For smooth f its error is near round-off; for a kink it is still about
    1e-10, well below the errors the convergence plot shows.
    """
    return integrate(f, a, b, n=2**16, rule="simpson")


def observed_order(ns, errors) -> float:
    """Slope p of error ~ C n^-p, fitted on log-log axes (errors at round-off level are left out)."""
    ns = check_array("ns", ns, ndim=1)
    errors = check_array("errors", errors, ndim=1, finite=False)
    keep = np.isfinite(errors) & (errors > 1e-13)
    if keep.sum() < 2:
        raise ValueError("errors must have at least two entries above round-off to fit an order")
    slope = np.polyfit(np.log(ns[keep]), np.log(errors[keep]), 1)[0]
    return float(-slope)


# ----------------------------------------------------------------------------
# Where a formula misbehaves: undefined stretches, overflow, poles

#: |f| above this counts as overflow: a sum of a few thousand such values
#: would leave float64's range (about 1.8e308).
OVERFLOW = 1e300
#: a singularity ``|f| ~ |x - s|^-p`` with p at or above this is not integrable
#: (p = 1 exactly for 1/x; estimates of a true pole land within 1e-3 of it)
POLE_ORDER = 0.98
#: below this estimated order a sharp peak is bounded, not a singularity
SINGULAR_ORDER = 0.2


class Singularity(NamedTuple):
    """A point where ``|f|`` grows without bound, ``|f(x)| ~ C |x - at|^-order``.

    Attributes
    ----------
    at : float
        Its position (located to about 1e-15 of the interval's length).
    order : float
        The estimated p; 1 for 1/x and tan at pi/2, 2 for 1/x^2, 0.5 for 1/sqrt|x|.
    integrable : bool
        ``order < POLE_ORDER``: the area near it is finite (p < 1).
    """

    at: float
    order: float
    integrable: bool


class Scan(NamedTuple):
    """Where a function of one variable is not a finite number on [lo, hi].

    Attributes
    ----------
    lo, hi : float
        The interval scanned.
    undefined : tuple of (start, end)
        Stretches where f is NaN (the log or square root of a negative number);
        ends located by bisection to about 1e-12 of the interval's length.
    overflow : tuple of (start, end)
        Stretches where |f| is infinite or above :data:`OVERFLOW`.
    singularities : tuple of Singularity
        Isolated points where |f| blows up (poles), with their order.
    """

    lo: float
    hi: float
    undefined: tuple[tuple[float, float], ...]
    overflow: tuple[tuple[float, float], ...]
    singularities: tuple[Singularity, ...]

    @property
    def clean(self) -> bool:
        """f is a finite number everywhere on [lo, hi], with no singularity."""
        return not (self.undefined or self.overflow or self.singularities)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) indices of each run of True in a 1-D boolean mask."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return [(int(i), int(j) - 1) for i, j in zip(edges[::2], edges[1::2])]


def _boundary(f: Fn, good: float, bad: float, is_bad: Callable[[np.ndarray], np.ndarray]) -> float:
    """Bisect between a point where f is fine and one where ``is_bad``; the bad side's end."""
    for _ in range(48):  # 2^-48 of a grid step: far below anything a message shows
        middle = 0.5 * (good + bad)
        if middle in (good, bad):
            break
        if is_bad(_call(f, np.array([middle])))[0]:
            bad = middle
        else:
            good = middle
    return bad


def _stretches(f: Fn, x: np.ndarray, bad: np.ndarray, is_bad) -> list[tuple[float, float]]:
    out = []
    for i, j in _runs(bad):
        start = x[0] if i == 0 else _boundary(f, x[i - 1], x[i], is_bad)
        end = x[-1] if j == len(x) - 1 else _boundary(f, x[j + 1], x[j], is_bad)
        out.append((float(start), float(end)))
    return out


def _peak_candidates(a: np.ndarray, limit: int) -> np.ndarray:
    """Indices where |f| peaks far above the samples two steps away: a pole between samples.

    Near a pole of order p between x_i and x_i+1, |f(x_i)| is at least 3^p
    times |f| two samples away; at a smooth maximum the ratio is 1 + O(dx^2).
    The threshold 1.5 catches orders from about 0.4 up.
    """
    padded = np.concatenate([[np.nan, np.nan], a, [np.nan, np.nan]])
    centre = padded[2:-2]
    with np.errstate(all="ignore"):
        near = np.fmax(padded[1:-3], padded[3:-1])  # fmax: a missing neighbour is ignored
        far = np.fmax(padded[:-4], padded[4:])
        peak = (centre >= np.nan_to_num(near, nan=-1.0)) & (centre > 1.5 * np.nan_to_num(far))
    found = np.flatnonzero(peak & np.isfinite(centre))
    return found[np.argsort(-centre[found])][:limit]


def _locate(f: Fn, left: np.ndarray, right: np.ndarray, *, points: int = 33) -> np.ndarray:
    """Zoom in on the largest |f| within each bracket [left, right] (all brackets at once)."""
    left, right = left.astype(float), right.astype(float)
    t = np.linspace(0.0, 1.0, points)
    best = 0.5 * (left + right)
    for _ in range(14):  # each pass narrows the bracket 16-fold: 16^14 is about 7e16
        xs = left[:, None] + (right - left)[:, None] * t
        a = np.abs(_call(f, xs))
        j = np.argmax(np.where(np.isnan(a), -1.0, a), axis=1)
        rows = np.arange(len(left))
        best = xs[rows, j]
        lo_j, hi_j = np.maximum(j - 1, 0), np.minimum(j + 1, points - 1)
        left, right = xs[rows, lo_j], xs[rows, hi_j]
    return best


def _order(f: Fn, s: float, lo: float, hi: float) -> float:
    """p in |f(s +- d)| ~ d^-p, fitted over d = 1e-4 .. 1e-10 of the interval (sides inside it)."""
    d = (hi - lo) * 10.0 ** -np.arange(4, 11)
    sides = np.stack([np.where(s - d >= lo, s - d, np.nan), np.where(s + d <= hi, s + d, np.nan)])
    with np.errstate(invalid="ignore"):
        v = np.abs(_call(f, sides))
        v = np.nanmax(np.where(np.isfinite(sides), v, np.nan), axis=0) if v.size else v
    keep = np.isfinite(v) & (v > 0)
    if keep.sum() < 3:
        return 0.0
    return float(-np.polyfit(np.log(d[keep]), np.log(v[keep]), 1)[0])


def scan(f: Fn, lo: float, hi: float, *, n: int = 4097, limit: int = 32) -> Scan:
    """Find where ``f`` is undefined, overflows or has a pole on [lo, hi].

    The interval is sampled at ``n`` points. Runs of NaN (or of huge values)
    become stretches whose ends are found by bisection; isolated non-finite
    samples and sharp peaks between samples are zoomed in on, and the order p
    of ``|f| ~ |x - s|^-p`` is fitted over six decades of distance, so 1/x
    (p = 1, not integrable) is told from 1/sqrt|x| (p = 1/2, integrable) and
    from a bounded spike (p about 0).

    Parameters
    ----------
    f : callable
        ``f(x) -> ndarray``, elementwise.
    lo, hi : float
        The interval, lo < hi.
    n : int
        Samples; a pole closer than about (hi - lo) / n to another is missed.
    limit : int
        At most this many peaks are examined (the tallest).

    Returns
    -------
    Scan
    """
    lo, hi = check_number("lo", lo), check_number("hi", hi)
    if not lo < hi:
        raise ValueError(f"lo must be below hi, got lo={lo:g}, hi={hi:g}")
    n = check_int("n", n, 5, 10**6)
    limit = check_int("limit", limit, 0, 1000)
    x = np.linspace(lo, hi, n)
    y = np.broadcast_to(_call(f, x), x.shape)
    nan = np.isnan(y)
    big = ~nan & ~(np.abs(y) <= OVERFLOW)
    points = []
    for mask in (nan, big):  # a lone bad sample is a point (1/x at 0), not a stretch
        for i, j in _runs(mask):
            if (
                i == j
                and (i == 0 or not (nan | big)[i - 1])
                and (j == n - 1 or not (nan | big)[j + 1])
            ):
                points.append(i)
                mask[i] = False
    for i, j in _runs(big):  # log(0) = -inf is the end of log's undefined stretch, not overflow
        if i == j and ((i > 0 and nan[i - 1]) or (j < n - 1 and nan[j + 1])):
            big[i] = False
    undefined = _stretches(f, x, nan, np.isnan)
    overflow = _stretches(f, x, big, lambda v: ~np.isnan(v) & ~(np.abs(v) <= OVERFLOW))
    a = np.where(nan | big, np.nan, np.abs(y))
    peaks = _peak_candidates(a, limit)
    at = list(x[points])
    if peaks.size:
        left, right = x[np.maximum(peaks - 1, 0)], x[np.minimum(peaks + 1, n - 1)]
        located = _locate(f, left, right)
        # a peak that zooms onto an end where f is finite points at a pole outside [lo, hi]
        inside = (located > lo) & (located < hi)
        at += list(located[inside])
    found: list[Singularity] = []
    for s in sorted(at):
        if found and abs(s - found[-1].at) <= 1e-9 * (hi - lo):
            continue  # two neighbouring peaks zoomed in on the same pole
        p = _order(f, float(s), lo, hi)
        if p >= SINGULAR_ORDER:
            found.append(Singularity(float(s), p, p < POLE_ORDER))
    return Scan(lo, hi, tuple(undefined), tuple(overflow), tuple(found))


def _at(value: float, lo: float, hi: float) -> str:
    """A position for a message, 3 significant digits; rounding noise next to 0 shown as 0."""
    return f"{0.0 if abs(value) <= 1e-9 * (hi - lo) else value:.3g}"


def where(stretch: tuple[float, float], lo: float, hi: float) -> str:
    """A stretch of [lo, hi] in words: ``x ≤ 0``, ``x ≥ 0.71``, ``-1 ≤ x ≤ 1``, ``x = 0``.

    Examples
    --------
    >>> where((-2.4, 0.0), -2.4, 1.8)
    'x ≤ 0'
    >>> where((0.5, 0.5), -1.0, 1.0)
    'x = 0.5'
    """
    start, end = (_at(v, lo, hi) for v in stretch)
    if start == end:
        return f"x = {start}"
    if stretch[0] <= lo and stretch[1] >= hi:
        return "every x"
    if stretch[0] <= lo:
        return f"x ≤ {end}"
    if stretch[1] >= hi:
        return f"x ≥ {start}"
    return f"{start} ≤ x ≤ {end}"


def describe(found: Scan, name: str = "f") -> tuple[str, ...]:
    """One clause per problem a :func:`scan` found: what goes wrong, and where.

    Examples
    --------
    >>> describe(scan(univariate("log(x)"), -3.0, 3.0), "log(x)")
    ('log(x) is undefined for x ≤ 0',)
    """
    lo, hi = found.lo, found.hi
    out = [f"{name} is undefined for {where(s, lo, hi)}" for s in found.undefined]
    out += [
        f"{name} overflows float64 (|f| > 1e300) for {where(s, lo, hi)}" for s in found.overflow
    ]
    for s in found.singularities:
        kind = "an integrable singularity" if s.integrable else "a pole"
        out.append(
            f"{name} has {kind} at x = {_at(s.at, lo, hi)} "
            f"(|f| grows like |x − {_at(s.at, lo, hi)}|^−{s.order:.2g})"
        )
    return tuple(out)


class Integrability(NamedTuple):
    """Whether the integral of f over [a, b] is a number the rules can approach.

    Attributes
    ----------
    integrable : bool
    kind : str
        ``"finite"`` (f finite everywhere), ``"singular"`` (an integrable
        singularity: the integral exists, the rules converge slowly),
        ``"undefined"``, ``"overflow"`` or ``"diverges"`` (a pole of order >= 1).
    message : str
        For the last three: what is wrong, where, and what to change.
    note : str
        For ``"singular"``: why the errors fall slowly. Empty otherwise.
    scan : Scan
    """

    integrable: bool
    kind: str
    message: str
    note: str
    scan: Scan


def integrability(f: Fn, a: float, b: float, *, name: str = "f") -> Integrability:
    """Check that the integral of ``f`` over [a, b] exists before any rule is trusted.

    A rule's sum is always some number, even over a pole: on [-2.4, 1.8]
    Simpson's rule on 65536 intervals gives -9.22 for 1/x, whose integral
    diverges. This scans [a, b] (see :func:`scan`) and refuses stretches
    where f is undefined or overflows and poles of order p >= 1 (the area
    near ``|x - s|^-p`` is infinite exactly then).

    Parameters
    ----------
    f : callable
    a, b : float
        a < b.
    name : str
        How f is called in the messages (the formula's text, say).
    """
    found = scan(f, a, b)
    interval = f"[{a:.3g}, {b:.3g}]"
    clauses = describe(found, name)
    if found.undefined:
        text = "; ".join(clauses[: len(found.undefined)])
        message = f"{text}, which lies in {interval}: narrow the interval to where it is defined."
        return Integrability(False, "undefined", message, "", found)
    if found.overflow:
        text = "; ".join(clauses[: len(found.overflow)])
        message = f"{text}, which lies in {interval}: narrow the interval."
        return Integrability(False, "overflow", message, "", found)
    poles = [s for s in found.singularities if not s.integrable]
    if poles:
        at = " and ".join(f"x = {_at(s.at, a, b)}" for s in poles)
        order = max(s.order for s in poles)
        message = (
            f"The integral of {name} over {interval} diverges: near {at}, |f| grows like "
            f"1/|x − s|^{order:.2g}, a pole of order at least 1, so the area there is infinite. "
            f"Any rule's sum here is meaningless: choose an interval that avoids {at}."
        )
        return Integrability(False, "diverges", message, "", found)
    if found.singularities:
        at = " and ".join(f"x = {_at(s.at, a, b)}" for s in found.singularities)
        order = max(s.order for s in found.singularities)
        note = (
            f"{name} has an integrable singularity at {at} (|f| grows like 1/|x − s|^{order:.2g}, "
            "an order below 1): the integral exists, but every rule converges slowly and the "
            "reference value is itself only approximate."
        )
        return Integrability(True, "singular", "", note, found)
    return Integrability(True, "finite", "", "", found)


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
        nxt = points[k] - lr * _call(grad, points[k])
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
