"""The Gradient descent lab's challenges: goals in terms of its controls, checked by dlcore."""

from dlcore.challenges import gradient_descent as gdc
from ui.challenges import Challenge

STEP = "Step size and curvature"
CONDITIONING = "Conditioning and momentum"
STEP_READS = {"fn": gdc.QUADRATIC, "lam": 2.0, "lr": 0.3}

CHALLENGES = (
    Challenge(
        "edge",
        STEP,
        "Find the largest learning rate that still converges on the quadratic, to within 5%.",
        "On f = λ/2 x² each step multiplies the error by 1 − ηλ. When does that stop shrinking it?",
        "The limit is η = 2/λ: there 1 − ηλ = −1 and the iterates bounce for ever. The curvature, "
        "not the function's size, sets the largest safe step.",
        STEP_READS,
        lambda v: gdc.largest_stable_lr(v["fn"], v["lr"], v["lam"]),
    ),
    Challenge(
        "oscillate",
        STEP,
        "Make plain gradient descent oscillate around the minimum, but still converge.",
        "Look at the step-factor chart: which band has a negative factor smaller than 1 in size?",
        "Between 1/λ and 2/λ each step overshoots to the other side, by less each time: the zig-zag "
        "you see in badly tuned training curves is not always divergence.",
        STEP_READS,
        lambda v: gdc.oscillates_but_converges(v["fn"], v["lr"], v["lam"]),
    ),
    Challenge(
        "one_step",
        STEP,
        "Choose η so that the very first step lands on the minimum (within 1%).",
        "After the first step the error is (1 − ηλ) times what it was. Make that factor zero.",
        "η = 1/λ is Newton's step: dividing by the curvature is exactly what second-order "
        "methods do, and why they converge in one step on a quadratic.",
        STEP_READS,
        lambda v: gdc.one_step_to_minimum(v["fn"], v["lr"], v["lam"]),
    ),
    Challenge(
        "steep",
        CONDITIONING,
        "With a step you choose yourself, make gradient descent blow up on the ellipse.",
        "Turn off the best fixed step, then look at the slider's label: stable below what?",
        "Stability is decided by the steepest direction alone: once η λ_max > 2 that direction "
        "diverges, however gentle the other one is. That is why ill-conditioning forces small steps.",
        {"best": True, "lrq": 1.0},
        lambda v: gdc.steepest_direction_diverges(v["best"], v["lrq"]),
    ),
)
