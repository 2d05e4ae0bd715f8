"""Figures of the gradient-descent lab: iterates on a curve, paths over contours, loss curves.

A path is cut once it is two view-widths outside the view: a diverging run
is explained in words by the page and marked here where it left the view,
never drawn out to 1e6. A converging one that swings out for a step is
clipped by the axes and comes back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

import numpy as np
import plotly.graph_objects as go

from charts.theme import PALETTE, SEQUENTIAL, color_for, figure
from charts.traces import banded_map, hline, vline

MAX_POINTS = 1500  # per path or curve sent to the browser
# A marker per step shows a path's steps while they are few; past this many the
# markers hide the path, and each one costs the browser an SVG node to redraw.
MARKED_POINTS = 200

# The lab's own names, by prefix ("Mini-batch (B = 16)"); Momentum keeps the
# colour it has on every page. Read-only, so no module-level mutable state.
_COLORS = MappingProxyType(
    {
        "Gradient descent": PALETTE[3],
        "Gradient flow": "#7B8794",
        "Full batch": PALETTE[1],
        "Mini-batch": PALETTE[0],
        "Stochastic": PALETTE[2],
    }
)


def _color(name: str) -> str:
    for prefix, color in _COLORS.items():
        if name.startswith(prefix):
            return color
    return color_for(name)


def _thin(*arrays: np.ndarray, most: int = MAX_POINTS) -> list[np.ndarray]:
    """Every k-th row so at most ``most`` remain, always keeping the last one."""
    n = len(arrays[0])
    if n <= most:
        return [np.asarray(a) for a in arrays]
    idx = np.unique(np.append(np.linspace(0, n - 1, most).astype(int), n - 1))
    return [np.asarray(a)[idx] for a in arrays]


def _inside(points: np.ndarray, lo: np.ndarray, hi: np.ndarray, margin: float = 2.0) -> int:
    """How many leading points lie inside the box [lo, hi] widened by ``margin`` spans on each side.

    A converging path may swing outside the view for a step or two (the axes
    clip it); only one that goes far beyond is cut.
    """
    lo, hi = lo - margin * (hi - lo), hi + margin * (hi - lo)
    with np.errstate(invalid="ignore"):
        inside = (points >= lo) & (points <= hi)
    ok = np.all(inside, axis=-1) if points.ndim > 1 else inside
    bad = np.flatnonzero(~ok)
    return int(bad[0]) if bad.size else len(points)


def _exit_note(
    fig: go.Figure, path: np.ndarray, lo: np.ndarray, hi: np.ndarray, color: str
) -> None:
    """Mark where a cut (diverging) path first leaves the view, at the view's edge."""
    step = _inside(path, lo, hi, margin=0.0)
    last = np.clip(path[max(step - 1, 0)], lo, hi)
    fig.add_annotation(
        x=float(last[0]),
        y=float(last[1]),
        text=f"leaves the view at step {step}",
        showarrow=True,
        arrowhead=2,
        arrowcolor=color,
        font=dict(color=color),
        bgcolor="rgba(255,255,255,0.85)",
    )


def curve_1d(
    xs: np.ndarray,
    fx: np.ndarray,
    iterates: np.ndarray,
    f_iterates: np.ndarray,
    *,
    title: str | None = None,
    animate: bool = True,
    height: int = 430,
) -> go.Figure:
    """A function of one variable with the gradient-descent iterates on it.

    Parameters
    ----------
    xs, fx : ndarray of shape (m,)
        The curve; its x range is the view.
    iterates, f_iterates : ndarray of shape (steps + 1,)
        ``x_k`` and ``f(x_k)``. Points far outside the view end the drawn path.
    animate : bool
        Add Plotly frames (played in the browser) that reveal one step at a time.
    """
    xs, fx = np.asarray(xs, float), np.asarray(fx, float)
    lo, hi = float(xs.min()), float(xs.max())
    finite = fx[np.isfinite(fx)]  # a typed formula may be undefined (NaN) or infinite somewhere
    f_lo, f_hi = (float(finite.min()), float(finite.max())) if finite.size else (-1.0, 1.0)
    span = (f_hi - f_lo) or 1.0
    y_lo, y_hi = f_lo - 0.08 * span, f_hi + 0.08 * span
    px, py = np.asarray(iterates, float), np.asarray(f_iterates, float)
    keep = _inside(np.column_stack([px, py]), np.array([lo, y_lo]), np.array([hi, y_hi]))
    px, py = px[:keep], py[:keep]
    fig = figure(title, height=height)
    shown = np.where(
        np.isfinite(fx), fx, np.nan
    )  # gaps where f is undefined; float64, a formula may pass 1e38
    fig.add_trace(
        go.Scatter(
            x=xs.astype(np.float32),
            y=shown,
            mode="lines",
            name="f(x)",
            line=dict(color="#9AA5B1", width=2.5),
            hoverinfo="skip",
        )
    )
    path_color = PALETTE[3]
    steps = np.arange(keep)
    path = go.Scatter(
        x=px,
        y=py,
        mode="lines+markers",
        name="iterates x_k",
        line=dict(color=path_color, width=1.2),
        marker=dict(
            size=8,
            color=steps,
            colorscale=SEQUENTIAL,
            line=dict(width=0.5, color="white"),
            colorbar=dict(title="step", thickness=12, len=0.6),
        ),
        customdata=steps,
        hovertemplate="step %{customdata}<br>x = %{x:.4g}<br>f = %{y:.4g}<extra></extra>",
    )
    fig.add_trace(path)
    if keep:
        fig.add_trace(
            go.Scatter(
                x=px[:1],
                y=py[:1],
                mode="markers",
                name="start",
                marker=dict(size=13, symbol="diamond", color=path_color),
            )
        )
    if keep < len(iterates) and keep:
        _exit_note(
            fig, np.column_stack([px, py]), np.array([lo, y_lo]), np.array([hi, y_hi]), path_color
        )
    fig.update_xaxes(title="x", range=[lo, hi])
    fig.update_yaxes(title="f(x)", range=[y_lo, y_hi])
    fig.update_layout(legend=dict(orientation="h", y=1.02, yanchor="bottom", x=1, xanchor="right"))
    if animate and 1 < keep <= 400:
        frames = [
            go.Frame(
                data=[
                    go.Scatter(
                        x=px[: k + 1],
                        y=py[: k + 1],
                        marker=dict(color=steps[: k + 1]),
                        customdata=steps[: k + 1],
                    )
                ],
                traces=[1],
                name=str(k),
            )
            for k in range(keep)
        ]
        fig.frames = frames
        fig.update_layout(
            updatemenus=[
                dict(
                    type="buttons",
                    showactive=False,
                    x=0.0,
                    y=1.02,
                    xanchor="left",
                    yanchor="bottom",
                    direction="left",
                    buttons=[
                        dict(
                            label="▶ play the steps",
                            method="animate",
                            args=[
                                None,
                                dict(
                                    frame=dict(duration=250, redraw=False),
                                    fromcurrent=False,
                                    transition=dict(duration=0),
                                    mode="immediate",
                                ),
                            ],
                        )
                    ],
                )
            ]
        )
    return fig


def contour_paths(
    gx: np.ndarray,
    gy: np.ndarray,
    z: np.ndarray,
    paths: Mapping[str, np.ndarray],
    *,
    title: str | None = None,
    x_title: str = "x₁",
    y_title: str = "x₂",
    minimum: np.ndarray | None = None,
    axes: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None,
    levels: int = 18,
    equal_aspect: bool = True,
    curves: Iterable[str] = (),
    height: int = 470,
) -> go.Figure:
    """Level sets of a 2-D function with optimisation paths over them.

    Parameters
    ----------
    gx : ndarray of shape (nx,)
    gy : ndarray of shape (ny,)
    z : ndarray of shape (ny, nx)
        Values on the grid (rows follow ``gy``); pass sqrt of a quadratic
        for evenly spaced ellipses.
    paths : mapping name -> ndarray of shape (k, 2)
        Each cut where it first goes far outside the grid's box.
    minimum : ndarray of shape (2,), optional
    axes : mapping label -> (centre, direction), optional
        Lines through ``centre`` along ``direction`` (the Hessian's eigenvectors).
    curves : iterable of str
        Names in ``paths`` that are continuous curves (a gradient flow): drawn
        dashed, without a marker per point.
    """
    curves = set(curves)
    gx, gy = np.asarray(gx, float), np.asarray(gy, float)
    lo, hi = np.array([gx.min(), gy.min()]), np.array([gx.max(), gy.max()])
    fig = figure(title, height=height)
    banded_map(fig, gx, gy, z, bands=levels)  # dark bands: low loss
    for i, (label, (centre, direction)) in enumerate((axes or {}).items()):
        d = np.asarray(direction, float) * float(np.max(hi - lo))
        c = np.asarray(centre, float)
        fig.add_trace(
            go.Scatter(
                x=[c[0] - d[0], c[0] + d[0]],
                y=[c[1] - d[1], c[1] + d[1]],
                mode="lines",
                name=label,
                line=dict(color="#1F2933", width=1.3, dash="dot" if i else "dashdot"),
            )
        )
    for name, P in paths.items():
        P = np.asarray(P, float)
        keep = _inside(P, lo, hi)
        color = _color(name)
        (Q,) = _thin(P[:keep])
        smooth = name in curves
        fig.add_trace(
            go.Scatter(
                x=Q[:, 0].astype(np.float32),
                y=Q[:, 1].astype(np.float32),
                mode="lines" if smooth or len(Q) > MARKED_POINTS else "lines+markers",
                name=name,
                line=dict(
                    color=color, width=2.2 if smooth else 1.6, dash="dash" if smooth else None
                ),
                marker=dict(size=4, color=color),
                hovertemplate=f"{name}<br>(%{{x:.3g}}, %{{y:.3g}})<extra></extra>",
            )
        )
        if keep and not smooth:
            fig.add_trace(
                go.Scatter(
                    x=Q[:1, 0],
                    y=Q[:1, 1],
                    mode="markers",
                    showlegend=False,
                    hoverinfo="skip",
                    marker=dict(size=11, symbol="diamond", color=color),
                )
            )
        if 0 < keep < len(P):
            _exit_note(fig, P[:keep], lo, hi, color)
    if minimum is not None:
        fig.add_trace(
            go.Scatter(
                x=[minimum[0]],
                y=[minimum[1]],
                mode="markers",
                name="minimum",
                marker=dict(
                    symbol="star", size=15, color="#F0E442", line=dict(width=1, color="black")
                ),
            )
        )
    fig.update_xaxes(title=x_title, range=[lo[0], hi[0]])
    fig.update_yaxes(title=y_title, range=[lo[1], hi[1]])
    if equal_aspect:
        fig.update_xaxes(constrain="domain")
        fig.update_yaxes(scaleanchor="x", scaleratio=1, constrain="domain")
    fig.update_layout(legend=dict(orientation="h", y=-0.2, yanchor="top", x=0))
    return fig


def error_curves(
    errors: Mapping[str, np.ndarray],
    theory: Mapping[str, float] | None = None,
    *,
    title: str | None = None,
    height: int = 380,
) -> go.Figure:
    """Distance to the minimum against step, on a log scale, with theory as dotted lines.

    Parameters
    ----------
    errors : mapping name -> ndarray of shape (steps + 1,)
        ``|x_k - x*|``; values at or below 1e-300 (exact zeros) are dropped.
    theory : mapping name -> rate, optional
        Draws ``|e_0| * rate^k`` for ``name``: its slope is what to compare.
    """
    fig = figure(title, height=height)
    for name, e in errors.items():
        e = np.asarray(e, float)
        k = np.arange(len(e))
        ok = np.isfinite(e) & (e > 1e-300)
        kk, ee = _thin(k[ok], e[ok])
        fig.add_trace(
            go.Scatter(
                x=kk,
                y=ee,
                mode="lines",
                name=f"{name} (observed)",
                line=dict(color=_color(name), width=2.2),
            )
        )
        if theory and name in theory and len(e) and e[0] > 0:
            rate = theory[name]
            with np.errstate(divide="ignore", over="ignore", under="ignore"):
                t = e[0] * np.power(rate, k.astype(float))
            ok = np.isfinite(t) & (t > 1e-300)
            fig.add_trace(
                go.Scatter(
                    x=k[ok],
                    y=t[ok],
                    mode="lines",
                    name=f"{name} theory ρ = {rate:.4f}",
                    line=dict(color="#1F2933", width=1.2, dash="dot"),
                    opacity=0.7,
                )
            )
    fig.update_xaxes(title="step k")
    fig.update_yaxes(title="distance to the minimum |x_k − x*|", type="log", exponentformat="power")
    fig.update_layout(legend=dict(x=1, xanchor="right", y=1, yanchor="top", font=dict(size=11)))
    return fig


def loss_curves(
    curves: Mapping[str, tuple[np.ndarray, np.ndarray]],
    *,
    title: str | None = None,
    x_title: str = "update",
    floor: float | None = None,
    log_y: bool = True,
    markers: bool = False,
    dashed: Iterable[str] = (),
    height: int = 360,
) -> go.Figure:
    """Loss curves, each ``name -> (x, loss)``, thinned for the browser.

    ``floor`` (the least-squares loss) is drawn as a horizontal line;
    ``markers`` marks every point (for a few, such as one per epoch); the
    names in ``dashed`` are drawn dashed (a second view of the same run).
    """
    fig = figure(title, height=height)
    dashed = set(dashed)
    for name, (x, loss) in curves.items():
        x, loss = _thin(np.asarray(x, float), np.asarray(loss, float))
        fig.add_trace(
            go.Scatter(
                x=x.astype(np.float32),
                y=loss.astype(np.float32),
                mode="lines+markers" if markers else "lines",
                name=name,
                line=dict(color=_color(name), width=1.8, dash="dash" if name in dashed else None),
                marker=dict(size=6, symbol="circle-open" if name in dashed else "circle"),
            )
        )
    if floor is not None and curves:
        # a trace rather than add_hline: hline annotations land off the line on log axes
        ends = [float(np.max(x)) for x, _ in curves.values() if len(x)]
        fig.add_trace(
            go.Scatter(
                x=[0.0, max(ends, default=1.0)],
                y=[floor, floor],
                mode="lines",
                name="least-squares minimum",
                line=dict(color="#7B8794", dash="dot", width=1.5),
            )
        )
    fig.update_xaxes(title=x_title)
    fig.update_yaxes(title="MSE", type="log" if log_y else "linear")
    values = np.concatenate(
        [np.asarray(v, float) for _, v in curves.values()] + [np.array([floor or np.nan])]
    )
    values = values[np.isfinite(values) & (values > 0)]
    if log_y and values.size:
        # 1-2-5 ticks: plotly's own log ticks label minor digits ("2 5 2 5") on short ranges
        lo, hi = np.floor(np.log10(values.min())), np.ceil(np.log10(values.max()))
        ticks = [m * 10.0**e for e in np.arange(lo, hi + 1) for m in (1, 2, 5)]
        fig.update_yaxes(tickvals=ticks, ticktext=[f"{t:g}" for t in ticks])
    fig.update_layout(legend=dict(orientation="h", y=-0.25, yanchor="top", x=0))
    return fig


_REGIME_BANDS = (("monotone", "#009E73"), ("oscillating", "#E69F00"), ("diverging", "#D55E00"))


def step_factor(lr: float, curvature: float, lr_max: float, *, height: int = 230) -> go.Figure:
    """The per-step factor ``1 - lr * lambda`` against the learning rate, regimes shaded.

    Between 0 and 1 the error shrinks without changing sign, between -1 and 0
    it flips sign and shrinks, below -1 it flips and grows. The current ``lr``
    is marked. For ``curvature <= 0`` there is no regime to shade.
    """
    etas = np.linspace(0.0, lr_max, 200)
    fig = figure(None, height=height)
    if curvature > 0:
        edges = (0.0, 1.0 / curvature, 2.0 / curvature, max(lr_max, 2.0 / curvature))
        for (label, color), lo, hi in zip(_REGIME_BANDS, edges[:-1], edges[1:]):
            if lo < lr_max:
                fig.add_vrect(
                    x0=lo,
                    x1=min(hi, lr_max),
                    fillcolor=color,
                    opacity=0.12,
                    line_width=0,
                    annotation_text=label,
                    annotation_position="top left",
                    annotation_font=dict(color=color, size=12),
                )
        for k, text in ((1, "1/λ"), (2, "2/λ")):
            if k / curvature <= lr_max:
                vline(fig, k / curvature, line=dict(color="#52606D", dash="dot", width=1))
                fig.add_annotation(
                    x=k / curvature,
                    y=-2.0,
                    text=text,
                    showarrow=False,
                    yshift=-2,
                    font=dict(size=12, color="#52606D"),
                )
    fig.add_trace(
        go.Scatter(
            x=etas,
            y=1.0 - etas * curvature,
            mode="lines",
            name="1 − ηλ",
            line=dict(color="#1F2933", width=2),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[lr],
            y=[1.0 - lr * curvature],
            mode="markers",
            name="your η",
            marker=dict(size=12, color=PALETTE[3], line=dict(width=1, color="white")),
        )
    )
    fig.update_xaxes(title="learning rate η", range=[0.0, lr_max])
    fig.update_yaxes(title="factor 1 − ηλ", range=[-2.2, 1.2], zeroline=True)
    fig.update_layout(showlegend=False, margin=dict(t=20, b=40))
    return fig


def rate_chart(
    q: np.ndarray,
    rates: Mapping[str, np.ndarray],
    current: Mapping[str, tuple[float, float]],
    *,
    best: float | None = None,
    height: int = 300,
) -> go.Figure:
    """Convergence rate against the step size (in units of ``1/lambda_max``).

    Parameters
    ----------
    q : ndarray of shape (m,)
        ``lr * lambda_max``.
    rates : mapping name -> ndarray of shape (m,)
        Per-step error factor for each method (above 1: diverges).
    current : mapping name -> (q, rate)
        The settings on screen, marked.
    best : float, optional
        The best rate of gradient descent, ``(kappa - 1) / (kappa + 1)``, as a level.
    """
    fig = figure(None, height=height)
    fig.add_hrect(
        y0=1.0,
        y1=1.6,
        fillcolor=PALETTE[3],
        opacity=0.08,
        line_width=0,
        annotation_text="diverges",
        annotation_position="top left",
    )
    for name, rate in rates.items():
        fig.add_trace(
            go.Scatter(
                x=np.asarray(q, np.float32),
                y=np.asarray(rate, np.float32),
                mode="lines",
                name=name,
                line=dict(color=_color(name), width=2),
            )
        )
    for name, (qx, rate) in current.items():
        fig.add_trace(
            go.Scatter(
                x=[qx],
                y=[min(rate, 1.55)],
                mode="markers",
                showlegend=False,
                marker=dict(size=11, color=_color(name), line=dict(width=1, color="white")),
                hovertemplate=f"{name}: ρ = {rate:.4f}<extra></extra>",
            )
        )
    if best is not None:
        hline(fig, best, line=dict(color="#7B8794", dash="dot", width=1))
    fig.update_xaxes(title="step size η · λ_max")
    fig.update_yaxes(title="rate ρ (error factor per step)", range=[0.0, 1.6])
    fig.update_layout(legend=dict(orientation="h", y=-0.3, yanchor="top", x=0), margin=dict(t=20))
    return fig


def noise_chart(
    sizes: np.ndarray, std: np.ndarray, n: int, batch: int, *, height: int = 300
) -> go.Figure:
    """The trade-off of the batch size: gradient noise falls as 1/sqrt(B), so do the steps per epoch.

    Parameters
    ----------
    sizes : ndarray of shape (k,)
        Batch sizes.
    std : ndarray of shape (k,)
        Gradient noise (std) at each batch size.
    n : int
        Number of examples (steps per epoch are ``ceil(n / B)``).
    batch : int
        The batch size on screen, marked.
    """
    sizes = np.asarray(sizes, float)
    fig = figure(None, height=height)
    fig.add_trace(
        go.Scatter(
            x=sizes,
            y=std,
            mode="lines",
            name="gradient noise (std)",
            line=dict(color=PALETTE[0], width=2),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=sizes,
            y=np.ceil(n / sizes),
            mode="lines",
            name="steps per epoch",
            yaxis="y2",
            line=dict(color=PALETTE[1], width=2, dash="dash"),
        )
    )
    i = int(np.argmin(np.abs(sizes - batch)))
    fig.add_trace(
        go.Scatter(
            x=[sizes[i]],
            y=[std[i]],
            mode="markers",
            showlegend=False,
            marker=dict(size=11, color=PALETTE[3]),
            hovertemplate=f"B = {batch}<extra></extra>",
        )
    )
    ticks = [t for t in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if t <= sizes.max()]
    fig.update_xaxes(
        title="batch size B", type="log", tickvals=ticks, ticktext=[str(t) for t in ticks]
    )
    fig.update_yaxes(title="gradient noise at the optimum", rangemode="tozero")
    fig.update_layout(
        yaxis2=dict(
            title="steps per epoch",
            overlaying="y",
            side="right",
            type="log",
            dtick=1,
            showgrid=False,
        ),
        legend=dict(orientation="h", y=-0.3, yanchor="top", x=0),
        margin=dict(t=20, r=60),
    )
    return fig
