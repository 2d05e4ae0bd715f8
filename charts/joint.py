"""Figures of two variables together: a joint table, a conditional, a scatter, a correlation map."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from charts.optim import f32
from charts.theme import DIVERGING, INK, PALETTE, figure


def joint_heatmap(joint: np.ndarray, given: str, index: int, *, height: int = 320) -> go.Figure:
    """P(A = a_i, B = b_j) as a table of shaded cells; the conditioned slice outlined.

    Parameters
    ----------
    joint : ndarray of shape (m, n)
    given : {"A", "B"}
        Outline row ``index`` (A) or column ``index`` (B).
    """
    m, n = joint.shape
    fig = figure("joint P(A, B)", height=height)
    fig.add_trace(
        go.Heatmap(
            z=f32(joint),
            x=[f"b{j + 1}" for j in range(n)],
            y=[f"a{i + 1}" for i in range(m)],
            text=[[f"{v:.3g}" for v in row] for row in joint],
            texttemplate="%{text}",
            textfont=dict(size=14, color=INK),
            colorscale=[[0, "#F5F7FA"], [1, "#7FB3DA"]],
            zmin=0,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="P(A=%{y}, B=%{x}) = %{z:.4f}<extra></extra>",
        )
    )
    if given == "B":
        box = dict(x0=index - 0.5, x1=index + 0.5, y0=-0.5, y1=m - 0.5)
    else:
        box = dict(x0=-0.5, x1=n - 0.5, y0=index - 0.5, y1=index + 0.5)
    fig.add_shape(type="rect", line=dict(color=PALETTE[3], width=4), **box)
    fig.update_yaxes(autorange="reversed", showgrid=False, zeroline=False)
    fig.update_xaxes(showgrid=False, zeroline=False, side="top")
    fig.update_layout(margin=dict(l=50, r=20, t=70, b=20))
    return fig


def conditional_bars(
    names: Sequence[str],
    conditional: np.ndarray,
    marginal: np.ndarray,
    *,
    label: str,
    height: int = 320,
) -> go.Figure:
    """The conditional distribution (the slice renormalised) beside the marginal."""
    fig = figure(height=height)
    fig.add_trace(go.Bar(x=list(names), y=f32(conditional), name=label, marker_color=PALETTE[3]))
    fig.add_trace(go.Bar(x=list(names), y=f32(marginal), name="marginal", marker_color=PALETTE[0]))
    fig.update_layout(
        barmode="group",
        yaxis=dict(title="probability", range=[0, 1.05]),
        legend=dict(orientation="h", x=1.0, xanchor="right", y=1.0, yanchor="bottom"),
        margin=dict(t=40),
    )
    return fig


def _regression_traces(X, y_on_x, x_on_y, xs, yspan) -> list[go.Scatter]:
    """Both regression lines over ``xs``; an infinite slope is a vertical line at the mean."""
    ylo, yhi = yspan
    traces = []
    mean = X.mean(axis=0)
    for (a, b), name, color in ((y_on_x, "y on x", PALETTE[3]), (x_on_y, "x on y", PALETTE[2])):
        if np.isfinite(b):
            line_x, line_y = xs, a + b * xs
        else:
            line_x, line_y = np.array([mean[0], mean[0]]), np.array([ylo, yhi])
        traces.append(
            go.Scatter(
                x=f32(line_x),
                y=f32(line_y),
                mode="lines",
                name=f"regression {name}",
                line=dict(color=color, width=3),
            )
        )
    return traces


#: samples up to this size are drawn as SVG markers, larger ones with WebGL
SVG_POINTS = 1500


def correlation_scatter(
    X: np.ndarray,
    y_on_x: tuple[float, float],
    x_on_y: tuple[float, float],
    ellipse: np.ndarray,
    *,
    height: int = 420,
) -> go.Figure:
    """The sample, its 2-sigma ellipse and both regression lines.

    Parameters
    ----------
    X : ndarray of shape (n, 2)
    y_on_x, x_on_y : (intercept, slope)
        Lines ``y = intercept + slope x`` (a non-finite slope draws a vertical line at the mean).
    ellipse : ndarray of shape (k, 2)
        The sample's 2-sigma ellipse (:func:`dlcore.joint.covariance_ellipse`).
    """
    fig = figure(height=height)
    # SVG up to a few thousand points: here WebGL is software-rendered and redraws slower
    # than 1,000 SVG markers; beyond, one WebGL draw beats thousands of nodes.
    trace = go.Scatter if len(X) <= SVG_POINTS else go.Scattergl
    fig.add_trace(
        trace(
            x=f32(X[:, 0]),
            y=f32(X[:, 1]),
            mode="markers",
            name="sample",
            marker=dict(size=4, color=PALETTE[0], opacity=0.45),
            hoverinfo="skip",
        )
    )
    lo, hi = np.percentile(X[:, 0], [0.5, 99.5])
    xs = np.array([lo, hi])
    ylo, yhi = np.percentile(X[:, 1], [0.5, 99.5])
    fig.add_traces(_regression_traces(X, y_on_x, x_on_y, xs, (ylo, yhi)))
    ex, ey = ellipse[:, 0], ellipse[:, 1]
    fig.add_trace(
        go.Scatter(
            x=f32(ex),
            y=f32(ey),
            mode="lines",
            name="2σ ellipse",
            line=dict(color=INK, dash="dot", width=1.5),
        )
    )
    pad_y = 0.1 * (yhi - ylo + 1e-9)
    fig.update_layout(
        xaxis=dict(title="x", range=[lo, hi]),
        # equal units on both axes, so a slope and the ellipse's tilt look like what they are
        yaxis=dict(title="y", range=[ylo - pad_y, yhi + pad_y], scaleanchor="x", scaleratio=1),
        legend=dict(orientation="h", x=0.0, y=-0.18, yanchor="top"),
        margin=dict(t=20, b=100),
    )
    return fig


def _matrix_heatmap(
    names: Sequence[str], M: np.ndarray, *, zmax: float, label: str, digits: str, height: int
) -> go.Figure:
    short = [n if len(n) <= 18 else n[:17] + "…" for n in names]
    labelled = len(names) <= 8
    fig = figure(height=height)
    fig.add_trace(
        go.Heatmap(
            z=f32(M),
            x=short,
            y=short,
            zmin=-zmax,
            zmax=zmax,
            colorscale=DIVERGING,
            text=[[f"{v:{digits}}" for v in row] for row in M] if labelled else None,
            texttemplate="%{text}" if labelled else None,
            colorbar=dict(title=label, thickness=12),
            hovertemplate=f"%{{y}} · %{{x}}: {label} = %{{z:.4g}}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(showgrid=False, tickangle=-45)
    fig.update_layout(margin=dict(l=140, r=20, t=20, b=120))
    return fig


def correlation_heatmap(names: Sequence[str], corr: np.ndarray, *, height: int = 420) -> go.Figure:
    """A correlation matrix on the diverging scale from -1 (blue) to 1 (red)."""
    return _matrix_heatmap(names, corr, zmax=1.0, label="r", digits=".2f", height=height)


def covariance_heatmap(names: Sequence[str], cov: np.ndarray, *, height: int = 420) -> go.Figure:
    """A covariance matrix on a diverging scale symmetric about 0 (its units are the features')."""
    top = float(np.nanmax(np.abs(cov))) or 1.0
    return _matrix_heatmap(names, cov, zmax=top, label="cov", digits=".3g", height=height)
