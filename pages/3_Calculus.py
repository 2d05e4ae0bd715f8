"""Calculus lab: derivatives, finite differences, the chain rule, gradients, integrals, gradient flow."""

import numpy as np
import streamlit as st

from charts import calculus as charts
from dlcore import calculus as calc
from dlcore.expr import Expression, parse
from dlcore.expr import latex_number as num
from dlcore.objectives import OBJECTIVES, from_expression
from ui import download_csv, notice, page_header, show_code, show_error, url

P = "calc"
OWN = "Type your own formula"
page_header(
    "Calculus",
    "The derivative is a limit of slopes, the gradient points uphill, an integral is a limit "
    "of sums, and gradient descent is a way of solving an ODE. Type any formula: it is parsed safely "
    "and differentiated exactly, so every *exact* number here comes from the formula itself.",
)


def fit(name: str, lo: float, hi: float) -> dict:
    """url() for a slider whose range follows the chosen function: a value left from another range is dropped."""
    if not all(lo <= v <= hi for v in np.atleast_1d(st.session_state.get(f"{P}_{name}", lo))):
        del st.session_state[f"{P}_{name}"]
    return url(P, name)


@st.cache_data(max_entries=64)
def curve_view(text: str, lo: float, hi: float, x0: float, h: float) -> dict:
    f = calc.univariate(text)
    x, hs, grid = (
        np.linspace(lo, hi, 401),
        np.geomspace((hi - lo) / 2, (hi - lo) / 2000, 31),
        np.logspace(-14, 0, 57),
    )
    return dict(
        x=x,
        fx=f(x),
        dfx=f.prime(x),
        f0=float(f(x0)),
        slope=float(f.prime(x0)),
        hs=hs,
        secants=calc.derivative(f, x0, h=hs, method="forward"),
        prime=f.prime.latex,
        h_grid=grid,
        errors=calc.difference_errors(f, float(f.prime(x0)), x0, grid),
        at_h={m: float(calc.derivative(f, x0, h=h, method=m)) for m in calc.DIFFERENCES},
    )


@st.cache_data(max_entries=64)
def integration_view(text: str, a: float, b: float, n: int, rule: str) -> dict:
    f = calc.univariate(text)
    exact, ns, x = calc.reference_integral(f, a, b), 2 ** np.arange(1, 13), np.linspace(a, b, 401)
    return dict(
        x=x,
        fx=f(x),
        shape=calc.approximant(f, a, b, n=n, rule=rule),
        exact=exact,
        ns=ns,
        area=calc.integrate(f, a, b, n=n, rule=rule),
        errors=calc.convergence(f, a, b, exact, ns),
        nodes=np.linspace(a, b, n + 1),
    )


@st.cache_data(max_entries=32)
def surface(name: str, text: str):
    obj = from_expression(text) if name == OWN else OBJECTIVES[name]
    return obj, calc.surface_grid(obj.f, obj.grad, obj.bounds)


@st.cache_data(max_entries=32)
def flows(name: str, lr: float, steps: int) -> calc.FlowComparison:
    return calc.flow_vs_descent(OBJECTIVES[name].grad, OBJECTIVES[name].start, lr=lr, steps=steps)


@st.fragment
def derivative_section(text: str, lo: float, hi: float) -> None:
    st.header("1 · The derivative: secants close in on the tangent")
    c1, c2 = st.columns(2)
    x0 = c1.slider(
        "Point x₀", lo, hi, round(lo + 0.35 * (hi - lo), 2), (hi - lo) / 200, **fit("x0", lo, hi)
    )
    h = c2.select_slider(
        "Secant step h", [1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 0.3, 1.0, 2.0], 2.0, **url(P, "h")
    )
    v = curve_view(text, lo, hi, x0, h)
    if not np.isfinite(v["f0"] + v["slope"]):
        st.warning(f"f or f′ is not defined at x₀ = {x0:g} (the value is {v['f0']:g}); move x₀.")
        return
    secant, (left, right) = v["at_h"]["forward"], st.columns([3, 2])
    left.plotly_chart(
        charts.tangent_figure(
            v["x"], v["fx"], v["dfx"], x0, v["f0"], v["slope"], h, secant, v["hs"], v["secants"]
        ),
        width="stretch",
    )
    right.latex(rf"f'(x) = {v['prime']}")
    right.latex(rf"f'({x0:.4g}) = {num(v['slope'])}")
    right.latex(rf"\frac{{f({x0:.4g} + {num(h, 3)}) - f({x0:.4g})}}{{{num(h, 3)}}} = {num(secant)}")
    right.metric("Secant slope − tangent slope", f"{secant - v['slope']:.3g}")
    with right:
        notice(
            "Press ▶ under the chart or drag its h slider: as h shrinks the secant turns into the tangent, "
            "and its slope into f′(x₀). The dashed orange curve is f′, exact, from differentiating the formula."
        )
        download_csv(
            "Download f and f′ (CSV)",
            {"x": v["x"], "f": v["fx"], "f_prime": v["dfx"]},
            "derivative.csv",
            key="calc_dl_derivative",
        )

    st.header("2 · Finite differences: truncation against round-off")
    hs, errors = v["h_grid"], v["errors"]
    left, right = st.columns([3, 2])
    left.plotly_chart(
        charts.error_vs_h_figure(hs, errors, {m: d.order for m, d in calc.DIFFERENCES.items()}, h),
        width="stretch",
    )
    rows = [
        rf"\text{{{m}:}}\; & {d.latex} = {num(v['at_h'][m])}" for m, d in calc.DIFFERENCES.items()
    ]
    right.latex(
        r"\begin{aligned}"
        + r"\\[6pt]".join(
            [
                rf"\text{{step }} h:\; & {num(h, 3)}",
                *rows,
                rf"\text{{exact:}}\; & {num(v['slope'])}",
            ]
        )
        + r"\end{aligned}"
    )
    best = {
        m: hs[int(np.nanargmin(np.where(e > 0, e, np.nan)))]
        for m, e in errors.items()
        if np.any(e > 0)
    }
    right.caption("Best h: " + ", ".join(f"{m} {b:.0e}" for m, b in best.items()))
    with right:
        notice(
            "Right of the dip, the error falls like h (forward, backward) or h² (central): truncation. Left of "
            "it, float64 round-off (about 1e-16 / h) takes over, so an ever smaller h makes things worse: the V."
        )
    show_code(calc.derivative, calc.difference_errors, Expression.derivative)


@st.fragment
def chain_section() -> None:
    st.header("4 · The chain rule, one step at a time")
    c1, c2, c3 = st.columns(3)
    outer_text = c1.text_input("Outer g(u) =", "sin(u)", **url(P, "outer"))
    inner_text = c2.text_input("Inner h(x) =", "x**2 + 1", **url(P, "inner"))
    x = c3.slider("x", -3.0, 3.0, 1.3, 0.05, **url(P, "chain_x"))
    try:
        outer, inner = parse(outer_text, ("u",)), parse(inner_text, ("x",))
        r, composite = calc.chain_rule(outer, inner, x), outer.substitute(u=inner)
        if not np.isfinite([r.inner, r.outer, r.product]).all():
            raise ValueError(
                f"g(h(x)) or its derivative is not defined at x = {x:g}; move x or change a formula."
            )
        at_u = (
            outer.derivative().substitute(u=parse(f"{r.inner:.4g}", ("u",))).latex
        )  # g'(u) with u plugged in
    except ValueError as exc:
        show_error(exc, hint="The outer function uses the variable u, the inner one x.")
        return
    st.latex(
        rf"g(h(x)) = {composite.latex}, \qquad \frac{{d}}{{dx}}\,g(h(x)) = g'(h(x))\,h'(x) = "
        rf"{composite.derivative().latex}"
    )
    st.latex(
        rf"u = h({x:g}) = {num(r.inner)},\quad g(u) = {num(r.outer)},\quad h'({x:g}) = "
        rf"{num(r.inner_derivative)},\quad g'(u) = {at_u} = {num(r.outer_derivative)}"
    )
    c1, c2, c3 = st.columns(3)
    c1.metric("Chain rule: g′(u) · h′(x)", f"{r.product:.10g}")
    c2.metric("Central difference of g(h(x))", f"{r.numerical:.10g}")
    c3.metric(
        "Relative difference", f"{abs(r.product - r.numerical) / max(abs(r.product), 1e-300):.1e}"
    )
    notice(
        "The local derivatives multiply: how fast g changes per unit of u, times how fast u changes per unit of "
        "x. Backpropagation is exactly this product, taken through every layer."
    )
    show_code(calc.chain_rule, Expression.substitute)


@st.fragment
def gradient_section() -> None:
    st.header("5 · Two variables: the gradient and directional derivatives")
    c1, c2 = st.columns([1, 2])
    name = c1.selectbox("Surface f(x, y)", [*OBJECTIVES, OWN], index=4, **url(P, "surface"))
    text2 = (
        c2.text_input("f(x, y) =", "sin(x) * cos(y) + 0.1 * x**2", **url(P, "fxy"))
        if name == OWN
        else ""
    )
    try:
        obj, grid = surface(name, text2)
    except ValueError as exc:
        show_error(exc)
        return
    (x0, x1), (y0, y1) = obj.bounds
    c1, c2, c3 = st.columns(3)
    px = c1.slider("Point x", x0, x1, float(obj.start[0]), (x1 - x0) / 100, **fit("px", x0, x1))
    py = c2.slider("Point y", y0, y1, float(obj.start[1]), (y1 - y0) / 100, **fit("py", y0, y1))
    angle = c3.slider("Direction of u (degrees)", -180, 180, 30, 5, **url(P, "angle"))
    point, u = np.array([px, py]), np.array([np.cos(np.radians(angle)), np.sin(np.radians(angle))])
    g = obj.grad(point)
    if not np.all(np.isfinite(g)):
        st.warning(f"The gradient is not defined at ({px:g}, {py:g}); move the point.")
        return
    angles, norm = np.arange(-180, 181, 2), float(np.hypot(*g))
    left, right = st.columns(2)
    left.plotly_chart(
        charts.contour_figure(
            grid,
            title=name if name != OWN else text2,
            log_scale=obj.log_scale,
            point=point,
            grad=g,
            direction=u,
            minima=obj.minima,
        ),
        width="stretch",
    )
    right.latex(obj.latex)
    right.latex(
        rf"\nabla f({px:.3g}, {py:.3g}) = \begin{{pmatrix}} {num(g[0], 4)} \\ {num(g[1], 4)} \end{{pmatrix}}"
        rf",\quad \lVert\nabla f\rVert = {num(norm, 4)}"
    )
    right.latex(
        rf"D_u f = \nabla f \cdot u = {num(g[0], 4)}\cos {angle}^\circ {'-' if g[1] < 0 else '+'} "
        rf"{num(abs(g[1]), 4)}\sin {angle}^\circ"
    )
    right.latex(rf"= \lVert\nabla f\rVert \cos(\theta - \theta_\nabla) = {num(float(g @ u), 4)}")
    right.plotly_chart(
        charts.directional_figure(
            angles,
            calc.directional_derivatives(g, np.radians(angles)),
            float(np.degrees(np.arctan2(g[1], g[0]))),
            angle,
            norm,
        ),
        width="stretch",
    )
    notice(
        "The gradient (red) is perpendicular to the contour through the point (dashed) and points uphill. "
        "Turning u traces a cosine: D_u f is largest, equal to ‖∇f‖, along ∇f, zero along the contour, and most "
        "negative along −∇f, the direction gradient descent takes."
    )
    show_code(calc.directional_derivatives, type(obj.surface))


@st.fragment
def integration_section(text: str, lo: float, hi: float) -> None:
    st.header("3 · Integration: Riemann sums, trapezoids and parabolas")
    (c1, c2, c3), w = st.columns([2, 2, 3]), hi - lo
    a, b = c1.slider(
        "Interval [a, b]",
        lo,
        hi,
        (round(lo + 0.1 * w, 2), round(lo + 0.8 * w, 2)),
        w / 100,
        **fit("ab", lo, hi),
    )
    n = c2.slider("Intervals n", 2, 64, 6, 2, **url(P, "n"))
    rule = c3.segmented_control(
        "Rule", list(calc.RULES), default="midpoint", required=True, **url(P, "rule")
    )
    if not a < b:
        st.warning("Choose an interval with a < b.")
        return
    v = integration_view(text, a, b, n, rule)
    if not np.isfinite(v["exact"]):
        st.warning(
            "f is not finite everywhere on [a, b], so the integral is not defined there; shrink the interval."
        )
        return
    left, right = st.columns(2)
    left.plotly_chart(
        charts.integration_figure(v["x"], v["fx"], *v["shape"], v["nodes"], rule, v["area"]),
        width="stretch",
    )
    right.plotly_chart(
        charts.convergence_figure(
            v["ns"], v["errors"], {r: rule.order for r, rule in calc.RULES.items()}, n
        ),
        width="stretch",
    )
    st.latex(
        rf"\int_{{{a:.3g}}}^{{{b:.3g}}} f(x)\,dx \approx {calc.RULES[rule].latex} = {num(v['area'], 10)},\quad"
        rf"\Delta x = \frac{{{b:.3g} - ({a:.3g})}}{{{n}}},\quad \text{{error}} = {num(v['area'] - v['exact'], 3)}"
    )
    slopes = {
        r: calc.observed_order(v["ns"], e) for r, e in v["errors"].items() if np.sum(e > 1e-13) >= 2
    }
    st.caption(
        "Fitted orders (error ~ n^-p): "
        + ", ".join(f"{r} p = {p:.2f}" for r, p in slopes.items())
        + f". Reference value {v['exact']:.12g} from Simpson with n = 65536."
    )
    notice(
        "Doubling n halves the left/right error (order 1), quarters the midpoint and trapezoid error (order 2) "
        "and divides Simpson's by 16 (order 4), until round-off. Try the kink abs(x): smoothness sets the order."
    )
    download_csv(
        "Download the errors (CSV)",
        {"n": v["ns"], **v["errors"]},
        "integration_errors.csv",
        key="calc_dl_integration",
    )
    show_code(calc.integrate, calc.integrate_loop, calc.approximant)


@st.fragment
def flow_section() -> None:
    st.header("6 · Gradient flow: gradient descent is Euler's method")
    c1, c2, c3 = st.columns(3)
    name = c1.selectbox("Surface", list(OBJECTIVES), index=1, **url(P, "flow_surface"))
    lr = c2.select_slider(
        "Learning rate (the Euler time step)",
        [0.001, 0.003, 0.01, 0.03, 0.05, 0.1, 0.15, 0.19, 0.21, 0.3, 0.5, 1.0],
        0.05,
        **url(P, "lr"),
    )
    steps = c3.slider("Steps", 5, 200, 40, 5, **url(P, "steps"))
    (obj, grid), v = surface(name, ""), flows(name, lr, steps)
    paths = {
        "gradient flow (exact ODE)": v.flow.points,
        f"gradient descent, lr = {lr:g}": v.descent.points,
    }
    st.latex(
        rf"\frac{{dx}}{{dt}} = -\nabla f(x) \quad\xrightarrow{{\text{{Euler, step }} \eta}}\quad x_{{k+1}} = "
        rf"x_k - {lr:g}\,\nabla f(x_k), \qquad x_{{{steps}}} \approx x(t = {steps} \cdot {lr:g} = {steps * lr:.4g})"
    )
    left, right = st.columns([3, 2])
    left.plotly_chart(
        charts.contour_figure(
            grid, title=name, log_scale=obj.log_scale, paths=paths, minima=obj.minima, field=False
        ),
        width="stretch",
    )
    right.plotly_chart(charts.flow_gap_figure(v.descent.t, v.gap), width="stretch")
    if (
        v.descent.diverged_at >= 0
    ):  # a surface with no minimum runs off whatever the rate: say which case this is
        right.warning(
            f"Gradient descent diverged at step {v.descent.diverged_at}: "
            + (
                "the step is beyond 2 / (largest curvature), where Euler's method is unstable. Lower the learning rate."
                if obj.minima
                else f"{name} is unbounded below, so descent and the exact flow both run off; no rate helps."
            )
        )
    if v.flow.diverged_at >= 0:
        right.caption(
            f"The flow is shown up to t = {v.flow.t[v.flow.diverged_at - 1]:.3g} (the solver's "
            "step budget ran out on this stiff surface)."
        )
    notice(
        "With a small learning rate the dots sit on the flow line: descent follows the ODE. Raise it and they "
        "overshoot and zig-zag across the valley, then fly off once lr × (largest curvature) passes 2. On the "
        "ellipse (curvatures 1 and 10) that happens between lr = 0.19 and 0.21."
    )
    download_csv(
        "Download both paths (CSV)",
        {
            "t": v.descent.t,
            **dict(
                zip(["gd_x", "gd_y", "flow_x", "flow_y"], [*v.descent.points.T, *v.flow.points.T])
            ),
        },
        "gradient_flow.csv",
        key="calc_dl_flow",
    )
    show_code(calc.flow_vs_descent, calc.gradient_flow, calc.gradient_descent)


# f(x) for sections 1, 2 and 3
with st.container(border=True):
    c1, c2 = st.columns([1, 2])
    choice = c1.selectbox("Function f(x)", [*calc.CURVES, OWN], **url(P, "curve"))
    if choice == OWN:
        text = c2.text_input(
            "f(x) =", "x**2 * sin(x)", help="Like x^2 * exp(-x) + sqrt(abs(x))", **url(P, "fx")
        )
        lo, hi = c2.slider(
            "Plot from x = ... to ...", -10.0, 10.0, (-3.0, 3.0), 0.5, **url(P, "domain")
        )
    else:
        text, (lo, hi) = calc.CURVES[choice].text, calc.CURVES[choice].domain
try:
    if not lo < hi:
        raise ValueError("The plot range is empty: choose 'from' below 'to'.")
    c2.latex(rf"f(x) = {calc.univariate(text).latex}")
except ValueError as exc:
    show_error(exc, hint="Fix the formula above: sections 1, 2 and 3 use it.")
else:
    derivative_section(text, lo, hi)
    integration_section(text, lo, hi)
chain_section()
gradient_section()
flow_section()
