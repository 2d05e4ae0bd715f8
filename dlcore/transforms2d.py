"""Vectors and 2x2 matrices as transformations of the plane: eigenvectors and the SVD by hand.

:func:`relate` compares two vectors (angle, projection); :func:`eig2` and
:func:`svd2` take a 2x2 matrix apart in closed form for the transform
explorer; :data:`TRANSFORMS` are its presets and
:func:`matrix_with_eigenvalues` builds a matrix with chosen eigenvalues.
:func:`eig2` and :func:`svd2` are part of the API of ARCHITECTURE.md and are
re-exported by :mod:`dlcore.linalg`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from dlcore._validation import check_array, check_range

__all__ = [
    "eig2",
    "Eig2Result",
    "matrix_with_eigenvalues",
    "relate",
    "svd2",
    "SVDResult",
    "Transform",
    "TRANSFORMS",
    "VectorRelation",
]


# --------------------------------------------------------------------- vectors
class VectorRelation(NamedTuple):
    """How two vectors relate: the numbers of the vectors panel.

    Attributes
    ----------
    dot : float
    norm_u, norm_v : float
    angle : float
        In radians, in [0, pi]; NaN if either vector is zero.
    projection : ndarray of shape (d,)
        The projection of u onto the line of v, ``(u.v / v.v) v``.
    """

    dot: float
    norm_u: float
    norm_v: float
    angle: float
    projection: np.ndarray


def relate(u, v) -> VectorRelation:
    """Dot product, norms, angle and the projection of ``u`` onto ``v``.

    Parameters
    ----------
    u, v : array_like of shape (d,)
    """
    u = check_array("u", u, ndim=1)
    v = check_array("v", v, ndim=1)
    if u.shape != v.shape:
        raise ValueError(f"u and v must have the same length, got {u.shape} and {v.shape}")
    dot = float(u @ v)
    nu, nv = float(np.hypot.reduce(u)), float(np.hypot.reduce(v))
    if nu == 0.0 or nv == 0.0:
        angle = float("nan")
    else:
        # clip: rounding can push the cosine of parallel vectors past 1
        angle = float(np.arccos(np.clip(dot / (nu * nv), -1.0, 1.0)))
    projection = (dot / (nv * nv)) * v if nv > 0 else np.zeros_like(v)
    return VectorRelation(dot, nu, nv, angle, projection)


# ------------------------------------------------------------------ 2x2 geometry
def _matrix2(A) -> np.ndarray:
    A = check_array("A", A, ndim=2)
    if A.shape != (2, 2):
        raise ValueError(f"A must be a 2x2 matrix, got shape {A.shape}")
    return A


class Eig2Result(NamedTuple):
    """Eigen-decomposition of a 2x2 matrix.

    Attributes
    ----------
    eigenvalues : ndarray of shape (2,)
        Real (float) or a complex-conjugate pair (complex); the larger real
        one first, or the one with positive imaginary part first.
    eigenvectors : ndarray of shape (2, 2)
        Unit eigenvectors as columns (complex when the eigenvalues are).
    trace, det : float
        ``trace = l1 + l2`` and ``det = l1 * l2``.
    is_real : bool
    modulus, angle : float
        For a complex pair ``r e^{+-i theta}``: the matrix rotates by
        ``theta`` (radians) and scales by ``r`` in a suitable basis. For real
        eigenvalues ``modulus`` is the largest ``|lambda|`` and ``angle`` 0.
    """

    eigenvalues: np.ndarray
    eigenvectors: np.ndarray
    trace: float
    det: float
    is_real: bool
    modulus: float
    angle: float


def _null_vector(M: np.ndarray) -> np.ndarray:
    # A non-zero vector with M v = 0 for a singular 2x2 M: orthogonal to the
    # larger row (the smaller one is a multiple of it, or zero).
    rows = M if abs(M[0]).sum() >= abs(M[1]).sum() else M[::-1]
    a, b = rows[0]
    v = np.array([-b, a])
    norm = np.sqrt((v * np.conj(v)).real.sum())
    if norm == 0:
        return np.array([1.0, 0.0], dtype=M.dtype)
    v = v / norm
    if not np.iscomplexobj(v) and v[np.argmax(np.abs(v))] < 0:
        v = -v  # sign convention as svd_flip: the largest entry positive
    return v


def eig2(A) -> Eig2Result:
    """Eigenvalues and eigenvectors of a 2x2 matrix in closed form.

    The characteristic polynomial is ``l^2 - tr(A) l + det(A) = 0``, so
    ``l = tr/2 +- sqrt(tr^2/4 - det)``: real when the discriminant is
    non-negative, a complex-conjugate pair otherwise.

    Parameters
    ----------
    A : array_like of shape (2, 2)
    """
    A = _matrix2(A)
    tr = float(A[0, 0] + A[1, 1])
    det = float(A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0])
    half = tr / 2.0
    disc = half * half - det
    scale = max(abs(A).max(), 1e-300) ** 2
    if disc >= -1e-14 * scale:
        root = np.sqrt(max(disc, 0.0))
        # l1 without cancellation, l2 = det / l1 (Vieta) when l1 is not tiny
        l1 = half + root if half >= 0 else half - root
        l2 = det / l1 if abs(l1) > 1e-300 else half - root
        lam = np.sort(np.array([l1, l2]))[::-1]
        if A[0, 1] == 0 and A[1, 0] == 0:  # diagonal: the axes (two of them even when l1 = l2)
            order = np.argsort(-np.diag(A), kind="stable")
            vecs = np.eye(2)[:, order]
        else:
            vecs = np.column_stack([_null_vector(A - ev * np.eye(2)) for ev in lam])
        return Eig2Result(lam, vecs, tr, det, True, float(abs(lam).max()), 0.0)
    root = np.sqrt(-disc)
    lam = np.array([complex(half, root), complex(half, -root)])
    vecs = np.column_stack([_null_vector(A.astype(complex) - ev * np.eye(2)) for ev in lam])
    modulus = float(np.sqrt(det))  # |l|^2 = l * conj(l) = det for a conjugate pair
    return Eig2Result(lam, vecs, tr, det, False, modulus, float(np.arctan2(root, half)))


@dataclass(frozen=True)
class Transform:
    """A named 2x2 matrix for the transformation explorer.

    Attributes
    ----------
    name : str
    matrix : tuple of 4 floats
        Row-major ``(a, b, c, d)`` for ``[[a, b], [c, d]]`` (a tuple: hashable).
    latex : str
        The matrix in symbols.
    description : str
        What it does to the plane.
    """

    name: str
    matrix: tuple[float, float, float, float]
    latex: str
    description: str

    def as_array(self) -> np.ndarray:
        return np.array(self.matrix, dtype=float).reshape(2, 2)


_C30, _S30 = float(np.cos(np.pi / 6)), float(np.sin(np.pi / 6))
TRANSFORMS: dict[str, Transform] = {
    t.name: t
    for t in (
        Transform(
            "Stretch along a diagonal",
            (2.0, 1.0, 1.0, 2.0),
            r"\begin{pmatrix}2&1\\1&2\end{pmatrix}",
            "symmetric: eigenvectors at right angles, equal to the SVD axes",
        ),
        Transform(
            "Rotation by 30°",
            (_C30, -_S30, _S30, _C30),
            r"\begin{pmatrix}\cos\theta&-\sin\theta\\\sin\theta&\cos\theta\end{pmatrix}",
            "no real eigenvector: every direction turns",
        ),
        Transform(
            "Shear",
            (1.0, 1.0, 0.0, 1.0),
            r"\begin{pmatrix}1&k\\0&1\end{pmatrix}",
            "one eigenvector only (defective), area kept",
        ),
        Transform(
            "Scaling",
            (1.5, 0.0, 0.0, 0.5),
            r"\begin{pmatrix}s_x&0\\0&s_y\end{pmatrix}",
            "the axes are the eigenvectors",
        ),
        Transform(
            "Reflection across the x-axis",
            (1.0, 0.0, 0.0, -1.0),
            r"\begin{pmatrix}1&0\\0&-1\end{pmatrix}",
            "det = -1: orientation flips (the F is mirrored)",
        ),
        Transform(
            "Projection onto the x-axis (singular)",
            (1.0, 0.0, 0.0, 0.0),
            r"\begin{pmatrix}1&0\\0&0\end{pmatrix}",
            "det = 0: the plane collapses onto a line",
        ),
        Transform(
            "Rotation + scaling (complex eigenvalues)",
            (0.9, -0.6, 0.6, 0.9),
            r"\begin{pmatrix}a&-b\\b&a\end{pmatrix}",
            "eigenvalues a ± ib: rotate by their angle, scale by their modulus",
        ),
    )
}


def matrix_with_eigenvalues(l1: float, l2: float, angle: float) -> np.ndarray:
    """The symmetric 2x2 matrix ``R diag(l1, l2) R^T`` with eigenvector 1 at ``angle`` (radians)."""
    l1 = check_range("l1", l1, -100.0, 100.0)
    l2 = check_range("l2", l2, -100.0, 100.0)
    angle = check_range("angle", angle, -2 * np.pi, 2 * np.pi)
    c, s = np.cos(angle), np.sin(angle)
    R = np.array([[c, -s], [s, c]])
    return (R * np.array([l1, l2])) @ R.T


class SVDResult(NamedTuple):
    """A (possibly truncated) SVD ``A ~ U diag(S) Vt``.

    Attributes
    ----------
    U : ndarray of shape (m, r)
    S : ndarray of shape (r,), non-increasing
    Vt : ndarray of shape (r, n)
    """

    U: np.ndarray
    S: np.ndarray
    Vt: np.ndarray


def svd2(A) -> SVDResult:
    """The SVD of a 2x2 matrix: rotate (Vt), stretch (S), rotate (U).

    The unit circle maps to an ellipse whose semi-axes are ``S[i] * U[:, i]``,
    images of the right singular vectors ``Vt[i]``. Signs are chosen so that
    ``U`` is a rotation (det +1) whenever ``A`` keeps orientation.

    Parameters
    ----------
    A : array_like of shape (2, 2)
    """
    A = _matrix2(A)
    U, S, Vt = np.linalg.svd(A)
    if np.linalg.det(U) < 0:  # move the reflection into V so U is a rotation
        U[:, 1] *= -1
        Vt[1] *= -1
    return SVDResult(U, S, Vt)
