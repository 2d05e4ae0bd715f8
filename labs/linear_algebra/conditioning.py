"""Near-singular systems: the condition number amplifies a nudge of b."""

from __future__ import annotations

import streamlit as st

from charts import linalg as ch
from dlcore import linalg as la
from dlcore.views import linear_algebra as views
from labs.linear_algebra.keys import PREFIX
from ui import notice, show_code, show_error, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("eps", "delta")
EXPORT = Export(
    PREFIX,
    "Conditioning",
    (Step(views.system_conditioning_view),),
    (Number("Condition number κ(A)", "w.kappa", ".4g"), Number("Solution x", "w.x")),
    Chart(ch.lines_figure, ("w.A", "w.b", "w.x", "w.x_nudged")),
)
EPSILONS = [1.0, 0.3, 0.1, 0.03, 0.01, 1e-3, 1e-4, 1e-6, 0.0]
view = st.cache_data(views.system_conditioning_view, max_entries=64, show_spinner=False)


view = record(view)


@st.fragment
def render() -> None:
    """Squeeze two lines towards parallel and watch a small nudge of b throw x away."""
    left, right = st.columns([1, 2])
    with left:
        eps = st.select_slider("ε in A = [[1, 1], [1, 1 + ε]]", EPSILONS, 0.1, **url(PREFIX, "eps"))
        delta = st.slider(
            "Nudge δ added to b₂", -0.05, 0.05, 0.01, 0.005, format="%.3f", **url(PREFIX, "delta")
        )
    w = view(eps, delta)
    show_chart(right, ch.lines_figure(w.A, w.b, w.x, w.x_nudged))
    with left:
        if w.x is None:
            show_error(w.problem, hint="ε = 0 makes the rows equal: move the ε slider off 0.")
        else:
            st.metric("Condition number κ(A)", f"{w.kappa:.4g}")
            st.latex(
                rf"\frac{{\|\Delta x\|}}{{\|x\|}} = {w.moved:.3g} \le "
                rf"\kappa\,\frac{{\|\Delta b\|}}{{\|b\|}} = {w.bound:.3g}"
            )
    notice(
        "As ε shrinks the lines turn parallel: κ grows like 4/ε and the same small nudge of b "
        "throws the solution far away. At ε = 0 the system is singular."
    )
    show_code(views.system_conditioning_view, la.condition_number, export=EXPORT)
