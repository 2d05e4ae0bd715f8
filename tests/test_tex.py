"""LaTeX numbers: three significant digits and written-out powers of ten."""

from __future__ import annotations

import pytest

from dlcore.tex import tex_number


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (0.5, "0.5"),
        (6400.0, r"6.4 \times 10^{3}"),
        (2.43e-29, r"2.43 \times 10^{-29}"),
        (1e-8, "10^{-8}"),
        (-0.000123456, r"-0.000123"),
        (123456.0, r"1.23 \times 10^{5}"),
        (0.0, "0"),
        (float("nan"), r"\text{NaN}"),
        (float("inf"), r"\infty"),
        (float("-inf"), r"-\infty"),
    ],
)
def test_tex_number(x, text):
    assert tex_number(x) == text
