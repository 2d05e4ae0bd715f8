"""Untrusted images: the one place uploads are decoded.

``load_image`` accepts PNG, JPEG, BMP, GIF and WebP, recognised by their
first bytes rather than the file name, refuses decompression bombs before any
pixel is decoded, and returns floats in [0, 1] whatever the mode of the file.
"""

from __future__ import annotations

import io
import warnings
from typing import NamedTuple

import numpy as np
import streamlit as st
from PIL import Image, ImageOps, UnidentifiedImageError

from dlcore.pixels import to_gray
from ui.state import url

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000  # about 7000 x 7000; a 12000 x 12000 PNG bomb is refused
DEFAULT_MAX_SIDE = 512

# Pillow's own guard: beyond 2 * MAX_IMAGE_PIXELS it raises, beyond it warns.
# We check the header size ourselves first; this is the second line.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_SIGNATURES: tuple[tuple[str, bytes, int], ...] = (
    ("PNG", b"\x89PNG\r\n\x1a\n", 0),
    ("JPEG", b"\xff\xd8\xff", 0),
    ("GIF", b"GIF87a", 0),
    ("GIF", b"GIF89a", 0),
    ("BMP", b"BM", 0),
    ("WEBP", b"WEBP", 8),  # RIFF....WEBP
)


def sniff_format(data: bytes) -> str | None:
    """The image format from the file's first bytes, or None."""
    for name, magic, offset in _SIGNATURES:
        if data[offset : offset + len(magic)] == magic:
            if name == "WEBP" and data[:4] != b"RIFF":
                continue
            return name
    return None


def load_image(data: bytes, *, gray: bool = False, max_side: int = DEFAULT_MAX_SIDE) -> np.ndarray:
    """Decode an uploaded image safely into floats in [0, 1].

    Parameters
    ----------
    data : bytes
        The file's content.
    gray : bool
        Return luminance (ITU-R BT.601 weights, as Pillow's "L" mode).
    max_side : int
        Downscale (keeping the aspect ratio) so neither side exceeds this.

    Returns
    -------
    ndarray of shape (H, W, 3), or (H, W) if ``gray``, float32 in [0, 1]
        Transparent pixels are composited over white; EXIF orientation is
        applied; an animation gives its first frame; 16-bit images keep
        their precision until the final scaling.

    Raises
    ------
    ValueError
        Empty, too large, not a PNG/JPEG/BMP/GIF/WebP, truncated or corrupt.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ValueError(f"data must be bytes, got {type(data).__name__}")
    data = bytes(data)
    if not data:
        raise ValueError("The file is empty.")
    if len(data) > MAX_BYTES:
        raise ValueError(
            f"The file is {len(data) / 2**20:.1f} MB; the limit is {MAX_BYTES // 2**20} MB."
        )
    fmt = sniff_format(data)
    if fmt is None:
        raise ValueError(
            "This is not a PNG, JPEG, BMP, GIF or WebP image (checked by its content, not its name)."
        )
    if not 1 <= max_side <= 8192:
        raise ValueError(f"max_side must be in [1, 8192], got {max_side}")

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data), formats=[fmt])
            width, height = im.size
            if width * height > MAX_PIXELS:
                raise ValueError(
                    f"The image is {width} x {height} pixels; the limit is {MAX_PIXELS / 1e6:.0f} megapixels "
                    "(a file this large may be a decompression bomb)."
                )
            if width < 1 or height < 1:
                raise ValueError("The image has no pixels.")
            im.seek(0)  # first frame of an animation
            if fmt == "JPEG":
                # Let libjpeg decode at a reduced scale: far faster for photos.
                im.draft("RGB", (max_side, max_side))
            im.load()
            im = ImageOps.exif_transpose(im)
            return _to_float(im, gray=gray, max_side=max_side)
    except ValueError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValueError(f"The image is too large to decode safely: {exc}") from None
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        EOFError,
        IndexError,
        TypeError,
        KeyError,
    ) as exc:
        raise ValueError(
            f"The image could not be decoded (truncated or corrupt {fmt} file): {exc}"
        ) from None


def _to_float(im: Image.Image, *, gray: bool, max_side: int) -> np.ndarray:
    mode = im.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        # High bit depth: keep the precision, scale to [0, 1] by the format's range.
        arr = np.asarray(im, dtype=np.float32)
        scale = 255.0 if (mode == "I" and arr.max(initial=0) <= 255) else 65535.0
        if mode == "F":
            lo, hi = float(np.nanmin(arr)), float(np.nanmax(arr))
            arr = (arr - lo) / (hi - lo) if hi > lo else np.zeros_like(arr)
        else:
            arr = arr / scale
        fim = Image.fromarray(np.clip(arr, 0.0, 1.0).astype(np.float32), mode="F")
        fim.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        out = np.clip(np.asarray(fim, dtype=np.float32), 0.0, 1.0)
        return out if gray else np.repeat(out[..., None], 3, axis=2)

    has_alpha = mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        mode == "P" and "transparency" in im.info
    )
    if has_alpha:
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        im = Image.alpha_composite(white, rgba).convert("RGB")
    else:
        im = im.convert("RGB")  # 1, L, P, CMYK, YCbCr, LAB, HSV all go through RGB
    im.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    rgb = np.asarray(im, dtype=np.float32) / 255.0
    return to_gray(rgb) if gray else rgb


@st.cache_data(max_entries=8, show_spinner=False)
def _decode(file_id: str, gray: bool, max_side: int, _data: bytes) -> np.ndarray:
    """Keyed by the upload's id, not by hashing up to 10 MB of file on every rerun."""
    return load_image(_data, gray=gray, max_side=max_side)


def decode_upload(uploaded, *, gray: bool = False, max_side: int = DEFAULT_MAX_SIDE) -> np.ndarray:
    """An ``st.file_uploader`` file through :func:`load_image`, cached by the upload's id.

    Raises ``ValueError`` (a message for the visitor) when the file is unusable.
    """
    return _decode(uploaded.file_id, gray, max_side, uploaded.getvalue())


@st.cache_data(max_entries=4, show_spinner=False)
def _sample(name: str, gray: bool, max_side: int) -> np.ndarray:
    from dlcore.datasets import sample_image

    img = sample_image(name)
    if gray:
        img = to_gray(img)
    u8 = Image.fromarray(np.round(img * 255).astype(np.uint8))
    u8.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return np.asarray(u8, dtype=np.float32) / 255.0


SOURCES = ("Sample: China", "Sample: flower", "Upload", "Camera")


class ImageChoice(NamedTuple):
    """The image a lab works on, as :func:`image_source` returns it.

    Attributes
    ----------
    img : ndarray of shape (H, W) or (H, W, 3), float32 in [0, 1], or None
        None (with a message already shown) when the upload is unusable.
    caption : str
        What the image is, for a caption under it.
    ident : str
        Who the pixels belong to: ``"sample:<name>:..."`` for a sample,
        ``"upload:<file_id>:..."`` for an upload or photo (Streamlit gives each
        upload a fresh id). Key caches of anything computed from ``img`` by
        this, never by a file name or caption: two visitors' files with the
        same name and size must never share a cache entry.
    """

    img: np.ndarray | None
    caption: str
    ident: str


def image_source(
    prefix: str, *, gray: bool = False, max_side: int = DEFAULT_MAX_SIDE
) -> ImageChoice:
    """A picker for the image a lab works on: a sample, an upload or the camera.

    Returns
    -------
    ImageChoice
        ``(img, caption, ident)``; ``img`` as ``load_image`` returns it, or None
        (with a message already shown) when the user's image is unusable.
    """
    source = st.radio("Image", SOURCES, horizontal=True, **url(prefix, "img_src"))
    settings = f"{'gray' if gray else 'rgb'}:{max_side}"
    if source.startswith("Sample"):
        name = "china" if source.endswith("China") else "flower"
        img = _sample(name, gray, max_side)
        caption = f"scikit-learn's sample image '{name}', {img.shape[1]} x {img.shape[0]} px"
        return ImageChoice(img, caption, f"sample:{name}:{settings}")
    if source == "Upload":
        uploaded = st.file_uploader(
            "PNG, JPEG, BMP, GIF or WebP (at most 10 MB)",
            type=["png", "jpg", "jpeg", "bmp", "gif", "webp"],
            key=f"{prefix}_upload",
        )
    else:
        uploaded = st.camera_input("Take a picture", key=f"{prefix}_camera")
    if uploaded is None:
        st.info(
            "Choose a file (or take a picture) to use your own image; a sample is used until then."
        )
        img = _sample("china", gray, max_side)
        return ImageChoice(
            img,
            "scikit-learn's sample image 'china' (waiting for yours)",
            f"sample:china:{settings}",
        )
    try:
        img = _decode(uploaded.file_id, gray, max_side, uploaded.getvalue())
    except ValueError as exc:
        st.error(f"{uploaded.name}: {exc}", icon=":material/error:")
        return ImageChoice(None, "", "")
    caption = (
        f"{uploaded.name}, {img.shape[1]} x {img.shape[0]} px after downscaling to at most "
        f"{max_side} px"
    )
    return ImageChoice(img, caption, f"upload:{uploaded.file_id}:{settings}")
