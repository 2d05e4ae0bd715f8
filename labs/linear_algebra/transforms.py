"""A matrix is a transformation of the plane: grid, unit circle, eigenvectors, SVD axes."""

from __future__ import annotations

import numpy as np
import streamlit as st

from charts import linalg as ch
from dlcore import linalg as la
from dlcore import transforms2d as t2d
from dlcore.tex import tex_matrix as tm
from dlcore.tex import tex_vector as tv
from dlcore.views import linear_algebra as views
from labs.linear_algebra.keys import PREFIX
from ui import notice, show_code, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

ENTRIES = ("a11", "a12", "a21", "a22")
KEYS = ("preset", *ENTRIES, "show")
EXPORT = Export(
    PREFIX,
    "Transformations",
    (Step(views.transform_view),),
    (
        Number("Determinant", "w.eig.det", ".4g"),
        Number("Trace", "w.eig.trace", ".4g"),
        Number("Eigenvalues", "w.eig.eigenvalues"),
        Number("Singular values", "w.svd.S"),
    ),
    Chart(ch.transform_figure, ("w.A", "w.eig.det")),
)
view = st.cache_data(views.transform_view, max_entries=64, show_spinner=False)


def _load_preset() -> None:
    preset = t2d.TRANSFORMS[st.session_state[f"{PREFIX}_preset"]]
    for name, value in zip(ENTRIES, preset.matrix, strict=True):
        st.session_state[f"{PREFIX}_{name}"] = value


def matrix_inputs(default: tuple[float, ...]) -> np.ndarray:
    """Four number boxes for a 2x2 matrix, bound to ``la_a11`` .. ``la_a22``."""
    cols = st.columns(2)
    cells = [
        cols[i % 2].number_input(
            f"{'abcd'[i]} = A[{name[1]},{name[2]}]",
            -5.0,
            5.0,
            float(default[i]),
            0.1,
            format="%.3f",
            **url(PREFIX, name),
        )
        for i, name in enumerate(ENTRIES)
    ]
    return np.array(cells).reshape(2, 2)


def _determinant_and_trace(w: views.TransformView) -> None:
    e = w.eig
    st.latex(rf"A = {tm(w.A)},\quad \det A = ad - bc = {e.det:.4g}")
    st.caption(
        "|det A| is the area of the image of the unit square; a negative sign means the "
        "plane was flipped."
    )
    st.latex(
        rf"\lambda = \tfrac{{\mathrm{{tr}}}}{{2}} \pm \sqrt{{\tfrac{{\mathrm{{tr}}^2}}{{4}} - "
        rf"\det}} = {e.trace / 2:.4g} \pm \sqrt{{{w.discriminant:.4g}}}"
    )
    st.latex(
        rf"\lambda_1 + \lambda_2 = {w.eig_sum:.4g} = \mathrm{{tr}}\,A,\quad "
        rf"\lambda_1\lambda_2 = {w.eig_product:.4g} = \det A"
    )


def _eigen_and_singular(w: views.TransformView) -> None:
    e, S = w.eig, w.svd.S
    l1, l2 = e.eigenvalues
    if e.is_real:
        x1, x2 = tv(e.eigenvectors[:, 0]), tv(e.eigenvectors[:, 1])
        st.latex(rf"\lambda_1 = {l1:.4g},\ x_1 = {x1};\quad \lambda_2 = {l2:.4g},\ x_2 = {x2}")
        st.caption("The dashed eigenvector lines are the directions A only stretches (by λ).")
    else:
        st.latex(
            rf"\lambda = {l1.real:.4g} \pm {abs(l1.imag):.4g}i = r e^{{\pm i\theta}},\ "
            rf"r = {e.modulus:.4g},\ \theta = {np.degrees(e.angle):.1f}^\circ"
        )
        st.caption(
            "Complex eigenvalues: no direction stays on its line. In a suitable basis A "
            "rotates by θ and scales by r."
        )
    st.latex(
        rf"\sigma_1 = {S[0]:.4g},\ \sigma_2 = {S[1]:.4g},\quad "
        rf"\sigma_1\sigma_2 = {w.sigma_product:.4g} = |\det A|"
    )
    st.caption("SVD: A turns the directions v₁, v₂ of the circle into the ellipse's axes σᵢuᵢ.")


view = record(view)


@st.fragment
def render() -> None:
    """Type or pick a 2x2 matrix and watch what it does to the plane."""
    left, right = st.columns([1, 3])
    with left:
        preset = st.selectbox(
            "Preset (loads its numbers below)",
            list(t2d.TRANSFORMS),
            on_change=_load_preset,
            **url(PREFIX, "preset"),
        )
        A = matrix_inputs(t2d.TRANSFORMS[preset].matrix)  # a link with only the preset: its matrix
        show = st.multiselect("Show", ch.LAYERS, ch.LAYERS, **url(PREFIX, "show"))
    w = view(A, preset)
    with left:
        st.caption(t2d.TRANSFORMS[preset].description if w.is_preset else f"edited from {preset}")
    e, (U, S, Vt) = w.eig, w.svd
    eigvecs = e.eigenvectors if e.is_real else None
    show_chart(right, ch.transform_figure(A, e.det, eigvecs=eigvecs, U=U, S=S, Vt=Vt, show=show))
    c1, c2 = st.columns(2)
    with c1:
        _determinant_and_trace(w)
    with c2:
        _eigen_and_singular(w)
    if w.singular:
        st.warning("det A = 0: A is singular. The plane collapses onto a line (or a point).")
    notice(
        "Watch the unit circle become an ellipse: its longest axis is σ₁ and its shortest σ₂. "
        "For a symmetric matrix the eigenvectors are those axes; for a shear they are not."
    )
    show_code(views.transform_view, la.eig2, la.svd2, export=EXPORT)
