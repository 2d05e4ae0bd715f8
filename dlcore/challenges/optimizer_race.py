"""Challenge predicates of the Optimizer race lab."""

from __future__ import annotations

import numpy as np

from dlcore.challenges import Verdict


def reaches_loss(
    surface: str,
    losses,
    diverged_at: int = -1,
    *,
    on: str = "Rosenbrock",
    target: float = 1e-3,
    within: int = 200,
) -> Verdict:
    """Passes when the loss on surface ``on`` is at most ``target`` before step ``within``.

    ``losses`` has one entry per step, the start first (a single start);
    ``diverged_at`` the step at which the run left the finite range (-1: never).

    Examples
    --------
    >>> reaches_loss("Rosenbrock", [5.0, 0.1, 1e-4]).passed
    True
    >>> reaches_loss("Rosenbrock", [5.0, 0.1, 0.01]).reason
    'The best loss within 200 steps is 0.01, above 0.001.'
    """
    if surface != on:
        return Verdict(False, f"The surface is {surface}: switch to {on}.")
    loss = np.asarray(losses, dtype=float)[:within]
    finite = loss[np.isfinite(loss)]
    if finite.size == 0:
        return Verdict(False, "The loss is not a number from the start.")
    hit = np.flatnonzero(np.isfinite(loss) & (loss <= target))
    if 0 <= diverged_at < within and (hit.size == 0 or hit[0] >= diverged_at):
        return Verdict(False, f"The run diverges at step {diverged_at}.")
    if hit.size == 0:
        if finite.size < loss.size:
            return Verdict(
                False, f"The loss is not a number from step {int(np.argmin(np.isfinite(loss)))}."
            )
        return Verdict(
            False, f"The best loss within {within} steps is {finite.min():.3g}, above {target:g}."
        )
    return Verdict(True, f"The loss reaches {loss[hit[0]]:.2g} at step {int(hit[0])}.")


def diverges(name: str, diverged_at: int) -> Verdict:
    """Passes when the racer ``name`` left the finite range (``diverged_at`` >= 0).

    Examples
    --------
    >>> diverges("SGD", 3).passed
    True
    >>> diverges("SGD", -1).reason
    'SGD stays finite for the whole run.'
    """
    if diverged_at < 0:
        return Verdict(False, f"{name} stays finite for the whole run.")
    return Verdict(True, f"{name} blows up at step {diverged_at}.")


def momentum_alone_diverges(
    sgd_diverged_at: int, momentum_diverged_at: int, lr: float, mu: float
) -> Verdict:
    """Passes when, at the same rate ``lr``, Momentum diverges and plain SGD does not.

    Examples
    --------
    >>> momentum_alone_diverges(-1, 9, 0.002, 0.9).passed
    True
    >>> momentum_alone_diverges(4, 4, 0.005, 0.9).reason
    'At η = 0.005 plain SGD diverges too (step 4): lower η.'
    """
    if sgd_diverged_at >= 0:
        return Verdict(
            False, f"At η = {lr:g} plain SGD diverges too (step {sgd_diverged_at}): lower η."
        )
    if momentum_diverged_at < 0:
        return Verdict(False, f"At η = {lr:g}, μ = {mu:g} Momentum stays finite: raise η or μ.")
    gain = 1 / (1 - mu) if mu < 1 else float("inf")
    return Verdict(
        True,
        f"At η = {lr:g} SGD converges but Momentum (μ = {mu:g}) blows up at step "
        f"{momentum_diverged_at}: its steps are up to 1/(1 − μ) = {gain:.3g} times larger.",
    )
