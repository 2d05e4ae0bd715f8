"""Gradient flow: gradient descent is Euler's method for dx/dt = -grad f."""

from __future__ import annotations

import streamlit as st

from charts import calculus as charts
from dlcore import calculus as calc
from dlcore import gradflow
from dlcore.objectives import OBJECTIVES
from dlcore.views import calculus as views
from labs.calculus.keys import PREFIX
from ui import download_csv, notice, show_code, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("flow_surface", "lr", "steps")
EXPORT = Export(
    PREFIX,
    "Gradient flow",
    (Step(views.flow_view, "v"),),
    (Number("Flow time t", "v.t_end", ".4g"),),
    Chart(charts.flow_gap_figure, ("v.comparison.descent.t", "v.comparison.gap")),
)
RATES = [0.001, 0.003, 0.01, 0.03, 0.05, 0.1, 0.15, 0.19, 0.21, 0.3, 0.5, 1.0]
view = st.cache_data(views.flow_view, max_entries=32, show_spinner=False)


view = record(view)


@st.fragment
def render() -> None:
    """Descent's iterates against the exact flow on a contour plot, and the gap between them."""
    left, middle, right = st.columns(3)
    name = left.selectbox("Surface", list(OBJECTIVES), index=1, **url(PREFIX, "flow_surface"))
    lr = middle.select_slider(
        "Learning rate (the Euler time step)", RATES, 0.05, **url(PREFIX, "lr")
    )
    steps = right.slider("Steps", 5, 200, 40, 5, **url(PREFIX, "steps"))
    v = view(name, lr, steps)
    obj = v.objective
    st.latex(
        rf"\frac{{dx}}{{dt}} = -\nabla f(x) \quad\xrightarrow{{\text{{Euler, step }} \eta}}\quad "
        rf"x_{{k+1}} = x_k - {lr:g}\,\nabla f(x_k), \qquad x_{{{steps}}} \approx "
        rf"x(t = {steps} \cdot {lr:g} = {v.t_end:.4g})"
    )
    left, right = st.columns([3, 2])
    contour = charts.contour_figure(
        v.grid, title=name, log_scale=obj.log_scale, paths=v.paths, minima=obj.minima, field=False
    )
    show_chart(left, contour)
    gap = v.comparison
    show_chart(right, charts.flow_gap_figure(gap.descent.t, gap.gap))
    if v.divergence:
        right.warning(v.divergence)
    if v.flow_cut:
        right.caption(v.flow_cut)
    notice(
        "With a small learning rate the dots sit on the flow line: descent follows the ODE. Raise "
        "it and they overshoot and zig-zag across the valley, then fly off once lr × (largest "
        "curvature) passes 2. On the ellipse (curvatures 1 and 10) that happens between lr = 0.19 "
        "and 0.21."
    )
    download_csv("Download both paths (CSV)", v.columns, "gradient_flow.csv", key="calc_dl_flow")
    show_code(
        views.flow_view,
        gradflow.flow_vs_descent,
        calc.gradient_flow,
        gradflow.gradient_descent,
        export=EXPORT,
    )
