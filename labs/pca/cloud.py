"""A correlated Gaussian cloud and its principal axes."""

from __future__ import annotations

import streamlit as st

from charts import pca as ch
from dlcore import linalg as la
from dlcore.tex import tex_matrix as tm
from dlcore.views import pca as views
from labs.pca.keys import PREFIX
from ui import notice, show_code, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("s1", "s2", "rho", "angle", "n", "seed")
EXPORT = Export(
    PREFIX,
    "Correlated cloud",
    (Step(views.cloud_view, "v"),),
    (
        Number("Covariance", "v.cov"),
        Number("Share of PC1", "v.pc1_share", ".4f"),
        Number("Variance lost", "v.lost", ".6g"),
    ),
    Chart(
        ch.cloud_figure,
        ("v.X", "v.pca.mean", "v.pca.components", "v.pca.explained_variance", "v.recon"),
    ),
)
view = st.cache_data(views.cloud_view, max_entries=64, show_spinner=False)


def _sliders() -> tuple[int, float, float, float, float, int]:
    a, b = st.columns(2)
    std1 = a.slider("σ₁", 0.1, 3.0, 2.0, 0.1, **url(PREFIX, "s1"))
    std2 = b.slider("σ₂", 0.1, 3.0, 1.0, 0.1, **url(PREFIX, "s2"))
    corr = a.slider("Correlation ρ", -1.0, 1.0, 0.6, 0.05, **url(PREFIX, "rho"))
    angle = b.slider("Rotation (degrees)", -90, 90, 0, 5, **url(PREFIX, "angle"))
    n = a.slider("Points", 20, 2000, 400, 20, **url(PREFIX, "n"))
    seed = b.number_input("Seed", 0, 9999, 0, **url(PREFIX, "seed"))
    return n, std1, std2, corr, angle, int(seed)


view = record(view)


@st.fragment
def render() -> None:
    """Samples of a 2-D Gaussian, its two principal axes and the projection onto the first."""
    left, right = st.columns([1, 2])
    with left:
        params = _sliders()
    v = view(*params)
    res = v.pca
    figure = ch.cloud_figure(v.X, res.mean, res.components, res.explained_variance, v.recon)
    show_chart(right, figure)
    lam = res.explained_variance
    with left:
        st.latex(rf"\Sigma = {tm(v.cov, digits=3)}")
        st.latex(rf"\hat\lambda_1 = {lam[0]:.3f},\quad \hat\lambda_2 = {lam[1]:.3f}")
        st.latex(
            r"\text{PC1 keeps } \frac{\lambda_1}{\lambda_1+\lambda_2} = "
            rf"{100 * v.pc1_share:.1f}\%"
        )
        st.latex(
            rf"\tfrac1n\sum\|x - \hat x\|^2 = {v.lost:.3f} = \lambda_2\,\tfrac{{n-1}}{{n}} = "
            rf"{v.lost_formula:.3f}"
        )
    notice(
        "PC1 points along the long axis of the cloud. Projecting onto it throws away only the red "
        "distances, whose mean square is the second eigenvalue: with ρ = ±1 the cloud is a line "
        "and nothing is lost."
    )
    show_code(views.cloud_view, la.gaussian_cloud, export=EXPORT)
