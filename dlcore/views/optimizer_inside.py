"""What the "Inside one optimizer" panel of the Optimizer race shows.

The panel replays one racer from the race's first start
(:func:`dlcore.race.internals`) and says what to notice in its moments. The
controls (:class:`StartSpec`, :class:`RacerSpec`) and the surfaces are the
race's, from :mod:`dlcore.views.optimizer_race`.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from dlcore import optim, race
from dlcore.objectives import Grid, Objective, surface_grid
from dlcore.views.optimizer_race import (
    GRID_N,
    RacerSpec,
    StartSpec,
    make_racer,
    objective_for,
    race_starts,
)


class InsideView(NamedTuple):
    """Inside one optimizer: its state along its own path from the race's first start.

    Attributes
    ----------
    objective : Objective
    grid : Grid
    points : ndarray of shape (steps + 1, 2)
    internals : Internals
        Moments, effective step and bias corrections per update.
    rule : str
        The update rule with the optimizer's numbers.
    notice : str
        :func:`internals_notice` for this optimizer.
    """

    objective: Objective
    grid: Grid
    points: np.ndarray
    internals: race.Internals
    rule: str
    notice: str


def inside_view(
    surface: str, formula: str, start: StartSpec, racer: RacerSpec, schedule: str, steps: int
) -> InsideView:
    """Replay one racer from the race's first start and record what it carries."""
    objective = objective_for(surface, formula)
    first = race_starts(objective, start)[0]
    opt = make_racer(racer, schedule=schedule, steps=steps)
    points = optim.minimize(objective, opt, first, steps).points
    return InsideView(
        objective=objective,
        grid=surface_grid(objective, objective.bounds, GRID_N),
        points=points,
        internals=race.internals(objective, opt, points),
        rule=opt.to_latex(),
        notice=internals_notice(opt),
    )


def internals_notice(opt: Any) -> str:
    """What to notice inside the chosen optimizer, with its own hyper-parameters."""
    if isinstance(opt, optim.Adam):  # AdamW too
        (b1, b2), (t1, t2) = opt.betas, map(race.warmup_steps, opt.betas)
        return (
            f"{opt.name} divides each coordinate's step by the root of its own running squared "
            "gradient, so a steep coordinate and a flat one move at similar speed. The bias "
            "corrections 1 − βᵗ undo the zero start of the moments: 1 − β₁ᵗ passes 0.95 after "
            f"{t1} step{'s' * (t1 > 1)} (β₁ = {b1:g}), 1 − β₂ᵗ after {t2} (β₂ = {b2:g})."
        )
    if isinstance(opt, optim.RMSProp):
        return (
            "RMSProp divides each coordinate's step by the root of a running average of squared "
            f"gradients that forgets its zero start after about {race.warmup_steps(opt.alpha)} "
            f"steps (α = {opt.alpha:g}); with no bias correction its first steps are large."
        )
    if isinstance(opt, optim.Adagrad):
        return (
            "Adagrad divides by the root of the sum of all squared gradients so far: that sum "
            "only grows, so its effective step only shrinks, and it can stall before the minimum."
        )
    if isinstance(opt, optim.Momentum):  # Nesterov too
        memory = race.memory_steps(opt.momentum)
        return (
            f"{opt.name} remembers about {memory} step{'s' * (memory > 1)} of gradients "
            f"(μ = {opt.momentum:g}), as the weights μᵏ of past gradients add up to 1/(1 − μ): "
            "on the map its step leaves the gradient's direction where the valley bends."
        )
    return (
        "SGD's step is exactly −η·g: on the map its two arrows coincide, and it has no memory "
        "to plot."
    )
