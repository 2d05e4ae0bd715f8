"""dlcore.continuous against scipy.stats and closed forms: densities, CDFs, moments, samplers."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import scipy.stats as st

from dlcore.continuous import (
    Beta,
    Gamma,
    Normal,
    StudentT,
)


def test_sampling_is_seeded_and_shaped():
    d = Gamma(2, 3)
    np.testing.assert_array_equal(d.sample((5, 3), 7), d.sample((5, 3), np.random.default_rng(7)))
    assert d.sample((5, 3), 7).shape == (5, 3)
    assert not np.array_equal(d.sample(5, 1), d.sample(5, 2))


def test_quantiles_invert_the_cdf():
    q = np.array([0.001, 0.1, 0.5, 0.975, 0.999])
    for d, ref in (
        (Normal(1, 2), st.norm(1, 2)),
        (StudentT(4), st.t(4)),
        (StudentT(1), st.t(1)),
        (Beta(2, 5), st.beta(2, 5)),
    ):
        np.testing.assert_allclose(d.ppf(q), ref.ppf(q), rtol=1e-9)
    np.testing.assert_allclose(
        StudentT(5).sf(np.array([-3.0, 0.0, 40.0])), st.t(5).sf([-3.0, 0.0, 40.0]), rtol=1e-9
    )


def test_frozen_and_hashable():
    d = Normal(0, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.mu = 1.0
    assert hash(d) == hash(Normal(0.0, 1.0))
