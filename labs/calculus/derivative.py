"""The derivative: secants close in on the tangent."""

from __future__ import annotations

import streamlit as st

from charts import calculus as charts
from dlcore import calculus as calc
from dlcore.tex import tex_number as num
from dlcore.views import calculus as views
from labs.calculus import function
from labs.calculus.keys import PREFIX, ranged
from ui import download_csv, notice, show_code, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = (*function.KEYS, "x0", "h")
EXPORT = Export(
    PREFIX,
    "Derivative",
    (Step(views.derivative_view, "v"),),
    (
        Number("f′(x₀)", "v.slope", ".10g"),
        Number("Secant slope", "v.secant", ".10g"),
        Number("Secant slope − tangent slope", "v.gap", ".3g"),
    ),
    Chart(
        charts.tangent_figure,
        ("v.x", "v.fx", "v.dfx", "x0", "v.f0", "v.slope", "h", "v.secant", "v.hs", "v.secants"),
    ),
)
STEPS = [1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 0.3, 1.0, 2.0]
view = st.cache_data(views.derivative_view, max_entries=64, show_spinner=False)


def point_controls(fn: views.FunctionView) -> tuple[float, float]:
    """The point x0 on the plot range and the step h (shared with the finite-difference panel)."""
    lo, hi = fn.lo, fn.hi
    left, right = st.columns(2)
    start = round(lo + 0.35 * (hi - lo), 2)
    x0 = left.slider("Point x₀", lo, hi, start, (hi - lo) / 200, **ranged("x0", lo, hi, start))
    h = right.select_slider("Secant step h", STEPS, 2.0, **url(PREFIX, "h"))
    return x0, h


def _formulas(v: views.DerivativeView) -> None:
    x0, h = v.x0, v.h
    st.latex(rf"f'(x) = {v.prime_latex}")
    st.latex(rf"f'({x0:.4g}) = {num(v.slope, 6)}")
    st.latex(
        rf"\frac{{f({x0:.4g} + {num(h, 3)}) - f({x0:.4g})}}{{{num(h, 3)}}} = {num(v.secant, 6)}"
    )
    st.metric("Secant slope − tangent slope", f"{v.gap:.3g}")


view = record(view)


@st.fragment
def render() -> None:
    """f, f' and the tangent at x0, with the secant of step h animated down to the tangent."""
    fn = function.pick_function()
    if fn is None:
        return
    x0, h = point_controls(fn)
    v = view(fn.text, fn.lo, fn.hi, x0, h)
    left, right = st.columns([3, 2])
    figure = charts.tangent_figure(
        v.x, v.fx, v.dfx, x0, v.f0, v.slope, h, v.secant, v.hs, v.secants
    )
    show_chart(left, figure)
    with right:
        if v.problem:
            st.warning(v.problem)
        else:
            _formulas(v)
        if fn.note:
            st.caption(fn.note)
        notice(
            "Press ▶ under the chart or drag its h slider: as h shrinks the secant turns into the "
            "tangent, and its slope into f′(x₀). The dashed orange curve is f′, exact, from "
            "differentiating the formula."
        )
        download_csv(
            "Download f and f′ (CSV)",
            {"x": v.x, "f": v.fx, "f_prime": v.dfx},
            "derivative.csv",
            key="calc_dl_derivative",
        )
    show_code(views.derivative_view, calc.derivative, export=EXPORT)
