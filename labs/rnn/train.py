"""Train an RNN live on the chosen sequence task: buttons, loss curves, a held-out prediction."""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from charts import rnn as charts
from dlcore import rnn, rnn_train
from dlcore.rnn_train import SEQUENCE_TASKS, RNNTrainConfig
from dlcore.views import rnn as views
from labs.rnn.keys import PREFIX, RUN
from labs.rnn.vanishing import RADII
from ui import download_csv, notice, show_code, show_error, show_run_status, show_table, url
from ui.export import Chart, Export, Number, Step, note_call, record
from ui.figures import show_chart

KEYS = (
    "ttask",
    "hidden_n",
    "tlength",
    "opt",
    "lr",
    "init_radius",
    "tclip_on",
    "tclip",
    "seed_n",
    "steps",
)
EXPORT = Export(
    PREFIX,
    "Train an RNN",
    (Step(views.train_run_rnn, "run"), Step(views.rnn_train_view)),
    (Number("Status", "w.status"), Number("Figures", "w.metrics")),
    Chart(charts.rnn_training_curves, ("run.loss", "run.grad_norm", "config.clip")),
)
RATES = [1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0]
OPTIMIZERS = ["Adam", "RMSProp", "Momentum", "SGD"]
trained = st.cache_data(views.train_run_rnn, max_entries=8, show_spinner=False)
view = st.cache_data(views.rnn_train_view, max_entries=16, show_spinner=False)


class Pressed(NamedTuple):
    """Which button was pressed in this run."""

    train: bool
    step: bool
    reset: bool


def _controls() -> tuple[RNNTrainConfig, int, Pressed]:
    c = st.columns(5)
    task = c[0].selectbox("Sequence", list(SEQUENCE_TASKS), **url(PREFIX, "ttask"))
    hidden = c[1].select_slider("Hidden units H", [4, 8, 16, 32], 16, **url(PREFIX, "hidden_n"))
    length = c[2].slider("Steps per sequence", 5, 40, 20, **url(PREFIX, "tlength"))
    opt = c[3].selectbox("Optimizer", OPTIMIZERS, **url(PREFIX, "opt"))
    lr = c[4].select_slider("Learning rate", RATES, 0.01, **url(PREFIX, "lr"))
    d = st.columns(5)
    radius = d[0].select_slider(
        "Initial ρ of W_hh", [*RADII, 1.75, 2.0], 0.9, **url(PREFIX, "init_radius")
    )
    clip_on = d[1].toggle("Clip the gradient", True, **url(PREFIX, "tclip_on"))
    clip = d[2].select_slider(
        "Max norm c", [0.1, 0.5, 1.0, 5.0], 1.0, disabled=not clip_on, **url(PREFIX, "tclip")
    )
    seed = int(d[3].number_input("Seed", 0, 9999, 0, **url(PREFIX, "seed_n")))
    steps = d[4].select_slider("Steps per press", [50, 100, 200, 300], 200, **url(PREFIX, "steps"))
    cfg = RNNTrainConfig(
        task=task,
        hidden=hidden,
        length=length,
        batch=16,
        optimizer=opt,
        lr=lr,
        radius=radius,
        clip=clip if clip_on else None,
        seed=seed,
    )
    b = st.columns([1, 1, 1, 3])
    pressed = Pressed(
        b[0].button(
            "Train", type="primary", key="rnn_btn_train", help=f"from scratch, {steps} steps"
        ),
        b[1].button(f"Step {steps}", key="rnn_btn_step"),
        b[2].button("Reset", key="rnn_btn_reset"),
    )
    return cfg, steps, pressed


def _run(cfg: RNNTrainConfig, steps: int, pressed: Pressed) -> rnn_train.RNNRun:
    """The run to show, kept in the session between presses."""
    saved = st.session_state.get(RUN)
    if pressed.train or (saved is None and not pressed.reset):
        run = trained(cfg, None, steps)  # the first visit shows a trained network
    elif pressed.reset or saved[0] != cfg:
        run = rnn_train.start_run(cfg)
    else:
        run = saved[1]
    if pressed.step:
        run = views.train_run_rnn(cfg, run, steps)
    st.session_state[RUN] = (cfg, run)
    note_call(views.train_run_rnn, {"config": cfg, "run": None, "steps": run.step}, run)
    return run


def _prediction(w: views.TrainView, task: str) -> None:
    p = w.prediction
    if task == "Sine wave":
        show_chart(st, charts.sequence_prediction(p.targets, p.outputs), key="rnn_pred")
        return
    correct = p.outputs == p.targets
    show_chart(st, charts.class_confidence(w.targets, p.confidence, correct), key="rnn_pred")
    shown = min(len(w.inputs), 14)
    show_table(
        {"step": ["input", "target", "predicted"]}
        | {str(t + 1): [w.inputs[t], w.targets[t], w.outputs[t]] for t in range(shown)}
    )


view = record(view)


@st.fragment
def render() -> None:
    """Controls and buttons, the run's loss and gradient norm, a held-out sequence."""
    cfg, steps, pressed = _controls()
    try:
        run = _run(cfg, steps, pressed)
        w = view(cfg, run)
    except ValueError as exc:
        show_error(exc)
        return
    show_run_status(w.status, w.message, w.metrics)
    st.latex(SEQUENCE_TASKS[cfg.task].latex + r",\qquad " + w.optimizer_tex)
    show_chart(st, charts.rnn_training_curves(run.loss, run.grad_norm, cfg.clip), key="rnn_curves")
    _prediction(w, cfg.task)
    notice(
        "Each press trains on fresh seeded batches of 16 sequences, with BPTT through every "
        "step. Try SGD at learning rate 0.3 with clipping off: one gradient blows up and the run "
        "diverges; turn clipping on and the same run trains. Parity needs the longest memory: "
        "with ρ = 0.5 it learns slowly, if at all."
    )
    download_csv(
        "Training history (CSV)",
        {"step": list(range(run.step)), "loss": run.loss, "grad_norm": run.grad_norm},
        "rnn_training.csv",
        key="rnn_dl_train",
    )
    show_code(rnn_train.train_rnn, rnn_train.make_sequences, rnn.clip_by_norm, export=EXPORT)
