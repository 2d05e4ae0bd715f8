"""The Recurrent networks lab's guided path: the unrolled graph, vanishing, exploding, the LSTM."""

from ui.guide import PathStep

PANEL = "Vanishing and exploding"
ORTHOGONAL = "ρ·Q, Q orthogonal (normal)"

PATH = (
    PathStep(
        "Unrolled graph",
        {"task": "Sine wave", "length": 5, "step": 5},
        "One RNN unrolled over 5 steps: the same weights at every step, and the gradient of the "
        "last loss flowing back through every hidden state.",
    ),
    PathStep(
        PANEL,
        {"radius": 0.9, "kind": ORTHOGONAL, "act": "linear", "back": 50, "lstm": False},
        "ρ = 0.9: the gradient norm k steps back follows 0.9^k (the dashed line). 50 steps back "
        "it is half a per cent.",
    ),
    PathStep(
        PANEL,
        {"radius": 1.1, "kind": ORTHOGONAL, "act": "linear", "back": 50, "clip_on": True},
        "ρ = 1.1: the gradient grows as 1.1^k and explodes. Clipping caps the update at c but "
        "keeps its direction.",
    ),
    PathStep(
        PANEL,
        {"radius": 0.8, "back": 60, "lstm": True, "forget": 3.0},
        "An LSTM beside the RNN: its gradient passes through the forget gate and survives 60 "
        "steps where the RNN's has vanished.",
    ),
    PathStep(
        "Train an RNN",
        {"ttask": "Sine wave", "opt": "Adam", "tclip_on": True},
        "Press Train: Adam with clipping learns to continue the sine wave. Watch the loss and "
        "gradient-norm curves.",
    ),
)
