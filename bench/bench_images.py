"""Decoding an upload: ui.load_image against plain Pillow doing the same work.

The reference opens, converts to RGB, downscales with the same filter and
converts to float; load_image adds format sniffing, the bomb guard, EXIF
orientation and JPEG draft decoding, which should make it faster on photos.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from bench.timing import Comparison, compare
from ui.images import load_image


def _photo(width: int, height: int) -> bytes:
    rng = np.random.default_rng(0)
    base = np.linspace(0, 255, width)[None, :, None] * np.ones((height, 1, 3))
    noisy = np.clip(base + rng.normal(0, 20, base.shape), 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(noisy).save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def _pillow_reference(data: bytes) -> np.ndarray:
    im = Image.open(io.BytesIO(data)).convert("RGB")
    im.thumbnail((512, 512), Image.Resampling.LANCZOS)
    return np.asarray(im, dtype=np.float32) / 255.0


def run(quick: bool = False) -> list[Comparison]:
    w, h = (800, 600) if quick else (4000, 3000)
    data = _photo(w, h)
    return [
        compare(
            f"decode + downscale a {w}x{h} JPEG to 512 px",
            {
                "ui.load_image": lambda: load_image(data),
                "Pillow open/convert/thumbnail": lambda: _pillow_reference(data),
            },
            ours="ui.load_image",
            rounds=3 if quick else 7,
        )
    ]
