"""The trainer's controls: data, network, optimizer and the training buttons."""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from dlcore import datasets, nn
from dlcore.views import backprop as views
from labs.backprop.keys import PREFIX
from ui import url

BATCHES = ["full", 8, 16, 32, 64, 128]
LEARNING_RATES = [1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 100.0]
KEYS = (
    "data",
    "n",
    "noise",
    "classes",
    "test",
    "seed",
    "layers",
    "width",
    "act",
    "init",
    "opt",
    "lr",
    "batch",
    "l2",
    "epochs",
)


class Pressed(NamedTuple):
    """Which training button was pressed in this run."""

    train: bool
    reset: bool
    steps: int  #: epochs to step (0, 1 or 10)


def _data_controls() -> dict:
    c = st.columns(6)
    name = c[0].selectbox("Data set", views.TRAIN_DATASETS, **url(PREFIX, "data"))
    n = c[1].select_slider("Points", [50, 100, 200, 300, 500], 200, **url(PREFIX, "n"))
    takes = datasets.DATASETS[name].params  # grey out what this data set ignores
    noise = c[2].select_slider(
        "Noise",
        [0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5],
        0.15,
        disabled="noise" not in takes,
        help="for moons, circles, xor and spirals",
        **url(PREFIX, "noise"),
    )
    classes = c[3].slider(
        "Classes",
        2,
        5,
        3,
        disabled="n_classes" not in takes,
        help="for blobs, spirals and classification",
        **url(PREFIX, "classes"),
    )
    test = c[4].select_slider(
        "Test fraction", [0.1, 0.2, 0.3, 0.5, 0.9, 0.97], 0.3, **url(PREFIX, "test")
    )
    seed = int(c[5].number_input("Seed", 0, 9999, 0, **url(PREFIX, "seed")))
    return dict(data=name, n=n, noise=noise, classes=classes, test_fraction=test, seed=seed)


def _model_controls() -> dict:
    c = st.columns(6)
    layers = c[0].slider("Hidden layers", 0, 4, 2, **url(PREFIX, "layers"))
    width = c[1].slider("Neurons per layer", 1, 16, 8, **url(PREFIX, "width"))
    activation = c[2].selectbox(
        "Activation", ["relu", "tanh", "sigmoid", "identity"], **url(PREFIX, "act")
    )
    init = c[3].selectbox("Initialisation", list(nn.INITS), **url(PREFIX, "init"))
    opt = c[4].selectbox("Optimizer", ["Adam", "Momentum", "SGD"], **url(PREFIX, "opt"))
    lr = c[5].select_slider("Learning rate", LEARNING_RATES, 0.03, **url(PREFIX, "lr"))
    return dict(layers=layers, width=width, activation=activation, init=init, optimizer=opt, lr=lr)


def controls() -> tuple[views.TrainConfig, int, list]:
    """The trainer's widgets: the run's configuration, the epochs for Train, the button row."""
    given = _data_controls() | _model_controls()
    c = st.columns([1, 1, 1, 3])
    batch = c[0].select_slider("Batch size", BATCHES, 32, **url(PREFIX, "batch"))
    l2 = c[1].select_slider("L2 penalty λ", [0.0, 1e-4, 1e-3, 1e-2, 0.1], 0.0, **url(PREFIX, "l2"))
    epochs = c[2].slider("Epochs for Train", 10, 300, 100, 10, **url(PREFIX, "epochs"))
    return views.TrainConfig(batch=batch, l2=l2, **given), epochs, c[3]


def buttons(where, epochs: int) -> Pressed:
    """Step 1 epoch, Step 10, Train (from a fresh start), Reset."""
    b = where.columns(4, vertical_alignment="bottom")
    step1 = b[0].button("Step 1 epoch", key="bp_step1")
    step10 = b[1].button("Step 10", key="bp_step10")
    train = b[2].button(
        "Train", type="primary", key="bp_train", help=f"from a fresh start, {epochs} epochs"
    )
    reset = b[3].button("Reset", key="bp_reset")
    return Pressed(train, reset, 1 if step1 else 10 if step10 else 0)
