"""The playground's figures: the network with every neuron's map, the output plane, the losses.

Every chart is redrawn several times a second while training plays, so each
is built from few traces: all neuron maps are tiles of one heat map, and the
links are grouped into a few traces by width and sign.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from charts import raster
from charts.backprop import decision_regions
from charts.theme import DIVERGING, PALETTE, figure

#: colours of negative and positive weights (as the heat maps: blue below 0, red above)
NEGATIVE, POSITIVE = "#2166AC", "#B2182B"
#: link widths by weight size, smallest to largest bin
LINK_WIDTHS = (0.6, 1.6, 3.0, 5.0)
#: the cells between two columns of maps, and between two maps of a column
COLUMN_GAP, ROW_GAP = 14, 4


def map_layout(counts: Sequence[int], g: int) -> tuple[list[list[tuple[int, int]]], int, int]:
    """The bottom-left cell of every map, column by column, each column centred vertically."""
    rows = max(counts)
    height = rows * (g + ROW_GAP) - ROW_GAP
    width = len(counts) * (g + COLUMN_GAP) - COLUMN_GAP
    spots = []
    for c, n in enumerate(counts):
        top = (height + n * (g + ROW_GAP) - ROW_GAP) // 2  # the column's upper edge, centred
        spots.append([(c * (g + COLUMN_GAP), top - (j + 1) * g - j * ROW_GAP) for j in range(n)])
    return spots, height, width


def mosaic_of(maps: Sequence[np.ndarray], spots, height: int, width: int, g: int) -> np.ndarray:
    """One array holding every map (blank between them), shape (height, width).

    The inputs are scaled to [-1, 1] by their largest size (they are what they
    are); the neurons keep their values, coloured from -1 to 1 and saturated
    beyond, as TensorFlow Playground does, so hovering reads the true output.
    """
    z = np.full((height, width), np.nan, np.float32)
    for layer, (m, column) in enumerate(zip(maps, spots)):
        bound = float(np.max(np.abs(m))) if layer == 0 and m.size else 1.0
        bound = bound if np.isfinite(bound) and bound > 0 else 1.0
        for j, (x0, y0) in enumerate(column):
            z[y0 : y0 + g, x0 : x0 + g] = m[:, j].reshape(g, g) / bound
    return z


def _links(mats: Sequence[np.ndarray], spots, g: int) -> list[go.Scatter]:
    """The weights as lines from each map's right edge to the next column's left edges."""
    biggest = max((float(np.max(np.abs(W))) for W in mats if W.size), default=1.0) or 1.0
    groups: dict[tuple[int, bool], tuple[list, list]] = {}
    mid_x, mid_y, mid_text = [], [], []
    for k, W in enumerate(mats):
        for i, (xa, ya) in enumerate(spots[k]):
            for j, (xb, yb) in enumerate(spots[k + 1]):
                w = float(W[i, j])
                size = min(int(abs(w) / biggest * len(LINK_WIDTHS)), len(LINK_WIDTHS) - 1)
                xs, ys = groups.setdefault((size, w >= 0), ([], []))
                a, b = (xa + g - 0.5, ya + g / 2 - 0.5), (xb - 0.5, yb + g / 2 - 0.5)
                xs += [a[0], b[0], None]
                ys += [a[1], b[1], None]
                mid_x.append(0.7 * a[0] + 0.3 * b[0])
                mid_y.append(0.7 * a[1] + 0.3 * b[1])
                mid_text.append(f"w = {w:.3g} (layer {k + 1}, {i + 1} → {j + 1})")
    traces = [
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line=dict(width=LINK_WIDTHS[size], color=POSITIVE if positive else NEGATIVE),
            opacity=0.55,
            hoverinfo="skip",
            showlegend=False,
        )
        for (size, positive), (xs, ys) in sorted(groups.items())
    ]
    traces.append(
        go.Scatter(
            x=mid_x,
            y=mid_y,
            mode="markers",
            marker=dict(size=7, color="rgba(0,0,0,0)"),
            text=mid_text,
            hoverinfo="text",
            showlegend=False,
        )
    )
    return traces


def network_maps(
    maps: Sequence[np.ndarray],
    names: Sequence[Sequence[str]],
    links: Sequence[np.ndarray],
    g: int,
    *,
    titles: Sequence[str] = (),
    height: int = 420,
) -> go.Figure:
    """The network as TensorFlow Playground draws it: a small map per neuron, weights as links.

    Parameters
    ----------
    maps : sequence of ndarray of shape (g*g, units)
        One per column (the inputs, each hidden layer, the output), row-major over the grid.
    names : sequence of sequence of str
        A name per unit, written beside the inputs (the features).
    links : sequence of ndarray
        One matrix per column of links, shape (maps in column k, maps in column k+1).
    g : int
        Cells per side of a map.
    titles : sequence of str
        A title above each column.
    """
    spots, h, w = map_layout([m.shape[1] for m in maps], g)
    z = mosaic_of(maps, spots, h, w, g)
    fig = figure(height=height, margin=dict(l=6, r=6, t=28, b=6))
    fig.add_trace(
        go.Heatmap(
            z=z,
            hovertemplate="%{z:.3f}<extra></extra>",
            colorscale=DIVERGING,
            zmin=-1,
            zmax=1,
            hoverongaps=False,
            showscale=False,
        )
    )
    for trace in _links(links, spots, g):
        fig.add_trace(trace)
    notes = [
        dict(x=x0 + g / 2, y=h + 1, text=t, showarrow=False, yanchor="bottom", font=dict(size=11))
        for (x0, _), t in zip((column[0] for column in spots), titles)
    ]
    notes += [
        dict(
            x=x0 - 1, y=y0 + g / 2, text=name, showarrow=False, xanchor="right", font=dict(size=11)
        )
        for (x0, y0), name in zip(spots[0], names[0])
    ]
    fig.update_layout(annotations=notes)
    hidden = dict(visible=False, showgrid=False, zeroline=False)
    fig.update_xaxes(range=[-g, w], **hidden)
    fig.update_yaxes(range=[-1, h + 6], scaleanchor="x", **hidden)
    return fig


def output_plane(
    xs: np.ndarray,
    ys: np.ndarray,
    output: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    X_test: np.ndarray,
    y_test: np.ndarray,
    *,
    regression: bool,
    height: int = 420,
) -> go.Figure:
    """Classes as tinted regions (see ``decision_regions``), or the regression surface.

    Parameters
    ----------
    output : ndarray of shape (G*G, C) or (G*G,)
        Class probabilities, or predictions; row-major over (ys, xs).
    """
    if not regression:
        fig = decision_regions(xs, ys, output, X, y, X_test, y_test, height=height)
        fig.update_xaxes(title="x1")
        fig.update_yaxes(title="x2")
        return fig
    g = len(xs)
    everything = np.concatenate([output, y, y_test])
    bound = float(np.max(np.abs(everything[np.isfinite(everything)]), initial=1e-9))
    fig = figure(height=height, legend=dict(orientation="h", y=-0.15))
    fig.add_trace(
        go.Heatmap(
            x=xs.astype(np.float32),
            y=ys.astype(np.float32),
            z=output.reshape(g, g),
            zmin=-bound,
            zmax=bound,
            colorscale=DIVERGING,
            colorbar=dict(title="prediction", thickness=12),
            hovertemplate="x1 %{x:.2f}, x2 %{y:.2f}: %{z:.3f}<extra></extra>",
        )
    )
    for name, P, t, line in (("train", X, y, "white"), ("test", X_test, y_test, "black")):
        fig.add_trace(
            go.Scatter(
                x=P[:, 0],
                y=P[:, 1],
                mode="markers",
                name=name,
                marker=dict(
                    color=t,
                    colorscale=DIVERGING,
                    cmin=-bound,
                    cmax=bound,
                    size=7,
                    line=dict(color=line, width=1),
                ),
                hovertemplate="target %{marker.color:.3f}<extra></extra>",
            )
        )
    fig.update_xaxes(range=[xs[0], xs[-1]], title="x1")
    fig.update_yaxes(range=[ys[0], ys[-1]], title="x2", scaleanchor="x")
    return fig


def curve_fit(
    line_x: np.ndarray,
    line_pred: np.ndarray,
    X: np.ndarray,
    t: np.ndarray,
    X_test: np.ndarray,
    t_test: np.ndarray,
    *,
    height: int = 420,
) -> go.Figure:
    """A 1-D fit: the points ``(x1, target)`` and the network's curve."""
    fig = figure(height=height, legend=dict(orientation="h", y=-0.15))
    for name, P, v, color in (("train", X, t, PALETTE[0]), ("test", X_test, t_test, PALETTE[1])):
        fig.add_trace(
            go.Scatter(x=P[:, 0], y=v, mode="markers", name=name, marker=dict(color=color, size=6))
        )
    fig.add_trace(
        go.Scatter(x=line_x, y=line_pred, mode="lines", name="network", line=dict(color=PALETTE[3]))
    )
    fig.update_xaxes(title="x1")
    fig.update_yaxes(title="target")
    return fig


def with_click_grid(fig: go.Figure, xs: np.ndarray, ys: np.ndarray, every: int = 1) -> go.Figure:
    """Invisible points on the grid, so a click on empty space selects a place (in place)."""
    gx, gy = np.meshgrid(xs[::every], ys[::every])
    fig.add_trace(
        go.Scatter(
            x=gx.ravel().astype(np.float32),
            y=gy.ravel().astype(np.float32),
            mode="markers",
            marker=dict(size=9, color="rgba(0,0,0,0)"),
            name="click to add",
            hoverinfo="none",  # "skip" would also drop the clicks
            showlegend=False,
        )
    )
    fig.update_layout(clickmode="event+select", dragmode=False)
    return fig


def play_loss_curves(train: np.ndarray, test: np.ndarray, *, height: int = 260) -> go.Figure:
    """Train and test loss per epoch (log scale), as TensorFlow Playground's corner chart."""
    epochs = np.arange(1, len(train) + 1)
    fig = figure(
        height=height,
        legend=dict(orientation="h", y=1.12, x=1, xanchor="right"),
        margin=dict(t=30, b=40),
    )
    for name, values, color, dash in (
        ("train", train, PALETTE[0], "solid"),
        ("test", test, PALETTE[1], "dash"),
    ):
        fig.add_trace(
            go.Scatter(
                x=epochs, y=values, name=name, mode="lines", line=dict(color=color, dash=dash)
            )
        )
    fig.update_xaxes(title="epoch", range=[0, max(len(train), 10)])
    if np.any(np.isfinite(train) & (train > 0)):
        fig.update_yaxes(title="loss", type="log", exponentformat="power")
    else:
        fig.update_yaxes(title="loss", range=[0, 1])
    return fig


def network_picture(
    maps: Sequence[np.ndarray],
    links: Sequence[np.ndarray],
    g: int,
    *,
    scale: int | None = None,
    height: int = 420,
) -> bytes:
    """:func:`network_maps` as a PNG (no hover, no titles), for redraws while training plays.

    ``scale`` pixels per cell; by default the largest (3 to 5) that keeps the
    picture within ``height`` pixels, about the size of the paused chart.
    """
    spots, h, w = map_layout([m.shape[1] for m in maps], g)
    scale = scale or int(np.clip(height // h, 3, 5))
    return raster.network_png(mosaic_of(maps, spots, h, w, g), spots, links, g, scale=scale)


def plane_picture(
    xs: np.ndarray,
    ys: np.ndarray,
    output: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    X_test: np.ndarray,
    y_test: np.ndarray,
    *,
    regression: bool,
    scale: int = 8,
) -> bytes:
    """:func:`output_plane` as a PNG: the regions (or the surface) and the points."""
    g = len(xs)
    white, ink = raster.BACKGROUND, np.array([31, 41, 51])
    if regression:
        values = np.concatenate([output, y, y_test])
        bound = float(np.max(np.abs(values[np.isfinite(values)]), initial=1e-9))
        background = raster.diverging(output.reshape(g, g) / bound)
        colors = [raster.diverging(np.asarray(t, float) / bound) for t in (y, y_test)]
    else:
        background = raster.regions(output, g)
        colors = [raster.class_colors(y), raster.class_colors(y_test)]
    points = [(X, colors[0], white, False), (X_test, colors[1], ink, True)]
    return raster.plane_png(background, points, xs, ys, scale=scale)


def loss_picture(train: np.ndarray, test: np.ndarray) -> bytes:
    """The train (blue) and test (orange, drawn first) loss curves as a PNG sparkline."""
    return raster.curves_png([test, train], [PALETTE[1], PALETTE[0]])
