"""What the panels of the Linear Algebra lab show, one function per panel."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlcore import linalg as la
from dlcore import transforms2d as t2d
from dlcore._validation import check_array


# --------------------------------------------------------------------- vectors
class VectorsView(NamedTuple):
    """The vectors panel: two arrows, a scaled copy and how they relate.

    Attributes
    ----------
    u, v, scaled : ndarray of shape (2,)
        ``scaled = c u``.
    relation : VectorRelation
        Dot product, norms, angle (radians, NaN for a zero vector), projection.
    cos_angle, angle_deg : float
        NaN when a vector is zero (the angle is undefined).
    perpendicular : bool
        ``u . v = 0`` with neither vector zero.
    """

    u: np.ndarray
    v: np.ndarray
    scaled: np.ndarray
    relation: t2d.VectorRelation
    cos_angle: float
    angle_deg: float
    perpendicular: bool


def vectors_view(u, v, c: float) -> VectorsView:
    """Relate ``u`` (shape (2,)) and ``v`` and scale ``u`` by ``c``."""
    u = check_array("u", u, ndim=1)
    v = check_array("v", v, ndim=1)
    r = t2d.relate(u, v)
    defined = bool(np.isfinite(r.angle))
    cos = float(np.cos(r.angle)) if defined else float("nan")
    deg = float(np.degrees(r.angle)) if defined else float("nan")
    perpendicular = defined and abs(r.dot) <= 1e-12 * r.norm_u * r.norm_v
    return VectorsView(u, v, float(c) * u, r, cos, deg, perpendicular)


# ------------------------------------------------------------ transformations
class TransformView(NamedTuple):
    """The transformation panel: a 2x2 matrix, its eigen- and singular values.

    Attributes
    ----------
    A : ndarray of shape (2, 2)
    eig : Eig2Result
    svd : SVDResult
    discriminant : float
        ``tr^2 / 4 - det``; negative means complex eigenvalues.
    eig_sum, eig_product : float
        ``l1 + l2`` (= tr A) and ``l1 l2`` (= det A), real parts.
    sigma_product : float
        ``s1 s2`` (= |det A|).
    singular : bool
        ``det A = 0`` (to 1e-12): the plane collapses onto a line or a point.
    is_preset : bool
        A equals the chosen preset's matrix (so its description still applies).
    """

    A: np.ndarray
    eig: t2d.Eig2Result
    svd: t2d.SVDResult
    discriminant: float
    eig_sum: float
    eig_product: float
    sigma_product: float
    singular: bool
    is_preset: bool


def transform_view(A, preset: str) -> TransformView:
    """Eigen-decomposition and SVD of ``A`` (shape (2, 2)), against ``preset``'s matrix."""
    A = check_array("A", A, ndim=2)
    e, s = la.eig2(A), la.svd2(A)
    l1, l2 = e.eigenvalues
    is_preset = preset in t2d.TRANSFORMS and bool(np.allclose(A, t2d.TRANSFORMS[preset].as_array()))
    return TransformView(
        A=A,
        eig=e,
        svd=s,
        discriminant=e.trace**2 / 4 - e.det,
        eig_sum=float(np.real(l1 + l2)),
        eig_product=float(np.real(l1 * l2)),
        sigma_product=float(s.S[0] * s.S[1]),
        singular=abs(e.det) < 1e-12,
        is_preset=is_preset,
    )


# -------------------------------------------------------------------- products
class ProductsView(NamedTuple):
    """The products panel: ``BA`` (A first, then B) against ``AB``.

    Attributes
    ----------
    A, B, BA, AB : ndarray of shape (2, 2)
    commute : bool
        ``AB = BA`` (to rounding).
    difference : ndarray of shape (2, 2)
        ``AB - BA``, the commutator.
    """

    A: np.ndarray
    B: np.ndarray
    BA: np.ndarray
    AB: np.ndarray
    commute: bool
    difference: np.ndarray


def products_view(A, B) -> ProductsView:
    """Both orders of applying two 2x2 matrices."""
    A = check_array("A", A, ndim=2)
    B = check_array("B", B, ndim=2)
    BA, AB = B @ A, A @ B
    return ProductsView(A, B, BA, AB, bool(np.allclose(AB, BA)), AB - BA)


# -------------------------------------------------------------- linear systems
class SystemView(NamedTuple):
    """The linear-systems panel: ``A x = b`` solved by elimination.

    Attributes
    ----------
    A : ndarray of shape (n, n)
    b : ndarray of shape (n,)
    solution : SolveResult or None
        ``x`` and the elimination steps from ``[A | b]`` to ``[I | x]``;
        None when the system has no unique solution.
    inverse, check : ndarray of shape (n, n) or None
        ``A^{-1}`` and ``A A^{-1}`` (the identity up to rounding).
    picture : {"lines", "planes", None}
        What can be drawn: lines for 2x2, planes for 3x3, nothing otherwise.
    problem : str
        Why there is no unique solution (no solution, or infinitely many),
        "" when there is one.
    """

    A: np.ndarray
    b: np.ndarray
    solution: la.SolveResult | None
    inverse: np.ndarray | None
    check: np.ndarray | None
    picture: str | None
    problem: str


def picture_of(A: np.ndarray, b: np.ndarray) -> str | None:
    """``"lines"`` for a 2x2 system, ``"planes"`` for 3x3, None otherwise."""
    if b.ndim != 1:
        return None
    return {(2, 2, 2): "lines", (3, 3, 3): "planes"}.get((*A.shape, b.shape[0]))


def system_view(a_text: str, b_text: str) -> SystemView:
    """Parse and solve a typed system.

    A singular system is a result, not an error: its lines are still drawn
    and ``problem`` says whether it has no solution or infinitely many.

    Raises
    ------
    ValueError
        For text that is not a matrix, a non-square ``A`` or a ``b`` of the
        wrong length.
    """
    A = la.parse_matrix(a_text, name="A")
    b = la.parse_matrix(b_text, name="b").ravel()
    picture = picture_of(A, b)
    try:
        solution = la.solve(A, b)
    except ValueError as exc:
        if "singular" not in str(exc):
            raise
        return SystemView(A, b, None, None, None, picture, str(exc))
    inv = la.inverse(A)
    return SystemView(A, b, solution, inv, A @ inv, picture, "")


# --------------------------------------------------------------- conditioning
class SystemConditioningView(NamedTuple):
    """The conditioning panel: a nudge of ``b`` against the move of ``x``.

    Attributes
    ----------
    A : ndarray of shape (2, 2)
    b, b_nudged : ndarray of shape (2,)
    x, x_nudged : ndarray of shape (2,) or None
        None when A is singular (eps = 0).
    kappa : float
        The condition number (inf when singular).
    moved : float
        ``|dx| / |x|``, NaN when singular.
    bound : float
        ``kappa |db| / |b|``, the most ``moved`` can be.
    problem : str
        Why there is no unique solution (eps = 0), "" otherwise.
    """

    A: np.ndarray
    b: np.ndarray
    b_nudged: np.ndarray
    x: np.ndarray | None
    x_nudged: np.ndarray | None
    kappa: float
    moved: float
    bound: float
    problem: str


def system_conditioning_view(eps: float, delta: float) -> SystemConditioningView:
    """Solve ``[[1, 1], [1, 1 + eps]] x = b`` with and without the nudge ``delta`` on ``b2``."""
    A, b, b2 = la.near_singular_system(eps, delta)
    kappa = la.condition_number(A)
    nudge = float(np.linalg.norm(b2 - b) / np.linalg.norm(b))
    try:
        x, x2 = la.solve(A, b).x, la.solve(A, b2).x
    except ValueError as exc:  # eps = 0: the two rows are equal
        return SystemConditioningView(
            A, b, b2, None, None, kappa, float("nan"), float("inf"), str(exc)
        )
    moved = float(np.linalg.norm(x2 - x) / np.linalg.norm(x))
    return SystemConditioningView(A, b, b2, x, x2, kappa, moved, kappa * nudge, "")


# -------------------------------------------------------------- least squares
class LeastSquaresView(NamedTuple):
    """The least-squares panel: a noisy line fitted two ways.

    Attributes
    ----------
    x, y : ndarray of shape (n,)
        The points.
    design : ndarray of shape (n, 2)
        Columns ``[x, 1]``.
    qr, normal : LeastSquaresResult
        The fit by QR and by the normal equations.
    gram : ndarray of shape (2, 2)
        ``A^T A``.
    moment : ndarray of shape (2,)
        ``A^T y``.
    orthogonality : ndarray of shape (2,)
        ``A^T r``: zero up to rounding, because the residual is orthogonal
        to the columns of A.
    fitted : ndarray of shape (n,)
    """

    x: np.ndarray
    y: np.ndarray
    design: np.ndarray
    qr: la.LeastSquaresResult
    normal: la.LeastSquaresResult
    gram: np.ndarray
    moment: np.ndarray
    orthogonality: np.ndarray
    fitted: np.ndarray


def least_squares_view(n: int, noise: float, seed: int) -> LeastSquaresView:
    """Fit ``y = 1.5 x + 0.5 + noise`` at ``n`` seeded points by QR and by the normal equations."""
    x, y = la.noisy_line(n, slope=1.5, intercept=0.5, noise=noise, rng=int(seed))
    D = la.line_design(x)
    qr, ne = la.least_squares(D, y, method="qr"), la.least_squares(D, y, method="normal")
    return LeastSquaresView(x, y, D, qr, ne, D.T @ D, D.T @ y, D.T @ qr.residuals, y - qr.residuals)


# ------------------------------------------------------------- power iteration
class PowerView(NamedTuple):
    """The power-iteration panel.

    Attributes
    ----------
    A : ndarray of shape (2, 2)
        Symmetric, eigenvalues 2 and ``2 ratio``, dominant eigenvector at 30°.
    result : PowerIterationResult
    dominant : ndarray of shape (2,)
        The dominant eigenvector, for the chart.
    on_second : bool
        The start is (to rounding) on the second eigenvector: in exact
        arithmetic the iteration would never leave it.
    """

    A: np.ndarray
    result: la.PowerIterationResult
    dominant: np.ndarray
    on_second: bool


def power_view(ratio: float, steps: int, start_deg: float) -> PowerView:
    """Power iteration on a 2x2 matrix with ``l2 / l1 = ratio`` from the angle ``start_deg``."""
    A = t2d.matrix_with_eigenvalues(2.0, 2.0 * ratio, np.pi / 6)
    theta = np.radians(start_deg)
    v0 = np.array([np.cos(theta), np.sin(theta)])
    result = la.power_iteration(A, steps, v0=v0)
    dominant = la.eig2(A).eigenvectors[:, 0]
    on_second = abs(float(v0 @ dominant)) < 1e-12
    return PowerView(A, result, dominant, on_second)
