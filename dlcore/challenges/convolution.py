"""Challenge predicates of the Convolution lab (kernels, output sizes, pooling)."""

from __future__ import annotations

import numpy as np

from dlcore.challenges import EXACT as TOL
from dlcore.challenges import Verdict, not_finite


def finds_horizontal_edges(weights, *, typed: bool = True) -> Verdict:
    """Passes for a typed 3x3 kernel that ignores flat areas and vertical edges but not horizontal ones.

    On a ramp ``I(r, c) = c`` (brightness changing left to right: vertical
    edges) the kernel's response is the column-weighted sum
    ``sum K[i, j] j``; on ``I(r, c) = r`` (top to bottom: a horizontal edge)
    it is the row-weighted sum ``sum K[i, j] i``; on a flat area it is ``sum K``.

    Examples
    --------
    >>> finds_horizontal_edges([[1, 2, 1], [0, 0, 0], [-1, -2, -1]]).passed
    True
    >>> finds_horizontal_edges([[1, 0, -1], [2, 0, -2], [1, 0, -1]]).reason
    'It responds to vertical edges (column-weighted sum -8): a horizontal edge detector must not.'
    """
    if not typed:
        return Verdict(False, "Pick Custom and type your own kernel.")
    K = np.asarray(weights, dtype=float)
    if K.shape != (3, 3):
        return Verdict(False, f"Your kernel is {' x '.join(map(str, K.shape))}: make it 3 x 3.")
    if not np.isfinite(K).all():
        return Verdict(False, "Your kernel has a non-finite weight.")
    total, rows, cols = (
        K.sum(),
        (K.sum(axis=1) * np.arange(3)).sum(),
        (K.sum(axis=0) * np.arange(3)).sum(),
    )
    if abs(total) > TOL:
        return Verdict(
            False, f"The weights add up to {total:.3g}: a flat area would light up, not only edges."
        )
    if abs(cols) > TOL:
        return Verdict(
            False,
            f"It responds to vertical edges (column-weighted sum {cols:.3g}): a horizontal edge "
            "detector must not.",
        )
    if abs(rows) <= TOL:
        return Verdict(False, "It does not respond to brightness changing from top to bottom.")
    return Verdict(True, f"Flat: 0, vertical edges: 0, top-to-bottom change: {rows:.3g}.")


def output_is(n: int, out: tuple[int, int] | None, target: int) -> Verdict:
    """Passes when an ``n x n`` input gives a ``target x target`` output (``out`` None: no fit).

    Examples
    --------
    >>> output_is(28, (14, 14), 14).passed
    True
    >>> output_is(28, (28, 28), 14).reason
    'A 28 x 28 input gives 28 x 28 here, not 14 x 14.'
    """
    if out is None:
        return Verdict(False, f"The kernel does not fit a {n} x {n} input at these settings.")
    oh, ow = out
    if (oh, ow) != (target, target):
        return Verdict(False, f"A {n} x {n} input gives {oh} x {ow} here, not {target} x {target}.")
    return Verdict(True, f"A {n} x {n} input gives {oh} x {ow}.")


def keeps_size_by_hand(n: int, out: tuple[int, int] | None, pad_mode: str, side: int) -> Verdict:
    """Passes when a kernel of side at least 5 keeps the size with padding typed as a number.

    Examples
    --------
    >>> keeps_size_by_hand(28, (28, 28), "number", 5).passed
    True
    >>> keeps_size_by_hand(28, (28, 28), "same", 5).passed
    False
    """
    if side < 5:
        return Verdict(False, f"The kernel is {side} wide: use one at least 5 wide.")
    if pad_mode != "number":
        return Verdict(False, f"Padding is '{pad_mode}': set it as a number of pixels yourself.")
    if out is None:
        return Verdict(False, "The kernel does not fit the input at these settings.")
    if tuple(out) != (n, n):
        return Verdict(False, f"A {n} x {n} input gives {out[0]} x {out[1]}: not the same size.")
    return Verdict(True, f"A {side}-wide kernel keeps {n} x {n} with padding you chose.")


def pools_overlap(size: int, stride: int) -> Verdict:
    """Passes when neighbouring pooling windows share pixels: ``stride < size``.

    Examples
    --------
    >>> pools_overlap(3, 2).passed
    True
    >>> pools_overlap(2, 2).reason
    'Windows of 2 moved by 2: they tile the map without sharing a pixel.'
    """
    bad = not_finite(size=size, stride=stride)
    if bad:
        return bad
    if stride == size:
        return Verdict(
            False,
            f"Windows of {size} moved by {stride}: they tile the map without sharing a pixel.",
        )
    if stride > size:
        return Verdict(
            False, f"Windows of {size} moved by {stride}: pixels between them are skipped."
        )
    return Verdict(
        True, f"Windows of {size} moved by {stride} share {size - stride} pixel(s) a side."
    )
