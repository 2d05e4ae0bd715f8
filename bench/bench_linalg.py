"""dlcore.linalg against scikit-learn: PCA and rank-k approximation.

* ``pca`` on a tall matrix (samples far outnumber features) against
  ``sklearn.decomposition.PCA`` with its default solver, which takes the
  same covariance-eigendecomposition route;
* ``low_rank_approx`` of a float32 photo against
  ``sklearn.utils.extmath.randomized_svd`` (factors plus the product that
  forms the approximation), with both errors against the Eckart-Young optimum.
"""

from __future__ import annotations

import numpy as np

from bench.timing import Comparison, compare
from dlcore.linalg import low_rank_approx, pca


def _image(size: int) -> np.ndarray:
    """scikit-learn's China photo in gray, resized to size x size: a real image's spectrum."""
    from PIL import Image

    from dlcore.datasets import sample_image

    gray = sample_image("china") @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    resized = Image.fromarray(gray.astype(np.float32), mode="F").resize(
        (size, size), Image.Resampling.BICUBIC
    )
    return np.clip(np.asarray(resized, dtype=np.float32), 0.0, 1.0)


def _relative_error(A: np.ndarray, B: np.ndarray) -> float:
    A = A.astype(float)
    return float(np.linalg.norm(A - B) / np.linalg.norm(A))


def run(quick: bool = False) -> list[Comparison]:
    from sklearn.decomposition import PCA
    from sklearn.utils.extmath import randomized_svd

    n, d, k = (1000, 50, 10) if quick else (20000, 784, 50)
    X = np.random.default_rng(1).standard_normal((n, d)) @ np.diag(np.linspace(3.0, 0.1, d))
    rounds = 3 if quick else 7
    results = [
        compare(
            f"pca on {n}x{d}, k={k}",
            {
                "dlcore.linalg.pca": lambda: pca(X, k),
                "sklearn PCA (default solver)": lambda: PCA(k).fit(X),
            },
            ours="dlcore.linalg.pca",
            rounds=rounds,
        )
    ]

    size, rank = (256, 10) if quick else (2048, 10)
    A = _image(size)
    s = np.linalg.svd(A.astype(float), compute_uv=False)
    optimal = float(np.sqrt((s[rank:] ** 2).sum() / (s**2).sum()))

    def sklearn_approx() -> np.ndarray:
        U, S, Vt = randomized_svd(A, rank, random_state=0)
        return (U * S) @ Vt

    ours_err = _relative_error(A, low_rank_approx(A, rank, method="randomized"))
    ref_err = _relative_error(A, sklearn_approx())
    results.append(
        compare(
            f"rank-{rank} approximation of a {size}x{size} float32 image",
            {
                "dlcore.linalg.low_rank_approx": lambda: low_rank_approx(
                    A, rank, method="randomized"
                ),
                "sklearn randomized_svd": sklearn_approx,
            },
            ours="dlcore.linalg.low_rank_approx",
            rounds=rounds,
            note=(
                f"relative error: optimal {optimal:.6f}, ours {ours_err:.6f} "
                f"({100 * (ours_err / optimal - 1):+.4f}%), sklearn {ref_err:.6f} "
                f"({100 * (ref_err / optimal - 1):+.4f}%)"
            ),
        )
    )
    return results
