"""ui.figures: lighten gives the same figure as Plotly's update API on every kind we draw; bake
sends it so that Streamlit's Plotly element draws it once."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.subplots import make_subplots

from charts.theme import TEMPLATE, figure
from charts.traces import hline, vline
from ui.figures import (
    AXIS_NAME,
    AXIS_ROOM,
    CHART_CSS,
    LEGEND_ROW,
    LIGHT_AXIS,
    bake,
    legend_rows,
    lighten,
    merged,
    plain_array,
)


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


def _spec(fig: go.Figure) -> dict:
    """What Streamlit sends the browser for ``fig``."""
    return json.loads(pio.to_json(fig, validate=False))


def test_bake_writes_the_template_into_every_axis_and_drops_it():
    fig = make_subplots(rows=1, cols=2)
    fig.add_trace(go.Scatter(x=[0, 1], y=[1, 0]), row=1, col=1)
    fig.add_trace(go.Scatter(x=[0, 1], y=[1, 0]), row=1, col=2)
    fig.update_layout(font=dict(size=15), xaxis2=dict(gridcolor="red"))
    spec = _spec(bake(lighten(fig)))
    layout, look = spec["layout"], TEMPLATE.layout
    assert "template" not in layout
    assert layout["xaxis"]["gridcolor"] == look.xaxis.gridcolor
    assert layout["xaxis2"]["gridcolor"] == "red"  # the figure's own value wins
    assert layout["yaxis2"]["showgrid"] is look.yaxis.showgrid
    assert layout["xaxis2"]["automargin"] is False  # lighten's settings survive
    assert layout["font"] == {**look.font.to_plotly_json(), "size": 15}
    assert layout["title"]["font"]["weight"] == 700
    assert layout["datarevision"] == 0


def test_bake_applies_a_templates_trace_defaults():
    template = go.layout.Template(data=dict(scatter=[go.Scatter(marker=dict(size=9))]))
    fig = go.Figure(layout=dict(template=template))
    fig.add_scatter(x=[0], y=[0], marker=dict(color="red"))
    fig.add_bar(x=[0], y=[1])
    data = _spec(bake(fig))["data"]
    assert data[0]["marker"] == {"size": 9, "color": "red"}
    assert "marker" not in data[1]


def test_bake_sends_arrays_as_lists_with_gaps_as_none():
    y = np.array([0.1, np.nan, 1 / 3, np.inf])
    z = np.arange(6, dtype=np.float32).reshape(2, 3) / 7
    fig = go.Figure([go.Scatter(x=np.arange(4), y=y), go.Heatmap(z=z)])
    fig.update_layout(xaxis=dict(tickvals=np.array([0.5, 1.5])))
    text = pio.to_json(bake(fig), validate=False)
    assert "bdata" not in text
    data, layout = json.loads(text)["data"], json.loads(text)["layout"]
    assert data[0]["x"] == [0, 1, 2, 3]
    assert data[0]["y"] == [0.1, None, 0.33333334, None]  # float32's shortest decimals
    assert np.allclose(data[1]["z"], z, rtol=1e-7)
    assert data[1]["z"][0][1] == float(np.float32(1 / 7).astype(str))
    assert layout["xaxis"]["tickvals"] == [0.5, 1.5]


def test_plain_array_keeps_what_float32_cannot_hold():
    huge, tiny = np.array([1e300, -2.0]), np.array([1e-320, 0.0])
    assert plain_array(huge) == [1e300, -2.0]
    assert plain_array(tiny) == [1e-320, 0.0]
    assert plain_array(np.array([True, False])) == [True, False]
    assert plain_array(np.array(["a", "b"])) == ["a", "b"]
    assert plain_array(np.array([[np.nan]])) == [[None]]


def test_merged_is_a_templates_merge():
    base = {"font": {"size": 12, "color": "grey"}, "margin": {"l": 1}}
    assert merged(base, {"font": {"size": 14}, "margin": None}) == {
        "font": {"size": 14, "color": "grey"},
        "margin": None,
    }
    assert base == {"font": {"size": 12, "color": "grey"}, "margin": {"l": 1}}  # not changed


def test_chart_css_rounds_only_a_charts_frame():
    assert "stPlotlyChart" in CHART_CSS and "round(down, 100%, 1px)" in CHART_CSS
    assert CHART_CSS.startswith("<style>") and CHART_CSS.endswith("</style>")
