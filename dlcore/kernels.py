"""Classic image kernels, and reading a user-typed kernel safely.

``KERNELS`` maps a display name to a :class:`Kernel` spec. Kernels are given
for cross-correlation (the convention of deep learning), so Sobel x responds
positively where the image gets brighter to the right.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dlcore._validation import check_array, check_int, check_range
from dlcore.tex import tex_matrix

__all__ = [
    "KERNELS",
    "MAX_KERNEL",
    "Kernel",
    "box_kernel",
    "gaussian_kernel",
    "normalize_kernel",
    "parse_kernel",
]

MAX_KERNEL = 11
MAX_KERNEL_TEXT = 2000


def _odd_size(size: int) -> int:
    return check_int("size", size, 1, MAX_KERNEL)


def gaussian_kernel(size: int = 5, sigma: float = 1.0) -> np.ndarray:
    """Sampled 2-D Gaussian, normalised to sum 1.

    Parameters
    ----------
    size : int in [1, 11]
        Side of the square kernel, centred (an even size puts the centre
        between pixels).
    sigma : float in [0.1, 10]
        Standard deviation in pixels.

    Returns
    -------
    ndarray of shape (size, size)
    """
    size = _odd_size(size)
    sigma = check_range("sigma", sigma, 0.1, 10.0)
    u = np.arange(size) - (size - 1) / 2
    g = np.exp(-(u**2) / (2 * sigma**2))
    k = np.outer(g, g)  # separable: G(u, v) = g(u) g(v)
    return k / k.sum()


def box_kernel(size: int = 3) -> np.ndarray:
    """All ``1 / size^2``: the mean of the window. Shape (size, size)."""
    size = _odd_size(size)
    return np.full((size, size), 1.0 / size**2)


def _motion(size: int = 5) -> np.ndarray:
    size = _odd_size(size)
    return np.eye(size) / size


def _fixed(rows: tuple[tuple[float, ...], ...]) -> Callable[..., np.ndarray]:
    arr = tuple(tuple(float(v) for v in row) for row in rows)

    def build() -> np.ndarray:
        return np.array(arr)

    return build


@dataclass(frozen=True)
class Kernel:
    """A named kernel.

    Attributes
    ----------
    name : str
    latex : str
        The kernel (or its formula) in LaTeX.
    description : str
        What it does to an image, in a sentence.
    build : callable
        ``build(**params) -> ndarray of shape (kh, kw)``.
    params : tuple of str
        Which of ``size`` and ``sigma`` ``build`` takes.
    """

    name: str
    latex: str
    description: str
    build: Callable[..., np.ndarray]
    params: tuple[str, ...] = ()

    def array(self, *, size: int = 3, sigma: float = 1.0) -> np.ndarray:
        """The kernel for these parameters (those it does not take are ignored)."""
        given = {"size": size, "sigma": sigma}
        return self.build(**{p: given[p] for p in self.params})


# (name, weights, what it does): the fixed 3 x 3 kernels, written for cross-correlation.
_FIXED: tuple[tuple[str, tuple[tuple[float, ...], ...], str], ...] = (
    (
        "Identity",
        ((0, 0, 0), (0, 1, 0), (0, 0, 0)),
        "Copies the image: the only 1 is at the centre.",
    ),
    (
        "Sharpen",
        ((0, -1, 0), (-1, 5, -1), (0, -1, 0)),
        "Identity plus a negative Laplacian: boosts edges.",
    ),
    (
        "Sobel x",
        ((-1, 0, 1), (-2, 0, 2), (-1, 0, 1)),
        "Horizontal derivative, smoothed vertically: bright on dark-to-light left-to-right.",
    ),
    (
        "Sobel y",
        ((-1, -2, -1), (0, 0, 0), (1, 2, 1)),
        "Vertical derivative, smoothed horizontally: bright on dark-to-light top-to-bottom.",
    ),
    (
        "Laplacian",
        ((0, 1, 0), (1, -4, 1), (0, 1, 0)),
        "Second derivative: zero on flat areas and ramps, large at edges.",
    ),
    (
        "Emboss",
        ((-2, -1, 0), (-1, 1, 1), (0, 1, 2)),
        "A diagonal derivative plus the image: looks raised.",
    ),
    (
        "Outline",
        ((-1, -1, -1), (-1, 8, -1), (-1, -1, -1)),
        "Centre minus its neighbours: outlines edges in every direction.",
    ),
)

KERNELS: dict[str, Kernel] = {
    "Identity": Kernel(
        "Identity",
        tex_matrix(_FIXED[0][1], digits=6, env="bmatrix"),
        _FIXED[0][2],
        _fixed(_FIXED[0][1]),
    ),
    "Box blur": Kernel(
        "Box blur",
        r"\frac{1}{n^2}\mathbf{1}_{n \times n}",
        "The mean of the window: blurs, keeps the mean.",
        box_kernel,
        ("size",),
    ),
    "Gaussian blur": Kernel(
        "Gaussian blur",
        r"G(u, v) = \frac{1}{Z} e^{-(u^2 + v^2) / 2\sigma^2}",
        "A weighted mean, nearer pixels count more: a smoother blur than the box.",
        gaussian_kernel,
        ("size", "sigma"),
    ),
    "Motion blur": Kernel(
        "Motion blur",
        r"\frac{1}{n} I_n",
        "The mean along a diagonal: a camera moving while the shutter is open.",
        _motion,
        ("size",),
    ),
    **{
        name: Kernel(name, tex_matrix(rows, digits=6, env="bmatrix"), text, _fixed(rows))
        for name, rows, text in _FIXED[1:]
    },
}


def normalize_kernel(weight: np.ndarray) -> np.ndarray:
    """Scale a kernel so that it keeps the brightness of flat regions.

    A kernel whose weights sum to ``S != 0`` is divided by ``S`` (its output
    on a constant image equals that constant). A zero-sum kernel (an edge
    detector) has no such scale; it is divided by the sum of its absolute
    values instead, so outputs stay within the input's range.

    Parameters
    ----------
    weight : ndarray of shape (kh, kw)

    Returns
    -------
    ndarray of shape (kh, kw)
    """
    w = check_array("weight", weight, ndim=2)
    total, mass = w.sum(), np.abs(w).sum()
    if mass == 0:
        raise ValueError("weight must have a non-zero entry to be normalised")
    if abs(total) > 1e-9 * mass:
        return w / total
    return w / mass


_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _cell(text: str, row: int, col: int) -> float:
    """One cell: a decimal number or a fraction ``a/b``, read without eval."""
    parts = text.split("/")
    if len(parts) > 2 or not all(_NUMBER.match(p) for p in parts):
        raise ValueError(
            f"kernel cell in row {row}, column {col} must be a number such as 2, -0.5 or 1/9, "
            f"got {text!r}"
        )
    numbers = [float(p) for p in parts]
    if len(numbers) == 2 and numbers[1] == 0:
        raise ValueError(f"kernel cell in row {row}, column {col} divides by zero: {text!r}")
    value = numbers[0] / numbers[1] if len(numbers) == 2 else numbers[0]
    if not np.isfinite(value) or abs(value) > 1e6:
        raise ValueError(
            f"kernel cell in row {row}, column {col} must be within [-1e6, 1e6], got {text!r}"
        )
    return value


def parse_kernel(text: str) -> np.ndarray:
    """Read a kernel typed as rows of numbers.

    Rows are separated by new lines or ``;``, cells by spaces or commas;
    a cell is a decimal number or a fraction such as ``1/9``.

    Returns
    -------
    ndarray of shape (kh, kw), 1 <= kh, kw <= 11

    Raises
    ------
    ValueError
        Empty text or cells, a cell that is not a number, ragged rows or a
        kernel larger than 11 x 11, with the row and column at fault.
    """
    if not isinstance(text, str):
        raise ValueError(f"kernel text must be a string, got {type(text).__name__}")
    if len(text) > MAX_KERNEL_TEXT:
        raise ValueError(
            f"kernel text must be at most {MAX_KERNEL_TEXT} characters, got {len(text)}"
        )
    lines = [line.strip() for line in re.split(r"[;\n]", text)]
    lines = [line for line in lines if line]
    if not lines:
        raise ValueError("kernel is empty: type rows of numbers, e.g. '0 -1 0; -1 5 -1; 0 -1 0'")
    if len(lines) > MAX_KERNEL:
        raise ValueError(f"kernel must have at most {MAX_KERNEL} rows, got {len(lines)}")
    rows = []
    for r, line in enumerate(lines, start=1):
        # Commas mark cells explicitly (so ",," is an empty cell); else whitespace.
        cells = [c.strip() for c in line.split(",")] if "," in line else line.split()
        for c, cell in enumerate(cells, start=1):
            if not cell:
                raise ValueError(
                    f"kernel cell in row {r}, column {c} is empty: every cell needs a number"
                )
        if len(cells) > MAX_KERNEL:
            raise ValueError(
                f"kernel must have at most {MAX_KERNEL} columns, row {r} has {len(cells)}"
            )
        rows.append([_cell(cell, r, c) for c, cell in enumerate(cells, start=1)])
    widths = {len(row) for row in rows}
    if len(widths) > 1:
        raise ValueError(
            "kernel rows must all have the same number of cells, got "
            + ", ".join(str(len(row)) for row in rows)
        )
    return np.array(rows, dtype=float)
