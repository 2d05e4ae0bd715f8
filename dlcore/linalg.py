"""Linear algebra for the labs: PCA, the SVD and low-rank approximation (images included).

The linear-system routines (elimination with recorded steps, least squares,
power iteration) live in :mod:`dlcore.linsys` and are re-exported here, so
``dlcore.linalg`` carries the whole public API of ARCHITECTURE.md. Vectors and
the 2x2 transform explorer (:func:`eig2`, :func:`svd2`, re-exported here) live in
:mod:`dlcore.transforms2d`.

Sign conventions follow scikit-learn 1.9 (``svd_flip(u_based_decision=False)``
in ``PCA._fit_full``): each principal axis is flipped so that its entry of
largest magnitude is positive.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlcore._validation import RngLike, as_rng, check_array, check_int, check_range
from dlcore.linsys import (
    SYSTEMS,
    EliminationStep,
    LeastSquaresResult,
    PowerIterationResult,
    SolveResult,
    SystemPreset,
    condition_number,
    inverse,
    least_squares,
    line_design,
    near_singular_system,
    noisy_line,
    parse_matrix,
    power_iteration,
    solve,
)
from dlcore.transforms2d import SVDResult, eig2, svd2

__all__ = [
    "compress_image",
    "compression_stats",
    "condition_number",
    "eig2",
    "EliminationStep",
    "exact_svd",
    "gaussian_cloud",
    "image_svd",
    "ImageSVD",
    "inverse",
    "least_squares",
    "LeastSquaresResult",
    "line_design",
    "low_rank_approx",
    "near_singular_system",
    "noisy_line",
    "parse_matrix",
    "pca",
    "pca_inverse_transform",
    "pca_reconstruction_error",
    "pca_routes",
    "pca_transform",
    "PCAResult",
    "PCARoutes",
    "power_iteration",
    "PowerIterationResult",
    "randomized_svd",
    "solve",
    "SolveResult",
    "standardize",
    "svd2",
    "SystemPreset",
    "SYSTEMS",
]

# Samples per feature from which the covariance route is taken (scikit-learn's
# "auto" solver uses the same ratio): the d x d eigenproblem is then far
# cheaper than an SVD of the n x d data, and as exact.
EIGH_RATIO = 10
# Rows centred at a time when the covariance must be formed from centred data:
# a reused buffer instead of a full centred copy of X (fastest of 1k..20k
# rows measured on a 20000 x 784 X).
_CHUNK_ROWS = 8192


# ------------------------------------------------------------------------- PCA
class PCAResult(NamedTuple):
    """A fitted PCA, with scikit-learn's attribute meanings.

    Attributes
    ----------
    mean : ndarray of shape (d,)
    components : ndarray of shape (k, d)
        Principal axes as rows (``V^T`` of the centred data), unit length.
    singular_values : ndarray of shape (k,)
    explained_variance : ndarray of shape (k,)
        ``singular_values**2 / (n - 1)``: eigenvalues of the covariance.
    explained_variance_ratio : ndarray of shape (k,)
        Fractions of the total variance (over all components, not only k).
    """

    mean: np.ndarray
    components: np.ndarray
    singular_values: np.ndarray
    explained_variance: np.ndarray
    explained_variance_ratio: np.ndarray


def _flip_rows(Vt: np.ndarray) -> np.ndarray:
    # scikit-learn's svd_flip(u_based_decision=False): the largest-|.| entry
    # of each row (the first one on ties, as argmax) becomes positive.
    idx = np.argmax(np.abs(Vt), axis=1)
    signs = np.sign(Vt[np.arange(len(Vt)), idx])
    signs[signs == 0] = 1.0
    return Vt * signs[:, None]


def _covariance(X: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """The sample covariance ``(X - mean)^T (X - mean) / (n - 1)`` of a tall X.

    The fast form ``X^T X - n m m^T`` (no centred copy of X, one symmetric
    BLAS product, as scikit-learn's covariance solver) loses about
    ``log10(m_j^2 / var_j)`` digits to cancellation. When a feature's mean is
    over 1000 standard deviations from zero that could cost more than 6
    digits, so the data is centred first, in chunks through one reused buffer.
    """
    n, d = X.shape
    C = X.T @ X  # X.T @ X on one array: NumPy calls the symmetric kernel (syrk), half the work
    C -= n * np.outer(mean, mean)
    spread = np.diag(C)
    if np.all(mean**2 * n <= 1e6 * np.maximum(spread, 0.0)):
        return C / (n - 1)
    C = np.zeros((d, d))
    buf = np.empty((min(_CHUNK_ROWS, n), d))
    for start in range(0, n, _CHUNK_ROWS):
        block = X[start : start + _CHUNK_ROWS]
        B = buf[: len(block)]
        np.subtract(block, mean, out=B)
        C += B.T @ B
    return C / (n - 1)


def pca(X, n_components: int | None = None) -> PCAResult:
    """Principal component analysis, exactly as ``PCA(svd_solver="full")``.

    Two exact routes give the same numbers: the SVD of the centred data
    ``Xc = U S V^T`` (components ``V^T``, variances ``S^2 / (n-1)``), or the
    eigendecomposition of the covariance ``Xc^T Xc / (n-1)``, taken when
    samples outnumber features ``EIGH_RATIO`` times (much faster then).

    Parameters
    ----------
    X : array_like of shape (n, d)
        At least 2 samples.
    n_components : int, optional
        ``1 <= k <= min(n, d)``; None keeps ``min(n, d)``.

    Returns
    -------
    PCAResult
    """
    X = check_array("X", X, ndim=2, finite=False)
    n, d = X.shape
    if n < 2:
        raise ValueError(f"X must have at least 2 samples (rows), got {n}")
    r = min(n, d)
    k = r if n_components is None else check_int("n_components", n_components, 1, r)
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf is NaN: reported just below
        mean = X.mean(axis=0)
    if not np.all(np.isfinite(mean)):  # a NaN/inf anywhere in X shows up in its column mean
        raise ValueError("X must contain only finite numbers (no NaN or inf)")
    if n >= EIGH_RATIO * d:
        eigvals, eigvecs = np.linalg.eigh(_covariance(X, mean))
        variance = np.clip(eigvals[::-1], 0.0, None)  # eigh is ascending; rounding may dip below 0
        Vt = eigvecs[:, ::-1].T
        S = np.sqrt(variance * (n - 1))
    else:
        _, S, Vt = np.linalg.svd(X - mean, full_matrices=False)
        variance = S**2 / (n - 1)
    Vt = _flip_rows(Vt[:k])
    total = variance.sum()
    ratio = variance / total if total > 0 else np.zeros_like(variance)
    return PCAResult(mean, Vt, S[:k].copy(), variance[:k].copy(), ratio[:k].copy())


def pca_transform(result: PCAResult, X) -> np.ndarray:
    """Coordinates of ``X`` (n, d) on the principal axes: ``(X - mean) V``, shape (n, k)."""
    X = check_array("X", X, ndim=2)
    if X.shape[1] != result.mean.shape[0]:
        raise ValueError(f"X must have {result.mean.shape[0]} features (columns), got {X.shape[1]}")
    return (X - result.mean) @ result.components.T


def pca_inverse_transform(result: PCAResult, Z) -> np.ndarray:
    """Back from coordinates ``Z`` (n, k) to data space: ``Z V^T + mean``, shape (n, d)."""
    Z = check_array("Z", Z, ndim=2)
    k = result.components.shape[0]
    if Z.shape[1] != k:
        raise ValueError(f"Z must have {k} columns (one per component), got {Z.shape[1]}")
    return Z @ result.components + result.mean


def pca_reconstruction_error(result: PCAResult, n_samples: int) -> np.ndarray:
    """Mean squared reconstruction error per entry when keeping 0..k components.

    Dropping axis i loses its variance ``lambda_i`` per sample, so keeping j
    components leaves ``sum_{i>j} lambda_i (n-1) / (n d)`` per entry. Exact
    only for a ``result`` fitted with all components.

    Returns
    -------
    ndarray of shape (k + 1,)
    """
    n_samples = check_int("n_samples", n_samples, 2)
    lam = result.explained_variance
    tail = np.concatenate([np.cumsum(lam[::-1])[::-1], [0.0]])
    return tail * (n_samples - 1) / (n_samples * result.mean.shape[0])


class PCARoutes(NamedTuple):
    """The same PCA computed two ways, to be compared side by side.

    Attributes
    ----------
    singular_values : ndarray of shape (r,)
        From ``Xc = U S V^T``.
    eigenvalues : ndarray of shape (r,)
        Of the covariance ``Xc^T Xc / (n - 1)``, largest first.
    svd_components, eig_components : ndarray of shape (r, d)
        ``V^T`` rows and covariance eigenvectors, both sign-fixed as scikit-learn's.
    """

    singular_values: np.ndarray
    eigenvalues: np.ndarray
    svd_components: np.ndarray
    eig_components: np.ndarray


def pca_routes(X) -> PCARoutes:
    """PCA by the SVD of the centred data and by the eigenvectors of the covariance.

    ``Xc^T Xc = V S^2 V^T``, so the covariance's eigenvalues are ``S^2 / (n - 1)``
    and its eigenvectors are the rows of ``V^T``.

    Parameters
    ----------
    X : array_like of shape (n, d), n >= 2
    """
    X = check_array("X", X, ndim=2)
    if X.shape[0] < 2:
        raise ValueError(f"X must have at least 2 samples (rows), got {X.shape[0]}")
    Xc = X - X.mean(axis=0)
    _, S, Vt = np.linalg.svd(Xc, full_matrices=False)
    w, V = np.linalg.eigh(Xc.T @ Xc / (len(X) - 1))
    r = len(S)
    return PCARoutes(
        S, np.clip(w[::-1][:r], 0.0, None), _flip_rows(Vt), _flip_rows(V[:, ::-1].T[:r])
    )


def standardize(X) -> np.ndarray:
    """Centre each feature and scale it to unit (population) variance, as StandardScaler.

    Raises
    ------
    ValueError
        If a feature is constant: it has no spread to scale by.
    """
    X = check_array("X", X, ndim=2)
    std = X.std(axis=0)
    constant = np.flatnonzero(std <= 1e-12 * np.maximum(1.0, np.abs(X).max(axis=0)))
    if constant.size:
        shown = ", ".join(str(j) for j in constant[:8]) + (" ..." if constant.size > 8 else "")
        raise ValueError(
            f"X has {constant.size} constant feature(s) (column {shown}): they cannot be scaled "
            "to unit variance. Turn standardisation off or drop those columns."
        )
    return (X - X.mean(axis=0)) / std


def gaussian_cloud(
    n: int, *, std1: float, std2: float, corr: float, angle: float, rng: RngLike = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Samples of a 2-D Gaussian with covariance ``R S R^T``.

    ``S = [[s1^2, r s1 s2], [r s1 s2, s2^2]]`` from the standard deviations
    and the correlation, then rotated by ``angle`` (radians).

    Returns
    -------
    (X, cov) : ndarray of shape (n, 2), ndarray of shape (2, 2)
    """
    n = check_int("n", n, 2, 100_000)
    std1 = check_range("std1", std1, 0.0, 100.0)
    std2 = check_range("std2", std2, 0.0, 100.0)
    corr = check_range("corr", corr, -1.0, 1.0)
    angle = check_range("angle", angle, -2 * np.pi, 2 * np.pi)
    c, s = np.cos(angle), np.sin(angle)
    R = np.array([[c, -s], [s, c]])
    S = np.array([[std1**2, corr * std1 * std2], [corr * std1 * std2, std2**2]])
    cov = R @ S @ R.T
    # Cholesky would fail for |corr| = 1; eigh of a PSD matrix never does.
    w, V = np.linalg.eigh(cov)
    L = V * np.sqrt(np.clip(w, 0.0, None))
    X = as_rng(rng).standard_normal((n, 2)) @ L.T
    return X, cov


# ------------------------------------------------------------- low-rank / images
def exact_svd(A, k: int | None = None) -> SVDResult:
    """The thin SVD of ``A`` (m, n), truncated to ``k`` terms.

    Signs as scikit-learn's ``svd_flip`` (largest entry of each ``U`` column positive).
    """
    A = check_array("A", A, ndim=2, dtype=None)
    r = min(A.shape)
    k = r if k is None else check_int("k", k, 1, r)
    U, S, Vt = np.linalg.svd(A, full_matrices=False)
    signs = np.sign(U[np.argmax(np.abs(U[:, :k]), axis=0), np.arange(k)])
    signs[signs == 0] = 1
    return SVDResult(U[:, :k] * signs, S[:k], Vt[:k] * signs[:, None])


def randomized_svd(
    A, k: int, *, n_iter: int = 4, oversample: int = 10, rng: RngLike = 0
) -> SVDResult:
    """Approximate rank-``k`` SVD by a randomized range finder (Halko, Martinsson, Tropp 2011).

    ``Q`` spans ``A Omega`` for a Gaussian ``Omega`` with ``k + oversample``
    columns; each power iteration ``Q <- qr(A qr(A^T Q))`` sharpens it toward
    the top singular subspace by the ratio ``(s_{k+1}/s_j)^2``. The QR after
    every product keeps the columns from collapsing onto the first singular
    vector in floating point. Then ``B = Q^T A`` is small and ``SVD(B)`` exact.

    Parameters
    ----------
    A : array_like of shape (m, n)
        float32 stays float32 (twice as fast; images need no more).
    k : int
        ``1 <= k <= min(m, n)``.
    n_iter : int
        Power iterations, 0..20.
    oversample : int
        Extra random directions, 0..100.
    """
    A = check_array("A", A, ndim=2, dtype=None)
    m, n = A.shape
    k = check_int("k", k, 1, min(m, n))
    n_iter = check_int("n_iter", n_iter, 0, 20)
    oversample = check_int("oversample", oversample, 0, 100)
    width = min(k + oversample, m, n)
    omega = as_rng(rng).standard_normal((n, width)).astype(A.dtype, copy=False)
    Q, _ = np.linalg.qr(A @ omega)
    for _ in range(n_iter):
        # (Q^T A)^T rather than A.T @ Q: the same numbers, several times faster in BLAS here
        Q, _ = np.linalg.qr((Q.T @ A).T)
        Q, _ = np.linalg.qr(A @ Q)
    B = Q.T @ A
    # SVD of the tall B^T in float64 (tiny, and LAPACK's fast path), then transposed back:
    # B = (U2 S V2^T)^T = V2 S U2^T
    U2, S, V2t = np.linalg.svd(B.T.astype(np.float64), full_matrices=False)
    U = Q @ V2t[:k].T.astype(A.dtype)
    return SVDResult(U, S[:k].astype(A.dtype), U2[:, :k].T.astype(A.dtype))


# Below this many rows/columns an exact SVD is cheap enough and exactly optimal.
EXACT_SVD_MAX = 300


def low_rank_approx(
    A, k: int, *, method: str = "auto", n_iter: int = 4, rng: RngLike = 0
) -> np.ndarray:
    """The best rank-``k`` approximation of ``A`` (Eckart-Young).

    ``A_k = sum_{i<k} s_i u_i v_i^T`` minimises ``||A - B||`` over rank-k
    ``B`` in the Frobenius and spectral norms; its Frobenius error is
    ``sqrt(sum_{i>=k} s_i^2)``.

    Parameters
    ----------
    A : array_like of shape (m, n)
    k : int
        ``1 <= k <= min(m, n)``.
    method : {"auto", "exact", "randomized"}
        "auto" is exact when ``min(m, n) <= EXACT_SVD_MAX`` or ``k`` is a
        large share of the rank, randomized otherwise.
    n_iter : int
        Power iterations of the randomized method.

    Returns
    -------
    ndarray of A's shape (float32 for float32 input)
    """
    A = check_array("A", A, ndim=2, dtype=None)
    r = min(A.shape)
    k = check_int("k", k, 1, r)
    if method not in ("auto", "exact", "randomized"):
        raise ValueError(f"method must be one of 'auto', 'exact', 'randomized', got {method!r}")
    if method == "exact" or (method == "auto" and (r <= EXACT_SVD_MAX or 4 * k > r)):
        U, S, Vt = exact_svd(A, k)
    else:
        U, S, Vt = randomized_svd(A, k, n_iter=n_iter, rng=rng)
    return (U * S) @ Vt


class ImageSVD(NamedTuple):
    """Per-channel thin SVD of an image (channels first).

    Attributes
    ----------
    U : ndarray of shape (C, H, r)
    S : ndarray of shape (C, r)
    Vt : ndarray of shape (C, r, W)
    """

    U: np.ndarray
    S: np.ndarray
    Vt: np.ndarray


def _check_image(img) -> np.ndarray:
    img = check_array("img", img, ndim=(2, 3), dtype=np.float32)
    if img.ndim == 3 and img.shape[2] not in (1, 3):
        raise ValueError(f"img must have 1 or 3 channels, got shape {img.shape}")
    if min(img.shape[:2]) < 2:
        raise ValueError(
            f"img must be at least 2 x 2 pixels for a rank-k approximation, got {img.shape[1]} x {img.shape[0]}"
        )
    return img


def image_svd(img) -> ImageSVD:
    """The SVD of each colour channel, computed once so any rank is cheap.

    Parameters
    ----------
    img : array_like of shape (H, W) or (H, W, 3), floats in [0, 1]
        Computed in float32 (images carry 8 bits; float64 buys nothing).
    """
    img = _check_image(img)
    channels = img[None] if img.ndim == 2 else np.moveaxis(img, 2, 0)
    U, S, Vt = np.linalg.svd(channels, full_matrices=False)  # batched over channels
    return ImageSVD(U, S, Vt)


def compress_image(svd: ImageSVD, k: int) -> np.ndarray:
    """The rank-``k`` image ``sum_{i<k} s_i u_i v_i^T`` per channel, clipped to [0, 1].

    Returns
    -------
    ndarray of shape (H, W) for one channel, (H, W, C) otherwise, float32
    """
    k = check_int("k", k, 1, svd.S.shape[1])
    out = np.matmul(svd.U[:, :, :k] * svd.S[:, None, :k], svd.Vt[:, :k])
    out = np.clip(out, 0.0, 1.0)
    return out[0] if out.shape[0] == 1 else np.moveaxis(out, 0, 2)


def compression_stats(svd: ImageSVD, k: int) -> tuple[float, float, float]:
    """Storage ratio, relative error and energy kept at rank ``k``.

    Returns
    -------
    (storage, rel_error, energy)
        ``storage = k (m + n + 1) / (m n)`` numbers stored against pixels;
        ``rel_error = ||A - A_k||_F / ||A||_F = sqrt(sum_{i>=k} s_i^2 / sum s_i^2)``
        (Eckart-Young, over all channels); ``energy = 1 - rel_error^2``.
    """
    k = check_int("k", k, 1, svd.S.shape[1])
    m, n = svd.U.shape[1], svd.Vt.shape[2]
    s2 = svd.S.astype(float) ** 2
    total = s2.sum()
    kept = s2[:, :k].sum()
    energy = kept / total if total > 0 else 1.0
    return k * (m + n + 1) / (m * n), float(np.sqrt(max(1.0 - energy, 0.0))), float(energy)
