"""Figures of the Recurrent networks lab: the unrolled graph, gradients through time, training."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from charts.optim import curve_trace, f32, log_axis
from charts.theme import INK, PALETTE, figure

ROWS = {"x": 0.0, "h": 1.0, "y": 2.0}
#: A legend in one row above the plot's top right corner, clear of the data and the title.
TOP_LEGEND = dict(orientation="h", x=1.0, xanchor="right", y=1.0, yanchor="bottom")


def _log_axis(values) -> dict:
    """A log axis labelled by decades once the data span one (Plotly's default labels every
    digit of a narrow log axis, which crowds a small chart)."""
    axis = log_axis(values)
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    if v.size and v.max() / v.min() >= 10:
        axis.update(dtick=1, exponentformat="power")
    return axis


def _edges(T: int, step: int) -> tuple[list, list, list, list]:
    """Line coordinates of the unrolled graph's edges, the chosen step's apart."""
    xs, ys, hx, hy = [], [], [], []
    for t in range(1, T + 1):
        pairs = [((t, 0.0), (t, 1.0)), ((t - 1, 1.0), (t, 1.0)), ((t, 1.0), (t, 2.0))]
        for (x0, y0), (x1, y1) in pairs:
            bx, by = (hx, hy) if t == step else (xs, ys)
            bx += [x0, x1, None]
            by += [y0, y1, None]
    return xs, ys, hx, hy


def _state_trace(h: np.ndarray, dh: np.ndarray) -> go.Scatter:
    """The hidden states h_0..h_T as circles coloured by ``||dL/dh_t||``, numbers on hover."""
    T = len(h) - 1
    grad = np.linalg.norm(dh, axis=1)
    hover = [
        f"h_{t} = {np.array2string(h[t], precision=3)}<br>"
        f"dL/dh_{t} = {np.array2string(dh[t], precision=3)}"
        for t in range(T + 1)
    ]
    return go.Scatter(
        x=np.arange(T + 1),
        y=np.ones(T + 1),
        mode="markers+text",
        text=[f"h{t}" for t in range(T + 1)],
        textposition="middle center",
        textfont=dict(color=INK, size=11),
        marker=dict(
            size=34,
            color=f32(grad),
            colorscale=[[0, "#FFF5EB"], [1, PALETTE[3]]],
            cmin=0,
            cmax=float(max(grad.max(), 1e-12)),
            line=dict(color=INK, width=1),
            colorbar=dict(title="‖∂L/∂hₜ‖", thickness=12),
        ),
        hovertext=hover,
        hoverinfo="text",
    )


def unrolled_graph(
    inputs: Sequence[str],
    targets: Sequence[str],
    h: np.ndarray,
    dh: np.ndarray,
    step: int,
    *,
    height: int = 340,
) -> go.Figure:
    """The RNN unrolled over T steps: inputs below, states in the middle, outputs above.

    Parameters
    ----------
    inputs, targets : sequence of str, length T
    h, dh : ndarray of shape (T + 1, H)
        States and their gradients; a state's colour is ``||dL/dh_t||`` (BPTT's
        signal), its hover the numbers.
    step : int
        The step (1..T) drawn in bold.
    """
    T = len(inputs)
    xs, ys, hx, hy = _edges(T, step)
    fig = figure(height=height, showlegend=False)
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#9AA5B1", width=1.5)))
    fig.add_trace(go.Scatter(x=hx, y=hy, mode="lines", line=dict(color=PALETTE[3], width=4)))
    fig.add_trace(_state_trace(h, dh))
    for row, labels, color in (("x", inputs, PALETTE[0]), ("y", targets, PALETTE[2])):
        fig.add_trace(
            go.Scatter(
                x=np.arange(1, T + 1),
                y=np.full(T, ROWS[row]),
                mode="markers+text",
                text=list(labels),
                textposition="bottom center" if row == "x" else "top center",
                marker=dict(size=18, color=color, symbol="square"),
                hovertext=[f"{row}_{t} : {v}" for t, v in enumerate(labels, 1)],
                hoverinfo="text",
            )
        )
    notes = [
        dict(x=0.5, y=1.0, text="W<sub>hh</sub>", showarrow=False, yshift=12),
        dict(x=1, y=0.5, text="W<sub>xh</sub>", showarrow=False, xshift=22),
        dict(x=1, y=1.5, text="W<sub>hy</sub>", showarrow=False, xshift=22),
    ]
    fig.update_layout(annotations=notes, margin=dict(l=60, r=20, t=20, b=30))
    fig.update_xaxes(range=[-0.6, T + 0.6], showgrid=False, zeroline=False, title="time step t")
    fig.update_yaxes(
        range=[-0.7, 2.7],
        tickvals=[0, 1, 2],
        ticktext=["input x", "state h", "target"],
        showgrid=False,
        zeroline=False,
    )
    return fig


def _positive(a) -> np.ndarray:
    a = np.asarray(a, float)
    return f32(np.where(np.isfinite(a) & (a > 0), a, np.nan))


def gradient_decay(
    distance: np.ndarray,
    ratio: np.ndarray,
    reference: np.ndarray,
    *,
    lstm: np.ndarray | None = None,
    height: int = 340,
) -> go.Figure:
    """``||dL/dh_{T-k}|| / ||dL/dh_T||`` against k on a log axis, beside ``rho^k``.

    ``lstm``, of shape (T + 1,), adds the same ratio through an LSTM cell.
    """
    fig = figure("gradient k steps back", height=height)
    fig.add_trace(
        go.Scatter(
            x=distance,
            y=_positive(ratio),
            mode="lines+markers",
            name="measured",
            marker=dict(size=4),
            line=dict(color=PALETTE[0], width=2.5),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=distance,
            y=_positive(reference),
            mode="lines",
            name="ρ^k",
            line=dict(color=PALETTE[3], dash="dash", width=2),
        )
    )
    if lstm is not None:
        fig.add_trace(
            go.Scatter(
                x=distance,
                y=_positive(lstm),
                mode="lines",
                name="LSTM",
                line=dict(color=PALETTE[2], width=2.5),
            )
        )
    both = np.concatenate(
        [_positive(ratio), _positive(reference), _positive(lstm if lstm is not None else [])]
    )
    fig.update_layout(
        xaxis_title="steps back k",
        yaxis=dict(title="relative norm", **_log_axis(both)),
        legend=TOP_LEGEND,
    )
    return fig


def weight_gradient_parts(
    distance: np.ndarray, contribution: np.ndarray, scale: float, *, height: int = 340
) -> go.Figure:
    """What each step back adds to ``dL/dW_hh``, before and after clipping the total."""
    k = np.asarray(distance)[: len(contribution)]
    fig = figure("parts of ∂L/∂W_hh", height=height)
    fig.add_trace(
        go.Bar(x=k, y=_positive(contribution), name="as computed", marker_color=PALETTE[0])
    )
    if scale < 1:
        fig.add_trace(
            go.Bar(
                x=k,
                y=_positive(contribution * scale),
                name="after clipping",
                marker_color=PALETTE[1],
            )
        )
    both = np.concatenate([_positive(contribution), _positive(contribution * scale)])
    fig.update_layout(
        barmode="group",
        xaxis_title="steps back k",
        yaxis=dict(title="norm of step k's term", **_log_axis(both)),
        legend=TOP_LEGEND,
    )
    return fig


def rnn_training_curves(
    loss: np.ndarray, grad_norm: np.ndarray, clip: float | None, *, height: int = 340
) -> go.Figure:
    """The training loss per step (log) and the gradient norm before clipping."""
    fig = figure(height=height)
    fig.set_subplots(1, 2, subplot_titles=("training loss", "gradient norm (before clipping)"))
    fig.add_trace(curve_trace(loss, name="loss", color=PALETTE[0], log=True), row=1, col=1)
    fig.add_trace(curve_trace(grad_norm, name="‖g‖", color=PALETTE[3], log=True), row=1, col=2)
    if clip is not None:
        fig.add_hline(y=clip, line=dict(color=INK, dash="dash"), row=1, col=2)
    fig.update_layout(showlegend=False, margin=dict(t=40))
    fig.update_xaxes(title="step")
    fig.update_yaxes(**_log_axis(loss), row=1, col=1)
    fig.update_yaxes(**_log_axis(grad_norm), row=1, col=2)
    return fig


def sequence_prediction(
    targets: np.ndarray, outputs: np.ndarray, *, height: int = 300
) -> go.Figure:
    """A held-out sine wave: the next value and the network's prediction of it, per step."""
    t = np.arange(1, len(targets) + 1)
    fig = figure("held-out sequence: next value and prediction", height=height)
    fig.add_trace(
        go.Scatter(x=t, y=f32(targets), name="target", line=dict(color=INK, width=2, dash="dot"))
    )
    fig.add_trace(
        go.Scatter(
            x=t,
            y=f32(outputs),
            name="prediction",
            mode="lines+markers",
            line=dict(color=PALETTE[1]),
        )
    )
    fig.update_layout(xaxis_title="step t", yaxis_title="value", legend=TOP_LEGEND)
    return fig


def class_confidence(
    targets: Sequence[str], confidence: np.ndarray, correct: np.ndarray, *, height: int = 300
) -> go.Figure:
    """The probability the network gives the right answer at each step (green when it wins)."""
    t = np.arange(1, len(targets) + 1)
    fig = figure("held-out sequence: probability of the right answer", height=height)
    fig.add_trace(
        go.Bar(
            x=t,
            y=f32(confidence),
            marker_color=[PALETTE[2] if c else PALETTE[3] for c in correct],
            text=list(targets),
            textposition="outside",
            hovertemplate="step %{x}: target %{text}, p = %{y:.3f}<extra></extra>",
        )
    )
    fig.update_layout(xaxis_title="step t", yaxis=dict(title="p(target)", range=[0, 1.15]))
    return fig
