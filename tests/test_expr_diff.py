"""dlcore.expr_diff: exact derivatives match central differences and print simplified."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore.expr import FUNCTIONS, parse
from tests.test_expr import DOMAIN, SMOOTH


@pytest.mark.parametrize("text", SMOOTH)
def test_gradient_matches_central_differences(text):
    e = parse(text)
    rng = np.random.default_rng(0)
    x = rng.uniform(0.3, 2.0, 50)
    y = rng.uniform(-1.5, 1.5, 50)
    h = 1e-6
    fd_x = (e.evaluate(x=x + h, y=y) - e.evaluate(x=x - h, y=y)) / (2 * h)
    fd_y = (e.evaluate(x=x, y=y + h) - e.evaluate(x=x, y=y - h)) / (2 * h)
    g = e.gradient(x=x, y=y)
    assert g.shape == (50, 2)
    np.testing.assert_allclose(g[:, 0], fd_x, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(g[:, 1], fd_y, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_derivative_matches_central_differences(name):
    e = parse(f"{name}(x)", ("x",))
    lo, hi = DOMAIN.get(name, (-3, 3))
    x = np.linspace(lo, hi, 41)
    x = x[np.abs(x) > 1e-3]  # abs, sign, step and relu have a kink at 0
    h = 1e-6
    fd = (e.evaluate(x=x + h) - e.evaluate(x=x - h)) / (2 * h)
    np.testing.assert_allclose(e.gradient(x=x)[:, 0], fd, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(e.derivative().evaluate(x=x), fd, rtol=1e-6, atol=1e-7)


def test_derivative_is_simplified_and_printable():
    d = parse("(1 - x)**2 + 100*(y - x**2)**2").derivative("y")
    assert str(d) == "200 * (y - x**2)"
    assert d.latex == r"200 \cdot \left(y - x^{2}\right)"
    assert str(parse("sin(x)", ("x",)).derivative()) == "cos(x)"
    assert str(parse("x**3", ("x",)).derivative()) == "3 * x**2"
    assert (
        str(
            parse(
                "y",
            ).derivative("x")
        )
        == "0"
    )
