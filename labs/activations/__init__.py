"""Activation functions lab: the nonlinearities, softmax, and gradients through depth."""

from labs.activations import depth, gallery, softmax
from labs.activations.challenges import CHALLENGES
from labs.activations.keys import PREFIX
from labs.activations.path import PATH
from ui.panels import Panel

TITLE = "Activation functions"
INTRO = (
    "A network is linear layers with a **nonlinearity** between them; without one, any depth "
    "collapses to a single matrix. Compare the usual activations and their derivatives, see how "
    "**softmax** turns scores into probabilities (and why it subtracts the max), then push a "
    "gradient back through up to 50 layers and watch it **vanish or explode**."
)
PANELS = (
    Panel("Gallery", gallery.render, gallery.KEYS),
    Panel("Softmax", softmax.render, softmax.KEYS),
    Panel("Gradients through depth", depth.render, depth.KEYS),
)
__all__ = ["CHALLENGES", "INTRO", "PANELS", "PATH", "PREFIX", "TITLE"]
