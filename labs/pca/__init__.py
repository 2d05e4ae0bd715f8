"""PCA and SVD lab: principal components of real data, PCA = SVD, low-rank image compression."""

from labs.pca import cloud, data, image
from labs.pca.challenges import CHALLENGES
from labs.pca.keys import PREFIX
from labs.pca.path import PATH
from ui.panels import Panel

TITLE = "PCA and SVD"
INTRO = (
    "Principal component analysis finds the directions in which data varies most. It is the "
    "singular value decomposition of the centred data, and the same SVD compresses an image to a "
    "few rank-one layers."
)
PANELS = (
    Panel("PCA on data", data.render, data.KEYS),
    Panel("Correlated cloud", cloud.render, cloud.KEYS),
    Panel("Image compression", image.render, image.KEYS),
)
__all__ = ["CHALLENGES", "INTRO", "PANELS", "PATH", "PREFIX", "TITLE"]
