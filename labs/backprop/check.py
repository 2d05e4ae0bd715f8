"""Gradient check: the trainer's backward pass against central differences."""

from __future__ import annotations

import streamlit as st

from charts import backprop as charts
from dlcore import gradcheck, nn
from dlcore.views import backprop as views
from labs.backprop.keys import PREFIX, RUN
from ui import notice, show_code, show_error, url
from ui.export import Chart, Export, Number, Step, note_call, record
from ui.figures import show_chart

KEYS = ("broken",)
EXPORT = Export(
    PREFIX,
    "Gradient check",
    (
        Step(views.load_split, "split"),
        Step(views.train_run, "progress"),
        Step(views.gradient_check_view, "v"),
    ),
    (
        Number("Largest relative error", "v.worst", ".3g"),
        Number("Passed", "v.passed"),
        Number("Verdict", "v.verdict"),
    ),
    Chart(charts.gradient_check_bars, ("v.names", "v.errors"), {"threshold": "v.threshold"}),
)
load = st.cache_data(views.load_split, max_entries=16, show_spinner=False)
trained = st.cache_data(views.train_run, max_entries=8, show_spinner=False)
view = st.cache_data(views.gradient_check_view, max_entries=16, show_spinner=False)


def _network() -> tuple[views.TrainConfig, views.Split, nn.Progress]:
    """The trainer's current run, or its first view when the trainer was not opened yet."""
    saved = st.session_state.get(RUN)
    if saved is not None:
        cfg, progress = saved
        split = load(cfg)
        where = "the network of the Train an MLP panel"
    else:
        cfg, epochs = views.DEFAULT_CONFIG, views.DEFAULT_EPOCHS
        split = load(cfg)
        progress = trained(cfg, split, None, epochs)
        where = "the Train an MLP panel's default network (open that panel to change it)"
    sizes = " → ".join(str(s) for s in cfg.sizes(split.n_classes))
    st.caption(
        f"Checking {where}: {sizes}, {cfg.activation}, {cfg.data}, after {progress.epoch} "
        f"epochs, on its first {views.CHECK_ROWS} training points."
    )
    note_call(
        views.train_run,
        {"cfg": cfg, "split": split, "progress": None, "epochs": progress.epoch},
        progress,
    )
    return cfg, split, progress


load = record(load)
view = record(view)


@st.fragment
def render() -> None:
    """Relative error per parameter tensor, and a planted bug to see a failure."""
    broken = st.toggle(
        "Break it: use a wrong derivative (f′ taken as f itself)", **url(PREFIX, "broken")
    )
    try:
        cfg, split, progress = _network()
    except ValueError as exc:
        show_error(exc, hint="Change the data in the Train an MLP panel.")
        return
    v = view(cfg, split, progress.weights, broken)
    st.latex(
        r"\frac{\partial L}{\partial\theta_i} \approx \frac{L(\theta + \varepsilon e_i) - "
        r"L(\theta - \varepsilon e_i)}{2\varepsilon},\ \varepsilon = 10^{-6},\qquad "
        r"\text{rel. error} = \frac{\lVert g_\text{backprop} - g_\text{numeric}\rVert}"
        r"{\lVert g_\text{backprop}\rVert + \lVert g_\text{numeric}\rVert},\quad "
        rf"\max = {v.mantissa:g} \times 10^{{{v.exponent}}}"
    )
    (st.success if v.passed else st.error)(v.verdict)
    if v.skipped:
        st.caption(
            f"{v.skipped} of {v.rows + v.skipped} points were left out: each has a ReLU input "
            "at its kink 0 (zero biases put whole groups of points there), where a central "
            "difference straddles the corner and measures the average of the slopes 0 and 1."
        )
    show_chart(
        st, charts.gradient_check_bars(v.names, v.errors, threshold=v.threshold), key="bp_check"
    )
    notice(
        "A correct backward pass agrees with finite differences to about 1e-7 or better. The "
        "broken derivative leaves the forward pass (and so the loss) unchanged, yet every layer "
        "whose gradient flows back through an activation fails; only the output layer, which "
        "sits after the last activation, still passes."
    )
    show_code(
        views.gradient_check_view,
        gradcheck.check_network_gradients,
        gradcheck.near_kink,
        nn.broken_activation,
        export=EXPORT,
    )
