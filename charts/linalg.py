"""Figures of the Linear Algebra lab: arrows, transformed grids, lines and planes.

Matrix products here only place already-computed geometry on the canvas
(the images of grid lines and of the unit circle); the numbers shown come
from :mod:`dlcore.linalg`.

Traces and annotations are collected as plain dicts and added in one call:
Plotly validates a figure per ``add_trace``, and one batch was 10x faster
than trace-by-trace on these machines (190 ms against 18 ms for 20 arrows).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from charts.theme import PALETTE
from charts.traces import add_arrow, build_figure, line_trace

BLUE, ORANGE, GREEN, RED, PURPLE, SKY, YELLOW, BLACK = PALETTE
GRAY = "#9AA5B1"
LIGHT = "#CBD2D9"
LAYERS = ["grid", "unit circle", "unit square and F", "eigenvectors", "SVD axes"]
_CIRCLE = np.stack([np.cos(np.linspace(0, 2 * np.pi, 121)), np.sin(np.linspace(0, 2 * np.pi, 121))])
_SQUARE = np.array([[0, 1, 1, 0, 0], [0, 0, 1, 1, 0]], float)
# An "F" drawn in the unit square: its image shows rotation, reflection and order at a glance.
_F_SHAPE = np.array([[0.25, 0.25, 0.75, np.nan, 0.25, 0.6], [0.1, 0.9, 0.9, np.nan, 0.5, 0.5]])


def _square(bound: float, axis: str = "", **extra) -> dict:
    return {
        f"xaxis{axis}": dict(range=[-bound, bound], **extra),
        f"yaxis{axis}": dict(
            range=[-bound, bound],
            scaleanchor=f"x{axis}",
            scaleratio=1,
            **({"anchor": f"x{axis}"} if axis else {}),
        ),
    }


def _two_panels(left_bound: float, right_bound: float, titles: tuple[str, str]) -> dict:
    layout = {
        **_square(left_bound, domain=[0.0, 0.47]),
        **_square(right_bound, "2", domain=[0.53, 1.0]),
    }
    layout["annotations_titles"] = [
        dict(
            text=titles[0],
            x=0.235,
            y=1.0,
            xref="paper",
            yref="paper",
            yanchor="bottom",
            showarrow=False,
        ),
        dict(
            text=titles[1],
            x=0.765,
            y=1.0,
            xref="paper",
            yref="paper",
            yanchor="bottom",
            showarrow=False,
        ),
    ]
    return layout


def _f_image(M: np.ndarray) -> np.ndarray:
    out = M @ np.nan_to_num(_F_SHAPE)
    out[:, np.isnan(_F_SHAPE[0])] = np.nan  # keep the pen-up gap between the strokes
    return out


def vectors_figure(u, v, c: float, projection, *, height: int = 460) -> go.Figure:
    """u, v, u + v (with its parallelogram), u - v, c u and the projection of u on v."""
    u, v, projection = (np.asarray(a, float) for a in (u, v, projection))
    s = u + v
    traces = [
        line_trace([u[0], s[0], v[0]], [u[1], s[1], v[1]], color=GRAY, dash="dot"),
        line_trace(
            [u[0], projection[0]],
            [u[1], projection[1]],
            "u - proj (perpendicular)",
            color=PURPLE,
            dash="dot",
        ),
    ]
    notes: list[dict] = []
    for tail, tip, color, name, dash in (
        ((0, 0), c * u, SKY, f"{c:g} u", "dash"),
        ((0, 0), s, GREEN, "u + v", "solid"),
        (v, u, RED, "u - v (from v to u)", "solid"),
        ((0, 0), projection, PURPLE, "projection of u on v", "solid"),
        ((0, 0), u, BLUE, "u", "solid"),
        ((0, 0), v, ORANGE, "v", "solid"),
    ):
        add_arrow(traces, notes, tail, tip, color, name, dash=dash)
    bound = 1.15 * max(1.0, float(np.abs(np.concatenate([u, v, s, c * u, projection])).max()))
    return build_figure(
        traces, notes, height=height, legend=dict(orientation="h", y=-0.12), **_square(bound)
    )


def _grid_lines(n: int = 5, extent: float = 2.0) -> np.ndarray:
    """Grid lines as one 2 x m path with NaN gaps (one trace is far lighter than 22)."""
    t = np.append(np.linspace(-extent, extent, 21), np.nan)
    paths = []
    for k in np.linspace(-extent, extent, 2 * n + 1):
        paths.append(np.stack([t, np.where(np.isnan(t), np.nan, k)]))
        paths.append(np.stack([np.where(np.isnan(t), np.nan, k), t]))
    return np.concatenate(paths, axis=1)


def transform_figure(
    A, det: float, *, eigvecs=None, U=None, S=None, Vt=None, show=tuple(LAYERS), height: int = 480
) -> go.Figure:
    """Before (left) and after (right) the map x -> A x.

    Parameters
    ----------
    A : ndarray of shape (2, 2)
    det : float
        Its determinant: a negative one flips orientation (the square turns red).
    eigvecs : ndarray of shape (2, 2), optional
        Real eigenvectors as columns (None when the eigenvalues are complex).
    show : iterable of str
        Which of ``LAYERS`` to draw.
    U, S, Vt : SVD of A; the circle's directions ``Vt[i]`` map to the ellipse's axes ``S[i] U[:, i]``.
    """
    A = np.asarray(A, float)
    traces: list[dict] = []
    notes: list[dict] = []
    for axis, M in (("", np.eye(2)), ("2", A)):
        first = axis == ""
        if "grid" in show:
            g = M @ _grid_lines()
            traces.append(
                line_trace(g[0], g[1], "grid lines", color=LIGHT, width=1, axis=axis, legend=first)
            )
        if "unit square and F" in show:
            sq = M @ _SQUARE
            fill = BLUE if (first or det >= 0) else RED
            traces.append(
                line_trace(
                    sq[0],
                    sq[1],
                    "unit square" if first else "its image (red: flipped, det < 0)",
                    color=fill,
                    axis=axis,
                    fill="toself",
                    fillcolor=fill,
                    opacity=0.35,
                    legend=first or det < 0,
                )
            )
            f = _f_image(M)
            traces.append(
                line_trace(
                    f[0], f[1], "the letter F", color=BLACK, width=3, axis=axis, legend=first
                )
            )
        if "unit circle" in show:
            ring = M @ _CIRCLE
            traces.append(
                line_trace(
                    ring[0], ring[1], "unit circle -> ellipse", color=GREEN, axis=axis, legend=first
                )
            )
        if "eigenvectors" in show and eigvecs is not None:
            for i in range(2):
                e = 2.5 * np.real(eigvecs[:, i])
                traces.append(
                    line_trace(
                        [-e[0], e[0]],
                        [-e[1], e[1]],
                        "eigenvector spans",
                        color=ORANGE,
                        dash="dash",
                        axis=axis,
                        legend=first and i == 0,
                    )
                )
        if "SVD axes" in show and S is not None:
            for i in range(2):
                if first:
                    add_arrow(
                        traces,
                        notes,
                        (0, 0),
                        Vt[i],
                        PURPLE,
                        "v1, v2 (right singular)",
                        legend=i == 0,
                    )
                else:
                    add_arrow(
                        traces,
                        notes,
                        (0, 0),
                        S[i] * U[:, i],
                        RED,
                        "σ1 u1, σ2 u2 (ellipse axes)",
                        axis="2",
                        legend=i == 0,
                    )
    corners = A @ np.array([[2, 2, -2, -2], [2, -2, 2, -2]], float)
    bound = min(max(2.2, 1.1 * float(np.abs(corners).max())), 12.0)
    layout = _two_panels(2.2, bound, ("before: the plane", "after: A applied to it"))
    notes += layout.pop("annotations_titles")
    return build_figure(
        traces, notes, height=height, legend=dict(orientation="h", y=-0.1), **layout
    )


def compose_figure(A, B, *, height: int = 380) -> go.Figure:
    """The unit square and the F under B A (A first) and under A B (B first)."""
    traces: list[dict] = []
    bound = 1.5
    for axis, M, color in (("", B @ A, BLUE), ("2", A @ B, ORANGE)):
        sq, f = M @ _SQUARE, _f_image(M)
        traces.append(
            line_trace(
                sq[0], sq[1], color=color, axis=axis, fill="toself", fillcolor=color, opacity=0.35
            )
        )
        traces.append(line_trace(f[0], f[1], color=BLACK, width=3, axis=axis))
        bound = max(bound, 1.15 * float(np.abs(sq).max()))
    bound = min(bound, 12.0)
    layout = _two_panels(bound, bound, ("BA: first A, then B", "AB: first B, then A"))
    return build_figure(traces, layout.pop("annotations_titles"), height=height, **layout)


def lines_figure(A, b, x=None, x_perturbed=None, *, height: int = 440) -> go.Figure:
    """Each equation of a 2x2 system as a line; the solution where they cross."""
    A, b = np.asarray(A, float), np.asarray(b, float)
    center = np.zeros(2) if x is None else np.clip(np.asarray(x, float), -1e3, 1e3)
    span = 4.0 + (0 if x is None else min(float(np.abs(center).max()), 50.0) * 0.2)
    t = np.array([center[0] - 10 * span, center[0] + 10 * span])  # past the edges: the axes clip
    traces = []
    for i, (row, rhs) in enumerate(zip(A, b)):
        name = f"row {i + 1}: {row[0]:.3g} x {'-' if row[1] < 0 else '+'} {abs(row[1]):.3g} y = {rhs:.3g}"
        if abs(row[1]) > 1e-12:
            traces.append(
                line_trace(
                    t, (rhs - row[0] * t) / row[1], name, color=PALETTE[i], width=3, hover=True
                )
            )
        elif abs(row[0]) > 1e-12:
            traces.append(
                line_trace(
                    [rhs / row[0]] * 2,
                    [center[1] - 10 * span, center[1] + 10 * span],
                    name,
                    color=PALETTE[i],
                    width=3,
                )
            )
    if x is not None:
        traces.append(
            dict(
                type="scatter",
                x=[x[0]],
                y=[x[1]],
                mode="markers",
                name=f"solution ({x[0]:.4g}, {x[1]:.4g})",
                marker=dict(size=13, color=BLACK, symbol="x"),
            )
        )
    if x_perturbed is not None:
        traces.append(
            dict(
                type="scatter",
                x=[x_perturbed[0]],
                y=[x_perturbed[1]],
                mode="markers",
                name=f"after nudging b: ({x_perturbed[0]:.4g}, {x_perturbed[1]:.4g})",
                marker=dict(size=12, color=RED, symbol="circle-open", line=dict(width=3)),
            )
        )
    return build_figure(
        traces,
        height=height,
        legend=dict(orientation="h", y=-0.12),
        xaxis=dict(range=[center[0] - span, center[0] + span]),
        yaxis=dict(range=[center[1] - span, center[1] + span], scaleanchor="x", scaleratio=1),
    )


def planes_figure(A, b, x=None, *, height: int = 520) -> go.Figure:
    """Each equation of a 3x3 system as a plane; the solution where all three meet."""
    A, b = np.asarray(A, float), np.asarray(b, float)
    center = np.zeros(3) if x is None else np.clip(np.asarray(x, float), -50, 50)
    g = np.linspace(-4, 4, 12)
    P, Q = np.meshgrid(g, g)
    traces = []
    for i, (row, rhs) in enumerate(zip(A, b)):
        k = int(
            np.argmax(np.abs(row))
        )  # solve the plane for its largest coefficient: never divide by ~0
        if abs(row[k]) < 1e-12:
            continue
        free = [j for j in range(3) if j != k]
        coords: list = [None] * 3
        coords[free[0]] = P + center[free[0]]
        coords[free[1]] = Q + center[free[1]]
        coords[k] = (rhs - row[free[0]] * coords[free[0]] - row[free[1]] * coords[free[1]]) / row[k]
        traces.append(
            dict(
                type="surface",
                x=coords[0].astype(np.float32),
                y=coords[1].astype(np.float32),
                z=coords[2].astype(np.float32),
                opacity=0.55,
                showscale=False,
                colorscale=[[0, PALETTE[i]], [1, PALETTE[i]]],
                name=f"row {i + 1}",
                showlegend=True,
                hoverinfo="skip",
            )
        )
    if x is not None:
        traces.append(
            dict(
                type="scatter3d",
                x=[x[0]],
                y=[x[1]],
                z=[x[2]],
                mode="markers",
                name="solution",
                marker=dict(size=7, color=BLACK),
            )
        )
    lo, hi = center - 5, center + 5
    scene = dict(
        xaxis=dict(range=[lo[0], hi[0]], title="x"),
        yaxis=dict(range=[lo[1], hi[1]], title="y"),
        zaxis=dict(range=[lo[2], hi[2]], title="z"),
        aspectmode="cube",
    )
    return build_figure(traces, height=height, scene=scene, margin=dict(l=0, r=0, t=30, b=0))


def least_squares_figure(
    x, y, fits: dict[str, tuple[float, float]], residuals, *, height: int = 420
) -> go.Figure:
    """Points, fitted line(s) and each residual as a vertical segment."""
    x, y, residuals = (np.asarray(a, float) for a in (x, y, residuals))
    fitted = y - residuals
    gap = np.full_like(x, np.nan)
    traces = [
        line_trace(
            np.stack([x, x, gap], 1).ravel(),
            np.stack([y, fitted, gap], 1).ravel(),
            "residuals",
            color=RED,
            width=1.5,
        ),
        dict(
            type="scatter", x=x, y=y, mode="markers", marker=dict(color=BLUE, size=8), name="data"
        ),
    ]
    t = np.array([x.min(), x.max()])
    for (name, (slope, intercept)), dash, color in zip(
        fits.items(), ("solid", "dot"), (ORANGE, BLACK)
    ):
        traces.append(
            line_trace(
                t,
                slope * t + intercept,
                f"{name}: y = {slope:.4g} x + {intercept:.4g}",
                color=color,
                width=3,
                dash=dash,
            )
        )
    return build_figure(
        traces,
        height=height,
        legend=dict(orientation="h", y=-0.15),
        xaxis=dict(title="x"),
        yaxis=dict(title="y"),
    )


def power_figure(vectors, dominant=None, *, animate: bool = False, height: int = 420) -> go.Figure:
    """The unit vectors of power iteration on the unit circle, coloured by step.

    The full path is drawn; with ``animate`` a Play button replays it step by
    step as Plotly frames (in the browser, no Python rerun per step).
    """
    vectors = np.asarray(vectors, float)
    traces = [line_trace(_CIRCLE[0], _CIRCLE[1], color=LIGHT)]
    if dominant is not None:
        d = 1.3 * np.asarray(dominant, float)
        traces.append(
            line_trace(
                [-d[0], d[0]],
                [-d[1], d[1]],
                "dominant eigenvector",
                color=ORANGE,
                width=3,
                dash="dash",
            )
        )
    steps = np.arange(len(vectors))
    v32 = vectors.astype(np.float32)

    def path(t: int) -> list[dict]:
        seg = np.stack(
            [np.zeros_like(v32[: t + 1]), v32[: t + 1], np.full_like(v32[: t + 1], np.nan)], 1
        ).reshape(-1, 2)
        return [
            line_trace(seg[:, 0], seg[:, 1], color=GRAY, width=1),
            dict(
                type="scatter",
                x=v32[: t + 1, 0],
                y=v32[: t + 1, 1],
                mode="markers+text",
                name="v_t",
                text=[str(i) if i < 6 else "" for i in steps[: t + 1]],
                textposition="top center",
                marker=dict(
                    color=steps[: t + 1],
                    colorscale="Viridis",
                    cmin=0,
                    cmax=max(len(steps) - 1, 1),
                    size=10,
                    showscale=True,
                    colorbar=dict(title="step", len=0.8),
                ),
                hovertemplate="step %{marker.color}: (%{x:.4f}, %{y:.4f})<extra></extra>",
            ),
        ]

    traces += path(len(vectors) - 1)
    moving = [len(traces) - 2, len(traces) - 1]
    fig = build_figure(traces, height=height, legend=dict(orientation="h", y=-0.12), **_square(1.4))
    if not animate:
        return fig
    # frames carry only what changes (coordinates, labels, colours): far less to validate and send
    frames = []
    for t in steps:
        full = path(t)
        frames.append(
            dict(
                name=str(t),
                traces=moving,
                data=[
                    dict(type="scatter", x=full[0]["x"], y=full[0]["y"]),
                    dict(
                        type="scatter",
                        x=full[1]["x"],
                        y=full[1]["y"],
                        text=full[1]["text"],
                        marker=dict(color=full[1]["marker"]["color"]),
                    ),
                ],
            )
        )
    fig.frames = frames
    fig.update_layout(
        updatemenus=[
            dict(
                type="buttons",
                showactive=False,
                x=0.0,
                y=1.12,
                xanchor="left",
                yanchor="top",
                direction="left",
                buttons=[
                    dict(
                        label="▶ Play",
                        method="animate",
                        args=[
                            None,
                            dict(
                                frame=dict(duration=350, redraw=True),
                                fromcurrent=False,
                                mode="immediate",
                            ),
                        ],
                    )
                ],
            )
        ]
    )
    return fig


def power_convergence_figure(errors, rate: float, *, height: int = 420) -> go.Figure:
    """The error sin(angle to the eigenvector) per step on a log axis, against rate^t."""
    errors = np.asarray(errors, float)
    steps = np.arange(len(errors))
    traces = [
        dict(
            type="scatter",
            x=steps,
            y=np.where(errors > 0, errors, np.nan),
            mode="lines+markers",
            name="observed error",
            line=dict(color=BLUE),
        )
    ]
    if np.isfinite(rate) and np.isfinite(errors[0]) and errors[0] > 0 and rate > 0:
        with np.errstate(under="ignore"):
            predicted = errors[0] * rate ** steps.astype(float)
        predicted[predicted < 1e-17] = np.nan
        traces.append(
            line_trace(
                steps,
                predicted,
                f"predicted |λ2/λ1|^t = {rate:.3f}^t",
                color=ORANGE,
                dash="dash",
                hover=True,
            )
        )
    return build_figure(
        traces,
        height=height,
        legend=dict(orientation="h", y=-0.25),
        yaxis=dict(type="log", title="sin(angle to eigenvector)", exponentformat="power", dtick=1),
        xaxis=dict(title="step t"),
    )
