"""One output pixel: the sum it is, the patch it sees, and its receptive field in a stack."""

from __future__ import annotations

import streamlit as st

from charts import conv as cc
from dlcore import conv
from dlcore.layers import receptive_field
from dlcore.views import convolution as views
from labs.convolution import controls
from labs.convolution.keys import GEOMETRY_KEYS, IMAGE_KEYS, KERNEL_KEYS, PREFIX
from ui import notice, show_code, show_error, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart
from ui.state import keep_choice

KEYS = ("row", "col", "channel", *GEOMETRY_KEYS, *KERNEL_KEYS, *IMAGE_KEYS)
EXPORT = Export(
    PREFIX,
    "One output pixel",
    (Step(views.pixel_view),),
    (
        Number("Output pixel row", "w.row"),
        Number("Column", "w.col"),
        Number("Value", "w.value", ".6g"),
    ),
    Chart(cc.pixel_product, ("w.patch.values", "w.map.kernel.weights")),
)
STACK_HINT = "The conv-pool-conv stack does not fit this image with these settings."


# At most 8 x about 5 MB (each holds the padded image): keyed by image and pixel.
@st.cache_data(max_entries=8, show_spinner=False)
def view(
    ident: str,
    _img,
    kernel: views.KernelSettings,
    geometry: views.GeometrySettings,
    row: int,
    col: int,
    channel: int,
) -> views.PixelView:
    """``views.pixel_view``, keyed by the image's ident (an upload's id or the sample)."""
    return views.pixel_view(_img, kernel, geometry, row, col, channel)


def _position(shape: views.OutputShape, channels: int) -> tuple[int, int, int]:
    # a new image or kernel can leave the old position outside the map
    keep_choice(f"{PREFIX}_row", range(shape.height), shape.centre_row)
    keep_choice(f"{PREFIX}_col", range(shape.width), shape.centre_col)
    c1, c2, c3 = st.columns(3)
    # a slider needs two values to choose from
    row = (
        c1.slider("Output row i", 0, shape.last_row, shape.centre_row, **url(PREFIX, "row"))
        if shape.height > 1
        else 0
    )
    col = (
        c2.slider("Output column j", 0, shape.last_col, shape.centre_col, **url(PREFIX, "col"))
        if shape.width > 1
        else 0
    )
    channel = (
        "RGB".index(c3.radio("Channel", list("RGB"), horizontal=True, **url(PREFIX, "channel")))
        if channels == 3
        else 0
    )
    return row, col, channel


def _sum(w: views.PixelView) -> None:
    k = w.map.kernel
    st.latex(
        cc.pixel_sum_latex(w.row, w.col, w.patch.values, k.weights, w.value, written_out=k.small)
    )
    left, right = st.columns([1, 2])
    show_chart(left, cc.patch_zoom(w.source, w.patch.rows, w.patch.cols), key="cv_zoom_fig")
    show_chart(right, cc.pixel_product(w.patch.values, k.weights), key="cv_product_fig")


def _field(w: views.PixelView, img) -> None:
    if w.field_problem:
        show_error(w.field_problem, hint=STACK_HINT)
    boxes, lines = cc.field_boxes(w.steps)
    left, right = st.columns([3, 2])
    if boxes:
        show_chart(
            left,
            cc.fields(img, boxes, "receptive fields around the chosen pixel, zoomed"),
            key="cv_field_fig",
        )
    right.latex(r"r_\ell = r_{\ell-1} + d\,(k_\ell - 1)\, j_{\ell-1}")
    right.latex(r"j_\ell = j_{\ell-1}\, s_\ell,\quad r_0 = j_0 = 1")
    (kh, kw), g = w.map.kernel.weights.shape, w.map.geometry
    right.markdown(
        f"conv ({kh} x {kw}, s={g.stride}, d={g.dilation}), max-pool 2 x 2, that conv again:\n"
        + lines
    )
    if w.uneven:
        right.caption(
            "The extra bottom/right pixel that 'same' padding gives an even kernel is left out "
            "of these sizes."
        )


view = record(view, views.pixel_view)


@st.fragment
def render() -> None:
    """Pick an output pixel: its sum term by term, its patch, and how far a stack sees."""
    inputs = controls.pipeline_controls()
    source = inputs.source
    if source.img is None:
        return controls.no_image()
    shape = views.output_shape(source.img.shape, inputs.kernel, inputs.geometry)
    row, col, channel = _position(shape, 3 if source.img.ndim == 3 else 1)
    w = view(source.ident, source.img, inputs.kernel, inputs.geometry, row, col, channel)
    controls.kernel_problem(w.map.kernel)
    if w.map.geometry.warning:
        st.warning(w.map.geometry.warning)
    if w.map.problem:
        return show_error(w.map.problem)
    controls.describe(source, w.map)
    _sum(w)
    _field(w, source.img)
    notice(
        "Each layer adds (k - 1) times its input spacing to the field; stride and pooling "
        "multiply that spacing for later layers, so deep units see large parts of the image "
        "with small kernels."
    )
    show_code(views.pixel_view, conv.patch_at, receptive_field, export=EXPORT)
