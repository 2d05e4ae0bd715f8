"""Overdetermined systems: fit a line by least squares (QR against the normal equations)."""

from __future__ import annotations

import streamlit as st

from charts import linalg as ch
from dlcore import linalg as la
from dlcore.tex import tex_matrix as tm
from dlcore.tex import tex_vector as tv
from dlcore.views import linear_algebra as views
from labs.linear_algebra.keys import PREFIX
from ui import download_csv, notice, show_code, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("points", "noise", "seed")
EXPORT = Export(
    PREFIX,
    "Least squares",
    (Step(views.least_squares_view),),
    (Number("Coefficients (QR)", "w.qr.x"), Number("Residual sum of squares", "w.qr.rss", ".6g")),
    Chart(ch.least_squares_figure, ("w.x", "w.y", {"QR": "w.qr.x"}, "w.qr.residuals")),
)
view = st.cache_data(views.least_squares_view, max_entries=64, show_spinner=False)


def _formulas(w: views.LeastSquaresView) -> None:
    c1, c2 = st.columns(2)
    c1.latex(
        rf"A^\top A\,\hat x = A^\top y:\ {tm(w.gram, digits=4)}\,\hat x = {tv(w.moment, digits=4)}"
    )
    c1.latex(
        rf"\|y - A\hat x\|^2 = {w.qr.rss:.4g},\quad A^\top r = {tv(w.orthogonality, digits=2)}"
    )
    c2.latex(
        rf"\hat x_{{QR}} = {tv(w.qr.x, digits=6)}\quad \hat x_{{normal}} = {tv(w.normal.x, digits=6)}"
    )


view = record(view)


@st.fragment
def render() -> None:
    """Noisy points, the least-squares line, and the residuals it leaves."""
    left, right = st.columns([1, 2])
    with left:
        n = st.slider("Points", 3, 100, 20, **url(PREFIX, "points"))
        noise = st.slider("Noise σ", 0.0, 3.0, 0.8, 0.1, **url(PREFIX, "noise"))
        seed = st.number_input("Seed", 0, 9999, 0, **url(PREFIX, "seed"))
    w = view(n, noise, int(seed))
    fits = {"QR": tuple(w.qr.x), "normal equations": tuple(w.normal.x)}
    show_chart(right, ch.least_squares_figure(w.x, w.y, fits, w.qr.residuals))
    _formulas(w)
    notice(
        "No line passes through every point, so we minimise the squared residuals (red). The "
        "residual vector is orthogonal to the columns of A; QR gets there without squaring A's "
        "condition number."
    )
    table = {"x": w.x, "y": w.y, "fitted": w.fitted, "residual": w.qr.residuals}
    download_csv("Download points and residuals (CSV)", table, "least_squares.csv")
    show_code(views.least_squares_view, la.least_squares, export=EXPORT)
