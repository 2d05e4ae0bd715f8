"""A tiny fixed CNN: edge filters, ReLU, pooling, then filters that combine the edges."""

from __future__ import annotations

import streamlit as st

from charts import conv as cc
from dlcore.layers import feature_stack
from dlcore.views import convolution as views
from labs.convolution import controls
from labs.convolution.keys import IMAGE_KEYS, PREFIX
from ui import notice, show_code, show_error, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("stack", *IMAGE_KEYS)
EXPORT = Export(
    PREFIX,
    "Tiny CNN",
    (Step(views.stack_view),),
    (Number("Shapes", "w.shapes"),),
    Chart(cc.stage_grid, ("w.summary",)),
)


@st.cache_data(max_entries=8, show_spinner=False)
def view(ident: str, _img) -> views.StackView:
    """``views.stack_view``, keyed by the image's ident (an upload's id or the sample)."""
    return views.stack_view(_img)


view = record(view, views.stack_view)


@st.fragment
def render() -> None:
    """Run a two-layer stack with hand-made weights on the image; see every map it makes."""
    with st.expander("Image"):
        source = controls.image_controls()
    full = st.toggle(
        "Show every stage of the stack (conv, ReLU, pool: 19 maps)",
        value=False,
        **url(PREFIX, "stack"),
    )
    if source.img is None:
        return controls.no_image()
    w = view(source.ident, source.img)
    if w.problem:
        show_error(w.problem, hint="Use a larger image for the stack.")
    else:
        show_chart(st, cc.stage_grid(w.stages if full else w.summary), key="cv_stack_fig")
        st.caption(
            "Shapes (channels x height x width): "
            + " → ".join(f"{name} {c} x {h} x {wd}" for name, (c, h, wd) in w.shapes)
        )
    notice(
        "Layer 1 finds edges of each direction and polarity; ReLU keeps the positive part; "
        "pooling halves the size; layer 2 combines edge maps into lines and texture. Maps get "
        "smaller and more abstract with depth."
    )
    show_code(views.stack_view, feature_stack, export=EXPORT)
