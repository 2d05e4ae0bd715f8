"""Integration: Riemann sums, trapezoids and parabolas, and the order of each rule."""

from __future__ import annotations

import streamlit as st

from charts import calculus as charts
from dlcore import calculus as calc
from dlcore import integration
from dlcore.tex import tex_number as num
from dlcore.views import calculus as views
from labs.calculus import function
from labs.calculus.keys import PREFIX, ranged
from ui import download_csv, notice, show_code, show_error, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = (*function.KEYS, "ab", "n", "rule")
EXPORT = Export(
    PREFIX,
    "Integration",
    (Step(views.integration_view, "v"),),
    (
        Number("Approximate area", "v.area", ".10g"),
        Number("Exact", "v.exact", ".10g"),
        Number("Error", "v.error", ".3g"),
    ),
    Chart(charts.convergence_figure, ("v.ns", "v.errors", "v.orders", "v.n")),
)
view = st.cache_data(views.integration_view, max_entries=64, show_spinner=False)


def _controls(lo: float, hi: float) -> tuple[tuple[float, float], int, str]:
    left, middle, right = st.columns([2, 2, 3])
    w = hi - lo
    start = (round(lo + 0.1 * w, 2), round(lo + 0.8 * w, 2))
    ab = left.slider("Interval [a, b]", lo, hi, start, w / 100, **ranged("ab", lo, hi, start))
    n = middle.slider("Intervals n", 2, 64, 6, 2, **url(PREFIX, "n"))
    rule = right.segmented_control(
        "Rule", list(integration.RULES), default="midpoint", required=True, **url(PREFIX, "rule")
    )
    return ab, n, rule


def _results(v: views.IntegrationView) -> None:
    left, right = st.columns(2)
    shape = v.shape
    figure = charts.integration_figure(v.x, v.fx, shape.x, shape.y, v.nodes, v.rule, v.area)
    show_chart(left, figure)
    show_chart(right, charts.convergence_figure(v.ns, v.errors, v.orders, v.n))
    st.latex(
        rf"\int_{{{v.a:.3g}}}^{{{v.b:.3g}}} f(x)\,dx \approx {integration.RULES[v.rule].latex} = "
        rf"{num(v.area, 10)},\quad \Delta x = \frac{{{v.b:.3g} - ({v.a:.3g})}}{{{v.n}}},\quad "
        rf"\text{{error}} = {num(v.error, 3)}"
    )
    st.caption(
        "Fitted orders (error ~ n^-p): "
        + ", ".join(f"{r} p = {p:.2f}" for r, p in v.fitted.items())
        + f". Reference value {v.exact:.12g} from Simpson with n = 65536."
    )
    if v.check.note:
        st.info(v.check.note)
    download_csv(
        "Download the errors (CSV)",
        {"n": v.ns, **v.errors},
        "integration_errors.csv",
        key="calc_dl_integration",
    )


view = record(view)


@st.fragment
def render() -> None:
    """The area a rule measures, and its error against n on log-log axes."""
    fn = function.pick_function()
    if fn is None:
        return
    (a, b), n, rule = _controls(fn.lo, fn.hi)
    try:
        v = view(fn.text, a, b, n, rule)
    except ValueError as exc:
        show_error(exc, hint="Drag the two ends of the interval apart.")
        return
    if v.check.integrable:
        _results(v)
    else:
        st.warning(v.check.message)
        title = f"f on [{a:.3g}, {b:.3g}]: no finite area to approximate"
        show_chart(st, charts.curve_figure(v.x, v.fx, title))
    notice(
        "Doubling n halves the left/right error (order 1), quarters the midpoint and trapezoid "
        "error (order 2) and divides Simpson's by 16 (order 4), until round-off. Try the kink "
        "abs(x): smoothness sets the order."
    )
    show_code(
        views.integration_view,
        calc.integrate,
        integration.integrability,
        integration.approximant,
        export=EXPORT,
    )
