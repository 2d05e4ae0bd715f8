"""A matrix product drawn as three grids of numbers, the cells in use highlighted."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from charts.theme import INK, PALETTE, TEMPLATE

#: Cell colours by mark: plain, in use at this step, the step's result.
MARK_COLORS = ("#F5F7FA", "#CFE3F3", "#F6C89F")


def _cell_text(M: np.ndarray) -> list[list[str]]:
    return [["" if not np.isfinite(v) else f"{v:g}" for v in row] for row in M]


def _grid(M: np.ndarray, mark: np.ndarray) -> go.Heatmap:
    m, n = M.shape
    return go.Heatmap(
        z=np.asarray(mark, float),
        x=np.arange(1, n + 1),
        y=np.arange(1, m + 1),
        text=_cell_text(M),
        texttemplate="%{text}",
        textfont=dict(size=15, color=INK),
        zmin=0,
        zmax=2,
        colorscale=[[0, MARK_COLORS[0]], [0.5, MARK_COLORS[1]], [1, MARK_COLORS[2]]],
        showscale=False,
        xgap=2,
        ygap=2,
        hoverinfo="skip",
    )


def product_grids(
    A: np.ndarray,
    B: np.ndarray,
    C: np.ndarray,
    marks: Sequence[np.ndarray],
    *,
    names: Sequence[str] = ("A", "B", "AB"),
    height: int = 300,
) -> go.Figure:
    """A, B and (what is known of) their product side by side, cells marked by step.

    Parameters
    ----------
    A : ndarray of shape (m, k)
    B : ndarray of shape (k, n)
    C : ndarray of shape (m, n)
        NaN cells are drawn empty (not computed yet).
    marks : three int arrays of the shapes of A, B and C
        0 plain, 1 in use (blue), 2 the step's result (orange).
    names : the three titles
    """
    widths = [A.shape[1], B.shape[1], C.shape[1]]
    titles = [f"{name}  ({M.shape[0]} × {M.shape[1]})" for name, M in zip(names, (A, B, C))]
    fig = make_subplots(
        rows=1,
        cols=3,
        column_widths=[w / sum(widths) for w in widths],
        subplot_titles=titles,
        horizontal_spacing=0.06,
    )
    for col, (M, mark) in enumerate(zip((A, B, C), marks), start=1):
        fig.add_trace(_grid(M, mark), row=1, col=col)
        rows = M.shape[0]
        fig.update_yaxes(
            autorange="reversed", tickvals=list(range(1, rows + 1)), row=1, col=col, showgrid=False
        )
        fig.update_xaxes(tickvals=list(range(1, M.shape[1] + 1)), row=1, col=col, showgrid=False)
    fig.update_layout(
        template=TEMPLATE,
        height=height,
        margin=dict(l=30, r=10, t=40, b=30),
        font=dict(color=INK),
    )
    fig.update_annotations(font=dict(size=13, color=PALETTE[7]))
    return fig
