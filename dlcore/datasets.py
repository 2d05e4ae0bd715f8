"""Datasets for the labs, all offline.

The tabular sets (iris, wine, breast_cancer, digits) and the sample images
ship inside scikit-learn; the synthetic ones are generated from a seed. This is
the only dlcore module that imports scikit-learn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from dlcore._validation import RngLike, as_rng, check_choice, check_int, check_number, check_range


class Dataset(NamedTuple):
    """A data set as arrays.

    Attributes
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
        Integer class labels, the continuous position along the manifold
        for ``swiss_roll`` and ``s_curve``, or the regression target of
        ``plane``, ``bump`` and ``curve`` (their spec's ``task``).
    feature_names : tuple of str
    target_names : tuple of str
        One name per class; empty when ``y`` is continuous.
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    target_names: tuple[str, ...]


@dataclass(frozen=True)
class DatasetSpec:
    """Registry entry: what a data set is and which parameters it takes."""

    name: str
    kind: str  # "table" (fixed, bundled) or "synthetic" (generated from a seed)
    description: str
    params: tuple[str, ...] = field(default=())
    task: str = "classification"  # or "regression": y is a real-valued target


DATASETS: dict[str, DatasetSpec] = {
    spec.name: spec
    for spec in (
        DatasetSpec("iris", "table", "150 flowers, 4 measurements, 3 species"),
        DatasetSpec("wine", "table", "178 wines, 13 chemical features, 3 cultivars"),
        DatasetSpec("breast_cancer", "table", "569 tumours, 30 features, benign or malignant"),
        DatasetSpec("digits", "table", "1797 handwritten digits as 8x8 images"),
        DatasetSpec("moons", "synthetic", "two interleaving half circles", ("n_samples", "noise")),
        DatasetSpec(
            "circles", "synthetic", "a circle inside a ring", ("n_samples", "noise", "factor")
        ),
        DatasetSpec(
            "blobs",
            "synthetic",
            "Gaussian blobs, one per class",
            ("n_samples", "n_classes", "cluster_std"),
        ),
        DatasetSpec(
            "classification",
            "synthetic",
            "scikit-learn's make_classification in 2-D",
            ("n_samples", "n_classes", "class_sep"),
        ),
        DatasetSpec(
            "swiss_roll", "synthetic", "a rolled-up 2-D sheet in 3-D", ("n_samples", "noise")
        ),
        DatasetSpec("s_curve", "synthetic", "an S-shaped 2-D sheet in 3-D", ("n_samples", "noise")),
        DatasetSpec(
            "spirals",
            "synthetic",
            "interleaved spiral arms, one per class",
            ("n_samples", "n_classes", "noise"),
        ),
        DatasetSpec(
            "xor",
            "synthetic",
            "four quadrants, opposite ones share a class",
            ("n_samples", "noise"),
        ),
        DatasetSpec(
            "plane",
            "synthetic",
            "regression: t = (x1 + x2) / 2 on the square [-1, 1]^2",
            ("n_samples", "noise"),
            "regression",
        ),
        DatasetSpec(
            "bump",
            "synthetic",
            "regression: a Gaussian bump t = exp(-4 |x|^2) on [-1, 1]^2",
            ("n_samples", "noise"),
            "regression",
        ),
        DatasetSpec(
            "curve",
            "synthetic",
            "regression in 1-D: t = sin(3 x1) on [-1, 1], x2 = 0",
            ("n_samples", "noise"),
            "regression",
        ),
    )
}

#: what each regression set's noise-free target is, of points X of shape (n, 2)
REGRESSION_TARGETS = {
    "plane": lambda X: 0.5 * (X[:, 0] + X[:, 1]),
    "bump": lambda X: np.exp(-4.0 * (X[:, 0] ** 2 + X[:, 1] ** 2)),
    "curve": lambda X: np.sin(3.0 * X[:, 0]),
}

_TABLE_LOADERS = {
    "iris": "load_iris",
    "wine": "load_wine",
    "breast_cancer": "load_breast_cancer",
    "digits": "load_digits",
}

SAMPLE_IMAGES = ("china", "flower")


def _seed(rng: RngLike) -> int:
    """scikit-learn wants an int seed; draw one from our generator."""
    return int(as_rng(rng).integers(2**31 - 1))


def _spirals(
    n_samples: int, n_classes: int, noise: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    # Arm k is r(t) = t, theta(t) = 4t + 2 pi k / K for t in [0, 1]; noise is
    # added to the angle so arms stay separable at small noise (CS231n's form).
    per_class = np.full(n_classes, n_samples // n_classes)
    per_class[: n_samples % n_classes] += 1
    X, y = [], []
    for k, m in enumerate(per_class):
        t = np.linspace(0.05, 1.0, m)
        theta = 4.0 * t + 2 * np.pi * k / n_classes + rng.normal(0.0, noise, m)
        X.append(np.column_stack([t * np.cos(theta), t * np.sin(theta)]))
        y.append(np.full(m, k))
    return np.concatenate(X), np.concatenate(y)


def _xor(n_samples: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    X = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    return X + rng.normal(0.0, noise, X.shape), y


def _regression(name: str, n: int, noise: float, rng: np.random.Generator) -> Dataset:
    # Points uniform on the square (on the x1 axis for the curve); Gaussian noise on the target.
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    if name == "curve":
        X[:, 1] = 0.0
    t = REGRESSION_TARGETS[name](X) + rng.normal(0.0, noise, n)
    return Dataset(X, t, ("x1", "x2"), ())


def load(name: str, *, rng: RngLike = 0, **params: Any) -> Dataset:
    """Load or generate a data set by name.

    Parameters
    ----------
    name : str
        A key of ``DATASETS``.
    rng : Generator, int or None
        Seed for the synthetic sets (ignored by the bundled tables).
    **params
        ``n_samples`` (10..20000, default 300), ``noise`` (0..2, default 0.1),
        ``n_classes`` (2..8, default 3), ``factor`` (circles, 0..1, 0.5),
        ``cluster_std`` (blobs, default 1.0), ``class_sep`` (default 1.0).

    Returns
    -------
    Dataset
        ``X`` float64 of shape (n_samples, n_features), ``y`` of shape (n_samples,).
    """
    check_choice("name", name, DATASETS)
    spec = DATASETS[name]
    unknown = set(params) - set(spec.params)
    if unknown:
        raise ValueError(f"{name} takes parameters {spec.params or '()'}, got {sorted(unknown)}")

    import sklearn.datasets as skd  # imported here: the pages that need no data stay light

    if spec.kind == "table":
        bunch = getattr(skd, _TABLE_LOADERS[name])()
        return Dataset(
            np.asarray(bunch.data, float),
            np.asarray(bunch.target),
            tuple(str(f) for f in bunch.feature_names),
            tuple(str(t) for t in bunch.target_names),
        )

    n = check_int("n_samples", params.get("n_samples", 300), 10, 20000)
    noise = check_range("noise", params.get("noise", 0.1), 0.0, 2.0)
    n_classes = check_int("n_classes", params.get("n_classes", 3), 2, 8)
    seed = _seed(rng)
    xy = ("x1", "x2")
    if name == "moons":
        X, y = skd.make_moons(n, noise=noise, random_state=seed)
    elif name == "circles":
        factor = check_range(
            "factor", params.get("factor", 0.5), 0.0, 1.0, low_inclusive=False, high_inclusive=False
        )
        X, y = skd.make_circles(n, noise=noise, factor=factor, random_state=seed)
    elif name == "blobs":
        std = check_range(
            "cluster_std", params.get("cluster_std", 1.0), 0.0, 10.0, low_inclusive=False
        )
        X, y = skd.make_blobs(
            n, centers=n_classes, n_features=2, cluster_std=std, random_state=seed
        )
    elif name == "classification":
        sep = check_range("class_sep", params.get("class_sep", 1.0), 0.0, 10.0)
        X, y = skd.make_classification(
            n,
            n_features=2,
            n_informative=2,
            n_redundant=0,
            n_clusters_per_class=1,
            n_classes=n_classes,
            class_sep=sep,
            random_state=seed,
        )
    elif name in ("swiss_roll", "s_curve"):
        maker = skd.make_swiss_roll if name == "swiss_roll" else skd.make_s_curve
        X, t = maker(n, noise=noise, random_state=seed)
        return Dataset(np.asarray(X, float), np.asarray(t, float), ("x", "y", "z"), ())
    elif name in REGRESSION_TARGETS:
        return _regression(name, n, noise, as_rng(seed))
    elif name == "spirals":
        X, y = _spirals(n, n_classes, noise, as_rng(seed))
    else:  # xor
        X, y = _xor(n, noise, as_rng(seed))
    y = np.asarray(y, int)
    classes = tuple(f"class {k}" for k in range(int(y.max()) + 1))
    return Dataset(np.asarray(X, float), y, xy, classes)


def regression_1d(
    n_samples: int = 200,
    *,
    w: float = 2.0,
    b: float = -1.0,
    noise: float = 0.5,
    x_mean: float = 1.0,
    rng: RngLike = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """One-feature regression data ``y = w x + b + noise``, drawn by scikit-learn.

    ``sklearn.datasets.make_regression`` supplies the seeded inputs
    ``x ~ N(0, 1)`` and Gaussian noise of standard deviation ``noise``; its
    random coefficient is swapped for the chosen line ``w``, ``b`` so the
    lesson's picture stays put, and ``x`` is shifted by ``x_mean``.

    Returns
    -------
    x, y : ndarray of shape (n_samples,)
    """
    import sklearn.datasets as skd

    n = check_int("n_samples", n_samples, 2, 100_000)
    w, b, x_mean = check_number("w", w), check_number("b", b), check_number("x_mean", x_mean)
    noise = check_range("noise", noise, 0.0, 100.0)
    X, y0, coef = skd.make_regression(
        n, n_features=1, n_informative=1, noise=noise, coef=True, random_state=_seed(rng)
    )
    x = X[:, 0]
    eps = y0 - coef * x  # sklearn's noise term alone
    return x + x_mean, w * (x + x_mean) + b + eps


def sample_image(name: str) -> np.ndarray:
    """One of scikit-learn's bundled photographs, as floats in [0, 1].

    Parameters
    ----------
    name : {"china", "flower"}

    Returns
    -------
    ndarray of shape (427, 640, 3), float32
        The same convention as ``ui.load_image`` so pages treat both alike.
    """
    check_choice("name", name, SAMPLE_IMAGES)
    from sklearn.datasets import load_sample_image

    return load_sample_image(f"{name}.jpg").astype(np.float32) / 255.0
