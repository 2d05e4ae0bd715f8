"""Gradient descent: step size against curvature, conditioning, and noisy batches.

Three views of one update rule, ``x <- x - lr * grad f(x)``:

* **one dimension**: near a minimum every smooth function is a quadratic
  ``f(x) ~ lambda/2 (x - x*)^2``, and one step multiplies the distance to the
  minimum by ``1 - lr * lambda``. That single number gives the four regimes
  (monotone, oscillating, bouncing forever, diverging) of :func:`lr_regime`;
* **two dimensions**: on ``f(p) = 1/2 p^T H p`` each eigen-direction of the
  Hessian has its own factor ``1 - lr * lambda_i``. One learning rate must
  serve them all, so the condition number ``kappa = lambda_max / lambda_min``
  sets the best rate, ``(kappa - 1) / (kappa + 1)``; momentum improves it to
  ``(sqrt(kappa) - 1) / (sqrt(kappa) + 1)`` (Polyak 1964; Goh, "Why Momentum
  Really Works", Distill 2017);
* **mini-batches**: on a linear regression with mean squared error the
  gradient of a random batch is an unbiased, noisy estimate of the full one;
  smaller batches take more, cheaper, noisier steps per pass over the data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np

from dlcore import datasets
from dlcore._validation import (
    RngLike,
    as_rng,
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

# An iterate farther than this from the origin is reported as diverged:
# long before float overflow, and far outside any view the lab draws.
DIVERGENCE_BOUND = 1e6


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
class Curve:
    """A function of one variable as an objective over ``p[..., 1]``.

    ``dlcore.optim.minimize`` steps points of shape ``(d,)``; this wraps any
    object with elementwise ``f(x)`` and ``grad(x)`` so that ``d = 1``.
    """

    fn: Quadratic1D | Quartic1D | Wiggly1D | Formula1D

    def f(self, p):
        return self.fn.f(np.asarray(p, float)[..., 0])

    def grad(self, p):
        return np.asarray(self.fn.grad(np.asarray(p, float)[..., 0]), float)[..., None]


# --------------------------------------------------------------------------
# Many dimensions: the Hessian, conditioning and convergence rates
# --------------------------------------------------------------------------


def hessian(grad: Callable[[np.ndarray], np.ndarray], x, *, h: float = 1e-4) -> np.ndarray:
    """The Hessian at ``x`` by central differences of the exact gradient, symmetrised.

    Exact (to rounding) for a quadratic, whose gradient is linear.

    Parameters
    ----------
    grad : callable
        ``grad(p)`` vectorised over ``p[..., d]``.
    x : ndarray of shape (d,)
    h : float

    Returns
    -------
    ndarray of shape (d, d)
    """
    x = check_array("x", x, ndim=1)
    h = check_positive("h", h)
    steps = h * np.eye(x.size)
    # row i is d grad / d x_i; one vectorised call per side probes every direction
    rows = (np.asarray(grad(x + steps), float) - np.asarray(grad(x - steps), float)) / (2.0 * h)
    return 0.5 * (rows + rows.T)


class Eigen(NamedTuple):
    """Eigen-decomposition of a symmetric matrix: ``H = vectors @ diag(values) @ vectors.T``.

    Attributes
    ----------
    values : ndarray of shape (d,)
        Ascending.
    vectors : ndarray of shape (d, d)
        Column i is the unit eigenvector of ``values[i]``.
    """

    values: np.ndarray
    vectors: np.ndarray


def hessian_eigen(H) -> Eigen:
    """Eigenvalues (curvatures) and eigenvectors (their directions) of a symmetric Hessian."""
    H = check_array("H", H, ndim=2)
    if H.shape[0] != H.shape[1] or not np.allclose(H, H.T):
        raise ValueError(f"H must be a symmetric square matrix, got shape {H.shape}")
    return Eigen(*np.linalg.eigh(H))


def hessian_eigenvalues(H) -> np.ndarray:
    """Eigenvalues of a symmetric Hessian, ascending; shape (d,)."""
    return hessian_eigen(H).values


def condition_number(eigenvalues) -> float:
    """``kappa = lambda_max / lambda_min`` of positive eigenvalues (inf if not all > 0)."""
    lam = check_array("eigenvalues", eigenvalues, ndim=1)
    if lam.min() <= 0:
        return math.inf
    return float(lam.max() / lam.min())


def best_step(eigenvalues) -> float:
    """The fixed learning rate with the smallest worst-case factor: ``2 / (lambda_min + lambda_max)``."""
    lam = check_array("eigenvalues", eigenvalues, ndim=1)
    if lam.min() <= 0:
        raise ValueError("eigenvalues must all be > 0 (a convex quadratic)")
    return 2.0 / (lam.min() + lam.max())


def theoretical_rate(kappa: float) -> float:
    """Per-step error factor of gradient descent at the best fixed step: ``(kappa - 1) / (kappa + 1)``."""
    kappa = check_range("kappa", kappa, 1.0, None)
    return (kappa - 1.0) / (kappa + 1.0)


def _check_lrs(lr) -> np.ndarray:
    lr = check_array("lr", lr, ndim=None)
    if np.any(lr <= 0):
        raise ValueError(f"lr must be > 0, got min {lr.min():g}")
    return lr


def gd_rate(lr, eigenvalues):
    """Asymptotic per-step error factor of gradient descent: ``max_i |1 - lr * lambda_i|``.

    Above 1 the iterates diverge; at exactly 1 they neither shrink nor grow.

    Parameters
    ----------
    lr : float or ndarray
        Learning rate(s), > 0.
    eigenvalues : ndarray of shape (d,)

    Returns
    -------
    float, or ndarray of lr's shape
    """
    lr = _check_lrs(lr)
    lam = check_array("eigenvalues", eigenvalues, ndim=1)
    rate = np.max(np.abs(1.0 - lr[..., None] * lam), axis=-1)
    return float(rate) if rate.ndim == 0 else rate


def momentum_rate(lr, momentum: float, eigenvalues):
    """Asymptotic per-step error factor of heavy-ball momentum on a quadratic.

    With ``v <- momentum * v + grad``, ``x <- x - lr * v`` (torch's SGD
    momentum, the same iterates as Polyak's heavy ball) each eigen-direction
    follows ``e_{k+1} = (1 + beta - lr*lambda) e_k - beta e_{k-1}``; its factor
    is the larger root modulus of ``z^2 - (1 + beta - lr*lambda) z + beta``.

    Parameters
    ----------
    lr : float or ndarray
        Learning rate(s), > 0.
    momentum : float
        ``beta`` in [0, 1).
    eigenvalues : ndarray of shape (d,)

    Returns
    -------
    float, or ndarray of lr's shape
        The largest root modulus over the eigenvalues.
    """
    lr = _check_lrs(lr)
    beta = check_range("momentum", momentum, 0.0, 1.0, high_inclusive=False)
    lam = check_array("eigenvalues", eigenvalues, ndim=1)
    t = 1.0 + beta - lr[..., None] * lam
    disc = np.sqrt((t * t - 4.0 * beta).astype(complex))
    rate = np.maximum(np.abs((t + disc) / 2.0), np.abs((t - disc) / 2.0)).max(axis=-1)
    return float(rate) if rate.ndim == 0 else rate


class HeavyBall(NamedTuple):
    """Polyak's optimal heavy-ball parameters for a quadratic and their rate."""

    lr: float
    momentum: float
    rate: float


def optimal_momentum(eigenvalues) -> HeavyBall:
    """Polyak's tuning: ``lr = 4 / (sqrt(l_max) + sqrt(l_min))^2``, ``beta = rate^2``.

    Then every eigen-direction contracts by ``rate = (sqrt(kappa) - 1) / (sqrt(kappa) + 1)``.
    """
    lam = check_array("eigenvalues", eigenvalues, ndim=1)
    if lam.min() <= 0:
        raise ValueError("eigenvalues must all be > 0 (a convex quadratic)")
    lo, hi = math.sqrt(lam.min()), math.sqrt(lam.max())
    rate = (hi - lo) / (hi + lo)
    return HeavyBall(4.0 / (hi + lo) ** 2, rate * rate, rate)


def observed_rate(points, minimum=None) -> float:
    """The per-step error factor measured on a run: ``exp`` of the slope of ``log |e_k|``.

    Parameters
    ----------
    points : ndarray of shape (steps + 1, d)
    minimum : ndarray of shape (d,), optional
        Defaults to the origin.

    Returns
    -------
    float
        The least-squares slope of ``log |x_k - x*|`` against ``k`` over the
        second half of the run (past the transient), exponentiated. A fit
        rather than a ratio of two errors, because with momentum the error
        spirals and its norm wobbles around the geometric envelope. Steps after
        the error fell below ``1e-12 |e_0|`` (rounding noise) are left out, and
        so is a frozen tail (``minimize`` stops moving a diverged run, and a
        flat tail would read as rate 1); 0.0 if it got there in one step.
    """
    P = check_array("points", points, ndim=2, min_size=2)
    m = np.zeros(P.shape[1]) if minimum is None else check_array("minimum", minimum, ndim=1)
    err = np.sqrt(np.sum((P - m) ** 2, axis=1))
    if err[0] == 0:
        return 0.0
    usable = np.flatnonzero(err > 1e-12 * err[0])
    moved = np.flatnonzero(np.any(P[1:] != P[:-1], axis=1))
    last = min(int(usable[-1]), int(moved[-1]) + 1 if moved.size else 0)
    if last == 0:
        return 0.0
    k = np.arange(last // 2, last + 1)
    slope = np.polyfit(k, np.log(err[k]), 1)[0]
    return float(np.exp(slope))


def steps_to_reduce(rate: float, factor: float = 1e-3) -> float:
    """Steps for an error factor ``rate`` per step to shrink the error by ``factor`` (inf if rate >= 1)."""
    rate = check_range("rate", rate, 0.0, None)
    factor = check_range("factor", factor, 0.0, 1.0, low_inclusive=False, high_inclusive=False)
    if rate >= 1.0:
        return math.inf
    if rate == 0.0:
        return 1.0
    return math.ceil(math.log(factor) / math.log(rate))


def stability_report(lr: float, eigenvalues, *, momentum: float = 0.0) -> str:
    """Why gradient descent (heavy-ball momentum if ``momentum > 0``) fails on a quadratic; "" if it converges.

    Plain gradient descent is stable while ``lr * lambda_max < 2``; heavy-ball
    momentum while ``lr * lambda_max < 2 (1 + momentum)`` (the larger root of
    ``z^2 - (1 + beta - lr lambda) z + beta`` reaches -1 there). Exactly on
    the boundary the steep direction bounces forever, neither growing nor
    shrinking.

    Parameters
    ----------
    lr : float
        > 0.
    eigenvalues : ndarray of shape (d,)
        The Hessian's, all > 0.
    momentum : float
        ``beta`` in [0, 1).
    """
    lr = check_positive("lr", lr)
    lam = check_array("eigenvalues", eigenvalues, ndim=1)
    beta = check_range("momentum", momentum, 0.0, 1.0, high_inclusive=False)
    if lam.min() <= 0:
        raise ValueError("eigenvalues must all be > 0 (a convex quadratic)")
    lam_max = float(lam.max())
    limit = 2.0 * (1.0 + beta)
    q = lr * lam_max
    who = "Momentum" if beta > 0 else "Gradient descent"
    if math.isclose(q, limit, rel_tol=BOUNDARY_RTOL, abs_tol=0.0):
        return (
            f"{who} does not converge: η × λ_max = {q:.4g} is exactly {limit:g}, so along the "
            "steepest direction the error keeps its size and flips its sign forever."
        )
    if q < limit:
        return ""
    if beta == 0:
        return "Gradient descent diverges. " + explain_divergence(lr, lam_max)
    return (
        f"Momentum diverges: η × λ_max = {lr:.4g} × {lam_max:.4g} = {q:.4g} > 2(1 + β) = {limit:.4g}, "
        f"so along the steepest direction the error grows by ρ = "
        f"{momentum_rate(lr, beta, lam):.4g} > 1 per step. Stable steps need η < "
        f"{limit / lam_max:.4g}."
    )


def steps_text(rate: float, factor: float = 1e-3) -> str:
    """:func:`steps_to_reduce` for the reader: a count, or "never" when the error does not shrink."""
    n = steps_to_reduce(rate, factor)
    return f"{int(n):,}" if math.isfinite(n) else "never"


# --------------------------------------------------------------------------
# Linear regression: full-batch, mini-batch and stochastic gradient descent
# --------------------------------------------------------------------------


class LinearData(NamedTuple):
    """A 1-feature regression sample ``y = w x + b + noise``.

    Attributes
    ----------
    x, y : ndarray of shape (n_samples,)
    w, b : float
        The true line.
    """

    x: np.ndarray
    y: np.ndarray
    w: float
    b: float


def make_linear_data(
    n_samples: int = 200,
    *,
    w: float = 2.0,
    b: float = -1.0,
    noise: float = 0.5,
    x_mean: float = 1.0,
    rng: RngLike = 0,
) -> LinearData:
    """Seeded linear-regression data: ``x ~ N(x_mean, 1)``, ``y = w x + b + N(0, noise^2)``.

    Drawn by ``sklearn.datasets.make_regression`` (through
    ``dlcore.datasets.regression_1d``) with one feature, plus an offset
    ``x_mean``: uncentred inputs couple w and b (the Hessian has off-diagonal
    ``2 mean(x)``), so the MSE contours are tilted ellipses.
    """
    x, y = datasets.regression_1d(n_samples, w=w, b=b, noise=noise, x_mean=x_mean, rng=rng)
    return LinearData(x, y, float(w), float(b))


def _stats(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float, float]:
    """Means of x, x^2, xy, y, y^2: the MSE of any line follows from these five."""
    return (
        float(x.mean()),
        float((x * x).mean()),
        float((x * y).mean()),
        float(y.mean()),
        float((y * y).mean()),
    )


def mse(x, y, w, b) -> np.ndarray:
    """Mean squared error ``mean((w x + b - y)^2)``, vectorised over ``w`` and ``b``.

    Parameters
    ----------
    x, y : ndarray of shape (n,)
    w, b : float or ndarray (broadcastable together)

    Returns
    -------
    ndarray of the broadcast shape of ``w`` and ``b``
        Computed from five means, so a contour grid costs O(grid + n).
    """
    x = check_array("x", x, ndim=1)
    y = check_array("y", y, ndim=1)
    mx, mxx, mxy, my, myy = _stats(x, y)
    w = np.asarray(w, float)
    b = np.asarray(b, float)
    loss = w * w * mxx + 2 * w * b * mx + b * b - 2 * w * mxy - 2 * b * my + myy
    return np.maximum(loss, 0.0)  # rounding can dip a hair below 0 at the optimum


def mse_gradient(x, y, w: float, b: float) -> np.ndarray:
    """``(dL/dw, dL/db) = 2 mean(r x), 2 mean(r)`` with residual ``r = w x + b - y``; shape (2,)."""
    x = check_array("x", x, ndim=1)
    y = check_array("y", y, ndim=1)
    r = w * x + b - y
    return np.array([2.0 * np.mean(r * x), 2.0 * np.mean(r)])


def mse_hessian(x) -> np.ndarray:
    """``2 [[mean x^2, mean x], [mean x, 1]]``: constant, the MSE is a quadratic in (w, b); shape (2, 2)."""
    x = check_array("x", x, ndim=1)
    mx, mxx = x.mean(), (x * x).mean()
    return 2.0 * np.array([[mxx, mx], [mx, 1.0]])


def example_curvatures(x) -> np.ndarray:
    """The largest Hessian eigenvalue of each example's loss ``(w x_i + b - y_i)^2``: ``2 (x_i^2 + 1)``; shape (n,).

    That Hessian, ``2 [[x_i^2, x_i], [x_i, 1]]``, has rank one; a stochastic
    step on example i overshoots along ``(x_i, 1)`` when ``lr`` times this exceeds 2.
    """
    x = check_array("x", x, ndim=1)
    return 2.0 * (x * x + 1.0)


def least_squares(x, y) -> np.ndarray:
    """The minimiser ``(w*, b*)`` of the MSE (normal equations); shape (2,)."""
    x = check_array("x", x, ndim=1)
    y = check_array("y", y, ndim=1)
    mx, mxx, mxy, my, _ = _stats(x, y)
    var = mxx - mx * mx
    if var <= 0:
        raise ValueError("x must not be constant: the slope is then undetermined")
    w = (mxy - mx * my) / var
    return np.array([w, my - w * mx])


def minibatch_gradient(x, y, w: float, b: float, *, batch_size: int, rng: RngLike) -> np.ndarray:
    """The MSE gradient on one batch drawn without replacement; shape (2,)."""
    x = check_array("x", x, ndim=1)
    y = check_array("y", y, ndim=1)
    batch_size = check_int("batch_size", batch_size, 1, x.size)
    idx = as_rng(rng).choice(x.size, size=batch_size, replace=False)
    return mse_gradient(x[idx], y[idx], w, b)


def gradient_noise(x, y, w: float, b: float, *, batch_size: int) -> np.ndarray:
    """Covariance of the mini-batch gradient at ``(w, b)``, exactly; shape (2, 2).

    The batch gradient is the mean of ``batch_size`` per-example gradients
    drawn without replacement, so its covariance is the per-example one
    divided by ``batch_size`` times the finite-population correction
    ``(n - batch_size) / (n - 1)``: zero for the full batch.
    """
    x = check_array("x", x, ndim=1)
    y = check_array("y", y, ndim=1)
    n = x.size
    batch_size = check_int("batch_size", batch_size, 1, n)
    r = w * x + b - y
    per_example = np.column_stack([2.0 * r * x, 2.0 * r])
    cov = np.cov(per_example, rowvar=False, bias=True)
    return cov / batch_size * (n - batch_size) / (n - 1)


def gradient_noise_std(x, y, w: float, b: float, *, batch_sizes) -> np.ndarray:
    """The typical error of a mini-batch gradient, ``sqrt(E |g_B - grad L|^2)``, per batch size.

    The trace of :func:`gradient_noise`: ``sqrt(tr(Sigma) (n - B) / (B (n - 1)))``,
    about ``1 / sqrt(B)`` for ``B`` much smaller than ``n``.

    Parameters
    ----------
    x, y : ndarray of shape (n,)
    w, b : float
    batch_sizes : array_like of int, shape (k,)
        Each in 1..n.

    Returns
    -------
    ndarray of shape (k,)
    """
    x = check_array("x", x, ndim=1)
    sizes = check_array("batch_sizes", batch_sizes, ndim=1)
    n = x.size
    if np.any((sizes < 1) | (sizes > n) | (sizes != np.round(sizes))):
        raise ValueError(f"batch_sizes must be integers in [1, {n}]")
    one = float(np.trace(gradient_noise(x, y, w, b, batch_size=1)))  # tr(Sigma)
    return np.sqrt(one * (n - sizes) / (sizes * (n - 1)))


class SGDRun(NamedTuple):
    """Mini-batch gradient descent on a linear regression.

    Attributes
    ----------
    params : ndarray of shape (updates + 1, 2)
        ``(w, b)`` before the first update and after each one.
    loss : ndarray of shape (updates + 1,)
        The full-data MSE at each of ``params``: what we want to minimise.
    batch_loss : ndarray of shape (updates,)
        The MSE on the batch each update saw: what the algorithm sees.
    epoch_loss : ndarray of shape (epochs + 1,)
        The full-data MSE at the start and after each epoch.
    logged_loss : ndarray of shape (epochs,)
        Per epoch, the mean of its batch losses: the "training loss" a
        training loop logs. It lags ``epoch_loss``, since the early batches
        were scored with older parameters.
    updates_per_epoch : int
        ``ceil(n / batch_size)`` (the last batch may be smaller).
    diverged_at : int
        The first update whose parameters left the bound or -1. Later
        ``params`` stay at the last value inside it.
    """

    params: np.ndarray
    loss: np.ndarray
    batch_loss: np.ndarray
    epoch_loss: np.ndarray
    logged_loss: np.ndarray
    updates_per_epoch: int
    diverged_at: int


def _check_sgd(x, y, lr, batch_size, epochs, start, bound):
    x = check_array("x", x, ndim=1, min_size=2)
    y = check_array("y", y, ndim=1, min_size=2)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same length, got {x.size} and {y.size}")
    start = check_array("start", start, ndim=1)
    bound = check_positive("bound", bound)
    if start.shape != (2,) or np.max(np.abs(start)) > bound:
        raise ValueError(
            f"start must be a pair (w, b) with |w|, |b| <= bound = {bound:g}, got {start}"
        )
    return (
        x,
        y,
        check_positive("lr", lr),
        check_int("batch_size", batch_size, 1, x.size),
        check_int("epochs", epochs, 1, 10_000),
        start,
        bound,
    )


def _finish(x, y, params, batch_loss, per_epoch, epochs, diverged_at) -> SGDRun:
    if diverged_at > 0:
        params[diverged_at:] = params[diverged_at - 1]
        batch_loss[diverged_at:] = batch_loss[diverged_at - 1]
    loss = mse(x, y, params[:, 0], params[:, 1])
    logged = batch_loss.reshape(epochs, per_epoch).mean(axis=1)
    return SGDRun(
        params, loss, batch_loss, loss[::per_epoch][: epochs + 1], logged, per_epoch, diverged_at
    )


def _affine_scan(a11, a12, a22, c1, c2, theta0) -> np.ndarray:
    """All states of ``theta_{k+1} = A_k theta_k + c_k`` for symmetric 2x2 ``A_k``; shape (N, 2).

    The recursion is sequential, but affine maps compose associatively, so
    it runs in chunks: (1) every chunk's composite map, all chunks at once;
    (2) the state entering each chunk, chunk after chunk; (3) every state
    inside the chunks, all chunks at once. That is O(sqrt(N)) vectorised
    steps instead of N scalar ones.

    Parameters
    ----------
    a11, a12, a22 : ndarray of shape (N,)
        Entries of ``A_k = [[a11, a12], [a12, a22]]`` (a22 may be a scalar).
    c1, c2 : ndarray of shape (N,)
    theta0 : ndarray of shape (2,)
    """
    n = len(a11)
    # Chunk length: passes (1) and (3) cost about 16 NumPy calls per step of
    # a chunk, pass (2) one Python step per chunk, so chunks of sqrt(N / 16)
    # balance the two.
    m = math.isqrt(max(n - 1, 0) // 16) + 1
    chunks = -(-n // m)

    def by_step(v, fill):  # row j holds the j-th map of every chunk; padding maps are the identity
        v = np.broadcast_to(np.asarray(v, float), (n,))
        return np.concatenate([v, np.full(chunks * m - n, fill)]).reshape(chunks, m).T

    A11, A12, A22 = by_step(a11, 1.0), by_step(a12, 0.0), by_step(a22, 1.0)
    C1, C2 = by_step(c1, 0.0), by_step(c2, 0.0)
    m11, m12, m21, m22 = np.ones(chunks), np.zeros(chunks), np.zeros(chunks), np.ones(chunks)
    v1, v2 = np.zeros(chunks), np.zeros(chunks)
    for j in range(m):  # (1)
        m11, m12, m21, m22 = (
            A11[j] * m11 + A12[j] * m21,
            A11[j] * m12 + A12[j] * m22,
            A12[j] * m11 + A22[j] * m21,
            A12[j] * m12 + A22[j] * m22,
        )
        v1, v2 = A11[j] * v1 + A12[j] * v2 + C1[j], A12[j] * v1 + A22[j] * v2 + C2[j]
    entry = np.empty((chunks, 2))
    w, b = float(theta0[0]), float(theta0[1])
    for k, (p, q, r, s, e, f) in enumerate(
        zip(m11.tolist(), m12.tolist(), m21.tolist(), m22.tolist(), v1.tolist(), v2.tolist())
    ):  # (2)
        entry[k] = w, b
        w, b = p * w + q * b + e, r * w + s * b + f
    out = np.empty((m, chunks, 2))
    w, b = entry[:, 0], entry[:, 1]
    for j in range(m):  # (3)
        w, b = A11[j] * w + A12[j] * b + C1[j], A12[j] * w + A22[j] * b + C2[j]
        out[j, :, 0], out[j, :, 1] = w, b
    return out.transpose(1, 0, 2).reshape(-1, 2)[:n]


def sgd_linear_regression_loop(
    x,
    y,
    *,
    lr: float,
    batch_size: int,
    epochs: int,
    start=(0.0, 0.0),
    rng: RngLike = 0,
    bound: float = DIVERGENCE_BOUND,
) -> SGDRun:
    """Readable reference of :func:`sgd_linear_regression`: one NumPy gradient per batch."""
    x, y, lr, batch_size, epochs, theta, bound = _check_sgd(
        x, y, lr, batch_size, epochs, start, bound
    )
    gen = as_rng(rng)
    n = x.size
    per_epoch = -(-n // batch_size)
    params = np.empty((epochs * per_epoch + 1, 2))
    batch_loss = np.zeros(epochs * per_epoch)
    params[0] = theta
    k, diverged_at = 0, -1
    for _ in range(epochs):
        order = gen.permutation(n)  # reshuffled every epoch, as torch's DataLoader(shuffle=True)
        for s in range(0, n, batch_size):
            idx = order[s : s + batch_size]
            w, b = params[k]
            batch_loss[k] = np.mean((w * x[idx] + b - y[idx]) ** 2)
            params[k + 1] = params[k] - lr * mse_gradient(x[idx], y[idx], w, b)
            k += 1
            if not np.max(np.abs(params[k])) <= bound:  # also catches NaN
                diverged_at = k
                break
        if diverged_at >= 0:
            break
    return _finish(x, y, params, batch_loss, per_epoch, epochs, diverged_at)


def sgd_linear_regression(
    x,
    y,
    *,
    lr: float,
    batch_size: int,
    epochs: int,
    start=(0.0, 0.0),
    rng: RngLike = 0,
    bound: float = DIVERGENCE_BOUND,
) -> SGDRun:
    """Mini-batch SGD on ``mean((w x + b - y)^2)``; ``batch_size = n`` is full-batch, 1 is stochastic.

    Each epoch shuffles the data (one ``rng.permutation(n)``) and walks it in
    batches of ``batch_size``; the last batch of an epoch holds the remainder.
    The same iterates as :func:`sgd_linear_regression_loop` (to rounding),
    faster: every batch's five means come from one ``np.add.reduceat`` per
    epoch, and since each update is an affine map of ``(w, b)`` the whole
    sequence runs as a chunked scan (:func:`_affine_scan`), O(sqrt(N))
    vectorised steps for N updates instead of N Python-level ones.

    Parameters
    ----------
    x, y : ndarray of shape (n,)
    lr : float
        Learning rate, > 0.
    batch_size : int
        1..n.
    epochs : int
        Passes over the data, 1..10000.
    start : array_like of shape (2,)
        Initial ``(w, b)``.
    rng : Generator, int or None
        Shuffling.
    bound : float
        ``max(|w|, |b|) > bound`` counts as diverged.

    Returns
    -------
    SGDRun
    """
    x, y, lr, batch_size, epochs, theta, bound = _check_sgd(
        x, y, lr, batch_size, epochs, start, bound
    )
    gen = as_rng(rng)
    n = x.size
    per_epoch = -(-n // batch_size)
    starts = np.arange(0, n, batch_size)
    counts = np.diff(np.append(starts, n)).astype(float)
    stats = np.empty((epochs * per_epoch, 5))
    for epoch in range(epochs):
        order = gen.permutation(n)
        xs, ys = x[order], y[order]
        block = (
            np.add.reduceat(np.stack([xs, xs * xs, xs * ys, ys, ys * ys]), starts, axis=1) / counts
        )
        stats[epoch * per_epoch : (epoch + 1) * per_epoch] = block.T
    sx, sxx, sxy, sy, syy = stats.T
    # update k: theta <- A_k theta + c_k, A_k = I - 2 lr [[sxx, sx], [sx, 1]], c_k = 2 lr (sxy, sy)
    step = 2.0 * lr
    params = np.empty((len(stats) + 1, 2))
    params[0] = theta
    with np.errstate(all="ignore"):  # a diverging run overflows; it is detected just below
        params[1:] = _affine_scan(
            1.0 - step * sxx, -step * sx, 1.0 - step, step * sxy, step * sy, theta
        )
        bad = ~np.all(np.abs(params) <= bound, axis=1)  # NaN counts as bad
    diverged_at = int(bad.argmax()) if bad.any() else -1
    # The loss of each batch at the parameters it was applied to, from its five means.
    seen = diverged_at if diverged_at > 0 else len(stats)
    pw, pb = params[:seen, 0], params[:seen, 1]
    sx, sxx, sxy, sy, syy = stats[:seen].T
    batch_loss = np.zeros(len(stats))
    batch_loss[:seen] = (
        pw * pw * sxx + 2 * pw * pb * sx + pb * pb - 2 * pw * sxy - 2 * pb * sy + syy
    )
    return _finish(x, y, params, batch_loss, per_epoch, epochs, diverged_at)


class Message(NamedTuple):
    """A sentence for the reader and how to show it.

    Attributes
    ----------
    level : {"warning", "info", ""}
        "" when there is nothing to say.
    text : str
    """

    level: str
    text: str


def sgd_report(diverged, *, lr: float, lam_max: float, lam_example: float) -> Message:
    """What to say about a race of batch sizes on the regression: who diverged, or why one jumps.

    Parameters
    ----------
    diverged : sequence of str
        The names of the runs that diverged.
    lr : float
        The learning rate they shared.
    lam_max : float
        The full-data MSE's largest Hessian eigenvalue.
    lam_example : float
        The largest curvature of a single example's loss,
        ``max 2 (x_i^2 + 1)`` (:func:`example_curvatures`).

    Returns
    -------
    Message
        A warning when a run diverged; else a note when ``lr * lam_example > 2``
        (single-example steps overshoot, hence the stochastic run's jumps);
        else nothing.
    """
    lr = check_positive("lr", lr)
    names = [str(n) for n in diverged]
    if names:
        return Message(
            "warning",
            f"{', '.join(names)} diverged. "
            + explain_divergence(lr, lam_max)
            + " Small batches see their own, sometimes larger, curvature and can blow up first.",
        )
    q = lr * check_number("lam_example", lam_example)
    if q > 2:
        return Message(
            "info",
            f"Single examples have curvature up to λ = 2(x_i² + 1) = {lam_example:.3g}, and η·λ = "
            f"{q:.3g} > 2: on such examples a stochastic step overshoots, hence its jumps.",
        )
    return Message("", "")
