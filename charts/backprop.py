"""Figures of the backpropagation lab: the graph, decision regions, curves, neurons, checks."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

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


def computational_graph(labels: Sequence[str], values: np.ndarray, grads: np.ndarray,
                        edges: Sequence[tuple[int, int]], local: np.ndarray, chain: np.ndarray,
                        order: Sequence[int], step: int, *, height: int = 480) -> go.Figure:
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
    done |= {i for i in parents_of_done if i not in order and all(j in done for k, j in edges if k == i)}
    current = order[step - 1] if step > 0 else -1
    fig = figure(height=height, showlegend=False)
    for k, (i, j) in enumerate(edges):
        active = j == current
        fig.add_trace(go.Scatter(x=[depth[i], depth[j]], y=[ypos[i], ypos[j]], mode="lines", hoverinfo="skip",
                                 line=dict(color=CURRENT if active else (DONE if j in done else WAITING),
                                           width=4 if active else 1.5)))
        if active:
            # Short edges leave little room: the local factor goes on the edge, the product
            # arrives as the parent's gradient (and both are spelled out under the figure).
            fig.add_annotation(x=(depth[i] + depth[j]) / 2, y=(ypos[i] + ypos[j]) / 2, showarrow=False,
                               text=f"×{local[k]:.3g}", bgcolor="white", borderpad=1,
                               font=dict(size=12, color=CURRENT))
    for v in range(n):
        # Annotations size themselves to their text, so long labels stay inside their box.
        color = CURRENT if v == current else (DONE if v in done else WAITING)
        grad = f"grad {grads[v]:.3g}" if v in done else "grad ?"
        fig.add_annotation(x=depth[v], y=ypos[v], showarrow=False,
                           text=f"<b>{labels[v]}</b><br>value {values[v]:.3g}<br>{grad}",
                           bgcolor="white", bordercolor=color, borderwidth=3 if v == current else 2, borderpad=3,
                           font=dict(size=11, color="#1F2933"))
    fig.update_xaxes(visible=False, range=[depth.min() - 0.5, depth.max() + 0.5])
    fig.update_yaxes(visible=False, range=[-1.2, 1.2])
    fig.update_layout(margin=dict(l=10, r=10, t=10, b=10))
    return fig


def decision_regions(xs: np.ndarray, ys: np.ndarray, proba: np.ndarray, X: np.ndarray, y: np.ndarray,
                     X_test: np.ndarray | None = None, y_test: np.ndarray | None = None, *,
                     title: str | None = None, height: int = 460) -> go.Figure:
    """Each grid cell tinted by its predicted class, stronger where the network is surer.

    Parameters
    ----------
    xs, ys : ndarray of shape (G,)
    proba : ndarray of shape (G*G, C), row-major over (ys, xs)
    X, y : training points; X_test, y_test : test points (hollow markers)
    """
    g, c = len(xs), proba.shape[1]
    winner = proba.argmax(axis=1).reshape(g, g)
    confidence = proba.max(axis=1).reshape(g, g)
    fig = figure(title, height=height)
    for k in range(c):
        color = PALETTE[k % len(PALETTE)]
        r, gg, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
        # Confidence runs from 1/C (a coin toss) to 1: pale to full tint.
        z = np.where(winner == k, (confidence - 1 / c) / (1 - 1 / c), np.nan).astype(np.float32)
        fig.add_trace(go.Heatmap(x=xs.astype(np.float32), y=ys.astype(np.float32), z=z, zmin=0, zmax=1,
                                 colorscale=[[0, f"rgba({r},{gg},{b},0.08)"], [1, f"rgba({r},{gg},{b},0.55)"]],
                                 showscale=False, hoverinfo="skip"))
    for k in range(c):
        color = PALETTE[k % len(PALETTE)]
        m = y == k
        fig.add_trace(go.Scatter(x=X[m, 0], y=X[m, 1], mode="markers", name=f"class {k}",
                                 marker=dict(color=color, size=7, line=dict(color="white", width=1))))
        if X_test is not None:
            mt = y_test == k
            fig.add_trace(go.Scatter(x=X_test[mt, 0], y=X_test[mt, 1], mode="markers", name=f"class {k} (test)",
                                     marker=dict(color="white", size=7, line=dict(color=color, width=2))))
    fig.update_xaxes(range=[xs[0], xs[-1]], title="x1 (standardised)")
    fig.update_yaxes(range=[ys[0], ys[-1]], title="x2 (standardised)", scaleanchor="x")
    fig.update_layout(legend=dict(orientation="h", y=-0.15))
    return fig


def training_curves(loss: np.ndarray, accuracy: np.ndarray, test_loss: np.ndarray, test_accuracy: np.ndarray,
                    *, diverged_at: int = -1, height: int = 460) -> go.Figure:
    """Loss (log scale) and accuracy per epoch, train solid and test dashed."""
    epochs = np.arange(1, len(loss) + 1)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=("cross-entropy loss", "accuracy"))
    fig.update_layout(figure(height=height).layout)
    for row, (train, test) in enumerate(((loss, test_loss), (accuracy, test_accuracy)), start=1):
        fig.add_trace(go.Scatter(x=epochs, y=train, name="train", line=dict(color=PALETTE[0]), showlegend=row == 1),
                      row=row, col=1)
        fig.add_trace(go.Scatter(x=epochs, y=test, name="test", line=dict(color=PALETTE[1], dash="dash"),
                                 showlegend=row == 1), row=row, col=1)
    fig.update_yaxes(type="log", dtick=1, exponentformat="power", row=1, col=1)
    fig.update_yaxes(range=[0, 1.02], row=2, col=1)
    fig.update_xaxes(title="epoch", row=2, col=1)
    if diverged_at >= 0:
        fig.add_vline(x=diverged_at + 1, line=dict(color=PALETTE[3], dash="dot"))
        fig.add_annotation(x=diverged_at + 1, y=1, yref="paper", text="loss became NaN: stopped", showarrow=False,
                           font=dict(color=PALETTE[3]), xanchor="right")
    fig.update_layout(legend=dict(orientation="h", y=1.12, x=1, xanchor="right"))
    return fig


def gradient_norms(norms: np.ndarray, *, height: int = 320) -> go.Figure:
    """Per-layer gradient norm per epoch (log scale): vanishing or exploding shows as a gap between lines."""
    fig = figure("gradient norm per layer", height=height)
    epochs = np.arange(1, norms.shape[0] + 1)
    for k in range(norms.shape[1]):
        name = f"layer {k + 1}" + (" (output)" if k == norms.shape[1] - 1 else "")
        fig.add_trace(go.Scatter(x=epochs, y=norms[:, k], name=name, line=dict(color=PALETTE[k % len(PALETTE)])))
    fig.update_yaxes(type="log", dtick=1, exponentformat="power", title="‖∂L/∂W‖")
    fig.update_xaxes(title="epoch")
    return fig


def neuron_maps(xs: np.ndarray, ys: np.ndarray, outputs: np.ndarray, *, cols: int = 4,
                height_per_row: int = 115) -> go.Figure:
    """What each first-layer neuron computes over the input plane, one small heat map each.

    Parameters
    ----------
    outputs : ndarray of shape (G*G, width), row-major over (ys, xs)
    """
    g, width = len(xs), outputs.shape[1]
    rows = -(-width // cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[f"neuron {k + 1}" for k in range(width)],
                        horizontal_spacing=0.03, vertical_spacing=0.3 / max(rows, 1))
    fig.update_layout(figure(height=height_per_row * rows + 40).layout)
    bound = float(np.max(np.abs(outputs))) or 1.0
    for k in range(width):
        fig.add_trace(go.Heatmap(x=xs.astype(np.float32), y=ys.astype(np.float32),
                                 z=outputs[:, k].reshape(g, g).astype(np.float32), coloraxis="coloraxis",
                                 hovertemplate="x1=%{x:.2f}<br>x2=%{y:.2f}<br>out=%{z:.3f}<extra></extra>"),
                      row=k // cols + 1, col=k % cols + 1)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(coloraxis=dict(colorscale=DIVERGING, cmin=-bound, cmax=bound, colorbar=dict(title="output")),
                      margin=dict(l=10, r=10, t=30, b=10))
    return fig


def gradient_check_bars(names: Sequence[str], errors: np.ndarray, *, threshold: float = 1e-6,
                        height: int = 300) -> go.Figure:
    """Relative error per parameter tensor on a log scale, with the pass threshold."""
    errors = np.maximum(np.asarray(errors, float), 1e-16)
    colors = [PALETTE[2] if e < threshold else PALETTE[3] for e in errors]
    fig = figure("relative error: backprop vs central differences", height=height)
    fig.add_trace(go.Bar(x=list(names), y=errors, marker_color=colors,
                         text=[f"{e:.1e}" for e in errors], textposition="outside"))
    fig.add_hline(y=threshold, line=dict(color=PALETTE[7], dash="dash"),
                  annotation_text=f"pass below {threshold:g}", annotation_position="top left")
    fig.update_yaxes(type="log", range=[-16, 1], dtick=3, exponentformat="power", title="relative error")
    return fig
