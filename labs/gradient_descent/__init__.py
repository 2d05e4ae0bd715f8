"""Gradient descent lab: the step size against the curvature, conditioning and momentum, mini-batches."""

from labs.gradient_descent import conditioning, mini_batches, step_size
from labs.gradient_descent.challenges import CHALLENGES
from labs.gradient_descent.keys import PREFIX
from labs.gradient_descent.path import PATH
from ui.panels import Panel

TITLE = "Gradient descent"
INTRO = (
    "One rule, $x_{k+1} = x_k - \\eta\\,\\nabla f(x_k)$, and one question: how big may the step "
    "$\\eta$ be? The answer is set by the **curvature**: in one dimension by $f''$, in many by the "
    "Hessian's eigenvalues, and with data by how noisy a mini-batch's gradient is."
)
PANELS = (
    Panel("Step size and curvature", step_size.render, step_size.KEYS),
    Panel("Conditioning and momentum", conditioning.render, conditioning.KEYS),
    Panel("Mini-batches", mini_batches.render, mini_batches.KEYS),
)
__all__ = ["CHALLENGES", "INTRO", "PANELS", "PATH", "PREFIX", "TITLE"]
