"""The handwritten digits for the CNN: a seeded stratified split, upsampling, and your own image.

scikit-learn's ``load_digits`` holds 1,797 images of 8 x 8 pixels (ink counts
0..16 from 32 x 32 bitmaps, white ink on black). Here they are scaled to
[0, 1] and upsampled to ``side`` x ``side`` by bilinear interpolation (one
matrix on each side, ``U X U^T``), so the feature maps are large enough to
look at. An uploaded picture goes through the same pipeline as the training
data: gray, ink made bright on a dark background, cropped to the ink, padded
to a square, averaged down to 8 x 8, then upsampled like the rest.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlcore._validation import RngLike, as_rng, check_array, check_int, check_range
from dlcore.datasets import load

__all__ = [
    "DigitsSplit",
    "PreparedImage",
    "area_matrix",
    "bilinear_matrix",
    "digits_split",
    "prepare_image",
    "upsample",
]

#: contrast (max - min, on [0, 1]) below which a picture is called blank
MIN_CONTRAST = 0.08


def bilinear_matrix(n_in: int, n_out: int) -> np.ndarray:
    """Linear interpolation from ``n_in`` to ``n_out`` samples (pixel centres aligned).

    Returns
    -------
    ndarray of shape (n_out, n_in)
        Each row holds the two weights (summing to 1) of the input pixels
        around output pixel i, placed at input coordinate
        ``(i + 0.5) * n_in / n_out - 0.5`` (torch's ``align_corners=False``).
    """
    n_in, n_out = check_int("n_in", n_in, 1), check_int("n_out", n_out, 1)
    pos = np.clip((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0, n_in - 1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, n_in - 1)
    frac = pos - lo
    m = np.zeros((n_out, n_in))
    np.add.at(m, (np.arange(n_out), lo), 1 - frac)
    np.add.at(m, (np.arange(n_out), hi), frac)
    return m


def area_matrix(n_in: int, n_out: int) -> np.ndarray:
    """Averaging over the input span of each output pixel (box downsampling).

    Returns
    -------
    ndarray of shape (n_out, n_in)
        Row i holds how much of input pixel j lies in output pixel i's span
        ``[i, i + 1) * n_in / n_out``, divided by the span, so rows sum to 1.
    """
    n_in, n_out = check_int("n_in", n_in, 1), check_int("n_out", n_out, 1)
    edges = np.arange(n_out + 1) * (n_in / n_out)
    left, right = edges[:-1, None], edges[1:, None]
    j = np.arange(n_in)[None]
    overlap = np.clip(np.minimum(right, j + 1) - np.maximum(left, j), 0, None)
    return overlap / overlap.sum(axis=1, keepdims=True)


def upsample(images: np.ndarray, side: int) -> np.ndarray:
    """Bilinear resize of ``(..., 8, 8)`` images to ``(..., side, side)``, float32."""
    x = check_array("images", images, dtype=None)
    u = bilinear_matrix(x.shape[-1], check_int("side", side, x.shape[-1], 64)).astype(np.float32)
    return (u @ x.astype(np.float32) @ u.T).astype(np.float32)


class DigitsSplit(NamedTuple):
    """Train and test digits, images ``(n, 1, side, side)`` float32 in [0, 1].

    ``test_index`` are the rows of ``load_digits`` that form the test set
    (in test order), so a test digit can be named by its dataset index.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    test_index: np.ndarray


def digits_split(*, test_fraction: float = 0.25, side: int = 16, rng: RngLike = 0) -> DigitsSplit:
    """A stratified split of ``load_digits``: the same share of every class in the test set.

    Parameters
    ----------
    test_fraction : float in (0, 1)
        Per class, ``round(test_fraction * n_class)`` images go to the test set.
    side : int in [8, 64]
        8 keeps the original pixels; larger sides are bilinear upsamples.
    rng : seed or Generator
        Shuffles each class before it is cut.
    """
    frac = check_range("test_fraction", test_fraction, 0.0, 1.0, low_inclusive=False,
                       high_inclusive=False)  # fmt: skip
    d = load("digits")
    y = d.y.astype(np.int64)
    gen = as_rng(rng)
    test, train = [], []
    for c in np.unique(y):
        idx = gen.permutation(np.flatnonzero(y == c))
        k = int(round(frac * idx.size))
        test.append(idx[:k])
        train.append(idx[k:])
    test_idx, train_idx = np.sort(np.concatenate(test)), np.sort(np.concatenate(train))
    images = (d.X.reshape(-1, 8, 8) / 16.0).astype(np.float32)
    if side != 8:
        images = upsample(images, side)
    images = images[:, None]
    return DigitsSplit(images[train_idx], y[train_idx], images[test_idx], y[test_idx], test_idx)


class PreparedImage(NamedTuple):
    """A picture as the network sees it.

    Attributes
    ----------
    image : ndarray of shape (side, side), float32 in [0, 1], or None when blank
    small : ndarray of shape (8, 8), the digits-style version, or None
    message : str
        Why the picture cannot be read ("" when it can).
    warning : str
        A caveat that does not stop the prediction (inverted colours, little ink).
    """

    image: np.ndarray | None
    small: np.ndarray | None
    message: str
    warning: str


def prepare_image(gray: np.ndarray, *, side: int = 16) -> PreparedImage:
    """Turn any gray picture into a digits-style input: bright ink, cropped, 8 x 8, upsampled.

    Parameters
    ----------
    gray : ndarray of shape (H, W), values in [0, 1]
    side : int
        Side of the network's input.
    """
    x = check_array("gray", gray, ndim=2, dtype=None).astype(np.float64)
    lo, hi = float(np.min(x)), float(np.max(x))
    if not np.isfinite(lo + hi) or hi - lo < MIN_CONTRAST:
        return PreparedImage(None, None, "The picture is blank (one flat colour): no digit.", "")
    x = (x - lo) / (hi - lo)
    warning = ""
    if np.median(x) > 0.5:  # a dark digit on a light page: make the ink bright, as in training
        x, warning = 1.0 - x, "Dark ink on a light background: the colours were inverted."
    ink = np.clip(x - np.median(x), 0, None)
    ink /= max(float(ink.max()), 1e-12)
    rows, cols = np.flatnonzero(ink.max(axis=1) > 0.25), np.flatnonzero(ink.max(axis=0) > 0.25)
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    n = max(crop.shape)
    pad_r, pad_c = n - crop.shape[0], n - crop.shape[1]
    square = np.pad(crop, ((pad_r // 2, pad_r - pad_r // 2), (pad_c // 2, pad_c - pad_c // 2)))
    small = area_matrix(n, 8) @ square @ area_matrix(n, 8).T
    small = (small / max(float(small.max()), 1e-12)).astype(np.float32)
    if float((crop > 0.5).mean()) > 0.85:  # a stroke leaves much of its bounding box empty
        block = "The ink is a filled block, not a stroke: this does not look like a digit."
        warning = f"{warning} {block}".strip()
    image = small if side == 8 else upsample(small, side)
    return PreparedImage(np.clip(image, 0, 1), small, "", warning)
