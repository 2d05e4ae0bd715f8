"""The chain rule on a graph: one neuron's loss, backpropagated node by node."""

from __future__ import annotations

import streamlit as st

from charts import backprop as charts
from dlcore import autograd
from dlcore.views import backprop as views
from labs.backprop.keys import PREFIX
from ui import notice, show_code, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("g_act", "g_x1", "g_x2", "g_w1", "g_w2", "g_b", "g_t", "g_step")
EXPORT = Export(
    PREFIX,
    "Computational graph",
    (Step(views.graph_view, "g"),),
    (Number("Pre-activation z", "g.z", ".4f"), Number("Loss", "g.loss", ".4f")),
    Chart(
        charts.computational_graph,
        (
            "g.trace.labels",
            "g.trace.values",
            "g.trace.grads",
            "g.trace.edges",
            "g.trace.local",
            "g.trace.chain",
            "g.trace.order",
            "g.step",
        ),
    ),
)
view = st.cache_data(views.graph_view, max_entries=64, show_spinner=False)
steps = st.cache_data(views.graph_steps, max_entries=8, show_spinner=False)


def _inputs() -> tuple:
    act = st.selectbox("Activation f", views.GRAPH_ACTIVATIONS, **url(PREFIX, "g_act"))
    x = (
        st.slider("x1", -2.0, 2.0, 1.0, 0.1, **url(PREFIX, "g_x1")),
        st.slider("x2", -2.0, 2.0, -0.5, 0.1, **url(PREFIX, "g_x2")),
    )
    w = (
        st.slider("w1", -2.0, 2.0, 0.8, 0.1, **url(PREFIX, "g_w1")),
        st.slider("w2", -2.0, 2.0, 0.4, 0.1, **url(PREFIX, "g_w2")),
    )
    b = st.slider("b", -2.0, 2.0, 0.1, 0.1, **url(PREFIX, "g_b"))
    t = st.slider("target t", -1.0, 1.0, 1.0, 0.1, **url(PREFIX, "g_t"))
    return act, x, w, b, t


def _formula(g: views.GraphView, t: float) -> None:
    if g.step == 0:
        st.latex(
            rf"L = \big(f(w_1 x_1 + w_2 x_2 + b) - t\big)^2 = (f({g.z:.3g}) - {t:g})^2"
            rf" = {g.loss:.4g}\qquad \text{{forward pass done: move the backward slider}}"
        )
        return
    lines = [
        rf"\frac{{\partial L}}{{\partial\,\mathrm{{{term.parent}}}}} \mathrel{{+}}= "
        rf"\underbrace{{{term.upstream:.4g}}}_{{\partial L/\partial\,\mathrm{{{term.child}}}}}"
        rf"\times \underbrace{{{term.local:.4g}}}_{{\text{{local}}}} = {term.product:.4g}"
        for term in g.terms
    ]
    st.latex(r" \\ ".join(lines))


view = record(view)


@st.fragment
def render() -> None:
    """One neuron's graph; a slider walks the backward pass one node at a time."""
    left, right = st.columns([1, 4])
    with left:
        act, x, w, b, t = _inputs()
    with right:
        last = steps(act)
        step = st.slider("Backward steps done", 0, last, min(3, last), **url(PREFIX, "g_step"))
    g = view(act, x, w, b, t, step)
    tr = g.trace
    show_chart(
        right,
        charts.computational_graph(
            tr.labels, tr.values, tr.grads, tr.edges, tr.local, tr.chain, tr.order, g.step
        ),
        key="bp_graph_fig",
    )
    _formula(g, t)
    notice(g.notice)
    show_code(
        views.graph_view,
        autograd.Tensor.backward,
        autograd.Tensor.sigmoid,
        autograd.trace,
        export=EXPORT,
    )
