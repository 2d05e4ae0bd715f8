"""Matrix multiplication three ways: row-column dot products, a sum of outer products, a layer.

For ``A`` of shape (m, k) and ``B`` of shape (k, n) the product ``C = A B`` has
shape (m, n) and

* entry by entry, ``C[i, j] = sum_r A[i, r] B[r, j]``: row i of A dotted with
  column j of B (the two must have the same length k: the *shape rule*);
* as a whole, ``C = sum_r A[:, r] B[r, :]``: k outer products, each a rank-one
  (m, n) matrix, column r of A times row r of B;
* in a network, ``Y = X W + b`` with X a batch of m examples of k features and
  W the weights of a layer of n units: every example goes through the layer
  in one product, and b is added to every row (broadcasting).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from dlcore._validation import RngLike, as_rng, check_int


def check_matmul_shapes(a_shape: tuple[int, ...], b_shape: tuple[int, ...]) -> tuple[int, int, int]:
    """``(m, k, n)`` for ``A (m, k) @ B (k, n)``, or ``ValueError`` explaining the shape rule.

    Examples
    --------
    >>> check_matmul_shapes((2, 3), (3, 4))
    (2, 3, 4)
    """
    if len(a_shape) != 2 or len(b_shape) != 2:
        raise ValueError(f"A and B must be matrices, got shapes {a_shape} and {b_shape}")
    (m, k), (k2, n) = a_shape, b_shape
    if k != k2:
        raise ValueError(
            f"A is {m} × {k} and B is {k2} × {n}: A has {k} columns but B has {k2} rows. Each "
            f"entry of AB pairs a row of A ({k} numbers) with a column of B ({k2} numbers) "
            f"number by number, so the inner sizes must agree: (m × k)(k × n) = (m × n). Give B "
            f"{k} rows (or A {k2} columns)."
        )
    return m, k, n


class EntryStep(NamedTuple):
    """One entry of ``C = A B`` as a row-column dot product.

    Attributes
    ----------
    i, j : int
        The entry (0-based).
    row : ndarray of shape (k,)
        ``A[i, :]``.
    col : ndarray of shape (k,)
        ``B[:, j]``.
    products : ndarray of shape (k,)
        ``A[i, r] * B[r, j]`` for each r.
    value : float
        Their sum, ``C[i, j]``.
    """

    i: int
    j: int
    row: np.ndarray
    col: np.ndarray
    products: np.ndarray
    value: float


def entry_step(A: Any, B: Any, index: int) -> EntryStep:
    """The ``index``-th entry of ``A B`` in row-major order (0-based), written as a dot product."""
    A, B = np.asarray(A, float), np.asarray(B, float)
    m, _, n = check_matmul_shapes(A.shape, B.shape)
    index = check_int("index", index, 0, m * n - 1)
    i, j = divmod(index, n)
    products = A[i] * B[:, j]
    return EntryStep(i, j, A[i].copy(), B[:, j].copy(), products, float(products.sum()))


def outer_terms(A: Any, B: Any) -> np.ndarray:
    """The k outer products whose sum is ``A B``.

    Returns
    -------
    ndarray of shape (k, m, n)
        ``terms[r] = A[:, r] B[r, :]`` (rank one); ``terms.sum(0) == A @ B``.
    """
    A, B = np.asarray(A, float), np.asarray(B, float)
    check_matmul_shapes(A.shape, B.shape)
    return A.T[:, :, None] * B[:, None, :]


def small_integers(shape: tuple[int, ...], *, rng: RngLike = None, bound: int = 3) -> np.ndarray:
    """Seeded integers in ``[-bound, bound]`` as floats: products a person can check by hand."""
    bound = check_int("bound", bound, 1, 99)
    return as_rng(rng).integers(-bound, bound + 1, size=shape).astype(float)
