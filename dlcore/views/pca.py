"""What the panels of the PCA and SVD lab show, one function per panel.

A panel reads its widgets, calls one of these and hands the fields to
charts and ``st.latex``: every share, error, table column and verdict on
the page is computed here, where it is tested.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlcore import datasets
from dlcore import linalg as la
from dlcore._validation import check_choice, check_int

#: the data sets of the "PCA on data" panel, in menu order
PCA_DATASETS = ("iris", "wine", "breast_cancer", "digits", "swiss_roll", "blobs")
#: samples drawn for a synthetic data set
SYNTHETIC_SAMPLES = 600
#: digits shown above their reconstructions
DIGITS_SHOWN = 12


# ------------------------------------------------------------- PCA on data
class PCAFit(NamedTuple):
    """A data set and its full PCA: what the k slider and the projections read.

    Attributes
    ----------
    name : str
    data : Dataset
        As loaded (labels, feature and class names).
    X : ndarray of shape (n, d)
        The data PCA ran on: standardised, unless that was asked for and impossible.
    standardised : bool
        Whether X is standardised.
    problem : str
        Why standardisation was skipped (a constant feature), "" otherwise.
    pca : PCAResult
        All min(n, d) components.
    scores : ndarray of shape (n, min(n, d))
        X on the principal axes.
    errors : ndarray of shape (min(n, d) + 1,)
        Mean squared reconstruction error per entry when keeping 0, 1, ... components.
    """

    name: str
    data: datasets.Dataset
    X: np.ndarray
    standardised: bool
    problem: str
    pca: la.PCAResult
    scores: np.ndarray
    errors: np.ndarray

    @property
    def rank(self) -> int:
        """The number of components, min(n, d): the k slider's maximum."""
        return len(self.pca.singular_values)


def pca_fit(name: str, standardise: bool) -> PCAFit:
    """Load ``name`` (600 seeded samples if synthetic), standardise it if asked, fit PCA."""
    check_choice("name", name, PCA_DATASETS)
    synthetic = datasets.DATASETS[name].kind == "synthetic"
    data = datasets.load(name, rng=0, **({"n_samples": SYNTHETIC_SAMPLES} if synthetic else {}))
    X, problem = data.X, ""
    if standardise:
        try:
            X = la.standardize(data.X)
        except ValueError as exc:
            problem = f"{exc} Showing PCA of the unstandardised data instead."
    result = la.pca(X)
    errors = la.pca_reconstruction_error(result, len(X))
    scores = la.pca_transform(result, X)
    return PCAFit(name, data, X, standardise and not problem, problem, result, scores, errors)


class PCAView(NamedTuple):
    """What keeping k components of a fitted PCA means.

    Attributes
    ----------
    k : int
    kept : float
        Share of the variance the first k components carry.
    kept_variance, total_variance : float
        ``sum(lambda_1..k)`` and ``sum(lambda)``.
    mse : float
        Mean squared reconstruction error per entry at k.
    dims : int
        2 or 3: the projection asked for.
    projection_problem : str
        Why that projection cannot be drawn (fewer features than dims), "".
    columns : dict name -> ndarray of shape (n,)
        PC1..PCk scores and the labels, for the CSV download.
    digits : (ndarray of shape (12, 64), ndarray of shape (12, 64)) or None
        The first digits and their rank-k reconstructions (digits only).
    """

    k: int
    kept: float
    kept_variance: float
    total_variance: float
    mse: float
    dims: int
    projection_problem: str
    columns: dict[str, np.ndarray]
    digits: tuple[np.ndarray, np.ndarray] | None


def pca_view(fit: PCAFit, k: int, dims: int = 2) -> PCAView:
    """The variance kept, the error and the scores when keeping ``k`` components of ``fit``."""
    k = check_int("k", k, 1, fit.rank)
    dims = check_int("dims", dims, 2, 3)
    lam = fit.pca.explained_variance
    problem = ""
    if fit.rank < dims:
        problem = (
            f"This data set has only {fit.rank} features: a {dims}-D projection needs {dims} "
            "components."
        )
    columns = {f"PC{i + 1}": fit.scores[:, i] for i in range(k)}
    columns["label"] = fit.data.y
    digits = None
    if fit.name == "digits":
        part = fit.pca._replace(components=fit.pca.components[:k])
        shown = fit.X[:DIGITS_SHOWN]
        digits = (shown, la.pca_inverse_transform(part, la.pca_transform(part, shown)))
    return PCAView(
        k=k,
        kept=float(fit.pca.explained_variance_ratio[:k].sum()),
        kept_variance=float(lam[:k].sum()),
        total_variance=float(lam.sum()),
        mse=float(fit.errors[k]),
        dims=dims,
        projection_problem=problem,
        columns=columns,
        digits=digits,
    )


class SVDCheck(NamedTuple):
    """PCA computed as the SVD of the centred data and as the covariance's eigenvectors.

    Attributes
    ----------
    n : int
        Samples.
    m : int
        Rows shown: at most 8 components.
    table : dict column -> ndarray of shape (m,)
        i, the singular values, sigma^2 / (n - 1) and the covariance's eigenvalues.
    gap : float
        The largest entry of |V^T - eigenvectors| over the first m rows.
    """

    n: int
    m: int
    table: dict[str, np.ndarray]
    gap: float


def svd_check(name: str, standardise: bool) -> SVDCheck:
    """Both routes to the PCA of ``name`` side by side: their variances agree to rounding."""
    X = pca_fit(name, standardise).X
    two = la.pca_routes(X)
    n, m = len(X), min(8, len(two.singular_values))
    s = two.singular_values[:m]
    table = {
        "i": np.arange(1, m + 1),
        "σᵢ (SVD of X_c)": s,
        "σᵢ² / (n−1)": s**2 / (n - 1),
        "λᵢ (eigh of covariance)": two.eigenvalues[:m],
    }
    gap = float(np.abs(two.svd_components[:m] - two.eig_components[:m]).max())
    return SVDCheck(n, m, table, gap)


# ---------------------------------------------------------- correlated cloud
class CloudView(NamedTuple):
    """A 2-D Gaussian cloud, its principal axes and what projecting onto PC1 loses.

    Attributes
    ----------
    X : ndarray of shape (n, 2)
    cov : ndarray of shape (2, 2)
        The covariance the samples were drawn from.
    pca : PCAResult
        Of the samples (mean, both axes, the sample variances lambda_1 >= lambda_2).
    recon : ndarray of shape (n, 2)
        The samples projected onto PC1 and back.
    pc1_share : float
        lambda_1 / (lambda_1 + lambda_2).
    lost : float
        Mean of |x - x_hat|^2 over the samples.
    lost_formula : float
        lambda_2 (n - 1) / n, which equals ``lost``.
    """

    X: np.ndarray
    cov: np.ndarray
    pca: la.PCAResult
    recon: np.ndarray
    pc1_share: float
    lost: float
    lost_formula: float


def cloud_view(
    n: int, std1: float, std2: float, corr: float, angle_deg: float, seed: int
) -> CloudView:
    """Draw ``n`` seeded samples, fit PCA and project them onto its first axis."""
    X, cov = la.gaussian_cloud(
        n, std1=std1, std2=std2, corr=corr, angle=np.radians(angle_deg), rng=int(seed)
    )
    res = la.pca(X)
    first = res._replace(components=res.components[:1])
    recon = la.pca_inverse_transform(first, la.pca_transform(first, X))
    lost = float(np.mean(np.sum((X - recon) ** 2, axis=1)))
    lam2 = float(res.explained_variance[1])
    share = float(res.explained_variance_ratio[0])
    return CloudView(X, cov, res, recon, share, lost, lam2 * (len(X) - 1) / len(X))


# ---------------------------------------------------------- image compression
class ImageView(NamedTuple):
    """The rank-k image and what it costs and keeps.

    Attributes
    ----------
    k : int
    image : ndarray of shape (H, W) or (H, W, 3), float32 in [0, 1]
    storage : float
        k (m + n + 1) / (m n): numbers stored per pixel, per channel.
    rel_error, energy : float
        ||A - A_k||_F / ||A||_F and the share of sum sigma^2 kept.
    height, width : int
    channels : list of str
        "red", "green", "blue", or "gray".
    """

    k: int
    image: np.ndarray
    storage: float
    rel_error: float
    energy: float
    height: int
    width: int
    channels: list[str]


def image_view(svd: la.ImageSVD, k: int) -> ImageView:
    """Rebuild the image from its first ``k`` singular triplets per channel."""
    storage, rel_error, energy = la.compression_stats(svd, k)
    channels = ["red", "green", "blue"] if svd.S.shape[0] == 3 else ["gray"]
    out = la.compress_image(svd, k)
    return ImageView(k, out, storage, rel_error, energy, svd.U.shape[1], svd.Vt.shape[2], channels)
