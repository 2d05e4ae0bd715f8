"""dlcore.linalg against scikit-learn and numpy.linalg, plus the properties it teaches."""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pytest
from sklearn import datasets as skd
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

from dlcore import linalg as L


@pytest.fixture(autouse=True)
def _no_runtime_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        yield


TABLES = {
    "iris": lambda: skd.load_iris().data,
    "wine": lambda: skd.load_wine().data,
    "breast_cancer": lambda: skd.load_breast_cancer().data,
    "digits": lambda: skd.load_digits().data,
    "wide": lambda: np.random.default_rng(3).standard_normal((20, 50)),
    "tall_offset": lambda: 5000.0
    + np.random.default_rng(4).standard_normal((2000, 6)) @ np.diag([3, 2, 1, 0.5, 0.2, 0.1]),
}


def _assert_matches_sklearn(X, k):
    ours = L.pca(X, k)
    ref = PCA(k, svd_solver="full").fit(X)
    scale = ref.singular_values_[0]
    # components of (numerically) zero variance span a null space: any basis is right
    live = ref.singular_values_ > 1e-8 * scale
    np.testing.assert_allclose(ours.mean, ref.mean_, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours.components[live], ref.components_[live], atol=1e-6)
    np.testing.assert_allclose(
        ours.singular_values, ref.singular_values_, rtol=1e-6, atol=1e-6 * scale
    )
    np.testing.assert_allclose(
        ours.explained_variance, ref.explained_variance_, rtol=1e-6, atol=1e-9 * scale**2
    )
    np.testing.assert_allclose(
        ours.explained_variance_ratio, ref.explained_variance_ratio_, atol=1e-9
    )
    np.testing.assert_allclose(
        L.pca_transform(ours, X)[:, live], ref.transform(X)[:, live], atol=1e-6 * scale
    )
    return ours


@functools.cache
def _table(name: str) -> np.ndarray:
    return TABLES[name]()


@pytest.mark.parametrize("name", list(TABLES))
@pytest.mark.parametrize("k", [1, 2, 3, None])
def test_pca_equals_sklearn_full_solver(name, k):
    X = _table(name)
    ours = _assert_matches_sklearn(X, k)
    assert ours.components.shape == (k or min(X.shape), X.shape[1])


def test_pca_every_n_components_on_wine():
    X = skd.load_wine().data
    for k in range(1, X.shape[1] + 1):
        _assert_matches_sklearn(X, k)


def test_pca_standardised_equals_sklearn_pipeline():
    X = skd.load_wine().data
    Z = L.standardize(X)
    np.testing.assert_allclose(Z, StandardScaler().fit_transform(X), atol=1e-12)
    _assert_matches_sklearn(Z, 5)


def test_both_routes_agree():
    # tall data takes the covariance route; a copy with d just large enough takes the SVD route
    X = np.random.default_rng(0).standard_normal((600, 6)) @ np.random.default_rng(
        1
    ).standard_normal((6, 6))
    assert X.shape[0] >= L.EIGH_RATIO * X.shape[1]
    eig_route = L.pca(X)
    svd_route = L.pca(X[: L.EIGH_RATIO * 6 - 1])  # fewer rows: the SVD route
    assert svd_route.components.shape == (6, 6)
    ref = PCA(svd_solver="full").fit(X)
    np.testing.assert_allclose(eig_route.components, ref.components_, atol=1e-10)


def test_sign_convention_largest_loading_positive():
    res = L.pca(skd.load_breast_cancer().data)
    rows = np.arange(res.components.shape[0])
    assert np.all(res.components[rows, np.argmax(np.abs(res.components), axis=1)] > 0)


def test_ratios_sum_to_one_and_round_trip_at_full_rank():
    X = skd.load_iris().data
    res = L.pca(X)
    assert res.explained_variance_ratio.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(L.pca_inverse_transform(res, L.pca_transform(res, X)), X, atol=1e-10)


def test_reconstruction_error_formula_matches_reconstruction():
    X = skd.load_digits().data[:400]
    full = L.pca(X)
    errors = L.pca_reconstruction_error(full, len(X))
    assert errors.shape == (full.components.shape[0] + 1,)
    assert errors[-1] == pytest.approx(0.0, abs=1e-12)
    for k in (0, 1, 5, 20):
        res = full._replace(components=full.components[:k])
        Xk = (
            L.pca_inverse_transform(res, L.pca_transform(res, X))
            if k
            else np.broadcast_to(full.mean, X.shape)
        )
        assert np.mean((X - Xk) ** 2) == pytest.approx(errors[k], rel=1e-9)
    assert np.all(np.diff(errors) <= 1e-12)


@pytest.mark.parametrize(
    ("X", "k", "match"),
    [
        (np.ones((1, 3)), None, "at least 2 samples"),
        (np.ones((5, 3)), 4, r"n_components must be an integer in \[1, 3\]"),
        (np.ones((5, 3)), 0, "n_components"),
        (np.array([[1.0, np.nan], [2.0, 3.0]]), None, "finite"),
        (np.array([[np.inf, 1.0], [-np.inf, 3.0]]), None, "finite"),
        (np.ones(4), None, "2 axes"),
    ],
)
def test_pca_bad_input(X, k, match):
    with pytest.raises(ValueError, match=match):
        L.pca(X, k)


def test_transform_shape_errors():
    res = L.pca(skd.load_iris().data, 2)
    with pytest.raises(ValueError, match="4 features"):
        L.pca_transform(res, np.ones((3, 5)))
    with pytest.raises(ValueError, match="2 columns"):
        L.pca_inverse_transform(res, np.ones((3, 3)))


def test_standardize_refuses_constant_features():
    X = skd.load_digits().data  # the corner pixels are always 0
    with pytest.raises(ValueError, match="constant feature"):
        L.standardize(X)


# ----------------------------------------------------------------- low rank
def _optimal_error(A, k):
    s = np.linalg.svd(A, compute_uv=False)
    return np.sqrt((s[k:] ** 2).sum())


@pytest.mark.parametrize("shape", [(30, 20), (20, 45), (8, 8)])
@pytest.mark.parametrize("k", [1, 3, 8])
def test_low_rank_exact_is_eckart_young_optimal(shape, k):
    A = np.random.default_rng(sum(shape) + k).standard_normal(shape)
    Ak = L.low_rank_approx(A, k)
    assert Ak.shape == A.shape
    assert np.linalg.matrix_rank(Ak) == k
    assert np.linalg.norm(A - Ak) == pytest.approx(_optimal_error(A, k), rel=1e-6)
    U, S, Vt = np.linalg.svd(A)
    np.testing.assert_allclose(Ak, (U[:, :k] * S[:k]) @ Vt[:k], atol=1e-10)


def test_low_rank_randomized_within_a_hair_of_optimal():
    rng = np.random.default_rng(0)
    m = 400
    # decaying spectrum like a photograph's
    U, _ = np.linalg.qr(rng.standard_normal((m, m)))
    V, _ = np.linalg.qr(rng.standard_normal((m, m)))
    A = (U * (1.0 / np.arange(1, m + 1))) @ V.T
    k = 10
    Ak = L.low_rank_approx(A, k, method="randomized")
    assert np.linalg.norm(A - Ak) <= 1.001 * _optimal_error(A, k)
    # auto picks randomized for a large matrix and a small k
    assert np.linalg.norm(A - L.low_rank_approx(A, k)) <= 1.001 * _optimal_error(A, k)


def test_low_rank_keeps_float32_and_is_seeded():
    A = np.random.default_rng(0).random((320, 330)).astype(np.float32)
    a = L.low_rank_approx(A, 5, method="randomized", rng=1)
    assert a.dtype == np.float32
    np.testing.assert_array_equal(a, L.low_rank_approx(A, 5, method="randomized", rng=1))


def test_full_rank_approximation_is_the_matrix():
    A = np.random.default_rng(1).standard_normal((6, 4))
    np.testing.assert_allclose(L.low_rank_approx(A, 4), A, atol=1e-12)


@pytest.mark.parametrize(("k", "method"), [(0, "auto"), (5, "auto"), (2, "magic")])
def test_low_rank_bad_input(k, method):
    with pytest.raises(ValueError, match="k must|method must"):
        L.low_rank_approx(np.ones((4, 4)), k, method=method)


def test_image_svd_compression_and_stats():
    img = np.random.default_rng(2).random((40, 30, 3)).astype(np.float32)
    svd = L.image_svd(img)
    assert svd.S.shape == (3, 30)
    full = L.compress_image(svd, 30)
    np.testing.assert_allclose(full, img, atol=1e-4)
    k = 5
    out = L.compress_image(svd, k)
    assert out.shape == img.shape
    storage, rel_err, energy = L.compression_stats(svd, k)
    assert storage == pytest.approx(k * (40 + 30 + 1) / (40 * 30))
    unclipped = np.stack([L.low_rank_approx(img[..., c], k) for c in range(3)], axis=2)
    assert rel_err == pytest.approx(np.linalg.norm(img - unclipped) / np.linalg.norm(img), rel=1e-4)
    assert energy == pytest.approx(1 - rel_err**2, abs=1e-12)
    gray = L.compress_image(L.image_svd(img[..., 0]), 3)
    assert gray.shape == (40, 30)


@pytest.mark.parametrize("shape", [(1, 1), (1, 1, 3), (2000, 1), (4, 4, 2)])
def test_image_svd_refuses_degenerate_images(shape):
    with pytest.raises(ValueError, match="img"):
        L.image_svd(np.zeros(shape))


def test_gaussian_cloud_has_the_asked_covariance():
    X, cov = L.gaussian_cloud(20000, std1=2.0, std2=0.5, corr=0.3, angle=0.4, rng=0)
    np.testing.assert_allclose(np.cov(X.T), cov, atol=0.08)
    c, s = np.cos(0.4), np.sin(0.4)
    R = np.array([[c, -s], [s, c]])
    np.testing.assert_allclose(R.T @ cov @ R, [[4.0, 0.3], [0.3, 0.25]], atol=1e-12)
    X1, _ = L.gaussian_cloud(10, std1=1, std2=1, corr=1.0, angle=0, rng=0)  # |corr| = 1 is allowed
    assert np.all(np.isfinite(X1))


def test_pca_routes_agree():
    X = skd.load_wine().data
    routes = L.pca_routes(X)
    n = len(X)
    np.testing.assert_allclose(routes.singular_values**2 / (n - 1), routes.eigenvalues, rtol=1e-8)
    np.testing.assert_allclose(routes.svd_components[:5], routes.eig_components[:5], atol=1e-6)
    np.testing.assert_allclose(
        routes.svd_components, PCA(svd_solver="full").fit(X).components_, atol=1e-8
    )
