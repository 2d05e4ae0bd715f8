"""Figures of the PCA and SVD lab: scree, projections, biplot, clouds, spectra.

Built from plain trace dicts added in one batch (see :mod:`charts.linalg`).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from charts.images import image
from charts.linalg import BLACK, BLUE, GRAY, GREEN, ORANGE, RED
from charts.theme import PALETTE, SEQUENTIAL
from charts.traces import add_arrow, build_figure, line_trace

CHANNEL_COLORS = {"red": "#D55E00", "green": "#009E73", "blue": "#0072B2", "gray": "#1F2933"}


def scree_figure(ratio, k: int, *, height: int = 380) -> go.Figure:
    """Explained-variance ratio per component (bars) and its running total (line)."""
    ratio = np.asarray(ratio, float)
    idx = np.arange(1, len(ratio) + 1)
    colors = [BLUE if i <= k else "#A6C8E0" for i in idx]
    traces = [
        dict(
            type="bar",
            x=idx,
            y=ratio,
            name="explained variance ratio",
            marker=dict(color=colors),
            hovertemplate="PC%{x}: %{y:.2%}<extra></extra>",
        ),
        line_trace(
            idx,
            np.cumsum(ratio),
            "cumulative",
            color=ORANGE,
            width=3,
            hover=True,
            mode="lines+markers",
            hovertemplate="first %{x}: %{y:.2%}<extra></extra>",
        ),
    ]
    return build_figure(
        traces,
        height=height,
        title=dict(text="Scree plot", x=0.0),
        xaxis=dict(title="component", dtick=1 if len(ratio) <= 30 else None),
        yaxis=dict(title="share of variance", tickformat=".0%", range=[0, 1.05]),
        legend=dict(orientation="h", y=-0.2),
        shapes=[
            dict(
                type="line",
                x0=k + 0.5,
                x1=k + 0.5,
                y0=0,
                y1=1.05,
                line=dict(color=GRAY, dash="dot"),
            )
        ],
    )


def _class_traces(
    Z: np.ndarray, y: np.ndarray, target_names, *, dims: int, size: int = 6
) -> list[dict]:
    kind = "scatter3d" if dims == 3 else "scatter"
    axes = dict(x=Z[:, 0].astype(np.float32), y=Z[:, 1].astype(np.float32))
    if target_names:
        traces = []
        for c, label in enumerate(target_names):
            mask = y == c
            pts = dict(x=Z[mask, 0].astype(np.float32), y=Z[mask, 1].astype(np.float32))
            if dims == 3:
                pts["z"] = Z[mask, 2].astype(np.float32)
            traces.append(
                dict(
                    type=kind,
                    mode="markers",
                    name=str(label),
                    marker=dict(size=size, color=PALETTE[c % 8], opacity=0.75),
                    **pts,
                )
            )
        return traces
    if dims == 3:
        axes["z"] = Z[:, 2].astype(np.float32)
    return [
        dict(
            type=kind,
            mode="markers",
            name="position along the roll",
            showlegend=False,
            marker=dict(
                size=size,
                color=np.asarray(y, np.float32),
                colorscale=SEQUENTIAL,
                showscale=True,
                colorbar=dict(title="t"),
            ),
            **axes,
        )
    ]


def projection_figure(Z, y, target_names, *, dims: int = 2, height: int = 460) -> go.Figure:
    """The data on its first 2 (or 3) principal components, coloured by class (or by position)."""
    Z = np.asarray(Z, float)
    traces = _class_traces(Z, np.asarray(y), target_names, dims=dims, size=4 if dims == 3 else 7)
    if dims == 3:
        scene = dict(xaxis=dict(title="PC1"), yaxis=dict(title="PC2"), zaxis=dict(title="PC3"))
        return build_figure(
            traces,
            height=height,
            scene=scene,
            margin=dict(l=0, r=0, t=40, b=0),
            title=dict(text="Projection on PC1-PC3", x=0.0),
        )
    return build_figure(
        traces,
        height=height,
        title=dict(text="Projection on PC1-PC2", x=0.0),
        xaxis=dict(title="PC1"),
        yaxis=dict(title="PC2", scaleanchor="x", scaleratio=1),
    )


def biplot_figure(
    Z, y, target_names, loadings, feature_names, *, top: int = 8, height: int = 460
) -> go.Figure:
    """Scores on PC1-PC2 with the ``top`` features' loadings drawn as arrows.

    Parameters
    ----------
    loadings : ndarray of shape (2, d)
        The first two component rows; arrows are scaled to the cloud's size.
    """
    Z, loadings = np.asarray(Z, float), np.asarray(loadings, float)
    traces = _class_traces(Z[:, :2], np.asarray(y), target_names, dims=2, size=5)
    for t in traces:
        t["marker"]["opacity"] = 0.35
    length = np.hypot(loadings[0], loadings[1])
    chosen = np.argsort(-length)[:top]
    scale = 0.9 * float(np.abs(Z[:, :2]).max()) / max(float(length.max()), 1e-12)
    notes: list[dict] = []
    for j in chosen:
        tip = scale * loadings[:, j]
        add_arrow(traces, notes, (0, 0), tip, RED, "feature loadings", legend=j == chosen[0])
        notes.append(
            dict(
                x=tip[0],
                y=tip[1],
                text=str(feature_names[j])[:24],
                showarrow=False,
                font=dict(size=11),
                xanchor="left" if tip[0] >= 0 else "right",
                yanchor="bottom",
            )
        )
    return build_figure(
        traces,
        notes,
        height=height,
        title=dict(text=f"Biplot: the {len(chosen)} largest loadings", x=0.0),
        xaxis=dict(title="PC1"),
        yaxis=dict(title="PC2", scaleanchor="x", scaleratio=1),
    )


def reconstruction_figure(errors, k: int, *, height: int = 380) -> go.Figure:
    """Mean squared reconstruction error per entry against the number of components kept."""
    errors = np.asarray(errors, float)
    ks = np.arange(len(errors))
    traces = [
        line_trace(
            ks,
            errors,
            "reconstruction error",
            color=BLUE,
            width=3,
            hover=True,
            mode="lines+markers",
            hovertemplate="k=%{x}: %{y:.4g}<extra></extra>",
        ),
        dict(
            type="scatter",
            x=[k],
            y=[errors[k]],
            mode="markers",
            name=f"k = {k}",
            marker=dict(size=13, color=ORANGE),
        ),
    ]
    return build_figure(
        traces,
        height=height,
        title=dict(text="What is lost when keeping k components", x=0.0),
        xaxis=dict(title="components kept k"),
        yaxis=dict(title="mean squared error"),
        legend=dict(orientation="h", y=-0.2),
    )


def digits_figure(
    originals, reconstructions, k: int, *, side: int = 8, height: int = 240
) -> go.Figure:
    """Originals (top row) above their reconstructions (bottom row) as one gray mosaic."""
    a = np.asarray(originals, float).reshape(-1, side, side)
    b = np.asarray(reconstructions, float).reshape(-1, side, side)
    hi = max(float(a.max()), 1e-12)
    m = len(a)
    mosaic = np.ones((2 * side + 3, m * (side + 1) + 1))
    for i in range(m):
        c = 1 + i * (side + 1)
        mosaic[1 : side + 1, c : c + side] = (
            1 - a[i] / hi
        )  # dark ink on white, as the digits were written
        mosaic[side + 2 : 2 * side + 2, c : c + side] = 1 - np.clip(b[i], 0, hi) / hi
    return image(
        mosaic,
        f"top: original digits · bottom: reconstructed from k = {k} components",
        height=height,
    )


def cloud_figure(X, mean, components, variances, recon, *, height: int = 480) -> go.Figure:
    """A 2-D cloud, its principal axes (2 standard deviations long) and its projection onto PC1."""
    X, mean, components, recon = (np.asarray(a, float) for a in (X, mean, components, recon))
    shown = slice(0, min(len(X), 80))
    gap = np.full(len(X[shown]), np.nan)
    traces = [
        dict(
            type="scatter",
            x=X[:, 0].astype(np.float32),
            y=X[:, 1].astype(np.float32),
            mode="markers",
            name="samples",
            marker=dict(size=5, color=BLUE, opacity=0.5),
        ),
        line_trace(
            np.stack([X[shown, 0], recon[shown, 0], gap], 1).ravel(),
            np.stack([X[shown, 1], recon[shown, 1], gap], 1).ravel(),
            "what PC1 loses (first 80)",
            color=RED,
            width=1,
        ),
        dict(
            type="scatter",
            x=recon[:, 0].astype(np.float32),
            y=recon[:, 1].astype(np.float32),
            mode="markers",
            name="projection onto PC1",
            marker=dict(size=4, color=ORANGE),
        ),
    ]
    notes: list[dict] = []
    for i, color in enumerate((BLACK, GREEN)):
        half = 2 * np.sqrt(max(float(variances[i]), 0.0)) * components[i]
        add_arrow(traces, notes, mean, mean + half, color, f"PC{i + 1}: 2√λ{i + 1} long")
    # frame the bulk of the cloud (3.3 standard deviations along PC1), not its farthest outlier
    bound = float(np.abs(mean).max()) + 3.3 * np.sqrt(max(float(variances[0]), 1e-12))
    return build_figure(
        traces,
        notes,
        height=height,
        legend=dict(orientation="h", y=-0.12),
        xaxis=dict(range=[-bound, bound]),
        yaxis=dict(range=[-bound, bound], scaleanchor="x", scaleratio=1),
    )


def spectrum_figure(S, k: int, channels, *, height: int = 380) -> go.Figure:
    """Singular values per channel on a log axis, and the energy (cumulative sigma^2 share) they carry."""
    S = np.asarray(S, float)
    idx = np.arange(1, S.shape[1] + 1)
    traces = []
    for s, name in zip(S, channels):
        color = CHANNEL_COLORS.get(name, BLACK)
        traces.append(
            line_trace(
                idx, np.where(s > 0, s, np.nan), f"σ ({name})", color=color, width=2, hover=True
            )
        )
        energy = np.cumsum(s**2) / max(float((s**2).sum()), 1e-300)
        traces.append(
            line_trace(
                idx,
                energy,
                f"energy ({name})",
                color=color,
                width=1.5,
                dash="dot",
                hover=True,
                xaxis="x",
                yaxis="y2",
            )
        )
    shapes = [
        dict(type="line", x0=k, x1=k, y0=0, y1=1, yref="paper", line=dict(color=GRAY, dash="dash"))
    ]
    return build_figure(
        traces,
        height=height,
        shapes=shapes,
        title=dict(text="Singular value spectrum", x=0.0),
        xaxis=dict(title="index i", type="log", dtick=1),
        yaxis=dict(title="σᵢ (log)", type="log", exponentformat="power", dtick=1),
        yaxis2=dict(
            title="energy kept (dotted)",
            overlaying="y",
            side="right",
            range=[0, 1.02],
            tickformat=".0%",
            tickmode="array",
            tickvals=[0, 0.25, 0.5, 0.75, 1.0],
            showgrid=False,
        ),
        legend=dict(orientation="h", y=-0.25),
        margin=dict(r=60),
    )
