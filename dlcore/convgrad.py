"""Convolution and max pooling over a batch, with their backward passes.

The forward passes are :func:`dlcore.conv.conv2d` and
:func:`dlcore.pooling.max_pool2d` with a batch axis in front, as in
``torch.nn.functional``: ``x`` of shape ``(N, C, H, W)``. The backward passes
are written out, vectorised (no loop over pixels):

* convolution is im2col plus one matrix product, ``out = W_mat @ cols`` per
  position, so ``dL/dW_mat = g^T cols`` and ``dL/dcols = g W_mat``; col2im
  adds each column's gradient back onto the input pixels it was read from,
  one strided slice per kernel tap (``kh * kw`` slices, whatever the image size);
* max pooling sends each output's gradient to the input that won its window
  (one ``bincount`` over the winners' flat indices; a pixel that wins two
  overlapping windows collects both).

:func:`conv2d_tensor` and :func:`max_pool2d_tensor` wrap them as
:class:`dlcore.autograd.Tensor` operations, so a CNN trains with the same
``backward()`` as the MLPs.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from dlcore._pairs import as_pair
from dlcore._validation import check_array
from dlcore.autograd import Tensor, op
from dlcore.blocked import gram_blocks, matmul_blocks
from dlcore.conv import resolve_padding
from dlcore.shapes import output_size

__all__ = [
    "ConvCache",
    "PoolCache",
    "conv2d_batch",
    "conv2d_batch_backward",
    "conv2d_tensor",
    "max_pool2d_batch",
    "max_pool2d_batch_backward",
    "max_pool2d_tensor",
]


class ConvCache(NamedTuple):
    """What the backward pass of :func:`conv2d_batch` needs.

    ``cols`` (N * OH * OW, C * kh * kw): one receptive field per row;
    ``x_shape`` (N, C, H, W); ``pads`` (top, bottom, left, right);
    ``stride``, ``dilation`` pairs; ``kernel`` (kh, kw).
    """

    cols: np.ndarray
    x_shape: tuple[int, int, int, int]
    pads: tuple[int, int, int, int]
    stride: tuple[int, int]
    dilation: tuple[int, int]
    kernel: tuple[int, int]


def _geometry(x_shape, kernel, stride, padding, dilation):
    s, d = as_pair("stride", stride, 1), as_pair("dilation", dilation, 1)
    pads = resolve_padding(padding, kernel, s, d)
    oh = output_size(x_shape[2], kernel[0], s[0], pads[:2], d[0], axis="height")
    ow = output_size(x_shape[3], kernel[1], s[1], pads[2:], d[1], axis="width")
    return s, d, pads, oh, ow


def conv2d_batch(
    x: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None = None,
    *,
    stride=1,
    padding=0,
    dilation=1,
) -> tuple[np.ndarray, ConvCache]:
    """``torch.nn.functional.conv2d`` on a batch (groups = 1), and the cache for backward.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
    weight : ndarray of shape (O, C, kh, kw)
    bias : ndarray of shape (O,), optional
    stride, dilation : int or (int, int)
    padding : int, (int, int), "same" or "valid"

    Returns
    -------
    out : ndarray of shape (N, O, OH, OW), in x's dtype (float32 stays float32)
    cache : ConvCache
    """
    xs = check_array("x", x, ndim=4, dtype=None)
    dtype = np.float32 if xs.dtype == np.float32 else np.float64
    xs = xs.astype(dtype, copy=False)
    w = check_array("weight", weight, ndim=4, dtype=dtype)
    if w.shape[1] != xs.shape[1]:
        raise ValueError(f"weight must have C = {xs.shape[1]} input channels, got shape {w.shape}")
    n, c, _, _ = xs.shape
    o, _, kh, kw = w.shape
    s, d, (t, b, le, r), oh, ow = _geometry(xs.shape, (kh, kw), stride, padding, dilation)
    xp = np.pad(xs, ((0, 0), (0, 0), (t, b), (le, r))) if t + b + le + r else xs
    win = sliding_window_view(xp, (d[0] * (kh - 1) + 1, d[1] * (kw - 1) + 1), axis=(2, 3))
    win = win[:, :, : s[0] * (oh - 1) + 1 : s[0], : s[1] * (ow - 1) + 1 : s[1], :: d[0], :: d[1]]
    # (N, C, OH, OW, kh, kw) -> rows (n, i, j), columns (c, a, b) as torch's unfold
    cols = np.ascontiguousarray(win.transpose(0, 2, 3, 1, 4, 5)).reshape(n * oh * ow, c * kh * kw)
    out = matmul_blocks(cols, np.ascontiguousarray(w.reshape(o, -1).T))
    if bias is not None:
        out += check_array("bias", bias, ndim=1, dtype=dtype)
    out = out.reshape(n, oh, ow, o).transpose(0, 3, 1, 2)
    return np.ascontiguousarray(out), ConvCache(cols, xs.shape, (t, b, le, r), s, d, (kh, kw))


def conv2d_batch_backward(
    grad_out: np.ndarray, weight: np.ndarray, cache: ConvCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of :func:`conv2d_batch` with respect to x, weight and bias.

    Parameters
    ----------
    grad_out : ndarray of shape (N, O, OH, OW)
        ``dL/d(out)``.
    weight : ndarray of shape (O, C, kh, kw)
    cache : ConvCache
        From the forward pass.

    Returns
    -------
    grad_x : ndarray of shape (N, C, H, W)
    grad_weight : ndarray of shape (O, C, kh, kw)
    grad_bias : ndarray of shape (O,)
    """
    n, c, h, w_ = cache.x_shape
    o = weight.shape[0]
    (kh, kw), (sh, sw), (dh, dw) = cache.kernel, cache.stride, cache.dilation
    t, b, le, r = cache.pads
    oh, ow = grad_out.shape[2:]
    g = np.ascontiguousarray(grad_out.transpose(0, 2, 3, 1)).reshape(-1, o)
    grad_weight = gram_blocks(g, cache.cols).reshape(weight.shape)
    grad_bias = g.sum(axis=0)
    dcols = (
        matmul_blocks(g, weight.reshape(o, -1))
        .reshape(n, oh, ow, c, kh, kw)
        .transpose(0, 3, 4, 5, 1, 2)
    )
    # col2im: every kernel tap (a, b) read a strided grid of the padded input; add its gradient back.
    dxp = np.zeros((n, c, h + t + b, w_ + le + r), dtype=g.dtype)
    for a in range(kh):
        for bb in range(kw):
            rows = slice(a * dh, a * dh + sh * (oh - 1) + 1, sh)
            cols = slice(bb * dw, bb * dw + sw * (ow - 1) + 1, sw)
            dxp[:, :, rows, cols] += dcols[:, :, a, bb]
    return dxp[:, :, t : t + h, le : le + w_], grad_weight, grad_bias


class PoolCache(NamedTuple):
    """Where each max-pool output came from: flat indices into the input, and its shape."""

    winners: np.ndarray
    x_shape: tuple[int, int, int, int]


def max_pool2d_batch(x: np.ndarray, size, stride=None) -> tuple[np.ndarray, PoolCache]:
    """``torch.nn.functional.max_pool2d`` on a batch (floor mode, no padding).

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
    size : int or (int, int)
    stride : int or (int, int), optional
        Defaults to ``size``.

    Returns
    -------
    out : ndarray of shape (N, C, OH, OW)
    cache : PoolCache
        On ties the first maximum in row-major window order wins, as in torch.
    """
    xs = check_array("x", x, ndim=4, dtype=None)
    kh, kw = as_pair("size", size, 1)
    sh, sw = (kh, kw) if stride is None else as_pair("stride", stride, 1)
    n, c, h, w = xs.shape
    if kh > h or kw > w:
        raise ValueError(f"size must fit the input {h} x {w}, got a {kh} x {kw} window")
    oh, ow = output_size(h, kh, sh), output_size(w, kw, sw)
    win = sliding_window_view(xs, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw][:, :, :oh, :ow]
    flat = win.reshape(n, c, oh, ow, kh * kw)
    local = flat.argmax(axis=-1)
    out = np.take_along_axis(flat, local[..., None], axis=-1)[..., 0]
    rows = np.arange(oh)[:, None] * sh + local // kw
    cols = np.arange(ow)[None, :] * sw + local % kw
    plane = np.arange(n * c).reshape(n, c, 1, 1) * (h * w)
    return out, PoolCache(plane + rows * w + cols, xs.shape)


def max_pool2d_batch_backward(grad_out: np.ndarray, cache: PoolCache) -> np.ndarray:
    """Gradient of :func:`max_pool2d_batch`: each output's gradient to its window's winner.

    Parameters
    ----------
    grad_out : ndarray of shape (N, C, OH, OW)
    cache : PoolCache

    Returns
    -------
    ndarray of shape (N, C, H, W)
    """
    size = int(np.prod(cache.x_shape))
    g = np.asarray(grad_out)
    grad = np.bincount(cache.winners.ravel(), weights=g.ravel(), minlength=size)
    return grad.astype(g.dtype, copy=False).reshape(cache.x_shape)


def conv2d_tensor(
    x: Tensor, weight: Tensor, bias: Tensor | None = None, *, stride=1, padding=0, dilation=1
) -> Tensor:
    """:func:`conv2d_batch` as an autograd operation (x, weight, bias all receive gradients).

    Parameters
    ----------
    x : Tensor of shape (N, C, H, W)
    weight : Tensor of shape (O, C, kh, kw)
    bias : Tensor of shape (O,), optional
    """
    out, cache = conv2d_batch(
        x.data, weight.data, None if bias is None else bias.data,
        stride=stride, padding=padding, dilation=dilation,
    )  # fmt: skip
    w = weight.data

    def vjp(g: np.ndarray) -> tuple[np.ndarray, ...]:
        gx, gw, gb = conv2d_batch_backward(g, w, cache)
        return (gx, gw) if bias is None else (gx, gw, gb)

    parents = (x, weight) if bias is None else (x, weight, bias)
    return op(out, parents, "conv2d", vjp)


def max_pool2d_tensor(x: Tensor, size, stride=None) -> Tensor:
    """:func:`max_pool2d_batch` as an autograd operation.

    Parameters
    ----------
    x : Tensor of shape (N, C, H, W)
    """
    out, cache = max_pool2d_batch(x.data, size, stride)
    return op(out, (x,), "max-pool", lambda g: (max_pool2d_batch_backward(g, cache),))
