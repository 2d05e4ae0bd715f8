import plotly.graph_objects as go

from charts import theme
from charts.images import heatmap, image


def test_fixed_colours_are_stable_and_distinct_where_it_matters():
    optimizers = ["SGD", "Momentum", "Nesterov", "Adagrad", "RMSProp", "Adam", "AdamW"]
    colours = [theme.color_for(n) for n in optimizers]
    assert len(set(colours)) == len(optimizers)
    # unknown names: deterministic across calls (no salted hash())
    assert theme.color_for("my custom thing") == theme.color_for("my custom thing")
    assert theme.color_for("my custom thing") in theme.PALETTE


def test_every_distribution_has_a_fixed_readable_colour():
    from dlcore.probability import DISTRIBUTIONS

    missing = [name for name in DISTRIBUTIONS if name not in theme.NAMED_COLORS]
    assert not missing
    # the palette's yellow is unreadable as a thin line on white
    assert all(theme.color_for(name) != "#F0E442" for name in DISTRIBUTIONS)


def test_figure_uses_template():
    fig = theme.figure("Title", height=300)
    assert isinstance(fig, go.Figure)
    assert fig.layout.height == 300 and fig.layout.title.text == "Title"
    assert list(fig.layout.template.layout.colorway) == list(theme.PALETTE)


def test_heatmap_signed_is_centred_on_zero():
    fig = heatmap([[-1.0, 2.0], [0.5, 0.0]], signed=True, text=True)
    trace = fig.data[0]
    assert trace.zmid == 0.0 and trace.zmin == -2.0 and trace.zmax == 2.0
    assert trace.text[0][1] == "2"


def test_image_gray_to_rgb_uint8():
    fig = image([[0.0, 1.0]])
    z = fig.data[0].z
    assert z.shape == (1, 2, 3) and z.max() == 255 and z.min() == 0


def test_the_default_template_gives_the_same_figure_as_passing_it():
    """figure() relies on Plotly's default template (cheaper); the JSON must not change."""
    passed = go.Figure(layout=go.Layout(template=theme.TEMPLATE, height=300)).to_plotly_json()
    assert theme.figure(height=300).to_plotly_json() == passed
    assert go.Figure().layout.template.layout.margin.l == theme.TEMPLATE.layout.margin.l
