"""ui.load_image against hostile and unusual files, all made here."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ui.images import (
    MAX_DECODE_BYTES,
    MAX_PIXELS,
    ORIENTATION_TAG,
    decode_bytes,
    load_image,
    max_pixels_side,
    shrink,
    sniff_format,
    upright,
)

ROOT = Path(__file__).resolve().parents[1]


def encode(im: Image.Image, fmt: str = "PNG", **kwargs) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format=fmt, **kwargs)
    return buf.getvalue()


def gradient_rgb(w: int = 64, h: int = 48) -> Image.Image:
    x = np.linspace(0, 255, w, dtype=np.uint8)
    y = np.linspace(0, 255, h, dtype=np.uint8)
    arr = np.stack(
        np.broadcast_arrays(x[None, :], y[:, None], np.full((h, w), 128, np.uint8)), axis=2
    )
    return Image.fromarray(np.ascontiguousarray(arr))


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "BMP", "GIF", "WEBP"])
def test_every_accepted_format_decodes_to_float_rgb(fmt):
    img = load_image(encode(gradient_rgb(), fmt))
    assert img.shape == (48, 64, 3) and img.dtype == np.float32
    assert 0.0 <= img.min() and img.max() <= 1.0
    # lossy formats are close, PNG/BMP exact: top-left red is 0, right edge red is 1
    tol = 0.08 if fmt in ("JPEG", "WEBP", "GIF") else 1e-6
    assert img[0, 0, 0] == pytest.approx(0.0, abs=tol)
    assert img[0, -1, 0] == pytest.approx(1.0, abs=tol)
    assert img[:, :, 2].mean() == pytest.approx(128 / 255, abs=tol)


def test_gray_is_luminance():
    img = load_image(encode(Image.new("RGB", (8, 8), (255, 0, 0))), gray=True)
    assert img.shape == (8, 8)
    assert img.mean() == pytest.approx(0.299, abs=0.01)  # ITU-R 601 red weight


@pytest.mark.parametrize(
    "mode, value, expected",
    [
        ("L", 128, 128 / 255),
        ("1", 1, 1.0),
        ("P", 0, None),
        ("I;16", 65535, 1.0),
        ("I;16", 32768, 32768 / 65535),
        ("CMYK", (0, 0, 0, 0), 1.0),
    ],
)
def test_every_mode_converts(mode, value, expected):
    im = Image.new(mode, (10, 6), value)
    fmt = "JPEG" if mode == "CMYK" else "PNG"
    img = load_image(encode(im, fmt))
    assert img.shape == (6, 10, 3)
    if expected is not None:
        assert img.mean() == pytest.approx(expected, abs=0.01)


def test_sixteen_bit_keeps_precision():
    ramp = np.arange(256 * 4, dtype=np.uint16).reshape(4, 256) * 64
    img = load_image(encode(Image.fromarray(ramp)), gray=True)
    # 1024 distinct 16-bit levels survive (8-bit would collapse them to 256)
    assert len(np.unique(img)) > 900


def test_transparency_is_composited_over_white():
    rgba = Image.new("RGBA", (4, 4), (0, 0, 0, 0))
    assert load_image(encode(rgba)).min() == pytest.approx(1.0)
    half = Image.new("LA", (4, 4), (0, 128))
    assert load_image(encode(half)).mean() == pytest.approx(127 / 255, abs=0.01)


def test_exif_orientation_is_applied():
    im = Image.new("RGB", (40, 20), (255, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise on display
    img = load_image(encode(im, "JPEG", exif=exif.tobytes()))
    assert img.shape == (40, 20, 3)


def test_animated_gif_gives_first_frame():
    frames = [Image.new("RGB", (8, 8), c) for c in ((255, 0, 0), (0, 0, 255))]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    img = load_image(buf.getvalue())
    assert img[..., 0].mean() > 0.9 and img[..., 2].mean() < 0.1


def test_large_images_are_downscaled_keeping_aspect():
    img = load_image(encode(Image.new("RGB", (2000, 1000), (1, 2, 3))), max_side=300)
    assert img.shape == (150, 300, 3)
    assert load_image(encode(Image.new("RGB", (1, 1)))).shape == (1, 1, 3)


def test_decompression_bomb_is_refused_before_decoding():
    bomb = encode(Image.new("1", (12000, 12000)))  # 144 megapixels in a few KB
    assert len(bomb) < 500_000
    start = time.perf_counter()
    with pytest.raises(ValueError, match="too large|megapixels"):
        load_image(bomb)
    assert time.perf_counter() - start < 1.0
    just_over = encode(Image.new("1", (MAX_PIXELS // 5000 + 10, 5000)))
    with pytest.raises(ValueError, match="megapixels|too large"):
        load_image(just_over)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"hello, I am a text file renamed .png\n", "not a PNG"),
        (b"%PDF-1.7\n", "not a PNG"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "could not be decoded"),
    ],
)
def test_not_images_and_corrupt_files(data, message):
    with pytest.raises(ValueError, match=message):
        load_image(data)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP", "BMP"])
def test_truncated_files(fmt):
    data = encode(gradient_rgb(200, 200), fmt)
    with pytest.raises(ValueError, match="could not be decoded"):
        load_image(data[: len(data) // 2])


def test_too_many_bytes():
    with pytest.raises(ValueError, match="MB"):
        load_image(b"\x89PNG\r\n\x1a\n" + b"\x00" * (21 * 2**20))


def test_sniff_format_by_content():
    assert sniff_format(encode(gradient_rgb(), "WEBP")) == "WEBP"
    assert sniff_format(b"RIFF\x00\x00\x00\x00WAVE") is None
    assert sniff_format(b"GIF89a...") == "GIF"


# ----------------------------------------------------------- a memory budget per upload


def test_decoding_budget_refuses_before_decoding(monkeypatch):
    """A 7000 x 7000 RGBA PNG (a few hundred KB) would need 374 MB: refused from its header."""
    big = encode(Image.new("RGBA", (7000, 7000), (10, 20, 30, 255)))
    assert decode_bytes("RGBA", (7000, 7000)) > MAX_DECODE_BYTES
    monkeypatch.setattr(Image.Image, "load", lambda self: pytest.fail("decoded anyway"))
    with pytest.raises(ValueError, match=r"374 MB .* limit is 100 MB.*3620 px square"):
        load_image(big)


def test_the_same_pixels_as_a_jpeg_are_decoded_at_a_reduced_scale():
    photo = encode(Image.new("RGB", (7000, 7000), (200, 100, 50)), "JPEG", quality=50)
    img = load_image(photo, max_side=256)
    assert img.shape == (256, 256, 3)
    np.testing.assert_allclose(img[128, 128], np.array([200, 100, 50]) / 255, atol=0.03)


def test_one_large_upload_stays_within_150_mb_and_gives_it_back(tmp_path):
    """Peak and lasting memory of decoding the largest accepted RGB PNG, in a fresh process."""
    side = max_pixels_side("RGB")
    path = tmp_path / "big.png"
    ramp = np.arange(side, dtype=np.uint8)  # wraps at 256: a pattern PNG compresses well
    pixels = np.stack(np.broadcast_arrays(ramp[None, :], ramp[:, None], ramp[None, :] // 2), -1)
    Image.fromarray(np.ascontiguousarray(pixels)).save(path)
    script = f"""
from ui.images import load_image
def status(field):  # MB; VmHWM is this process's peak, VmRSS its size now
    return int(open("/proc/self/status").read().split(field + ":")[1].split()[0]) // 1024
data = open({str(path)!r}, "rb").read()
before = status("VmRSS")
img = load_image(data)
print(before, status("VmHWM"), status("VmRSS"), img.shape)
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    before, peak, after = map(int, out[:3])
    assert peak - before <= 150, f"decoding took {peak - before} MB"
    assert after - before <= 20, f"{after - before} MB kept after decoding"


def test_shrink_reduces_by_an_integer_factor_and_keeps_transparency():
    palette = Image.new("P", (4200, 30), 1)
    palette.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    palette.info["transparency"] = 1  # every pixel transparent
    small = shrink(palette, 512)
    assert small.size == (1050, 8) and small.mode == "RGBA"
    assert load_image(encode(palette), max_side=512).min() == pytest.approx(1.0)  # white
    assert shrink(Image.new("L", (1023, 10)), 512).size == (1023, 10)  # no factor >= 2


def test_orientation_survives_shrinking():
    im = Image.new("RGB", (4000, 1000), (255, 0, 0))
    exif = Image.Exif()
    exif[ORIENTATION_TAG] = 6
    img = load_image(encode(im, "PNG", exif=exif.tobytes()), max_side=400)
    assert img.shape == (400, 100, 3)
    assert upright(Image.new("L", (3, 2)), 8).size == (2, 3)
    assert upright(Image.new("L", (3, 2)), 99).size == (3, 2)


def test_sixteen_bit_scale_survives_shrinking():
    dark = Image.fromarray(np.full((2100, 2100), 200, np.uint16))
    img = load_image(encode(dark), gray=True, max_side=256)
    np.testing.assert_allclose(img, 200 / 65535, rtol=1e-3)
