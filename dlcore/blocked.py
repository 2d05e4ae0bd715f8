"""Matrix products cut into blocks of rows that OpenBLAS runs on one thread each.

Used by the hand-written training passes (:mod:`dlcore.mlp_pass`) and the
batched convolution (:mod:`dlcore.convgrad`): on a busy 2-core machine
OpenBLAS's two-thread products stalled (a CNN epoch took 1.5-7 s instead of
0.3 s; a 1000 x 64 x 64 product ran 10-30x slower), so the large ones are
made of single-thread pieces. Same results up to the order of a sum.
"""

from __future__ import annotations

import numpy as np

__all__ = ["SINGLE_THREAD_MACS", "gram_blocks", "matmul_blocks"]

# OpenBLAS spreads a product of more than about 100^3 multiply-adds over every
# core; on a busy 2-core machine that made a 1000 x 64 x 64 product 10-30x
# slower, and alone it saved little (measured). Larger products are cut into
# blocks of rows under this size, each run on one thread.
SINGLE_THREAD_MACS = 1_000_000


def _block_rows(k: int, m: int) -> int:
    """Rows per block of a product with inner size ``k`` and ``m`` columns (at least 64)."""
    return max(64, SINGLE_THREAD_MACS // (k * m))


def matmul_blocks(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``out = a @ b``, a block of rows of ``a`` at a time (see ``SINGLE_THREAD_MACS``).

    Parameters
    ----------
    a : ndarray of shape (n, k)
    b : ndarray of shape (k, m)
    out : ndarray of shape (n, m), optional
        Written and returned; a new array when not given.
    """
    if out is None:
        out = np.empty((a.shape[0], b.shape[1]), dtype=np.result_type(a, b))
    step = _block_rows(a.shape[1], b.shape[1])
    for r0 in range(0, a.shape[0], step):
        np.matmul(a[r0 : r0 + step], b, out=out[r0 : r0 + step])
    return out


def gram_blocks(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``out = a.T @ b``, summed over blocks of rows (see ``SINGLE_THREAD_MACS``).

    Parameters
    ----------
    a : ndarray of shape (n, k)
    b : ndarray of shape (n, m)
    out : ndarray of shape (k, m), optional
        Written and returned; a new array when not given.
    """
    if out is None:
        out = np.empty((a.shape[1], b.shape[1]), dtype=np.result_type(a, b))
    step = _block_rows(a.shape[1], b.shape[1])
    np.matmul(a[:step].T, b[:step], out=out)
    for r0 in range(step, a.shape[0], step):
        out += a[r0 : r0 + step].T @ b[r0 : r0 + step]
    return out
