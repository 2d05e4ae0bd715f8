"""Order matters: applying A then B is not applying B then A."""

from __future__ import annotations

import streamlit as st

from charts import linalg as ch
from dlcore import transforms2d as t2d
from dlcore.tex import tex_matrix as tm
from dlcore.views import linear_algebra as views
from labs.linear_algebra.keys import PREFIX
from ui import notice, show_code, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("prod_a", "compose")
EXPORT = Export(
    PREFIX,
    "Products",
    (Step(views.products_view),),
    (Number("AB", "w.AB"), Number("BA", "w.BA"), Number("Commute", "w.commute")),
    Chart(ch.compose_figure, ("w.A", "w.B")),
)
view = st.cache_data(views.products_view, max_entries=64, show_spinner=False)


view = record(view)


@st.fragment
def render() -> None:
    """Two matrices from the presets, composed in both orders."""
    names = list(t2d.TRANSFORMS)
    c1, c2, _ = st.columns([1, 1, 1])
    a_name = c1.selectbox("A (applied first in BA)", names, index=0, **url(PREFIX, "prod_a"))
    b_name = c2.selectbox("B", names, index=1, **url(PREFIX, "compose"))
    w = view(t2d.TRANSFORMS[a_name].as_array(), t2d.TRANSFORMS[b_name].as_array())
    show_chart(st, ch.compose_figure(w.A, w.B))
    st.latex(rf"BA = {tm(w.BA, digits=3)} \qquad AB = {tm(w.AB, digits=3)}")
    st.latex(rf"AB - BA = {tm(w.difference, digits=3)}")
    if w.commute:
        st.success(
            "These two commute: AB = BA (for example two rotations, two scalings of the axes, "
            "or anything with the identity)."
        )
    else:
        st.caption("AB ≠ BA: the F ends up in a different place depending on the order.")
    notice(
        "Read BA right to left: first A, then B. Each entry of BA is a row of B times a column "
        "of A, so swapping the factors pairs different rows with different columns."
    )
    show_code(views.products_view, export=EXPORT)
