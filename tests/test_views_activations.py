"""dlcore.views.activations: each panel's numbers against NumPy, SciPy and hand-derived values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special

from dlcore import depth as dp
from dlcore.views import activations as views


def test_bound_text():
    assert views.bound_text(math.inf) == "\u221e" and views.bound_text(-math.inf) == "\u2212\u221e"
    assert views.bound_text(-1.0) == "-1"


def test_params_registry_names_each_owner():
    assert views.PARAMS["negative_slope"][0] == "Leaky ReLU"
    assert views.PARAMS["alpha"][0] == "ELU" and views.PARAMS["alpha"][1].default == 1.0


def test_gallery_view_values_probes_and_table():
    w = views.gallery_view(["ReLU", "GELU", "Sigmoid", "Tanh"], (-5.0, 5.0), 1.0, {"alpha": 1.0})
    assert w.curves.x[0] == -5.0 and w.curves.x[-1] == 5.0
    np.testing.assert_allclose(w.curves.values["Sigmoid"], special.expit(w.curves.x))
    gelu = next(p for p in w.probes if p.name == "GELU")
    assert gelu.fx == pytest.approx(0.5 * (1 + special.erf(1 / np.sqrt(2))))
    assert gelu.values == ""
    relu = w.probes[0]
    assert (relu.fx, relu.gx) == (1.0, 1.0)
    assert list(w.table["activation"]) == ["ReLU", "GELU", "Sigmoid", "Tanh"]
    assert w.table["max |f\u2032|"] == [1.0, 1.1289, 0.25, 1.0]
    assert w.table["range"] == ["(0, \u221e)", "(-0.17, \u221e)", "(0, 1)", "(-1, 1)"]
    assert w.table["saturates"] == ["left", "left", "both sides", "both sides"]
    assert w.table["zero-centred"] == [False, False, False, True]
    assert list(w.csv) == ["x", "ReLU f", "GELU f", "Sigmoid f", "Tanh f"] + [
        f"{n} f'" for n in ("ReLU", "GELU", "Sigmoid", "Tanh")
    ]


def test_gallery_view_parameters_and_an_empty_range():
    w = views.gallery_view(["ELU", "Leaky ReLU"], (-3.0, 3.0), -2.0, {"alpha": 2.0})
    elu, leaky = w.probes
    assert elu.values == r"\alpha = 2" and elu.fx == pytest.approx(2 * (np.exp(-2) - 1))
    assert leaky.values == "a = 0.01" and leaky.fx == pytest.approx(-0.02)
    assert w.table["range"][0] == "(-2, \u221e)"
    with pytest.raises(ValueError, match="x_range"):
        views.gallery_view(["ReLU"], (2.0, 2.0), 0.0, {})


def test_softmax_view_against_scipy_and_hand_values():
    z = [2.0, 1.0, 0.1, -1.0]
    w = views.softmax_view(z, 1.0, 0.0)
    np.testing.assert_allclose(w.s, special.softmax(z))
    assert f"{w.s[0]:.4f}" == "0.6381"
    assert w.entropy == pytest.approx(-np.sum(w.s * np.log(w.s)))
    assert w.max_entropy == pytest.approx(np.log(4)) and w.uniform == 0.25 and w.top == 0
    np.testing.assert_allclose(w.jacobian, np.diag(w.s) - np.outer(w.s, w.s), atol=1e-15)
    assert not w.overflows and w.overflow_shift == pytest.approx(np.log(np.finfo(float).max) - 2)
    np.testing.assert_allclose(w.naive, w.stable)
    np.testing.assert_allclose(w.log_s, special.log_softmax(z))
    hot = views.softmax_view(z, 0.5, 0.0)
    np.testing.assert_allclose(hot.s, special.softmax(np.array(z) / 0.5))
    np.testing.assert_allclose(hot.jacobian, (np.diag(hot.s) - np.outer(hot.s, hot.s)) / 0.5)
    assert hot.sweep.temperatures.shape == (161,) and hot.sweep.probabilities.shape == (161, 4)


@pytest.mark.filterwarnings("error")
def test_softmax_view_naive_overflow_is_a_flag_not_a_warning():
    w = views.softmax_view([2.0, 1.0, 0.1, -1.0], 1.0, 1000.0)
    assert w.overflows and w.m == 1002.0
    assert np.isnan(w.naive[0])
    np.testing.assert_allclose(w.stable, special.softmax([2.0, 1.0, 0.1, -1.0]))  # shift-invariant
    assert views.softmax_view([-5.0, 1.0, 0.1, -1.0], 1.0, 0.0).top == 1
    assert views.softmax_view([-5.0, 1.0, 0.1, -1.0], 1.0, 0.0).overflow_shift == pytest.approx(
        views.EXP_OVERFLOW - 1.0
    )


def test_depth_view_matches_the_experiment_and_judges_it():
    w = views.depth_view("ReLU", "Normal", 30, 128, 0.01, 0, {})
    r = dp.depth_experiment(
        activation="ReLU", init="Normal", depth=30, width=128, std=0.01, bins=40, rng=0
    )
    np.testing.assert_array_equal(w.result.grad_norm, r.grad_norm)
    assert w.verdict.kind == "vanishing_size"  # issue 15: tiny everywhere is not "flat"
    assert w.variance == pytest.approx(1e-4) and w.fan_variance == pytest.approx(128e-4)
    assert w.metrics["first"] == f"{r.grad_norm[0]:.3g}" and w.metrics["dead"].endswith("%")
    assert w.dead_units and w.bound_power == 29
    np.testing.assert_allclose(w.shrink.measured, dp.shrinkage(r).measured)
    he = views.depth_view("Sigmoid", "Xavier normal", 10, 64, 1.0, 3, {})
    assert he.variance == pytest.approx(2 / 128) and not he.dead_units
    assert he.verdict.kind == "vanishing_slope"


def test_depth_view_activation_parameters_overflow_and_bad_input():
    elu = views.depth_view("ELU", "He normal", 5, 16, 0.1, 0, {"alpha": 2.0})
    assert elu.result.max_grad == pytest.approx(2.0)
    # the panel's largest weights explode but stay finite (80 ** 50 is about 1e95)
    big = views.depth_view("Identity", "Normal", 50, 256, 5.0, 0, {})
    assert big.verdict.kind == "exploding_size" and big.shrink is not None
    blown = views.depth_view("Identity", "Normal", 100, 256, 100.0, 0, {})
    assert blown.verdict.kind == "overflow" and blown.shrink is None
    huge = views.depth_view("ReLU", "Normal", 50, 256, 5.0, 0, {})
    assert huge.verdict.kind == "exploding_size"
    with pytest.raises(ValueError, match="init"):
        views.depth_view("ReLU", "LeCun", 5, 16, 0.1, 0, {})


def test_compare_inits_one_curve_per_initialiser():
    norms = views.compare_inits("Sigmoid", 30, 64, 0.1, 0, {})
    assert list(norms) == ["Normal", "Xavier uniform", "Xavier normal", "He uniform", "He normal"]
    for name, y in norms.items():
        assert y.shape == (30,) and y[0] < 1e-3 * y[-1], name
    np.testing.assert_array_equal(
        norms["He normal"],
        dp.depth_experiment(
            activation="Sigmoid", init="He normal", depth=30, width=64, std=0.1, bins=40, rng=0
        ).grad_norm,
    )
