"""dlcore.views.optimizer_inside: the replay of one racer and what its notice says."""

from __future__ import annotations

import numpy as np

from dlcore import optim, race
from dlcore.objectives import OBJECTIVES
from dlcore.views import optimizer_inside as views
from dlcore.views.optimizer_race import RacerSpec, StartSpec

ROSENBROCK = OBJECTIVES["Rosenbrock"]


def test_inside_view_replays_the_racer_from_the_first_start():
    spec = RacerSpec("Adam", 0.05, betas=(0.9, 0.999))
    w = views.inside_view("Rosenbrock", "", StartSpec(), spec, "Constant", 40)
    opt = optim.Adam(lr=0.05)
    points = optim.minimize(ROSENBROCK, opt, ROSENBROCK.start, 40).points
    np.testing.assert_array_equal(w.points, points)
    np.testing.assert_allclose(w.internals.bias_correction1, 1 - 0.9 ** np.arange(1, 41))
    assert w.rule == opt.to_latex() and w.notice == views.internals_notice(opt)
    grid = views.inside_view(
        "Rosenbrock", "", StartSpec("Grid of starts", per_side=2), spec, "Constant", 5
    )
    np.testing.assert_array_equal(grid.points[0], race.grid_starts(ROSENBROCK.bounds, 2)[0])


def test_internals_notice_uses_each_optimizers_own_numbers():
    adam = views.internals_notice(optim.Adam(lr=0.1))
    assert "after 29 steps (β₁ = 0.9)" in adam and "after 2995 (β₂ = 0.999)" in adam
    assert "after 1 step (β₁ = 0)" in views.internals_notice(optim.AdamW(betas=(0.0, 0.9)))
    assert views.internals_notice(optim.RMSProp(alpha=0.9)).startswith("RMSProp divides")
    assert "after about 29 steps (α = 0.9)" in views.internals_notice(optim.RMSProp(alpha=0.9))
    assert "about 1 step of gradients (μ = 0)" in views.internals_notice(optim.Momentum(momentum=0))
    assert views.internals_notice(optim.Nesterov(lr=0.1)).startswith("Nesterov remembers about 10")
    assert views.internals_notice(optim.Adagrad()).startswith("Adagrad divides")
    assert "arrows coincide" in views.internals_notice(optim.SGD())
