"""dlcore.transforms2d against numpy.linalg, plus the properties of 2x2 transforms it teaches."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from dlcore import linalg as L
from dlcore import transforms2d as t2d


@pytest.fixture(autouse=True)
def _no_runtime_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        yield


# ----------------------------------------------------------------- 2x2
MATRICES = {
    "symmetric": [[2.0, 1.0], [1.0, 3.0]],
    "rotation": [[0.0, -1.0], [1.0, 0.0]],
    "shear": [[1.0, 1.0], [0.0, 1.0]],
    "projection": [[1.0, 0.0], [0.0, 0.0]],
    "rotation_scaling": [[0.8, -0.6], [0.6, 0.8]],
    "reflection": [[1.0, 0.0], [0.0, -1.0]],
    "scalar": [[2.0, 0.0], [0.0, 2.0]],
    "general": [[1.5, -2.0], [0.3, 0.7]],
    "negative": [[-3.0, 1.0], [0.5, -1.0]],
}


@pytest.mark.parametrize("name", list(MATRICES))
def test_eig2_against_numpy(name):
    A = np.array(MATRICES[name])
    res = L.eig2(A)
    ref = np.linalg.eigvals(A)
    np.testing.assert_allclose(
        np.sort_complex(res.eigenvalues.astype(complex)), np.sort_complex(ref), atol=1e-12
    )
    np.testing.assert_allclose(A @ res.eigenvectors, res.eigenvectors * res.eigenvalues, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(res.eigenvectors, axis=0), 1.0, atol=1e-12)
    assert res.trace == pytest.approx(res.eigenvalues.sum().real)
    assert res.det == pytest.approx(np.prod(res.eigenvalues).real)
    assert res.det == pytest.approx(np.linalg.det(A), abs=1e-12)
    assert res.is_real == bool(np.all(np.abs(ref.imag) < 1e-12))


def test_eig2_complex_pair_is_rotation_and_scaling():
    theta, r = 0.7, 1.5
    A = r * np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    res = L.eig2(A)
    assert not res.is_real
    assert res.modulus == pytest.approx(r)
    assert res.angle == pytest.approx(theta)


@pytest.mark.parametrize("name", list(MATRICES))
def test_svd2_against_numpy(name):
    A = np.array(MATRICES[name])
    U, S, Vt = L.svd2(A)
    np.testing.assert_allclose(S, np.linalg.svd(A, compute_uv=False), atol=1e-12)
    np.testing.assert_allclose((U * S) @ Vt, A, atol=1e-12)
    np.testing.assert_allclose(U.T @ U, np.eye(2), atol=1e-12)
    assert np.linalg.det(U) == pytest.approx(1.0)


def test_abs_det_is_area_of_transformed_unit_square():
    A = np.array(MATRICES["general"])
    corners = A @ np.array([[0, 1, 1, 0], [0, 0, 1, 1]], float)
    x, y = corners
    shoelace = 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
    assert abs(L.eig2(A).det) == pytest.approx(shoelace)


def test_2x2_functions_refuse_other_shapes():
    for fn in (L.eig2, L.svd2):
        with pytest.raises(ValueError, match="2x2"):
            fn(np.eye(3))


def test_relate_vectors():
    u, v = np.array([3.0, 4.0]), np.array([4.0, 0.0])
    r = t2d.relate(u, v)
    assert (r.dot, r.norm_u, r.norm_v) == (12.0, 5.0, 4.0)
    assert r.angle == pytest.approx(np.arccos(12 / 20))
    np.testing.assert_allclose(r.projection, [3.0, 0.0])
    assert np.isnan(t2d.relate(u, np.zeros(2)).angle)
    np.testing.assert_allclose(t2d.relate(u, np.zeros(2)).projection, 0.0)
    assert t2d.relate(u, 2 * u).angle == 0.0


@pytest.mark.parametrize("name", list(t2d.TRANSFORMS))
def test_every_transform_preset_decomposes(name):
    spec = t2d.TRANSFORMS[name]
    A = spec.as_array()
    assert spec.latex.startswith(r"\begin{pmatrix}") and spec.description
    e = L.eig2(A)
    np.testing.assert_allclose(
        np.sort_complex(e.eigenvalues.astype(complex)),
        np.sort_complex(np.linalg.eigvals(A)),
        atol=1e-12,
    )
    U, S, Vt = L.svd2(A)
    np.testing.assert_allclose((U * S) @ Vt, A, atol=1e-12)


def test_matrix_with_eigenvalues():
    A = t2d.matrix_with_eigenvalues(2.0, -0.5, 0.3)
    np.testing.assert_allclose(np.linalg.eigvalsh(A), [-0.5, 2.0], atol=1e-12)
    np.testing.assert_allclose(
        A @ [np.cos(0.3), np.sin(0.3)], 2.0 * np.array([np.cos(0.3), np.sin(0.3)]), atol=1e-12
    )
