"""PCA on real data: the scree plot, the projection, what k components keep, PCA = SVD."""

from __future__ import annotations

import streamlit as st

from charts import pca as ch
from dlcore import linalg as la
from dlcore.views import pca as views
from labs.pca.keys import PREFIX
from ui import download_csv, notice, show_code, show_table, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart
from ui.state import keep_choice

KEYS = ("data", "std", "k", "dims", "biplot", "same")
EXPORT = Export(
    PREFIX,
    "PCA on data",
    (Step(views.pca_fit, "f"), Step(views.pca_view, "v")),
    (
        Number("Variance kept", "v.kept", ".4f"),
        Number("Reconstruction MSE", "v.mse", ".6g"),
    ),
    Chart(ch.scree_figure, ("f.pca.explained_variance_ratio", "v.k")),
)
fit = st.cache_data(views.pca_fit, max_entries=16, show_spinner=False)
check = st.cache_data(views.svd_check, max_entries=8, show_spinner=False)


def _controls() -> tuple[views.PCAFit, bool, int, int]:
    c1, c2, c3, c4 = st.columns([1.3, 1, 1.6, 1])
    name = c1.selectbox("Data set", views.PCA_DATASETS, **url(PREFIX, "data"))
    standardise = c2.toggle(
        "Standardise",
        True,
        help="Scale every feature to unit variance first, so units (mm vs kg) do not decide "
        "the axes.",
        **url(PREFIX, "std"),
    )
    f = fit(name, standardise)
    if f.problem:
        st.warning(f.problem)
    r = f.rank
    keep_choice(f"{PREFIX}_k", range(1, r + 1), min(2, r))  # the last data set had more features
    k = c3.slider("Components kept k", 1, r, min(2, r), **url(PREFIX, "k"))
    dims = c4.segmented_control(
        "Projection", ["2-D", "3-D"], default="2-D", required=True, **url(PREFIX, "dims")
    )
    return f, standardise, k, 2 if dims == "2-D" else 3


def _charts(f: views.PCAFit, v: views.PCAView) -> None:
    data = f.data
    left, right = st.columns(2)
    show_chart(left, ch.scree_figure(f.pca.explained_variance_ratio, v.k))
    if v.projection_problem:
        right.info(v.projection_problem)
    else:
        show_chart(right, ch.projection_figure(f.scores, data.y, data.target_names, dims=v.dims))
    st.latex(
        rf"\frac{{\sum_{{i\le {v.k}}} \lambda_i}}{{\sum_i \lambda_i}} = "
        rf"\frac{{{v.kept_variance:.4g}}}{{{v.total_variance:.4g}}} = {100 * v.kept:.2f}\%\ "
        rf"\text{{of the variance kept}},\qquad \mathrm{{MSE}}_{{k={v.k}}} = {v.mse:.4g}"
    )
    left, right = st.columns(2)
    show_chart(left, ch.reconstruction_figure(f.errors, v.k))
    if f.rank >= 2 and right.toggle("Show the biplot", False, **url(PREFIX, "biplot")):
        loadings = f.pca.components[:2]
        figure = ch.biplot_figure(f.scores, data.y, data.target_names, loadings, data.feature_names)
        show_chart(right, figure)
    if v.digits is not None:
        show_chart(st, ch.digits_figure(*v.digits, v.k))


def _pca_is_svd(name: str, standardise: bool) -> None:
    c = check(name, standardise)
    st.latex(
        r"X_c = U \Sigma V^\top \;\Rightarrow\; \frac{X_c^\top X_c}{n-1} = "
        rf"V\,\frac{{\Sigma^2}}{{n-1}}\,V^\top,\quad n - 1 = {c.n - 1}"
    )
    show_table(c.table)
    st.latex(
        rf"\max_{{i\le {c.m}}}\,\big|V^\top_{{i\cdot}} - x_i\big| = {c.gap:.2e}"
        r"\quad\text{(rows of } V^\top \text{ against the covariance's eigenvectors)}"
    )
    notice(
        "Both columns of variances agree to rounding: squaring the singular values and dividing "
        "by n − 1 gives the covariance's eigenvalues, and the right singular vectors are its "
        "eigenvectors."
    )
    show_code(views.svd_check, la.pca_routes)


fit = record(fit)
pca_view = record(views.pca_view)


@st.fragment
def render() -> None:
    """A data set's principal components: how much each keeps, and the data projected on them."""
    f, standardise, k, dims = _controls()
    v = pca_view(f, k, dims)  # slices and sums of the cached fit: no need to cache
    _charts(f, v)
    notice(
        "The scree plot falls fast when a few directions carry most of the variance: the 2-D "
        "projection then keeps the classes apart. Arrows in the biplot point along the features "
        "that drive PC1 and PC2."
    )
    download_csv(
        f"Download the data projected on {k} component(s) (CSV)",
        v.columns,
        f"{f.name}_pca_{k}.csv",
    )
    show_code(views.pca_fit, views.pca_view, la.pca, la.pca_transform, export=EXPORT)
    if st.toggle("Show that PCA is the SVD of the centred data", False, **url(PREFIX, "same")):
        _pca_is_svd(f.name, standardise)
