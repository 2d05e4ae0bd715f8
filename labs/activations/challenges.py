"""The Activation functions lab's challenges: goals in terms of its controls, checked by dlcore."""

from dlcore.activations import ACTIVATIONS
from dlcore.challenges import activations as ac
from dlcore.views import activations as views
from labs.activations.depth import view as depth_view
from ui.challenges import Challenge

DEPTH_READS = {
    "depth_fn": "Sigmoid",
    "init": "Xavier normal",
    "depth": 30,
    "width": 128,
    "std": 0.1,
    "seed": 0,
    **{name: p.default for name, (_, p) in views.PARAMS.items()},
}


def _depth(v: dict):
    spec = ACTIVATIONS[v["depth_fn"]]
    params = {p.name: v[p.name] for p in spec.params}
    w = depth_view(  # the panel's cached view: the run it shows
        v["depth_fn"], v["init"], v["depth"], v["width"], v["std"], v["seed"], params
    )
    return ac.healthy_deep_stack(w.verdict, v["depth"])


CHALLENGES = (
    Challenge(
        "saturate",
        "Gallery",
        "Move the probe to where sigmoid's gradient is below 0.01.",
        "σ'(x) = σ(x)(1 − σ(x)) is largest at 0. How far out does it fall below 0.01?",
        "Past |x| ≈ 4.6 sigmoid is flat: a unit pushed there passes almost no gradient back and "
        "stops learning. That is saturation.",
        {"x0": 1.0},
        lambda v: ac.sigmoid_saturated(v["x0"]),
    ),
    Challenge(
        "dead_relu",
        "Gallery",
        "Find a point where ReLU's gradient is exactly 0 but GELU's is still at least 0.05 in size.",
        "ReLU is flat for every negative input; GELU dips below zero before it flattens.",
        "A ReLU unit whose input stays negative gets no gradient at all (a dead unit); smooth "
        "activations such as GELU keep a small gradient there and can recover.",
        {"x0": 1.0},
        lambda v: ac.relu_dead_gelu_alive(v["x0"]),
    ),
    Challenge(
        "uniform",
        "Softmax",
        "Keep the logits at least 3 apart, yet make softmax give no class 30% or more.",
        "Dividing the logits by T shrinks their differences. Which T makes them all look alike?",
        "A high temperature flattens softmax towards uniform (1/4 each here), a low one sharpens it "
        "towards the arg max: the same logits, very different confidence.",
        {"z0": 2.0, "z1": 1.0, "z2": 0.1, "z3": -1.0, "temp": 1.0},
        lambda v: ac.softmax_nearly_uniform([v["z0"], v["z1"], v["z2"], v["z3"]], v["temp"]),
    ),
    Challenge(
        "deep",
        "Gradients through depth",
        "Get a healthy gradient to the first layer of a stack of 20 layers or more.",
        "Sigmoid with Xavier vanishes. Try an activation whose derivative is 1 where it is active, "
        "with the initialisation made for it.",
        "He initialisation with ReLU keeps the variance of the signal (and of the gradient) the "
        "same in every layer, so deep stacks train; sigmoid's derivative of at most 1/4 shrinks "
        "the gradient by 4 per layer.",
        DEPTH_READS,
        _depth,
    ),
)
