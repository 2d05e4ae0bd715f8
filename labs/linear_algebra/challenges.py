"""The Linear algebra lab's challenges: goals in terms of its controls, checked by dlcore."""

from dlcore.challenges import linear_algebra as lac
from ui.challenges import Challenge

TRANSFORMS = "Transformations"
MATRIX = {"a11": 2.0, "a12": 1.0, "a21": 1.0, "a22": 2.0}  # the first preset's numbers


def _entries(check):
    return lambda v: check(v["a11"], v["a12"], v["a21"], v["a22"])


CHALLENGES = (
    Challenge(
        "squash",
        TRANSFORMS,
        "Type a matrix that squashes the whole plane onto the line y = x.",
        "The columns of A are where (1, 0) and (0, 1) land. Where must both of them land?",
        "A singular matrix (det 0, rank 1) loses a dimension: its columns span one line, and every "
        "vector lands on it. Information along the other direction is gone for good.",
        MATRIX,
        _entries(lac.squashes_onto_diagonal),
    ),
    Challenge(
        "axes",
        TRANSFORMS,
        "Find a matrix whose eigenvectors are the axes but which is not a multiple of the identity.",
        "An eigenvector stays on its own line. What must b and c be for (1, 0) and (0, 1) to stay "
        "put in direction?",
        "A diagonal matrix scales each axis by its own factor: the axes are its eigenvectors and the "
        "diagonal entries its eigenvalues. With equal entries every direction would be one.",
        MATRIX,
        _entries(lac.eigenvectors_are_axes),
    ),
    Challenge(
        "spiral",
        TRANSFORMS,
        "Type a matrix under which repeated steps spiral every point in towards the origin.",
        "Start from a rotation preset and shrink it: the eigenvalues must be complex with modulus "
        "below 1.",
        "Complex eigenvalues r e^{±iθ} mean a turn by θ and a scaling by r each step: with r < 1 "
        "the iterates spiral in, which is how a damped linear system or recurrent layer settles.",
        MATRIX,
        _entries(lac.spirals_inwards),
    ),
    Challenge(
        "orthogonal",
        "Vectors",
        "Move u and v until they are at right angles, both non-zero.",
        "The dot product u₁v₁ + u₂v₂ must be 0: try v = (−u₂, u₁).",
        "u · v = |u||v| cos θ, so a zero dot product means θ = 90°: no part of v points along u. "
        "Orthogonal directions are what PCA and the SVD are made of.",
        {"u1": 3.0, "u2": 1.0, "v1": 1.0, "v2": 3.0},
        lambda v: lac.orthogonal_vectors(v["u1"], v["u2"], v["v1"], v["v2"]),
    ),
)
