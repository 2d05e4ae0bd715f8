"""ui.figures.lighten: the same figure as Plotly's update API gives, on every kind we draw."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots

from charts.theme import TEMPLATE, figure
from ui.figures import AXIS_NAME, LIGHT_AXIS, lighten


def _by_update_api(fig: go.Figure) -> go.Figure:
    """The reference: what lighten did through Plotly's validated update API."""
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


def _subplots() -> go.Figure:
    fig = make_subplots(rows=2, cols=2, specs=[[{}, {"secondary_y": True}], [{}, {}]])
    for row, col in ((1, 1), (1, 2), (2, 1), (2, 2)):
        fig.add_trace(go.Scatter(x=[0, 1], y=[1, 0]), row=row, col=col)
    fig.add_trace(go.Scatter(x=[0, 1], y=[5, 6]), row=1, col=2, secondary_y=True)
    return fig


def _explicit() -> go.Figure:
    fig = figure(height=300)
    fig.update_layout(margin=dict(l=80, t=10), xaxis=dict(automargin=True, title="x"))
    fig.add_trace(go.Heatmap(z=[[1, 2], [3, 4]]))
    return fig


MAKERS = {
    "empty": go.Figure,
    "themed": lambda: figure(height=200),
    "subplots and a secondary y": _subplots,
    "explicit margins and automargin": _explicit,
    "12 subplots": lambda: make_subplots(rows=3, cols=4),
}


@pytest.mark.parametrize("name", MAKERS)
def test_lighten_equals_the_update_api(name):
    fast, reference = lighten(MAKERS[name]()), _by_update_api(MAKERS[name]())
    assert fast.to_dict() == reference.to_dict()
    assert fast.layout.xaxis.automargin is False  # the figure object sees it too


def test_axis_names():
    assert all(AXIS_NAME.fullmatch(n) for n in ("xaxis", "yaxis2", "xaxis12"))
    assert not any(AXIS_NAME.fullmatch(n) for n in ("xaxis1", "xaxis0", "zaxis", "xaxis_x"))
