"""dlcore.initializers: shapes, variances against the Glorot and He formulas, distributions, seeding."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from dlcore import initializers as init

NAMES = list(init.INITIALIZERS)
FAN_IN, FAN_OUT = 400, 300


@pytest.mark.parametrize("name", NAMES)
def test_shape_and_variance_match_formula(name):
    spec = init.INITIALIZERS[name]
    W = spec.fn(FAN_IN, FAN_OUT, 0)
    assert W.shape == (FAN_IN, FAN_OUT) and W.dtype == np.float64
    # 120 000 draws: the sample variance is within about 0.5 % (normal) of the truth.
    assert W.var() == pytest.approx(spec.variance(FAN_IN, FAN_OUT), rel=0.02)
    assert abs(W.mean()) < 4 * math.sqrt(spec.variance(FAN_IN, FAN_OUT) / W.size)


def test_variance_formulas():
    v = {name: spec.variance(FAN_IN, FAN_OUT) for name, spec in init.INITIALIZERS.items()}
    assert v["Xavier uniform"] == v["Xavier normal"] == pytest.approx(2 / (FAN_IN + FAN_OUT))
    # PyTorch's kaiming defaults: mode="fan_in", gain sqrt(2) -> 2 / fan_in
    assert v["He uniform"] == v["He normal"] == pytest.approx(2 / FAN_IN)
    assert v["Normal"] == 1.0
    assert init.INITIALIZERS["Normal"].variance(3, 4, std=0.1) == pytest.approx(0.01)


@pytest.mark.parametrize(
    ("fn", "bound"),
    [
        (init.xavier_uniform, math.sqrt(6 / (FAN_IN + FAN_OUT))),
        (init.he_uniform, math.sqrt(6 / FAN_IN)),
    ],
)
def test_uniform_initialisers_are_uniform_on_their_bound(fn, bound):
    W = fn(FAN_IN, FAN_OUT, 1)
    assert np.abs(W).max() <= bound and np.abs(W).max() > 0.999 * bound
    assert stats.kstest(W.ravel()[:5000], stats.uniform(-bound, 2 * bound).cdf).pvalue > 1e-3


@pytest.mark.parametrize(
    ("fn", "std"),
    [
        (init.xavier_normal, math.sqrt(2 / (FAN_IN + FAN_OUT))),
        (init.he_normal, math.sqrt(2 / FAN_IN)),
        (init.normal, 1.0),
    ],
)
def test_normal_initialisers_are_normal(fn, std):
    W = fn(FAN_IN, FAN_OUT, 2)
    assert stats.kstest(W.ravel()[:5000], stats.norm(0, std).cdf).pvalue > 1e-3


def test_keyword_parameters():
    assert init.normal(200, 200, 0, std=0.05).std() == pytest.approx(0.05, rel=0.02)
    assert init.xavier_normal(200, 200, 0, gain=3.0).var() == pytest.approx(9 * 2 / 400, rel=0.03)
    assert init.he_normal(200, 100, 0, gain=1.0).var() == pytest.approx(1 / 200, rel=0.03)


@pytest.mark.parametrize("name", NAMES)
def test_seeding(name):
    fn = init.INITIALIZERS[name].fn
    np.testing.assert_array_equal(fn(5, 7, 3), fn(5, 7, 3))
    assert not np.array_equal(fn(5, 7, 3), fn(5, 7, 4))
    g = np.random.default_rng(9)
    a, b = fn(5, 7, g), fn(5, 7, g)
    assert not np.array_equal(a, b)  # one shared stream advances


@pytest.mark.parametrize("name", NAMES)
def test_bad_input_names_the_argument(name):
    fn = init.INITIALIZERS[name].fn
    with pytest.raises(ValueError, match="fan_in"):
        fn(0, 3, 0)
    with pytest.raises(ValueError, match="fan_out"):
        fn(3, 2.5, 0)
    with pytest.raises(ValueError, match="rng"):
        fn(3, 3, "seed")
    with pytest.raises(ValueError, match="std|gain"):
        fn(3, 3, 0, **({"std": 0.0} if name == "Normal" else {"gain": -1.0}))
