"""The kernel sliding over a small crop, and the whole convolution as one matrix product."""

from __future__ import annotations

import streamlit as st

from charts import conv as cc
from dlcore import conv
from dlcore.views import convolution as views
from labs.convolution import controls
from labs.convolution.keys import GEOMETRY_KEYS, IMAGE_KEYS, KERNEL_KEYS, PREFIX
from ui import notice, show_code, show_error, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("im2col", *GEOMETRY_KEYS, *KERNEL_KEYS, *IMAGE_KEYS)
EXPORT = Export(
    PREFIX,
    "Sliding kernel and im2col",
    (Step(views.im2col_view),),
    (Number("Kernel positions", "w.positions"), Number("Kernel taps", "w.taps")),
    Chart(cc.im2col_product, ("w.im2col.cols", "w.im2col.weights[0]", "w.im2col.out[0]")),
)


@st.cache_data(max_entries=16, show_spinner=False)
def view(
    ident: str, _img, kernel: views.KernelSettings, geometry: views.GeometrySettings
) -> views.Im2colView:
    """``views.im2col_view``, keyed by the image's ident (an upload's id or the sample)."""
    return views.im2col_view(_img, kernel, geometry)


def _notice(w: views.Im2colView, animate: bool) -> None:
    (kh, kw), (ch, cw) = w.kernel.weights.shape, w.crop.shape
    if animate:
        notice(
            f"Press Play: each window is one {kh} x {kw} patch of this {ch} x {cw} crop (first "
            "channel) and one row of the patch matrix. Every output is a dot product: the layer "
            "is one matrix product."
        )
    else:
        notice(
            f"Each row of the patch matrix is one {kh} x {kw} window of this {ch} x {cw} crop "
            "(first channel); turn on the animation to watch the kernel slide. Every output is a "
            "dot product: the layer is one matrix product."
        )


view = record(view, views.im2col_view)


@st.fragment
def render() -> None:
    """im2col on a crop of the image: patches as rows, the kernel as a vector, one product."""
    inputs = controls.pipeline_controls()
    animate = st.toggle(
        "Show the kernel sliding over the crop (an animation)",
        value=False,
        **url(PREFIX, "im2col"),
    )
    source = inputs.source
    if source.img is None:
        return controls.no_image()
    w = view(source.ident, source.img, inputs.kernel, inputs.geometry)
    controls.kernel_problem(w.kernel)
    if w.too_large:
        return st.info(w.problem)
    if w.problem:
        return show_error(w.problem)
    res, g = w.im2col, w.geometry
    st.latex(cc.im2col_latex(w.positions, w.taps, res.out.shape[1:]))
    if animate:
        show_chart(
            st,
            cc.sliding(w.crop, res.out[0], w.kernel.weights.shape, g.stride, g.dilation),
            key="cv_slide_fig",
        )
    show_chart(st, cc.im2col_product(res.cols, res.weights[0], res.out[0]), key="cv_im2col_fig")
    _notice(w, animate)
    show_code(views.im2col_view, conv.im2col, conv.conv2d_im2col, export=EXPORT)
