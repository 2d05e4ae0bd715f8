"""Numbers, vectors and matrices written for LaTeX (``st.latex``): the one place their rules live.

Formulas on the pages are filled with the current numbers, and Python's
``repr`` (``1e-08``, ``6400.0``) is not how a person writes them. The rule here:
three significant digits unless asked for more, and a power of ten written out, ``6.4 \\times 10^{3}``,
with a bare ``10^{-8}`` when the mantissa is exactly 1; NaN and the
infinities as LaTeX words and symbols, never ``nan`` in italics.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def tex_number(x: float, digits: int = 3) -> str:
    """A number for LaTeX: ``digits`` significant digits, powers of ten as ``10^{k}``.

    Examples
    --------
    >>> tex_number(0.5), tex_number(6400.0), tex_number(1e-08)
    ('0.5', '6.4 \\\\times 10^{3}', '10^{-8}')
    """
    if not math.isfinite(x):
        return r"\text{NaN}" if math.isnan(x) else ("-" if x < 0 else "") + r"\infty"
    text = f"{x + 0.0:.{digits}g}"  # + 0.0: no "-0"
    if "e" in text:
        mantissa, exponent = text.split("e")
        power = f"10^{{{int(exponent)}}}"
        if mantissa in ("1", "-1"):
            return mantissa[:-1] + power
        return f"{mantissa} \\times {power}"
    return text


def _real(value: float, digits: int, fixed: bool) -> str:
    # Round-off leaves 1e-17 where the exact answer is 0; show the 0.
    value = 0.0 if abs(value) < 1e-13 else value
    if fixed and math.isfinite(value):
        text = f"{value:.{digits}f}"
        return text[1:] if text.startswith("-") and float(text) == 0 else text
    return tex_number(value, digits)


def _cell(v: object, digits: int, fixed: bool) -> str:
    re_part, im_part = float(np.real(v)), float(np.imag(v)) if np.iscomplexobj(v) else 0.0
    if abs(im_part) <= 1e-12:
        return _real(re_part, digits, fixed)
    sign = "+" if im_part >= 0 else "-"
    return f"{_real(re_part, digits, fixed)} {sign} {_real(abs(im_part), digits, fixed)}i"


def tex_matrix(
    M: Any,
    *,
    digits: int = 4,
    fixed: bool = False,
    env: str = "pmatrix",
    bar: int | None = None,
    shape: bool = False,
) -> str:
    """A vector or matrix with its current numbers, for LaTeX.

    Parameters
    ----------
    M : array_like of shape (n,) or (m, n), real or complex
        A 1-D input is one row.
    digits : int
        Significant digits, or decimals when ``fixed``.
    env : {"pmatrix", "bmatrix"}
        Round brackets (linear algebra's convention) or square ones (kernels, weights).
    bar : int, optional
        Column before which an augmented-matrix bar goes (``[A | b]``).
    shape : bool
        Write the shape ``m \\times n`` under the matrix.

    Examples
    --------
    >>> tex_matrix([[1, 0], [0, 1]], env="bmatrix")
    '\\\\begin{bmatrix}1 & 0 \\\\\\\\ 0 & 1\\\\end{bmatrix}'
    """
    M = np.atleast_2d(np.asarray(M))
    body = r" \\ ".join(" & ".join(_cell(v, digits, fixed) for v in row) for row in M)
    if bar is not None and not 0 < bar < M.shape[1]:
        raise ValueError(f"bar must fall between columns 1 and {M.shape[1] - 1}, got {bar}")
    if bar is None:
        tex = rf"\begin{{{env}}}" + body + rf"\end{{{env}}}"
    else:
        spec = "c" * bar + "|" + "c" * (M.shape[1] - bar)
        tex = r"\left(\begin{array}{" + spec + "}" + body + r"\end{array}\right)"
    return rf"\underbrace{{{tex}}}_{{{M.shape[0]} \times {M.shape[1]}}}" if shape else tex


def tex_vector(v: Any, *, digits: int = 4) -> str:
    """A column vector in LaTeX (round brackets)."""
    return tex_matrix(np.asarray(v).reshape(-1, 1), digits=digits)
