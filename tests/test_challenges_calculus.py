"""dlcore.challenges.calculus: secants, the chain rule, directions against the gradient."""

import math

from dlcore.challenges import calculus as cc


def test_secant_matches_tangent():
    assert cc.secant_matches_tangent(1.004, 1.0, 0.01).passed
    assert cc.secant_matches_tangent(0.005, 0.0, 0.01).passed  # a flat point: absolute 1%
    default = cc.secant_matches_tangent(0.3, 0.9, 2.0)
    assert not default.passed and "off by 0.6" in default.reason
    assert not cc.secant_matches_tangent(1.02, 1.0, 0.1).passed
    assert not cc.secant_matches_tangent(1.0, math.nan, 0.1).passed  # f' undefined at x0
    assert not cc.secant_matches_tangent(math.nan, 1.0, 0.1).passed
    assert not cc.secant_matches_tangent(math.inf, 1.0, 0.1).passed


def test_outer_factor_vanishes():
    assert cc.outer_factor_vanishes(0.008, 1.5).passed
    assert not cc.outer_factor_vanishes(-0.5, 2.6).passed  # the default x = 1.3
    inner = cc.outer_factor_vanishes(0.54, 0.0)  # x = 0: h'(0) = 0 is the other factor
    assert not inner.passed and "inner factor" in inner.reason
    assert not cc.outer_factor_vanishes(0.0, 0.05).passed  # both small: not the outer alone
    assert not cc.outer_factor_vanishes(math.nan, 1.0).passed


def test_along_the_gradient():
    assert cc.along_gradient(45.0, 43.0, 2.0).passed
    assert cc.along_gradient(-178.0, 179.0, 1.0).passed  # wraps around ±180°
    assert not cc.along_gradient(30.0, 100.0, 1.0).passed
    assert not cc.along_gradient(45.0, -135.0, 2.0).passed  # steepest descent, not ascent
    flat = cc.along_gradient(0.0, 0.0, 0.0)  # a minimum: no steepest direction
    assert not flat.passed and "zero" in flat.reason
    assert not cc.along_gradient(math.nan, 0.0, 1.0).passed


def test_along_the_level_set():
    assert cc.along_level_set(90.0, 0.0, 1.0).passed
    assert cc.along_level_set(-95.0, 0.0, 1.0).passed
    assert cc.along_level_set(175.0, -90.0, 1.0).passed
    assert not cc.along_level_set(30.0, 0.0, 1.0).passed
    assert not cc.along_level_set(90.0, 0.0, 0.0).passed  # flat everywhere: proves nothing
    assert not cc.along_level_set(90.0, math.inf, 1.0).passed
