"""ui.figures.lighten: the same figure as Plotly's update API gives, on every kind we draw."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots

from charts.theme import TEMPLATE, figure
from charts.traces import hline, vline
from ui.figures import AXIS_NAME, AXIS_ROOM, LEGEND_ROW, LIGHT_AXIS, legend_rows, lighten


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


@pytest.mark.parametrize("position", ["top right", "top"])
def test_vline_is_what_plotly_add_vline_draws(position):
    ours = vline(figure(), 1.5, line=dict(color="red"), text="T = 1", position=position)
    plotly = figure().add_vline(
        x=1.5, line=dict(color="red"), annotation_text="T = 1", annotation_position=position
    )
    assert ours.to_dict() == plotly.to_dict()
    bare = vline(figure(), 2.0, line=dict(dash="dot"))
    assert bare.to_dict() == figure().add_vline(x=2.0, line=dict(dash="dot")).to_dict()


def test_hline_is_what_plotly_add_hline_draws():
    ours = hline(figure(), 0.25, line=dict(dash="dash"), text="uniform")
    plotly = figure().add_hline(y=0.25, line=dict(dash="dash"), annotation_text="uniform")
    assert ours.to_dict() == plotly.to_dict()
    assert hline(figure(), 1.0, line={}).to_dict() == figure().add_hline(y=1.0, line={}).to_dict()


def _below(**legend) -> go.Figure:
    fig = go.Figure(layout=dict(height=400, legend=dict(orientation="h", y=-0.2, **legend)))
    for name in ("train", "test"):
        fig.add_scatter(x=[0, 1], y=[1, 0], name=name)
    return fig


def test_a_legend_below_the_plot_gets_its_room_up_front():
    layout = lighten(_below()).to_dict()["layout"]
    rows = legend_rows(["train", "test"])
    assert rows == 1
    bottom = AXIS_ROOM + rows * LEGEND_ROW + 12
    assert layout["margin"]["b"] == bottom
    plot = 400 - TEMPLATE.layout.margin.t - bottom
    assert layout["legend"]["yanchor"] == "top"
    assert layout["legend"]["y"] == pytest.approx(-AXIS_ROOM / plot)
    # a bigger margin the chart asked for is kept
    big = _below()
    big.update_layout(margin=dict(b=200))
    assert lighten(big).layout.margin.b == 200


def test_other_legends_are_left_where_they_are():
    beside = go.Figure(layout=dict(legend=dict(x=1, y=1)))
    beside.add_scatter(x=[0], y=[0], name="a")
    beside.add_scatter(x=[0], y=[0], name="b")
    assert lighten(beside).layout.legend.y == 1 and lighten(beside).layout.margin.b is None
    hidden = _below()
    hidden.update_layout(showlegend=False)
    assert lighten(hidden).layout.legend.y == -0.2
    unnamed = go.Figure(layout=dict(legend=dict(orientation="h", y=-0.2)))
    unnamed.add_scatter(x=[0], y=[0], showlegend=False, name="x")
    assert lighten(unnamed).layout.legend.y == -0.2
