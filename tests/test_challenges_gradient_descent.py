"""dlcore.challenges.gradient_descent: the checks know 1/λ and 2/λ, and nothing else passes."""

import math

import pytest

from dlcore.challenges import gradient_descent as gdc

Q = gdc.QUADRATIC


@pytest.mark.parametrize(("lr", "lam"), [(0.96, 2.0), (0.999, 2.0), (0.195, 10.0), (0.39, 5.0)])
def test_largest_stable_rate_passes_within_5_percent_of_2_over_lambda(lr, lam):
    assert gdc.largest_stable_lr(Q, lr, lam).passed


@pytest.mark.parametrize(
    ("fn", "lr", "lam", "words"),
    [
        (Q, 0.3, 2.0, "70.0% below"),  # the panel's default
        (Q, 0.94, 2.0, "6.0% below"),
        (Q, 1.0, 2.0, "bounce"),  # exactly 2/λ: never converges
        (Q, 1.2, 2.0, "diverge"),  # the slider's end
        ("Non-convex", 0.97, 2.0, "switch to the Quadratic"),
        (Q, math.nan, 2.0, "nan"),
        (Q, 0.5, math.inf, "inf"),
    ],
)
def test_largest_stable_rate_fails(fn, lr, lam, words):
    verdict = gdc.largest_stable_lr(fn, lr, lam)
    assert not verdict.passed and words in verdict.reason


def test_oscillates_but_converges():
    assert gdc.oscillates_but_converges(Q, 0.75, 2.0).passed
    assert gdc.oscillates_but_converges(Q, 0.11, 10.0).passed
    assert not gdc.oscillates_but_converges(Q, 0.3, 2.0).passed  # default: monotone
    assert not gdc.oscillates_but_converges(Q, 0.5, 2.0).passed  # one step: no oscillation
    assert not gdc.oscillates_but_converges(Q, 1.0, 2.0).passed  # bouncing for ever
    assert not gdc.oscillates_but_converges(Q, 1.2, 2.0).passed
    assert not gdc.oscillates_but_converges("Type a formula", 0.75, 2.0).passed
    assert not gdc.oscillates_but_converges(Q, math.nan, 2.0).passed


def test_one_step_to_the_minimum():
    assert gdc.one_step_to_minimum(Q, 0.5, 2.0).passed
    assert gdc.one_step_to_minimum(Q, 0.1, 10.0).passed
    assert gdc.one_step_to_minimum(Q, 0.667, 1.5).passed  # within 1% on a 0.001 grid
    fail = gdc.one_step_to_minimum(Q, 0.3, 2.0)
    assert not fail.passed and "40%" in fail.reason
    assert not gdc.one_step_to_minimum(Q, 0.52, 2.0).passed  # 4% off
    assert not gdc.one_step_to_minimum("Quartic with two minima", 0.5, 2.0).passed
    assert not gdc.one_step_to_minimum(Q, 0.5, math.nan).passed


def test_steepest_direction_diverges():
    assert gdc.steepest_direction_diverges(False, 2.1).passed
    assert gdc.steepest_direction_diverges(False, 2.3).passed
    assert not gdc.steepest_direction_diverges(True, 2.3).passed  # default: the best step
    assert not gdc.steepest_direction_diverges(False, 1.0).passed  # the slider's default
    assert not gdc.steepest_direction_diverges(False, 2.0).passed  # bounces, does not blow up
    assert not gdc.steepest_direction_diverges(False, math.nan).passed
