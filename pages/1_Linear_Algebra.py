"""Linear Algebra lab: vectors, matrices as transformations, linear systems, power iteration."""

import numpy as np
import streamlit as st

from charts import linalg as ch
from charts.linalg import tex_matrix as tm
from charts.linalg import tex_vector as tv
from dlcore import linalg as la
from ui import download_csv, notice, page_header, show_code, show_error, url

P = "la"
page_header(
    "Linear Algebra",
    "Vectors are arrows, matrices move the whole plane, and solving $Ax=b$ is finding where lines meet. "
    "Every number below is computed by `dlcore.linalg` from the controls beside it.",
)


@st.fragment
def vectors_panel():
    st.header("Vectors: sum, scaling, dot product, projection")
    left, right = st.columns([1, 2])
    with left:
        a, b = st.columns(2)
        u = np.array([a.slider("u₁", -4.0, 4.0, 3.0, 0.25, **url(P, "u1")), b.slider("u₂", -4.0, 4.0, 1.0, 0.25, **url(P, "u2"))])
        v = np.array([a.slider("v₁", -4.0, 4.0, 1.0, 0.25, **url(P, "v1")), b.slider("v₂", -4.0, 4.0, 3.0, 0.25, **url(P, "v2"))])
        c = st.slider("Scale c (draws c·u)", -2.0, 2.0, 0.5, 0.25, **url(P, "c"))
    r = la.relate(u, v)
    right.plotly_chart(ch.vectors_figure(u, v, c, r.projection))
    with left:
        st.latex(rf"u\cdot v = ({u[0]:g})({v[0]:g}) + ({u[1]:g})({v[1]:g}) = {r.dot:.4g}")
        st.latex(rf"\|u\| = {r.norm_u:.4g},\quad \|v\| = {r.norm_v:.4g}")
        if np.isnan(r.angle):
            st.warning("The angle is undefined for a zero vector: move it away from the origin.")
        else:
            st.latex(rf"\cos\theta = \frac{{u\cdot v}}{{\|u\|\|v\|}} = {np.cos(r.angle):.4f},\ \theta = {np.degrees(r.angle):.1f}^\circ")
        st.latex(rf"\mathrm{{proj}}_v u = \frac{{u\cdot v}}{{v\cdot v}}\,v = {tv(r.projection)}")
    notice("The dot product is zero exactly when the arrows are perpendicular (θ = 90°); then the projection "
           "of u on v shrinks to the origin. A negative dot product means the projection points against v.")
    show_code(la.relate)


def _load_transform():
    t = la.TRANSFORMS[st.session_state[f"{P}_preset"]]
    for name, value in zip(ENTRIES, t.matrix):
        st.session_state[f"{P}_{name}"] = value


ENTRIES = ("a11", "a12", "a21", "a22")


def _matrix_inputs(default) -> np.ndarray:
    cols = st.columns(2)
    cells = [cols[i % 2].number_input(f"{'abcd'[i]} = A[{name[1]},{name[2]}]", -5.0, 5.0, float(default[i]), 0.1,
                                      format="%.3f", **url(P, name)) for i, name in enumerate(ENTRIES)]
    return np.array(cells).reshape(2, 2)


@st.fragment
def transform_panel():
    st.header("A matrix is a transformation of the plane")
    names = list(la.TRANSFORMS)
    left, right = st.columns([1, 3])
    with left:
        preset = st.selectbox("Preset (loads its numbers below)", names, on_change=_load_transform, **url(P, "preset"))
        A = _matrix_inputs(la.TRANSFORMS[preset].matrix)  # a link with only the preset opens its matrix
        if np.allclose(A, la.TRANSFORMS[preset].as_array()):
            st.caption(la.TRANSFORMS[preset].description)
        else:  # the preset's words no longer describe the edited numbers
            st.caption(f"edited from the preset {preset}")
        show = st.multiselect("Show", ch.LAYERS, ch.LAYERS, **url(P, "show"))
    e, (U, S, Vt) = la.eig2(A), la.svd2(A)
    fig = ch.transform_figure(A, e.det, eigvecs=e.eigenvectors if e.is_real else None, U=U, S=S, Vt=Vt, show=show)
    right.plotly_chart(fig)
    l1, l2 = e.eigenvalues
    c1, c2 = st.columns(2)
    with c1:
        st.latex(rf"A = {tm(A)},\quad \det A = ad - bc = {e.det:.4g}")
        st.caption("|det A| is the area of the image of the unit square; a negative sign means the plane was flipped.")
        st.latex(rf"\lambda = \tfrac{{\mathrm{{tr}}}}{{2}} \pm \sqrt{{\tfrac{{\mathrm{{tr}}^2}}{{4}} - \det}} = "
                 rf"{e.trace / 2:.4g} \pm \sqrt{{{e.trace ** 2 / 4 - e.det:.4g}}}")
        st.latex(rf"\lambda_1 + \lambda_2 = {(l1 + l2).real:.4g} = \mathrm{{tr}}\,A,\quad \lambda_1\lambda_2 = {(l1 * l2).real:.4g} = \det A")
    with c2:
        if e.is_real:
            st.latex(rf"\lambda_1 = {l1:.4g},\ x_1 = {tv(e.eigenvectors[:, 0])};\quad \lambda_2 = {l2:.4g},\ x_2 = {tv(e.eigenvectors[:, 1])}")
            st.caption("The dashed eigenvector lines are the directions A only stretches (by λ), never turns.")
        else:
            st.latex(rf"\lambda = {l1.real:.4g} \pm {abs(l1.imag):.4g}i = r e^{{\pm i\theta}},\ r = {e.modulus:.4g},\ "
                     rf"\theta = {np.degrees(e.angle):.1f}^\circ")
            st.caption("Complex eigenvalues: no direction stays on its line. In a suitable basis A rotates by θ and scales by r.")
        st.latex(rf"\sigma_1 = {S[0]:.4g},\ \sigma_2 = {S[1]:.4g},\quad \sigma_1\sigma_2 = {S[0] * S[1]:.4g} = |\det A|")
        st.caption("SVD: A turns the directions v₁, v₂ of the circle into the ellipse's axes σ₁u₁, σ₂u₂.")
    if abs(e.det) < 1e-12:
        st.warning("det A = 0: A is singular. The plane collapses onto a line (or a point), so A has no inverse.")
    notice("Watch the unit circle become an ellipse: its longest axis is σ₁ and its shortest σ₂. "
           "For a symmetric matrix the eigenvectors are those axes; for a shear they are not.")
    st.subheader("Order matters: B after A is not A after B")
    B_name = st.columns([1, 2])[0].selectbox("B", names, index=1, **url(P, "compose"))
    B = la.TRANSFORMS[B_name].as_array()
    st.plotly_chart(ch.compose_figure(A, B))
    st.latex(rf"BA = {tm(B @ A, digits=3)} \qquad AB = {tm(A @ B, digits=3)}")
    if np.allclose(B @ A, A @ B):
        st.caption("These two happen to commute (for example two rotations, or a matrix with the identity).")
    show_code(la.eig2, la.svd2)


def _load_system():
    preset = la.SYSTEMS[st.session_state[f"{P}_system"]]
    st.session_state[f"{P}_sys_a"], st.session_state[f"{P}_sys_b"] = preset.A, preset.b


@st.fragment
def systems_panel():
    st.header("Linear systems: where lines (and planes) meet")
    first = next(iter(la.SYSTEMS.values()))
    left, right = st.columns([1, 2])
    with left:
        name = st.selectbox("Example (loads A and b)", list(la.SYSTEMS), on_change=_load_system, **url(P, "system"))
        st.caption(la.SYSTEMS[name].description)
        a_text = st.text_area("A: rows separated by ';'", first.A, height=80, **url(P, "sys_a"))
        b_text = st.text_input("b", first.b, **url(P, "sys_b"))
    try:
        A = la.parse_matrix(a_text, name="A")
        b = la.parse_matrix(b_text, name="b").ravel()
    except ValueError as exc:
        with left:
            show_error(exc)
        return
    result = None
    with left:
        try:
            result = la.solve(A, b)
        except ValueError as exc:
            show_error(exc)
    x = None if result is None else result.x
    with right:
        if A.shape == (2, 2) and b.shape == (2,):
            st.plotly_chart(ch.lines_figure(A, b, x))
        elif A.shape == (3, 3) and b.shape == (3,):
            st.plotly_chart(ch.planes_figure(A, b, x))
        else:
            st.info("Pictures are drawn for 2x2 and 3x3 systems; the elimination works up to 6x6.")
    if result is None:
        return
    steps = result.steps
    k = st.select_slider("Gaussian elimination, step by step", list(range(len(steps))), len(steps) - 1,
                         format_func=lambda i: f"{i}: {steps[i].operation}", **url(P, "step"))
    n = A.shape[0]
    st.latex(rf"{steps[k].latex}:\quad {tm(steps[k].matrix, bar=n)}")
    A_inv = la.inverse(A)
    st.latex(rf"x = {tv(x)},\qquad A^{{-1}} = {tm(A_inv, digits=3)},\qquad A A^{{-1}} = {tm(A @ A_inv, digits=3)}")
    notice("Partial pivoting swaps in the largest pivot of each column before eliminating, so it never divides by a "
           "tiny number. The last step is [I | x]: the solution sits in the right-hand column.")
    show_code(la.solve)


@st.fragment
def conditioning_panel():
    st.subheader("Near-singular systems: the condition number")
    left, right = st.columns([1, 2])
    with left:
        eps = st.select_slider("ε in A = [[1, 1], [1, 1 + ε]]", [1.0, 0.3, 0.1, 0.03, 0.01, 1e-3, 1e-4, 1e-6, 0.0], 0.1,
                               **url(P, "eps"))
        delta = st.slider("Nudge δ added to b₂", -0.05, 0.05, 0.01, 0.005, format="%.3f", **url(P, "delta"))
    A, b, b2 = la.near_singular_system(eps, delta)
    try:
        x, x2 = la.solve(A, b).x, la.solve(A, b2).x
    except ValueError as exc:
        with left:
            show_error(exc, hint="ε = 0 makes the rows equal: move the ε slider off 0.")
        right.plotly_chart(ch.lines_figure(A, b))
        return
    kappa = la.condition_number(A)
    moved, nudged = float(np.hypot(*(x2 - x)) / np.hypot(*x)), float(abs(delta) / np.hypot(*b))
    with left:
        st.metric("Condition number κ(A)", f"{kappa:.4g}")
        st.latex(rf"\frac{{\|\Delta x\|}}{{\|x\|}} = {moved:.3g} \le \kappa\,\frac{{\|\Delta b\|}}{{\|b\|}} = {kappa * nudged:.3g}")
    right.plotly_chart(ch.lines_figure(A, b, x, x2))
    notice("As ε shrinks the lines turn parallel: κ grows like 4/ε and the same small nudge of b throws the solution "
           "far away. At ε = 0 the system is singular.")
    show_code(la.condition_number)


@st.fragment
def least_squares_panel():
    st.subheader("Overdetermined: fit a line by least squares")
    left, right = st.columns([1, 2])
    with left:
        n = st.slider("Points", 3, 100, 20, **url(P, "points"))
        noise = st.slider("Noise σ", 0.0, 3.0, 0.8, 0.1, **url(P, "noise"))
        seed = st.number_input("Seed", 0, 9999, 0, **url(P, "seed"))
    xs, ys = la.noisy_line(n, slope=1.5, intercept=0.5, noise=noise, rng=int(seed))
    D = la.line_design(xs)
    qr, ne = la.least_squares(D, ys, method="qr"), la.least_squares(D, ys, method="normal")
    right.plotly_chart(ch.least_squares_figure(xs, ys, {"QR": tuple(qr.x), "normal equations": tuple(ne.x)}, qr.residuals))
    c1, c2 = st.columns(2)
    c1.latex(rf"A^\top A\,\hat x = A^\top y:\ {tm(D.T @ D, digits=4)}\,\hat x = {tv(D.T @ ys, digits=4)}")
    c1.latex(rf"\|y - A\hat x\|^2 = {qr.rss:.4g},\quad A^\top r = {tv(D.T @ qr.residuals, digits=2)}")
    c2.latex(rf"\hat x_{{QR}} = {tv(qr.x, digits=6)}\quad \hat x_{{normal}} = {tv(ne.x, digits=6)}")
    notice("No line passes through every point, so we minimise the squared residuals (red). The residual vector is "
           "orthogonal to the columns of A; QR gets there without squaring A's condition number.")
    download_csv("Download points and residuals (CSV)", {"x": xs, "y": ys, "fitted": ys - qr.residuals,
                                                         "residual": qr.residuals}, "least_squares.csv")
    show_code(la.least_squares)


@st.fragment
def power_panel():
    st.header("Power iteration: v ← Av / ‖Av‖")
    left, mid, right = st.columns([1, 1.4, 1.4])
    with left:
        ratio = st.slider("λ₂ / λ₁", -0.95, 0.95, 0.5, 0.05, **url(P, "ratio"))
        steps = st.slider("Steps", 1, 60, 15, **url(P, "steps"))
        start = st.slider("Start direction (degrees)", 0, 179, 100, **url(P, "start"))
        animate = st.toggle("Animate", False, **url(P, "animate"))
    A = la.matrix_with_eigenvalues(2.0, 2.0 * ratio, np.pi / 6)
    theta = np.radians(start)
    try:
        res = la.power_iteration(A, steps, v0=[np.cos(theta), np.sin(theta)])
    except ValueError as exc:
        with left:
            show_error(exc)
        return
    dominant = la.eig2(A).eigenvectors[:, 0]
    mid.plotly_chart(ch.power_figure(res.vectors, dominant, animate=animate))
    right.plotly_chart(ch.convergence_figure(res.errors, res.rate))
    with left:
        st.latex(rf"A = {tm(A, digits=3)}")
        st.latex(rf"\left|\lambda_2/\lambda_1\right| = {res.rate:.3f}")
        st.latex(rf"\text{{observed ratio}} = {res.observed_rate:.3f}")
        st.latex(rf"v^\top A v \to {res.estimates[-1]:.6g}")
    notice("Each step shrinks the part of v along the second eigenvector by |λ₂/λ₁|: the error falls on a straight line "
           "on the log axis. Near ±1 convergence crawls. Start at 120° (on the second eigenvector): in exact arithmetic "
           "it never starts; in float64 a rounding error of about 1e-16 along the dominant direction grows by "
           "|λ₁/λ₂| per step until it takes over.")
    show_code(la.power_iteration)


vectors_panel()
transform_panel()
systems_panel()
conditioning_panel()
least_squares_panel()
power_panel()
