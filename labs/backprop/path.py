"""The Backpropagation lab's guided path: one neuron's graph, one step by hand, a trained MLP."""

from ui.guide import PathStep

GRAPH = "Computational graph"
TRAIN = "Train an MLP"

PATH = (
    PathStep(
        GRAPH,
        {"g_act": "sigmoid", "g_step": 0},
        "One neuron as a graph, forward pass only: every node's value from the inputs to the loss.",
    ),
    PathStep(
        GRAPH,
        {"g_act": "sigmoid", "g_step": 3},
        "Three backward steps: each node passes back upstream gradient times its local "
        "derivative. Walk the slider to the end to reach w1, w2 and b.",
    ),
    PathStep(
        "One training step",
        {"s_x1": 0.5, "s_x2": -1.0, "s_lr": 0.5},
        "A 2-2-1 network, every matrix of one forward and backward pass and the updated weights.",
    ),
    PathStep(
        TRAIN,
        {"data": "moons", "layers": 2, "width": 8, "act": "relu"},
        "A small MLP trained on moons: the decision boundary bends around the two classes; the "
        "loss and accuracy curves show how it got there.",
    ),
    PathStep(
        "Gradient check",
        {"broken": True},
        "A planted bug: with a wrong derivative the analytic gradients no longer match central "
        "differences, and the relative error says so.",
    ),
)
