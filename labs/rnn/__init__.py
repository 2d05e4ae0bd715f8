"""Recurrent networks lab: the unrolled graph, BPTT, vanishing and exploding, live training."""

from labs.rnn import train, unrolled, vanishing
from labs.rnn.challenges import CHALLENGES
from labs.rnn.keys import PREFIX
from labs.rnn.path import PATH
from ui.panels import Panel

TITLE = "Recurrent networks"
INTRO = (
    "A **recurrent network** reads a sequence one step at a time and carries a hidden state "
    "from step to step, using the same weights at every step. Unrolled over time it is a deep "
    "network with tied weights, so its gradient is the chain rule run backwards through time "
    "(**BPTT**). Follow it number by number, watch it **vanish or explode** with the spectral "
    "radius of the recurrent matrix, then train one live."
)
PANELS = (
    Panel("Unrolled graph", unrolled.render, unrolled.KEYS),
    Panel("Vanishing and exploding", vanishing.render, vanishing.KEYS),
    Panel("Train an RNN", train.render, train.KEYS),
)
__all__ = ["CHALLENGES", "INTRO", "PANELS", "PATH", "PREFIX", "TITLE"]
