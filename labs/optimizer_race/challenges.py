"""The Optimizer race lab's challenges: goals in terms of its controls, checked by dlcore.

Each check races the racer it is about from the surface's default start, with
the racer's own controls (or the shared rate) and the chosen schedule.
"""

import numpy as np
import streamlit as st

from dlcore import optim
from dlcore.challenges import optimizer_race as oc
from dlcore.views import optimizer_race as views
from labs.optimizer_race.settings import DEFAULT_FORMULA, DEFAULT_LR, DEFAULT_RACERS
from ui.challenges import Challenge

RACE = "Race"
READS = {
    "surface": "Rosenbrock",
    "formula": DEFAULT_FORMULA,
    "schedule": "Constant",
    "shared": False,
    "lr": 1e-3,
    "racers": DEFAULT_RACERS,
    "lr_adam": DEFAULT_LR["Adam"],
    "b1_adam": 0.9,
    "b2_adam": 0.999,
    "lr_sgd": DEFAULT_LR["SGD"],
    "lr_momentum": DEFAULT_LR["Momentum"],
    "mu_momentum": 0.9,
}


@st.cache_data(max_entries=64, show_spinner=False)
def run(surface: str, formula: str, spec: views.RacerSpec, schedule: str, steps: int):
    """One racer from the surface's default start: its ``optim.Trajectory``."""
    objective = views.objective_for(surface, formula)
    racer = views.make_racer(spec, schedule=schedule, steps=steps)
    return optim.minimize(objective, racer, np.asarray(objective.start, float), steps)


def _rate(v: dict, key: str) -> float:
    return v["lr"] if v["shared"] else v[f"lr_{key}"]


def _run(v: dict, spec: views.RacerSpec, steps: int):
    return run(v["surface"], v["formula"], spec, v["schedule"], steps)


def _adam(v: dict):
    spec = views.RacerSpec("Adam", _rate(v, "adam"), betas=(v["b1_adam"], v["b2_adam"]))
    trajectory = _run(v, spec, 200)
    return oc.reaches_loss(v["surface"], trajectory.losses, int(trajectory.diverged_at), within=200)


def _sgd_fast(v: dict):
    trajectory = _run(v, views.RacerSpec("SGD", _rate(v, "sgd")), 500)
    return oc.reaches_loss(v["surface"], trajectory.losses, int(trajectory.diverged_at), within=500)


def _sgd_blows(v: dict):
    return oc.diverges(
        "SGD", int(_run(v, views.RacerSpec("SGD", _rate(v, "sgd")), 500).diverged_at)
    )


def _momentum(v: dict):
    lr, mu = _rate(v, "momentum"), v["mu_momentum"]
    sgd = _run(v, views.RacerSpec("SGD", lr), 500).diverged_at
    heavy = _run(v, views.RacerSpec("Momentum", lr, momentum=mu), 500).diverged_at
    return oc.momentum_alone_diverges(int(sgd), int(heavy), lr, mu)


CHALLENGES = (
    Challenge(
        "adam",
        RACE,
        "Tune Adam to reach loss 1e-3 on Rosenbrock in fewer than 200 steps (default start).",
        "Adam's β₂ averages the squared gradients: a shorter memory (smaller β₂) adapts the step "
        "faster as the valley bends. Try a larger η too.",
        "Adam's per-coordinate step η m̂/√v̂ is tuned by β₁ (momentum) and β₂ (how fast the scale "
        "adapts); torch's defaults are safe, not fastest, on a curved valley.",
        READS,
        _adam,
    ),
    Challenge(
        "sgd_edge",
        RACE,
        "Get plain SGD below loss 1e-3 on Rosenbrock within 500 steps (default start).",
        "Too small and it crawls, too large and it blows up: try the rates one by one.",
        "Plain SGD works only in a narrow band of rates on Rosenbrock: the steep walls cap η, the "
        "flat valley floor wants a large one. Adaptive methods widen the band.",
        READS,
        _sgd_fast,
    ),
    Challenge(
        "sgd_blows",
        RACE,
        "Make SGD diverge on the current surface (default start).",
        "What decides stability is η times the largest curvature along the path.",
        "Past 2/λ_max the steps overshoot by more each time: the loss leaves the finite range in "
        "a few steps. The leaderboard flags it instead of plotting garbage.",
        READS,
        _sgd_blows,
    ),
    Challenge(
        "momentum",
        RACE,
        "Find a rate at which Momentum diverges on the current surface while SGD at that rate does not.",
        "Momentum's steps add up: with μ = 0.9 they can be ten times longer than SGD's.",
        "The heavy ball's effective step is η/(1 − μ): momentum needs a smaller η than SGD for "
        "the same stability, in exchange for speed along the valley.",
        READS,
        _momentum,
    ),
)
