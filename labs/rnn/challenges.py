"""The Recurrent networks lab's challenges: goals in terms of its controls, checked by dlcore."""

from dlcore.challenges import rnn as rc
from labs.rnn.vanishing import KINDS
from labs.rnn.vanishing import view as time_view
from ui.challenges import Challenge

PANEL = "Vanishing and exploding"
READS = {
    "radius": 0.9,
    "kind": next(iter(KINDS)),
    "act": "linear",
    "back": 50,
    "hidden": 16,
    "clip_on": True,
    "clip": 1.0,
    "tseed": 0,
    "lstm": False,
    "forget": 1.0,
}


def _view(v: dict):
    clip = v["clip"] if v["clip_on"] else None
    forget = v["forget"] if v["lstm"] else None
    return time_view(  # the panel's cached view: the run it shows
        v["radius"],
        KINDS[v["kind"]],
        v["act"],
        v["back"],
        v["hidden"],
        clip,
        int(v["tseed"]),
        forget,
    )


def _clip(v: dict):
    w = _view(v)
    return rc.clipping_tames(w.norm, w.clipped_norm, v["clip"] if v["clip_on"] else None)


CHALLENGES = (
    Challenge(
        "vanish",
        PANEL,
        "Make the gradient 50 or more steps back fall below 1/1000 of its size.",
        "For a linear cell with an orthogonal W_hh the gradient shrinks by ρ each step: ρ^T.",
        "ρ < 1 multiplies the gradient by ρ at every step back, so early inputs get a gradient of "
        "ρ^T: the network cannot learn long-range dependencies.",
        READS,
        lambda v: rc.gradient_vanishes(_view(v).result.ratio),
    ),
    Challenge(
        "explode",
        PANEL,
        "Make the gradient grow more than 1000 times on its way back.",
        "What happens to ρ^T when ρ is just above 1 and T is large?",
        "ρ > 1 multiplies the gradient at every step: 1.2^50 ≈ 9100. One step of training with "
        "such a gradient throws the weights far away.",
        READS,
        lambda v: rc.gradient_explodes(_view(v).result.ratio),
    ),
    Challenge(
        "clip",
        PANEL,
        "With a gradient at least 100 times the cap c, make the update's norm no more than c.",
        "Make it explode first, then look at the clipping line of formulas.",
        "Clipping by the global norm rescales g to length c and keeps its direction: the step "
        "stays bounded even when the gradient explodes. It does nothing for vanishing gradients.",
        READS,
        _clip,
    ),
    Challenge(
        "lstm",
        PANEL,
        "Where the RNN forgets (below 1/1000 at 50+ steps), make an LSTM keep at least 10%.",
        "Turn on the LSTM comparison and raise the forget-gate bias.",
        "The LSTM's cell state is carried by the forget gate, a multiplication by about "
        "σ(bias) < 1 but close to 1: with a large bias the gradient survives many steps.",
        READS,
        lambda v: rc.lstm_remembers(_view(v).result.ratio, _view(v).lstm_ratio),
    ),
)
