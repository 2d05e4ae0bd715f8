"""Figures of the Convolutional networks lab: feature-map mosaics, softmax bars, a unit's sum,
the confusion matrix, digit grids and filters.

Many small maps are drawn as ONE picture (a mosaic, sent as a small PNG), not
as one subplot each: 48 maps cost one image in the browser, not 48 axes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.utils import image_array_to_data_uri

from charts.conv import CELL_AXES, IMAGE_AXES, colorize, picture
from charts.theme import DIVERGING, PALETTE, figure

CELL = 16  # pixels per map in the mosaic (small maps are enlarged to it)
#: the (rows, channels, side, side) a clickable mosaic's unit codes can name
UNIT_CODES = (8, 64, CELL, CELL)
GAP = 2


def _enlarge(m: np.ndarray, side: int) -> np.ndarray:
    f = max(side // max(m.shape), 1)
    return np.kron(m, np.ones((f, f), dtype=m.dtype))


def mosaic_layout(counts: Sequence[int], columns: int) -> tuple[int, int]:
    """Height and width in pixels of a mosaic with one row per layer of ``counts`` maps."""
    return len(counts) * (CELL + GAP) - GAP, columns * (CELL + GAP) - GAP


def feature_mosaic(
    rows: Sequence, *, unit: tuple[str, int, int, int] | None = None, height: int = 300
) -> go.Figure:
    """Every map of every layer, one row per layer, each map on its own colour scale.

    Parameters
    ----------
    rows : sequence of (name, maps) with maps (C, h, w), non-negative
    unit : (layer name, channel, row, col), optional
        Outlined in the mosaic.
    """
    columns = max(r.maps.shape[0] for r in rows)
    h, w = mosaic_layout([r.maps.shape[0] for r in rows], columns)
    # every map scaled to [0, 1] by its own range, tiled, then coloured in one pass
    canvas = np.zeros((h, w), dtype=np.float32)
    inside = np.zeros((h, w), dtype=bool)
    shapes, notes = [], []
    for i, r in enumerate(rows):
        top = i * (CELL + GAP)
        notes.append(dict(x=-1, y=top + CELL / 2, text=r.name, showarrow=False, xanchor="right"))
        m = np.asarray(r.maps, dtype=np.float32)
        lo = m.min(axis=(1, 2), keepdims=True)
        span = m.max(axis=(1, 2), keepdims=True) - lo
        scaled = (m - lo) / np.where(span > 0, span, 1)
        f = CELL // m.shape[1]
        big = np.repeat(np.repeat(scaled, f, axis=1), f, axis=2)
        for c in range(m.shape[0]):
            left = c * (CELL + GAP)
            canvas[top : top + CELL, left : left + CELL] = big[c]
            inside[top : top + CELL, left : left + CELL] = True
        if unit is not None and unit[0] == r.name:
            left = unit[1] * (CELL + GAP)
            y0, x0 = top + unit[2] * f, left + unit[3] * f
            shapes.append(_rect(y0 - 0.5, y0 + f - 0.5, x0 - 0.5, x0 + f - 0.5, PALETTE[1]))
            shapes.append(_rect(top - 1, top + CELL, left - 1, left + CELL, PALETTE[3]))
    rgb = colorize(canvas, signed=False)
    rgb[~inside] = 255
    fig = figure(
        height=height, margin=dict(l=60, r=5, t=10, b=5), shapes=shapes, annotations=notes,
        **IMAGE_AXES,
    )  # fmt: skip
    uri = image_array_to_data_uri(rgb, ext="png")
    fig.add_trace(go.Image(source=uri, hovertemplate="x %{x}, y %{y}<extra></extra>"))
    return fig


def unit_points(rows: Sequence) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The centre of every unit of every map in :func:`feature_mosaic`'s pixels.

    Parameters
    ----------
    rows : sequence of (name, maps) with maps (C, h, w), as for :func:`feature_mosaic`

    Returns
    -------
    x, y : ndarray of shape (n,)
    ids : ndarray of shape (n, 4), int
        (row of ``rows``, channel, row, column) of each unit.

    Examples
    --------
    >>> from types import SimpleNamespace as Row
    >>> x, y, ids = unit_points([Row(name="a", maps=np.zeros((2, 2, 2)))])
    >>> x[:3], y[:3], ids[2]
    (array([ 3.5, 11.5,  3.5]), array([ 3.5,  3.5, 11.5]), array([0, 0, 1, 0]))
    """
    xs, ys, ids = [], [], []
    for i, r in enumerate(rows):
        channels, side = r.maps.shape[0], r.maps.shape[1]
        f = CELL // side
        c, row, col = np.meshgrid(
            np.arange(channels), np.arange(side), np.arange(side), indexing="ij"
        )
        xs.append(c.ravel() * (CELL + GAP) + col.ravel() * f + (f - 1) / 2)
        ys.append(i * (CELL + GAP) + row.ravel() * f + (f - 1) / 2)
        ids.append(np.stack([np.full(c.size, i), c.ravel(), row.ravel(), col.ravel()], axis=1))
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(ids)


def unit_of_code(code: object) -> tuple[int, int, int, int]:
    """(row of the mosaic, channel, row, column) of a clicked point's code.

    Raises
    ------
    ValueError
        Not an integer code of :data:`UNIT_CODES` (a selection comes from the browser).

    Examples
    --------
    >>> unit_of_code(int(np.ravel_multi_index((3, 5, 1, 2), UNIT_CODES)))
    (3, 5, 1, 2)
    """
    if isinstance(code, bool) or not isinstance(code, (int, np.integer)):
        raise ValueError(f"a unit code is an integer, got {code!r}")
    if not 0 <= code < int(np.prod(UNIT_CODES)):
        raise ValueError(f"unit code {code} is out of range")
    return tuple(int(v) for v in np.unravel_index(int(code), UNIT_CODES))


def with_unit_clicks(fig: go.Figure, rows: Sequence) -> go.Figure:
    """Invisible points on every unit of the mosaic, so a click picks that unit (in place).

    A WebGL trace: the 3,840 points of the digits network would be as many SVG nodes.
    """
    x, y, ids = unit_points(rows)
    fig.add_trace(
        go.Scattergl(
            x=x.astype(np.float32),
            y=y.astype(np.float32),
            # one number a unit: a point's customdata from a 2-D typed array reaches the
            # selection as the array's first row, whichever point was clicked
            customdata=np.ravel_multi_index(tuple(ids.T), UNIT_CODES).astype(np.int32),
            mode="markers",
            marker=dict(size=6, color="rgba(0,0,0,0)"),
            hoverinfo="none",  # "skip" would also drop the clicks
            showlegend=False,
        )
    )
    fig.update_layout(clickmode="event+select", dragmode=False)
    return fig


def _rect(y0: float, y1: float, x0: float, x1: float, color: str) -> dict:
    return dict(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, line=dict(color=color, width=2))


def digit_with_field(image: np.ndarray, field, title: str, *, height: int = 300) -> go.Figure:
    """The network's input with the chosen unit's receptive field outlined (clipped to the image)."""
    n = image.shape[0]
    box = (max(field.top, 0), min(field.bottom, n - 1), max(field.left, 0), min(field.right, n - 1))
    return picture(np.clip(image, 0, 1), title, boxes=[(box, PALETTE[1], "")], height=height)


def class_probabilities(
    probs: np.ndarray, logits: np.ndarray, predicted: int, temperature: float, *, height: int = 300
) -> go.Figure:
    """Class probabilities as bars (the winner highlighted), each logit printed on its bar."""
    colors = [PALETTE[1] if k == predicted else PALETTE[0] for k in range(len(probs))]
    fig = figure(
        f"softmax(z / {temperature:g})",
        height=height,
        xaxis=dict(title="class", dtick=1),
        yaxis=dict(title="probability", range=[0, 1.18]),
        showlegend=False,
    )
    fig.add_trace(
        go.Bar(
            x=np.arange(len(probs)),
            y=probs,
            marker_color=colors,
            text=[f"z={z:.1f}" for z in logits],
            textposition="outside",
            hovertemplate="class %{x}: p = %{y:.3f}<extra></extra>",
        )
    )
    return fig


def _blocks(arrays: np.ndarray, per_row: int) -> np.ndarray:
    """(C, k, k) blocks tiled ``per_row`` to a row, NaN between them."""
    c, k, _ = arrays.shape
    rows = -(-c // per_row)
    out = np.full((rows * (k + 1) - 1, min(c, per_row) * (k + 1) - 1), np.nan)
    for i, a in enumerate(arrays):
        r, q = divmod(i, per_row)
        out[r * (k + 1) : r * (k + 1) + k, q * (k + 1) : q * (k + 1) + k] = a
    return out


def unit_products(products: np.ndarray, title: str, *, height: int = 300) -> go.Figure:
    """``kernel * patch`` for every input channel (3 x 3 blocks), values printed."""
    v = _blocks(np.asarray(products, float), 4)
    bound = float(np.nanmax(np.abs(v))) or 1.0
    fig = figure(title, height=height, margin=dict(l=10, r=10, t=40, b=10), **CELL_AXES)
    fig.update_layout(xaxis=dict(showticklabels=False), yaxis=dict(showticklabels=False))
    text = [["" if np.isnan(a) else f"{a:.2f}" for a in row] for row in v]
    fig.add_trace(
        go.Heatmap(
            z=v, text=text, texttemplate="%{text}", colorscale=DIVERGING, zmin=-bound,
            zmax=bound, showscale=False, hoverinfo="skip",
        )
    )  # fmt: skip
    return fig


def confusion(matrix: np.ndarray, *, normalised: bool, height: int = 420) -> go.Figure:
    """True class down, predicted class across, counts (or row shares) printed."""
    fmt = "{:.2f}" if normalised else "{:.0f}"
    text = [["" if v == 0 else fmt.format(v) for v in row] for row in matrix]
    fig = figure(
        "confusion matrix (test set)",
        height=height,
        xaxis=dict(
            title="predicted", dtick=1, showgrid=False, range=[-0.5, 9.5], constrain="domain"
        ),
        yaxis=dict(title="true", dtick=1, range=[9.5, -0.5], scaleanchor="x", showgrid=False),
    )
    fig.add_trace(
        go.Heatmap(
            z=np.log1p(matrix * (100 if normalised else 1)), text=text, texttemplate="%{text}",
            colorscale="Blues", showscale=False, customdata=matrix,
            hovertemplate="true %{y}, predicted %{x}: %{customdata}<extra></extra>",
        )
    )  # fmt: skip
    return fig


def digit_grid(images: np.ndarray, titles: Sequence[str], *, columns: int = 8) -> go.Figure:
    """Gray digits in a grid (one picture), each with a caption above it."""
    n, s, _ = images.shape
    rows = max(-(-n // columns), 1)
    pad = 10  # room for the caption
    canvas = np.ones((rows * (s + pad), columns * (s + 2), 3), dtype=np.float32)
    notes = []
    for i, img in enumerate(images):
        r, c = divmod(i, columns)
        top, left = r * (s + pad) + pad, c * (s + 2)
        canvas[top : top + s, left : left + s] = np.clip(img, 0, 1)[..., None]
        notes.append(
            dict(x=left + s / 2, y=top - 1, text=titles[i], showarrow=False, yanchor="bottom",
                 font=dict(size=10))
        )  # fmt: skip
    u8 = np.round(canvas * 255).astype(np.uint8)
    fig = figure(height=60 + rows * 70, margin=dict(l=5, r=5, t=10, b=5), annotations=notes,
                 **IMAGE_AXES)  # fmt: skip
    fig.add_trace(go.Image(source=image_array_to_data_uri(u8, ext="png"), hoverinfo="skip"))
    return fig


def filters_before_after(before: np.ndarray, after: np.ndarray, *, height: int = 240) -> go.Figure:
    """First-layer 3 x 3 filters, before training (top row) and after (bottom), signed colours."""
    bound = float(max(np.abs(before).max(), np.abs(after).max())) or 1.0
    rows = [[colorize(_enlarge(f, CELL), bound=bound) for f in fs] for fs in (before, after)]
    h, w = mosaic_layout([len(before)] * 2, len(before))
    rgb = np.full((h, w, 3), 255, dtype=np.uint8)
    for i, row in enumerate(rows):
        for c, tile in enumerate(row):
            t, le = i * (CELL + GAP), c * (CELL + GAP)
            rgb[t : t + tile.shape[0], le : le + tile.shape[1]] = tile
    notes = [
        dict(x=-1, y=i * (CELL + GAP) + CELL / 2, text=t, showarrow=False, xanchor="right")
        for i, t in enumerate(("before", "after"))
    ]
    fig = figure(
        "first-layer filters (blue < 0 < red)", height=height,
        margin=dict(l=60, r=5, t=40, b=5), annotations=notes, **IMAGE_AXES,
    )  # fmt: skip
    fig.add_trace(go.Image(source=image_array_to_data_uri(rgb, ext="png"), hoverinfo="skip"))
    return fig


def digit_picker(images: np.ndarray, titles: Sequence[str], positions: np.ndarray) -> go.Figure:
    """:func:`digit_grid` with a clickable point on each digit (``customdata``: its test position)."""
    n, s, _ = images.shape
    columns = 10
    fig = digit_grid(images, titles, columns=columns)
    r, c = np.divmod(np.arange(n), columns)
    fig.add_trace(
        go.Scatter(
            x=c * (s + 2) + s / 2, y=r * (s + 10) + 10 + s / 2, customdata=np.asarray(positions),
            mode="markers", marker=dict(size=28, opacity=0.01, color=PALETTE[1]),
            hovertemplate="test digit #%{customdata}: click to open<extra></extra>",
            showlegend=False,
        )
    )  # fmt: skip
    fig.update_layout(clickmode="event+select", dragmode=False)
    return fig
