"""Finite differences: truncation against round-off, the V of error against h."""

from __future__ import annotations

import streamlit as st

from charts import calculus as charts
from dlcore import differentiation
from dlcore.expr import Expression
from dlcore.tex import tex_number as num
from dlcore.views import calculus as views
from labs.calculus import function
from labs.calculus.derivative import point_controls
from labs.calculus.keys import PREFIX
from ui import notice, show_code
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = (*function.KEYS, "x0", "h")
EXPORT = Export(
    PREFIX,
    "Finite differences",
    (Step(views.differences_view, "v"),),
    (Number("f′(x₀)", "v.slope", ".10g"), Number("Best h", "v.best_h")),
    Chart(charts.error_vs_h_figure, ("v.hs", "v.errors", "v.orders", "h")),
)
view = st.cache_data(views.differences_view, max_entries=64, show_spinner=False)


def _table(v: views.DifferencesView) -> str:
    rows = [
        rf"\text{{{m}:}}\; & {d.latex} = {num(v.at_h[m], 6)}"
        for m, d in differentiation.DIFFERENCES.items()
    ]
    lines = [
        rf"\text{{step }} h:\; & {num(v.h, 3)}",
        *rows,
        rf"\text{{exact:}}\; & {num(v.slope, 6)}",
    ]
    return r"\begin{aligned}" + r"\\[6pt]".join(lines) + r"\end{aligned}"


view = record(view)


@st.fragment
def render() -> None:
    """Forward, backward and central differences against h on log-log axes."""
    fn = function.pick_function()
    if fn is None:
        return
    x0, h = point_controls(fn)
    v = view(fn.text, fn.lo, fn.hi, x0, h)
    left, right = st.columns([3, 2])
    if v.problem:
        right.warning(v.problem)
    else:
        show_chart(left, charts.error_vs_h_figure(v.hs, v.errors, v.orders, h))
        right.latex(_table(v))
        right.caption("Best h: " + ", ".join(f"{m} {b:.0e}" for m, b in v.best_h.items()))
    with right:
        notice(
            "Right of the dip, the error falls like h (forward, backward) or h² (central): "
            "truncation. Left of it, float64 round-off (about 1e-16 / h) takes over, so an ever "
            "smaller h makes things worse: the V."
        )
    show_code(
        views.differences_view,
        differentiation.difference_errors,
        Expression.derivative,
        export=EXPORT,
    )
