"""Convolutional networks lab: a trained digits CNN opened up, trained live, and its mistakes."""

from labs.cnn import mistakes, network, train
from labs.cnn.challenges import CHALLENGES
from labs.cnn.keys import PREFIX
from labs.cnn.path import PATH
from ui.panels import Panel

TITLE = "Convolutional networks"
INTRO = (
    "A small CNN trained on scikit-learn's handwritten digits: two layers of 3 x 3 convolutions, "
    "each followed by ReLU and 2 x 2 max-pooling, then one linear layer to ten **logits** and a "
    "**softmax**. Look inside it on a test digit or your own picture, follow any unit back to "
    "the pixels it sees, train one yourself, and see which digits fool it."
)
PANELS = (
    Panel("Trained network", network.render, network.KEYS),
    Panel("Train it yourself", train.render, train.KEYS),
    Panel("Mistakes", mistakes.render, mistakes.KEYS),
)
__all__ = ["CHALLENGES", "INTRO", "PANELS", "PATH", "PREFIX", "TITLE"]
