"""Backpropagation lab: the chain rule on a graph, one step by hand, an MLP trained live."""

from labs.backprop import check, graph, playground, step, train
from labs.backprop.challenges import CHALLENGES
from labs.backprop.keys import PREFIX
from labs.backprop.path import PATH
from ui.panels import Panel

TITLE = "Backpropagation"
INTRO = (
    "A network's gradient is the chain rule applied backwards through its computational graph: "
    "each node multiplies the gradient arriving from above by its own local derivative. Follow "
    "it node by node, then matrix by matrix, then watch it train a network live and play with "
    "one as in TensorFlow Playground."
)
PANELS = (
    Panel("Computational graph", graph.render, graph.KEYS),
    Panel("One training step", step.render, step.KEYS),
    Panel("Train an MLP", train.render, train.KEYS),
    Panel("Gradient check", check.render, check.KEYS),
    Panel("Playground", playground.render, playground.KEYS),
)
__all__ = ["CHALLENGES", "INTRO", "PANELS", "PATH", "PREFIX", "TITLE"]
