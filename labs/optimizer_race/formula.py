"""Your own formula: parsed safely, differentiated exactly, checked, and put on the map."""

from __future__ import annotations

import streamlit as st

from charts import optim as ch
from dlcore.expr import Expression
from dlcore.objectives import from_expression
from dlcore.views import optimizer_race as views
from labs.optimizer_race import settings
from labs.optimizer_race.keys import PREFIX
from ui import notice, show_code, show_error
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("formula",)
EXPORT = Export(
    PREFIX,
    "Your formula",
    (Step(views.formula_view),),
    (
        Number("f at the start", "w.value", ".6g"),
        Number("Gradient at the start", "w.grad"),
        Number("Gradient check (relative error)", "w.check", ".2e"),
    ),
    Chart(ch.formula_figure, ("w.grid",), {"start": "w.start", "direction": "w.descent"}),
)
view = st.cache_data(views.formula_view, max_entries=32, show_spinner=False)


def _at_the_start(w: views.FormulaView) -> None:
    (x0, y0), (gx, gy), (nx, ny) = w.start, w.grad, w.numeric
    st.latex(rf"f({x0:.3g}, {y0:.3g}) = {w.value:.4g},\quad \nabla f = ({gx:.4g},\ {gy:.4g})")
    st.latex(rf"\text{{central differences: }} ({nx:.4g},\ {ny:.4g})")
    st.latex(rf"\text{{relative error }} {w.check:.1e}")


view = record(view)


@st.fragment
def render() -> None:
    """Type a formula in x and y: see it parsed, its exact gradient, and its map."""
    left, right = st.columns([1, 1])
    with left:
        text = settings.formula_input(st)
        try:
            w = view(text)
        except ValueError as exc:
            return show_error(exc, hint=settings.FORMULA_HINT)
        st.latex(w.latex)
        st.latex(w.gradient_latex)
        if w.problem:
            st.warning(w.problem)
        else:
            _at_the_start(w)
    show_chart(
        right,
        ch.formula_figure(
            w.grid, start=w.start, direction=w.descent, log_scale=w.objective.log_scale
        ),
    )
    notice(w.notice)
    show_code(views.formula_view, from_expression, Expression.gradient, export=EXPORT)
