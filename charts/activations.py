"""Figures of the activation-functions lab: curves, softmax, and signals through depth."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from charts.optim import f32
from charts.theme import PALETTE, SEQUENTIAL, color_for, figure
from charts.traces import hline, vline


def curves(
    x: np.ndarray,
    values: Mapping[str, np.ndarray],
    grads: Mapping[str, np.ndarray],
    *,
    probe: float | None = None,
    height: int = 400,
) -> go.Figure:
    """Each activation (left) and its derivative (right) over the same x.

    Parameters
    ----------
    x : ndarray of shape (n,)
    values, grads : mapping name -> ndarray of shape (n,)
        Curves are coloured by name (``charts.theme.NAMED_COLORS``); clicking
        a legend entry hides both panels' curves of that name.
    probe : float, optional
        An x marked by a dotted vertical line in both panels.
    """
    fig = figure(height=height)
    fig.set_subplots(1, 2, subplot_titles=("f(x)", "f\u2032(x)"), horizontal_spacing=0.08)
    xs = f32(x)
    for name in values:
        style = dict(color=color_for(name), width=2.5)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=f32(values[name]),
                name=name,
                legendgroup=name,
                line=style,
                hovertemplate=f"{name}<br>x=%{{x:.3f}}<br>f=%{{y:.4f}}<extra></extra>",
            ),
            row=1,
            col=1,
        )
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=f32(grads[name]),
                name=name,
                legendgroup=name,
                line=style,
                showlegend=False,
                hovertemplate=f"{name}<br>x=%{{x:.3f}}<br>f\u2032=%{{y:.4f}}<extra></extra>",
            ),
            row=1,
            col=2,
        )
    if probe is not None and xs.size and xs[0] <= probe <= xs[-1]:
        fig.add_vline(x=probe, row="all", col="all", line=dict(color="#9AA5B1", dash="dot"))
    fig.update_xaxes(title_text="x")
    fig.update_layout(legend=dict(orientation="h", y=-0.18), margin=dict(t=40))
    return fig


def softmax_bars(
    labels: Sequence[str], probabilities: np.ndarray, *, height: int = 330
) -> go.Figure:
    """Probability bars with the uniform level 1/n dashed."""
    p = np.asarray(probabilities, dtype=float)
    fig = figure(height=height)
    fig.add_trace(
        go.Bar(
            x=list(labels),
            y=p,
            marker_color=PALETTE[0],
            text=[f"{v:.3f}" for v in p],
            textposition="outside",
            hovertemplate="%{x}: p=%{y:.4f}<extra></extra>",
        )
    )
    hline(fig, 1 / len(p), line=dict(dash="dash", color="#9AA5B1"), text="uniform 1/n")
    fig.update_yaxes(range=[0, 1.12], title_text="probability")
    fig.update_layout(margin=dict(t=20))
    return fig


def temperature_sweep(
    temperatures: np.ndarray,
    probabilities: np.ndarray,
    entropy: np.ndarray,
    labels: Sequence[str],
    current: float,
    *,
    height: int = 330,
) -> go.Figure:
    """Each class's probability against the temperature (log axis), and the entropy in nats."""
    fig = figure(height=height)
    t = f32(temperatures)
    for i, label in enumerate(labels):
        fig.add_trace(
            go.Scatter(
                x=t,
                y=f32(probabilities[:, i]),
                name=label,
                mode="lines",
                line=dict(color=PALETTE[i % len(PALETTE)], width=2),
            )
        )
    fig.add_trace(
        go.Scatter(
            x=t,
            y=f32(entropy),
            name="entropy H (nats)",
            yaxis="y2",
            mode="lines",
            line=dict(color="#1F2933", dash="dot", width=2),
        )
    )
    vline(fig, current, line=dict(color="#9AA5B1"), text=f"T = {current:g}")
    fig.update_xaxes(type="log", title_text="temperature T")
    fig.update_layout(
        yaxis=dict(title="probability", range=[0, 1.02]),
        yaxis2=dict(
            title="entropy (nats)",
            overlaying="y",
            side="right",
            showgrid=False,
            range=[0, float(np.log(len(labels))) * 1.02],
        ),
        legend=dict(orientation="h", y=-0.3),
        margin=dict(t=20, r=60),
    )
    return fig


def layer_histograms(hist: np.ndarray, edges: np.ndarray, *, height: int = 380) -> go.Figure:
    """Every layer's activation distribution as one row of a heat map (layer 1 at the bottom).

    Parameters
    ----------
    hist : ndarray of shape (L, bins)
        Fraction of each layer's values per bin.
    edges : ndarray of shape (bins + 1,)
    """
    hist = np.asarray(hist, dtype=float)
    centres = 0.5 * (edges[:-1] + edges[1:])
    finite = hist[np.isfinite(hist)]
    # A spike (ReLU's exact zeros, one bin per layer) would wash out every other bin: cap the colour scale.
    zmax = float(np.quantile(finite, 0.95)) if finite.size else 1.0
    fig = figure("Activation distributions per layer", height=height)
    fig.add_trace(
        go.Heatmap(
            z=f32(hist),
            x=f32(centres),
            y=np.arange(1, len(hist) + 1),
            colorscale=SEQUENTIAL,
            zmin=0.0,
            zmax=max(zmax, 1e-6),
            colorbar=dict(title="fraction"),
            hovertemplate="layer %{y}<br>h \u2248 %{x:.3g}<br>fraction %{z:.3f}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text="activation value h", showgrid=False, zeroline=False)
    fig.update_yaxes(title_text="layer", showgrid=False, zeroline=False)
    return fig


#: per-layer lines with more points than this are drawn without a marker per point
MARKERS_UP_TO = 12


def _per_layer_log(
    title: str, series: list[tuple[str, np.ndarray, dict]], *, x_title: str, height: int
) -> go.Figure:
    """Lines over layers 1..L on a log y axis; ``series`` holds (name, y, line style).

    The y values stay float64 (at most a few hundred numbers): vanishing
    gradients reach 1e-80 and below, where float32 would flush them to 0.
    """
    fig = figure(title, height=height)
    for name, y, line in series:
        # A marker per layer only where they can be told apart: each is an SVG node that a
        # slider's redraw rewrites (a 50-layer stack has 100 of them).
        markers = line.get("dash", "solid") == "solid" and len(y) <= MARKERS_UP_TO
        fig.add_trace(
            go.Scatter(
                x=np.arange(1, len(y) + 1),
                y=y,
                name=name,
                line=line,
                mode="lines+markers" if markers else "lines",
                marker=dict(size=5),
            )
        )
    fig.update_yaxes(type="log", exponentformat="power")
    fig.update_xaxes(title_text=x_title)
    fig.update_layout(legend=dict(orientation="h", y=-0.22))
    return fig


def signal_through_depth(
    act_std: np.ndarray, grad_norm: np.ndarray, *, height: int = 380
) -> go.Figure:
    """Forward (spread of the activations) and backward (weight-gradient norm) per layer, log scale."""
    return _per_layer_log(
        "Signal size per layer (log scale)",
        [
            ("forward: std of the activations", act_std, dict(color=PALETTE[0], width=2.5)),
            ("backward: norm of \u2202L/\u2202W", grad_norm, dict(color=PALETTE[3], width=2.5)),
        ],
        x_title="layer",
        height=height,
    )


def gradient_by_init(grad_norms: Mapping[str, np.ndarray], *, height: int = 380) -> go.Figure:
    """The weight-gradient norm per layer under each initialiser (log scale)."""
    dashes = ("solid", "dash", "dot", "dashdot", "longdash")
    return _per_layer_log(
        "Norm of \u2202L/\u2202W per layer, by initialisation (log scale)",
        [
            (
                name,
                y,
                dict(color=PALETTE[i % len(PALETTE)], width=2.5, dash=dashes[i % len(dashes)]),
            )
            for i, (name, y) in enumerate(grad_norms.items())
        ],
        x_title="layer",
        height=height,
    )


def dead_units(dead_fraction: np.ndarray, *, height: int = 260) -> go.Figure:
    """Fraction of units per layer whose derivative is 0 on every example."""
    layers = np.arange(1, len(dead_fraction) + 1)
    fig = figure("Dead units per layer", height=height)
    fig.add_trace(
        go.Bar(
            x=layers,
            y=dead_fraction,
            marker_color=PALETTE[0],
            hovertemplate="layer %{x}: %{y:.1%} dead<extra></extra>",
        )
    )
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    fig.update_xaxes(title_text="layer")
    return fig


def shrinkage(
    measured: np.ndarray,
    textbook: np.ndarray,
    bound: np.ndarray,
    max_grad: float,
    *,
    height: int = 380,
) -> go.Figure:
    """Measured backward shrinkage against (max|f'|)^(L - l) and the bound with the weights."""
    return _per_layer_log(
        "Gradient at layer l relative to the top layer (log scale)",
        [
            (
                "bound: (max|f\u2032|)^(L\u2212l) \u00d7 weight factors",
                bound,
                dict(color=PALETTE[2], dash="dash", width=2),
            ),
            (
                f"textbook: {max_grad:.3g}^(L\u2212l)",
                textbook,
                dict(color=PALETTE[7], dash="dot", width=2),
            ),
            (
                "measured \u2016\u03b4 at layer l\u2016 / \u2016\u03b4 at layer L\u2016",
                measured,
                dict(color=PALETTE[3], width=2.5),
            ),
        ],
        x_title="layer l",
        height=height,
    )
