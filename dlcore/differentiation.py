"""Differentiation the way a computer does it: finite differences, gradients and the chain rule.

* :func:`derivative` - forward, backward and central differences, vectorised
  over points and step sizes, so "error against h" is one call;
* :func:`gradient` and :func:`gradient_check` - the check every backprop
  implementation should pass (relative error of an analytic gradient against
  central differences);
* :func:`chain_rule` - a composition g(h(x)) taken apart step by step;
* :class:`Univariate` and :data:`CURVES` - the functions of one variable the
  calculus lab works on, parsed safely by :mod:`dlcore.expr`.

Functions ``f`` are callables on arrays (``f(x) -> ndarray``, or ``f(p)``
with ``p[..., d]`` for several variables), such as ``Expression.evaluate``
wrapped in a small function or an ``Objective.f``. :data:`Fn`,
:class:`Scheme` and :func:`call_quietly` are shared with
:mod:`dlcore.integration` and :mod:`dlcore.gradflow`.
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
)
from dlcore.expr import Expression, parse

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


def call_quietly(f: Fn, x) -> np.ndarray:
    """``f(x)`` as a float array, with NumPy's floating-point warnings silenced.

    Parameters
    ----------
    f : callable
        A function on arrays, such as a :class:`Univariate` or an ``Objective.f``.
    x : array_like
        Where to evaluate it.

    Returns
    -------
    ndarray
        NaN or inf where ``f`` is undefined or overflows; the caller checks
        ``np.isfinite``.
    """
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
        return (call_quietly(f, x + h) - call_quietly(f, x)) / h
    if method == "backward":
        return (call_quietly(f, x) - call_quietly(f, x - h)) / h
    return (call_quietly(f, x + h) - call_quietly(f, x - h)) / (2 * h)


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
        out[..., i] = (call_quietly(f, x + step) - call_quietly(f, x - step)) / (2 * h)
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
    analytic = call_quietly(grad, x)
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


def surface_with_gradients(
    f: Fn, grad: Fn, bounds, *, n: int = 121, every: int = 12
) -> SurfaceGrid:
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
    return SurfaceGrid(xs, ys, call_quietly(f, grid), arrows, call_quietly(grad, arrows))


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
