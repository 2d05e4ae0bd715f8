"""The Optimizer race lab's guided path: one surface, the racers, schedules, a fair race."""

from ui.guide import PathStep

PATH = (
    PathStep(
        "Race",
        {"surface": "Rosenbrock", "start": "Default", "steps": 500, "shared": False},
        "Four optimizers race down Rosenbrock's curved valley, each with its own default rate. "
        "The leaderboard ranks them by the loss they reach.",
    ),
    PathStep(
        "Race",
        {"shared": True, "lr": 1e-3},
        "One shared rate η = 0.001: the same number means very different steps. SGD crawls, Adam "
        "moves at about η per coordinate whatever the gradient's size.",
    ),
    PathStep(
        "Race",
        {"shared": False, "surface": "Ill-conditioned ellipse"},
        "An ill-conditioned ellipse: SGD zig-zags across the narrow valley, momentum and adaptive "
        "methods do not.",
    ),
    PathStep(
        "Learning-rate schedules",
        {"surface": "Rosenbrock", "schedule": "Cosine"},
        "A cosine schedule shrinks every racer's rate as the race goes on: big steps first, then "
        "small ones to settle.",
    ),
    PathStep(
        "Fair race",
        {"surface": "Rosenbrock"},
        "A fair race: each optimizer's rate is tuned on a separate start before racing. Rankings "
        "change once nobody is handicapped by a bad default.",
    ),
)
