"""Two variables: the gradient and directional derivatives on a surface."""

from __future__ import annotations

import streamlit as st

from charts import calculus as charts
from dlcore import differentiation
from dlcore.objectives import OBJECTIVES
from dlcore.tex import tex_number as num
from dlcore.views import calculus as views
from labs.calculus.keys import PREFIX, ranged
from ui import notice, show_code, show_error, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("surface", "fxy", "px", "py", "angle", "show3d")
EXPORT = Export(
    PREFIX,
    "Gradients",
    (Step(views.gradient_view, "v"),),
    (Number("Gradient", "v.grad"), Number("Gradient norm", "v.norm", ".6g")),
    Chart(
        charts.contour_figure,
        ("v.grid",),
        {
            "title": "v.title",
            "log_scale": "v.objective.log_scale",
            "point": "v.point",
            "grad": "v.grad",
            "direction": "v.u",
            "minima": "v.objective.minima",
        },
    ),
    only_when={"text": ("name", (views.OWN,))},
)
view = st.cache_data(views.gradient_view, max_entries=64, show_spinner=False)


def _controls() -> tuple[str, str, float, float, float]:
    left, right = st.columns([1, 2])
    names = [*OBJECTIVES, views.OWN]
    name = left.selectbox("Surface f(x, y)", names, index=4, **url(PREFIX, "surface"))
    text = ""
    if name == views.OWN:
        text = right.text_input("f(x, y) =", "sin(x) * cos(y) + 0.1 * x**2", **url(PREFIX, "fxy"))
    ((x0, x1), (y0, y1)), start = views.surface_choice(name)
    a, b, c = st.columns(3)
    px = a.slider(
        "Point x", x0, x1, float(start[0]), (x1 - x0) / 100, **ranged("px", x0, x1, float(start[0]))
    )
    py = b.slider(
        "Point y", y0, y1, float(start[1]), (y1 - y0) / 100, **ranged("py", y0, y1, float(start[1]))
    )
    angle = c.slider("Direction of u (degrees)", -180, 180, 30, 5, **url(PREFIX, "angle"))
    return name, text, px, py, angle


def _formulas(v: views.GradientView) -> None:
    (gx, gy), (px, py), angle = v.grad, v.point, int(v.angle)
    st.latex(v.latex)
    st.latex(
        rf"\nabla f({px:.3g}, {py:.3g}) = \begin{{pmatrix}} {num(gx, 4)} \\ {num(gy, 4)} "
        rf"\end{{pmatrix}},\quad \lVert\nabla f\rVert = {num(v.norm, 4)}"
    )
    sign = "-" if gy < 0 else "+"
    st.latex(
        rf"D_u f = \nabla f \cdot u = {num(gx, 4)}\cos {angle}^\circ {sign} "
        rf"{num(abs(gy), 4)}\sin {angle}^\circ"
    )
    st.latex(rf"= \lVert\nabla f\rVert \cos(\theta - \theta_\nabla) = {num(v.du, 4)}")


view = record(view)


@st.fragment
def render() -> None:
    """Contours with the gradient at a point, and D_u f as the direction u turns."""
    name, text, px, py, angle = _controls()
    try:
        v = view(name, text, px, py, angle)
    except ValueError as exc:
        show_error(exc)
        return
    obj = v.objective
    left, right = st.columns(2)
    contour = charts.contour_figure(
        v.grid,
        title=v.title,
        log_scale=obj.log_scale,
        point=v.point,
        grad=v.grad,
        direction=v.u,
        minima=obj.minima,
    )
    show_chart(left, contour)
    with right:
        if v.problem:
            st.warning(v.problem)
        else:
            _formulas(v)
            figure = charts.directional_figure(v.angles, v.directional, v.grad_angle, angle, v.norm)
            show_chart(st, figure)
    if st.toggle("Show the surface in 3-D", False, **url(PREFIX, "show3d")):
        figure = charts.point_surface_figure(
            v.grid, title=v.title, log_scale=obj.log_scale, point=v.point
        )
        show_chart(st, figure)
    notice(
        "The gradient (red) is perpendicular to the contour through the point (dashed) and points "
        "uphill. Turning u traces a cosine: D_u f is largest, equal to ‖∇f‖, along ∇f, zero along "
        "the contour, and most negative along −∇f, the direction gradient descent takes."
    )
    show_code(
        views.gradient_view,
        differentiation.directional_derivatives,
        type(obj.surface),
        export=EXPORT,
    )
