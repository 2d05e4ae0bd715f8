"""Vanishing and exploding gradients through time against the spectral radius, and clipping."""

from __future__ import annotations

import math

import streamlit as st

from charts import rnn as charts
from dlcore import lstm, rnn
from dlcore.tex import tex_number
from dlcore.views import rnn as views
from labs.rnn.keys import PREFIX
from ui import download_csv, notice, show_code, show_error, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("radius", "kind", "act", "back", "hidden", "clip_on", "clip", "tseed", "lstm", "forget")
EXPORT = Export(
    PREFIX,
    "Vanishing and exploding",
    (Step(views.through_time_view, "v"),),
    (
        Number("Verdict", "v.verdict"),
        Number("Factor per step", "v.rate", ".4g"),
        Number("‖dL/dW_hh‖", "v.norm", ".4g"),
        Number("After clipping", "v.clipped_norm", ".4g"),
    ),
    Chart(charts.gradient_decay, ("v.result.distance", "v.result.ratio", "v.result.reference")),
)
RADII = [round(0.5 + 0.05 * i, 2) for i in range(21)]  # 0.5 .. 1.5
KINDS = {"ρ·Q, Q orthogonal (normal)": "orthogonal", "Gaussian, rescaled (not normal)": "gaussian"}
view = st.cache_data(views.through_time_view, max_entries=32, show_spinner=False)
VERDICTS = {
    "vanishing": "The gradient **vanishes**: the first steps barely learn from the loss at the end.",
    "exploding": "The gradient **explodes**: one update would throw the weights far away.",
    "stable": "The gradient keeps its size over this many steps.",
}


def _inputs() -> tuple:
    c = st.columns(4)
    radius = c[0].select_slider("Spectral radius ρ of W_hh", RADII, 0.9, **url(PREFIX, "radius"))
    kind = KINDS[c[1].selectbox("W_hh", list(KINDS), **url(PREFIX, "kind"))]
    act = c[2].segmented_control(
        "Cell", ["tanh", "linear"], default="linear", required=True, **url(PREFIX, "act")
    )
    length = c[3].slider("Steps back T", 5, 100, 50, **url(PREFIX, "back"))
    d = st.columns(4)
    hidden = d[0].select_slider("Hidden units H", [4, 8, 16, 32, 64], 16, **url(PREFIX, "hidden"))
    clip_on = d[1].toggle("Clip the gradient", True, **url(PREFIX, "clip_on"))
    clip = d[2].select_slider(
        "Max norm c", [0.1, 0.5, 1.0, 5.0, 10.0], 1.0, disabled=not clip_on, **url(PREFIX, "clip")
    )
    seed = int(d[3].number_input("Seed", 0, 9999, 0, **url(PREFIX, "tseed")))
    e = st.columns(4)
    lstm_on = e[0].toggle("Compare an LSTM cell", **url(PREFIX, "lstm"))
    forget = e[1].select_slider(
        "LSTM forget-gate bias",
        [-2.0, 0.0, 1.0, 3.0, 5.0],
        1.0,
        disabled=not lstm_on,
        **url(PREFIX, "forget"),
    )
    clip = clip if clip_on else None
    return radius, kind, act, length, hidden, clip, seed, forget if lstm_on else None


def _clipping(v: views.TimeView, clip: float | None) -> None:
    if clip is None:
        st.latex(
            rf"\lVert \partial L/\partial W_{{hh}} \rVert = {tex_number(v.norm)}"
            r"\quad\text{(not clipped)}"
        )
        return
    st.latex(
        rf"g \leftarrow g \cdot \min\!\Big(1, \frac{{c}}{{\lVert g\rVert}}\Big):\quad "
        rf"\lVert g\rVert = {tex_number(v.norm)} \;\to\; {tex_number(v.clipped_norm)}"
        rf"\quad(\times {tex_number(v.scale)})"
    )


view = record(view)


@st.fragment
def render() -> None:
    """The gradient norm k steps back against rho^k, and what clipping does to the update."""
    radius, kind, act, length, hidden, clip, seed, forget = _inputs()
    try:
        v = view(radius, kind, act, length, hidden, clip, seed, forget)
    except ValueError as exc:
        show_error(exc)
        return
    st.latex(
        r"\frac{\partial L}{\partial h_{t-1}} = \Big(\frac{\partial L}{\partial h_t}\odot "
        r"f'(a_t)\Big) W_{hh}^\top \;\Rightarrow\; \Big\lVert \frac{\partial L}{\partial h_{T-k}}"
        r"\Big\rVert \approx \rho^k \Big\lVert \frac{\partial L}{\partial h_T}\Big\rVert"
    )
    st.latex(v.ratio_tex)
    (st.warning if v.verdict != "stable" else st.success)(VERDICTS[v.verdict])
    r = v.result
    left, right = st.columns(2)
    show_chart(
        left,
        charts.gradient_decay(r.distance, r.ratio, r.reference, lstm=v.lstm_ratio),
        key="rnn_decay",
    )
    show_chart(
        right, charts.weight_gradient_parts(r.distance, r.contribution, v.scale), key="rnn_parts"
    )
    _clipping(v, clip)
    if forget is not None:
        st.latex(
            r"c_t = f_t \odot c_{t-1} + i_t \odot g_t \;\Rightarrow\; "
            r"\frac{\partial L}{\partial c_{t-1}} = \frac{\partial L}{\partial c_t} \odot f_t + "
            r"\dots,\qquad f_t \approx \sigma(b_f) = "
            rf"{1 / (1 + math.exp(-forget)):.3f}"
        )
        st.caption(
            "The LSTM's cell passes its gradient back through a product with the forget gate, "
            "not through W_hh and a squashing derivative: with the gate near 1 it survives "
            "many steps. The LSTM has its own random weights; only its size and inputs match."
        )
    notice(
        "With a linear cell and ρ·Q the measured curve lies on ρ^k exactly: every singular value "
        "of W_hh is ρ. A tanh cell only shrinks it further (f′ ≤ 1), and a non-normal W_hh can "
        "grow for a few steps even with ρ < 1. Clipping rescales the whole gradient to length c: "
        "it caps the size of an update (the fix for exploding gradients), but it keeps the "
        "direction, so steps far back stay as negligible as before; vanishing needs a better "
        "cell (LSTM, GRU) or initialisation."
    )
    download_csv(
        "Gradient norms (CSV)",
        {"k": r.distance, "ratio": r.ratio, "rho_k": r.reference},
        "gradient_through_time.csv",
        key="rnn_dl_decay",
    )
    show_code(
        views.through_time_view,
        rnn.gradient_through_time,
        rnn.clip_by_norm,
        lstm.lstm_backward,
        export=EXPORT,
    )
