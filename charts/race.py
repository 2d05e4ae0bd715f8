"""Figures of the optimizer race: the map with its animation, the 3-D surface,
loss and distance curves, and the fair race's tuning curves.

Arrays in, ``go.Figure`` out. Paths are downsampled and sent as float32 so a
race of seven optimizers stays a few hundred kB of JSON; the animation is
Plotly frames (the browser plays them, no rerun per frame).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from charts.optim import (
    PATH_POINTS,
    curve_trace,
    display_values,
    f32,
    log_axis,
    map_background,
    spread_index,
)
from charts.theme import color_for, figure

TRAIL_POINTS = 120  # per racer, for the growing trail of a single-start race


def _joined(points: np.ndarray, most: int) -> tuple[np.ndarray, np.ndarray]:
    """Every start's path as one line, NaN between starts (one trace per racer)."""
    idx = spread_index(points.shape[0], most)
    sampled = points[idx]  # (k, n, 2)
    gap = np.full((1, sampled.shape[1], 2), np.nan)
    line = np.concatenate([sampled, gap]).transpose(1, 0, 2).reshape(-1, 2)
    return f32(line[:, 0]), f32(line[:, 1])


def _minima_trace(minima) -> list[dict]:
    if not len(minima):
        return []
    m = np.asarray(minima, dtype=float).reshape(-1, 2)
    marker = dict(symbol="star", size=14, color="#1F2933", line=dict(color="white", width=1))
    return [
        dict(type="scatter", x=m[:, 0], y=m[:, 1], mode="markers", name="minimum", marker=marker)
    ]


def _play_controls(frame_steps: np.ndarray, frame_ms: int) -> dict:
    """The ▶ Play / ❚❚ Pause buttons and the step slider of an animated race."""

    def animate(frames, duration: int, **extra) -> dict:
        return dict(
            method="animate",
            args=[
                frames,
                dict(
                    frame=dict(duration=duration, redraw=False),
                    transition=dict(duration=0),
                    mode="immediate",
                    **extra,
                ),
            ],
        )

    buttons = [
        dict(label="▶ Play", **animate(None, frame_ms, fromcurrent=False)),
        dict(label="❚❚ Pause", **animate([None], 0)),
    ]
    return dict(
        updatemenus=[
            dict(
                type="buttons",
                direction="left",
                x=0,
                y=-0.1,
                xanchor="left",
                yanchor="top",
                showactive=False,
                pad=dict(t=0, r=10),
                buttons=buttons,
            )
        ],
        sliders=[
            dict(
                active=len(frame_steps) - 1,
                x=0.2,
                len=0.8,
                y=-0.06,
                yanchor="top",
                pad=dict(t=0),
                currentvalue=dict(prefix="step ", visible=True, xanchor="left"),
                steps=[dict(label=str(k), **animate([str(k)], 0)) for k in frame_steps],
            )
        ],
    )


def race_figure(
    grid,
    paths: Mapping[str, np.ndarray],
    *,
    minima=(),
    log_scale: bool = False,
    frames: int = 40,
    frame_ms: int = 80,
    height: int = 540,
    animate: bool = True,
    at: int | None = None,
) -> go.Figure:
    """Contour of the surface with every racer's path, animated or at one step.

    Parameters
    ----------
    grid : Grid
        ``x`` (gx,), ``y`` (gy,), ``z`` (gy, gx) from ``dlcore.objectives.surface_grid``.
    paths : dict of name -> ndarray of shape (steps + 1, n, 2)
        Trajectory points per racer (diverged starts already frozen).
    minima : sequence of (x, y)
    log_scale : bool
        Colour by log10(f - min f + 1), for surfaces with a narrow valley.
    frames : int
        Number of animation frames spread over the steps.
    frame_ms : int
        Duration of one frame when playing (the speed control).
    animate : bool
        Build the Plotly frames with ▶ Play and a step slider (the browser plays
        them). Off, the figure is static and a fraction of the size.
    at : int, optional
        Without animation, the step the racers' markers (and a single start's
        trail) show; the last step by default.
    """
    (x_lo, x_hi), (y_lo, y_hi) = (grid.x[0], grid.x[-1]), (grid.y[0], grid.y[-1])
    # Traces and frames as plain dicts, handed to Plotly once: every
    # add_trace and go.Frame re-validates, which cost most of the build time.
    traces: list[dict] = _minima_trace(minima)
    names = list(paths)
    steps = next(iter(paths.values())).shape[0] - 1 if names else 0
    n_starts = next(iter(paths.values())).shape[1] if names else 0
    single = n_starts == 1
    most = PATH_POINTS if single else max(60, 1500 // max(n_starts, 1))  # many starts: keep small
    for name in names:
        x, y = _joined(paths[name], most)
        traces.append(
            dict(
                type="scatter",
                x=x,
                y=y,
                mode="lines",
                name=name,
                hoverinfo="skip",
                line=dict(color=color_for(name), width=2 if single else 1.2),
                opacity=0.45 if single else 0.35,
            )
        )
    # Two animated traces for all racers together (colour per point): one
    # trace per racer per frame made the figure several times slower to build.
    # Colours are numbers on a stepped scale, since a list of colour strings
    # is validated string by string.
    trail_idx = spread_index(steps + 1, TRAIL_POINTS)
    frame_steps = spread_index(steps + 1, frames)
    shown = steps if animate or at is None else int(np.clip(at, 0, steps))
    scale = [
        [edge, color_for(name)]
        for i, name in enumerate(names)
        for edge in (i / len(names), (i + 1) / len(names))
    ] or None
    coloring = dict(colorscale=scale, cmin=-0.5, cmax=len(names) - 0.5)

    def trail(k: int) -> dict:
        idx = np.append(trail_idx[trail_idx < k], k)
        pts = np.concatenate([paths[name][idx, 0] for name in names]) if names else np.empty((0, 2))
        colors = f32(np.repeat(np.arange(len(names)), len(idx)))
        return dict(type="scatter", x=f32(pts[:, 0]), y=f32(pts[:, 1]), marker=dict(color=colors))

    def heads(k: int) -> dict:
        pts = np.concatenate([paths[name][k] for name in names]) if names else np.empty((0, 2))
        return dict(type="scatter", x=f32(pts[:, 0]), y=f32(pts[:, 1]))

    animated = []
    if single:
        first = trail(shown)
        first.update(
            mode="markers",
            hoverinfo="skip",
            showlegend=False,
            marker=dict(first["marker"], size=5, **coloring),
        )
        traces.append(first)
        animated.append(len(traces) - 1)
    head = heads(shown)
    head.update(
        mode="markers",
        showlegend=False,
        text=[name for name in names for _ in range(n_starts)],
        hovertemplate="%{text}<br>x=%{x:.3g}, y=%{y:.3g}<extra></extra>",
        marker=dict(
            color=f32(np.repeat(np.arange(len(names)), n_starts)),
            size=11,
            line=dict(color="white", width=1.5),
            **coloring,
        ),
    )
    traces.append(head)
    animated.append(len(traces) - 1)
    fig = figure(height=height)
    map_background(fig, grid, log_scale)
    fig.add_traces(traces)
    fig.update_layout(
        xaxis=dict(range=[x_lo, x_hi], showgrid=False, zeroline=False),
        yaxis=dict(range=[y_lo, y_hi], showgrid=False, zeroline=False, title="y"),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0, xanchor="left"),
        margin=dict(l=50, r=20, t=40, b=110 if animate else 40),
    )
    if animate:
        fig.frames = [
            dict(name=str(k), data=([trail(k)] if single else []) + [heads(k)], traces=animated)
            for k in frame_steps
        ]
        fig.update_layout(**_play_controls(frame_steps, frame_ms))
    return fig


def surface_figure(
    grid,
    paths: Mapping[str, np.ndarray],
    losses: Mapping[str, np.ndarray],
    *,
    log_scale: bool = False,
    height: int = 540,
    most: int = 60,
) -> go.Figure:
    """The surface in 3-D with each racer's path (its first start) lying on it.

    Parameters
    ----------
    grid : Grid
    paths : dict of name -> ndarray (steps + 1, n, 2)
    losses : dict of name -> ndarray (steps + 1, n)
    log_scale : bool
        Height log10(f - min f + 1), as in the contour.
    most : int
        Grid points per axis sent to the browser.
    """
    ix, iy = spread_index(len(grid.x), most), spread_index(len(grid.y), most)
    z = grid.z[np.ix_(iy, ix)]
    floor = float(np.nanmin(grid.z)) if np.isfinite(grid.z).any() else 0.0
    fig = figure(height=height)
    fig.add_trace(
        go.Surface(
            x=f32(grid.x[ix]),
            y=f32(grid.y[iy]),
            z=f32(display_values(z, log_scale, floor)),
            colorscale="Blues",
            reversescale=True,
            opacity=0.85,
            showscale=False,
            hoverinfo="skip",
        )
    )
    (x_lo, x_hi), (y_lo, y_hi) = (grid.x[0], grid.x[-1]), (grid.y[0], grid.y[-1])
    shown = display_values(z, log_scale, floor)
    # Lift the paths a little so the surface does not hide them where it is flat.
    lift = 0.02 * float(np.nanmax(shown) - np.nanmin(shown)) if np.isfinite(shown).any() else 0.0
    for name, p in paths.items():
        idx = spread_index(p.shape[0], PATH_POINTS)
        pts, f = p[idx, 0], losses[name][idx, 0]
        outside = (pts[:, 0] < x_lo) | (pts[:, 0] > x_hi) | (pts[:, 1] < y_lo) | (pts[:, 1] > y_hi)
        height_ = np.where(outside, np.nan, display_values(f, log_scale, floor) + lift)
        fig.add_trace(
            go.Scatter3d(
                x=f32(pts[:, 0]),
                y=f32(pts[:, 1]),
                z=f32(height_),
                mode="lines+markers",
                name=name,
                line=dict(color=color_for(name), width=6),
                marker=dict(size=2.5, color=color_for(name)),
            )
        )
    zt = "log f" if log_scale else "f"
    fig.update_layout(
        scene=dict(
            xaxis=dict(title="x", range=[x_lo, x_hi]),
            yaxis=dict(title="y", range=[y_lo, y_hi]),
            zaxis=dict(title=zt),
            camera=dict(eye=dict(x=-0.4, y=-1.9, z=1.5)),
            aspectmode="manual",
            aspectratio=dict(x=1, y=1, z=0.6),
        ),
        margin=dict(l=0, r=0, t=30, b=0),
        legend=dict(orientation="h", y=1.0, x=0),
    )
    return fig


def curves_figure(
    curves: Mapping[str, np.ndarray],
    *,
    title: str,
    ytitle: str,
    log: bool,
    diverged: Mapping[str, int] | None = None,
    height: int = 340,
) -> go.Figure:
    """One line per racer against the step; an x marks where a racer diverged.

    Parameters
    ----------
    curves : dict of name -> ndarray (steps + 1,)
    log : bool
        Logarithmic y axis (values <= 0 are not drawn there).
    diverged : dict of name -> step (-1 for never)
    """
    fig = figure(title, height=height)
    for name, values in curves.items():
        trace = curve_trace(values, name=name, color=color_for(name), log=log)
        fig.add_trace(trace)
        step = (diverged or {}).get(name, -1)
        if step is not None and step >= 0:
            fig.add_trace(
                go.Scatter(
                    x=[step],
                    y=[trace.y[-1]],
                    mode="markers+text",
                    showlegend=False,
                    text=[f"diverged at {step}"],
                    textposition="top center",
                    marker=dict(symbol="x", size=12, color=color_for(name)),
                )
            )
    shown_all = (
        np.concatenate([np.asarray(v, dtype=float).ravel() for v in curves.values()])
        if curves
        else []
    )
    yaxis = log_axis(shown_all) if log else dict(type="linear")
    fig.update_layout(
        xaxis_title="step",
        yaxis=dict(title=ytitle, **yaxis),
        # The legend sits a fixed ~60 px under the plot, below the axis title, whatever the height.
        legend=dict(orientation="h", y=-60 / max(height - 100, 60), yanchor="top", x=0),
        margin=dict(b=80),
    )
    return fig


def tuning_figure(results: Mapping[str, object], height: int = 340) -> go.Figure:
    """Final loss on the tuning start against the learning rate, per racer (log-log).

    Parameters
    ----------
    results : dict of name -> dlcore.race.FairResult
    """
    fig = figure("Learning-rate tuning on the separate start", height=height)
    for name, r in results.items():
        losses = np.where(np.isfinite(r.tune_losses) & (r.tune_losses > 0), r.tune_losses, np.nan)
        fig.add_trace(
            go.Scatter(
                x=r.lr_grid,
                y=losses,
                mode="lines+markers",
                name=name,
                line=dict(color=color_for(name), width=2),
            )
        )
        best = np.flatnonzero(r.lr_grid == r.lr)
        if best.size and np.isfinite(losses[best[0]]):
            fig.add_trace(
                go.Scatter(
                    x=[r.lr],
                    y=[losses[best[0]]],
                    mode="markers",
                    showlegend=False,
                    marker=dict(symbol="star", size=14, color=color_for(name)),
                )
            )
    fig.update_layout(
        xaxis=dict(type="log", title="learning rate"),
        yaxis=dict(type="log", title="final loss"),
        legend=dict(orientation="h", y=-0.3, x=0),
    )
    return fig
