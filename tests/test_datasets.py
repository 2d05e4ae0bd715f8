import socket

import numpy as np
import pytest
import sklearn.datasets as skd
from scipy import stats

from dlcore import datasets

TABLE_SHAPES = {
    "iris": (150, 4),
    "wine": (178, 13),
    "breast_cancer": (569, 30),
    "digits": (1797, 64),
}


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket fails: loading must be offline."""

    def refuse(*args, **kwargs):
        raise AssertionError("dlcore.datasets tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize("name", sorted(TABLE_SHAPES))
def test_tables_load_offline_with_shapes_and_names(name, no_network):
    ds = datasets.load(name)
    assert ds.X.shape == TABLE_SHAPES[name]
    assert ds.y.shape == (TABLE_SHAPES[name][0],)
    assert len(ds.feature_names) == ds.X.shape[1]
    assert len(ds.target_names) == len(np.unique(ds.y))


@pytest.mark.parametrize("name", [n for n, s in datasets.DATASETS.items() if s.kind == "synthetic"])
def test_synthetic_sets_are_seeded_and_sized(name, no_network):
    a = datasets.load(name, n_samples=123, rng=7)
    b = datasets.load(name, n_samples=123, rng=7)
    c = datasets.load(name, n_samples=123, rng=8)
    assert a.X.shape[0] == a.y.shape[0] == 123
    np.testing.assert_array_equal(a.X, b.X)
    assert not np.array_equal(a.X, c.X)
    assert np.all(np.isfinite(a.X))


def test_class_counts_and_labels():
    ds = datasets.load("spirals", n_samples=301, n_classes=4, noise=0.0)
    assert sorted(np.unique(ds.y)) == [0, 1, 2, 3]
    assert np.bincount(ds.y).tolist() == [76, 75, 75, 75]
    # noise-free arms lie on r = t, theta = 4t + 2 pi k / K
    r = np.hypot(ds.X[:, 0], ds.X[:, 1])
    assert r.max() == pytest.approx(1.0) and r.min() == pytest.approx(0.05)
    blobs = datasets.load("blobs", n_samples=200, n_classes=5)
    assert len(blobs.target_names) == 5


def test_xor_labels_follow_quadrants_without_noise():
    ds = datasets.load("xor", n_samples=500, noise=0.0)
    np.testing.assert_array_equal(ds.y, (ds.X[:, 0] * ds.X[:, 1] > 0).astype(int))
    # the quadrants are equally likely: a binomial test at a fixed seed
    assert stats.binomtest(int(ds.y.sum()), 500).pvalue > 0.01


def test_bad_parameters_are_named():
    with pytest.raises(ValueError, match="name must be one of"):
        datasets.load("mnist")
    with pytest.raises(ValueError, match=r"n_samples must be an integer in \[10, 20000\]"):
        datasets.load("moons", n_samples=5)
    with pytest.raises(ValueError, match="noise must be in"):
        datasets.load("moons", noise=-1)
    with pytest.raises(ValueError, match="takes parameters"):
        datasets.load("iris", noise=0.1)


@pytest.mark.parametrize("name", datasets.SAMPLE_IMAGES)
def test_sample_images(name, no_network):
    img = datasets.sample_image(name)
    assert img.shape == (427, 640, 3) and img.dtype == np.float32
    assert 0.0 <= img.min() and img.max() <= 1.0 and img.std() > 0.1


def test_regression_1d_is_sklearn_make_regression_with_our_line():
    x, y = datasets.regression_1d(400, w=2.0, b=-1.0, noise=0.0, x_mean=1.0, rng=7)
    np.testing.assert_allclose(y, 2.0 * x - 1.0, atol=1e-12)  # no noise: exactly on the line
    seed = datasets._seed(7)
    X, _ = skd.make_regression(400, n_features=1, n_informative=1, random_state=seed)
    np.testing.assert_allclose(x, X[:, 0] + 1.0)
    x, y = datasets.regression_1d(4000, noise=0.5, rng=1)
    residual = y - (2.0 * x - 1.0)
    assert residual.std() == pytest.approx(0.5, rel=0.05) and abs(residual.mean()) < 0.05
    again = datasets.regression_1d(4000, noise=0.5, rng=1)
    np.testing.assert_array_equal(y, again[1])
    with pytest.raises(ValueError, match="n_samples"):
        datasets.regression_1d(1)


@pytest.mark.parametrize("name", ["plane", "bump", "curve"])
def test_regression_sets_follow_their_formula(name, no_network):
    d = datasets.load(name, n_samples=400, noise=0.0, rng=3)
    assert datasets.DATASETS[name].task == "regression" and d.target_names == ()
    assert d.X.min() >= -1 and d.X.max() <= 1
    x1, x2 = d.X[:, 0], d.X[:, 1]
    expected = {
        "plane": 0.5 * (x1 + x2),
        "bump": np.exp(-4 * (x1**2 + x2**2)),
        "curve": np.sin(3 * x1),
    }[name]
    np.testing.assert_allclose(d.y, expected, rtol=0, atol=1e-15)
    if name == "curve":
        assert np.all(x2 == 0)
    noisy = datasets.load(name, n_samples=4000, noise=0.2, rng=3)
    x1, x2 = noisy.X[:, 0], noisy.X[:, 1]
    clean = datasets.REGRESSION_TARGETS[name](noisy.X)
    # the noise is N(0, 0.2^2): its sample standard deviation within 5 %
    assert np.std(noisy.y - clean) == pytest.approx(0.2, rel=0.05)
