"""Valid cross-correlation by real 2-D FFTs: the large-kernel route of :func:`dlcore.conv.conv2d`.

Split from :mod:`dlcore.conv` because the speed of this route rests on
details of NumPy's FFT (which direction is scaled, how many large
temporaries are made), explained in :func:`fft_correlate`. The reference it
is tested against is :func:`dlcore.conv.conv2d_naive`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["FFT_BLOCK_ELEMENTS", "fast_len", "fft_correlate"]

# Complex values per block of spectrum columns (and real values per band of
# rows): 64 columns of a 1024-row spectrum, 512 KiB, stay in L2.
FFT_BLOCK_ELEMENTS = 65536


def fast_len(n: int) -> int:
    """Smallest 2^a 3^b 5^c >= n, a length pocketfft transforms quickly."""
    best = 1 << (n - 1).bit_length()
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            m = p35
            while m < n:
                m *= 2
            best = min(best, m)
            p35 *= 3
        p5 *= 5
    return best


def fft_correlate(x: np.ndarray, w: np.ndarray, d, out: np.ndarray) -> None:
    """Valid cross-correlation of an image with large kernels at stride 1, by real FFTs.

    The circular correlation of size M x N >= H x W equals the valid one on
    its first OH x OW values (nothing wraps there), so no padding beyond the
    next fast length (:func:`fast_len`) is needed. The work, in one spectrum
    buffer of shape (C, M, N // 2 + 1):

    1. rows: ``rfft`` of every image row, written straight into the buffer;
    2. columns, a block of spectrum columns at a time (about
       ``FFT_BLOCK_ELEMENTS`` values, in cache): forward FFT down the columns,
       times the kernel's conjugate spectrum (its few nonzero rows were
       transformed once), inverse FFT down the columns;
    3. rows: ``irfft`` of only the first OH rows, cropped to OW on the way out.

    NumPy 2.4 runs float32 transforms natively but 2-10x slower in the
    unscaled direction (measured), so every transform here is a scaled one:
    the forward ones with ``norm="forward"`` (1/N), the inverse with the
    default (1/N); the kernel, tiny in space, is multiplied by ``(M N)^2`` to
    make the product exactly ``X conj(K)``. Large temporaries are few on
    purpose: a fresh 4 MB array costs about as much as one transform here.

    Parameters
    ----------
    x : ndarray of shape (C, H, W)
        Already zero-padded; float32 or float64, as ``out``.
    w : ndarray of shape (C, 1, kh, kw) or (C_out, C, kh, kw)
        One filter per channel (each channel filtered alone; a kernel shared
        by all channels is transformed once), or filters that sum over all
        channels.
    d : (int, int)
        Dilation per axis.
    out : ndarray of shape (C_out, OH, OW)
        Written in place; ``OH = H - d[0] * (kh - 1)``, likewise ``OW``.
    """
    c, h = x.shape[:2]
    c_out, _, kh, kw = w.shape
    m, n = fast_len(h), fast_len(x.shape[2])
    ctype = np.result_type(out.dtype, np.complex64)
    spec = np.empty((c, m, n // 2 + 1), dtype=ctype)
    np.fft.rfft(x, n=n, axis=-1, norm="forward", out=spec[:, :h])
    spec[:, h:] = 0
    kernel = np.zeros((*w.shape[:2], d[0] * (kh - 1) + 1, d[1] * (kw - 1) + 1), dtype=out.dtype)
    kernel[:, :, :: d[0], :: d[1]] = w * out.dtype.type(float(m * n) ** 2)
    depthwise = w.shape[1] == 1 and c_out == c
    if depthwise:
        kernel = kernel[:, 0]
        if (kernel == kernel[0]).all():  # one kernel for every channel: transform it once
            kernel = kernel[:1]
    # The kernel's few rows are transformed here, its columns block by block below.
    krows = np.fft.rfft(kernel, n=n, axis=-1, norm="forward")
    result = spec if depthwise else np.empty((c_out, m, n // 2 + 1), dtype=ctype)
    block = max(8, FFT_BLOCK_ELEMENTS // (c * m))
    kbuf = np.zeros((*krows.shape[:-2], m, block), dtype=ctype)
    for c0 in range(0, spec.shape[-1], block):
        cols = slice(c0, min(spec.shape[-1], c0 + block))
        xf = spec[..., cols]
        np.fft.fft(xf, axis=-2, norm="forward", out=xf)
        kf = kbuf[..., : xf.shape[-1]]
        kf[..., : krows.shape[-2], :] = krows[..., cols]
        kf[..., krows.shape[-2] :, :] = 0
        np.fft.fft(kf, axis=-2, norm="forward", out=kf)
        np.conjugate(kf, out=kf)
        rf = result[..., cols]
        if depthwise:
            rf *= kf
        else:
            np.einsum("chw,ochw->ohw", xf, kf, out=rf)
        np.fft.ifft(rf, axis=-2, out=rf)
    _irfft_rows_cropped(result, n, out)


def _irfft_rows_cropped(spec: np.ndarray, n: int, out: np.ndarray) -> None:
    """Inverse real FFTs of length ``n`` along the rows of ``spec``, cropped into ``out``.

    Only the rows ``out`` keeps are transformed, a band at a time into a small
    buffer, and cropped to ``out``'s width as they are copied.

    Parameters
    ----------
    spec : ndarray of shape (C, M, n // 2 + 1)
        Half spectra along the last axis, M >= OH.
    n : int
        Length of each inverse transform, n >= OW.
    out : ndarray of shape (C, OH, OW)
        Written in place.
    """
    c, oh, ow = out.shape
    band = max(1, FFT_BLOCK_ELEMENTS // (c * n))
    tmp = np.empty((c, band, n), dtype=out.dtype)
    for r0 in range(0, oh, band):
        r1 = min(oh, r0 + band)
        rows = tmp[:, : r1 - r0]
        np.fft.irfft(spec[:, r0:r1], n=n, axis=-1, out=rows)
        out[:, r0:r1] = rows[..., :ow]
