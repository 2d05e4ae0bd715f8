"""One training step of a 2-2-1 network written out matrix by matrix."""

from __future__ import annotations

import streamlit as st

from dlcore import nn
from dlcore.tex import tex_matrix
from dlcore.views import backprop as views
from labs.backprop.keys import PREFIX
from ui import notice, show_code, url
from ui.export import Export, Number, Step, record

KEYS = ("s_x1", "s_x2", "s_y", "s_lr", "s_seed")
EXPORT = Export(
    PREFIX,
    "One training step",
    (Step(views.step_view, "v"),),
    (Number("p", "v.trace.p[0][0]", ".3f"), Number("Loss", "v.trace.loss", ".4f")),
    None,
)
view = st.cache_data(views.step_view, max_entries=64, show_spinner=False)


def M(a, digits: int = 2) -> str:
    """A weight, activation or gradient matrix: fixed decimals, its shape underneath."""
    return tex_matrix(a, digits=digits, fixed=True, env="bmatrix", shape=True)


def _inputs() -> tuple:
    c = st.columns(5)
    x1 = c[0].slider("x1", -2.0, 2.0, 0.5, 0.1, **url(PREFIX, "s_x1"))
    x2 = c[1].slider("x2", -2.0, 2.0, -1.0, 0.1, **url(PREFIX, "s_x2"))
    y = c[2].segmented_control("label y", [0, 1], default=1, required=True, **url(PREFIX, "s_y"))
    lr = c[3].select_slider(
        "learning rate η", [0.01, 0.1, 0.5, 1.0, 2.0], 0.5, **url(PREFIX, "s_lr")
    )
    seed = c[4].number_input("weights seed", 0, 999, 1, **url(PREFIX, "s_seed"))
    return (x1, x2), y, lr, int(seed)


def _forward(v: views.StepView) -> None:
    s, w, x = v.trace, v.weights, v.x
    st.markdown("**Forward**: tanh hidden layer, sigmoid output, binary cross-entropy.")
    st.latex(rf"z_1 = x W_1 + b_1 = {M(x)} {M(w['W1'])} + {M(w['b1'])} = {M(s.z1)}")
    st.latex(
        rf"a_1 = \tanh(z_1) = {M(s.a1)},\qquad z_2 = a_1 W_2 + b_2 = {M(s.a1)} {M(w['W2'])} + "
        rf"{w['b2'][0]:.2f} = {M(s.z2)}"
    )
    st.latex(
        rf"p = \sigma(z_2) = {s.p[0, 0]:.3f},\qquad L = -[y\log p + (1-y)\log(1-p)] = {s.loss:.4f}"
    )


def _backward(v: views.StepView, lr: float) -> None:
    s, x = v.trace, v.x
    st.markdown(
        "**Backward**: the error signal δ = ∂L/∂z, layer by layer; each weight gradient is an "
        "outer product."
    )
    st.latex(
        rf"\delta_2 = p - y = {s.delta2[0, 0]:.4f},\qquad \frac{{\partial L}}{{\partial W_2}} = "
        rf"a_1^\top \delta_2 = {M(s.a1.T)} {M(s.delta2, digits=3)} = {M(s.dW2, digits=3)}"
    )
    st.latex(rf"\delta_1 = (\delta_2 W_2^\top) \odot (1 - a_1^2) = {M(s.delta1, digits=3)}")
    st.latex(
        rf"\frac{{\partial L}}{{\partial W_1}} = x^\top \delta_1 = {M(x.T)} "
        rf"{M(s.delta1, digits=3)} = {M(s.dW1, digits=3)}"
    )
    st.markdown(f"**Update** with η = {lr:g}:")
    st.latex(
        rf"W_1 \leftarrow W_1 - {lr:g}\,\frac{{\partial L}}{{\partial W_1}} = "
        rf"{M(s.new['W1'], digits=3)}"
    )
    st.latex(
        rf"W_2 \leftarrow {M(s.new['W2'], digits=3)},\quad b_1 \leftarrow "
        rf"{M(s.new['b1'], digits=3)},\quad b_2 \leftarrow {s.new['b2'][0]:.3f}"
    )


view = record(view)


@st.fragment
def render() -> None:
    """Sliders for one example; every matrix of its forward and backward pass."""
    st.caption("By hand, for a network with 2 inputs, 2 tanh neurons and 1 sigmoid output.")
    x, y, lr, seed = _inputs()
    v = view(x, y, lr, seed)
    _forward(v)
    _backward(v, lr)
    notice(v.notice)
    show_code(views.step_view, nn.manual_step, export=EXPORT)
