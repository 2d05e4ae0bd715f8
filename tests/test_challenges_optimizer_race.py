"""dlcore.challenges.optimizer_race: on real races from Rosenbrock's default start."""

import math

import numpy as np

from dlcore import optim
from dlcore.challenges import optimizer_race as oc
from dlcore.views import optimizer_race as views

ROSENBROCK = views.objective_for("Rosenbrock")


def _race(spec, steps):
    opt = views.make_racer(spec, steps=steps)
    return optim.minimize(ROSENBROCK, opt, np.asarray(ROSENBROCK.start, float), steps)


def test_tuned_adam_reaches_1e_3_within_200_steps_and_the_default_does_not():
    tuned = _race(views.RacerSpec("Adam", 0.1, betas=(0.9, 0.9)), 200)
    assert oc.reaches_loss("Rosenbrock", tuned.losses).passed
    default = _race(views.RacerSpec("Adam", 0.05, betas=(0.9, 0.999)), 200)
    assert not oc.reaches_loss("Rosenbrock", default.losses).passed
    assert not oc.reaches_loss("Quadratic bowl", tuned.losses).passed  # another surface
    late = oc.reaches_loss("Rosenbrock", [5.0] * 250 + [1e-4])  # only after step 200
    assert not late.passed and "above 0.001" in late.reason


def test_a_diverged_race_never_reaches_the_target():
    blown = _race(views.RacerSpec("SGD", 0.01), 500)
    verdict = oc.reaches_loss("Rosenbrock", blown.losses, int(blown.diverged_at), within=500)
    assert not verdict.passed and "diverges at step" in verdict.reason
    assert not oc.reaches_loss("Rosenbrock", [math.nan, math.nan]).passed
    assert not oc.reaches_loss("Rosenbrock", [5.0, 5.0, math.nan]).passed


def test_diverges():
    assert oc.diverges("SGD", int(_race(views.RacerSpec("SGD", 0.01), 50).diverged_at)).passed
    assert not oc.diverges("SGD", int(_race(views.RacerSpec("SGD", 1e-3), 50).diverged_at)).passed


def test_momentum_alone_diverges():
    sgd = int(_race(views.RacerSpec("SGD", 0.002), 500).diverged_at)
    heavy = int(_race(views.RacerSpec("Momentum", 0.002, momentum=0.9), 500).diverged_at)
    assert oc.momentum_alone_diverges(sgd, heavy, 0.002, 0.9).passed
    assert not oc.momentum_alone_diverges(-1, -1, 1e-3, 0.9).passed  # the defaults
    assert not oc.momentum_alone_diverges(3, 3, 0.01, 0.9).passed  # both blow up
    assert "inf" in oc.momentum_alone_diverges(-1, 2, 0.01, 1.0).reason  # μ = 1: no division error
