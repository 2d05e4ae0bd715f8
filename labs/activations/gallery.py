"""The gallery: each activation and its derivative, at a probe point, and their properties."""

from __future__ import annotations

import streamlit as st

from charts import activations as charts
from dlcore import activations as act
from dlcore.views import activations as views
from labs.activations.keys import PREFIX
from labs.activations.params import param_slider
from ui import download_csv, notice, show_code, show_error, show_table, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("fns", "range", "x0", *views.PARAMS)
EXPORT = Export(
    PREFIX,
    "Gallery",
    (Step(views.gallery_view),),
    (Number("Values and slopes at x₀", "w.probes"),),
    Chart(charts.curves, ("w.curves.x", "w.curves.values", "w.curves.grads"), {"probe": "x0"}),
)
view = st.cache_data(views.gallery_view, max_entries=64, show_spinner=False)


def _inputs() -> tuple[list[str], tuple[float, float], float, dict[str, float]]:
    names = st.multiselect(
        "Activations",
        list(act.ACTIVATIONS),
        default=["ReLU", "GELU", "Sigmoid", "Tanh"],
        **url(PREFIX, "fns"),
    )
    cols = st.columns(2 + len(views.PARAMS))
    x_range = cols[0].slider("x range", -20.0, 20.0, (-5.0, 5.0), step=0.5, **url(PREFIX, "range"))
    x0 = cols[1].slider("Probe point x\u2080", -20.0, 20.0, 1.0, step=0.1, **url(PREFIX, "x0"))
    params = {
        p.name: param_slider(owner, p, col)
        for col, (owner, p) in zip(cols[2:], views.PARAMS.values())
    }
    return names, x_range, x0, params


def _formulas(w: views.GalleryView, x0: float) -> None:
    for i, probe in enumerate(w.probes):
        if i % 2 == 0:
            formula_cols = st.columns(2)  # one row per pair, so neighbours line up
        values = rf"\ ({probe.values})" if probe.values else ""
        formula_cols[i % 2].latex(
            rf"\begin{{gathered}}\textbf{{{probe.name}}}{values}\\ {probe.latex} \\ "
            rf"{probe.grad_latex} \\ f({x0:g}) = {probe.fx:.5g}, \quad "
            rf"f'({x0:g}) = {probe.gx:.5g}\end{{gathered}}"
        )


view = record(view)


@st.fragment
def render() -> None:
    """Pick activations; see them, their derivatives, their values at x0 and their properties."""
    names, x_range, x0, params = _inputs()
    if not names:
        st.info("Pick at least one activation above.")
        return
    try:
        w = view(names, x_range, x0, params)
    except ValueError as exc:
        show_error(exc, hint="Widen the x range so that its two ends differ.")
        return
    c = w.curves
    show_chart(st, charts.curves(c.x, c.values, c.grads, probe=x0), key=f"{PREFIX}_curves_chart")
    notice(
        "Sigmoid's derivative never rises above 1/4 and tanh's above 1: both flatten to 0 for "
        "large |x| (they saturate). ReLU's derivative is exactly 1 or 0, so it neither shrinks a "
        "gradient nor keeps one alive for negative inputs; GELU and SiLU are smooth ReLUs that "
        "dip below zero."
    )
    _formulas(w, x0)
    st.subheader("Properties, measured on a grid")
    show_table(w.table)
    st.caption(
        "Range, saturation and monotonicity come from evaluating f and f\u2032 on [\u221220, 20] "
        "and far out at \u00b11e6; E[f(X)] is a quadrature against the normal density. "
        "f\u2032(0) is PyTorch's value at a kink."
    )
    download_csv("Curves (CSV)", w.csv, "activations.csv", key=f"{PREFIX}_dl_curves")
    show_code(
        views.gallery_view,
        *[fn for n in names for fn in (act.ACTIVATIONS[n].fn, act.ACTIVATIONS[n].grad)],
        act.properties,
        export=EXPORT,
    )
