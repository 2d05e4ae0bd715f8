"""Linear systems: Gaussian elimination with its steps, least squares, power iteration.

Re-exported by :mod:`dlcore.linalg`; import from there.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

from dlcore._validation import RngLike, as_rng, check_array, check_choice, check_int, check_range

MAX_STEPS_SIZE = 10  # elimination steps are recorded for systems up to 10 x 10


class EliminationStep(NamedTuple):
    """One row operation of Gauss-Jordan elimination.

    Attributes
    ----------
    operation : str
        Plain text such as ``"R2 <- R2 - 0.5 R1"`` or ``"swap R1 <-> R3"``.
    latex : str
        The same operation in LaTeX.
    matrix : ndarray of shape (n, n + k)
        The augmented matrix ``[A | b]`` after the operation.
    """

    operation: str
    latex: str
    matrix: np.ndarray


class SolveResult(NamedTuple):
    """Solution of ``A x = b`` and how it was found.

    Attributes
    ----------
    x : ndarray of shape (n,) or (n, k)
    steps : tuple of EliminationStep
        From ``[A | b]`` to ``[I | x]``; the first entry is the start.
    """

    x: np.ndarray
    steps: tuple[EliminationStep, ...]


def _num(v: float) -> str:
    return f"{v:.4g}" if v >= 0 else f"({v:.4g})"


def _combine(row: int, factor: float, col: int) -> tuple[str, str]:
    """Text and LaTeX of ``R_row <- R_row - factor R_col``, written with the sign folded in."""
    sign, size = ("-", factor) if factor >= 0 else ("+", -factor)
    return (
        f"R{row} <- R{row} {sign} {size:.4g} R{col}",
        rf"R_{{{row}}} \leftarrow R_{{{row}}} {sign} {size:.4g}\,R_{{{col}}}",
    )


def _system(A, b) -> tuple[np.ndarray, np.ndarray]:
    A = check_array("A", A, ndim=2)
    n = A.shape[0]
    if A.shape != (n, n):
        raise ValueError(f"A must be square, got shape {A.shape}")
    check_int("size of A", n, 1, MAX_STEPS_SIZE)
    b = check_array("b", b, ndim=(1, 2))
    if b.shape[0] != n:
        raise ValueError(f"b must have {n} rows to match A, got shape {b.shape}")
    return A, b


def pivot_tolerance(A: np.ndarray) -> float:
    """Pivots at or below this count as zero: ``n * eps * max|A|`` scaled up by 100.

    Rounding in elimination leaves ~n eps max|A| where an exact zero belongs;
    the factor 100 keeps near-singular (but invertible) systems solvable.
    """
    return 100 * A.shape[0] * np.finfo(float).eps * max(float(np.abs(A).max()), 1e-300)


def _singular_message(A: np.ndarray, b: np.ndarray, tol: float) -> str:
    # Rouche-Capelli: a solution exists iff rank A = rank [A | b].
    aug = np.column_stack([A, b])
    rank_a = int(np.linalg.matrix_rank(A, tol=tol))
    rank_aug = int(np.linalg.matrix_rank(aug, tol=tol))
    n = A.shape[0]
    if rank_aug > rank_a:
        return (
            f"A is singular (rank {rank_a} < {n}) and b is not in its column space: "
            "the system has no solution. Change b or make A invertible."
        )
    free = n - rank_a
    return (
        f"A is singular (rank {rank_a} < {n}) and b is in its column space: "
        f"the system has infinitely many solutions (a {free}-dimensional family). "
        "Make A invertible for a unique solution."
    )


def solve(A, b) -> SolveResult:
    """Solve ``A x = b`` by Gauss-Jordan elimination with partial pivoting.

    Each column's pivot is the entry of largest magnitude at or below the
    diagonal (partial pivoting: no division by a tiny number, so rounding
    errors are not amplified); rows below and then above are cleared, and
    each pivot row is scaled to 1, ending at ``[I | x]``.

    Parameters
    ----------
    A : array_like of shape (n, n)
        ``1 <= n <= 10``.
    b : array_like of shape (n,) or (n, k)
        One right-hand side or k of them (``b = I`` gives the inverse).

    Returns
    -------
    SolveResult

    Raises
    ------
    ValueError
        If ``A`` is singular, saying whether the system has no solution or
        infinitely many.
    """
    A, b = _system(A, b)
    n = A.shape[0]
    tol = pivot_tolerance(A)
    M = np.column_stack([A, b]).astype(float)
    steps = [EliminationStep("start: the augmented matrix [A | b]", r"\text{start}", M.copy())]

    def record(text: str, latex: str) -> None:
        steps.append(EliminationStep(text, latex, M.copy()))

    for col in range(n):
        pivot = col + int(np.argmax(np.abs(M[col:, col])))
        if abs(M[pivot, col]) <= tol:
            raise ValueError(_singular_message(A, b, tol))
        if pivot != col:
            M[[col, pivot]] = M[[pivot, col]]
            record(
                f"swap R{col + 1} <-> R{pivot + 1}",
                rf"R_{{{col + 1}}} \leftrightarrow R_{{{pivot + 1}}}",
            )
        for row in range(col + 1, n):
            factor = M[row, col] / M[col, col]
            if factor != 0.0:
                M[row] -= factor * M[col]
                M[row, col] = 0.0  # exactly zero, not a rounding residue
                record(*_combine(row + 1, factor, col + 1))
    # back substitution, written as row operations from the last pivot up
    for col in range(n - 1, -1, -1):
        pivot_value = M[col, col]
        if pivot_value != 1.0:
            M[col] /= pivot_value
            record(
                f"R{col + 1} <- R{col + 1} / {_num(pivot_value)}",
                rf"R_{{{col + 1}}} \leftarrow R_{{{col + 1}}} / {_num(pivot_value)}",
            )
        for row in range(col):
            factor = M[row, col]
            if factor != 0.0:
                M[row] -= factor * M[col]
                M[row, col] = 0.0
                record(*_combine(row + 1, factor, col + 1))
    x = M[:, n:]
    return SolveResult(x[:, 0].copy() if b.ndim == 1 else x.copy(), tuple(steps))


def inverse(A) -> np.ndarray:
    """``A^{-1}`` by solving ``A X = I`` (Gauss-Jordan on ``[A | I]``).

    Raises
    ------
    ValueError
        If ``A`` is singular (it has no inverse).
    """
    A = check_array("A", A, ndim=2)
    try:
        return solve(A, np.eye(A.shape[0])).x
    except ValueError as exc:
        if "singular" in str(exc):
            raise ValueError(
                f"A is singular (determinant 0), so it has no inverse: {exc}"
            ) from None
        raise


def condition_number(A) -> float:
    """The 2-norm condition number ``s_max / s_min`` (inf for a singular ``A``).

    A relative change ``e`` in ``b`` can move the solution of ``A x = b`` by
    up to ``cond(A) * e`` relatively.

    Parameters
    ----------
    A : array_like of shape (m, n)
    """
    A = check_array("A", A, ndim=2)
    s = np.linalg.svd(A, compute_uv=False)
    return float(s[0] / s[-1]) if s[-1] > 0 else float("inf")


class LeastSquaresResult(NamedTuple):
    """Least-squares solution of an overdetermined ``A x ~ b``.

    Attributes
    ----------
    x : ndarray of shape (n,)
    residuals : ndarray of shape (m,)
        ``b - A x``, orthogonal to the columns of ``A``.
    rss : float
        Residual sum of squares ``|b - A x|^2``.
    """

    x: np.ndarray
    residuals: np.ndarray
    rss: float


def _back_substitute(R: np.ndarray, y: np.ndarray) -> np.ndarray:
    x = np.zeros(R.shape[1])
    for i in range(R.shape[1] - 1, -1, -1):
        x[i] = (y[i] - R[i, i + 1 :] @ x[i + 1 :]) / R[i, i]
    return x


def least_squares(A, b, *, method: str = "qr") -> LeastSquaresResult:
    """Minimise ``|A x - b|`` for a tall ``A`` (m >= n) of full column rank.

    ``"normal"`` solves the normal equations ``A^T A x = A^T b`` (simple, but
    squares the condition number); ``"qr"`` factors ``A = Q R`` and solves
    ``R x = Q^T b`` by back substitution (the stable route).

    Parameters
    ----------
    A : array_like of shape (m, n)
    b : array_like of shape (m,)
    method : {"qr", "normal"}
    """
    A = check_array("A", A, ndim=2)
    b = check_array("b", b, ndim=1)
    check_choice("method", method, ("qr", "normal"))
    m, n = A.shape
    if b.shape[0] != m:
        raise ValueError(f"b must have {m} entries to match A, got {b.shape[0]}")
    if m < n:
        raise ValueError(f"A must have at least as many rows as columns (m >= n), got {A.shape}")
    if method == "normal":
        try:
            x = solve(A.T @ A, A.T @ b).x
        except ValueError:
            raise ValueError(
                "the columns of A are linearly dependent (A^T A is singular); "
                "give points with different x values"
            ) from None
    else:
        Q, R = np.linalg.qr(A)
        if np.abs(np.diag(R)).min() <= pivot_tolerance(R):
            raise ValueError(
                "the columns of A are linearly dependent (R has a zero on its diagonal); "
                "give points with different x values"
            )
        x = _back_substitute(R, Q.T @ b)
    residuals = b - A @ x
    return LeastSquaresResult(x, residuals, float(residuals @ residuals))


def line_design(x) -> np.ndarray:
    """The design matrix ``[x, 1]`` (m, 2) of a line ``y = slope x + intercept``."""
    x = check_array("x", x, ndim=1)
    return np.column_stack([x, np.ones_like(x)])


class PowerIterationResult(NamedTuple):
    """The path of power iteration ``v <- A v / |A v|``.

    Attributes
    ----------
    vectors : ndarray of shape (steps + 1, n)
        Unit vectors, the start first.
    estimates : ndarray of shape (steps + 1,)
        Rayleigh quotients ``v^T A v``: the eigenvalue estimate at each step.
    errors : ndarray of shape (steps + 1,)
        ``sin`` of the angle to the dominant eigenvector (NaN when there is
        no single dominant real eigenvalue).
    rate : float
        The predicted error ratio per step ``|lambda_2 / lambda_1|``.
    observed_rate : float
        The geometric mean of ``errors[t + 1] / errors[t]`` while the error
        is above rounding level (NaN if it cannot be measured).
    """

    vectors: np.ndarray
    estimates: np.ndarray
    errors: np.ndarray
    rate: float
    observed_rate: float


def power_iteration(A, steps: int, *, v0=None, rng: RngLike = 0) -> PowerIterationResult:
    """Power iteration toward the dominant eigenvector of a square ``A``.

    Writing ``v0 = sum c_i x_i`` over eigenvectors, ``A^t v0 = sum c_i l_i^t x_i``
    is dominated by the largest ``|l_1|``: the other directions shrink by
    ``|l_i / l_1|`` per step.

    Parameters
    ----------
    A : array_like of shape (n, n)
    steps : int
        0..10000.
    v0 : array_like of shape (n,), optional
        Start vector (normalised); a random one from ``rng`` if None.

    Raises
    ------
    ValueError
        If ``v0`` is zero or ``A v`` becomes zero (v in the null space).
    """
    A = check_array("A", A, ndim=2)
    n = A.shape[0]
    if A.shape != (n, n):
        raise ValueError(f"A must be square, got shape {A.shape}")
    steps = check_int("steps", steps, 0, 10_000)
    v = as_rng(rng).standard_normal(n) if v0 is None else check_array("v0", v0, ndim=1).copy()
    if v.shape != (n,):
        raise ValueError(f"v0 must have {n} entries, got {v.shape}")
    norm = np.linalg.norm(v)
    if norm == 0:
        raise ValueError("v0 must not be the zero vector")
    vectors = np.empty((steps + 1, n))
    vectors[0] = v / norm
    # |A v| at rounding level of |A| means v lies in the null space (to working precision)
    tiny = max(1e-300, 1e-12 * float(np.abs(A).max()))
    for t in range(steps):
        w = A @ vectors[t]
        norm = np.linalg.norm(w)
        if norm <= tiny:
            raise ValueError(
                f"A v = 0 at step {t + 1}: the start vector is in A's null space; pick another start"
            )
        vectors[t + 1] = w / norm
    estimates = np.einsum("ti,ij,tj->t", vectors, A, vectors)

    lam, vecs = np.linalg.eig(A)
    order = np.argsort(-np.abs(lam), kind="stable")
    lam, vecs = lam[order], vecs[:, order]
    errors = np.full(steps + 1, np.nan)
    rate = observed = float("nan")
    unique_top = n == 1 or abs(lam[0]) > abs(lam[1]) * (1 + 1e-12)
    if abs(lam[0].imag) < 1e-12 and unique_top:
        top = np.real(vecs[:, 0])
        top /= np.linalg.norm(top)
        # |sin angle| as the length of the part of v off the eigenvector's line:
        # blind to the sign flips of a negative l1, accurate down to rounding
        errors = np.linalg.norm(vectors - np.outer(vectors @ top, top), axis=1)
        rate = float(abs(lam[1]) / abs(lam[0])) if n > 1 else 0.0
        ok = (errors[:-1] > 1e-7) & (errors[1:] > 0)
        if ok.any():
            observed = float(np.exp(np.mean(np.log(errors[1:][ok] / errors[:-1][ok]))))
    elif n > 1:
        rate = float(abs(lam[1]) / abs(lam[0])) if abs(lam[0]) > 0 else float("nan")
    return PowerIterationResult(vectors, estimates, errors, rate, observed)


# -------------------------------------------------------------- typed matrices
MAX_MATRIX_TEXT = 400
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$")


def parse_matrix(text: str, *, name: str = "matrix", max_size: int = 6) -> np.ndarray:
    """Read a matrix typed as rows separated by ``;`` or new lines, entries by spaces or commas.

    Only plain decimal numbers are accepted (a regular expression, never
    ``eval``), so any other text gives a message, not a computation.

    Examples
    --------
    >>> parse_matrix("1 2; 3 4")
    array([[1., 2.],
           [3., 4.]])

    Returns
    -------
    ndarray of shape (rows, cols); a single row typed for a vector comes back as shape (1, cols).
    """
    if not isinstance(text, str):
        raise ValueError(f"{name} must be text, got {type(text).__name__}")
    if len(text) > MAX_MATRIX_TEXT:
        raise ValueError(
            f"{name} is {len(text)} characters long; at most {MAX_MATRIX_TEXT} are read"
        )
    rows = [r for r in re.split(r"[;\n]", text) if r.strip()]
    if not rows:
        raise ValueError(
            f"{name} is empty: type numbers, rows separated by ';' (for example 1 2; 3 4)"
        )
    table = []
    for i, row in enumerate(rows, 1):
        cells = [c for c in re.split(r"[,\s]+", row.strip()) if c]
        for c in cells:
            if not _NUMBER.match(c):
                raise ValueError(
                    f"{name}, row {i}: {c[:20]!r} is not a number (use digits, '.', '-' and 'e')"
                )
        table.append([float(c) for c in cells])
    widths = {len(r) for r in table}
    if len(widths) > 1:
        raise ValueError(
            f"{name}: every row needs the same number of entries, got {sorted(widths)}"
        )
    arr = np.array(table)
    if max(arr.shape) > max_size:
        raise ValueError(
            f"{name} may have at most {max_size} rows and columns, got {arr.shape[0]} x {arr.shape[1]}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(
            f"{name} must contain only finite numbers (an exponent over e308 overflows)"
        )
    return arr


class SystemPreset(NamedTuple):
    """A linear system to start from: ``A`` and ``b`` as typed text, and what it shows."""

    name: str
    A: str
    b: str
    description: str


SYSTEMS: dict[str, SystemPreset] = {
    p.name: p
    for p in (
        SystemPreset("2x2, one solution", "2 1; 1 -3", "5 -1", "two lines crossing at one point"),
        SystemPreset(
            "2x2, needs a row swap",
            "0 2; 3 1",
            "4 5",
            "a zero pivot: partial pivoting swaps the rows",
        ),
        SystemPreset("2x2, no solution", "1 2; 2 4", "3 5", "parallel lines never meet"),
        SystemPreset("2x2, infinitely many", "1 2; 2 4", "3 6", "the same line twice"),
        SystemPreset(
            "3x3, one solution",
            "2 1 -1; -3 -1 2; -2 1 2",
            "8 -11 -3",
            "three planes meeting in one point",
        ),
        SystemPreset(
            "3x3, no solution",
            "1 1 1; 1 2 3; 2 3 4",
            "1 2 4",
            "the planes meet pairwise, never all three",
        ),
        SystemPreset(
            "3x3, infinitely many", "1 1 1; 1 2 3; 2 3 4", "1 2 3", "three planes sharing a line"
        ),
    )
}


def near_singular_system(eps: float, delta: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``A = [[1, 1], [1, 1 + eps]]`` with ``b = [2, 2 + eps]`` (solution (1, 1)) and ``b`` nudged by ``delta``.

    As ``eps -> 0`` the two lines turn parallel: ``cond(A) ~ 4 / eps`` and
    the nudge moves the solution by about ``delta / eps``.

    Returns
    -------
    (A, b, b_nudged)
    """
    eps = check_range("eps", eps, 0.0, 10.0)
    delta = check_range("delta", delta, -1.0, 1.0)
    A = np.array([[1.0, 1.0], [1.0, 1.0 + eps]])
    b = np.array([2.0, 2.0 + eps])
    return A, b, b + np.array([0.0, delta])


def noisy_line(
    n: int, *, slope: float, intercept: float, noise: float, rng: RngLike = 0
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points ``y = slope x + intercept + N(0, noise^2)`` at uniform ``x`` in [-3, 3]."""
    n = check_int("n", n, 2, 10_000)
    noise = check_range("noise", noise, 0.0, 100.0)
    gen = as_rng(rng)
    x = np.sort(gen.uniform(-3.0, 3.0, n))
    return x, slope * x + intercept + gen.normal(0.0, noise, n)
