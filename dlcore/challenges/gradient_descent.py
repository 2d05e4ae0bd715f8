"""Challenge predicates of the Gradient descent lab (step size against curvature)."""

from __future__ import annotations

from dlcore import descent as gd
from dlcore.challenges import Verdict, not_finite
from dlcore.views.gradient_descent import QUADRATIC


def _quadratic_first(function: str) -> Verdict | None:
    if function != QUADRATIC:
        return Verdict(False, f"The function is {function}: switch to the {QUADRATIC}.")
    return None


def largest_stable_lr(function: str, lr: float, curvature: float, *, tol: float = 0.05) -> Verdict:
    """Passes when ``lr`` still converges on the quadratic and is within ``tol`` of ``2 / lambda``.

    Examples
    --------
    >>> largest_stable_lr("Quadratic", 0.97, 2.0).passed
    True
    >>> largest_stable_lr("Quadratic", 1.0, 2.0).reason
    'η = 1 is 2/λ exactly: the iterates bounce between two points forever and never converge.'
    """
    bad = _quadratic_first(function) or not_finite(lr=lr, curvature=curvature)
    if bad:
        return bad
    regime = gd.lr_regime(lr, curvature)
    edge = 2.0 / curvature
    if regime.name == "bouncing":
        return Verdict(
            False,
            f"η = {lr:g} is 2/λ exactly: the iterates bounce between two points forever "
            "and never converge.",
        )
    if not regime.converges:
        return Verdict(False, f"η = {lr:g} is past 2/λ = {edge:.4g}: the iterates diverge.")
    short = 1.0 - lr / edge
    if short > tol:
        return Verdict(False, f"η = {lr:g} converges but is {short:.1%} below 2/λ: go higher.")
    return Verdict(
        True, f"η = {lr:g} converges and is {short:.1%} below the limit 2/λ = {edge:.4g}."
    )


def oscillates_but_converges(function: str, lr: float, curvature: float) -> Verdict:
    """Passes when one step overshoots the minimum by less than it started: ``-1 < 1 - lr λ < 0``.

    Examples
    --------
    >>> oscillates_but_converges("Quadratic", 0.75, 2.0).passed
    True
    """
    bad = _quadratic_first(function) or not_finite(lr=lr, curvature=curvature)
    if bad:
        return bad
    regime = gd.lr_regime(lr, curvature)
    factor = f"1 − ηλ = {regime.factor:.3g}"
    if regime.name == "oscillating":
        return Verdict(True, f"{factor}: each step flips sides and shrinks the error.")
    if regime.converges:
        return Verdict(False, f"{factor} ≥ 0: the iterates never cross the minimum; raise η.")
    return Verdict(False, f"{factor} ≤ −1: the swings do not shrink; lower η.")


def one_step_to_minimum(
    function: str, lr: float, curvature: float, *, tol: float = 0.01
) -> Verdict:
    """Passes when ``lr * lambda`` is within ``tol`` of 1: the first step lands on the minimum.

    Examples
    --------
    >>> one_step_to_minimum("Quadratic", 0.5, 2.0).passed
    True
    """
    bad = _quadratic_first(function) or not_finite(lr=lr, curvature=curvature)
    if bad:
        return bad
    q = lr * curvature
    if abs(q - 1.0) <= tol:
        return Verdict(True, f"ηλ = {q:.4g}: the first step leaves {abs(1 - q):.2%} of the error.")
    return Verdict(False, f"ηλ = {q:.4g}: the first step leaves {abs(1 - q):.0%} of the error.")


def steepest_direction_diverges(best: bool, lr_times_lmax: float) -> Verdict:
    """Passes when a chosen (not the best) step makes ``|1 - η λ_max| > 1``: GD blows up.

    Examples
    --------
    >>> steepest_direction_diverges(False, 2.1).passed
    True
    >>> steepest_direction_diverges(True, 2.1).passed
    False
    """
    bad = not_finite(lr_times_lmax=lr_times_lmax)
    if bad:
        return bad
    if best:
        return Verdict(False, "The best fixed step is on: it always converges. Turn it off.")
    regime = gd.lr_regime(lr_times_lmax, 1.0)
    if regime.converges or regime.name == "bouncing":
        return Verdict(
            False, f"η λ_max = {lr_times_lmax:g}: the steep direction still shrinks or bounces."
        )
    return Verdict(
        True, f"η λ_max = {lr_times_lmax:g} > 2: the steep direction grows by {-regime.factor:.3g}."
    )
