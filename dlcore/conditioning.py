"""Gradient descent in many dimensions: the Hessian, conditioning and convergence rates.

On ``f(p) = 1/2 p^T H p`` each eigen-direction of the Hessian has its own
factor ``1 - lr * lambda_i``. One learning rate must serve them all, so the
condition number ``kappa = lambda_max / lambda_min`` sets the best rate,
``(kappa - 1) / (kappa + 1)``; momentum improves it to
``(sqrt(kappa) - 1) / (sqrt(kappa) + 1)`` (Polyak 1964; Goh, "Why Momentum
Really Works", Distill 2017).
"""

from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as np

from dlcore._validation import (
    check_array,
    check_positive,
    check_range,
)
from dlcore.descent import BOUNDARY_RTOL, explain_divergence


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


def eigen_condition_number(eigenvalues) -> float:
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
