"""Calculus lab: derivatives, finite differences, integrals, the chain rule, gradients, flow."""

from labs.calculus import chain, derivative, differences, flow, gradients, integration
from labs.calculus.challenges import CHALLENGES
from labs.calculus.keys import PREFIX
from labs.calculus.path import PATH
from ui.panels import Panel

TITLE = "Calculus"
INTRO = (
    "The derivative is a limit of slopes, the gradient points uphill, an integral is a limit of "
    "sums, and gradient descent is a way of solving an ODE. Type any formula: it is parsed safely "
    "and differentiated exactly, so every *exact* number here comes from the formula itself."
)
PANELS = (
    Panel("Derivative", derivative.render, derivative.KEYS),
    Panel("Finite differences", differences.render, differences.KEYS),
    Panel("Integration", integration.render, integration.KEYS),
    Panel("Chain rule", chain.render, chain.KEYS),
    Panel("Gradients", gradients.render, gradients.KEYS),
    Panel("Gradient flow", flow.render, flow.KEYS),
)
__all__ = ["CHALLENGES", "INTRO", "PANELS", "PATH", "PREFIX", "TITLE"]
