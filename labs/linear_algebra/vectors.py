"""Vectors: sum, scaling, dot product, angle and projection."""

from __future__ import annotations

import streamlit as st

from charts import linalg as ch
from dlcore import transforms2d as t2d
from dlcore.tex import tex_vector as tv
from dlcore.views import linear_algebra as views
from labs.linear_algebra.keys import PREFIX
from ui import notice, show_code, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("u1", "u2", "v1", "v2", "c")
EXPORT = Export(
    PREFIX,
    "Vectors",
    (Step(views.vectors_view),),
    (
        Number("u · v", "w.relation.dot", ".4g"),
        Number("cos θ", "w.cos_angle", ".4g"),
        Number("Angle (degrees)", "w.angle_deg", ".4g"),
    ),
    Chart(ch.vectors_figure, ("w.u", "w.v", "c", "w.relation.projection")),
)
view = st.cache_data(views.vectors_view, max_entries=64, show_spinner=False)


def _sliders() -> tuple[tuple[float, float], tuple[float, float], float]:
    a, b = st.columns(2)
    u = (
        a.slider("u₁", -4.0, 4.0, 3.0, 0.25, **url(PREFIX, "u1")),
        b.slider("u₂", -4.0, 4.0, 1.0, 0.25, **url(PREFIX, "u2")),
    )
    v = (
        a.slider("v₁", -4.0, 4.0, 1.0, 0.25, **url(PREFIX, "v1")),
        b.slider("v₂", -4.0, 4.0, 3.0, 0.25, **url(PREFIX, "v2")),
    )
    c = st.slider("Scale c (draws c·u)", -2.0, 2.0, 0.5, 0.25, **url(PREFIX, "c"))
    return u, v, c


def _formulas(w: views.VectorsView) -> None:
    (u1, u2), (v1, v2), r = w.u, w.v, w.relation
    st.latex(rf"u\cdot v = ({u1:g})({v1:g}) + ({u2:g})({v2:g}) = {r.dot:.4g}")
    st.latex(rf"\|u\| = {r.norm_u:.4g},\quad \|v\| = {r.norm_v:.4g}")
    if w.angle_deg != w.angle_deg:  # NaN: a zero vector
        st.warning("The angle is undefined for a zero vector: move it away from the origin.")
    else:
        st.latex(
            rf"\cos\theta = \frac{{u\cdot v}}{{\|u\|\|v\|}} = {w.cos_angle:.4f},"
            rf"\ \theta = {w.angle_deg:.1f}^\circ"
        )
    st.latex(rf"\mathrm{{proj}}_v u = \frac{{u\cdot v}}{{v\cdot v}}\,v = {tv(r.projection)}")


view = record(view)


@st.fragment
def render() -> None:
    """Two arrows you move with sliders, and the numbers that relate them."""
    left, right = st.columns([1, 2])
    with left:
        u, v, c = _sliders()
    w = view(u, v, c)
    show_chart(right, ch.vectors_figure(w.u, w.v, c, w.relation.projection))
    with left:
        _formulas(w)
    if w.perpendicular:
        notice("u · v = 0: the arrows are perpendicular, and the projection of u on v is zero.")
    else:
        notice(
            "The dot product is zero exactly when the arrows are perpendicular (θ = 90°); then "
            "the projection of u on v shrinks to the origin. A negative dot product means the "
            "projection points against v."
        )
    show_code(views.vectors_view, t2d.relate, export=EXPORT)
