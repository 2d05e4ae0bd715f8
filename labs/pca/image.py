"""Low-rank image compression with the SVD."""

from __future__ import annotations

import numpy as np
import streamlit as st

from charts import pca as ch
from dlcore import linalg as la
from dlcore.views import pca as views
from labs.pca.keys import PREFIX
from ui import download_png, image_source, notice, show_code, show_error, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart
from ui.state import keep_choice

KEYS = ("rank", "img_src")
EXPORT = Export(
    PREFIX,
    "Image compression",
    (Step(la.image_svd, "svd"), Step(views.image_view, "v")),
    (
        Number("Storage", "v.storage", ".4f"),
        Number("Relative error", "v.rel_error", ".4f"),
        Number("Energy kept", "v.energy", ".4f"),
    ),
    Chart(ch.spectrum_figure, ("svd.S", "v.k", "v.channels")),
)


@st.cache_data(max_entries=6, show_spinner=False)
def decompose(ident: str, _img: np.ndarray) -> la.ImageSVD:
    """Keyed by who the pixels belong to (``ImageChoice.ident``): an upload's id, or the sample."""
    return la.image_svd(_img)


def _show(v: views.ImageView, original: np.ndarray, caption: str, S: np.ndarray) -> None:
    c1, c2, c3 = st.columns(3)
    c1.metric("Storage k(m+n+1)/(mn)", f"{100 * v.storage:.1f}%")
    c2.metric("Relative error ‖A−Aₖ‖/‖A‖", f"{100 * v.rel_error:.2f}%")
    c3.metric("Energy kept Σσᵢ²", f"{100 * v.energy:.2f}%")
    st.latex(
        rf"A_{{{v.k}}} = \sum_{{i=1}}^{{{v.k}}} \sigma_i u_i v_i^\top,\quad \frac{{k(m+n+1)}}{{mn}}"
        rf" = \frac{{{v.k}({v.height}+{v.width}+1)}}{{{v.height}\cdot{v.width}}} = "
        rf"{v.storage:.4f}\ \text{{per channel}}"
    )
    left, right = st.columns(2)
    # st.image sends a compressed picture; a Plotly image of the same pixels is ~0.4 MB of JSON
    left.image(original, caption=caption, clamp=True, width="stretch")
    right.image(
        v.image, caption=f"rank {v.k}, each RGB channel on its own", clamp=True, width="stretch"
    )
    show_chart(st, ch.spectrum_figure(S, v.k, v.channels))


decompose = record(decompose, la.image_svd)
image_view = record(views.image_view)


@st.fragment
def render() -> None:
    """An image rebuilt from its k largest singular triplets per channel."""
    img, caption, ident = image_source(PREFIX, max_side=384)
    if img is None:
        return
    try:
        svd = decompose(ident, img)
    except ValueError as exc:
        show_error(
            f"This image cannot be compressed: {exc}", hint="Choose a sample or a larger image."
        )
        return
    r = svd.S.shape[1]
    keep_choice(f"{PREFIX}_rank", range(1, r + 1), min(20, r))  # a smaller image than the last
    k = st.slider("Rank k", 1, r, min(20, r), **url(PREFIX, "rank"))
    v = image_view(svd, k)  # one matrix product per channel: cheaper than a cache lookup
    _show(v, img, caption, svd.S)
    notice(
        "A photo's singular values fall steeply: the first few rank-one layers hold the broad "
        "shapes, the long tail holds fine texture. By Eckart-Young no rank-k image is closer to "
        "the original than this one."
    )
    download_png(f"Download the rank-{k} image (PNG)", v.image, f"svd_rank_{k}.png")
    show_code(views.image_view, la.image_svd, la.compress_image, la.low_rank_approx, export=EXPORT)
