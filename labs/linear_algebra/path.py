"""The Linear algebra lab's guided path: vectors, matrices as maps, eigenvectors, conditioning."""

from dlcore.transforms2d import TRANSFORMS as PRESETS
from ui.guide import PathStep

TRANSFORMS = "Transformations"


def preset(name: str) -> dict:
    """The values that load preset ``name``: its name and its four numbers."""
    return {"preset": name, **dict(zip(("a11", "a12", "a21", "a22"), PRESETS[name].matrix))}


PATH = (
    PathStep(
        "Vectors",
        {"u1": 3.0, "u2": 1.0, "v1": 1.0, "v2": 3.0, "c": 0.5},
        "Two vectors, their sum and c·u. Read the dot product: it is |u||v| cos θ.",
    ),
    PathStep(
        TRANSFORMS,
        preset("Stretch along a diagonal"),
        "A symmetric matrix: the grid is stretched along the diagonal. The dashed eigenvector "
        "lines are the directions it only stretches, and they are the ellipse's axes.",
    ),
    PathStep(
        TRANSFORMS,
        preset("Shear"),
        "A shear: det = 1, so areas are kept, but only one direction stays on its line, and the "
        "eigenvectors are no longer the ellipse's axes.",
    ),
    PathStep(
        TRANSFORMS,
        preset("Rotation by 30°"),
        "A rotation: no direction stays on its line, so the eigenvalues are complex, r e^{±iθ}.",
    ),
    PathStep(
        TRANSFORMS,
        preset("Projection onto the x-axis (singular)"),
        "A projection: det = 0, the plane collapses onto a line and σ₂ = 0.",
    ),
    PathStep(
        "Conditioning",
        {"eps": 0.1, "delta": 0.01},
        "Two almost parallel lines: a tiny nudge δ of b moves the solution far. The condition "
        "number says by how much.",
    ),
)
