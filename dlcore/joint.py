"""Two random variables together: joint, marginal and conditional tables, covariance, correlation.

Discrete: a table ``P[i, j] = P(A = a_i, B = b_j)``. Summing out one variable
gives the other's marginal, ``P(A = a_i) = sum_j P[i, j]``; fixing one and
renormalising gives a conditional, ``P(A | B = b_j) = P[:, j] / P(B = b_j)``.
A and B are independent exactly when every entry is the product of its
marginals; the mutual information ``I(A; B) = KL(P(A, B) || P(A) P(B))`` measures
how far they are from it (0 exactly when independent).

Continuous: the covariance ``Cov(X, Y) = E[(X - EX)(Y - EY)]`` and the
correlation ``rho = Cov / (sigma_X sigma_Y)`` measure *linear* dependence only:
``Y = X^2`` depends on X completely, yet ``Cov(X, X^2) = E[X^3] = 0`` for a
symmetric X.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from dlcore._validation import RngLike, as_rng, check_array, check_int, check_range

#: Entries that differ by less than this from the product of the marginals count as equal.
INDEPENDENCE_TOL = 1e-9


class JointTable(NamedTuple):
    """A joint distribution of two discrete variables and what follows from it.

    Attributes
    ----------
    joint : ndarray of shape (m, n)
        ``P(A = a_i, B = b_j)``, summing to 1.
    p_a : ndarray of shape (m,)
        Row sums, the marginal of A.
    p_b : ndarray of shape (n,)
        Column sums, the marginal of B.
    product : ndarray of shape (m, n)
        ``P(A) P(B)``, the table A and B would have if independent.
    max_gap : float
        ``max |joint - product|``.
    mutual_information : float
        ``I(A; B)`` in nats.
    independent : bool
        ``max_gap < INDEPENDENCE_TOL``.
    """

    joint: np.ndarray
    p_a: np.ndarray
    p_b: np.ndarray
    product: np.ndarray
    max_gap: float
    mutual_information: float
    independent: bool


def joint_table(weights: Any) -> JointTable:
    """Normalise a table of non-negative weights (counts or probabilities) into a joint.

    Parameters
    ----------
    weights : array_like of shape (m, n)
        Not all zero; rows are the values of A, columns those of B.
    """
    w = check_array("table", weights, ndim=2)
    if np.any(w < 0):
        raise ValueError("table entries must be counts or probabilities, so never negative")
    total = w.sum()
    if total <= 0:
        raise ValueError("table needs at least one positive entry")
    joint = w / total
    p_a, p_b = joint.sum(axis=1), joint.sum(axis=0)
    product = np.outer(p_a, p_b)
    used = joint > 0  # 0 log 0 = 0
    mi = float(np.sum(joint[used] * np.log(joint[used] / product[used])))
    gap = float(np.max(np.abs(joint - product)))
    return JointTable(joint, p_a, p_b, product, gap, max(mi, 0.0), gap < INDEPENDENCE_TOL)


def conditional(table: JointTable, *, given: str, index: int) -> np.ndarray:
    """``P(A | B = b_index)`` (``given="B"``: a column renormalised) or ``P(B | A = a_index)``.

    Returns
    -------
    ndarray of shape (m,) for ``given="B"``, (n,) for ``given="A"``.
    """
    if given not in ("A", "B"):
        raise ValueError(f"given must be 'A' or 'B', got {given!r}")
    marginal = table.p_b if given == "B" else table.p_a
    index = check_int("index", index, 0, len(marginal) - 1)
    if marginal[index] == 0:
        name = f"b{index + 1}" if given == "B" else f"a{index + 1}"
        other = "A" if given == "B" else "B"
        raise ValueError(
            f"P({given} = {name}) = 0, so P({other} | {given} = {name}) is undefined: there is no "
            "probability to renormalise"
        )
    piece = table.joint[:, index] if given == "B" else table.joint[index]
    return piece / marginal[index]


def bivariate_normal(
    n: int, *, rho: float, sigma_x: float = 1.0, sigma_y: float = 1.0, rng: RngLike = None
) -> np.ndarray:
    """``n`` samples of a zero-mean bivariate normal with correlation ``rho``.

    Returns
    -------
    ndarray of shape (n, 2)
        ``x = sigma_x z1``, ``y = sigma_y (rho z1 + sqrt(1 - rho^2) z2)`` (the Cholesky factor).
    """
    n = check_int("n", n, 2, 1_000_000)
    rho = check_range("rho", rho, -1.0, 1.0)
    sigma_x = check_range("sigma_x", sigma_x, 0.0, None, low_inclusive=False)
    sigma_y = check_range("sigma_y", sigma_y, 0.0, None, low_inclusive=False)
    z = as_rng(rng).standard_normal((n, 2))
    y = rho * z[:, 0] + np.sqrt(1.0 - rho * rho) * z[:, 1]
    return np.column_stack([sigma_x * z[:, 0], sigma_y * y])


def dependent_uncorrelated(n: int, *, noise: float = 0.1, rng: RngLike = None) -> np.ndarray:
    """``y = x^2 - 1 + noise`` with x standard normal: y depends on x, yet ``Cov(x, y) = 0``.

    The sample is drawn in mirrored pairs, ``(x, y)`` and ``(-x, y)``, so its own
    covariance is 0 too (to rounding), not only the population's.

    Returns
    -------
    ndarray of shape (2 * (n // 2), 2)
    """
    n = check_int("n", n, 2, 1_000_000)
    noise = check_range("noise", noise, 0.0, 10.0)
    gen = as_rng(rng)
    half = gen.standard_normal(n // 2)
    y = half * half - 1.0 + noise * gen.standard_normal(n // 2)
    return np.column_stack([np.concatenate([half, -half]), np.concatenate([y, y])])


def sample_covariance(X: Any) -> np.ndarray:
    """The unbiased sample covariance matrix (``np.cov(X, rowvar=False)``).

    Parameters
    ----------
    X : array_like of shape (n, d), n >= 2

    Returns
    -------
    ndarray of shape (d, d)
    """
    X = check_array("X", X, ndim=2)
    if X.shape[0] < 2:
        raise ValueError(f"X needs at least 2 rows for a covariance, got {X.shape[0]}")
    centred = X - X.mean(axis=0)
    return centred.T @ centred / (X.shape[0] - 1)


def correlation_from_covariance(cov: Any) -> np.ndarray:
    """``cov[i, j] / sqrt(cov[i, i] cov[j, j])``; a constant column gets NaN (undefined)."""
    cov = np.asarray(cov, float)
    sd = np.sqrt(np.diag(cov))
    with np.errstate(divide="ignore", invalid="ignore"):
        corr = cov / np.outer(sd, sd)
    corr[np.outer(sd, sd) == 0] = np.nan
    np.fill_diagonal(corr, np.where(sd > 0, 1.0, np.nan))
    return np.clip(corr, -1.0, 1.0)


class RegressionLines(NamedTuple):
    """The two least-squares lines of a 2-D sample, both as ``y = intercept + slope x``.

    Attributes
    ----------
    y_on_x : (intercept, slope)
        Predicts y from x: slope ``Cov / Var x`` = ``r s_y / s_x``.
    x_on_y : (intercept, slope)
        Predicts x from y, drawn in the same axes: slope ``Var y / Cov`` = ``s_y / (r s_x)``
        (infinite, a vertical line, when ``r = 0``).
    """

    y_on_x: tuple[float, float]
    x_on_y: tuple[float, float]


def regression_lines(X: Any) -> RegressionLines:
    """Both regression lines of the sample ``X`` of shape (n, 2)."""
    X = check_array("X", X, ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 columns, got {X.shape[1]}")
    (vx, cxy), (_, vy) = sample_covariance(X)
    mx, my = X.mean(axis=0)
    b1 = cxy / vx if vx > 0 else float("nan")
    # r within rounding of 0: the x-on-y line is vertical (an infinite slope in these axes)
    b2 = vy / cxy if abs(cxy) > 1e-12 * np.sqrt(vx * vy) else float("inf")
    return RegressionLines(
        (float(my - b1 * mx), float(b1)),
        (float(my - b2 * mx) if np.isfinite(b2) else float("nan"), float(b2)),
    )


def covariance_ellipse(mean: Any, cov: Any, *, scale: float = 2.0, points: int = 100):
    """Points of ``(x - mean)^T cov^-1 (x - mean) = scale^2``, the scale-sigma contour.

    Returns
    -------
    ndarray of shape (points, 2)
    """
    mean, cov = np.asarray(mean, float), np.asarray(cov, float)
    vals, vecs = np.linalg.eigh(cov)
    t = np.linspace(0, 2 * np.pi, check_int("points", points, 3, 10_000))
    circle = np.stack([np.cos(t), np.sin(t)])
    return (vecs @ (scale * np.sqrt(np.maximum(vals, 0))[:, None] * circle)).T + mean
