"""The one way a panel shows a Plotly figure.

Streamlit remounts a Plotly chart whenever its figure changes, so every
redraw is a full ``Plotly.newPlot`` in the visitor's browser, and what a chart
costs there is what a slider costs. Two of Plotly's defaults cost more than
the drawing itself and are switched off here, on every axis of every figure:

* ``automargin``: Streamlit's chart theme turned it on (the theme is now off, see
  below; a figure may still ask for it); Plotly then measures
  every tick label and title after drawing and, if the margins move, draws
  the whole figure a second time. The chart template's fixed margins leave
  room for the labels instead.
* ``ticklabeloverflow`` ("hide past div" by default): measures every tick
  label's bounding box again to hide the ones that overflow; ours never do.

Streamlit's theme also zeroed the template's left and right margins (it
counted on automargin to grow them back), so a figure that leaves them unset
gets the chart template's margins here, written into its own layout.

A horizontal legend below the plot does the same: Plotly grows the bottom margin
for it after drawing and draws the figure again, on every redraw (the mini-batch
charts went from a 45 to a 111-125 px margin each time). :func:`reserve_legend`
gives it that room up front and places it there.

Measured in headless Chromium on a slider that redraws three charts of the
probability gallery: 291 ms to settled with both on, 205 ms with both off
(medians of 20 nudges, alternating with the untouched page).

Streamlit's Plotly element then drew every chart twice: once as it mounts and
again when, just after, it copies the figure to apply its chart theme and learns
the column's width (``plotly_afterplot`` fired twice per chart per redraw; the
second, a full redraw, took about as long as the first). Plotly's ``react``
redraws only what changed, and three things looked changed: the template (a new
object in the theme's copy), every base64-encoded NumPy array (decoded into new
typed arrays, which Plotly cannot compare) and the width (the chart was first
autosized to the column's computed width, which CSS rounds to 1/1000 px, then
given the column's exact width). :func:`bake` and :data:`CHART_CSS` remove all
three, so the second pass redraws nothing: the template is written into the
layout and Streamlit's theme is off (``charts.theme`` carries its look), arrays
are sent as lists under a fixed ``datarevision`` (each new figure is a new
element in Streamlit, so a chart never sees new data under an old revision),
and a chart's frame is a whole number of pixels wide.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
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


#: Every chart's frame a whole number of pixels wide (see the module docstring); one
#: constant style, added once per page by ``ui.layout.page_header``. Browsers without CSS
#: ``round()`` ignore it and draw the chart a second time, as before.
CHART_CSS = (
    "<style>[data-testid='stFullScreenFrame']:has(> [data-testid='stPlotlyChart'])"
    " {width: round(down, 100%, 1px) !important;}</style>"
)


def plain_array(a: np.ndarray) -> list:
    """``a`` as nested lists: floats at most float32's shortest decimals, gaps as None.

    Plotly's JSON would send it as base64 (see the module docstring). A float array
    whose values fit in float32 is written with float32's shortest decimals (at most nine
    significant digits, as the float32 arrays sent before), else at full precision; NaN
    and infinities become None, which Plotly draws as the gap that NaN was.

    Examples
    --------
    >>> plain_array(np.array([0.1, np.nan, 2.0, 1e300]))
    [0.1, None, 2.0, 1e+300]
    >>> plain_array(np.array([[1, 2], [3, 4]], dtype=np.int8))
    [[1, 2], [3, 4]]
    >>> plain_array(np.array([1 / 3], dtype=np.float32))
    [0.33333334]
    """
    if a.dtype.kind != "f":
        return a.tolist()
    finite = np.isfinite(a)
    with np.errstate(over="ignore"):  # too big for float32: caught by the range check
        short = a.astype(np.float32)
    lossless_range = np.array_equal(np.isfinite(short), finite) and not np.any(
        (short == 0) & (a != 0)
    )
    values = short.astype(str).astype(np.float64) if lossless_range else a.astype(np.float64)
    if finite.all():
        return values.tolist()
    return np.where(finite, values, None).tolist()


def plain(value: Any) -> Any:
    """``value`` with every NumPy array inside it (dicts, lists, tuples) as :func:`plain_array`."""
    if isinstance(value, np.ndarray):
        return plain_array(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def merged(base: dict, over: dict) -> dict:
    """``over`` laid over ``base``, dicts merged key by key (``over`` wins), as a template is.

    >>> merged({"font": {"size": 12, "color": "grey"}, "height": 300}, {"font": {"size": 14}})
    {'font': {'size': 14, 'color': 'grey'}, 'height': 300}
    """
    out = dict(base)
    for key, value in over.items():
        below = out.get(key)
        both = isinstance(value, dict) and isinstance(below, dict)
        out[key] = merged(below, value) if both else value
    return out


def bake(fig: go.Figure) -> go.Figure:
    """``fig`` as Streamlit's Plotly element draws once (in place; returned).

    The template is written into the layout (its ``xaxis`` and ``yaxis`` into every x and
    y axis, its trace defaults into each trace of that type) and removed; every array is a
    list (:func:`plain`); ``datarevision`` is fixed. See the module docstring for why.
    """
    layout, traces = fig._layout, fig._data  # noqa: SLF001 - the plain dicts, see lighten
    template = layout.pop("template", None) or {}
    base = dict(template.get("layout") or {})
    axes = {"x": base.pop("xaxis", {}), "y": base.pop("yaxis", {})}
    for name in [n for n in layout if AXIS_NAME.fullmatch(n)]:
        layout[name] = merged(axes[name[0]], layout[name])
    by_type = template.get("data") or {}
    for i, trace in enumerate(traces):
        defaults = by_type.get(trace.get("type", "scatter")) or [{}]
        traces[i] = plain(merged(defaults[0], trace))
    baked = merged(base, plain(layout))
    layout.clear()
    layout.update(baked, datarevision=0)
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
    fig = bake(lighten(fig))  # Streamlit's theme off: charts.theme carries its look
    if on_select == "ignore":
        return where.plotly_chart(fig, key=key, theme=None)
    return where.plotly_chart(
        fig, key=key, theme=None, on_select=on_select, selection_mode="points"
    )


def chart_clicks(key: str) -> list:
    """The points a click selected on the chart drawn with ``key`` (see :func:`show_chart`'s
    ``on_select``), for its callback; ``[]`` before any click."""
    event = st.session_state.get(key)
    return list((event or {}).get("selection", {}).get("points", []))
