"""The convolution page under AppTest: every widget, the formulas, hostile kernels and files."""

from __future__ import annotations

import io
import re

import numpy as np
from PIL import Image

from tests.pagetest import HOSTILE_TEXTS, assert_clean, drive_widgets, open_page

PAGE = "pages/8_Convolution.py"


def _png(im: Image.Image, fmt: str = "PNG", **kwargs) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format=fmt, **kwargs)
    return buf.getvalue()


def _photo(w: int = 48, h: int = 36, mode: str = "RGB") -> Image.Image:
    rng = np.random.default_rng(0)
    return Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)).convert(mode)


def _animated() -> bytes:
    frames = [Image.new("RGB", (30, 20), c) for c in ((255, 0, 0), (0, 0, 255))]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buf.getvalue()


def _exif_rotated() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6
    return _png(_photo(40, 20), "JPEG", exif=exif.tobytes())


GOOD = {
    "one_pixel.png": _png(Image.new("RGB", (1, 1), (10, 200, 30))),
    "sixteen_bit.png": _png(
        Image.fromarray((np.arange(40 * 30, dtype=np.uint16).reshape(30, 40) * 50))
    ),
    "palette.png": _png(_photo().convert("P")),
    "rgba.png": _png(_photo(mode="RGBA")),
    "cmyk.jpg": _png(_photo().convert("CMYK"), "JPEG"),
    "exif_rotated.jpg": _exif_rotated(),
    "animated.gif": _animated(),
}
BAD = {
    "empty.png": b"",
    "notes.png": b"hello, I am a text file renamed .png\n",
    "corrupt.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
    "truncated.png": _png(_photo(200, 200))[:3000],
    "bomb.png": _png(Image.new("1", (12000, 12000))),
}


def _upload(at, name: str, data: bytes):
    at.radio(key="cv_img_src").set_value("Upload").run()
    at.get("file_uploader")[0].set_value((name, data, "image/png"))
    return at.run()


def _latex(at) -> list[str]:
    return [e.value for e in at.latex]


def test_default_view_and_every_widget():
    # Radios are driven below: pagetest's "index" path calls select_index, which
    # AppTest's Radio lacks in Streamlit 1.67 (reported to the lead).
    runs = drive_widgets(PAGE, max_options=3, skip=("cv_stack", "radio"))
    assert runs >= 25


def test_radios():
    at = open_page(PAGE)
    for key in ("cv_channel", "cv_img_src"):
        for option in at.radio(key=key).options:
            at.radio(key=key).set_value(option).run()
            assert_clean(at, f"after {key} = {option}")
    assert at.info  # the camera is waiting: said so, sample shown meanwhile


def test_output_size_formula_follows_the_sliders():
    at = open_page(PAGE)
    at.segmented_control(key="cv_pad_mode").set_value("number").run()
    at.slider(key="cv_pad").set_value(2)
    at.slider(key="cv_stride").set_value(3)
    at.slider(key="cv_dilation").set_value(2)
    at.run()
    assert_clean(at)
    pattern = re.compile(
        r"\\frac\{(\d+) \+ (\d+) \+ (\d+) - (\d+)\\cdot\((\d+) - 1\) - 1\}\{(\d+)\}.*= (\d+)"
    )
    found = [pattern.search(t) for t in _latex(at)]
    found = [m for m in found if m]
    assert len(found) == 2, _latex(at)
    for m in found:
        n, p1, p2, d, k, s, result = (int(g) for g in m.groups())
        assert (p1, p2, d, k, s) == (2, 2, 2, 3, 3)
        assert result == (n + p1 + p2 - d * (k - 1) - 1) // s + 1
    assert not at.error


def test_same_padding_with_stride_is_explained_and_replaced():
    at = open_page(PAGE)
    at.slider(key="cv_stride").set_value(2).run()
    assert_clean(at)
    assert any("only defined at stride 1" in w.value for w in at.warning)
    assert not at.error and len(at.get("plotly_chart")) >= 5


KERNEL_ERRORS = [
    ("1 2; 3", "same number of cells"),
    ("1, , 2", "is empty"),
    ("1 2 abc", "must be a number"),
    ("", "empty"),
]


def test_custom_kernel_errors_are_messages_and_a_valid_one_works():
    at = open_page(PAGE)
    at.selectbox(key="cv_kernel").set_value("Custom").run()
    for text, message in KERNEL_ERRORS:
        at.text_area(key="cv_custom").set_value(text).run()
        assert_clean(at, f"for kernel text {text!r}")
        assert any(message in e.value for e in at.error), [e.value for e in at.error]
        assert len(at.get("plotly_chart")) >= 5  # the page keeps working with the identity kernel
    for text in HOSTILE_TEXTS:
        at.text_area(key="cv_custom").set_value(text).run()
        assert_clean(at, f"for kernel text {text!r}")
        assert at.error
    at.text_area(key="cv_custom").set_value("1/9 1/9 1/9\n1/9 1/9 1/9\n1/9 1/9 1/9").run()
    assert not at.error
    assert any("0.11" in t for t in _latex(at))


def test_kernel_larger_than_image_is_explained():
    at = _upload(open_page(PAGE), "tiny.png", _png(_photo(6, 5)))
    at.selectbox(key="cv_kernel").set_value("Box blur").run()
    at.slider(key="cv_size").set_value(11)
    at.segmented_control(key="cv_pad_mode").set_value("valid")
    at.run()
    assert_clean(at)
    assert any("kernel must fit" in e.value for e in at.error)
    assert any("impossible" in t for t in _latex(at))


def test_unusual_but_valid_images_work():
    at = open_page(PAGE)
    at.toggle(key="cv_stack").set_value(True)
    at.radio(key="cv_img_src").set_value("Upload")
    at.run()
    for name, data in GOOD.items():
        at.get("file_uploader")[0].set_value((name, data, "image/png"))
        at.run()
        assert_clean(at, f"after uploading {name}")
        if name == "one_pixel.png":
            # pooling, the layer stack and the fixed CNN need more pixels: each says so, nothing crashes
            assert any("at least 12" in e.value for e in at.error), [e.value for e in at.error]
        else:
            assert not at.error, (name, [e.value for e in at.error])
        assert len(at.get("plotly_chart")) >= 4


def test_bad_files_give_a_message():
    at = open_page(PAGE)
    at.radio(key="cv_img_src").set_value("Upload").run()
    for name, data in BAD.items():
        at.get("file_uploader")[0].set_value((name, data, "image/png"))
        at.run()
        assert_clean(at, f"after uploading {name}")
        assert at.error and name in at.error[0].value


def test_stack_and_sobel_panels():
    at = open_page(PAGE)
    at.toggle(key="cv_stack").set_value(True)
    at.toggle(key="cv_sobel").set_value(True)
    at.run()
    assert_clean(at)
    assert any(r"\sqrt{g_x^2 + g_y^2}" in t for t in _latex(at))
    assert not at.error


def test_receptive_field_of_a_one_row_kernel_is_one_row_tall():
    at = open_page(PAGE)
    at.selectbox(key="cv_kernel").set_value("Custom").run()
    at.text_area(key="cv_custom").set_value(" ".join(str(i) for i in range(1, 12))).run()
    assert_clean(at)
    text = next(m.value for m in at.markdown if "that conv again" in m.value)
    assert text.startswith("conv (1 x 11, s=1, d=1)")
    assert "after conv: **1 x 11 px**], map 342 x 512" in text  # 'same' keeps the map; one row tall
    assert (
        "after + pool + conv: **2 x 32 px**" in text
    )  # columns 11, 12, then 10 more taps 2 px apart
