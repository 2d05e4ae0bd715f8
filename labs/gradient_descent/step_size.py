"""One dimension: the step size against the curvature, and what the iterates do."""

from __future__ import annotations

import streamlit as st

from charts import descent as ch
from dlcore import descent as gd
from dlcore.optim import SGD
from dlcore.views import gradient_descent as views
from labs.gradient_descent.keys import PREFIX
from ui import download_csv, notice, show_code, show_error, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("fn", "lam", "formula", "lr", "x0", "steps")
LR_MAX = 1.2
# The colours of the regime bands in the step-factor chart, and of the verdicts without a regime.
BADGES = {
    "monotone": "green",
    "one step": "blue",
    "oscillating": "orange",
    "bouncing": "red",
    "diverging": "red",
    "flat": "gray",
    "repelled": "violet",
    gd.NO_MINIMUM: "violet",
    gd.STUCK: "gray",
}
view = record(st.cache_data(views.step_size_view, max_entries=64, show_spinner=False))
EXPORT = Export(
    PREFIX,
    "Step size and curvature",
    (Step(views.step_size_view),),
    (
        Number("Curvature λ", "w.curvature", ".4g"),
        Number("Factor 1 − ηλ", "w.verdict.regime.factor", ".4g"),
        Number("Regime", "w.verdict.name"),
        Number("Last iterate", "w.x[-1]", ".6g"),
    ),
    Chart(ch.curve_1d, ("w.xs", "w.fxs", "w.x", "w.fx")),
    only_when={"curvature": ("name", (views.QUADRATIC,)), "text": ("name", (views.TYPED,))},
)


def _controls() -> tuple[str, float, str, float, float, int]:
    name = st.selectbox("Function", views.STEP_FUNCTIONS, **url(PREFIX, "fn"))
    curvature, text = 2.0, ""
    if name == views.QUADRATIC:
        curvature = st.slider(
            "Curvature λ of the quadratic", 0.5, 10.0, 2.0, 0.5, **url(PREFIX, "lam")
        )
    if name == views.TYPED:
        text = st.text_input(
            "f(x) =",
            "x**4/4 - x**2 + 0.3*x",
            **url(PREFIX, "formula"),
            help="Use x, numbers, + - * / ** and sin, cos, exp, log, tanh, sqrt, ...",
        )
    lr = st.slider("Learning rate η", 0.001, LR_MAX, 0.3, 0.001, format="%.3f", **url(PREFIX, "lr"))
    x0 = st.slider("Start x₀", -5.0, 5.0, 1.6, 0.05, **url(PREFIX, "x0"))
    steps = st.slider("Steps", 1, 100, 20, **url(PREFIX, "steps"))
    return name, curvature, text, x0, lr, steps


def _formulas(w: views.StepSizeView, lr: float) -> None:
    regime = w.verdict.regime
    where = rf"\text{{ at }} x_{{{w.last_step}}} = {w.x[-1]:.3g}" if w.local else ""
    st.latex(rf"{w.latex},\qquad \lambda = f''(x){where} = {w.curvature:.4g}")
    st.latex(
        rf"x_{{k+1}} - x^* \approx (1 - \eta\lambda)(x_k - x^*) = "
        rf"(1 - {lr:g}\times{w.curvature:.4g})(x_k - x^*) = {regime.factor:.4g}\,(x_k - x^*)"
    )
    if w.curved:
        st.latex(
            rf"\tfrac{{1}}{{\lambda}} = {w.inverse:.4g},\quad \tfrac{{2}}{{\lambda}} = "
            rf"{w.double_inverse:.4g},\quad \eta\lambda = {regime.lr_times_curvature:.4g}"
        )


@st.fragment
def render() -> None:
    """Gradient descent on a curve: the regime 1 − ηλ predicts, and what the run did."""
    st.subheader("One dimension: the step size against the curvature")
    left, right = st.columns([1, 2.2])
    with left:
        name, curvature, text, x0, lr, steps = _controls()
    try:
        w = view(name, curvature, text, x0, lr, steps)
    except ValueError as exc:
        show_error(exc, hint="Change the formula or the start.")
        return
    show_chart(right, ch.curve_1d(w.xs, w.fxs, w.x, w.fx, height=400), key="gd_curve")
    show_chart(right, ch.step_factor(lr, w.curvature, LR_MAX), key="gd_factor")
    _formulas(w, lr)
    verdict = w.verdict
    st.markdown(f"Regime: :{BADGES[verdict.name]}-badge[{verdict.name}] {verdict.sentence}")
    if verdict.warning:
        st.warning(verdict.warning)
    notice(
        "Slide η across 1/λ and 2/λ on the quadratic: the iterates stop creeping and start "
        "zig-zagging, then bounce forever at exactly 2/λ and fly off beyond it. On the other "
        "functions the same rule holds locally, with λ = f'' at the minimum the iterates settle in."
    )
    download_csv("Download the iterates (CSV)", w.table, "gd_iterates_1d.csv", key="gd_csv_1d")
    show_code(
        views.step_size_view, gd.verdict_1d, gd.lr_regime, SGD, gd.CurveObjective, export=EXPORT
    )
