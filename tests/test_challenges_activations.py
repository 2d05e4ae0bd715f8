"""dlcore.challenges.activations: saturation, dead units, temperature, depth."""

import math

import numpy as np
import pytest

from dlcore.challenges import activations as ac
from dlcore.depth import GradientVerdict, depth_experiment, gradient_verdict


def test_sigmoid_saturated():
    assert ac.sigmoid_saturated(4.7).passed and ac.sigmoid_saturated(-20.0).passed
    default = ac.sigmoid_saturated(1.0)
    assert not default.passed and "0.197" in default.reason
    assert not ac.sigmoid_saturated(4.5).passed  # σ'(4.5) = 0.0108
    assert not ac.sigmoid_saturated(math.nan).passed
    assert not ac.sigmoid_saturated(math.inf).passed


def test_relu_dead_gelu_alive():
    assert ac.relu_dead_gelu_alive(-1.0).passed and ac.relu_dead_gelu_alive(-0.3).passed
    assert not ac.relu_dead_gelu_alive(1.0).passed  # the default: ReLU alive
    assert ac.relu_dead_gelu_alive(0.0).passed  # torch's convention relu'(0) = 0
    far = ac.relu_dead_gelu_alive(-6.0)
    assert not far.passed and "nearly dead" in far.reason
    assert not ac.relu_dead_gelu_alive(math.nan).passed


DEFAULT_LOGITS = [2.0, 1.0, 0.1, -1.0]


def test_softmax_nearly_uniform():
    assert ac.softmax_nearly_uniform(DEFAULT_LOGITS, 20.0).passed
    assert ac.softmax_nearly_uniform([2.0, -1.5, 0.0, 0.0], 50.0).passed
    default = ac.softmax_nearly_uniform(DEFAULT_LOGITS, 1.0)
    assert not default.passed and "63.8%" in default.reason
    equal = ac.softmax_nearly_uniform([1.0, 1.0, 1.0, 1.0], 1.0)  # uniform by cheating the logits
    assert not equal.passed and "only 0 apart" in equal.reason
    assert not ac.softmax_nearly_uniform(DEFAULT_LOGITS, 0.05).passed  # cold: one-hot
    assert not ac.softmax_nearly_uniform([1000.0, 0.0, 0.0, 0.0], 50.0).passed  # no overflow
    assert not ac.softmax_nearly_uniform([math.nan, 0.0, 0.0, 0.0], 50.0).passed
    assert not ac.softmax_nearly_uniform(DEFAULT_LOGITS, math.nan).passed


def _verdict(activation, init, depth=30):
    r = depth_experiment(activation=activation, init=init, depth=depth, width=32, rng=0)
    return gradient_verdict(r)


def test_a_healthy_deep_stack_passes_and_sigmoid_with_xavier_fails():
    assert ac.healthy_deep_stack(_verdict("ReLU", "He normal"), 30).passed
    default = ac.healthy_deep_stack(_verdict("Sigmoid", "Xavier normal"), 30)
    assert not default.passed and "vanishes" in default.reason
    assert not ac.healthy_deep_stack(_verdict("ReLU", "He normal", 5), 5).passed  # too shallow


@pytest.mark.parametrize(
    ("verdict", "words"),
    [
        (GradientVerdict("overflow", math.nan, math.nan, ""), "overflowed"),
        (GradientVerdict("vanishing_size", math.nan, 0.0, ""), "zero"),
        (GradientVerdict("exploding_slope", 1e5, 1.0, ""), "explodes"),
        (GradientVerdict("vanishing_size", 0.9, 1e-9, ""), "in size"),
    ],
)
def test_unhealthy_verdicts_fail(verdict, words):
    result = ac.healthy_deep_stack(verdict, 30)
    assert not result.passed and words in result.reason


def test_not_finite_names_the_value():
    from dlcore.challenges import not_finite

    assert not_finite(a=1.0) is None
    assert "b is nan" in not_finite(a=1.0, b=np.nan).reason
    assert "not a number" in not_finite(a="x").reason
