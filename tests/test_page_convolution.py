"""The Convolution lab under AppTest: every panel's widgets, the formulas, hostile kernels and files."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pytest
from PIL import Image

from labs import convolution as lab
from tests.pagetest import HOSTILE_TEXTS, assert_clean, drive_widgets, open_page, switch_panel

PAGE = "pages/8_Convolution.py"
PANELS = [p.label for p in lab.PANELS]


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
# What a one-pixel image cannot do, panel by panel: each says so, nothing crashes.
ONE_PIXEL_ERRORS = {
    "Pooling": "larger image",
    "One output pixel": "does not fit this image",
    "Sliding kernel and im2col": "kernel must fit",
    "Tiny CNN": "at least 12",
}


def _open(panel: str, **query: str):
    at = open_page(PAGE, panel=panel, query=query or None)
    assert_clean(at, f"on opening {panel}")
    return at


def _switch(at, panel: str):
    """Click another tab. The opening link's ``cv_panel`` goes first: AppTest re-sends its
    query parameters on every run, which would reopen the linked panel."""
    at.query_params.pop("cv_panel", None)
    return switch_panel(at, PAGE, panel)


def _upload(at, name: str, data: bytes):
    at.radio(key="cv_img_src").set_value("Upload").run()
    at.get("file_uploader")[0].set_value((name, data, "image/png"))
    return at.run()


def _latex(at) -> list[str]:
    return [e.value for e in at.latex]


def _charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


@pytest.mark.parametrize("panel", PANELS)
def test_every_widget_of_every_panel_driven_without_exception(panel):
    runs = drive_widgets(PAGE, panel=panel, max_options=3)
    assert runs >= 2


@pytest.mark.parametrize("panel", PANELS[2:5])
def test_extreme_settings_downstream_are_drawn_or_explained(panel):
    """The widest dilated kernel at the largest stride, then hostile kernel text."""
    at = _open(panel)
    at.selectbox(key="cv_kernel").set_value("Box blur").run()
    at.slider(key="cv_size").set_value(11)
    at.slider(key="cv_stride").set_value(5)
    at.slider(key="cv_dilation").set_value(5)
    at.segmented_control(key="cv_pad_mode").set_value("valid")
    at.run()
    assert_clean(at, "at the extremes")
    assert at.get("plotly_chart") or at.info or at.error
    at.selectbox(key="cv_kernel").set_value("Custom").run()
    for text in HOSTILE_TEXTS:
        at.text_area(key="cv_custom").set_value(text).run()
        assert_clean(at, f"for kernel text {text!r}")
        assert any("identity kernel" in e for e in _errors(at)), (panel, text)


def test_default_view_is_the_kernels_panel():
    at = open_page(PAGE)
    assert_clean(at)
    assert not at.error and len(at.get("plotly_chart")) == 4  # kernel, input, signed, normalised
    assert [t.label for t in at.tabs if len(t.children)] == ["Kernels"]
    assert any(r"\text{Sobel x}" in t for t in _latex(at))
    assert any("sum of weights: 0" in t for t in _latex(at))
    assert len(at.get("expander")) == 1  # the view's script, its embed link, the code


def test_images_are_sent_as_thumbnails_of_the_drawn_size():
    at = _open("Kernels")
    pictures = [c["data"][0] for c in _charts(at)[1:]]
    assert all(p["type"] == "image" and p["source"].startswith("data:image/") for p in pictures)
    assert all(p.get("dx", 1) > 1 for p in pictures)  # 512 px sent at most 400 px wide
    assert sum(len(json.dumps(c)) for c in _charts(at)) < 250_000


def test_radios():
    at = _open("One output pixel")
    for option in at.radio(key="cv_channel").options:
        at.radio(key="cv_channel").set_value(option).run()
        assert_clean(at, f"after channel = {option}")
        assert not at.error
    at = _open("Kernels")
    for option in at.radio(key="cv_img_src").options:
        at.radio(key="cv_img_src").set_value(option).run()
        assert_clean(at, f"after img_src = {option}")
    assert at.info  # the camera is waiting: said so, sample shown meanwhile
    assert len(at.get("plotly_chart")) == 4


def test_output_size_formula_follows_the_sliders():
    at = _open("Stride, padding, dilation")
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
    sizes = []
    for m in found:
        n, p1, p2, d, k, s, result = (int(g) for g in m.groups())
        assert (p1, p2, d, k, s) == (2, 2, 2, 3, 3)
        assert result == (n + p1 + p2 - d * (k - 1) - 1) // s + 1
        sizes.append(result)
    assert not at.error
    title = _charts(at)[0]["layout"]["title"]["text"]
    assert f"feature map, {sizes[0]} x {sizes[1]}" in title  # the drawn map has that size


def test_same_padding_with_stride_is_explained_and_replaced():
    at = _open("Stride, padding, dilation")
    at.slider(key="cv_stride").set_value(2).run()
    assert_clean(at)
    assert any("only defined at stride 1" in w.value for w in at.warning)
    assert not at.error and len(at.get("plotly_chart")) == 1
    assert any(r"\frac{342 + 1 + 1 - 1\cdot(3 - 1) - 1}{2}" in t for t in _latex(at))
    # the panels downstream use the same replacement, and say so too
    _switch(at, "Pooling")
    assert_clean(at)
    assert any("only defined at stride 1" in w.value for w in at.warning)
    assert any(r"\frac{171 - 2}{2}" in t for t in _latex(at))  # it pools the 171-row map


KERNEL_ERRORS = [
    ("1 2; 3", "same number of cells"),
    ("1, , 2", "is empty"),
    ("1 2 abc", "must be a number"),
    ("", "empty"),
]


def test_custom_kernel_errors_are_messages_and_a_valid_one_works():
    at = _open("Kernels")
    at.selectbox(key="cv_kernel").set_value("Custom").run()
    for text, message in KERNEL_ERRORS:
        at.text_area(key="cv_custom").set_value(text).run()
        assert_clean(at, f"for kernel text {text!r}")
        assert any(message in e for e in _errors(at)), _errors(at)
        assert any("identity kernel" in e for e in _errors(at))
        assert len(at.get("plotly_chart")) == 4  # the panel keeps working with the identity kernel
    for text in HOSTILE_TEXTS:
        at.text_area(key="cv_custom").set_value(text).run()
        assert_clean(at, f"for kernel text {text!r}")
        assert at.error and len(at.get("plotly_chart")) == 4
    at.text_area(key="cv_custom").set_value("1/9 1/9 1/9\n1/9 1/9 1/9\n1/9 1/9 1/9").run()
    assert not at.error
    assert any("0.11" in t for t in _latex(at))


def test_a_bad_kernel_is_reported_on_the_panels_that_use_it():
    at = _open("Kernels")
    at.selectbox(key="cv_kernel").set_value("Custom").run()
    at.text_area(key="cv_custom").set_value("1 2; 3").run()
    for panel in PANELS[1:5]:
        _switch(at, panel)
        assert_clean(at, f"on {panel}")
        assert any("same number of cells" in e for e in _errors(at)), (panel, _errors(at))
        assert at.get("plotly_chart"), f"{panel} drew nothing with the identity kernel"


def test_kernel_larger_than_image_is_explained_with_what_to_change():
    at = _upload(_open("Stride, padding, dilation"), "tiny.png", _png(_photo(6, 5)))
    at.selectbox(key="cv_kernel").set_value("Box blur").run()
    at.slider(key="cv_size").set_value(11)
    at.segmented_control(key="cv_pad_mode").set_value("valid")
    at.run()
    assert_clean(at)
    message = next(e for e in _errors(at) if "kernel must fit" in e)
    assert "along the height" in message and "along the width" in message
    assert "at most 5 taps" in message and "padding of at least 3 pixels per side" in message
    assert any("impossible" in t for t in _latex(at))
    assert not at.get("plotly_chart")
    # following the advice makes it fit
    at.segmented_control(key="cv_pad_mode").set_value("number").run()
    at.slider(key="cv_pad").set_value(3).run()
    assert_clean(at)
    assert not at.error and len(at.get("plotly_chart")) == 1


def test_unusual_but_valid_images_work_on_every_panel():
    at = _open("Kernels")
    at.radio(key="cv_img_src").set_value("Upload").run()
    for name, data in GOOD.items():
        _switch(at, "Kernels")
        at.get("file_uploader")[0].set_value((name, data, "image/png"))
        at.run()
        for panel in PANELS:
            if panel != "Kernels":
                _switch(at, panel)  # the upload follows the visitor
            assert_clean(at, f"after uploading {name}, on {panel}")
            expected = ONE_PIXEL_ERRORS.get(panel) if name == "one_pixel.png" else None
            if expected:
                assert any(expected in e for e in _errors(at)), (name, panel, _errors(at))
            else:
                assert not at.error, (name, panel, _errors(at))
                assert at.get("plotly_chart"), (name, panel)
                if panel in PANELS[:4]:  # they say which image they filter
                    assert any(name in c.value for c in at.caption), (name, panel)


def test_bad_files_give_a_message():
    at = _open("Kernels")
    at.radio(key="cv_img_src").set_value("Upload").run()
    for name, data in BAD.items():
        at.get("file_uploader")[0].set_value((name, data, "image/png"))
        at.run()
        assert_clean(at, f"after uploading {name}")
        assert at.error and name in at.error[0].value
    _switch(at, "Pooling")  # the same bad upload, with the picker folded away
    assert_clean(at)
    assert any("bomb.png" in e for e in _errors(at))
    assert any("cannot be used" in e for e in _errors(at))


def test_sobel_magnitude_and_the_full_stack():
    at = _open("Kernels")
    at.toggle(key="cv_sobel").set_value(True).run()
    assert_clean(at)
    assert any(r"\sqrt{g_x^2 + g_y^2}" in t for t in _latex(at))
    assert not at.error and len(at.get("plotly_chart")) == 5
    at = _open("Tiny CNN")
    assert len(_charts(at)[0]["data"]) == 1 + 3  # the input and the three last maps
    at.toggle(key="cv_stack").set_value(True).run()
    assert_clean(at)
    assert not at.error and len(_charts(at)[0]["data"]) == 1 + 4 + 4 + 4 + 3 + 3


def test_receptive_field_of_a_one_row_kernel_is_one_row_tall():
    at = _open("One output pixel")
    at.selectbox(key="cv_kernel").set_value("Custom").run()
    at.text_area(key="cv_custom").set_value(" ".join(str(i) for i in range(1, 12))).run()
    assert_clean(at)
    text = next(m.value for m in at.markdown if "that conv again" in m.value)
    assert text.startswith("conv (1 x 11, s=1, d=1)")
    assert "after conv: **1 x 11 px**], unit (171, 256) of a 342 x 512 map" in text  # one row tall
    assert (
        "after + pool + conv: **2 x 32 px**" in text
    )  # columns 11, 12, then 10 more taps 2 px apart


def test_one_pixel_is_its_written_out_sum_and_follows_a_smaller_map():
    at = _open("One output pixel")
    at.slider(key="cv_row").set_value(341)
    at.slider(key="cv_col").set_value(0)
    at.run()
    assert_clean(at)
    assert any(r"y_{341,0}" in t and "(0.00)(-1)" in t for t in _latex(at))  # padding below
    fields = next(m.value for m in at.markdown if "that conv again" in m.value)
    assert "unit (341, 0) of a 342 x 512 map" in fields  # the field follows the chosen pixel
    assert "unit (170, 0) of a 171 x 256 map" in fields  # the bottom-left corner after pooling
    at.slider(key="cv_stride").set_value(5).run()  # the map shrinks to 69 rows
    assert_clean(at)
    assert at.slider(key="cv_row").max == 68 and at.slider(key="cv_row").value <= 68
    assert not at.error and len(at.get("plotly_chart")) == 3


def test_im2col_animation_is_behind_its_toggle():
    at = _open("Sliding kernel and im2col")
    assert len(at.get("plotly_chart")) == 1
    assert any(r"{16 \times 9}" in t for t in _latex(at))  # 4 x 4 windows of a 3 x 3 kernel
    at.toggle(key="cv_im2col").set_value(True).run()
    assert_clean(at)
    slide = _charts(at)[0]
    assert len(at.get("plotly_chart")) == 2 and len(slide["frames"]) == 16
    at.selectbox(key="cv_kernel").set_value("Box blur").run()
    at.slider(key="cv_size").set_value(7).run()
    assert_clean(at)
    assert any("up to 5 x 5" in i.value for i in at.info)


@pytest.mark.parametrize(
    "query, panel",
    [
        ({"cv_kernel": "Laplacian"}, "Kernels"),
        ({"cv_stride": "2"}, "Stride, padding, dilation"),
        ({"cv_pool_size": "3"}, "Pooling"),
        ({"cv_row": "5"}, "One output pixel"),
        ({"cv_im2col": "true"}, "Sliding kernel and im2col"),
    ],
)
def test_an_old_link_opens_the_panel_of_its_controls_with_its_values(query, panel):
    at = open_page(PAGE, query=query)
    assert_clean(at)
    assert [t.label for t in at.tabs if len(t.children)] == [panel]
    ((key, value),) = query.items()
    widget = next(
        w for kind in ("selectbox", "slider", "toggle") for w in at.get(kind) if w.key == key
    )
    assert str(widget.value).lower() == value.lower()


def test_the_kernel_chosen_on_one_panel_is_used_on_the_others():
    at = _open("Kernels")
    at.selectbox(key="cv_kernel").set_value("Laplacian").run()
    for panel in PANELS[1:5]:
        _switch(at, panel)
        assert_clean(at, f"on {panel}")
        assert at.selectbox(key="cv_kernel").value == "Laplacian"
        if panel != "Sliding kernel and im2col":
            assert any("**Laplacian** (3 x 3)" in c.value for c in at.caption), panel
