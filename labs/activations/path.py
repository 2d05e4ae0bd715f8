"""The Activation functions lab's guided path: shapes, saturation, softmax, depth."""

from ui.guide import PathStep

DEPTH = "Gradients through depth"

PATH = (
    PathStep(
        "Gallery",
        {"range": (-5.0, 5.0), "x0": 0.0},
        "The activations and their derivatives at x₀ = 0: sigmoid's slope is only 1/4 there, "
        "tanh's is 1, ReLU's jumps from 0 to 1.",
    ),
    PathStep(
        "Gallery",
        {"range": (-10.0, 10.0), "x0": 6.0},
        "At x₀ = 6 sigmoid and tanh are flat: their derivatives are nearly 0. Saturated units "
        "stop learning.",
    ),
    PathStep(
        "Softmax",
        {"temp": 1.0, "shift": 0.0},
        "Softmax turns four logits into probabilities. Note which class wins, and by how much.",
    ),
    PathStep(
        "Softmax",
        {"temp": 10.0, "shift": 500.0},
        "T = 10 flattens the probabilities; adding 500 to every logit changes nothing (the stable "
        "formula subtracts the maximum first).",
    ),
    PathStep(
        DEPTH,
        {"depth_fn": "Sigmoid", "init": "Xavier normal", "depth": 30, "width": 128},
        "Thirty sigmoid layers: the gradient shrinks layer by layer on the way down, so the first "
        "layers barely learn.",
    ),
    PathStep(
        DEPTH,
        {"depth_fn": "ReLU", "init": "He normal", "depth": 30, "width": 128},
        "ReLU with He initialisation: the gradient keeps its size through all 30 layers.",
    ),
)
