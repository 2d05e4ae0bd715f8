"""The Gradient descent lab's guided path: the step-size regimes, then conditioning."""

from ui.guide import PathStep

STEP = "Step size and curvature"
CONDITIONING = "Conditioning and momentum"

PATH = (
    PathStep(
        STEP,
        {"fn": "Quadratic", "lam": 2.0, "lr": 0.2, "x0": 1.6, "steps": 20},
        "A small step, η = 0.2 on a curvature of 2: the iterates creep towards the minimum "
        "from one side. The factor 1 − ηλ = 0.6 is how much error each step keeps.",
    ),
    PathStep(
        STEP,
        {"fn": "Quadratic", "lam": 2.0, "lr": 0.5},
        "η = 1/λ = 0.5: the first step lands exactly on the minimum (factor 0).",
    ),
    PathStep(
        STEP,
        {"fn": "Quadratic", "lam": 2.0, "lr": 0.8},
        "η = 0.8, between 1/λ and 2/λ: each step overshoots to the other side, by less each time.",
    ),
    PathStep(
        STEP,
        {"fn": "Quadratic", "lam": 2.0, "lr": 1.05},
        "η = 1.05, past 2/λ = 1: each overshoot is larger than the last, and the run diverges.",
    ),
    PathStep(
        CONDITIONING,
        {"kappa": 50, "best": True, "beta": 0.0, "tuned": False},
        "An ellipse 50 times steeper one way than the other. Even the best fixed step zig-zags "
        "across the valley and crawls along it: the condition number sets the speed.",
    ),
    PathStep(
        CONDITIONING,
        {"kappa": 50, "tuned": True},
        "Momentum with Polyak's tuned η and β: the velocity averages the zig-zag out and the run "
        "reaches the minimum in a fraction of the steps.",
    ),
)
