"""dlcore.challenges.linear_algebra: each check passes its goal, fails what contradicts it."""

import math

import pytest

from dlcore.challenges import linear_algebra as lac

NAN = math.nan
DEFAULT = (2.0, 1.0, 1.0, 2.0)  # the Transformations panel's first preset


def test_squash_onto_the_diagonal():
    assert lac.squashes_onto_diagonal(1, 2, 1, 2).passed
    assert lac.squashes_onto_diagonal(-0.5, 3, -0.5, 3).passed
    fail = lac.squashes_onto_diagonal(*DEFAULT)
    assert not fail.passed and fail.reason == "Your det is 3: the plane still has area."


@pytest.mark.parametrize(
    ("matrix", "words"),
    [
        ((0, 0, 0, 0), "all zeros"),  # rank 0: a point, not a line
        ((1, 0, 0, 0), "not on y = x"),  # the singular preset: the x-axis
        ((1, 1, 1, 1.1), "det is 0.1"),
        ((NAN, 1, 1, 1), "nan"),
        ((math.inf, 1, 1, 1), "inf"),
    ],
)
def test_squash_cheats_fail(matrix, words):
    verdict = lac.squashes_onto_diagonal(*matrix)
    assert not verdict.passed and words in verdict.reason


def test_eigenvectors_are_the_axes():
    assert lac.eigenvectors_are_axes(2, 0, 0, 0.5).passed
    assert lac.eigenvectors_are_axes(0, 0, 0, 1).passed  # a projection onto y: still the axes
    assert not lac.eigenvectors_are_axes(*DEFAULT).passed
    identity = lac.eigenvectors_are_axes(1, 0, 0, 1)
    assert not identity.passed and "every vector is an eigenvector" in identity.reason
    assert not lac.eigenvectors_are_axes(3, 0, 0, 3).passed  # any multiple of I
    assert not lac.eigenvectors_are_axes(0, 0, 0, 0).passed
    assert not lac.eigenvectors_are_axes(1, 1e-6, 0, 2).passed  # a hair of shear
    assert not lac.eigenvectors_are_axes(NAN, 0, 0, 1).passed


def test_spiral_inwards():
    passed = lac.spirals_inwards(0.5, -0.5, 0.5, 0.5)
    assert passed.passed and "45.0°" in passed.reason and "0.707" in passed.reason
    assert not lac.spirals_inwards(*DEFAULT).passed  # real eigenvalues
    c, s = math.cos(math.pi / 6), math.sin(math.pi / 6)
    rotation = lac.spirals_inwards(c, -s, s, c)  # the rotation preset: modulus 1
    assert not rotation.passed and "outwards" in rotation.reason
    assert not lac.spirals_inwards(0.9, -0.6, 0.6, 0.9).passed  # modulus 1.08
    assert not lac.spirals_inwards(0, 0, 0, 0).passed  # a point: nothing turns
    assert not lac.spirals_inwards(NAN, 0, 0, 0).passed


def test_orthogonal_vectors():
    assert lac.orthogonal_vectors(3, 1, -1, 3).passed
    assert lac.orthogonal_vectors(-4, 0, 0, 0.25).passed
    default = lac.orthogonal_vectors(3, 1, 1, 3)
    assert not default.passed and "53.1°" in default.reason
    zero = lac.orthogonal_vectors(0, 0, 1, 3)  # u . v = 0, but u has no direction
    assert not zero.passed and "zero vector" in zero.reason
    assert not lac.orthogonal_vectors(1, 0, -1, 0).passed  # opposite, 180°
    assert not lac.orthogonal_vectors(NAN, 1, 1, 1).passed
