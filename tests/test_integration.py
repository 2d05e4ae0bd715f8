"""dlcore.integration against closed forms, scipy.integrate and the textbook convergence orders."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate as sp_integrate

from dlcore.calculus import integrate
from dlcore.differentiation import (
    CURVES,
    univariate,
)
from dlcore.integration import (
    OVERFLOW,
    RULES,
    approximant,
    convergence,
    describe,
    integrability,
    integrate_loop,
    observed_order,
    reference_integral,
    scan,
    where,
)

# ---------------------------------------------------------------- integration

CLOSED_FORMS = [
    (np.sin, 0.0, math.pi, 2.0),
    (np.exp, -1.0, 2.0, math.exp(2) - math.exp(-1)),
    (lambda x: 1 / (1 + x**2), 0.0, 1.0, math.pi / 4),
    (lambda x: x**3 - 2 * x, -1.0, 3.0, (3**4 / 4 - 9) - (1 / 4 - 1)),
]


@pytest.mark.parametrize("rule", sorted(RULES))
@pytest.mark.parametrize("f, a, b, exact", CLOSED_FORMS)
def test_rules_against_closed_forms_and_the_loop_reference(rule, f, a, b, exact):
    fine = integrate(f, a, b, n=2048, rule=rule)
    tolerance = {1: 1e-2, 2: 1e-5, 4: 1e-11}[RULES[rule].order] * max(1.0, abs(exact))
    assert fine == pytest.approx(exact, abs=tolerance)
    for n in (2, 6, 50):
        assert integrate(f, a, b, n=n, rule=rule) == pytest.approx(
            integrate_loop(f, a, b, n=n, rule=rule), rel=1e-13, abs=1e-13
        )


@pytest.mark.parametrize("rule", ["trapezoid", "simpson"])
def test_rules_agree_with_scipy(rule):
    x = np.linspace(0.0, 2.0, 65)
    y = np.exp(-x) * np.cos(3 * x)
    ours = integrate(lambda t: np.exp(-t) * np.cos(3 * t), 0.0, 2.0, n=64, rule=rule)
    ref = sp_integrate.trapezoid(y, x) if rule == "trapezoid" else sp_integrate.simpson(y, x=x)
    assert ours == pytest.approx(ref, rel=1e-13)
    quad, _ = sp_integrate.quad(lambda t: math.exp(-t) * math.cos(3 * t), 0.0, 2.0)
    assert integrate(lambda t: np.exp(-t) * np.cos(3 * t), 0.0, 2.0, n=512) == pytest.approx(
        quad, rel=1e-8
    )


def test_convergence_orders_are_1_2_and_4():
    ns = 2 ** np.arange(2, 10)
    errors = convergence(np.exp, 0.0, 1.0, math.e - 1, ns)
    for rule, (_, order) in RULES.items():
        assert observed_order(ns, errors[rule]) == pytest.approx(order, abs=0.1), rule
    # the trapezoid error is about twice the midpoint's, with opposite sign
    assert errors["trapezoid"][-1] / errors["midpoint"][-1] == pytest.approx(2.0, rel=0.01)


def test_exactness_on_polynomials():
    assert integrate(lambda x: 2 * x + 1, 0, 3, n=1, rule="trapezoid") == pytest.approx(
        12.0, rel=1e-15
    )
    assert integrate(lambda x: 2 * x + 1, 0, 3, n=1, rule="midpoint") == pytest.approx(
        12.0, rel=1e-15
    )
    assert integrate(lambda x: x**3, 0, 2, n=2, rule="simpson") == pytest.approx(4.0, rel=1e-15)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_approximant_has_the_rules_integral(rule):
    a, b, n = 0.0, 2.0, 8
    shape = approximant(np.exp, a, b, n=n, rule=rule, samples=401)
    assert shape.x[0] == pytest.approx(a) and shape.x[-1] == pytest.approx(b)
    assert np.all(np.diff(shape.x) >= 0)
    area = np.trapezoid(shape.y, shape.x)
    rel = 1e-6 if rule == "simpson" else 1e-13
    assert area == pytest.approx(integrate(np.exp, a, b, n=n, rule=rule), rel=rel)


def test_integration_refuses_bad_arguments():
    with pytest.raises(ValueError, match="even"):
        integrate(np.sin, 0, 1, n=3, rule="simpson")
    with pytest.raises(ValueError, match="a must be below b"):
        integrate(np.sin, 1, 1, n=4)
    with pytest.raises(ValueError, match="rule"):
        integrate(np.sin, 0, 1, n=4, rule="gauss")
    with pytest.raises(ValueError, match="n must be an integer"):
        integrate(np.sin, 0, 1, n=0)
    with pytest.raises(ValueError, match="above round-off"):
        observed_order([1, 2], [0.0, 0.0])


# ------------------------------------------------- where a formula misbehaves


def test_scan_finds_where_log_is_undefined_and_absorbs_log_0():
    found = scan(univariate("log(x)"), -3.0, 3.0)
    ((start, end),) = found.undefined
    assert start == -3.0 and abs(end) < 1e-9
    assert found.overflow == () and found.singularities == ()  # log(0) = -inf ends the stretch
    assert describe(found, "log(x)") == ("log(x) is undefined for x ≤ 0",)


def test_scan_finds_where_exp_overflows():
    found = scan(univariate("exp(1000*x)"), -2.4, 1.8)
    ((start, end),) = found.overflow
    assert start == pytest.approx(math.log(OVERFLOW) / 1000, rel=1e-9) and end == 1.8
    assert found.undefined == () and found.singularities == ()


@pytest.mark.parametrize(
    ("text", "lo", "hi", "at", "order"),
    [
        ("1/x", -2.4, 1.8, [0.0], 1.0),  # the pole falls between samples
        ("1/x", -3.0, 3.0, [0.0], 1.0),  # ... or on one (1/0 = inf)
        ("1/x**2", -1.0, 1.0, [0.0], 2.0),
        ("1/(x - 0.3)", 0.0, 1.0, [0.3], 1.0),
        ("1/x", 0.0, 1.0, [0.0], 1.0),  # at an end of the interval
        ("tan(x)", -2.4, 1.8, [-math.pi / 2, math.pi / 2], 1.0),
        ("1/(1 - x**2)", -3.0, 3.0, [-1.0, 1.0], 1.0),
        ("1/sqrt(abs(x))", -2.4, 1.8, [0.0], 0.5),
        ("abs(x)**-0.45", -1.0, 1.0, [0.0], 0.45),
    ],
)
def test_scan_locates_poles_and_estimates_their_order(text, lo, hi, at, order):
    found = scan(univariate(text), lo, hi)
    assert [s.at for s in found.singularities] == pytest.approx(at, abs=1e-9)
    for s in found.singularities:
        assert s.order == pytest.approx(order, abs=2e-3)
        assert s.integrable == (order < 1)


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        *[(c.text, *c.domain) for c in CURVES.values()],
        ("sin(50*x)", -3.0, 3.0),  # many smooth maxima
        ("exp(-x**2 / 1e-8)", -1.0, 1.0),  # a spike far narrower than the samples, but bounded
        ("1/(x**2 + 1e-6)", -1.0, 1.0),  # tall (1e6) but finite
        ("sin(x)/x", -3.0, 3.0),  # 0/0 on a sample: a removable hole, not a pole
        ("log(abs(x))", -3.0, 3.0),  # -inf at 0, integrable: grows slower than any power
        ("1/x", 1e-12, 1.0),  # the pole is just outside
    ],
)
def test_scan_leaves_bounded_functions_alone(text, lo, hi):
    found = scan(univariate(text), lo, hi)
    assert found.clean, found


def test_where_puts_stretches_in_words():
    assert where((-2.4, 0.0), -2.4, 1.8) == "x ≤ 0"
    assert where((0.690775, 1.8), -2.4, 1.8) == "x ≥ 0.691"
    assert where((-1.0, 1.0), -3.0, 3.0) == "-1 ≤ x ≤ 1"
    assert where((-3.0, 3.0), -3.0, 3.0) == "every x"
    assert where((1e-17, 1e-17), -1.0, 1.0) == "x = 0"  # rounding noise next to 0


def test_integrability_refuses_what_has_no_integral():
    # issue 15: a rule's sum over a pole is some number (Simpson: -9.22 for 1/x on [-2.4, 1.8])
    f = univariate("1/x")
    assert reference_integral(f, -2.4, 1.8) == pytest.approx(-9.2248, abs=1e-3)
    pole = integrability(f, -2.4, 1.8, name="1/x")
    assert not pole.integrable and pole.kind == "diverges"
    assert pole.message.startswith("The integral of 1/x over [-2.4, 1.8] diverges: near x = 0,")
    assert "avoids x = 0" in pole.message
    log = integrability(univariate("log(x)"), -2.4, 1.8, name="log(x)")
    assert (log.integrable, log.kind) == (False, "undefined")
    assert log.message == (
        "log(x) is undefined for x ≤ 0, which lies in [-2.4, 1.8]: narrow the interval to where "
        "it is defined."
    )
    big = integrability(univariate("exp(1000*x)"), -2.4, 1.8, name="exp(1000*x)")
    assert (big.integrable, big.kind) == (False, "overflow") and "x ≥ 0.691" in big.message
    tan = integrability(univariate("tan(x)"), -2.4, 1.8)
    assert tan.kind == "diverges" and "x = -1.57 and x = 1.57" in tan.message


def test_integrability_accepts_integrable_singularities_with_a_note():
    f = univariate("1/sqrt(abs(x))")
    root = integrability(f, -2.4, 1.8)
    assert (root.integrable, root.kind, root.message) == (True, "singular", "")
    assert "integrable singularity at x = 0" in root.note
    exact = 2 * (math.sqrt(2.4) + math.sqrt(1.8))  # the integral exists
    assert reference_integral(f, -2.4, 1.8) == pytest.approx(exact, rel=1e-3)
    smooth = integrability(univariate("sin(x)"), -4.0, 4.0)
    assert (smooth.integrable, smooth.kind, smooth.message, smooth.note) == (True, "finite", "", "")


def test_scan_refuses_bad_arguments():
    with pytest.raises(ValueError, match="lo must be below hi"):
        scan(univariate("x"), 1.0, 1.0)
    with pytest.raises(ValueError, match="n must be"):
        scan(univariate("x"), 0.0, 1.0, n=2)
