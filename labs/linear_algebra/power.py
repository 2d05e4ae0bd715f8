"""Power iteration: v ← Av / ‖Av‖ converges at the rate |λ₂/λ₁|."""

from __future__ import annotations

import streamlit as st

from charts import linalg as ch
from dlcore import linalg as la
from dlcore.tex import tex_matrix as tm
from dlcore.views import linear_algebra as views
from labs.linear_algebra.keys import PREFIX
from ui import notice, show_code, show_error, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("ratio", "steps", "start", "animate")
EXPORT = Export(
    PREFIX,
    "Power iteration",
    (Step(views.power_view),),
    (
        Number("Last estimate of λ₁", "w.result.estimates[-1]", ".6g"),
        Number("Predicted rate |λ₂/λ₁|", "w.result.rate", ".4g"),
        Number("Observed rate", "w.result.observed_rate", ".4g"),
    ),
    Chart(ch.power_convergence_figure, ("w.result.errors", "w.result.rate")),
)
view = st.cache_data(views.power_view, max_entries=64, show_spinner=False)


def _numbers(w: views.PowerView) -> None:
    res = w.result
    st.latex(rf"A = {tm(w.A, digits=3)}")
    st.latex(rf"\left|\lambda_2/\lambda_1\right| = {res.rate:.3f}")
    st.latex(rf"\text{{observed ratio}} = {res.observed_rate:.3f}")
    st.latex(rf"v^\top A v \to {res.estimates[-1]:.6g}")


view = record(view)


@st.fragment
def render() -> None:
    """Repeatedly multiply a vector by A and watch it turn onto the dominant eigenvector."""
    left, mid, right = st.columns([1, 1.4, 1.4])
    with left:
        ratio = st.slider("λ₂ / λ₁", -0.95, 0.95, 0.5, 0.05, **url(PREFIX, "ratio"))
        steps = st.slider("Steps", 1, 60, 15, **url(PREFIX, "steps"))
        start = st.slider("Start direction (degrees)", 0, 179, 100, **url(PREFIX, "start"))
        animate = st.toggle("Animate", False, **url(PREFIX, "animate"))
    try:
        w = view(ratio, steps, start)
    except ValueError as exc:
        with left:
            show_error(exc)
        return
    show_chart(mid, ch.power_figure(w.result.vectors, w.dominant, animate=animate))
    show_chart(right, ch.power_convergence_figure(w.result.errors, w.result.rate))
    with left:
        _numbers(w)
    notice(
        "Each step shrinks the part of v along the second eigenvector by |λ₂/λ₁|: the error falls "
        "on a straight line on the log axis. Near ±1 convergence crawls."
    )
    if w.on_second:
        st.caption(
            "This start lies on the second eigenvector: in exact arithmetic it never moves; in "
            "float64 a rounding error of about 1e-16 along the dominant direction grows by "
            "|λ₁/λ₂| per step until it takes over."
        )
    else:
        st.caption("Try a start of 120°: it lies on the second eigenvector.")
    show_code(views.power_view, la.power_iteration, export=EXPORT)
