"""PCA and SVD lab: principal components of real data, PCA = SVD, low-rank image compression."""

import numpy as np
import streamlit as st

from charts import pca as ch
from charts.linalg import tex_matrix as tm
from dlcore import datasets
from dlcore import linalg as la
from ui import download_csv, download_png, image_source, notice, page_header, show_code, url

P = "pca"
DATASETS = ("iris", "wine", "breast_cancer", "digits", "swiss_roll", "blobs")
page_header(
    "PCA and SVD",
    "Principal component analysis finds the directions in which data varies most. It is the singular value "
    "decomposition of the centred data, and the same SVD compresses an image to a few rank-one layers.",
)


@st.cache_data(max_entries=16, show_spinner=False)
def fit(name: str, standardise: bool):
    params = {"n_samples": 600} if datasets.DATASETS[name].kind == "synthetic" else {}
    data = datasets.load(name, rng=0, **params)
    X, problem = data.X, None
    if standardise:
        try:
            X = la.standardize(data.X)
        except ValueError as exc:
            problem = str(exc)
    result = la.pca(X)
    return data, X, result, la.pca_reconstruction_error(result, len(X)), problem


@st.cache_data(max_entries=8, show_spinner=False)
def routes(name: str, standardise: bool):
    return la.pca_routes(fit(name, standardise)[1])


@st.fragment
def dataset_panel():
    st.header("PCA on real data")
    c1, c2, c3, c4 = st.columns([1.3, 1, 1.6, 1])
    name = c1.selectbox("Data set", DATASETS, **url(P, "data"))
    standardise = c2.toggle(
        "Standardise",
        True,
        **url(P, "std"),
        help="Scale every feature to unit variance first, so units (mm vs kg) do not decide the axes.",
    )
    data, X, full, errors, problem = fit(name, standardise)
    if problem:
        st.warning(f"{problem} Showing PCA of the unstandardised data instead.")
    r = len(full.singular_values)
    if st.session_state.get(f"{P}_k", 0) > r:  # the last data set had more features than this one
        st.session_state[f"{P}_k"] = min(2, r)
    k = c3.slider("Components kept k", 1, r, min(2, r), **url(P, "k"))
    dims = c4.segmented_control(
        "Projection", ["2-D", "3-D"], default="2-D", required=True, **url(P, "dims")
    )
    Z = la.pca_transform(full, X)
    left, right = st.columns(2)
    left.plotly_chart(ch.scree_figure(full.explained_variance_ratio, k))
    if r < 3 and dims == "3-D":
        right.info("This data set has only two features: a 3-D projection needs three components.")
    else:
        right.plotly_chart(
            ch.projection_figure(Z, data.y, data.target_names, dims=2 if dims == "2-D" else 3)
        )
    kept = float(full.explained_variance_ratio[:k].sum())
    lam = full.explained_variance
    st.latex(
        rf"\frac{{\sum_{{i\le {k}}} \lambda_i}}{{\sum_i \lambda_i}} = \frac{{{lam[:k].sum():.4g}}}{{{lam.sum():.4g}}}"
        rf" = {100 * kept:.2f}\%\ \text{{of the variance kept}},\qquad \mathrm{{MSE}}_{{k={k}}} = {errors[k]:.4g}"
    )
    left, right = st.columns(2)
    if r >= 2:
        left.plotly_chart(
            ch.biplot_figure(Z, data.y, data.target_names, full.components[:2], data.feature_names)
        )
    right.plotly_chart(ch.reconstruction_figure(errors, k))
    if name == "digits":
        part = full._replace(components=full.components[:k])
        shown = X[:12]
        back = la.pca_inverse_transform(part, la.pca_transform(part, shown))
        st.plotly_chart(ch.digits_figure(shown, back, k))
    notice(
        "The scree plot falls fast when a few directions carry most of the variance: the 2-D projection then "
        "keeps the classes apart. Arrows in the biplot point along the features that drive PC1 and PC2."
    )
    columns = {f"PC{i + 1}": Z[:, i] for i in range(k)}
    columns["label"] = data.y
    download_csv(
        f"Download the data projected on {k} component(s) (CSV)", columns, f"{name}_pca_{k}.csv"
    )
    show_code(la.pca, la.pca_transform)

    if st.toggle("Show that PCA is the SVD of the centred data", False, **url(P, "same")):
        two = routes(name, standardise)
        n = len(X)
        m = min(8, len(two.singular_values))
        st.latex(
            rf"X_c = U \Sigma V^\top \;\Rightarrow\; \frac{{X_c^\top X_c}}{{n-1}} = V\,\frac{{\Sigma^2}}{{n-1}}\,V^\top,"
            rf"\quad n - 1 = {n - 1}"
        )
        st.dataframe(
            {
                "i": np.arange(1, m + 1),
                "σᵢ (SVD of X_c)": two.singular_values[:m],
                "σᵢ² / (n−1)": two.singular_values[:m] ** 2 / (n - 1),
                "λᵢ (eigh of covariance)": two.eigenvalues[:m],
            },
            hide_index=True,
        )
        gap = float(np.abs(two.svd_components[:m] - two.eig_components[:m]).max())
        st.latex(
            rf"\max_{{i\le {m}}}\,\big|V^\top_{{i\cdot}} - x_i\big| = {gap:.2e}"
            r"\quad\text{(rows of } V^\top \text{ against the covariance's eigenvectors)}"
        )
        notice(
            "Both columns of variances agree to rounding: squaring the singular values and dividing by n − 1 "
            "gives the covariance's eigenvalues, and the right singular vectors are its eigenvectors."
        )
        show_code(la.pca_routes)


@st.fragment
def cloud_panel():
    st.header("A correlated Gaussian cloud and its principal axes")
    left, right = st.columns([1, 2])
    with left:
        a, b = st.columns(2)
        std1 = a.slider("σ₁", 0.1, 3.0, 2.0, 0.1, **url(P, "s1"))
        std2 = b.slider("σ₂", 0.1, 3.0, 1.0, 0.1, **url(P, "s2"))
        corr = a.slider("Correlation ρ", -1.0, 1.0, 0.6, 0.05, **url(P, "rho"))
        angle = b.slider("Rotation (degrees)", -90, 90, 0, 5, **url(P, "angle"))
        n = a.slider("Points", 20, 2000, 400, 20, **url(P, "n"))
        seed = b.number_input("Seed", 0, 9999, 0, **url(P, "seed"))
    X, cov = la.gaussian_cloud(
        n, std1=std1, std2=std2, corr=corr, angle=np.radians(angle), rng=int(seed)
    )
    res = la.pca(X)
    first = res._replace(components=res.components[:1])
    recon = la.pca_inverse_transform(first, la.pca_transform(first, X))
    right.plotly_chart(ch.cloud_figure(X, res.mean, res.components, res.explained_variance, recon))
    lam = res.explained_variance
    lost = float(np.mean(np.sum((X - recon) ** 2, axis=1)))
    with left:
        st.latex(rf"\Sigma = {tm(cov, digits=3)}")
        st.latex(rf"\hat\lambda_1 = {lam[0]:.3f},\quad \hat\lambda_2 = {lam[1]:.3f}")
        st.latex(
            rf"\text{{PC1 keeps }} \frac{{\lambda_1}}{{\lambda_1+\lambda_2}} = {100 * res.explained_variance_ratio[0]:.1f}\%"
        )
        st.latex(rf"\tfrac1n\sum\|x - \hat x\|^2 = {lost:.3f} = \lambda_2\,\tfrac{{n-1}}{{n}}")
    notice(
        "PC1 points along the long axis of the cloud. Projecting onto it throws away only the red distances, "
        "whose mean square is the second eigenvalue: with ρ = ±1 the cloud is a line and nothing is lost."
    )
    show_code(la.gaussian_cloud)


@st.cache_data(max_entries=6, show_spinner=False)
def decompose(ident: str, _img: np.ndarray):
    """Keyed by who the pixels belong to (``ImageChoice.ident``): an upload's id, or the sample."""
    return la.image_svd(_img)


@st.fragment
def image_panel():
    st.header("Low-rank image compression with the SVD")
    img, caption, ident = image_source(P, max_side=384)
    if img is None:
        return
    try:
        svd = decompose(ident, img)
    except ValueError as exc:
        st.error(f"This image cannot be compressed: {exc}", icon=":material/error:")
        return
    r = svd.S.shape[1]
    k = st.slider("Rank k", 1, r, min(20, r), **url(P, "rank"))
    out = la.compress_image(svd, k)
    storage, rel_err, energy = la.compression_stats(svd, k)
    h, w = img.shape[:2]
    c1, c2, c3 = st.columns(3)
    c1.metric("Storage k(m+n+1)/(mn)", f"{100 * storage:.1f}%")
    c2.metric("Relative error ‖A−Aₖ‖/‖A‖", f"{100 * rel_err:.2f}%")
    c3.metric("Energy kept Σσᵢ²", f"{100 * energy:.2f}%")
    st.latex(
        rf"A_{{{k}}} = \sum_{{i=1}}^{{{k}}} \sigma_i u_i v_i^\top,\quad \frac{{k(m+n+1)}}{{mn}} = "
        rf"\frac{{{k}({h}+{w}+1)}}{{{h}\cdot{w}}} = {storage:.4f}\ \text{{per channel}}"
    )
    left, right = st.columns(2)
    # st.image sends a compressed picture; a Plotly image of the same pixels is ~0.4 MB of JSON per rerun
    left.image(img, caption=caption, clamp=True, width="stretch")
    right.image(out, caption=f"rank {k}, each RGB channel on its own", clamp=True, width="stretch")
    channels = ["red", "green", "blue"] if svd.S.shape[0] == 3 else ["gray"]
    st.plotly_chart(ch.spectrum_figure(svd.S, k, channels))
    notice(
        "A photo's singular values fall steeply: the first few rank-one layers hold the broad shapes, the long tail "
        "holds fine texture. By Eckart-Young no rank-k image is closer to the original than this one."
    )
    download_png(f"Download the rank-{k} image (PNG)", out, f"svd_rank_{k}.png")
    show_code(la.image_svd, la.compress_image, la.low_rank_approx)


dataset_panel()
cloud_panel()
image_panel()
