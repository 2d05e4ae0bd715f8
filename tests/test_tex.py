"""LaTeX numbers: three significant digits and written-out powers of ten."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore.tex import tex_matrix, tex_number, tex_vector


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


def test_tex_number_digits():
    assert tex_number(1 / 3, 6) == "0.333333"
    assert tex_number(1.5e-8, 6) == r"1.5 \times 10^{-8}"
    assert tex_number(123456789.0, 6) == r"1.23457 \times 10^{8}"


def test_tex_matrix_brackets_digits_and_round_off():
    assert (
        tex_matrix(np.eye(2), digits=3, env="bmatrix")
        == r"\begin{bmatrix}1 & 0 \\ 0 & 1\end{bmatrix}"
    )
    assert tex_matrix([[1 / 3, 1e-17]]) == r"\begin{pmatrix}0.3333 & 0\end{pmatrix}"
    assert tex_vector([1.5, -2]) == r"\begin{pmatrix}1.5 \\ -2\end{pmatrix}"


def test_tex_matrix_fixed_decimals_with_its_shape():
    assert (
        tex_matrix([[1, 2]], digits=2, fixed=True, env="bmatrix", shape=True)
        == r"\underbrace{\begin{bmatrix}1.00 & 2.00\end{bmatrix}}_{1 \times 2}"
    )


def test_tex_matrix_complex_entries_and_augmented_bar():
    assert tex_matrix([[1 + 2j, 3]]) == r"\begin{pmatrix}1 + 2i & 3\end{pmatrix}"
    assert tex_matrix([[1, 2, 3]], bar=2) == r"\left(\begin{array}{cc|c}1 & 2 & 3\end{array}\right)"


def test_negative_powers_and_negative_zero_follow_the_same_rule():
    assert tex_number(-1e-8) == "-10^{-8}"
    assert tex_number(-0.0) == "0"
    assert tex_matrix([[-1e-5]], digits=2, fixed=True) == r"\begin{pmatrix}0.00\end{pmatrix}"


def test_matrix_cells_are_numbers_as_tex_number_writes_them():
    cells = tex_matrix([[1e-5, np.nan], [np.inf, 12345678.0]])
    assert (
        cells == r"\begin{pmatrix}10^{-5} & \text{NaN} \\ \infty & 1.235 \times 10^{7}\end{pmatrix}"
    )
    with pytest.raises(ValueError, match="bar"):
        tex_matrix([[1, 2]], bar=2)
