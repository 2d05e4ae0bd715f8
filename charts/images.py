"""Images and heat maps: pictures of arrays shared by several labs."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from charts.theme import DIVERGING, SEQUENTIAL, figure


def image(img: np.ndarray, title: str | None = None, *, height: int = 380) -> go.Figure:
    """Show an image with square pixels.

    Parameters
    ----------
    img : ndarray of shape (H, W) or (H, W, 3), floats in [0, 1]
        Gray images are drawn in gray, not in a colour scale.
    """
    img = np.clip(np.asarray(img, dtype=np.float32), 0.0, 1.0)
    if img.ndim == 2:
        img = np.repeat(img[..., None], 3, axis=2)
    # go.Image wants 0..255 values; uint8 halves the JSON sent to the browser.
    fig = figure(title, height=height)
    fig.add_trace(
        go.Image(
            z=np.round(img * 255).astype(np.uint8),
            hovertemplate="x=%{x}<br>y=%{y}<br>rgb=%{z}<extra></extra>",
        )
    )
    fig.update_xaxes(showgrid=False, zeroline=False, showticklabels=False)
    fig.update_yaxes(showgrid=False, zeroline=False, showticklabels=False, scaleanchor="x")
    return fig


def heatmap(
    values: np.ndarray,
    title: str | None = None,
    *,
    signed: bool = False,
    height: int = 380,
    text: bool = False,
    colorbar_title: str | None = None,
) -> go.Figure:
    """A 2-D array as a heat map, row 0 at the top (image orientation).

    Parameters
    ----------
    values : ndarray of shape (H, W)
    signed : bool
        Use the diverging scale centred on zero, so the sign is the hue.
    text : bool
        Print each value in its cell (for small arrays: kernels, patches).
    """
    values = np.asarray(values, dtype=float)
    kwargs = {}
    if signed:
        bound = (
            float(np.nanmax(np.abs(values))) if values.size and np.isfinite(values).any() else 1.0
        )
        kwargs = dict(colorscale=DIVERGING, zmid=0.0, zmin=-bound or -1.0, zmax=bound or 1.0)
    else:
        kwargs = dict(colorscale=SEQUENTIAL)
    trace = go.Heatmap(z=values, colorbar=dict(title=colorbar_title), **kwargs)
    if text:
        trace.update(text=np.vectorize(lambda v: f"{v:.3g}")(values), texttemplate="%{text}")
    fig = figure(title, height=height)
    fig.add_trace(trace)
    fig.update_yaxes(autorange="reversed", scaleanchor="x", showgrid=False, zeroline=False)
    fig.update_xaxes(showgrid=False, zeroline=False)
    return fig
