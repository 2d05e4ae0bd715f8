"""Pixels: the one luminance formula of the lab, and the one PNG encoder.

ITU-R BT.601 luma weights, the ones Pillow's ``convert("L")``, OpenCV's
``cvtColor(..., COLOR_RGB2GRAY)`` and torchvision's ``rgb_to_grayscale`` use:
green counts most because the eye is most sensitive to it.
"""

from __future__ import annotations

import struct
import zlib
from typing import Any

import numpy as np

#: R, G, B weights of ITU-R BT.601 luma; they sum to 1, so white stays 1.
BT601 = np.array([0.299, 0.587, 0.114], dtype=np.float32)


def to_gray(img: Any) -> np.ndarray:
    """The luminance of an RGB image; a gray image is returned as it is.

    Parameters
    ----------
    img : array_like of shape (H, W, 3) or (H, W)
        Values in any range (the weights sum to 1, so [0, 1] stays [0, 1]).

    Returns
    -------
    ndarray of shape (H, W), float32
    """
    x = np.asarray(img, dtype=np.float32)
    if x.ndim == 2:
        return x
    if x.ndim != 3 or x.shape[2] != 3:
        raise ValueError(f"img must have shape (H, W) or (H, W, 3), got {x.shape}")
    return x @ BT601


#: PNG colour types by channel count: gray, RGB, RGBA.
_COLOUR_TYPE = {1: 0, 3: 2, 4: 6}


def encode_png(img: Any, *, level: int = 6) -> bytes:
    """An 8-bit image as PNG bytes (the standard library's zlib; no imaging library).

    Parameters
    ----------
    img : array_like of uint8, shape (H, W), (H, W, 3) or (H, W, 4)
        Gray, RGB or RGBA; the top row first.
    level : int
        zlib's compression level, 0 (none, fastest) to 9 (smallest); 1 for
        pictures redrawn several times a second.

    Returns
    -------
    bytes
        A complete PNG file, every row stored with filter type 0.
    """
    u8 = np.asarray(img)
    if u8.dtype != np.uint8:
        raise ValueError(f"img must be uint8, got {u8.dtype}")
    channels = 1 if u8.ndim == 2 else (u8.shape[2] if u8.ndim == 3 else 0)
    if channels not in _COLOUR_TYPE or 0 in u8.shape[:2]:
        raise ValueError(f"img must have shape (H, W), (H, W, 3) or (H, W, 4), got {u8.shape}")
    h, w = u8.shape[:2]
    raw = b"".join(b"\x00" + row.tobytes() for row in np.ascontiguousarray(u8))
    header = struct.pack(">IIBBBBB", w, h, 8, _COLOUR_TYPE[channels], 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, level))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
