"""The one way a panel shows a Plotly figure.

Streamlit remounts a Plotly chart whenever its figure changes, so every
redraw is a full ``Plotly.newPlot`` in the visitor's browser, and what a chart
costs there is what a slider costs. Two of Plotly's defaults cost more than
the drawing itself and are switched off here, on every axis of every figure:

* ``automargin``: Streamlit's chart theme turns it on; Plotly then measures
  every tick label and title after drawing and, if the margins move, draws
  the whole figure a second time. The chart template's fixed margins leave
  room for the labels instead.
* ``ticklabeloverflow`` ("hide past div" by default): measures every tick
  label's bounding box again to hide the ones that overflow; ours never do.

Streamlit's theme also zeroes the template's left and right margins (it
counts on automargin to grow them back), so a figure that leaves them unset
gets the chart template's margins here.

Measured in headless Chromium on a slider that redraws three charts of the
probability gallery: 291 ms to settled with both on, 205 ms with both off
(medians of 20 nudges, alternating with the untouched page).
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from charts.theme import TEMPLATE

#: What every axis gets before it is shown (see the module docstring).
LIGHT_AXIS: dict[str, Any] = {"automargin": False, "ticklabeloverflow": "allow"}


def lighten(fig: go.Figure) -> go.Figure:
    """``fig`` with :data:`LIGHT_AXIS` on every Cartesian axis (in place; returned).

    Examples
    --------
    >>> fig = lighten(go.Figure(layout=dict(xaxis2=dict(domain=[0.5, 1]))))
    >>> fig.layout.xaxis.automargin, fig.layout.xaxis2.ticklabeloverflow
    (False, 'allow')
    >>> fig.layout.margin.l == TEMPLATE.layout.margin.l
    True
    """
    fig.update_xaxes(**LIGHT_AXIS)
    fig.update_yaxes(**LIGHT_AXIS)
    margin, default = fig.layout.margin, TEMPLATE.layout.margin
    fig.update_layout(
        margin=dict(
            l=default.l if margin.l is None else margin.l,
            r=default.r if margin.r is None else margin.r,
        )
    )
    return fig


def show_chart(
    where: Any, fig: go.Figure, *, key: str | None = None, on_select: Any = "ignore"
) -> Any:
    """Draw ``fig`` in ``where`` (``st``, a column, a container) with light axes.

    Parameters
    ----------
    where : streamlit module or DeltaGenerator
        Where the chart goes: ``st`` for the current container, or a column.
    fig : plotly.graph_objects.Figure
        A figure from ``charts``.
    key : str, optional
        The element key, for charts that must keep their identity.
    on_select : "ignore", "rerun" or callable
        A chart that takes clicks (a callable runs before the rerun, reading the
        selection from ``st.session_state[key]``); clicks select single points.

    Returns
    -------
    The selection state when ``on_select`` is not "ignore", else the element.
    """
    if on_select == "ignore":
        return where.plotly_chart(lighten(fig), key=key)
    return where.plotly_chart(lighten(fig), key=key, on_select=on_select, selection_mode="points")
