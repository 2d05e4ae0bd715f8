"""dlcore.conv against scipy.ndimage, scipy.signal.fftconvolve and (if installed) torch.

Every case is float32, timed in one process, alternating implementations.
The references compute the same numbers: ``ndimage.correlate`` with
``mode="constant"`` and the output cropped to the valid part,
``fftconvolve`` with the flipped kernel in ``"valid"`` mode, torch's
``conv2d``/``max_pool2d`` on a batch of one. torch is a benchmark reference
only; without it those columns are skipped.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage, signal

from bench.timing import Comparison, compare
from dlcore import conv

try:  # optional reference, never a dependency of the app
    import torch
    import torch.nn.functional as F
except ImportError:  # pragma: no cover - depends on the machine
    torch = None


def _ndimage(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Valid cross-correlation of every channel/filter pair with ndimage."""
    kh, kw = w.shape[-2:]
    # ndimage centres the kernel at k // 2: crop to where it fits entirely.
    top, left = kh // 2, kw // 2
    oh, ow = x.shape[-2] - kh + 1, x.shape[-1] - kw + 1
    if w.ndim == 2:
        out = ndimage.correlate(x, w, mode="constant")
        return out[top : top + oh, left : left + ow]
    maps = []
    for o in range(w.shape[0]):
        acc = sum(ndimage.correlate(x[c], w[o, c], mode="constant") for c in range(x.shape[0]))
        maps.append(acc[top : top + oh, left : left + ow])
    return np.stack(maps)


def _ndimage_depthwise(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    kh, kw = w.shape
    out = ndimage.correlate(x, w[None], mode="constant")
    return out[:, kh // 2 : kh // 2 + x.shape[1] - kh + 1, kw // 2 : kw // 2 + x.shape[2] - kw + 1]


def _fftconvolve(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Correlation is convolution with the kernel flipped on every axis it spans."""
    if w.ndim == 2 and x.ndim == 2:
        return signal.fftconvolve(x, w[::-1, ::-1], mode="valid")
    if w.ndim == 2:
        return signal.fftconvolve(x, w[None, ::-1, ::-1], mode="valid", axes=(1, 2))
    # "valid" along the channel axis sums over channels (one output plane per filter).
    return np.stack([signal.fftconvolve(x, w[o, ::-1, ::-1, ::-1], mode="valid")[0] for o in range(w.shape[0])])


def _torch_conv(x: np.ndarray, w: np.ndarray, groups: int = 1):
    xt = torch.from_numpy(x if x.ndim == 3 else x[None])[None]
    wt = torch.from_numpy(np.array(w if w.ndim == 4 else np.broadcast_to(w, (groups, 1, *w.shape))))
    return lambda: F.conv2d(xt, wt, groups=groups)


def _case(title: str, x: np.ndarray, w: np.ndarray, refs: dict, *, groups: int, rounds: int) -> Comparison:
    impls = {"dlcore.conv2d": lambda: conv.conv2d(x, w, groups=groups)}
    impls.update(refs)
    if torch is not None:
        impls["torch conv2d"] = _torch_conv(x, w, groups)
    return compare(title, impls, ours="dlcore.conv2d", rounds=rounds)


def run(quick: bool = False) -> list[Comparison]:
    rng = np.random.default_rng(0)
    big, mid = (256, 128) if quick else (2048, 1024)
    rounds = 3 if quick else 7
    f32 = np.float32
    results = []

    x = rng.random((big, big), dtype=f32)
    w = rng.normal(size=(3, 3)).astype(f32)
    results.append(_case(f"1x{big}x{big}, 3x3 kernel", x, w, {
        "ndimage.correlate": lambda: _ndimage(x, w),
        "signal.fftconvolve": lambda: _fftconvolve(x, w),
    }, groups=1, rounds=rounds))

    x = rng.random((3, mid, mid), dtype=f32)
    w = rng.normal(size=(5, 5)).astype(f32)
    results.append(_case(f"3x{mid}x{mid}, 5x5 kernel per channel (groups=3)", x, w, {
        "ndimage.correlate": lambda: _ndimage_depthwise(x, w),
        "signal.fftconvolve": lambda: _fftconvolve(x, w),
    }, groups=3, rounds=rounds))

    x = rng.random((3, big, big), dtype=f32)
    w = rng.normal(size=(16, 3, 3, 3)).astype(f32)
    # fftconvolve takes about 13 s here (a 3-D transform per filter): timed in quick mode only.
    refs = {"ndimage.correlate": lambda: _ndimage(x, w)}
    if quick:
        refs["signal.fftconvolve"] = lambda: _fftconvolve(x, w)
    results.append(_case(f"3->16 channels, {big}x{big}, 3x3 kernels", x, w, refs, groups=1, rounds=3))

    x = rng.random((mid, mid), dtype=f32)
    w = rng.normal(size=(11, 11)).astype(f32)
    results.append(_case(f"1x{mid}x{mid}, 11x11 kernel", x, w, {
        "ndimage.correlate": lambda: _ndimage(x, w),
        "signal.fftconvolve": lambda: _fftconvolve(x, w),
    }, groups=1, rounds=rounds))

    x = rng.random((3, big, big), dtype=f32)
    pool = {
        "dlcore.max_pool2d": lambda: conv.max_pool2d(x, 2),
        "ndimage.maximum_filter": lambda: ndimage.maximum_filter(x, size=(1, 2, 2), origin=(0, -1, -1))[:, ::2, ::2],
    }
    if torch is not None:
        xt = torch.from_numpy(x)[None]
        pool["torch max_pool2d"] = lambda: F.max_pool2d(xt, 2)
    results.append(compare(f"max-pool 2x2 on 3x{big}x{big}", pool, ours="dlcore.max_pool2d", rounds=rounds))
    return results
