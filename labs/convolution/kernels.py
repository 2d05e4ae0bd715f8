"""Kernels on your image: a preset or typed kernel slides over the whole picture."""

from __future__ import annotations

import streamlit as st

from charts import conv as cc
from dlcore import conv
from dlcore.tex import tex_matrix
from dlcore.views import convolution as views
from labs.convolution import controls
from labs.convolution.keys import IMAGE_KEYS, KERNEL_KEYS, PREFIX
from ui import ImageChoice, download_png, notice, show_code, url
from ui.export import Call, Chart, Export, Lit, Number, Step, record
from ui.figures import show_chart

KEYS = (*KERNEL_KEYS, "sobel", *IMAGE_KEYS)
EXPORT = Export(
    PREFIX,
    "Kernels",
    (Step(views.kernels_view),),
    (
        Number("Feature map shape", "w.map.out.shape"),
        Number("Largest Sobel magnitude", "w.magnitude_max", ".4f"),
    ),
    Chart(cc.picture, (Call(cc.hwc, (Call(cc.unit_range, ("w.map.out",)),)), Lit("feature map"))),
)


# At most 6 x about 5 MB: entries are keyed by image, and every upload makes new ones.
@st.cache_data(max_entries=6, show_spinner=False)
def view(ident: str, _img, kernel: views.KernelSettings, sobel: bool) -> views.KernelsView:
    """``views.kernels_view``, keyed by the image's ident (an upload's id or the sample)."""
    return views.kernels_view(_img, kernel, sobel)


def _kernel(k: views.KernelChoice) -> None:
    controls.kernel_problem(k)
    if k.description:
        st.caption(f"**{k.name}**: {k.description}")
    kh, kw = k.weights.shape
    left, right = st.columns([1, 2])
    show_chart(
        left,
        cc.zoom(k.weights, f"{kh} x {kw} kernel", signed=True, height=300),
        key="cv_kernel_fig",
    )
    with right:
        if k.latex:
            st.latex(rf"\text{{{k.name}}}:\; {k.latex}")
        if k.written_out:
            st.latex(r"K = " + tex_matrix(k.weights, digits=2, env="bmatrix"))
        st.latex(cc.kernel_sum_latex(k.weights.shape, k.total))


def _maps(source: ImageChoice, fm: views.FeatureMap) -> None:
    norm = cc.unit_range(fm.out)
    height, width = source.img.shape[:2]
    colour = fm.channels == 3
    c1, c2, c3 = st.columns(3)
    side = controls.COLUMN_SIDE
    show_chart(
        c1, cc.picture(source.img, f"input, {height} x {width}", max_side=side), key="cv_input_fig"
    )
    show_chart(
        c2,
        cc.signed_map(
            fm.signed, "signed values" + (" (mean of R, G, B)" if colour else ""), max_side=side
        ),
        key="cv_signed_fig",
    )
    show_chart(
        c3,
        cc.picture(
            cc.hwc(norm), f"normalised to [0, 1], {norm.shape[1]} x {norm.shape[2]}", max_side=side
        ),
        key="cv_norm_fig",
    )
    st.caption(
        source.caption
        + (". Colour images are filtered per channel (groups = 3)." if colour else ".")
    )
    download_png(
        "Download the feature map (PNG)",
        cc.hwc(norm),
        f"feature_map_{fm.kernel.name.lower().replace(' ', '_')}.png",
        key="cv_download",
    )


def _edges(w: views.KernelsView) -> None:
    st.latex(
        r"\|\nabla x\| = \sqrt{g_x^2 + g_y^2},\; g_x = K_{\text{Sobel}\,x} \star x,\; "
        rf"g_y = K_{{\text{{Sobel}}\,y}} \star x \qquad \max = {w.magnitude_max:.3g}"
    )
    show_chart(
        st,
        cc.picture(
            cc.unit_range(w.magnitude),
            "gradient magnitude (max over channels)",
            height=420,
            max_side=controls.WIDE_SIDE,
        ),
        key="cv_sobel_fig",
    )


view = record(view, views.kernels_view)


@st.fragment
def render() -> None:
    """Pick an image and a kernel; see the kernel, the image and the feature map it makes."""
    source = controls.image_controls()
    if source.img is None:
        return controls.no_image()
    settings = controls.kernel_controls()
    body = st.container()  # drawn above the Sobel toggle, which the view needs first
    sobel = st.toggle(
        "Sobel magnitude: edges in every direction", value=False, **url(PREFIX, "sobel")
    )
    w = view(source.ident, source.img, settings, sobel)
    with body:
        _kernel(w.map.kernel)
        _maps(source, w.map)
        notice(
            "Blue is negative, red positive. Edge kernels (Sobel, Laplacian) sum to 0: flat "
            "regions give 0 and only changes light up. Blurs sum to 1 and keep the brightness. "
            "Here the kernel moves one pixel at a time over a zero-padded image ('same' "
            "padding), so the map keeps the image's size: the next panel changes that."
        )
    if w.magnitude is not None:
        _edges(w)
    show_code(
        views.kernels_view, conv.conv2d_naive, conv.conv2d, conv.shift_accumulate, export=EXPORT
    )
