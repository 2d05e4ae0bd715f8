"""Covariance and correlation: a bivariate normal, a dependent but uncorrelated pair, real data."""

from __future__ import annotations

import streamlit as st

from charts import joint as charts
from dlcore import joint as jt
from dlcore.views import joint as views
from labs.probability.keys import PREFIX
from ui import notice, show_code, show_error, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = (
    "cor_source",
    "cor_rho",
    "cor_sx",
    "cor_sy",
    "cor_n",
    "cor_seed",
    "cor_data",
    "cor_matrix",
    "cor_real",
)
EXPORT = Export(
    PREFIX,
    "Correlation",
    (Step(views.correlation_view),),
    (Number("Sample covariance", "w.cov"), Number("Sample correlation", "w.corr")),
    Chart(charts.correlation_scatter, ("w.X", "w.lines.y_on_x", "w.lines.x_on_y", "w.ellipse")),
    only_when={
        "rho": ("source", (views.CORRELATION_SOURCES[0],)),
        "sigma_x": ("source", (views.CORRELATION_SOURCES[0],)),
        "sigma_y": ("source", (views.CORRELATION_SOURCES[0],)),
    },
)
REAL = ["iris", "wine", "breast_cancer"]
view = st.cache_data(views.correlation_view, max_entries=32, show_spinner=False)
real = st.cache_data(views.dataset_correlation_view, max_entries=4, show_spinner=False)


def _inputs() -> tuple:
    source = st.segmented_control(
        "Sample",
        views.CORRELATION_SOURCES,
        default=views.CORRELATION_SOURCES[0],
        required=True,
        **url(PREFIX, "cor_source"),
    )
    normal = source == views.CORRELATION_SOURCES[0]
    c = st.columns(5)
    rho = c[0].slider(
        "Correlation ρ", -1.0, 1.0, 0.7, 0.05, disabled=not normal, **url(PREFIX, "cor_rho")
    )
    sx = c[1].slider("σ of x", 0.5, 3.0, 1.0, 0.1, disabled=not normal, **url(PREFIX, "cor_sx"))
    sy = c[2].slider("σ of y", 0.5, 3.0, 1.0, 0.1, disabled=not normal, **url(PREFIX, "cor_sy"))
    n = c[3].select_slider("Points n", [50, 200, 1000, 3000], 1000, **url(PREFIX, "cor_n"))
    seed = int(c[4].number_input("Seed", 0, 9999, 0, **url(PREFIX, "cor_seed")))
    return source, rho, sx, sy, n, seed


def _real_data() -> None:
    c = st.columns(2)
    name = c[0].selectbox("Data set (scikit-learn)", REAL, **url(PREFIX, "cor_data"))
    matrix = c[1].segmented_control(
        "Matrix",
        ["correlation", "covariance"],
        default="correlation",
        required=True,
        **url(PREFIX, "cor_matrix"),
    )
    d = real(name)
    a, b, r = d.strongest
    st.caption(
        f"{len(d.names)} features. The most correlated pair: {a} and {b}, r = {r:.3f}. A "
        "covariance depends on the units; the correlation divides them out."
    )
    if matrix == "covariance":
        show_chart(st, charts.covariance_heatmap(d.names, d.cov), key="prob_cor_heat")
    else:
        show_chart(st, charts.correlation_heatmap(d.names, d.corr), key="prob_cor_heat")


view = record(view)


@st.fragment
def render() -> None:
    """The sample, Σ against its estimate, r and both regression lines; real data on request."""
    source, rho, sx, sy, n, seed = _inputs()
    try:
        w = view(source, rho, sx, sy, n, seed)
    except ValueError as exc:
        show_error(exc)
        return
    (b0, b1), (c0, c1) = w.lines
    left, right = st.columns([3, 2])
    show_chart(
        left,
        charts.correlation_scatter(w.X, w.lines.y_on_x, w.lines.x_on_y, w.ellipse),
        key="prob_cor_scatter",
    )
    with right:
        for line in w.tex:
            st.latex(line)
        st.latex(rf"\text{{y on x: }} y = {b0:.3f} {'+' if b1 >= 0 else '-'} {abs(b1):.3f}\,x")
        st.latex(
            rf"\text{{x on y: }} y = {c0:.3f} {'+' if c1 >= 0 else '-'} {abs(c1):.3f}\,x"
            if abs(c1) < 1e6
            else r"\text{x on y: } x = \bar x\ \text{(vertical: } r = 0)"
        )
    if source != views.CORRELATION_SOURCES[0]:
        st.warning(
            f"r = {abs(w.corr[0, 1]):.3f}, yet y is x² plus a little noise: it depends on x "
            "completely. Correlation only sees the straight-line part of a dependence; here the "
            "rise on the right cancels the fall on the left."
        )
    notice(
        "The two regression lines coincide only when |ρ| = 1; as ρ falls they open like "
        "scissors, to horizontal and vertical at ρ = 0. Predicting y from x regresses towards "
        "the mean: the slope is ρ σy/σx, not σy/σx."
    )
    if st.toggle("Covariance and correlation of a real data set", **url(PREFIX, "cor_real")):
        _real_data()
    show_code(
        views.correlation_view,
        jt.bivariate_normal,
        jt.sample_covariance,
        jt.regression_lines,
        export=EXPORT,
    )
