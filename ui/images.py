"""Untrusted images: the one place uploads are decoded.

``load_image`` accepts PNG, JPEG, BMP, GIF and WebP, recognised by their
first bytes rather than the file name, refuses decompression bombs before any
pixel is decoded, and returns floats in [0, 1] whatever the mode of the file.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import io
import math
import warnings
from typing import NamedTuple

import numpy as np
import streamlit as st
from PIL import Image, UnidentifiedImageError

from dlcore.pixels import to_gray
from ui.export import Picture, note_picture
from ui.state import url

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000  # about 7000 x 7000; a 12000 x 12000 PNG bomb is refused
DEFAULT_MAX_SIDE = 512

#: What decoding one upload may hold at once. A PNG cannot be decoded at a
#: reduced scale, so its full-size pixels (and a converted copy) exist for a
#: moment; a JPEG is decoded at 1/2 to 1/8 scale first. One visitor's upload
#: must not be able to take a shared server's memory (about 1 GB on Streamlit
#: Community Cloud): a 7000 x 7000 RGBA PNG once took the server to 1.48 GB.
MAX_DECODE_BYTES = 100 * 2**20

# Bytes per pixel while decoding, by the file's mode: what Pillow stores
# (1 for "1", "L" and "P", 2 for 16-bit, 4 for everything else, RGB included)
# plus the full-size copy made before the image can be shrunk: "1", "P", "PA"
# and 16-bit images are converted first, and alpha is premultiplied so that
# transparent pixels do not bleed into their neighbours.
_PEAK_BYTES_PER_PIXEL = {
    "1": 2,
    "L": 1,
    "P": 9,
    "PA": 12,
    "LA": 8,
    "La": 4,
    "RGBA": 8,
    "RGBa": 4,
    "I;16": 6,
    "I;16B": 6,
    "I;16L": 6,
    "I;16N": 6,
}

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
            im = _open_within_budget(data, fmt, max_side)
            im.load()
            mode, orientation = im.mode, im.getexif().get(ORIENTATION_TAG, 1)
            im = upright(shrink(im, max_side), orientation)
            return _to_float(im, gray=gray, max_side=max_side, sixteen_bit=mode.startswith("I;16"))
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
    finally:
        release_freed_memory()


def _open_within_budget(data: bytes, fmt: str, max_side: int) -> Image.Image:
    """The image opened (header read, no pixels yet), refused if decoding it would
    exceed :data:`MAX_PIXELS` or :data:`MAX_DECODE_BYTES`."""
    im = Image.open(io.BytesIO(data), formats=[fmt])
    width, height = im.size
    if width * height > MAX_PIXELS:
        raise ValueError(
            f"The image is {width} x {height} pixels; the limit is {MAX_PIXELS / 1e6:.0f} "
            "megapixels (a file this large may be a decompression bomb)."
        )
    if width < 1 or height < 1:
        raise ValueError("The image has no pixels.")
    im.seek(0)  # first frame of an animation
    if fmt == "JPEG":
        # libjpeg decodes at 1/2, 1/4 or 1/8 scale: far faster and smaller for photos.
        im.draft("RGB", (max_side, max_side))
    needed = decode_bytes(im.mode, im.size)
    if needed > MAX_DECODE_BYTES:
        raise ValueError(
            f"The image is {width} x {height} pixels ({im.mode}); decoding it would take "
            f"{needed / 2**20:.0f} MB of the server's memory, and the limit is "
            f"{MAX_DECODE_BYTES / 2**20:.0f} MB. Save it smaller (at most about "
            f"{max_pixels_side(im.mode)} px square) or as a JPEG, which is decoded at a "
            "reduced scale."
        )
    return im


def decode_bytes(mode: str, size: tuple[int, int]) -> int:
    """Bytes held at the peak of decoding an image of ``mode`` and ``size`` (w, h).

    Examples
    --------
    >>> decode_bytes("RGB", (1000, 500)), decode_bytes("RGBA", (1000, 500))
    (2000000, 4000000)
    """
    return size[0] * size[1] * _PEAK_BYTES_PER_PIXEL.get(mode, 4)


def max_pixels_side(mode: str) -> int:
    """The side of the largest square image of ``mode`` within both budgets.

    >>> max_pixels_side("RGB"), max_pixels_side("L")
    (5120, 7071)
    """
    per_pixel = _PEAK_BYTES_PER_PIXEL.get(mode, 4)
    return math.isqrt(min(MAX_PIXELS, MAX_DECODE_BYTES // per_pixel))


def shrink(im: Image.Image, max_side: int) -> Image.Image:
    """``im`` reduced by an integer factor (box filter) until no side exceeds ``2 * max_side``.

    The cheap first step before the Lanczos thumbnail: every copy made after it
    (alpha compositing, mode conversion) is small. Palette, bilevel and 16-bit
    images are converted first, since averaging palette indices or 16-bit
    codes in Pillow's reduce is not defined.
    """
    factor = max(im.size) // (2 * max_side)
    if factor < 2:
        return im
    if im.mode in ("P", "PA"):
        transparent = im.mode == "PA" or "transparency" in im.info
        im = im.convert("RGBA" if transparent else "RGB")
    elif im.mode == "1":
        im = im.convert("L")
    elif im.mode.startswith("I;16"):
        im = im.convert("I")
    return im.reduce(factor)


#: The EXIF tag that says how the camera was held, and the turn that undoes each value.
ORIENTATION_TAG = 0x0112
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def upright(im: Image.Image, orientation: int) -> Image.Image:
    """``im`` turned as its EXIF ``orientation`` (1-8) says; read before :func:`shrink`,
    which drops the metadata. Unknown values leave it as it is."""
    method = _UPRIGHT.get(orientation)
    return im if method is None else im.transpose(method)


@functools.cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:  # pragma: no cover - depends on the platform
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def release_freed_memory() -> None:
    """Give the pages of freed images back to the system (glibc only; else nothing).

    Pillow allocates pixels in 16 MB blocks that glibc keeps on its heap once
    freed, so one large upload would leave the server hundreds of MB bigger
    for good (457 MB after a 7000 x 7000 PNG, 77 MB after this call).
    """
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def _to_float(
    im: Image.Image, *, gray: bool, max_side: int, sixteen_bit: bool = False
) -> np.ndarray:
    mode = im.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        # High bit depth: keep the precision, scale to [0, 1] by the format's range.
        arr = np.asarray(im, dtype=np.float32)
        eight_bit = mode == "I" and not sixteen_bit and arr.max(initial=0) <= 255
        scale = 255.0 if eight_bit else 65535.0
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


# A few decoded uploads (at most 512 x 512 x 3 float32, 3 MB each): a new upload is a new entry.
@st.cache_data(max_entries=4, show_spinner=False)
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
        note_picture(Picture(img, name, None, gray, max_side))
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
        note_picture(Picture(img, "china", None, gray, max_side))
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
    note_picture(Picture(img, None, uploaded.name, gray, max_side))
    return ImageChoice(img, caption, f"upload:{uploaded.file_id}:{settings}")
