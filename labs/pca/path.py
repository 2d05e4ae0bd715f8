"""The PCA and SVD lab's guided path: a cloud, real data, compression."""

from ui.guide import PathStep

CLOUD = "Correlated cloud"
DATA = "PCA on data"

PATH = (
    PathStep(
        CLOUD,
        {"s1": 2.0, "s2": 1.0, "rho": 0.9, "angle": 0, "n": 400},
        "A strongly correlated cloud: PC1 runs along it and carries most of the variance. The "
        "red segments are what projecting onto PC1 throws away.",
    ),
    PathStep(
        CLOUD,
        {"s1": 1.0, "s2": 1.0, "rho": 0.0},
        "A round cloud: both eigenvalues are equal and no direction is special.",
    ),
    PathStep(
        DATA,
        {"data": "iris", "std": True, "k": 2, "dims": "2-D"},
        "Iris, four measurements per flower, projected on two components: the species separate, "
        "and the two components keep about 96% of the variance.",
    ),
    PathStep(
        DATA,
        {"data": "wine", "std": False, "k": 2},
        "Wine without standardisation: proline (in the hundreds) takes PC1 alone.",
    ),
    PathStep(
        "Image compression",
        {"rank": 10},
        "A photo as a matrix, kept at rank 10: a few singular vectors already give the picture.",
    ),
)
