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


def _torch():
    """torch.nn.functional if installed: a benchmark reference only, never needed.

    Imported only for full runs, so the quick run (part of the test suite)
    never loads torch.
    """
    try:
        import torch.nn.functional as functional
    except ImportError:  # pragma: no cover - depends on the machine
        return None
    return functional


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
    return np.stack(
        [signal.fftconvolve(x, w[o, ::-1, ::-1, ::-1], mode="valid")[0] for o in range(w.shape[0])]
    )


def _torch_conv(F, x: np.ndarray, w: np.ndarray, groups: int = 1):
    import torch

    xt = torch.from_numpy(x if x.ndim == 3 else x[None])[None]
    wt = torch.from_numpy(np.array(w if w.ndim == 4 else np.broadcast_to(w, (groups, 1, *w.shape))))
    return lambda: F.conv2d(xt, wt, groups=groups)


def _case(
    title: str, x: np.ndarray, w: np.ndarray, *, groups: int, rounds: int, F=None
) -> Comparison:
    impls = {
        "dlcore.conv2d": lambda: conv.conv2d(x, w, groups=groups),
        "ndimage.correlate": (lambda: _ndimage_depthwise(x, w))
        if groups > 1
        else (lambda: _ndimage(x, w)),
    }
    note = ""
    if w.ndim == 2:
        impls["signal.fftconvolve"] = lambda: _fftconvolve(x, w)
    else:  # a 3-D transform per filter: ~13 s at 3 x 2048 x 2048 (measured), far behind
        note, rounds = "fftconvolve omitted: ~13 s here", min(rounds, 3)
    if F is not None:
        impls["torch conv2d"] = _torch_conv(F, x, w, groups)
    return compare(title, impls, ours="dlcore.conv2d", rounds=rounds, note=note)


def run(quick: bool = False) -> list[Comparison]:
    rng = np.random.default_rng(0)
    big, mid = (128, 64) if quick else (2048, 1024)
    rounds = 3 if quick else 7
    F = None if quick else _torch()
    f32 = np.float32
    cases = [
        (f"1x{big}x{big}, 3x3 kernel", (big, big), (3, 3), 1),
        (f"3x{mid}x{mid}, 5x5 kernel per channel (groups=3)", (3, mid, mid), (5, 5), 3),
        (f"3->16 channels, {big}x{big}, 3x3 kernels", (3, big, big), (16, 3, 3, 3), 1),
        (f"1x{mid}x{mid}, 11x11 kernel", (mid, mid), (11, 11), 1),
    ]
    results = [
        _case(
            title,
            rng.random(x_shape, dtype=f32),
            rng.normal(size=w_shape).astype(f32),
            groups=groups,
            rounds=rounds,
            F=F,
        )
        for title, x_shape, w_shape, groups in cases
    ]

    x = rng.random((3, big, big), dtype=f32)
    pool = {
        "dlcore.max_pool2d": lambda: conv.max_pool2d(x, 2),
        "ndimage.maximum_filter": lambda: ndimage.maximum_filter(
            x, size=(1, 2, 2), origin=(0, -1, -1)
        )[:, ::2, ::2],
    }
    if F is not None:
        import torch

        xt = torch.from_numpy(x)[None]
        pool["torch max_pool2d"] = lambda: F.max_pool2d(xt, 2)
    results.append(
        compare(f"max-pool 2x2 on 3x{big}x{big}", pool, ours="dlcore.max_pool2d", rounds=rounds)
    )
    return results
