"""Gradient descent in one dimension: step size against curvature, and what a run did.

Near a minimum every smooth function is a quadratic
``f(x) ~ lambda/2 (x - x*)^2``, and one step of ``x <- x - lr * f'(x)``
multiplies the distance to the minimum by ``1 - lr * lambda``. That single
number gives the four regimes (monotone, oscillating, bouncing forever,
diverging) of :func:`lr_regime`; :func:`verdict_1d` says in words what a run
did, and the 1-D presets (:data:`FUNCTIONS_1D`, :func:`formula_1d`) are the
functions the lab descends.

Many dimensions (the Hessian, conditioning, momentum) are in
:mod:`dlcore.conditioning`; mini-batch SGD on a linear regression is in
:mod:`dlcore.minibatch`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from dlcore._validation import (
    check_array,
    check_int,
    check_number,
    check_positive,
    check_range,
)
from dlcore.expr import Expression, parse

# Relative tolerance for "exactly on a regime boundary": lr = 1/lambda typed
# as floats gives lr * lambda = 1 - 1e-16 for most lambda, which is the
# boundary, not the monotone side of it.
BOUNDARY_RTOL = 1e-12


# --------------------------------------------------------------------------
# One dimension: the learning-rate regime of a quadratic
# --------------------------------------------------------------------------


class Regime(NamedTuple):
    """How gradient descent behaves near a minimum with curvature ``lambda``.

    Attributes
    ----------
    name : str
        ``"monotone"`` (0 < lr*lambda < 1), ``"one step"`` (lr*lambda = 1),
        ``"oscillating"`` (1 < lr*lambda < 2), ``"bouncing"`` (lr*lambda = 2:
        the iterates flip between two points forever), ``"diverging"``
        (lr*lambda > 2), or, for curvature <= 0 where there is no minimum,
        ``"flat"`` and ``"repelled"``.
    lr_times_curvature : float
        ``lr * lambda``, the number the regimes are read from.
    factor : float
        ``1 - lr * lambda``: one step maps ``x - x*`` to ``factor * (x - x*)``.
    converges : bool
    description : str
        One sentence for the reader.
    """

    name: str
    lr_times_curvature: float
    factor: float
    converges: bool
    description: str


def lr_regime(lr: float, curvature: float, *, rtol: float = BOUNDARY_RTOL) -> Regime:
    """Classify a learning rate against the curvature of a quadratic.

    On ``f(x) = lambda/2 (x - x*)^2`` one step is
    ``x - x* <- (1 - lr * lambda) (x - x*)``, so the error after k steps is
    ``(1 - lr * lambda)^k`` times the first one.

    Parameters
    ----------
    lr : float
        Learning rate, > 0.
    curvature : float
        ``lambda = f''(x*)``; any finite value (<= 0 means no minimum).
    rtol : float
        Relative tolerance for landing exactly on the boundaries
        ``lr = 1/lambda`` and ``lr = 2/lambda``.

    Returns
    -------
    Regime
    """
    lr = check_positive("lr", lr)
    lam = check_number("curvature", curvature)
    q = lr * lam
    factor = 1.0 - q
    if lam < 0:
        return Regime(
            "repelled",
            q,
            factor,
            False,
            "negative curvature: f bends down here, as at a maximum, and every step pushes further away",
        )
    if lam == 0:
        return Regime(
            "flat",
            q,
            factor,
            False,
            "zero curvature: the gradient does not shrink, no minimum to settle in",
        )
    if math.isclose(q, 1.0, rel_tol=rtol, abs_tol=0.0):
        return Regime(
            "one step", q, 0.0, True, "η = 1/λ: the first step lands exactly on the minimum"
        )
    if math.isclose(q, 2.0, rel_tol=rtol, abs_tol=0.0):
        return Regime(
            "bouncing",
            q,
            -1.0,
            False,
            "η = 2/λ: each step jumps to the mirror point, bouncing between two points forever",
        )
    if q < 1.0:
        return Regime(
            "monotone",
            q,
            factor,
            True,
            "η < 1/λ: every step moves towards the minimum without crossing it",
        )
    if q < 2.0:
        return Regime(
            "oscillating",
            q,
            factor,
            True,
            "1/λ < η < 2/λ: each step overshoots to the other side, but by less each time",
        )
    return Regime(
        "diverging",
        q,
        factor,
        False,
        "η > 2/λ: each step overshoots by more than it started, so it blows up",
    )


def explain_divergence(lr: float, lam_max: float) -> str:
    """Why gradient descent diverged: ``lr * lambda_max > 2``, with the numbers.

    Parameters
    ----------
    lr : float
    lam_max : float
        The largest curvature (Hessian eigenvalue) the iterates met.
    """
    if not math.isfinite(lam_max):
        return (
            "The curvature f'' is not a finite number along the path: the iterates stepped to where "
            "f or its derivatives are undefined, so no step size describes the run there."
        )
    q = lr * lam_max
    if q > 2.0:
        return (
            f"η × λ_max = {lr:.4g} × {lam_max:.4g} = {q:.4g} > 2: along the steepest direction each step "
            f"multiplies the distance to the minimum by |1 − η·λ_max| = {abs(1.0 - q):.4g} > 1, so it grows "
            f"geometrically. Stable steps need η < 2/λ_max = {2.0 / lam_max:.4g}."
        )
    if lam_max <= 0:
        return (
            f"The curvature along the path is never positive (largest {lam_max:.4g}): no minimum holds the "
            "iterates, so they ran off, or stepped out of where f is defined."
        )
    return (
        f"η × λ_max = {lr:.4g} × {lam_max:.4g} = {q:.4g} ≤ 2 where the iterates were, so the last step went "
        "somewhere steeper, or out of where f is defined."
    )


# --------------------------------------------------------------------------
# One dimension: what a run did, in words
# --------------------------------------------------------------------------

# The verdicts' own names, beside the regimes of :func:`lr_regime`.
NO_MINIMUM = "no minimum"
STUCK = "stuck"


def downhill_to_the_edge(fn, x: float, *, view: tuple[float, float], num: int = 2001) -> bool:
    """Whether ``f`` keeps falling from ``x`` downhill all the way out of ``view``.

    Walks a grid of ``view`` from ``x`` in the downhill direction
    ``-sign f'(x)`` and looks for a point where ``f`` stops decreasing
    (the directional derivative turns ``>= 0``: a minimum, or at least a
    floor, lies there). Points where ``f`` or ``f'`` is not finite (outside
    where a formula is defined, a cusp) are skipped. When there is none,
    gradient descent has nothing to settle in on that side: the iterates
    drift off the range (``f`` is unbounded below there, or only approaches
    a value it never reaches, as ``exp(x)`` approaches 0).

    Parameters
    ----------
    fn : object with an elementwise ``grad(x)``
    x : float
        The last iterate. An ``x`` already beyond the view in the downhill
        direction counts as running off if ``f`` still falls there.
    view : (float, float)
        The range the lab looks at, ``lo < hi``.
    num : int
        Grid points over the view: a well narrower than ``(hi - lo) / num``
        can be missed.

    Returns
    -------
    bool
        False also where ``f'(x)`` is zero or not finite (no direction to run).
    """
    x = check_number("x", x)
    lo = check_number("view lower", view[0])
    hi = check_range("view upper", view[1], lo, None, low_inclusive=False)
    num = check_int("num", num, 2, 1_000_000)
    with np.errstate(all="ignore"):
        g = float(np.asarray(fn.grad(np.array([x])), float)[0])
        if not math.isfinite(g) or g == 0.0:
            return False
        downhill = -math.copysign(1.0, g)
        grid = np.linspace(lo, hi, num)
        ray = grid[grid > x] if downhill > 0 else grid[grid < x]
        slope = downhill * np.asarray(fn.grad(ray), float)
        # A formula's derivative can be finite where the formula is not (1/x beyond log x).
        defined = np.isfinite(slope) & np.isfinite(np.asarray(fn.f(ray), float))
    return not np.any(slope[defined] >= 0.0)


def run_off_sentence(fn, x: float, *, view: tuple[float, float]) -> str:
    """Where the iterates run off to, with the numbers: for a run :func:`downhill_to_the_edge` flags.

    Parameters
    ----------
    fn : object with elementwise ``f(x)`` and ``grad(x)``
    x : float
        The last iterate.
    view : (float, float)
    """
    lo, hi = float(view[0]), float(view[1])
    with np.errstate(all="ignore"):
        g = float(np.asarray(fn.grad(np.array([x])), float)[0])
        fx = float(np.asarray(fn.f(np.array([x])), float)[0])
    side, edge = ("left", lo) if g > 0 else ("right", hi)
    where = (
        f"the iterates have left the range [{lo:g}, {hi:g}] to the {side}"
        if (x < lo if g > 0 else x > hi)
        else f"f keeps falling to the {side} of x = {x:.4g} all the way to the edge of the range, "
        f"x = {edge:g}"
    )
    return (
        f"No minimum: {where} (f = {fx:.4g}, f′ = {g:.3g} at the last iterate). There is no "
        "minimum on that side for gradient descent to settle in, so the iterates drift off instead "
        "of converging: f falls without bound there, or only approaches a value it never reaches."
    )


class Verdict1D(NamedTuple):
    """What one run of gradient descent on a function of one variable did, in words.

    Attributes
    ----------
    regime : Regime
        :func:`lr_regime` at the curvature the run is judged by.
    name : str
        The badge: the regime's name, :data:`NO_MINIMUM` when the curvature
        is positive but nothing holds the iterates downhill, or
        :data:`STUCK` where ``f' = f'' = 0`` (gradient descent cannot move).
    sentence : str
        What the badge means for this run.
    warning : str
        Why the run diverged, is diverging or runs off; "" when none applies.
    runs_off : bool
        :func:`downhill_to_the_edge` at the last iterate.
    """

    regime: Regime
    name: str
    sentence: str
    warning: str
    runs_off: bool


LOCAL_CAVEAT = (
    " Off a quadratic this holds near the last iterate only: walls of higher curvature may keep "
    "the iterates bounded, hopping instead of settling."
)


def verdict_1d(
    fn,
    iterates,
    *,
    lr: float,
    curvature: float,
    diverged_at: int,
    view: tuple[float, float],
    quadratic: bool = False,
) -> Verdict1D:
    """Judge a 1-D gradient-descent run: regime, whether a minimum holds it, why it diverged.

    Parameters
    ----------
    fn : object with elementwise ``f``, ``grad`` and ``second``
    iterates : array_like of shape (k,)
        The finite part of the run, ``x_0 .. x_{k-1}`` (cut before divergence).
    lr : float
    curvature : float
        The ``lambda`` the regime is read from: the quadratic's, or ``f''`` at
        the last iterate.
    diverged_at : int
        :func:`dlcore.optim.minimize`'s step of divergence, -1 if none.
    view : (float, float)
        The range the lab draws.
    quadratic : bool
        ``f`` is the quadratic preset: the regime is exact, not local, and a
        diverging regime is reported before the iterates pass the bound.

    Raises
    ------
    ValueError
        For a curvature that is not a finite number (``f''`` undefined at the
        last iterate), naming where.
    """
    x = check_array("iterates", iterates, ndim=1)
    if not math.isfinite(float(curvature)):
        raise ValueError(
            f"f'' is not defined at x = {x[-1]:.4g}, the last iterate: change the formula, the "
            "start or the learning rate"
        )
    regime = lr_regime(lr, curvature)
    runs_off = downhill_to_the_edge(fn, float(x[-1]), view=view)
    with np.errstate(all="ignore"):
        g = float(np.asarray(fn.grad(x[-1:]), float)[0])
        second = np.asarray(fn.second(x), float)
    finite = second[np.isfinite(second)]
    lam_max = float(finite.max()) if finite.size else math.nan
    name, sentence = regime.name, regime.description + "." + ("" if quadratic else LOCAL_CAVEAT)
    if g == 0.0 and regime.lr_times_curvature == 0.0:
        name, sentence = (
            STUCK,
            "f′ = 0 and f″ = 0 here: f is flat, so gradient descent does not move.",
        )
    elif runs_off and curvature > 0:
        name, sentence = NO_MINIMUM, run_off_sentence(fn, float(x[-1]), view=view)
    if diverged_at > 0:
        warning = (
            f"Diverged at step {diverged_at}: |x| passed 10⁶ or f stopped being finite. "
            + explain_divergence(lr, lam_max)
        )
    elif quadratic and regime.name == "diverging":
        warning = f"Diverging: |x_{x.size - 1}| = {abs(x[-1]):.3g} and growing. " + (
            explain_divergence(lr, lam_max)
        )
    elif runs_off and name != NO_MINIMUM:
        warning = run_off_sentence(fn, float(x[-1]), view=view)
    else:
        warning = ""
    return Verdict1D(regime, name, sentence, warning, runs_off)


# --------------------------------------------------------------------------
# One-dimensional functions (the presets of the 1-D panel)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Quadratic1D:
    """``f(x) = lambda/2 x^2``: the same curvature ``lambda`` everywhere."""

    curvature: float = 2.0
    name: str = "Quadratic"
    domain: tuple[float, float] = (-3.0, 3.0)

    @property
    def latex(self) -> str:
        half = self.curvature / 2
        return rf"f(x) = \tfrac{{\lambda}}{{2}}\,x^2 = {'' if half == 1 else f'{half:g}'}\,x^2"

    def f(self, x):
        return 0.5 * self.curvature * np.square(x)

    def grad(self, x):
        return self.curvature * np.asarray(x, float)

    def second(self, x):
        return np.full_like(np.asarray(x, float), self.curvature)


@dataclass(frozen=True)
class Quartic1D:
    """``f(x) = (x^2 - 1)^2 + tilt x``: two minima, the left one lower."""

    tilt: float = 0.3
    name: str = "Quartic with two minima"
    domain: tuple[float, float] = (-1.8, 1.8)

    @property
    def latex(self) -> str:
        return rf"f(x) = (x^2 - 1)^2 + {self.tilt:g}\,x"

    def f(self, x):
        x = np.asarray(x, float)
        return np.square(x * x - 1.0) + self.tilt * x

    def grad(self, x):
        x = np.asarray(x, float)
        return 4.0 * x * (x * x - 1.0) + self.tilt

    def second(self, x):
        x = np.asarray(x, float)
        return 12.0 * x * x - 4.0


@dataclass(frozen=True)
class Wiggly1D:
    """``f(x) = x^2/10 + sin(3x)``: a bowl with ripples, many local minima."""

    name: str = "Non-convex"
    domain: tuple[float, float] = (-5.0, 5.0)

    @property
    def latex(self) -> str:
        return r"f(x) = \tfrac{x^2}{10} + \sin(3x)"

    def f(self, x):
        x = np.asarray(x, float)
        return 0.1 * x * x + np.sin(3.0 * x)

    def grad(self, x):
        x = np.asarray(x, float)
        return 0.2 * x + 3.0 * np.cos(3.0 * x)

    def second(self, x):
        x = np.asarray(x, float)
        return 0.2 - 9.0 * np.sin(3.0 * x)


FUNCTIONS_1D: dict[str, Quadratic1D | Quartic1D | Wiggly1D] = {
    fn.name: fn for fn in (Quadratic1D(), Quartic1D(), Wiggly1D())
}


@dataclass(frozen=True)
class Formula1D:
    """A typed formula in x, with its exact first and second derivatives from :mod:`dlcore.expr`."""

    expression: Expression
    domain: tuple[float, float] = (-3.0, 3.0)
    name: str = "Your formula"

    @property
    def latex(self) -> str:
        return f"f(x) = {self.expression.latex}"

    def f(self, x):
        return self.expression.evaluate(x=x)

    def grad(self, x):
        return self.expression.derivative().evaluate(x=x)

    def second(self, x):
        return self.expression.derivative().derivative().evaluate(x=x)


def formula_1d(text: str, *, domain: tuple[float, float] = (-3.0, 3.0)) -> Formula1D:
    """Parse a user's formula in x (never ``eval``: :func:`dlcore.expr.parse`'s whitelist).

    Raises
    ------
    ValueError
        ``ExpressionError`` for a formula that is not allowed, or a bad domain.
    """
    lo = check_number("domain lower", domain[0])
    hi = check_range("domain upper", domain[1], lo, None, low_inclusive=False)
    return Formula1D(parse(text, variables=("x",)), (lo, hi))


@dataclass(frozen=True)
class CurveObjective:
    """A function of one variable as an objective over ``p[..., 1]``.

    ``dlcore.optim.minimize`` steps points of shape ``(d,)``; this wraps any
    object with elementwise ``f(x)`` and ``grad(x)`` so that ``d = 1``.
    """

    fn: Quadratic1D | Quartic1D | Wiggly1D | Formula1D

    def f(self, p):
        return self.fn.f(np.asarray(p, float)[..., 0])

    def grad(self, p):
        return np.asarray(self.fn.grad(np.asarray(p, float)[..., 0]), float)[..., None]
