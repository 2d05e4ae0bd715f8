import numpy as np
import pytest

from dlcore import _validation as v


def test_as_rng_is_reproducible_and_passes_generators_through():
    assert v.as_rng(3).integers(1000) == v.as_rng(3).integers(1000)
    g = np.random.default_rng(1)
    assert v.as_rng(g) is g
    assert isinstance(v.as_rng(None), np.random.Generator)
    with pytest.raises(ValueError, match="rng"):
        v.as_rng("seed")
    with pytest.raises(ValueError, match="non-negative"):
        v.as_rng(-1)


def test_check_range_messages_name_argument_and_range():
    assert v.check_range("p", 0.25, 0, 1) == 0.25
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\], got 1.5"):
        v.check_range("p", 1.5, 0, 1)
    with pytest.raises(ValueError, match=r"sigma must be in \(0, inf\), got 0"):
        v.check_positive("sigma", 0.0)
    with pytest.raises(ValueError, match="finite"):
        v.check_number("lr", float("nan"))
    with pytest.raises(ValueError, match="real number"):
        v.check_number("lr", "0.1")


def test_check_int():
    assert v.check_int("k", 3.0, 1, 5) == 3
    with pytest.raises(ValueError, match=r"k must be an integer in \[1, 5\], got 6"):
        v.check_int("k", 6, 1, 5)
    for bad in (2.5, True, "3"):
        with pytest.raises(ValueError, match="k must be an integer"):
            v.check_int("k", bad)


def test_check_choice_lists_choices():
    with pytest.raises(ValueError, match="'a', 'b'"):
        v.check_choice("mode", "c", ["a", "b"])


def test_check_array():
    a = v.check_array("x", [[1, 2], [3, 4]], ndim=2)
    assert a.dtype == float and a.shape == (2, 2)
    f32 = np.ones(3, np.float32)
    assert v.check_array("x", f32, dtype=None).dtype == np.float32
    assert v.check_array("x", [1, 2], dtype=None).dtype == np.float64
    with pytest.raises(ValueError, match="x must have 2 axes, got shape"):
        v.check_array("x", [1, 2], ndim=2)
    with pytest.raises(ValueError, match="finite"):
        v.check_array("x", [1, np.nan])
    with pytest.raises(ValueError, match="numeric"):
        v.check_array("x", ["a"])


def test_check_probability_vector():
    np.testing.assert_allclose(v.check_probability_vector("p", [0.5, 0.5]), [0.5, 0.5])
    with pytest.raises(ValueError, match="sum to 1"):
        v.check_probability_vector("p", [0.5, 0.6])
    with pytest.raises(ValueError, match="non-negative"):
        v.check_probability_vector("p", [1.5, -0.5])
