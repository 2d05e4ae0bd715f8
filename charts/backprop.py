"""Figures of the backpropagation lab: the graph, decision regions, curves, neurons, checks."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from charts.theme import DIVERGING, PALETTE, figure

DONE, WAITING, CURRENT = "#009E73", "#9AA5B1", "#D55E00"


def _layout(n: int, edges: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Columns and rows for a left-to-right drawing (nodes come in topological order).

    An op sits one column right of its deepest input; an input sits just left
    of the op that uses it, so a bias or target is drawn next to where it enters.
    """
    depth = np.zeros(n, int)
    for i, j in sorted(edges, key=lambda e: e[1]):
        depth[j] = max(depth[j], depth[i] + 1)
    children: dict[int, list[int]] = {}
    for i, j in edges:
        children.setdefault(i, []).append(j)
    has_parent = {j for _, j in edges}
    for v in range(n):
        if v not in has_parent and v in children:
            depth[v] = min(depth[c] for c in children[v]) - 1
    # Inputs are spread top to bottom in order of use; an op sits at the mean height of its inputs.
    leaves = [v for v in range(n) if v not in has_parent]
    row = np.zeros(n)
    row[leaves] = np.linspace(1, -1, len(leaves)) if len(leaves) > 1 else 0.0
    for v in range(n):
        if v in has_parent:
            row[v] = np.mean([row[i] for i, j in edges if j == v])
    return depth, row


def computational_graph(
    labels: Sequence[str],
    values: np.ndarray,
    grads: np.ndarray,
    edges: Sequence[tuple[int, int]],
    local: np.ndarray,
    chain: np.ndarray,
    order: Sequence[int],
    step: int,
    *,
    height: int = 480,
) -> go.Figure:
    """A scalar graph left to right, forward values on every node, gradients as backward reaches them.

    Parameters
    ----------
    labels : one str per node (topological order)
    values, grads : ndarray of shape (n_nodes,)
    edges : (parent, child) pairs; local, chain : ndarray of shape (n_edges,)
    order : the backward visiting order (root first)
    step : int
        How many nodes backward has finished; 0 shows the forward pass only.
    """
    n = len(labels)
    depth, ypos = _layout(n, edges)
    done = set(order[:step])
    parents_of_done = {i for i, j in edges if j in done}
    # An input's gradient is final once every op that uses it has passed its product back.
    done |= {
        i for i in parents_of_done if i not in order and all(j in done for k, j in edges if k == i)
    }
    current = order[step - 1] if step > 0 else -1
    fig = figure(height=height, showlegend=False)
    # One line trace per state (None breaks the line between edges): fewer traces, faster figures.
    for state, color, width in (
        ("waiting", WAITING, 1.5),
        ("done", DONE, 1.5),
        ("current", CURRENT, 4),
    ):
        xs: list[float | None] = []
        ys: list[float | None] = []
        for i, j in edges:
            if ("current" if j == current else "done" if j in done else "waiting") == state:
                xs += [depth[i], depth[j], None]
                ys += [ypos[i], ypos[j], None]
        fig.add_trace(
            go.Scatter(
                x=xs, y=ys, mode="lines", hoverinfo="skip", line=dict(color=color, width=width)
            )
        )
    # Short edges leave little room: the local factor goes on the edge, the product arrives
    # as the parent's gradient (and both are spelled out under the figure).
    notes = [
        dict(
            x=(depth[i] + depth[j]) / 2,
            y=(ypos[i] + ypos[j]) / 2,
            showarrow=False,
            text=f"×{local[k]:.3g}",
            bgcolor="white",
            borderpad=1,
            font=dict(size=12, color=CURRENT),
        )
        for k, (i, j) in enumerate(edges)
        if j == current
    ]
    for v in range(n):
        # Annotations size themselves to their text, so long labels stay inside their box.
        color = CURRENT if v == current else (DONE if v in done else WAITING)
        grad = f"grad {grads[v]:.3g}" if v in done else "grad ?"
        notes.append(
            dict(
                x=depth[v],
                y=ypos[v],
                showarrow=False,
                text=f"<b>{labels[v]}</b><br>value {values[v]:.3g}<br>{grad}",
                bgcolor="white",
                bordercolor=color,
                borderwidth=3 if v == current else 2,
                borderpad=3,
                font=dict(size=11, color="#1F2933"),
            )
        )
    fig.update_layout(annotations=notes)
    fig.update_xaxes(visible=False, range=[depth.min() - 0.5, depth.max() + 0.5])
    fig.update_yaxes(visible=False, range=[-1.2, 1.2])
    fig.update_layout(margin=dict(l=10, r=10, t=10, b=10))
    return fig


def _tint(color: str, strength: float) -> str:
    """``color`` mixed with white: strength 0 is white, 1 the colour itself."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "rgb({},{},{})".format(*(round(255 - strength * (255 - v)) for v in (r, g, b)))


def decision_regions(
    xs: np.ndarray,
    ys: np.ndarray,
    proba: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    X_test: np.ndarray | None = None,
    y_test: np.ndarray | None = None,
    *,
    title: str | None = None,
    height: int = 460,
) -> go.Figure:
    """Each grid cell tinted by its predicted class, stronger where the network is surer.

    Parameters
    ----------
    xs, ys : ndarray of shape (G,)
    proba : ndarray of shape (G*G, C), row-major over (ys, xs)
    X, y : training points; X_test, y_test : test points (hollow markers)
    """
    g, c = len(xs), proba.shape[1]
    winner = proba.argmax(axis=1)
    # Confidence runs from 1/C (a coin toss) to 1; class k owns the colour band [k, k + 1).
    sure = (proba.max(axis=1) - 1 / c) / (1 - 1 / c)
    z = (winner + 0.999 * sure).reshape(g, g).astype(np.float32)
    scale = []
    for k in range(c):
        color = PALETTE[k % len(PALETTE)]
        scale += [[k / c, _tint(color, 0.1)], [(k + 1) / c - 1e-6, _tint(color, 0.6)]]
    scale[-1][0] = 1.0
    fig = figure(title, height=height)
    fig.add_trace(
        go.Heatmap(
            x=xs.astype(np.float32),
            y=ys.astype(np.float32),
            z=z,
            zmin=0,
            zmax=c,
            colorscale=scale,
            showscale=False,
            hoverinfo="skip",
        )
    )
    # One trace per split, coloured per point by class: the region colours are the legend.
    colors = np.array(PALETTE)
    fig.add_trace(
        go.Scatter(
            x=X[:, 0],
            y=X[:, 1],
            mode="markers",
            name="train",
            marker=dict(color=colors[y % len(PALETTE)], size=7, line=dict(color="white", width=1)),
        )
    )
    if X_test is not None:
        fig.add_trace(
            go.Scatter(
                x=X_test[:, 0],
                y=X_test[:, 1],
                mode="markers",
                name="test",
                marker=dict(
                    color="white", size=7, line=dict(color=colors[y_test % len(PALETTE)], width=2)
                ),
            )
        )
    fig.update_xaxes(range=[xs[0], xs[-1]], title="x1 (standardised)")
    fig.update_yaxes(range=[ys[0], ys[-1]], title="x2 (standardised)", scaleanchor="x")
    fig.update_layout(legend=dict(orientation="h", y=-0.15))
    return fig


def training_curves(
    loss: np.ndarray,
    accuracy: np.ndarray,
    test_loss: np.ndarray,
    test_accuracy: np.ndarray,
    *,
    diverged_at: int = -1,
    height: int = 460,
) -> go.Figure:
    """Loss (log scale) and accuracy per epoch, train solid and test dashed."""
    epochs = np.arange(1, len(loss) + 1)
    # Two stacked panels sharing the epoch axis, laid out by hand (cheaper than make_subplots).
    fig = figure(
        height=height,
        legend=dict(orientation="h", y=1.08, x=1, xanchor="right"),
        xaxis=dict(anchor="y2", title="epoch"),
        yaxis=dict(domain=[0.55, 1.0], type="log", dtick=1, exponentformat="power", title="loss"),
        yaxis2=dict(domain=[0.0, 0.45], range=[0, 1.02], title="accuracy"),
    )
    for axis, (train, test) in (("y", (loss, test_loss)), ("y2", (accuracy, test_accuracy))):
        first = axis == "y"
        fig.add_trace(
            go.Scatter(
                x=epochs,
                y=train,
                yaxis=axis,
                name="train",
                line=dict(color=PALETTE[0]),
                showlegend=first,
                legendgroup="train",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=epochs,
                y=test,
                yaxis=axis,
                name="test",
                line=dict(color=PALETTE[1], dash="dash"),
                showlegend=first,
                legendgroup="test",
            )
        )
    if diverged_at >= 0:
        fig.update_layout(
            shapes=[
                dict(
                    type="line",
                    xref="x",
                    yref="paper",
                    x0=diverged_at + 1,
                    x1=diverged_at + 1,
                    y0=0,
                    y1=1,
                    line=dict(color=PALETTE[3], dash="dot"),
                )
            ],
            annotations=[
                dict(
                    x=diverged_at + 1,
                    y=1,
                    yref="paper",
                    text="loss exploded: stopped",
                    showarrow=False,
                    font=dict(color=PALETTE[3]),
                    xanchor="right",
                )
            ],
        )
    return fig


def gradient_norms(norms: np.ndarray, *, height: int = 320) -> go.Figure:
    """Per-layer gradient norm per epoch (log scale): vanishing or exploding shows as a gap between lines."""
    fig = figure("gradient norm per layer", height=height)
    epochs = np.arange(1, norms.shape[0] + 1)
    for k in range(norms.shape[1]):
        name = f"layer {k + 1}" + (" (output)" if k == norms.shape[1] - 1 else "")
        fig.add_trace(
            go.Scatter(
                x=epochs, y=norms[:, k], name=name, line=dict(color=PALETTE[k % len(PALETTE)])
            )
        )
    fig.update_yaxes(type="log", dtick=1, exponentformat="power", title="‖∂L/∂W‖")
    fig.update_xaxes(title="epoch")
    return fig


def neuron_maps(
    xs: np.ndarray, ys: np.ndarray, outputs: np.ndarray, *, cols: int = 4, height_per_row: int = 120
) -> go.Figure:
    """What each first-layer neuron computes over the input plane, one small heat map each.

    All maps are tiled into one heat map with blank gaps (one trace renders far
    faster than a grid of subplots).

    Parameters
    ----------
    outputs : ndarray of shape (G*G, width), row-major over (ys, xs)
    """
    g, width = len(xs), outputs.shape[1]
    rows = -(-width // cols)
    gap = max(g // 4, 2)
    mosaic = np.full((rows * (g + gap), cols * (g + gap)), np.nan, np.float32)
    notes = []
    for k in range(width):
        r, c = divmod(k, cols)
        top = (rows - 1 - r) * (
            g + gap
        )  # heat map rows grow upwards: the first neuron goes top left
        mosaic[top : top + g, c * (g + gap) : c * (g + gap) + g] = outputs[:, k].reshape(g, g)
        notes.append(
            dict(
                x=c * (g + gap) + g / 2,
                y=top + g,
                yanchor="bottom",
                showarrow=False,
                text=f"neuron {k + 1}",
                font=dict(size=11),
            )
        )
    bound = float(np.nanmax(np.abs(mosaic))) or 1.0
    fig = figure(
        height=height_per_row * rows + 40, annotations=notes, margin=dict(l=10, r=10, t=24, b=10)
    )
    fig.add_trace(
        go.Heatmap(
            z=mosaic,
            colorscale=DIVERGING,
            zmin=-bound,
            zmax=bound,
            hoverongaps=False,
            colorbar=dict(title="output", thickness=12),
            hovertemplate="out=%{z:.3f}<extra></extra>",
        )
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    return fig


def gradient_check_bars(
    names: Sequence[str], errors: np.ndarray, *, threshold: float = 1e-6, height: int = 300
) -> go.Figure:
    """Relative error per parameter tensor on a log scale, with the pass threshold."""
    errors = np.maximum(np.asarray(errors, float), 1e-16)
    colors = [PALETTE[2] if e < threshold else PALETTE[3] for e in errors]
    fig = figure("relative error: backprop vs central differences", height=height)
    fig.add_trace(
        go.Bar(
            x=list(names),
            y=errors,
            marker_color=colors,
            text=[f"{e:.1e}" for e in errors],
            textposition="outside",
        )
    )
    fig.update_layout(
        shapes=[
            dict(
                type="line",
                xref="paper",
                x0=0,
                x1=1,
                y0=threshold,
                y1=threshold,
                line=dict(color=PALETTE[7], dash="dash"),
            )
        ],
        annotations=[
            dict(
                xref="paper",
                x=1,
                y=np.log10(threshold),
                yshift=-10,
                showarrow=False,
                xanchor="right",
                text=f"pass below {threshold:g}",
                bgcolor="white",
            )
        ],
        yaxis=dict(
            type="log", range=[-16, 2], dtick=3, exponentformat="power", title="relative error"
        ),
    )
    return fig
