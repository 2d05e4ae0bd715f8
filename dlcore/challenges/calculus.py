"""Challenge predicates of the Calculus lab (secants, the chain rule, gradients)."""

from __future__ import annotations

import math

from dlcore.challenges import Verdict, not_finite


def secant_matches_tangent(secant: float, slope: float, h: float, *, tol: float = 0.01) -> Verdict:
    """Passes when the secant slope is within ``tol`` of ``f'(x0)``: relative to ``|f'(x0)|``,
    or absolute where ``|f'(x0)| < 1``.

    Examples
    --------
    >>> secant_matches_tangent(1.004, 1.0, 0.01).passed
    True
    >>> secant_matches_tangent(1.5, 1.0, 1.0).reason
    "With h = 1 the secant's slope is 1.5, off by 0.5 from f'(x₀) = 1 (allowed: 0.01)."
    """
    if not math.isfinite(slope):
        return Verdict(False, "f'(x₀) is undefined at this point: move x₀.")
    bad = not_finite(secant=secant)
    if bad:
        return Verdict(
            False, f"With h = {h:g} the secant's slope is not a number: f is undefined there."
        )
    gap, allowed = abs(secant - slope), tol * max(abs(slope), 1.0)
    if gap > allowed:
        return Verdict(
            False,
            f"With h = {h:g} the secant's slope is {secant:.4g}, off by {gap:.3g} from "
            f"f'(x₀) = {slope:.4g} (allowed: {allowed:.3g}).",
        )
    return Verdict(
        True, f"With h = {h:g} the secant's slope {secant:.6g} is off by only {gap:.2g}."
    )


def outer_factor_vanishes(
    outer_derivative: float, inner_derivative: float, *, tol: float = 0.02, alive: float = 0.1
) -> Verdict:
    """Passes where the chain-rule product is 0 because ``g'(u)`` is, while ``h'(x)`` is not.

    Examples
    --------
    >>> outer_factor_vanishes(0.008, 1.5).passed
    True
    >>> outer_factor_vanishes(0.5, 0.0).reason
    "h'(x) = 0: the inner factor stops the gradient here, not the outer one."
    """
    bad = not_finite(outer_derivative=outer_derivative, inner_derivative=inner_derivative)
    if bad:
        return bad
    if abs(inner_derivative) < alive:
        return Verdict(
            False,
            f"h'(x) = {inner_derivative:.3g}: the inner factor stops the gradient here, not the outer one.",
        )
    if abs(outer_derivative) > tol:
        return Verdict(
            False, f"g'(u) = {outer_derivative:.3g}: the outer factor still passes gradient."
        )
    return Verdict(
        True,
        f"g'(u) = {outer_derivative:.2g} while h'(x) = {inner_derivative:.3g}: the product is "
        f"{outer_derivative * inner_derivative:.2g}.",
    )


def _turn(angle: float, grad_angle: float) -> float:
    """The angle between two directions in degrees, in [0, 180]."""
    return abs((angle - grad_angle + 180.0) % 360.0 - 180.0)


def along_gradient(angle: float, grad_angle: float, norm: float, *, tol: float = 5.0) -> Verdict:
    """Passes when the direction u is within ``tol`` degrees of the gradient (and it is non-zero).

    Examples
    --------
    >>> along_gradient(45.0, 43.0, 2.0).passed
    True
    >>> along_gradient(45.0, -135.0, 2.0).reason
    'u is 180° from the gradient: D_u f = -2, not the steepest ascent.'
    """
    bad = not_finite(angle=angle, grad_angle=grad_angle, norm=norm)
    if bad:
        return bad
    if norm <= 1e-9:
        return Verdict(
            False, "The gradient is zero here: no direction is steepest. Move the point."
        )
    turn = _turn(angle, grad_angle)
    du = norm * math.cos(math.radians(turn))
    if turn > tol:
        return Verdict(
            False, f"u is {turn:.0f}° from the gradient: D_u f = {du:.3g}, not the steepest ascent."
        )
    return Verdict(
        True, f"u is {turn:.1f}° from the gradient: D_u f = {du:.3g} ≈ |∇f| = {norm:.3g}."
    )


def along_level_set(angle: float, grad_angle: float, norm: float, *, tol: float = 5.0) -> Verdict:
    """Passes when u is within ``tol`` degrees of perpendicular to a non-zero gradient.

    Examples
    --------
    >>> along_level_set(90.0, 0.0, 1.0).passed
    True
    """
    bad = not_finite(angle=angle, grad_angle=grad_angle, norm=norm)
    if bad:
        return bad
    if norm <= 1e-9:
        return Verdict(False, "The gradient is zero here: every direction is flat. Move the point.")
    turn = _turn(angle, grad_angle)
    du = norm * math.cos(math.radians(turn))
    if abs(turn - 90.0) > tol:
        return Verdict(
            False, f"u is {turn:.0f}° from the gradient: f changes at rate {du:.3g} along it."
        )
    return Verdict(
        True, f"u is {turn:.0f}° from the gradient: D_u f = {du:.2g}, along the contour."
    )
