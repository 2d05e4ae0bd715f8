"""Stride, padding and dilation: where the kernel lands, and the output-size formula."""

from __future__ import annotations

import streamlit as st

from charts import conv as cc
from dlcore import conv
from dlcore.views import convolution as views
from labs.convolution import controls
from labs.convolution.keys import GEOMETRY_KEYS, IMAGE_KEYS, KERNEL_KEYS, PREFIX
from ui import notice, show_code, show_error
from ui.export import Call, Chart, Export, Lit, Number, Step, record
from ui.figures import show_chart

KEYS = (*GEOMETRY_KEYS, *KERNEL_KEYS, *IMAGE_KEYS)
EXPORT = Export(
    PREFIX,
    "Stride, padding, dilation",
    (Step(views.geometry_view, "fm"),),
    (Number("Feature map shape", "fm.out.shape"),),
    Chart(cc.picture, (Call(cc.hwc, (Call(cc.unit_range, ("fm.out",)),)), Lit("feature map"))),
)


# At most 6 x about 5 MB: entries are keyed by image, and every upload makes new ones.
@st.cache_data(max_entries=6, show_spinner=False)
def view(
    ident: str, _img, kernel: views.KernelSettings, geometry: views.GeometrySettings
) -> views.FeatureMap:
    """``views.geometry_view``, keyed by the image's ident (an upload's id or the sample)."""
    return views.geometry_view(_img, kernel, geometry)


def _formulas(fm: views.FeatureMap) -> None:
    for a in fm.sizes:
        st.latex(cc.size_latex(a.axis, a.n, a.k, a.stride, a.pads, a.dilation, a.out))


view = record(view, views.geometry_view)


@st.fragment
def render() -> None:
    """Move the sliders and watch the output size formula and the feature map follow."""
    with st.expander("Image and kernel"):
        source = controls.image_controls()
        kernel = controls.kernel_controls()
    settings = controls.geometry_controls()
    if source.img is None:
        return controls.no_image()
    fm = view(source.ident, source.img, kernel, settings)
    controls.kernel_problem(fm.kernel)
    if fm.geometry.warning:
        st.warning(fm.geometry.warning)
    _formulas(fm)
    if fm.problem:
        show_error(fm.problem)
    else:
        height, width = source.img.shape[:2]
        oh, ow = fm.out.shape[1:]
        show_chart(
            st,
            cc.picture(
                cc.hwc(cc.unit_range(fm.out)),
                f"feature map, {oh} x {ow} (the input is {height} x {width})",
                height=cc.scaled_height(oh, height),
                max_side=controls.WIDE_SIDE,
            ),
            key="cv_geometry_fig",
        )
        controls.describe(source, fm)
    notice(
        "Stride s moves the kernel s pixels at a time, so the map shrinks by s; padding adds "
        "zeros around the border so the kernel can centre on edge pixels; dilation d spreads "
        "the same weights d pixels apart over a wider area, which shrinks the map unless the "
        "padding grows with it."
    )
    show_code(views.geometry_view, conv.output_size, conv.resolve_padding, export=EXPORT)
