"""Pooling: max and average over windows of the feature map, and who gets the gradient."""

from __future__ import annotations

import streamlit as st

from charts import conv as cc
from dlcore import pooling
from dlcore.views import convolution as views
from labs.convolution import controls
from labs.convolution.keys import GEOMETRY_KEYS, IMAGE_KEYS, KERNEL_KEYS, PREFIX
from ui import notice, show_code, show_error, url
from ui.export import Call, Chart, Export, Lit, Number, Step, record
from ui.figures import show_chart

KEYS = ("pool_size", "pool_stride", *GEOMETRY_KEYS, *KERNEL_KEYS, *IMAGE_KEYS)
EXPORT = Export(
    PREFIX,
    "Pooling",
    (Step(views.pooling_view),),
    (Number("Pooled shape", "w.pooled_shape"),),
    Chart(cc.picture, (Call(cc.hwc, (Call(cc.unit_range, ("w.pooled_max",)),)), Lit("max-pooled"))),
)


# At most 6 x about 5 MB: entries are keyed by image, and every upload makes new ones.
@st.cache_data(max_entries=6, show_spinner=False)
def view(
    ident: str,
    _img,
    kernel: views.KernelSettings,
    geometry: views.GeometrySettings,
    size: int,
    stride: int,
) -> views.PoolingView:
    """``views.pooling_view``, keyed by the image's ident (an upload's id or the sample)."""
    return views.pooling_view(_img, kernel, geometry, size, stride)


def _pooled(w: views.PoolingView) -> None:
    (mh, mw), (ph, pw) = w.map.out.shape[1:], w.pooled_shape
    st.latex(
        cc.pool_size_latex("H", mh, w.size, w.stride, ph)
        + r",\qquad "
        + cc.pool_size_latex("W", mw, w.size, w.stride, pw)
    )
    show_chart(
        st,
        cc.picture_row(
            [cc.hwc(cc.unit_range(w.pooled_max)), cc.hwc(cc.unit_range(w.pooled_avg))],
            [f"max-pool, {ph} x {pw}", f"average-pool, {ph} x {pw}"],
            max_side=controls.COLUMN_SIDE,
        ),
        key="cv_pooled_fig",
    )


def _winners(w: views.PoolingView) -> None:
    side = w.crop.shape[0]
    left, right = st.columns([3, 2])
    show_chart(
        left,
        cc.zoom(
            w.crop,
            f"{side} x {side} crop of the feature map (mean of channels), max-pool windows",
            marks=w.mask > 0,
            windows=(w.size, w.stride),
            height=460,
        ),
        key="cv_mask_fig",
    )
    right.latex(
        r"\frac{\partial\, \max(x_1, \dots, x_n)}{\partial x_i} = "
        r"\begin{cases} 1 & x_i \text{ is the max} \\ 0 & \text{otherwise} \end{cases}"
    )
    right.markdown(
        f"The circled pixels won their window: **{w.winners}** of {w.crop_pixels} pixels "
        "receive any gradient."
        + (" With stride < size a pixel can win several windows." if w.overlapping else "")
    )


view = record(view, views.pooling_view)


@st.fragment
def render() -> None:
    """Pool the feature map of the kernel; see what survives and where the gradient goes."""
    inputs = controls.pipeline_controls()
    c1, c2 = st.columns(2)
    size = c1.slider("Pool size", 2, 6, 2, **url(PREFIX, "pool_size"))
    stride = c2.slider("Pool stride", 1, 6, 2, **url(PREFIX, "pool_stride"))
    source = inputs.source
    if source.img is None:
        return controls.no_image()
    w = view(source.ident, source.img, inputs.kernel, inputs.geometry, size, stride)
    controls.kernel_problem(w.map.kernel)
    if w.map.geometry.warning:
        st.warning(w.map.geometry.warning)
    if w.problem:
        return show_error(w.problem)
    controls.describe(source, w.map)
    _pooled(w)
    if w.crop is not None:
        _winners(w)
    notice(
        "Max-pooling keeps the strongest response in each window, so edges survive "
        "downsampling; averaging blurs them. In backprop only the argmax pixel of a window gets "
        "gradient: the others had no effect on the output."
    )
    show_code(views.pooling_view, pooling.max_pool2d, pooling.max_pool2d_backward, export=EXPORT)
