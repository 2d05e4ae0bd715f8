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

A horizontal legend below the plot does the same: Plotly grows the bottom margin
for it after drawing and draws the figure again, on every redraw (the mini-batch
charts went from a 45 to a 111-125 px margin each time). :func:`reserve_legend`
gives it that room up front and places it there.

Measured in headless Chromium on a slider that redraws three charts of the
probability gallery: 291 ms to settled with both on, 205 ms with both off
(medians of 20 nudges, alternating with the untouched page).
"""

from __future__ import annotations

import re
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from charts.theme import TEMPLATE

#: What every axis gets before it is shown (see the module docstring).
LIGHT_AXIS: dict[str, Any] = {"automargin": False, "ticklabeloverflow": "allow"}

#: A Cartesian axis's name in a figure's layout: xaxis, yaxis, xaxis2, yaxis12, ...
AXIS_NAME = re.compile(r"[xy]axis(?:[2-9]|[1-9][0-9]+)?")

#: Pixels under the plot for the x axis's tick labels and title, above a legend below it;
#: a legend row's height; the width a row of legend entries is assumed to have (a chart in
#: half of the page's width), and an entry's width: its symbol and gaps, then per character.
AXIS_ROOM, LEGEND_ROW, ROW_WIDTH, ENTRY, PER_CHAR = 48, 28, 400, 40, 7


def legend_rows(names: list[str]) -> int:
    """How many rows a horizontal legend of these entries takes (an estimate, on the high side).

    Examples
    --------
    >>> legend_rows(["train", "test"]), legend_rows(["a long name for a curve"] * 4), legend_rows([])
    (1, 3, 0)
    """
    width = sum(ENTRY + PER_CHAR * len(name) for name in names)
    return -(-width // ROW_WIDTH)


def reserve_legend(layout: dict, traces: list[dict]) -> None:
    """Room in the bottom margin for a horizontal legend below the plot, and the legend in it.

    ``layout`` and ``traces`` are a figure's plain dicts (see :func:`lighten`), changed in
    place. Without this Plotly measures the legend after drawing, grows the margin and draws
    the whole figure a second time, on every redraw. An estimate too small for the legend
    (a narrow column) only brings that second drawing back.
    """
    legend = layout.get("legend") or {}
    below = legend.get("orientation") == "h" and legend.get("y", 1.0) < 0
    if not below or layout.get("showlegend") is False:
        return
    names = [t["name"] for t in traces if t.get("name") and t.get("showlegend") is not False]
    rows = legend_rows(names)
    if not rows:
        return
    margin, default = layout.setdefault("margin", {}), TEMPLATE.layout.margin
    margin["b"] = max(margin.get("b", default.b), AXIS_ROOM + rows * LEGEND_ROW + 12)
    plot = max((layout.get("height") or 450) - margin.get("t", default.t) - margin["b"], 60)
    legend.update(y=-AXIS_ROOM / plot, yanchor="top")


def lighten(fig: go.Figure) -> go.Figure:
    """``fig`` with :data:`LIGHT_AXIS` on every Cartesian axis (in place; returned).

    The same figure as ``fig.update_xaxes(**LIGHT_AXIS)``, ``update_yaxes`` and
    ``update_layout(margin=...)`` give, written straight into the plain dict in
    which a Plotly figure keeps its layout (``Figure._layout``, which ``to_dict``
    copies): the update API validates and parses a path for every property it
    sets, 16 ms on a figure of three subplots against 0.4 ms here, and it ran
    for every chart of every rerun (tests/test_figures.py checks both agree).

    Examples
    --------
    >>> fig = lighten(go.Figure(layout=dict(xaxis2=dict(domain=[0.5, 1]))))
    >>> fig.layout.xaxis.automargin, fig.layout.xaxis2.ticklabeloverflow
    (False, 'allow')
    >>> fig.layout.margin.l == TEMPLATE.layout.margin.l
    True
    """
    layout = fig._layout  # noqa: SLF001 - see the docstring
    axes = {name for name in layout if AXIS_NAME.fullmatch(name)} | {"xaxis", "yaxis"}
    for name in axes:
        layout.setdefault(name, {}).update(LIGHT_AXIS)
    margin, default = layout.setdefault("margin", {}), TEMPLATE.layout.margin
    margin.setdefault("l", default.l)
    margin.setdefault("r", default.r)
    reserve_legend(layout, fig._data)  # noqa: SLF001 - the plain trace dicts, as above
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


def chart_clicks(key: str) -> list:
    """The points a click selected on the chart drawn with ``key`` (see :func:`show_chart`'s
    ``on_select``), for its callback; ``[]`` before any click."""
    event = st.session_state.get(key)
    return list((event or {}).get("selection", {}).get("points", []))
