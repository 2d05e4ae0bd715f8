"""Two dimensions: conditioning, the zig-zag and momentum on a tilted quadratic."""

from __future__ import annotations

import streamlit as st

from charts import descent as ch
from dlcore import conditioning
from dlcore.optim import Momentum
from dlcore.views import gradient_descent as views
from labs.gradient_descent.keys import PREFIX
from ui import download_csv, notice, show_code, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("kappa", "steps2", "flow", "best", "lrq", "beta", "tuned")
EXPORT = Export(
    PREFIX,
    "Conditioning and momentum",
    (Step(views.conditioning_view),),
    (
        Number("Condition number κ", "w.kappa", ".4g"),
        Number("Learning rate η", "w.lr", ".4g"),
        Number("Best rate of GD", "w.best_rate", ".4g"),
        Number("Steps to shrink the error 1000×", "w.steps_needed"),
    ),
    Chart(ch.error_curves, ("w.errors", "w.rates")),
)
view = st.cache_data(views.conditioning_view, max_entries=64, show_spinner=False)


def _controls() -> dict:
    c1, c2, c3 = st.columns(3)
    kappa = c1.slider("Condition number κ = λ_max / λ_min", 1, 100, 10, **url(PREFIX, "kappa"))
    steps = c1.slider("Steps", 10, 300, 60, **url(PREFIX, "steps2"))
    flow = c1.toggle(
        "Show the gradient flow (η → 0)",
        False,
        **url(PREFIX, "flow"),
        help="Gradient descent is Euler's method for dx/dt = −∇f(x); this is its η → 0 limit.",
    )
    best = c2.toggle("Best fixed step η = 2 / (λ_min + λ_max)", True, **url(PREFIX, "best"))
    q = 1.0
    if not best:
        q = c2.slider("η × λ_max (stable below 2)", 0.05, 2.3, 1.0, 0.01, **url(PREFIX, "lrq"))
    beta = c3.slider("Momentum β", 0.0, 0.95, 0.6, 0.05, **url(PREFIX, "beta"))
    tuned = c3.toggle("Tune momentum (Polyak's optimal η and β)", False, **url(PREFIX, "tuned"))
    return dict(
        kappa=float(kappa),
        steps=steps,
        best=best,
        lr_times_lmax=q,
        beta=beta,
        tuned=tuned,
        flow=flow,
    )


def _formulas(w: views.ConditioningView) -> None:
    (a, b), (_, c) = w.H
    lam_min, lam_max = w.eigen.values
    st.latex(w.latex)
    st.latex(
        rf"H = \begin{{pmatrix}} {a:.3f} & {b:.3f} \\ {b:.3f} & {c:.3f} \end{{pmatrix}},\quad"
        rf"\text{{eigenvalues }}\lambda_{{\min}} = {lam_min:.4g},\ \lambda_{{\max}} = {lam_max:.4g},"
        rf"\quad \kappa = {w.kappa:.4g},\quad \eta = {w.lr:.4g}"
    )
    st.latex(
        rf"\rho_{{\rm GD}} = \max_i |1 - \eta\lambda_i| = {w.rates[views.GD]:.4f}"
        rf"\ \text{{(observed {w.observed[views.GD]:.4f})}},\quad \text{{best: }}"
        rf"\tfrac{{\kappa-1}}{{\kappa+1}} = {w.best_rate:.4f}"
    )
    if views.MOMENTUM in w.rates:
        st.latex(
            rf"\rho_{{\rm momentum}}(\eta = {w.lr_momentum:.4g}, \beta = {w.beta:.3g}) = "
            rf"{w.rates[views.MOMENTUM]:.4f}\ \text{{(observed {w.observed[views.MOMENTUM]:.4f})}},"
            rf"\quad \text{{best: }}\tfrac{{\sqrt\kappa-1}}{{\sqrt\kappa+1}} = {w.heavy_ball.rate:.4f}"
        )


view = record(view)


@st.fragment
def render() -> None:
    """Gradient descent and momentum race on an ellipse whose condition number you choose."""
    st.subheader("Two dimensions: conditioning, the zig-zag and momentum")
    w = view(**_controls())
    left, right = st.columns([1.15, 1])
    show_chart(
        left,
        ch.contour_paths(
            w.grid,
            w.grid,
            w.z,
            w.paths,
            minimum=w.minimum,
            axes=w.axes,
            x_title="x",
            y_title="y",
            curves=[views.FLOW],
        ),
        key="gd_contour",
    )
    show_chart(right, ch.error_curves(w.errors, w.rates, height=330), key="gd_errors")
    show_chart(right, ch.rate_chart(w.q, w.rate_curves, w.marks, best=w.best_rate), key="gd_rates")
    _formulas(w)
    for col, (name, needed) in zip(st.columns(len(w.steps_needed)), w.steps_needed.items()):
        col.metric(f"{name}: steps to shrink the error 1000×", needed)
    for warning in w.warnings:
        st.warning(warning)
    notice(
        "The steep direction (λ_max) caps the step at 2/λ_max, and the flat one (λ_min) then "
        "crawls: the rate (κ−1)/(κ+1) tends to 1 as κ grows. Momentum's rate depends on √κ "
        "instead of κ; raise κ to 100 and compare the steps needed."
    )
    download_csv("Download the iterates (CSV)", w.table, "gd_iterates_2d.csv", key="gd_csv_2d")
    show_code(
        views.conditioning_view,
        conditioning.gd_rate,
        conditioning.momentum_rate,
        conditioning.observed_rate,
        conditioning.hessian,
        Momentum,
        export=EXPORT,
    )
