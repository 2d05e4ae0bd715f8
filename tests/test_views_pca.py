"""dlcore.views.pca: each panel's numbers against scikit-learn and NumPy, degenerate cases included."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

from dlcore import linalg as la
from dlcore.views import pca as views


@pytest.fixture(scope="module")
def iris():
    return views.pca_fit("iris", True)


def test_pca_fit_equals_scikit_learn_on_standardised_iris(iris):
    Xs = StandardScaler().fit_transform(iris.data.X)
    np.testing.assert_allclose(iris.X, Xs, atol=1e-12)
    ref = PCA(svd_solver="full").fit(Xs)
    np.testing.assert_allclose(iris.pca.explained_variance_ratio, ref.explained_variance_ratio_)
    np.testing.assert_allclose(iris.scores, ref.transform(Xs), atol=1e-10)
    assert iris.rank == 4 and iris.standardised and iris.problem == ""
    for k in range(5):  # the error keeping k components, against rebuilding the data
        back = ref.inverse_transform(np.pad(ref.transform(Xs)[:, :k], ((0, 0), (0, 4 - k))))
        assert iris.errors[k] == pytest.approx(np.mean((Xs - back) ** 2), abs=1e-12)


def test_pca_fit_falls_back_when_a_feature_is_constant():
    digits = views.pca_fit("digits", True)
    assert not digits.standardised and "constant feature" in digits.problem
    assert digits.problem.endswith("Showing PCA of the unstandardised data instead.")
    np.testing.assert_array_equal(digits.X, digits.data.X)
    raw = views.pca_fit("digits", False)
    assert raw.problem == "" and not raw.standardised


def test_pca_fit_synthetic_sets_are_seeded_and_unknown_names_refused():
    a, b = views.pca_fit("swiss_roll", False), views.pca_fit("swiss_roll", False)
    assert a.X.shape == (views.SYNTHETIC_SAMPLES, 3)
    np.testing.assert_array_equal(a.X, b.X)
    with pytest.raises(ValueError, match="name"):
        views.pca_fit("mnist", True)


def test_pca_view_shares_errors_and_columns(iris):
    v = views.pca_view(iris, 3)
    ratio = iris.pca.explained_variance_ratio
    assert v.kept == pytest.approx(ratio[:3].sum())
    assert v.kept_variance / v.total_variance == pytest.approx(v.kept)
    assert v.total_variance == pytest.approx(np.var(iris.X, axis=0, ddof=1).sum())
    assert v.mse == iris.errors[3] and v.projection_problem == "" and v.digits is None
    assert list(v.columns) == ["PC1", "PC2", "PC3", "label"]
    np.testing.assert_array_equal(v.columns["PC2"], iris.scores[:, 1])
    full = views.pca_view(iris, 4)
    assert full.kept == pytest.approx(1.0) and full.mse == pytest.approx(0.0, abs=1e-12)


def test_pca_view_digits_reconstructions_match_scikit_learn():
    digits = views.pca_fit("digits", False)
    v = views.pca_view(digits, 5)
    shown, back = v.digits
    ref = PCA(n_components=5, svd_solver="full").fit(digits.X)
    assert shown.shape == back.shape == (views.DIGITS_SHOWN, 64)
    np.testing.assert_allclose(back, ref.inverse_transform(ref.transform(shown)), atol=1e-9)


def test_pca_view_refuses_a_projection_with_too_few_features_and_bad_k():
    blobs = views.pca_fit("blobs", True)
    assert views.pca_view(blobs, 2, 2).projection_problem == ""
    assert views.pca_view(blobs, 2, 3).projection_problem == (
        "This data set has only 2 features: a 3-D projection needs 3 components."
    )
    with pytest.raises(ValueError, match="k must be"):
        views.pca_view(blobs, 3)


def test_svd_check_columns_agree():
    c = views.svd_check("wine", True)
    assert c.n == 178 and c.m == 8
    assert list(c.table) == ["i", "σᵢ (SVD of X_c)", "σᵢ² / (n−1)", "λᵢ (eigh of covariance)"]
    Xs = StandardScaler().fit_transform(views.pca_fit("wine", True).data.X)
    s = np.linalg.svd(Xs - Xs.mean(axis=0), compute_uv=False)[:8]
    np.testing.assert_allclose(c.table["σᵢ (SVD of X_c)"], s, rtol=1e-10)
    np.testing.assert_allclose(
        c.table["σᵢ² / (n−1)"], c.table["λᵢ (eigh of covariance)"], rtol=1e-9
    )
    assert c.gap < 1e-8
    assert views.svd_check("iris", False).m == 4  # fewer components than rows shown


def test_cloud_view_loses_the_second_eigenvalue():
    v = views.cloud_view(400, 2.0, 1.0, 0.6, 0, 0)
    assert v.lost == pytest.approx(v.lost_formula, rel=1e-10)
    lam = np.linalg.eigvalsh(np.cov(v.X.T))[::-1]
    np.testing.assert_allclose(v.pca.explained_variance, lam, rtol=1e-10)
    assert v.pc1_share == pytest.approx(lam[0] / lam.sum())
    np.testing.assert_allclose(v.cov, [[4.0, 1.2], [1.2, 1.0]])
    # the projection lies on the line through the mean along PC1
    offset = v.recon - v.pca.mean
    np.testing.assert_allclose(np.cross(offset, v.pca.components[0]), 0.0, atol=1e-12)


def test_cloud_view_degenerate_and_rotated_clouds():
    line = views.cloud_view(200, 2.0, 1.0, 1.0, 30, 3)  # rho = 1: the cloud is a line
    assert line.pca.explained_variance[1] == pytest.approx(0.0, abs=1e-12)
    assert line.lost == pytest.approx(0.0, abs=1e-12) and line.pc1_share == pytest.approx(1.0)
    axis = views.cloud_view(2000, 3.0, 0.5, 0.0, 90, 1)  # the long axis turned to vertical
    assert abs(axis.pca.components[0] @ [0.0, 1.0]) > 0.99


def test_image_view_is_eckart_young_optimal():
    rng = np.random.default_rng(0)
    img = np.clip(rng.random((20, 30, 3)), 0, 1).astype(np.float32)
    svd = la.image_svd(img)
    v = views.image_view(svd, 5)
    assert (v.height, v.width, v.channels) == (20, 30, ["red", "green", "blue"])
    assert v.storage == pytest.approx(5 * (20 + 30 + 1) / (20 * 30))
    s = np.stack([np.linalg.svd(img[..., c].astype(float), compute_uv=False) for c in range(3)])
    tail = np.sqrt((s[:, 5:] ** 2).sum() / (s**2).sum())
    assert v.rel_error == pytest.approx(tail, rel=1e-5)
    assert v.energy == pytest.approx(1 - tail**2, rel=1e-6)
    assert v.image.shape == img.shape and v.image.dtype == np.float32
    full = views.image_view(svd, 20)
    assert full.rel_error < 1e-3 and np.abs(full.image - img).max() < 1e-4


def test_image_view_gray_and_rank_bounds():
    gray = la.image_svd(np.linspace(0, 1, 12, dtype=np.float32).reshape(3, 4))
    v = views.image_view(gray, 1)  # a rank-1 ramp... of rank 2 (rows differ by a constant)
    assert v.channels == ["gray"] and v.image.shape == (3, 4)
    with pytest.raises(ValueError, match="k must be"):
        views.image_view(gray, 4)
