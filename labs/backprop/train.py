"""Train an MLP live: Train, Step and Reset, the decision boundary and the curves."""

from __future__ import annotations

import streamlit as st

from charts import backprop as charts
from dlcore import mlp_pass, nn
from dlcore.views import backprop as views
from labs.backprop import train_controls as controls
from labs.backprop.keys import PREFIX, RUN
from ui import (
    download_csv,
    download_json,
    download_npz,
    notice,
    show_code,
    show_error,
    show_run_status,
    url,
)
from ui.export import Chart, Export, Number, Step, note_call, record
from ui.figures import show_chart

KEYS = (*controls.KEYS, "inside")
EXPORT = Export(
    PREFIX,
    "Train an MLP",
    (Step(views.load_split, "split"), Step(views.train_run, "progress"), Step(views.trainer_view)),
    (Number("Status", "w.status"), Number("Figures", "w.metrics")),
    Chart(
        charts.training_curves,
        ("progress.loss", "progress.accuracy", "progress.test_loss", "progress.test_accuracy"),
        {"diverged_at": "progress.diverged_at"},
    ),
)
load = st.cache_data(views.load_split, max_entries=16, show_spinner=False)
trained = st.cache_data(views.train_run, max_entries=8, show_spinner=False)
view = st.cache_data(views.trainer_view, max_entries=16, show_spinner=False)
inside = st.cache_data(views.network_inside_view, max_entries=8, show_spinner=False)


def _progress(
    cfg: views.TrainConfig, split: views.Split, pressed: controls.Pressed, epochs: int
) -> nn.Progress:
    """The run to show, kept in the session between clicks (and for the gradient check)."""
    saved = st.session_state.get(RUN)
    if pressed.train or (saved is None and not pressed.reset):
        progress = trained(cfg, split, None, epochs)  # the first visit shows a trained network
    elif pressed.reset or saved[0] != cfg:
        progress = views.train_run(cfg, split, None, 0)
    else:
        progress = saved[1]
    if pressed.steps:
        progress = views.train_run(cfg, split, progress, pressed.steps)
    st.session_state[RUN] = (cfg, progress)
    note_call(
        views.train_run,
        {"cfg": cfg, "split": split, "progress": None, "epochs": progress.epoch},
        progress,
    )
    return progress


def _summary(w: views.TrainerView, cfg: views.TrainConfig) -> None:
    show_run_status(w.status, w.message, w.metrics)
    sizes = r" \to ".join(str(s) for s in w.sizes)
    st.latex(
        rf"\text{{network }} {sizes},\quad L = \frac{{1}}{{B}}\sum_i -\log "
        rf"\mathrm{{softmax}}(z_i)_{{y_i}} + \frac{{{cfg.l2:g}}}{{2}}\sum_\ell \lVert W_\ell\rVert^2"
    )
    if cfg.l2 > 0:  # History logs the data term alone, as PyTorch users usually do
        st.caption(
            "The loss curves and the cross-entropy above show the first term alone (the fit), "
            "not the L2 term."
        )
    st.latex(w.optimizer_latex)
    if w.note:
        st.info(w.note)


def _inside(cfg: views.TrainConfig, split: views.Split, progress: nn.Progress) -> None:
    v = inside(cfg, split, progress)
    left, right = st.columns(2)
    show_chart(left, charts.gradient_norms(v.grad_norms), key="bp_norms")
    if v.neurons is not None:
        with right:
            st.markdown("**First hidden layer**: what each neuron computes over the plane")
            show_chart(st, charts.neuron_maps(v.xs, v.ys, v.neurons), key="bp_neurons")


def _downloads(w: views.TrainerView, cfg: views.TrainConfig) -> None:
    st.subheader("Downloads")
    d = st.columns(3)
    with d[0]:
        download_npz("Weights (NPZ)", w.weights, "mlp_weights.npz", key="bp_dl_npz")
    with d[1]:
        download_json(
            "Weights (JSON)",
            {"sizes": w.sizes, "activation": cfg.activation, "weights": w.weights},
            "mlp_weights.json",
            key="bp_dl_json",
        )
    with d[2]:
        download_csv("History (CSV)", w.history, "training_history.csv", key="bp_dl_csv")


load = record(load)
view = record(view)


@st.fragment
def render() -> None:
    """The trainer: controls, buttons, the run's boundary and curves; the inside on request."""
    cfg, epochs, button_row = controls.controls()
    try:
        split = load(cfg)
    except ValueError as exc:
        show_error(exc)
        return
    progress = _progress(cfg, split, controls.buttons(button_row, epochs), epochs)
    w = view(cfg, split, progress, epochs)
    _summary(w, cfg)
    left, right = st.columns(2)
    show_chart(
        left,
        charts.decision_regions(
            w.xs, w.ys, w.proba, split.X_train, split.y_train, split.X_test, split.y_test
        ),
        key="bp_regions",
    )
    show_chart(
        right,
        charts.training_curves(
            progress.loss,
            progress.accuracy,
            progress.test_loss,
            progress.test_accuracy,
            diverged_at=progress.diverged_at,
        ),
        key="bp_curves",
    )
    if st.toggle(
        "Look inside: gradient norm per layer and the first layer's neurons",
        **url(PREFIX, "inside"),
    ):
        _inside(cfg, split, progress)
    notice(
        "Each first-layer neuron can only draw one straight edge (a ramp for ReLU, a soft step "
        "for tanh); the next layers combine these edges into the curved boundary. Try XOR with one "
        "hidden layer of 2 neurons, zero initialisation (all neurons stay identical), or a "
        "learning rate of 100."
    )
    show_code(
        views.trainer_view,
        views.train_run,
        nn.fit,
        mlp_pass.MLPPass.forward,
        mlp_pass.MLPPass.backward,
        export=EXPORT,
    )
    _downloads(w, cfg)
