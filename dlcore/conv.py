"""2-D convolution as deep learning defines it: cross-correlation.

``conv2d`` has exactly the semantics of ``torch.nn.functional.conv2d`` without
the batch axis: the kernel is *not* flipped, ``stride``, ``padding`` (an int,
a pair, ``"same"`` or ``"valid"``), ``dilation`` and ``groups`` mean what
they mean in torch, and float32 input gives float32 output.

``conv2d_naive`` is the same computation as plain loops, the reference the
fast version is tested against. The fast version picks one of three routes,
each the fastest measured on these machines for its case (PERFORMANCE.md):

* one filter per channel (grayscale, or RGB with ``groups=3``):
  shift-and-accumulate, ``k*k`` multiply-adds over shifted views of the
  padded image, a band of rows at a time so the sums stay in cache;
* many filters mixing channels: im2col plus one matrix product per block of
  at most 2048 output pixels (larger products go multithreaded in OpenBLAS
  and stall on a busy machine);
* large kernels at stride 1: the FFT, whose cost does not grow with the
  kernel.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from dlcore._pairs import as_pair
from dlcore._validation import check_array, check_int
from dlcore.fftconv import fft_correlate
from dlcore.kernels import (
    KERNELS,
    Kernel,
    box_kernel,
    gaussian_kernel,
    normalize_kernel,
    parse_kernel,
)
from dlcore.pooling import (
    avg_pool2d,
    max_pool2d,
    max_pool2d_backward,
    max_pool2d_indices,
    pool_output_size,
)
from dlcore.shapes import output_size

__all__ = [
    "KERNELS",
    "Kernel",
    "avg_pool2d",
    "box_kernel",
    "conv2d",
    "conv2d_im2col",
    "conv2d_naive",
    "gradient_magnitude",
    "gaussian_kernel",
    "im2col",
    "max_pool2d",
    "max_pool2d_backward",
    "max_pool2d_indices",
    "normalize_kernel",
    "output_size",
    "patch_at",
    "parse_kernel",
    "pool_output_size",
    "resolve_padding",
    "shift_accumulate",
]

MAX_SIDE = 4096
# Kernels with at least this many taps go through the FFT (stride 1 only):
# measured break-even against shift-and-accumulate is about 7 x 7 at 1024 x 1024.
FFT_MIN_TAPS = 49
# Output pixels per matrix product in the im2col route (see module docstring).
MATMUL_COLUMNS = 2048
# Output elements per band in shift-and-accumulate: the running sum and one
# product fit in L2 together.
BAND_ELEMENTS = 32768


def resolve_padding(
    padding, kernel: tuple[int, int], stride: tuple[int, int], dilation: tuple[int, int]
):
    """Padding as (top, bottom, left, right) pixels of zeros.

    ``"same"`` pads ``dilation * (k - 1)`` in total per axis, the extra pixel
    of an even kernel going to the bottom/right, as torch does; like torch it
    needs stride 1 (a strided output cannot keep the input's size).
    """
    if isinstance(padding, str):
        if padding == "valid":
            return 0, 0, 0, 0
        if padding == "same":
            if stride != (1, 1):
                raise ValueError(
                    f"padding='same' needs stride 1, got stride {stride}; use an int padding instead"
                )
            th, tw = dilation[0] * (kernel[0] - 1), dilation[1] * (kernel[1] - 1)
            return th // 2, th - th // 2, tw // 2, tw - tw // 2
        raise ValueError(f"padding must be an int >= 0, a pair, 'same' or 'valid', got {padding!r}")
    ph, pw = as_pair("padding", padding, 0)
    return ph, ph, pw, pw


def _prepare(x, weight, bias, stride, padding, dilation, groups):
    """Validate and bring everything to (C, H, W) and (C_out, C_in/groups, kh, kw)."""
    arr = check_array("x", x, ndim=(2, 3), dtype=None)
    dtype = np.float32 if arr.dtype == np.float32 else np.float64
    xs = arr.astype(dtype, copy=False)
    squeeze = xs.ndim == 2
    if squeeze:
        xs = xs[None]
    c_in = xs.shape[0]
    w = check_array("weight", weight, ndim=(2, 4), dtype=dtype)
    groups = check_int("groups", groups, 1, c_in)
    if w.ndim == 2:
        # One kernel for every channel: depthwise, each channel filtered alone.
        if groups not in (1, c_in):
            raise ValueError(f"groups must be 1 or C_in = {c_in} with a 2-D weight, got {groups}")
        w, groups = np.broadcast_to(w, (c_in, 1, *w.shape)), c_in
    else:
        squeeze = False
        c_out = w.shape[0]
        if c_in % groups or c_out % groups:
            raise ValueError(f"groups must divide C_in = {c_in} and C_out = {c_out}, got {groups}")
        if w.shape[1] != c_in // groups:
            raise ValueError(
                f"weight must have shape (C_out, C_in / groups = {c_in // groups}, kh, kw), got {w.shape}"
            )
    s = as_pair("stride", stride, 1)
    d = as_pair("dilation", dilation, 1)
    kh, kw = w.shape[2:]
    top, bottom, left, right = resolve_padding(padding, (kh, kw), s, d)
    oh = output_size(xs.shape[1], kh, s[0], (top, bottom), d[0], axis="height")
    ow = output_size(xs.shape[2], kw, s[1], (left, right), d[1], axis="width")
    if bias is not None:
        bias = check_array("bias", bias, ndim=1, dtype=dtype)
        if bias.shape[0] != w.shape[0]:
            raise ValueError(f"bias must have C_out = {w.shape[0]} entries, got {bias.shape[0]}")
    xp = np.pad(xs, ((0, 0), (top, bottom), (left, right))) if top + bottom + left + right else xs
    return xp, w, bias, s, d, groups, (oh, ow), squeeze, dtype


def conv2d(
    x: np.ndarray,
    weight: np.ndarray,
    *,
    bias: np.ndarray | None = None,
    stride=1,
    padding=0,
    dilation=1,
    groups: int = 1,
) -> np.ndarray:
    """Cross-correlate an image with a kernel, as ``torch.nn.functional.conv2d``.

    ``out[o, i, j] = bias[o] + sum_{c, a, b} w[o, c, a, b] * xp[g*C_in/groups + c, i*s + a*d, j*s + b*d]``
    where ``xp`` is ``x`` with zero padding and ``g`` the group of ``o``.

    Parameters
    ----------
    x : ndarray of shape (H, W) or (C_in, H, W)
        float32 input gives float32 output; anything else is computed in float64.
    weight : ndarray of shape (kh, kw) or (C_out, C_in / groups, kh, kw)
        Cast to ``x``'s dtype. A 2-D kernel filters every channel on its own.
    bias : ndarray of shape (C_out,), optional
    stride, dilation : int or (int, int)
    padding : int, (int, int), "same" or "valid"
    groups : int
        Split the channels into ``groups`` independent convolutions;
        ``groups = C_in`` filters each channel separately (depthwise).

    Returns
    -------
    ndarray of shape (OH, OW) for 2-D x and weight, (C_in, OH, OW) for 3-D x
    and a 2-D weight, else (C_out, OH, OW); ``OH`` as :func:`output_size`.

    Raises
    ------
    ValueError
        Bad shapes or settings, or a kernel that does not fit the padded input.
    """
    xp, w, bias, s, d, groups, (oh, ow), squeeze, dtype = _prepare(
        x, weight, bias, stride, padding, dilation, groups
    )
    c_out, cin_g, kh, kw = w.shape
    c_in, cout_g = xp.shape[0], c_out // groups
    out = np.empty((c_out, oh, ow), dtype=dtype)
    use_fft = kh * kw >= FFT_MIN_TAPS and s == (1, 1)
    # One filter per channel through the FFT: every channel in one pass.
    passes = 1 if use_fft and cin_g == cout_g == 1 else groups
    cin_g, cout_g = c_in // passes, c_out // passes
    for g in range(passes):
        xg = xp[g * cin_g : (g + 1) * cin_g]
        wg = w[g * cout_g : (g + 1) * cout_g]
        og = out[g * cout_g : (g + 1) * cout_g]
        if use_fft:
            fft_correlate(xg, wg, d, og)
        elif cin_g == 1 and cout_g == 1:
            shift_accumulate(xg[0], wg[0, 0], s, d, og[0])
        else:
            _im2col_matmul(xg, wg, s, d, og)
    if bias is not None:
        out += bias[:, None, None]
    return out[0] if squeeze else out


def shift_accumulate(x: np.ndarray, w: np.ndarray, stride, dilation, out: np.ndarray) -> None:
    """One filter on one channel, as :func:`conv2d` computes it: ``out = sum_ab w[a, b] * shifted x``.

    Instead of visiting the output pixel by pixel, loop over the ``kh * kw``
    kernel taps: for each tap ``(a, b)`` the inputs it multiplies form one
    strided view of ``x`` (rows ``i*s + a*d``, columns ``j*s + b*d``), so a
    tap is one vectorised multiply-add over the whole output. Zero taps are
    skipped. The output is filled a band of rows at a time (about
    ``BAND_ELEMENTS`` values), so the running sum and the product stay in
    cache: on these machines this beat ``scipy.ndimage.correlate`` by 2-3x.

    Parameters
    ----------
    x : ndarray of shape (H, W)
        One channel, already zero-padded.
    w : ndarray of shape (kh, kw)
        The kernel, not flipped (cross-correlation).
    stride, dilation : (int, int)
        Per axis (rows, columns).
    out : ndarray of shape (OH, OW)
        Written in place; ``OH = (H - dilation[0] * (kh - 1) - 1) // stride[0] + 1``
        (as :func:`output_size` with no padding), likewise ``OW``.

    Examples
    --------
    >>> x = np.arange(16.0).reshape(4, 4)
    >>> out = np.empty((2, 2))
    >>> shift_accumulate(x, np.ones((3, 3)), (1, 1), (1, 1), out)
    >>> out
    array([[45., 54.],
           [81., 90.]])
    """
    (sh, sw), (dh, dw) = stride, dilation
    oh, ow = out.shape
    taps = [(a, b, w[a, b]) for a in range(w.shape[0]) for b in range(w.shape[1]) if w[a, b] != 0]
    if not taps:
        out.fill(0)
        return
    band = max(1, BAND_ELEMENTS // ow)
    tmp = np.empty((band, ow), dtype=out.dtype)
    for r0 in range(0, oh, band):
        r1 = min(oh, r0 + band)
        acc, t = out[r0:r1], tmp[: r1 - r0]
        for n, (a, b, wab) in enumerate(taps):
            src = x[
                r0 * sh + a * dh : (r1 - 1) * sh + a * dh + 1 : sh,
                b * dw : b * dw + sw * (ow - 1) + 1 : sw,
            ]
            if n == 0:
                np.multiply(src, wab, out=acc)
            else:
                np.multiply(src, wab, out=t)
                acc += t


def _windows(xp: np.ndarray, kh: int, kw: int, s, d, oh: int, ow: int) -> np.ndarray:
    """View of every receptive field: shape (C, OH, OW, kh, kw), no copy."""
    span_h, span_w = d[0] * (kh - 1) + 1, d[1] * (kw - 1) + 1
    v = sliding_window_view(xp, (span_h, span_w), axis=(1, 2))
    return v[:, :: s[0], :: s[1], :: d[0], :: d[1]][:, :oh, :ow]


def _im2col_matmul(xg: np.ndarray, wg: np.ndarray, s, d, out: np.ndarray) -> None:
    """Many filters: patch matrix times weight matrix, one block of output pixels at a time."""
    cout_g, cin_g, kh, kw = wg.shape
    oh, ow = out.shape[1:]
    view = _windows(xg, kh, kw, s, d, oh, ow).transpose(0, 3, 4, 1, 2)  # (C, kh, kw, OH, OW)
    wmat = np.ascontiguousarray(wg.reshape(cout_g, -1))
    cols_w = min(ow, MATMUL_COLUMNS)
    rows = max(1, MATMUL_COLUMNS // cols_w)
    buf = np.empty((cin_g, kh, kw, rows, cols_w), dtype=out.dtype)
    res = np.empty((cout_g, rows * cols_w), dtype=out.dtype)
    for r0 in range(0, oh, rows):
        r1 = min(oh, r0 + rows)
        for c0 in range(0, ow, cols_w):
            c1 = min(ow, c0 + cols_w)
            nr, nc = r1 - r0, c1 - c0
            cols = buf[..., :nr, :nc]
            np.copyto(cols, view[..., r0:r1, c0:c1])
            block = res[:, : nr * nc]
            np.matmul(wmat, cols.reshape(cin_g * kh * kw, nr * nc), out=block)
            out[:, r0:r1, c0:c1] = block.reshape(cout_g, nr, nc)


def conv2d_naive(
    x: np.ndarray,
    weight: np.ndarray,
    *,
    bias: np.ndarray | None = None,
    stride=1,
    padding=0,
    dilation=1,
    groups: int = 1,
) -> np.ndarray:
    """The readable reference for :func:`conv2d`: one output pixel at a time.

    Same parameters, shapes and dtypes as :func:`conv2d`. For each output
    channel and position, take the input patch the kernel covers (every
    ``dilation``-th pixel, starting at ``stride`` times the position), multiply
    it elementwise by the kernel and add everything up.
    """
    xp, w, bias, (sh, sw), (dh, dw), groups, (oh, ow), squeeze, dtype = _prepare(
        x, weight, bias, stride, padding, dilation, groups
    )
    c_out, cin_g, kh, kw = w.shape
    cout_g = c_out // groups
    out = np.zeros((c_out, oh, ow), dtype=dtype)
    for o in range(c_out):
        g = o // cout_g  # the group this filter belongs to sees only its channels
        channels = xp[g * cin_g : (g + 1) * cin_g]
        for i in range(oh):
            for j in range(ow):
                top, left = i * sh, j * sw
                patch = channels[
                    :, top : top + dh * (kh - 1) + 1 : dh, left : left + dw * (kw - 1) + 1 : dw
                ]
                out[o, i, j] = np.sum(patch * w[o])
        if bias is not None:
            out[o] += bias[o]
    return out[0] if squeeze else out


def im2col(x: np.ndarray, kh: int, kw: int, stride=1, padding=0, dilation=1) -> np.ndarray:
    """The patch matrix: every receptive field as one column (torch's ``unfold``).

    Parameters
    ----------
    x : ndarray of shape (H, W) or (C, H, W)
    kh, kw : int
        Kernel height and width.
    stride, padding, dilation
        As in :func:`conv2d`.

    Returns
    -------
    ndarray of shape (C * kh * kw, OH * OW)
        Rows ordered channel, kernel row, kernel column; columns ordered
        row-major over output positions, so that
        ``weight.reshape(C_out, -1) @ im2col(x, ...)`` reshaped to
        ``(C_out, OH, OW)`` equals ``conv2d(x, weight, ...)``.
    """
    return _unfold(x, kh, kw, stride, padding, dilation)[0]


def _unfold(x, kh, kw, stride, padding, dilation) -> tuple[np.ndarray, int, int]:
    kh = check_int("kh", kh, 1, MAX_SIDE)
    kw = check_int("kw", kw, 1, MAX_SIDE)
    arr = check_array("x", x, ndim=(2, 3), dtype=None)
    xs = arr if arr.ndim == 3 else arr[None]
    probe = np.zeros((1, xs.shape[0], kh, kw))
    xp, _, _, s, d, _, (oh, ow), _, _ = _prepare(xs, probe, None, stride, padding, dilation, 1)
    view = _windows(xp, kh, kw, s, d, oh, ow).transpose(0, 3, 4, 1, 2)
    return view.reshape(xp.shape[0] * kh * kw, oh * ow), oh, ow


class Im2col(NamedTuple):
    """The pieces of a convolution written as one matrix product.

    ``cols`` (K, N): one receptive field per column; ``weights`` (C_out, K):
    one flattened filter per row; ``out`` (C_out, OH, OW) = ``weights @ cols``.
    """

    cols: np.ndarray
    weights: np.ndarray
    out: np.ndarray


def conv2d_im2col(x: np.ndarray, weight: np.ndarray, *, stride=1, padding=0, dilation=1) -> Im2col:
    """Convolution as im2col plus a single matrix product (the textbook route, unchunked).

    Parameters
    ----------
    x : ndarray of shape (H, W) or (C, H, W)
    weight : ndarray of shape (kh, kw) or (C_out, C, kh, kw)
        A 2-D kernel is used as one filter over a single channel.

    Returns
    -------
    Im2col
    """
    w = check_array("weight", weight, ndim=(2, 4))
    w4 = w[None, None] if w.ndim == 2 else w
    cols, oh, ow = _unfold(x, w4.shape[2], w4.shape[3], stride, padding, dilation)
    if cols.shape[0] != w4[0].size:
        raise ValueError(
            f"weight must have C = {cols.shape[0] // (w4.shape[2] * w4.shape[3])} input channels, "
            f"got shape {w.shape}"
        )
    weights = w4.reshape(w4.shape[0], -1).astype(cols.dtype)
    out = (weights @ cols).reshape(w4.shape[0], oh, ow)
    return Im2col(cols, weights, out)


class ImageGradient(NamedTuple):
    """Sobel derivatives and the gradient magnitude ``sqrt(gx^2 + gy^2)``, same shapes."""

    gx: np.ndarray
    gy: np.ndarray
    magnitude: np.ndarray


def gradient_magnitude(x: np.ndarray, *, stride=1, padding=1, dilation=1) -> ImageGradient:
    """Edge strength in every direction from the Sobel x and y responses.

    Parameters
    ----------
    x : ndarray of shape (H, W) or (C, H, W)
        Channels are filtered separately.
    stride, padding, dilation
        As in :func:`conv2d`.
    """
    gx = conv2d(x, KERNELS["Sobel x"].array(), stride=stride, padding=padding, dilation=dilation)
    gy = conv2d(x, KERNELS["Sobel y"].array(), stride=stride, padding=padding, dilation=dilation)
    return ImageGradient(gx, gy, np.hypot(gx, gy))


class Patch(NamedTuple):
    """The input pixels one output pixel sees: ``values`` (C, kh, kw); ``rows``/``cols`` their positions."""

    values: np.ndarray
    rows: np.ndarray
    cols: np.ndarray


def patch_at(
    x: np.ndarray,
    kernel_shape: tuple[int, int],
    row: int,
    col: int,
    *,
    stride=1,
    padding=0,
    dilation=1,
) -> Patch:
    """The receptive field of output pixel ``(row, col)`` of :func:`conv2d`.

    Positions are in input coordinates, negative or past the edge where the
    kernel lies on the zero padding (those values are 0).

    Parameters
    ----------
    x : ndarray of shape (H, W) or (C, H, W)
    kernel_shape : (kh, kw)
    row, col : int
        Output position, within the output's shape.
    """
    arr = check_array("x", x, ndim=(2, 3), dtype=None)
    xs = arr if arr.ndim == 3 else arr[None]
    kh, kw = as_pair("kernel_shape", tuple(kernel_shape), 1)
    s, d = as_pair("stride", stride, 1), as_pair("dilation", dilation, 1)
    top, bottom, left, right = resolve_padding(padding, (kh, kw), s, d)
    oh = output_size(xs.shape[1], kh, s[0], (top, bottom), d[0], axis="height")
    ow = output_size(xs.shape[2], kw, s[1], (left, right), d[1], axis="width")
    row, col = check_int("row", row, 0, oh - 1), check_int("col", col, 0, ow - 1)
    rows = row * s[0] - top + d[0] * np.arange(kh)
    cols = col * s[1] - left + d[1] * np.arange(kw)
    inside = (
        (rows[:, None] >= 0)
        & (rows[:, None] < xs.shape[1])
        & (cols[None] >= 0)
        & (cols[None] < xs.shape[2])
    )
    values = np.where(
        inside, xs[:, np.clip(rows, 0, xs.shape[1] - 1)][:, :, np.clip(cols, 0, xs.shape[2] - 1)], 0
    )
    return Patch(values.astype(xs.dtype), rows, cols)
