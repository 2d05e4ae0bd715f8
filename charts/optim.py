"""Figures of one optimizer and of the maps every race figure draws on.

Its steps against the gradient on the map, its internals, the learning-rate
schedules, a typed formula's map; and the pieces :mod:`charts.race` shares:
the surface as a banded picture behind the axes (:func:`map_background`),
float32 data (:func:`f32`), downsampling (:func:`spread_index`) and log axes.

Arrays in, ``go.Figure`` out. Paths are downsampled and sent as float32 so a
race of seven optimizers stays a few hundred kB of JSON.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from charts.theme import PALETTE, color_for, figure
from charts.traces import banded_map

PATH_POINTS = 300  # per start, for static paths


_F32_MAX = float(np.finfo(np.float32).max)


def f32(a) -> np.ndarray:
    """float32 for the browser; values beyond its range (a blown-up loss) are clipped to it."""
    a = np.asarray(a, dtype=float)
    return np.clip(a, -_F32_MAX, _F32_MAX).astype(np.float32)


def spread_index(n: int, most: int) -> np.ndarray:
    """At most ``most`` indices spread over 0..n-1, always keeping both ends."""
    return np.unique(np.linspace(0, n - 1, min(n, most)).round().astype(int))


def display_values(z: np.ndarray, log_scale: bool, floor: float) -> np.ndarray:
    """What the colour (or height) shows: log10(f - floor + 1) for narrow valleys."""
    return np.log10(np.maximum(z - floor, 0.0) + 1.0) if log_scale else z


def curve_trace(values, *, name: str, color: str, log: bool, dash: str | None = None) -> go.Scatter:
    """A loss curve against the step, at most 600 points; on a log axis values <= 0 are left out."""
    values = np.asarray(values, dtype=float)
    idx = spread_index(len(values), 600)
    shown = np.where(values[idx] > 0, values[idx], np.nan) if log else values[idx]
    return go.Scatter(
        x=idx, y=f32(shown), mode="lines", name=name, line=dict(color=color, width=2, dash=dash)
    )


def log_axis(values) -> dict:
    """A log axis labelled by decades when the data span several, else Plotly's default."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    wide = v.size and v.max() / v.min() > 100
    return dict(type="log", dtick=1 if wide else None, exponentformat="power" if wide else "B")


def map_background(fig: go.Figure, grid, log_scale: bool) -> None:
    """The surface of an objectives ``Grid`` as a banded picture behind the axes."""
    floor = float(np.nanmin(grid.z)) if np.isfinite(grid.z).any() else 0.0
    banded_map(fig, grid.x, grid.y, display_values(grid.z, log_scale, floor))


def schedule_figure(values: np.ndarray, *, name: str, height: int = 230) -> go.Figure:
    """The learning-rate multiplier of a schedule over the steps."""
    idx = spread_index(len(values), 600)
    fig = figure(f"{name}: learning rate against step", height=height)
    fig.add_trace(
        go.Scatter(
            x=idx,
            y=f32(np.asarray(values)[idx]),
            mode="lines",
            fill="tozeroy",
            line=dict(color=PALETTE[0], width=2),
            showlegend=False,
        )
    )
    fig.update_layout(xaxis_title="step", yaxis_title="η_t", margin=dict(l=50, r=20, t=40, b=40))
    return fig


def internals_figure(ins, *, name: str, height: int = 560) -> go.Figure:
    """What one optimizer carries: moment vectors, per-coordinate step, bias corrections.

    Parameters
    ----------
    ins : dlcore.race.Internals (arrays of shape (steps, 2) and (steps,))
    """
    fig = figure(height=height)
    fig.set_subplots(
        2,
        2,
        subplot_titles=(
            "first moment: b (momentum) or m (Adam)",
            "second moment: s or v",
            "effective step η / (√v + ε)",
            "bias corrections 1 − βᵗ",
        ),
        vertical_spacing=0.18,
        horizontal_spacing=0.12,
    )
    t = np.arange(1, len(ins.lr) + 1)
    idx = spread_index(len(t), 600)
    dash = {0: "solid", 1: "dot"}
    panels = (((1, 1), ins.first_moment), ((1, 2), ins.second_moment), ((2, 1), ins.effective_lr))
    for k, axis in enumerate("xy"):
        style = dict(color=color_for(name), dash=dash[k], width=2)
        for (row, col), values in panels:
            if np.isfinite(values).any():
                fig.add_trace(
                    go.Scatter(
                        x=t[idx],
                        y=f32(values[idx, k]),
                        mode="lines",
                        name=f"{axis} coordinate",
                        line=style,
                        showlegend=(row, col) == (2, 1),
                    ),
                    row=row,
                    col=col,
                )
    adam = bool(np.any(ins.bias_correction1 != 1.0))
    if adam:
        for label, values, d in (
            ("1 − β₁ᵗ", ins.bias_correction1, "solid"),
            ("1 − β₂ᵗ", ins.bias_correction2, "dash"),
        ):
            fig.add_trace(
                go.Scatter(
                    x=t[idx],
                    y=f32(values[idx]),
                    mode="lines",
                    name=label,
                    line=dict(color="#555", dash=d, width=2),
                ),
                row=2,
                col=2,
            )
    empty = [
        ((row, col), f"{name} keeps none")
        for (row, col), v in panels[:2]
        if not np.isfinite(v).any()
    ]
    empty += [] if adam else [((2, 2), "Adam and AdamW only")]
    for (row, col), text in empty:
        sub = fig.get_subplot(row, col)
        fig.add_annotation(
            text=text,
            showarrow=False,
            xref="paper",
            yref="paper",
            x=float(np.mean(sub.xaxis.domain)),
            y=float(np.mean(sub.yaxis.domain)),
            font=dict(color="#7B8794"),
        )
        sub.xaxis.visible = sub.yaxis.visible = False
    fig.update_yaxes(**log_axis(ins.second_moment), row=1, col=2)
    fig.update_yaxes(**log_axis(ins.effective_lr), row=2, col=1)
    fig.update_xaxes(title_text="step", row=2)
    fig.update_layout(
        legend=dict(orientation="h", y=-0.12, x=0), margin=dict(l=60, r=20, t=50, b=60)
    )
    return fig


def steps_figure(
    grid,
    points: np.ndarray,
    grads: np.ndarray,
    updates: np.ndarray,
    lr: np.ndarray,
    *,
    name: str,
    log_scale: bool = False,
    arrows: int = 14,
    height: int = 460,
) -> go.Figure:
    """One racer's path with, at a few steps, the plain gradient step −η·g and the step actually taken.

    For SGD the two arrows coincide; momentum's step leans along its memory,
    Adam's is rescaled per coordinate. Both are drawn at one common scale
    (stated in the legend) so their lengths compare.

    Parameters
    ----------
    grid : Grid
    points : ndarray of shape (steps + 1, 2)
    grads, updates : ndarray of shape (steps, 2)
        From ``dlcore.race.internals``.
    lr : ndarray of shape (steps,)
    """
    (x_lo, x_hi), (y_lo, y_hi) = (grid.x[0], grid.x[-1]), (grid.y[0], grid.y[-1])
    idx = spread_index(len(updates), arrows)
    plain = -lr[idx, None] * grads[idx]
    taken = updates[idx]
    # Each pair is scaled so its longer arrow is 8 % of the map: steps shrink by
    # orders of magnitude along a path, and what matters here is the direction
    # and the ratio of the two lengths at each point.
    longer = np.maximum(np.hypot(*plain.T), np.hypot(*taken.T))
    scale = np.where(
        longer > 0, 0.08 * max(x_hi - x_lo, y_hi - y_lo) / np.where(longer > 0, longer, 1.0), 0.0
    )[:, None]
    fig = figure(height=height)
    map_background(fig, grid, log_scale)
    path = points[spread_index(len(points), PATH_POINTS)]
    traces = [
        dict(
            type="scatter",
            x=f32(path[:, 0]),
            y=f32(path[:, 1]),
            mode="lines",
            name=f"{name} path",
            line=dict(color=color_for(name), width=2),
            hoverinfo="skip",
        )
    ]
    for label, vec, color in (
        ("−η·gradient", plain, "#1F2933"),
        ("step taken", taken, color_for(name)),
    ):
        tail = points[idx]
        head = tail + scale * vec
        seg = np.stack([tail, head, np.full_like(tail, np.nan)], axis=1).reshape(-1, 2)
        traces.append(
            dict(
                type="scatter",
                x=f32(seg[:, 0]),
                y=f32(seg[:, 1]),
                mode="lines+markers",
                name=label,
                line=dict(color=color, width=2.5),
                hoverinfo="skip",
                marker=dict(
                    symbol=["circle", "arrow", "circle"] * len(idx),
                    angleref="previous",
                    size=[0, 11, 0] * len(idx),
                    color=color,
                ),
            )
        )
    fig.add_traces(traces)
    fig.update_layout(
        xaxis=dict(range=[x_lo, x_hi], showgrid=False, zeroline=False),
        yaxis=dict(range=[y_lo, y_hi], showgrid=False, zeroline=False, title="y"),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
        margin=dict(l=50, r=20, t=40, b=40),
    )
    return fig


def formula_figure(
    grid, *, start, direction=None, log_scale: bool = False, height: int = 460
) -> go.Figure:
    """The map of a typed formula with its start and the direction of steepest descent there.

    Parameters
    ----------
    grid : Grid
        Undefined values (NaN) show white.
    start : (x, y)
    direction : array_like of shape (2,), optional
        ``-grad f`` at the start; drawn as an arrow 12 % of the map long.
    """
    (x_lo, x_hi), (y_lo, y_hi) = (grid.x[0], grid.x[-1]), (grid.y[0], grid.y[-1])
    fig = figure(height=height)
    map_background(fig, grid, log_scale)
    x0, y0 = (float(v) for v in start)
    traces = [
        dict(
            type="scatter",
            x=[x0],
            y=[y0],
            mode="markers",
            name="start",
            marker=dict(size=12, color="#1F2933", line=dict(color="white", width=1.5)),
        )
    ]
    d = None if direction is None else np.asarray(direction, dtype=float)
    if d is not None and np.all(np.isfinite(d)) and np.hypot(*d) > 0:
        d = d / np.hypot(*d) * 0.12 * max(x_hi - x_lo, y_hi - y_lo)
        traces.append(
            dict(
                type="scatter",
                x=[x0, x0 + d[0]],
                y=[y0, y0 + d[1]],
                mode="lines+markers",
                name="−∇f (steepest descent)",
                line=dict(color=PALETTE[1], width=3),
                marker=dict(symbol=["circle", "arrow"], angleref="previous", size=[0, 14]),
            )
        )
    fig.add_traces(traces)
    fig.update_layout(
        xaxis=dict(range=[x_lo, x_hi], showgrid=False, zeroline=False, title="x"),
        yaxis=dict(range=[y_lo, y_hi], showgrid=False, zeroline=False, title="y"),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
        margin=dict(l=50, r=20, t=40, b=40),
    )
    return fig


def schedule_race_figure(
    constant: Mapping[str, np.ndarray],
    scheduled: Mapping[str, np.ndarray],
    *,
    schedule: str,
    ytitle: str,
    log: bool,
    height: int = 380,
) -> go.Figure:
    """Each racer's loss with its constant rate (dotted) and under the schedule (solid).

    Parameters
    ----------
    constant, scheduled : dict of name -> ndarray of shape (steps + 1,)
    log : bool
        Logarithmic y axis (values <= 0 are not drawn there).
    """
    fig = figure(f"Loss with a constant η (dotted) and with {schedule} (solid)", height=height)
    for name in constant:
        for values, dash, label in (
            (constant[name], "dot", f"{name}, constant"),
            (scheduled[name], "solid", f"{name}, {schedule}"),
        ):
            fig.add_trace(
                curve_trace(values, name=label, color=color_for(name), log=log, dash=dash)
            )
    every = [np.asarray(v, dtype=float).ravel() for v in (*constant.values(), *scheduled.values())]
    yaxis = log_axis(np.concatenate(every) if every else []) if log else dict(type="linear")
    fig.update_layout(
        xaxis_title="step",
        yaxis=dict(title=ytitle, **yaxis),
        legend=dict(orientation="h", y=-0.25, x=0),
    )
    return fig
