"""The unrolled graph: forward values per step and BPTT written out with the current numbers."""

from __future__ import annotations

import streamlit as st

from charts import rnn as charts
from dlcore import rnn
from dlcore.rnn_train import SEQUENCE_TASKS
from dlcore.views import rnn as views
from labs.rnn.keys import PREFIX
from ui import download_npz, notice, show_code, show_error, show_table, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart
from ui.state import keep_in_range

KEYS = ("task", "length", "step", "seed")
EXPORT = Export(
    PREFIX,
    "Unrolled graph",
    (Step(views.unrolled_view, "v"),),
    (Number("Loss", "v.loss", ".4f"), Number("Gradient check passed", "v.passed")),
    Chart(charts.unrolled_graph, ("v.inputs", "v.targets", "v.h", "v.dh", "step")),
)
view = st.cache_data(views.unrolled_view, max_entries=32, show_spinner=False)


def _inputs() -> tuple[str, int, int, int]:
    c = st.columns(4)
    task = c[0].selectbox("Sequence", list(SEQUENCE_TASKS), **url(PREFIX, "task"))
    length = c[1].slider("Steps T", 2, 10, 5, **url(PREFIX, "length"))
    keep_in_range(f"{PREFIX}_step", 1, length, length)  # the step must exist in the new T
    step = c[2].slider("Step t written out", 1, length, length, **url(PREFIX, "step"))
    seed = int(c[3].number_input("Seed", 0, 9999, 0, **url(PREFIX, "seed")))
    return task, length, step, seed


def _check(v: views.UnrolledView) -> None:
    c = v.check
    st.markdown("**Gradient check**: every weight nudged by ±10⁻⁶, BPTT against the differences")
    show_table(
        {
            "parameter": list(c.names),
            "shape": [" × ".join(map(str, a.shape)) for a in c.analytic],
            "relative error": [f"{e:.1e}" for e in c.errors],
            "passed": ["yes" if e < views.RNN_CHECK_THRESHOLD else "no" for e in c.errors],
        }
    )
    if v.passed:
        st.success(
            f"BPTT agrees with central differences (all below {views.RNN_CHECK_THRESHOLD:g})."
        )
    else:
        st.error("BPTT disagrees with central differences: the backward pass has a bug.")


view = record(view)


@st.fragment
def render() -> None:
    """A 3-unit tanh RNN on one sequence: the graph, one step forward and backward, the check."""
    task, length, step, seed = _inputs()
    try:
        v = view(task, length, step, seed)
    except ValueError as exc:
        show_error(exc)
        return
    st.latex(
        r"a_t = x_t W_{xh} + h_{t-1} W_{hh} + b_h,\quad h_t = \tanh(a_t),\quad "
        r"y_t = h_t W_{hy} + b_y,\qquad " + v.spec.latex
    )
    loss_name = "mean squared error" if v.spec.loss == "mse" else "softmax cross-entropy"
    st.caption(
        f"H = {views.SMALL_HIDDEN} hidden units, h₀ = 0, seeded weights; L = {v.loss:.4f}, the "
        f"{loss_name} averaged over the {length} steps. Hover a state for its numbers."
    )
    show_chart(st, charts.unrolled_graph(v.inputs, v.targets, v.h, v.dh, step), key="rnn_graph")
    with st.expander("Forward values at every step"):
        show_table(
            {
                "t": list(range(1, length + 1)),
                "input x_t": v.inputs,
                "state h_t": [" ".join(f"{x:+.3f}" for x in row) for row in v.h[1:]],
                "output y_t": v.outputs,
                "target": v.targets,
                "‖∂L/∂h_t‖": [f"{n:.3g}" for n in v.dh_norm[1:]],
            }
        )
    st.markdown(f"**Forward, step {step}**: the same weights at every step")
    for line in v.forward_tex:
        st.latex(line)
    st.markdown(f"**Backward through time, step {step}**")
    for line in v.backward_tex:
        st.latex(line)
    notice(
        "The state h_t feeds two things, its output y_t and the next state, so its gradient is "
        "the sum of two paths; the path from later steps passes through W_hh once per step. "
        "Step t down to 1 and watch the colour (the gradient's size) change along the chain."
    )
    _check(v)
    download_npz(
        "States and gradients (NPZ)", {"h": v.h, "dL_dh": v.dh}, "rnn_bptt.npz", key="rnn_dl_bptt"
    )
    show_code(
        views.unrolled_view,
        rnn.rnn_forward,
        rnn.rnn_backward,
        rnn.rnn_gradient_check,
        export=EXPORT,
    )
