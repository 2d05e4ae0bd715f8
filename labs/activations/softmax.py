"""Softmax: scores to probabilities, the temperature, why it subtracts the max, its Jacobian."""

from __future__ import annotations

import streamlit as st

from charts import activations as charts
from dlcore import activations as act
from dlcore.tex import tex_matrix
from dlcore.views import activations as views
from labs.activations.keys import PREFIX
from ui import download_json, notice, show_code, show_table, url
from ui.export import Chart, Export, Lit, Number, Step, record
from ui.figures import show_chart

KEYS = ("z0", "z1", "z2", "z3", "temp", "shift")
EXPORT = Export(
    PREFIX,
    "Softmax",
    (Step(views.softmax_view),),
    (
        Number("Probabilities", "w.s"),
        Number("Entropy", "w.entropy", ".4f"),
        Number("Largest class", "w.top"),
    ),
    Chart(charts.softmax_bars, (Lit(views.SOFTMAX_LABELS), "w.s")),
)
LABELS = views.SOFTMAX_LABELS
TEMPERATURES = [0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
view = st.cache_data(views.softmax_view, max_entries=64, show_spinner=False)


def _inputs() -> tuple[list[float], float, float]:
    cols = st.columns(len(LABELS))
    defaults = (2.0, 1.0, 0.1, -1.0)
    z = [
        col.slider(f"logit z ({lab})", -10.0, 10.0, d, step=0.1, **url(PREFIX, f"z{i}"))
        for i, (col, lab, d) in enumerate(zip(cols, LABELS, defaults))
    ]
    c1, c2 = st.columns(2)
    temperature = c1.select_slider("Temperature T", TEMPERATURES, 1.0, **url(PREFIX, "temp"))
    shift = c2.slider("Add c to every logit", 0.0, 1000.0, 0.0, step=10.0, **url(PREFIX, "shift"))
    return z, temperature, shift


def _probabilities(w: views.SoftmaxView) -> None:
    T = w.temperature
    terms = " + ".join(f"e^{{{zi:g}/{T:g}}}" for zi in w.shifted)
    st.latex(
        rf"s_i = \frac{{e^{{z_i/T}}}}{{\sum_j e^{{z_j/T}}}}, \qquad s_{{\text{{{LABELS[0]}}}}} = "
        rf"\frac{{e^{{{w.shifted[0]:g}/{T:g}}}}}{{{terms}}} = {w.s[0]:.4f}"
    )
    n = len(w.z)
    st.latex(
        rf"H(s) = -\sum_i s_i \log s_i = {w.entropy:.4f}\ \text{{nats}} \qquad (0 \le H \le "
        rf"\log {n} = {w.max_entropy:.4f})"
    )
    st.latex(
        rf"T \to 0:\ s \to \text{{one-hot}}(\arg\max_i z_i = \text{{{LABELS[w.top]}}}), \qquad "
        rf"T \to \infty:\ s_i \to \tfrac{{1}}{{{n}}} = {w.uniform:g}"
    )
    left, right = st.columns(2)
    show_chart(left, charts.softmax_bars(LABELS, w.s), key=f"{PREFIX}_softmax_bars")
    sweep = w.sweep
    show_chart(
        right,
        charts.temperature_sweep(sweep.temperatures, sweep.probabilities, sweep.entropy, LABELS, T),
        key=f"{PREFIX}_temperature_chart",
    )
    notice(
        "As T \u2192 0 all the probability goes to the largest logit (argmax, entropy 0); as "
        "T \u2192 \u221e every class gets 1/n (entropy log n). Adding the same c to every logit "
        "changes nothing."
    )


def _stability(w: views.SoftmaxView) -> None:
    st.subheader("Why softmax subtracts the max")
    st.latex(rf"\log s_i = z_i - m - \log \sum_j e^{{z_j - m}}, \qquad m = \max_j z_j = {w.m:g}")
    show_table(
        {
            "class": list(LABELS),
            "logit z + c": w.shifted,
            "naive exp(z)/\u03a3exp(z)": w.naive,
            "stable softmax (T = 1)": w.stable,
            "log_softmax": w.log_s,
        }
    )
    if w.overflows:
        st.warning(
            f"exp({w.m:g}) overflows float64 (largest finite exponent \u2248 "
            f"{views.EXP_OVERFLOW:.2f}), so the naive formula computes \u221e/\u221e = NaN. "
            "The stable one only ever exponentiates z \u2212 m \u2264 0."
        )
    else:
        st.caption(f"Slide c above about {w.overflow_shift:.0f} to see the naive formula overflow.")


def _jacobian(w: views.SoftmaxView) -> None:
    st.subheader("The Jacobian diag(s) \u2212 s s\u1d40")
    j1, j2 = st.columns([1, 1])
    # Numbers rather than a heat map: sixteen values read at a glance, and a slider redraws
    # one chart fewer.
    j1.latex(rf"J = \frac{{\partial s}}{{\partial z}} = {tex_matrix(w.jacobian, digits=3)}")
    j1.caption(f"Rows s and columns z in the order {', '.join(LABELS)}.")
    j2.latex(r"\frac{\partial s_i}{\partial z_j} = \frac{1}{T}\, s_i(\delta_{ij} - s_j)")
    cat, s0, T = rf"_{{\text{{{LABELS[0]}}}}}", w.s[0], w.temperature
    j2.latex(
        rf"\frac{{\partial s{cat}}}{{\partial z{cat}}} = \frac{{{s0:.3f}\,(1 - {s0:.3f})}}{{{T:g}}}"
        rf" = {w.jacobian[0, 0]:.4f}"
    )
    j2.markdown(
        "Each row sums to 0: raising every logit together leaves the probabilities unchanged. "
        "The diagonal is positive (raising your own score helps you), everything else is negative."
    )


view = record(view)


@st.fragment
def render() -> None:
    """Four logits, a temperature and a shift; probabilities, entropy, stability, Jacobian."""
    z, temperature, shift = _inputs()
    w = view(z, temperature, shift)
    _probabilities(w)
    _stability(w)
    _jacobian(w)
    download_json(
        "Softmax (JSON)",
        {
            "logits": z,
            "shift": shift,
            "temperature": temperature,
            "probabilities": w.s,
            "entropy_nats": w.entropy,
            "jacobian": w.jacobian,
        },
        "softmax.json",
        key=f"{PREFIX}_dl_softmax",
    )
    show_code(
        views.softmax_view,
        act.softmax,
        act.log_softmax,
        act.softmax_naive,
        act.softmax_jacobian,
        act.temperature_sweep,
        export=EXPORT,
    )
