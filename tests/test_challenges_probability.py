"""dlcore.challenges.probability: the CLT, a stubborn prior and base rates."""

import math

from dlcore import probability as prob
from dlcore.challenges import probability as pc


def test_clt_fails_only_without_a_finite_variance():
    assert pc.clt_fails("Cauchy", prob.StudentT(1.0).var()).passed
    assert pc.clt_fails("Cauchy", math.inf).passed
    for name, dist in prob.DISTRIBUTIONS.items():  # every default parent has a variance
        assert not pc.clt_fails(name, dist().var()).passed, name
    assert not pc.clt_fails("Normal", "1").passed


def test_prior_outweighs_the_data():
    assert pc.prior_outweighs_data(20, 20, 30).passed
    assert pc.prior_outweighs_data(20, 11, 30).passed
    default = pc.prior_outweighs_data(1, 1, 100)
    assert not default.passed and "a + b = 2" in default.reason
    assert not pc.prior_outweighs_data(20, 20, 10).passed  # too few flips: nothing to overturn
    assert not pc.prior_outweighs_data(15, 15, 30).passed  # equal weight is not more
    assert not pc.prior_outweighs_data(0, 40, 30).passed  # not a Beta prior
    assert not pc.prior_outweighs_data(math.nan, 40, 30).passed


def test_positive_is_a_false_alarm():
    assert pc.positive_is_false_alarm(0.01, 0.95, 0.95).passed
    assert pc.positive_is_false_alarm(0.001, 1.0, 0.99).passed
    assert not pc.positive_is_false_alarm(0.01, 0.9, 0.95).passed  # default: sensitivity 0.9
    assert not pc.positive_is_false_alarm(0.5, 0.95, 0.95).passed  # common: positives are right
    bad_test = pc.positive_is_false_alarm(0.01, 0.95, 0.5)  # a bad test is no trick
    assert not bad_test.passed and "at least 0.95" in bad_test.reason
    assert not pc.positive_is_false_alarm(math.nan, 0.95, 0.95).passed


def test_positive_is_trustworthy():
    assert pc.positive_is_trustworthy(0.01, 0.95, 0.999).passed
    assert pc.positive_is_trustworthy(0.01, 0.9, 1.0).passed
    default = pc.positive_is_trustworthy(0.01, 0.9, 0.95)
    assert not default.passed and "15.4%" in default.reason
    assert not pc.positive_is_trustworthy(0.5, 0.95, 0.95).passed  # not rare
    nobody = pc.positive_is_trustworthy(0.01, 0.0, 1.0)  # nobody tests positive: undefined
    assert not nobody.passed and "undefined" in nobody.reason
    assert not pc.positive_is_trustworthy(0.01, math.nan, 1.0).passed
