"""The Backpropagation lab's challenges: goals in terms of its controls, checked by dlcore.

The training challenges read the run the "Train an MLP" panel keeps in
``st.session_state["bp_run"]`` (its configuration and progress): the network on
screen, not a retrained copy.
"""

from dlcore.challenges import Verdict
from dlcore.challenges import backprop as bc
from labs.backprop.graph import view as graph_view
from labs.backprop.step import view as step_view
from ui.challenges import Challenge

TRAIN = "Train an MLP"
GRAPH = "Computational graph"
GRAPH_READS = {
    "g_act": "sigmoid",
    "g_x1": 1.0,
    "g_x2": -0.5,
    "g_w1": 0.8,
    "g_w2": 0.4,
    "g_b": 0.1,
    "g_t": 1.0,
}
NOT_TRAINED = Verdict(False, "No network trained yet: press Train.")


def _spirals(v: dict) -> Verdict:
    if v["run"] is None:
        return NOT_TRAINED
    cfg, progress = v["run"]
    return bc.classifies(cfg.data, cfg.layers, progress.test_accuracy, progress.diverged_at)


def _linear(v: dict) -> Verdict:
    if v["run"] is None:
        return NOT_TRAINED
    cfg, progress = v["run"]
    return bc.linear_stack_fails(
        cfg.data, cfg.activation, cfg.layers, progress.epoch, progress.test_accuracy
    )


def _dead(v: dict) -> Verdict:
    g = graph_view(  # the panel's cached view
        v["g_act"], (v["g_x1"], v["g_x2"]), (v["g_w1"], v["g_w2"]), v["g_b"], v["g_t"], 0
    )
    labels, grads = g.trace.labels, g.trace.grads
    weights = [grads[labels.index(name)] for name in ("w1", "w2", "b")]
    return bc.no_gradient_to_weights(weights, g.loss, g.z, v["g_act"])


def _silent(v: dict) -> Verdict:
    w = step_view((v["s_x1"], v["s_x2"]), v["s_y"], v["s_lr"], int(v["s_seed"]))
    return bc.input_silences_row(w.x, w.trace.dW1)


CHALLENGES = (
    Challenge(
        "spirals",
        TRAIN,
        "Get test accuracy above 95% on spirals with at most 2 hidden layers.",
        "Spirals need a curved boundary: enough neurons per layer, a non-linear activation, and "
        "enough epochs. Press Train after each change.",
        "Two hidden layers of a few non-linear units already bend the boundary around both arms: "
        "depth is not what spirals need, width and a non-linearity are.",
        {"run": None},
        _spirals,
    ),
    Challenge(
        "linear",
        TRAIN,
        "Show that depth without a non-linearity is useless: 2+ identity layers trained 50+ "
        "epochs on circles stay at or below 70% test accuracy.",
        "Set the activation to identity, the data to circles, and train.",
        "A product of linear maps is one linear map: however many identity layers you stack, the "
        "boundary is a straight line, and circles need a closed curve.",
        {"run": None},
        _linear,
    ),
    Challenge(
        "dead",
        GRAPH,
        "With some loss left, make sure no gradient at all reaches w1, w2 and b.",
        "Pick ReLU, then make the pre-activation z = w1 x1 + w2 x2 + b negative.",
        "ReLU's local derivative is 0 for z ≤ 0, and the chain rule multiplies: a unit that is "
        "off for an example learns nothing from it. A unit off for every example is dead.",
        GRAPH_READS,
        _dead,
    ),
    Challenge(
        "silent",
        "One training step",
        "Make one row of the gradient dL/dW1 exactly zero, with the other input still non-zero.",
        "dL/dW1 = xᵀ δ₁: a row is the input times the backpropagated error.",
        "A weight's gradient is its input times the error arriving at its output: an input that "
        "is 0 teaches its weights nothing on that example, which is why inputs are centred.",
        {"s_x1": 0.5, "s_x2": -1.0, "s_y": 1, "s_lr": 0.5, "s_seed": 1},
        _silent,
    ),
)
