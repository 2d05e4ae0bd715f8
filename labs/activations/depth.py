"""Vanishing and exploding gradients: one batch forward and one gradient back through L layers."""

from __future__ import annotations

import streamlit as st

from charts import activations as charts
from dlcore import activations as act
from dlcore import depth as dp
from dlcore.initializers import INITIALIZERS
from dlcore.tex import tex_number as tex
from dlcore.views import activations as views
from labs.activations.keys import PREFIX
from labs.activations.params import param_slider
from ui import download_npz, notice, show_code, show_error, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("depth_fn", "init", "std", "depth", "width", "seed", "compare", *views.PARAMS)
EXPORT = Export(
    PREFIX,
    "Gradients through depth",
    (Step(views.depth_view),),
    (
        Number("Gradient norms, activation std, dead units", "w.metrics"),
        Number("Verdict", "w.verdict.kind"),
    ),
    Chart(charts.signal_through_depth, ("w.result.act_std", "w.result.grad_norm")),
    only_when={"std": ("init", ("Normal",))},
)
SIGMAS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0]
view = st.cache_data(views.depth_view, max_entries=32, show_spinner=False)
compare = st.cache_data(views.compare_inits, max_entries=16, show_spinner=False)
COMPARE = (
    "Compare Sigmoid with Xavier (vanishes) against ReLU with He normal (flat), and Normal with "
    "\u03c3 = 1 for a forward signal that explodes."
)


def _inputs() -> tuple:
    c1, c2, c3 = st.columns(3)
    names = list(act.ACTIVATIONS)
    activation = c1.selectbox(
        "Activation", names, index=names.index("Sigmoid"), **url(PREFIX, "depth_fn")
    )
    depth = c1.slider("Layers L", 1, 50, 30, **url(PREFIX, "depth"))
    inits = list(INITIALIZERS)
    init = c2.selectbox(
        "Initialisation", inits, index=inits.index("Xavier normal"), **url(PREFIX, "init")
    )
    std = c2.select_slider(
        "\u03c3 of the Normal initialisation",
        SIGMAS,
        0.1,
        disabled=init != "Normal",
        **url(PREFIX, "std"),
    )
    width = c3.select_slider(
        "Width (units per layer)", [8, 16, 32, 64, 128, 256], 128, **url(PREFIX, "width")
    )
    seed = int(c3.number_input("Seed", 0, 10_000, 0, **url(PREFIX, "seed")))
    # The activation's own parameter, shared with the gallery (same key, same value).
    spec = act.ACTIVATIONS[activation]
    params = {p.name: param_slider(activation, p, c3) for p in spec.params}
    return activation, init, depth, width, std, seed, params


def _signal(w: views.DepthView, depth: int, width: int) -> None:
    st.latex(
        rf"{w.init_latex} \;\Rightarrow\; \operatorname{{Var}} W_{{ij}} = {tex(w.variance)}, "
        rf"\qquad n_{{in}}\operatorname{{Var}} W_{{ij}} = {width} \times {tex(w.variance)} = "
        rf"{tex(w.fan_variance)}"
    )
    if w.verdict.kind == "overflow":
        st.warning(w.verdict.sentence)
    m = st.columns(4)
    m[0].metric("\u2016\u2202L/\u2202W\u2081\u2016 (first layer)", w.metrics["first"])
    m[1].metric(f"\u2016\u2202L/\u2202W\u2016 at layer {depth}", w.metrics["top"])
    m[2].metric(f"Std of activations at layer {depth}", w.metrics["std"])
    m[3].metric(f"Dead units at layer {depth}", w.metrics["dead"])
    r = w.result
    left, right = st.columns(2)
    show_chart(left, charts.signal_through_depth(r.act_std, r.grad_norm), key=f"{PREFIX}_signal")
    show_chart(right, charts.layer_histograms(r.hist, r.edges), key=f"{PREFIX}_hist")
    notice(COMPARE if w.verdict.kind == "overflow" else f"{w.verdict.sentence} {COMPARE}")
    if w.dead_units:
        show_chart(st, charts.dead_units(r.dead_fraction), key=f"{PREFIX}_dead")
        st.caption(
            "A unit is dead on this batch when its input is negative for every example, so no "
            "gradient reaches its weights. With no biases the pattern does not depend on "
            "\u03c3: ReLU(c\u00b7x) = c\u00b7ReLU(x)."
        )


def _bound(w: views.DepthView, activation: str) -> None:
    r, sh = w.result, w.shrink
    st.subheader(
        f"The textbook bound for {activation}: at most max|f\u2032| = {r.max_grad:.3g} per layer"
    )
    if sh is None:
        st.info(
            "The comparison needs a finite backward pass; pick a setting that does not overflow."
        )
        return
    st.latex(
        rf"\frac{{\|\delta_1\|}}{{\|\delta_L\|}} = {tex(sh.measured[0])} \;\le\; "
        rf"\underbrace{{{r.max_grad:.3g}^{{{w.bound_power}}}}}_{{(\max|f'|)^{{L-1}}}} "
        rf"\prod_{{k=2}}^{{L}} w_k = {tex(sh.textbook[0])} \times {tex(sh.weight_part[0])} = "
        rf"{tex(sh.bound[0])}"
    )
    show_chart(
        st, charts.shrinkage(sh.measured, sh.textbook, sh.bound, r.max_grad), key=f"{PREFIX}_shrink"
    )
    st.markdown(
        f"Going one layer down multiplies the gradient by a derivative factor "
        rf"$\|\delta_l\| / \|g_l\| \le \max|f'| = {r.max_grad:.3g}$ and a weight factor $w_l$ "
        rf"(about $\sqrt{{n \operatorname{{Var}} W}}$: 1 under Xavier, $\sqrt 2$ under He, making "
        rf"up for ReLU's derivative factor of about $1/\sqrt 2$). The derivative part alone is "
        f"${tex(sh.derivative_part[0])}$ here, never above ${tex(sh.textbook[0])}$; the weights "
        "can hide or worsen it."
    )


view = record(view)


@st.fragment
def render() -> None:
    """A deep stack's forward signal and backward gradient, judged and against the textbook."""
    st.markdown(
        "A stack of L fully connected layers of equal width, no biases: a random batch goes "
        "forward and a random gradient comes back. Both are seeded, so the picture is "
        "reproducible."
    )
    activation, init, depth, width, std, seed, params = _inputs()
    try:
        w = view(activation, init, depth, width, std, seed, params)
    except ValueError as exc:
        show_error(exc)
        return
    _signal(w, depth, width)
    if st.toggle("Compare every initialisation for this activation", **url(PREFIX, "compare")):
        norms = compare(activation, depth, width, std, seed, params)
        show_chart(st, charts.gradient_by_init(norms), key=f"{PREFIX}_by_init")
        st.caption(
            f"Normal uses \u03c3 = {std:g}. The right initialisation depends on the activation: "
            "He's factor 2 makes up for ReLU zeroing half its inputs, Xavier suits tanh."
        )
    _bound(w, activation)
    stats = w.result._asdict() | ({} if w.shrink is None else w.shrink._asdict())
    download_npz(
        "Per-layer statistics (NPZ)", stats, "depth_experiment.npz", key=f"{PREFIX}_dl_depth"
    )
    show_code(
        views.depth_view, dp.depth_experiment, dp.shrinkage, dp.gradient_verdict, export=EXPORT
    )
