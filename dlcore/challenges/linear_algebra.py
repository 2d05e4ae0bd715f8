"""Challenge predicates of the Linear algebra lab (2x2 transformations, vectors)."""

from __future__ import annotations

import numpy as np

from dlcore.challenges import EXACT as TOL
from dlcore.challenges import Verdict, not_finite
from dlcore.transforms2d import eig2


def _matrix(
    a11: float, a12: float, a21: float, a22: float
) -> tuple[np.ndarray | None, Verdict | None]:
    bad = not_finite(a=a11, b=a12, c=a21, d=a22)
    return (None, bad) if bad else (np.array([[a11, a12], [a21, a22]], float), None)


def squashes_onto_diagonal(a11: float, a12: float, a21: float, a22: float) -> Verdict:
    """Passes when A maps the whole plane onto the line y = x: rank 1, both columns on it.

    Examples
    --------
    >>> squashes_onto_diagonal(1, 2, 1, 2).passed
    True
    >>> squashes_onto_diagonal(2, 1, 1, 2).reason
    'Your det is 3: the plane still has area.'
    """
    A, bad = _matrix(a11, a12, a21, a22)
    if bad:
        return bad
    if np.abs(A).max() <= TOL:
        return Verdict(False, "A is all zeros: it squashes the plane to a point, not onto a line.")
    det = float(a11 * a22 - a12 * a21)
    if abs(det) > TOL:
        return Verdict(False, f"Your det is {det:.4g}: the plane still has area.")
    if abs(a11 - a21) > TOL or abs(a12 - a22) > TOL:
        big = A[:, np.argmax(np.abs(A).sum(axis=0))]
        return Verdict(
            False,
            f"det = 0, but the plane lands on the line through ({big[0]:.3g}, {big[1]:.3g}), "
            "not on y = x.",
        )
    return Verdict(True, "det = 0 and both columns lie on y = x: every point lands on that line.")


def eigenvectors_are_axes(a11: float, a12: float, a21: float, a22: float) -> Verdict:
    """Passes when the axes are A's only eigenvector directions: diagonal, with ``a11 != a22``.

    Examples
    --------
    >>> eigenvectors_are_axes(2, 0, 0, 0.5).passed
    True
    >>> eigenvectors_are_axes(1, 0, 0, 1).passed
    False
    """
    A, bad = _matrix(a11, a12, a21, a22)
    if bad:
        return bad
    if abs(a12) > TOL or abs(a21) > TOL:
        return Verdict(False, f"b = {a12:.3g} and c = {a21:.3g}: A moves (1, 0) off its own line.")
    if abs(a11 - a22) <= TOL:
        return Verdict(
            False,
            f"A = {a11:.3g} I stretches every direction alike: every vector is an eigenvector, "
            "not just the axes.",
        )
    return Verdict(True, f"A stretches x by {a11:.3g} and y by {a22:.3g}: the axes, and only they.")


def spirals_inwards(a11: float, a12: float, a21: float, a22: float) -> Verdict:
    """Passes when A has complex eigenvalues of modulus below 1: points spiral to the origin.

    Examples
    --------
    >>> spirals_inwards(0.5, -0.5, 0.5, 0.5).passed
    True
    >>> spirals_inwards(0.9, -0.6, 0.6, 0.9).reason
    'Complex eigenvalues of modulus 1.08: points circle outwards, not in.'
    """
    A, bad = _matrix(a11, a12, a21, a22)
    if bad:
        return bad
    e = eig2(A)
    if e.is_real:
        return Verdict(
            False,
            f"Real eigenvalues {e.eigenvalues[0]:.3g} and {e.eigenvalues[1]:.3g}: some direction "
            "stays on its own line, so nothing turns.",
        )
    if e.modulus >= 1.0:
        return Verdict(
            False,
            f"Complex eigenvalues of modulus {e.modulus:.3g}: points circle outwards, not in.",
        )
    return Verdict(
        True,
        f"Each step turns by {np.degrees(e.angle):.1f}° and shrinks by {e.modulus:.3g}.",
    )


def orthogonal_vectors(u1: float, u2: float, v1: float, v2: float) -> Verdict:
    """Passes when u and v are both non-zero and at right angles: ``u · v = 0``.

    Examples
    --------
    >>> orthogonal_vectors(3, 1, -1, 3).passed
    True
    >>> orthogonal_vectors(3, 1, 1, 3).reason
    'u · v = 6: the angle is 53.1°, not 90°.'
    """
    bad = not_finite(u1=u1, u2=u2, v1=v1, v2=v2)
    if bad:
        return bad
    nu, nv = float(np.hypot(u1, u2)), float(np.hypot(v1, v2))
    if nu <= TOL or nv <= TOL:
        return Verdict(False, "A zero vector has no direction: make both u and v non-zero.")
    dot = float(u1 * v1 + u2 * v2)
    if abs(dot) > TOL:
        angle = float(np.degrees(np.arccos(np.clip(dot / (nu * nv), -1.0, 1.0))))
        return Verdict(False, f"u · v = {dot:.4g}: the angle is {angle:.1f}°, not 90°.")
    return Verdict(True, "u · v = 0 with both vectors non-zero: they are at right angles.")
