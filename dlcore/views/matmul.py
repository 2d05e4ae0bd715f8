"""What the Linear Algebra lab's Matrix multiplication panel shows (beside ``linear_algebra``)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlcore import matmul as mm
from dlcore._validation import check_choice, check_int
from dlcore.tex import tex_matrix

#: The three readings of one product.
MATMUL_MODES = ("Row by column", "Sum of outer products", "Linear layer")


def _num(x: float) -> str:
    return f"{x:g}" if x >= 0 else f"({x:g})"


def _tm(M, shape: bool = False) -> str:
    return tex_matrix(M, digits=3, env="bmatrix", shape=shape)


class MatmulView(NamedTuple):
    """One reading of ``C = A B`` at one step.

    Attributes
    ----------
    A : ndarray of shape (m, k)
    B : ndarray of shape (k, n)
    C : ndarray of shape (m, n)
        The whole product.
    shown : ndarray of shape (m, n)
        What the step has computed so far (NaN where not yet).
    a_mark, b_mark, c_mark : ndarray of int, shapes of A, B, C
        0 for a plain cell, 1 for a cell in use at this step, 2 for the result of the step.
    lines : list of str
        The step's arithmetic in LaTeX.
    steps : int
        How many steps this reading has (m n entries, k outer products, m examples).
    bias : ndarray of shape (n,) or None
        The layer's bias (Linear layer only).
    """

    A: np.ndarray
    B: np.ndarray
    C: np.ndarray
    shown: np.ndarray
    a_mark: np.ndarray
    b_mark: np.ndarray
    c_mark: np.ndarray
    lines: list[str]
    steps: int
    bias: np.ndarray | None


def matmul_steps(mode: str, m: int, k: int, n: int) -> int:
    """How many steps ``mode`` takes for an (m, k) by (k, n) product."""
    check_choice("mode", mode, MATMUL_MODES)
    return {MATMUL_MODES[0]: m * n, MATMUL_MODES[1]: k, MATMUL_MODES[2]: m}[mode]


def _row_by_column(A, B, C, step: int) -> tuple:
    e = mm.entry_step(A, B, step - 1)
    i, j = e.i + 1, e.j + 1
    shown = np.full(C.shape, np.nan)
    shown.flat[:step] = C.flat[:step]
    a_mark, b_mark, c_mark = np.zeros(A.shape, int), np.zeros(B.shape, int), np.zeros(C.shape, int)
    a_mark[e.i], b_mark[:, e.j], c_mark[e.i, e.j] = 1, 1, 2
    terms = " + ".join(f"{_num(a)}\\cdot{_num(b)}" for a, b in zip(e.row, e.col))
    lines = [
        rf"C_{{{i}{j}}} = \sum_{{r=1}}^{{{len(e.row)}}} A_{{{i}r}} B_{{r{j}}} = {terms} = "
        rf"{e.value:g}",
        rf"\text{{row {i} of }} A = {_tm(e.row)},\qquad \text{{column {j} of }} B = "
        rf"{_tm(e.col)}^\top",
    ]
    return shown, a_mark, b_mark, c_mark, lines


def _outer(A, B, C, step: int) -> tuple:
    terms = mm.outer_terms(A, B)
    shown = terms[:step].sum(axis=0)
    r = step - 1
    a_mark, b_mark = np.zeros(A.shape, int), np.zeros(B.shape, int)
    a_mark[:, r], b_mark[r] = 1, 1
    done = r + 1 == len(terms)
    total = "= AB" if done else rf"\text{{(}}{r + 1}\text{{ of }}{len(terms)}\text{{ terms)}}"
    lines = [
        rf"A_{{:,{r + 1}}}\, B_{{{r + 1},:}} = {_tm(A[:, r : r + 1])} {_tm(B[r : r + 1])} = "
        rf"{_tm(terms[r])}\quad\text{{(rank one)}}",
        rf"\sum_{{s=1}}^{{{r + 1}}} A_{{:,s}} B_{{s,:}} = {_tm(shown)} {total}",
    ]
    return shown, a_mark, b_mark, np.full(C.shape, 2 if done else 1), lines


def _layer(A, B, C, b, step: int) -> tuple:
    i = step - 1
    Y = C + b
    a_mark, c_mark = np.zeros(A.shape, int), np.zeros(C.shape, int)
    a_mark[i], c_mark[i] = 1, 2
    m, k = A.shape
    n = B.shape[1]
    lines = [
        rf"\underbrace{{{_tm(A)}}}_{{X:\ {m} \times {k}}}\,\underbrace{{{_tm(B)}}}_{{W:\ {k} "
        rf"\times {n}}} + \underbrace{{{_tm(b)}}}_{{b:\ {n}}} = \underbrace{{{_tm(Y)}}}_{{Y:\ {m}"
        rf" \times {n}}}",
        rf"y_{{{step}}} = x_{{{step}}} W + b = {_tm(A[i])} W + {_tm(b)} = {_tm(C[i])} + "
        rf"{_tm(b)} = {_tm(Y[i])}",
    ]
    return Y, a_mark, np.ones(B.shape, int), c_mark, lines


def matmul_view(m: int, k: int, k2: int, n: int, mode: str, step: int, seed: int) -> MatmulView:
    """A seeded (m, k) by (k2, n) product read as ``mode``, at ``step`` (1-based).

    Raises ``ValueError`` with the shape rule when ``k != k2``.
    """
    m, k, k2, n = (check_int(name, v, 1, 6) for name, v in zip("mkKn", (m, k, k2, n)))
    mm.check_matmul_shapes((m, k), (k2, n))
    total = matmul_steps(mode, m, k, n)
    step = check_int("step", step, 1, total)
    gen = np.random.default_rng(seed)
    A, B = mm.small_integers((m, k), rng=gen), mm.small_integers((k, n), rng=gen)
    bias = mm.small_integers((n,), rng=gen)
    C = A @ B
    if mode == MATMUL_MODES[0]:
        parts = _row_by_column(A, B, C, step)
    elif mode == MATMUL_MODES[1]:
        parts = _outer(A, B, C, step)
    else:
        parts = _layer(A, B, C, bias, step)
    return MatmulView(A, B, C, *parts, total, bias if mode == MATMUL_MODES[2] else None)
