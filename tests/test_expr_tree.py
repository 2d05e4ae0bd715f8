"""dlcore.expr_tree: formulas print back as text that parses to the same formula, and as the expected LaTeX."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore.expr import parse
from tests.test_expr import SMOOTH


def test_text_round_trips_for_formulas_and_derivatives():
    x, y = np.meshgrid(np.linspace(0.5, 2, 7), np.linspace(-1, 1, 5))
    for text in SMOOTH:
        e = parse(text)
        again = parse(str(e))
        np.testing.assert_allclose(again.evaluate(x=x, y=y), e.evaluate(x=x, y=y), rtol=1e-13)
        for v in ("x", "y"):
            d = e.derivative(v)
            np.testing.assert_allclose(
                parse(d.text).evaluate(x=x, y=y), d.evaluate(x=x, y=y), rtol=1e-13
            )


@pytest.mark.parametrize(
    "text, latex",
    [
        ("x**2 * y", "x^{2} y"),
        ("2*pi*x", r"2 \pi x"),
        ("x / (1 + y)", r"\frac{x}{1 + y}"),
        ("sqrt(abs(x))", r"\sqrt{\left|x\right|}"),
        ("(x - y)**2", r"\left(x - y\right)^{2}"),
        ("sigmoid(x) - log(y)", r"\sigma\left(x\right) - \ln\left(y\right)"),
        ("x - (y - 1)", r"x - \left(y - 1\right)"),
        ("-(x + y)", r"-\left(x + y\right)"),
        ("0.00001 * x", r"10^{-5} x"),  # one rule for every number: dlcore.tex
    ],
)
def test_latex_of_parsed_formulas(text, latex):
    assert parse(text).latex == latex
