"""Figures for the Calculus lab: tangents and secants, error plots, contours, areas, flows.

Arrays in, ``go.Figure`` out. Data goes out as float32 with non-finite values
as gaps, so an undefined point (log of a negative number) breaks a curve
instead of wrecking the axes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from charts.theme import INK, PALETTE, figure
from charts.traces import banded_map, vline

F_COLOR, PRIME_COLOR, TANGENT_COLOR, SECANT_COLOR = PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3]
METHOD_COLORS = {"forward": PALETTE[0], "backward": PALETTE[5], "central": PALETTE[3]}
RULE_COLORS = {
    "left": PALETTE[0],
    "right": PALETTE[5],
    "midpoint": PALETTE[2],
    "trapezoid": PALETTE[1],
    "simpson": PALETTE[4],
}
REFERENCE = "#9AA5B1"


def _f32(a) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    # beyond float32's range (or not finite) becomes a gap, not an overflow warning
    return np.where(np.abs(a) < 3e38, a, np.nan).astype(np.float32)


def _y_range(*curves: np.ndarray, pad: float = 0.08) -> list[float] | None:
    values = np.concatenate([np.ravel(c) for c in curves])
    values = values[np.isfinite(values)]
    if values.size == 0:
        return None
    lo, hi = np.percentile(values, [1, 99]) if values.size > 50 else (values.min(), values.max())
    span = max(hi - lo, 1e-6)
    return [float(lo - pad * span), float(hi + pad * span)]


def tangent_figure(
    x, fx, dfx, x0: float, f0: float, slope: float, h: float, secant_slope: float, hs, secant_slopes
) -> go.Figure:
    """f and f', the tangent at x0 and the secant through x0 and x0 + h, animated over ``hs``.

    Parameters
    ----------
    x, fx, dfx : ndarray of shape (m,)
        The curve and its exact derivative.
    x0, f0, slope : float
        The point of tangency, f(x0) and f'(x0).
    h, secant_slope : float
        The secant shown before the animation runs: its step and slope.
    hs, secant_slopes : ndarray of shape (k,)
        Steps (largest first) and the secant slopes (f(x0 + h) - f(x0)) / h for the frames.
    """
    x = np.asarray(x, dtype=float)
    span = float(x[-1] - x[0])
    near = np.array([x0 - 0.3 * span, x0 + 0.3 * span])
    fig = figure("f, its derivative f′, the tangent and a secant", height=520)
    fig.add_trace(go.Scatter(x=_f32(x), y=_f32(fx), name="f(x)", line=dict(color=F_COLOR, width=3)))
    fig.add_trace(
        go.Scatter(
            x=_f32(x), y=_f32(dfx), name="f′(x), exact", line=dict(color=PRIME_COLOR, dash="dash")
        )
    )
    fig.add_trace(
        go.Scatter(
            x=_f32(near),
            y=_f32(f0 + slope * (near - x0)),
            name=f"tangent, slope {slope:.4g}",
            mode="lines",
            line=dict(color=TANGENT_COLOR, width=2),
        )
    )
    ends = np.array([x[0], x[-1]])
    fig.add_trace(
        go.Scatter(
            x=_f32(ends),
            y=_f32(f0 + secant_slope * (ends - x0)),
            name="secant",
            mode="lines",
            line=dict(color=SECANT_COLOR, width=1.5, dash="dot"),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=_f32([x0, x0 + h]),
            y=_f32([f0, f0 + secant_slope * h]),
            mode="markers",
            showlegend=False,
            marker=dict(color=[TANGENT_COLOR, SECANT_COLOR], size=10),
        )
    )
    # Frames as plain dicts holding only the moving coordinates: plotly validates
    # go.Frame objects one by one, which made this figure 4x slower to build.
    fig.frames = [
        dict(
            name=f"{s_h:.3g}",
            traces=[3, 4],
            data=[
                dict(x=_f32(ends), y=_f32(f0 + s * (ends - x0))),
                dict(x=_f32([x0, x0 + s_h]), y=_f32([f0, f0 + s * s_h])),
            ],
        )
        for s_h, s in zip(hs, secant_slopes)
    ]
    steps = [
        dict(
            method="animate",
            label=f"{s_h:.2g}",
            args=[[f"{s_h:.3g}"], dict(mode="immediate", frame=dict(duration=0, redraw=False))],
        )
        for s_h in hs
    ]
    fig.update_layout(
        yaxis=dict(range=_y_range(fx, dfx)),
        xaxis=dict(range=[float(x[0]), float(x[-1])], title=None),
        legend=dict(orientation="h", y=1.0, yanchor="bottom", x=0.0),
        updatemenus=[
            dict(
                type="buttons",
                x=0.0,
                y=-0.1,
                xanchor="left",
                yanchor="top",
                showactive=False,
                buttons=[
                    dict(
                        label="▶ shrink h",
                        method="animate",
                        args=[
                            None,
                            dict(
                                frame=dict(duration=120, redraw=False),
                                fromcurrent=False,
                                mode="immediate",
                            ),
                        ],
                    )
                ],
            )
        ],
        sliders=[
            dict(
                steps=steps,
                active=int(np.argmin(np.abs(np.log(np.asarray(hs) / h)))),
                x=0.14,
                len=0.86,
                y=-0.06,
                yanchor="top",
                currentvalue=dict(prefix="secant h = "),
                pad=dict(t=0, b=0),
                font=dict(size=10),
            )
        ],
        margin=dict(t=90, b=110),
    )
    return fig


def _loglog(
    title: str,
    xs,
    curves: Mapping[str, np.ndarray],
    colors: Mapping[str, str],
    slopes: Mapping[str, int],
    *,
    x_title: str,
    marker: float,
    sign: int,
) -> go.Figure:
    """Errors on log-log axes with dotted reference lines of slope ``sign * order``."""
    xs = np.asarray(xs, dtype=float)
    fig = figure(title, height=420)
    for name, errors in curves.items():
        e = np.where(np.asarray(errors) > 0, errors, np.nan)
        fig.add_trace(
            go.Scatter(
                x=_f32(xs),
                y=_f32(e),
                name=name,
                mode="lines+markers",
                line=dict(color=colors[name]),
                marker=dict(size=4),
            )
        )
    for name, order in slopes.items():
        e = np.asarray(curves[name], dtype=float)
        ok = np.flatnonzero(np.isfinite(e) & (e > 0))
        if ok.size == 0:
            continue
        # anchor the guide on the curve's largest error, where truncation dominates
        i = ok[np.argmax(e[ok])]
        guide = e[i] * (xs / xs[i]) ** (sign * order) * 1.5
        fig.add_trace(
            go.Scatter(
                x=_f32(xs),
                y=_f32(guide),
                mode="lines",
                name=f"slope {sign * order}",
                line=dict(color=REFERENCE, dash="dot", width=1),
                hoverinfo="skip",
            )
        )
    vline(fig, marker, line=dict(color="#52606D", dash="dash", width=1))
    # curves with no positive error (f flat on one side of x0, say) set neither end of the axis
    shown = [np.asarray(c, dtype=float) for c in curves.values()]
    shown = [c[np.isfinite(c) & (c > 0)] for c in shown]
    floor = min([float(c.min()) for c in shown if c.size] + [1.0])
    top = max([float(c.max()) for c in shown if c.size] + [1e-12])
    fig.update_layout(
        xaxis=dict(type="log", title=x_title, exponentformat="power"),
        yaxis=dict(
            type="log",
            title="absolute error",
            exponentformat="power",
            range=[math.log10(max(floor, 1e-17)) - 0.5, math.log10(top) + 0.5],
        ),
        legend=dict(orientation="h", y=-0.25),
    )
    return fig


def error_vs_h_figure(
    hs, errors: Mapping[str, np.ndarray], orders: Mapping[str, int], h: float
) -> go.Figure:
    """|finite difference - exact| against h: truncation falls with slope 1 or 2, round-off rises."""
    one_each = {order: name for name, order in orders.items()}  # one guide per order
    return _loglog(
        "Error of the difference quotients against h",
        hs,
        errors,
        METHOD_COLORS,
        {name: orders[name] for name in one_each.values()},
        x_title="step h",
        marker=h,
        sign=1,
    )


def convergence_figure(
    ns, errors: Mapping[str, np.ndarray], orders: Mapping[str, int], n: int
) -> go.Figure:
    """|rule - integral| against n: slopes -1 (left/right), -2 (midpoint/trapezoid), -4 (Simpson)."""
    one_each = {order: name for name, order in orders.items()}
    return _loglog(
        "Error of each rule against the number of intervals",
        ns,
        errors,
        RULE_COLORS,
        {name: orders[name] for name in one_each.values()},
        x_title="intervals n",
        marker=n,
        sign=-1,
    )


def curve_figure(x, fx, title: str) -> go.Figure:
    """f alone over an interval, gaps where it is not finite: what is left when no area exists."""
    fig = figure(title, height=420)
    fig.add_trace(go.Scatter(x=_f32(x), y=_f32(fx), name="f(x)", line=dict(color=F_COLOR, width=3)))
    fig.update_layout(
        xaxis=dict(title="x"), yaxis=dict(range=_y_range(fx, [0.0])), showlegend=False
    )
    return fig


def integration_figure(x, fx, approx_x, approx_y, nodes, rule: str, area: float) -> go.Figure:
    """The curve and the shaded region the rule really measures (steps, chords or parabolas)."""
    fig = figure(f"{rule.capitalize()} rule: shaded area = {area:.6g}", height=420)
    color = RULE_COLORS.get(rule, PALETTE[0])
    fig.add_trace(
        go.Scatter(
            x=_f32(approx_x),
            y=_f32(approx_y),
            name=f"{rule} approximation",
            fill="tozeroy",
            mode="lines",
            line=dict(color=color, width=1.5),
            opacity=0.6,
        )
    )
    fig.add_trace(go.Scatter(x=_f32(x), y=_f32(fx), name="f(x)", line=dict(color=F_COLOR, width=3)))
    nodes = np.asarray(nodes, dtype=float)
    if nodes.size <= 80:  # interval edges, drawn while they stay readable
        edge_x = np.repeat(nodes, 3)
        edge_y = np.tile([0.0, 1.0, np.nan], nodes.size)
        edge_y[1::3] = np.interp(
            nodes, np.asarray(approx_x, dtype=float), np.asarray(approx_y, dtype=float)
        )
        fig.add_trace(
            go.Scatter(
                x=_f32(edge_x),
                y=_f32(edge_y),
                mode="lines",
                showlegend=False,
                hoverinfo="skip",
                line=dict(color=color, width=0.8),
            )
        )
    fig.update_layout(
        xaxis=dict(title="x"),
        yaxis=dict(range=_y_range(fx, approx_y, [0.0])),
        legend=dict(orientation="h", y=-0.2),
    )
    return fig


def _arrows(
    starts, vectors, *, color: str, name: str, width: float = 2, showlegend: bool = True
) -> list[go.Scatter]:
    """Arrows as one line trace (shafts, None-separated) and one trace of arrowheads."""
    starts, vectors = np.atleast_2d(starts).astype(float), np.atleast_2d(vectors).astype(float)
    ends = starts + vectors
    shaft = np.full((len(starts) * 3, 2), np.nan)
    shaft[0::3], shaft[1::3] = starts, ends
    # marker angles are clockwise from "up" in screen terms (equal axis scales assumed)
    angles = 90.0 - np.degrees(np.arctan2(vectors[:, 1], vectors[:, 0]))
    return [
        go.Scatter(
            x=_f32(shaft[:, 0]),
            y=_f32(shaft[:, 1]),
            mode="lines",
            name=name,
            showlegend=showlegend,
            line=dict(color=color, width=width),
            hoverinfo="skip",
            legendgroup=name,
        ),
        go.Scatter(
            x=_f32(ends[:, 0]),
            y=_f32(ends[:, 1]),
            mode="markers",
            showlegend=False,
            legendgroup=name,
            marker=dict(symbol="arrow", angle=angles, size=6 + 2 * width, color=color),
            hoverinfo="skip",
        ),
    ]


def contour_figure(
    grid,
    *,
    title: str,
    log_scale: bool = False,
    field: bool = True,
    point=None,
    grad=None,
    direction=None,
    paths: Mapping[str, np.ndarray] | None = None,
    minima=(),
    height: int = 520,
) -> go.Figure:
    """Contours of f(x, y) with optional gradient field, arrows at a point, and paths.

    Parameters
    ----------
    grid : dlcore.differentiation.SurfaceGrid
        ``xs`` (nx,), ``ys`` (ny,), ``z`` (ny, nx), and gradients at arrow positions.
    log_scale : bool
        Colour log(1 + f - min f), for narrow valleys.
    field : bool
        Draw the gradient field (directions only: every arrow the same length).
    point, grad, direction : ndarray of shape (2,), optional
        A point with its gradient arrow and a unit-direction arrow (drawn scaled).
    paths : dict name -> ndarray of shape (m, 2), optional
        Rows with NaN (not computed) are left out.
    """
    xs, ys, z = grid.xs, grid.ys, grid.z
    z = np.asarray(z, dtype=float)
    shown = np.log1p(z - np.nanmin(z)) if log_scale else z
    fig = figure(title, height=height)
    banded_map(fig, xs, ys, shown, bands=30)
    key = "log(1 + f − min f)" if log_scale else "f"
    fig.add_annotation(  # the picture has no colour bar: say what its shades mean
        text=f"darker: lower {key}",
        xref="paper",
        yref="paper",
        x=1,
        y=1.01,
        xanchor="right",
        yanchor="bottom",
        showarrow=False,
        font=dict(size=11),
    )
    box = max(float(xs[-1] - xs[0]), float(ys[-1] - ys[0]))
    if field:
        g = np.asarray(grid.gradients, dtype=float)
        length = np.hypot(g[:, 0], g[:, 1])
        ok = np.isfinite(length) & (length > 0)
        unit = g[ok] / length[ok, None] * 0.045 * box
        fig.add_traces(
            _arrows(grid.arrows[ok], unit, color="rgba(31,41,51,0.45)", name="∇f field", width=1)
        )
    if point is not None:
        fig.add_trace(
            go.Scatter(
                x=[float(point[0])],
                y=[float(point[1])],
                mode="markers",
                name="point",
                marker=dict(color="white", size=11, line=dict(color="black", width=2)),
            )
        )
        if grad is not None and np.all(np.isfinite(grad)) and np.hypot(*grad) > 0:
            g = np.asarray(grad, dtype=float) / np.hypot(*grad)
            fig.add_traces(_arrows(point, 0.18 * box * g, color=SECANT_COLOR, name="∇f", width=3))
            level = np.array([-g[1], g[0]]) * 0.15 * box
            fig.add_trace(
                go.Scatter(
                    x=_f32([point[0] - level[0], point[0] + level[0]]),
                    y=_f32([point[1] - level[1], point[1] + level[1]]),
                    mode="lines",
                    name="level-set tangent",
                    line=dict(color=INK, dash="dash", width=2),
                )
            )
        if direction is not None:
            fig.add_traces(
                _arrows(
                    point,
                    0.14 * box * np.asarray(direction, dtype=float),
                    color=PALETTE[5],
                    name="direction u",
                    width=3,
                )
            )
    for i, (name, pts) in enumerate((paths or {}).items()):
        pts = np.asarray(pts, dtype=float)
        pts = pts[np.isfinite(pts).all(axis=1)]
        fig.add_trace(
            go.Scatter(
                x=_f32(pts[:, 0]),
                y=_f32(pts[:, 1]),
                name=name,
                mode="lines+markers",
                line=dict(color=[INK, PALETTE[3], PALETTE[4]][i % 3], width=3 - i),
                marker=dict(size=4 if i else 0),
            )
        )
    if len(minima):
        m = np.asarray(minima, dtype=float)
        fig.add_trace(
            go.Scatter(
                x=m[:, 0],
                y=m[:, 1],
                mode="markers",
                name="minimum",
                marker=dict(
                    symbol="star", size=14, color="white", line=dict(color="black", width=1)
                ),
            )
        )
    fig.update_layout(
        xaxis=dict(range=[float(xs[0]), float(xs[-1])], title="x", constrain="domain"),
        yaxis=dict(
            range=[float(ys[0]), float(ys[-1])],
            title="y",
            scaleanchor="x",
            scaleratio=1,
            constrain="domain",
        ),
        legend=dict(orientation="h", y=-0.15, bgcolor="#E4E7EB"),
    )  # white paths stay visible
    return fig


def point_surface_figure(
    grid, *, title: str, log_scale: bool = False, point=None, most: int = 61
) -> go.Figure:
    """f(x, y) as a 3-D surface, with the point lifted onto it.

    Parameters
    ----------
    grid : dlcore.differentiation.SurfaceGrid
    log_scale : bool
        Height log(1 + f - min f), as the contour's colours.
    point : ndarray of shape (2,), optional
    most : int
        Grid points per axis sent to the browser (every k-th of the grid's).
    """
    step = max(1, int(np.ceil(len(grid.xs) / most)))
    xs, ys = np.asarray(grid.xs)[::step], np.asarray(grid.ys)[::step]
    z = np.asarray(grid.z, dtype=float)
    floor = float(np.nanmin(z)) if np.isfinite(z).any() else 0.0
    shown = np.log1p(z - floor) if log_scale else z
    fig = figure(title, height=520)
    fig.add_trace(
        go.Surface(
            x=_f32(xs),
            y=_f32(ys),
            z=_f32(shown[::step, ::step]),
            colorscale="Viridis",
            showscale=False,
            hoverinfo="skip",
            opacity=0.9,
        )
    )
    if point is not None:
        i = int(np.argmin(np.abs(np.asarray(grid.xs) - point[0])))
        j = int(np.argmin(np.abs(np.asarray(grid.ys) - point[1])))
        fig.add_trace(
            go.Scatter3d(
                x=[float(point[0])],
                y=[float(point[1])],
                z=_f32([shown[j, i]]),
                mode="markers",
                name="point",
                marker=dict(color="white", size=6, line=dict(color="black", width=2)),
            )
        )
    fig.update_layout(
        scene=dict(
            xaxis=dict(title="x"),
            yaxis=dict(title="y"),
            zaxis=dict(title="log(1+f−min)" if log_scale else "f"),
            aspectmode="manual",
            aspectratio=dict(x=1, y=1, z=0.6),
        ),
        margin=dict(l=0, r=0, t=40, b=0),
        showlegend=False,
    )
    return fig


def directional_figure(
    angles_deg, values, grad_angle_deg: float, angle_deg: float, norm: float
) -> go.Figure:
    """D_u f as the direction u turns: a cosine of amplitude |∇f|, largest along ∇f."""
    fig = figure("Directional derivative as u turns", height=360)
    fig.add_trace(
        go.Scatter(
            x=_f32(angles_deg), y=_f32(values), name="D_u f", line=dict(color=PALETTE[5], width=3)
        )
    )
    vline(
        fig,
        grad_angle_deg,
        line=dict(color=SECANT_COLOR, dash="dash"),
        text=f"along ∇f: {norm:.3g}",
        position="top",
    )
    current = float(np.interp(angle_deg, angles_deg, values))
    fig.add_trace(
        go.Scatter(
            x=[angle_deg],
            y=[current],
            mode="markers",
            name="current u",
            marker=dict(color=PALETTE[5], size=12, line=dict(color="black", width=1)),
        )
    )
    fig.update_layout(
        xaxis=dict(title="angle of u (degrees)", tickvals=list(range(-180, 181, 90))),
        yaxis=dict(title="D_u f"),
        showlegend=False,
    )
    return fig


def flow_gap_figure(t, gap) -> go.Figure:
    """Distance between the gradient-descent iterate k and the flow at time k * lr."""
    fig = figure("How far gradient descent strays from the flow", height=300)
    fig.add_trace(
        go.Scatter(x=_f32(t), y=_f32(gap), mode="lines", line=dict(color=PALETTE[3], width=2))
    )
    fig.update_layout(
        xaxis=dict(title="time t = k · learning rate"),
        yaxis=dict(title="|x_k − x(t_k)|"),
        showlegend=False,
    )
    return fig


__all__ = [
    "contour_figure",
    "curve_figure",
    "convergence_figure",
    "directional_figure",
    "error_vs_h_figure",
    "flow_gap_figure",
    "integration_figure",
    "point_surface_figure",
    "tangent_figure",
]
