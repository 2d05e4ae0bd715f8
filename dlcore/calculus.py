"""Calculus the way a computer does it: the public API of ARCHITECTURE.md, in one namespace.

The code lives in three modules; the contract names are re-exported here:

* :mod:`dlcore.differentiation`: :func:`derivative`, :func:`gradient`,
  :func:`gradient_check`, the chain rule, the lab's curves;
* :mod:`dlcore.integration`: :func:`integrate` (left/right/midpoint,
  trapezoid, Simpson), convergence orders, where an integrand misbehaves;
* :mod:`dlcore.gradflow`: :func:`gradient_flow` (dx/dt = -grad f) against
  gradient descent as its Euler discretisation.

Everything else is imported from its own module.
"""

from dlcore.differentiation import derivative, gradient, gradient_check
from dlcore.gradflow import gradient_flow
from dlcore.integration import integrate

__all__ = ["derivative", "gradient", "gradient_check", "gradient_flow", "integrate"]
