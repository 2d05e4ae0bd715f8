"""Colour to gray: the one luminance formula of the lab.

ITU-R BT.601 luma weights, the ones Pillow's ``convert("L")``, OpenCV's
``cvtColor(..., COLOR_RGB2GRAY)`` and torchvision's ``rgb_to_grayscale`` use:
green counts most because the eye is most sensitive to it.
"""

from __future__ import annotations

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
