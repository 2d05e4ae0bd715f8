"""Linear Algebra lab: vectors, matrices as transformations, linear systems, power iteration."""

from labs.linear_algebra import (
    conditioning,
    least_squares,
    matmul,
    power,
    products,
    systems,
    transforms,
    vectors,
)
from labs.linear_algebra.challenges import CHALLENGES
from labs.linear_algebra.keys import PREFIX
from labs.linear_algebra.path import PATH
from ui.panels import Panel

TITLE = "Linear Algebra"
INTRO = (
    "Vectors are arrows, matrices move the whole plane, and solving $Ax=b$ is finding where lines "
    "meet. Every number below is computed by `dlcore.linalg` from the controls beside it."
)
PANELS = (
    Panel("Vectors", vectors.render, vectors.KEYS),
    Panel("Transformations", transforms.render, transforms.KEYS),
    Panel("Products", products.render, products.KEYS),
    Panel("Matrix multiplication", matmul.render, matmul.KEYS),
    Panel("Linear systems", systems.render, systems.KEYS),
    Panel("Conditioning", conditioning.render, conditioning.KEYS),
    Panel("Least squares", least_squares.render, least_squares.KEYS),
    Panel("Power iteration", power.render, power.KEYS),
)
__all__ = ["CHALLENGES", "INTRO", "PANELS", "PATH", "PREFIX", "TITLE"]
