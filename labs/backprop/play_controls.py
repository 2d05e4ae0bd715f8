"""The playground's controls: data, input features, layers, training knobs (all in the URL)."""

from __future__ import annotations

from typing import Any, NamedTuple

import streamlit as st

from dlcore import datasets, nn, schedules
from dlcore import playground as pg
from dlcore.views import playground as views
from labs.backprop.keys import PREFIX
from ui import url

MAX_LAYERS = 6
RATES = [1e-5, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
PENALTIES = [0.0, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
DEFAULT_WIDTHS = (4, 2, 2, 2, 2, 2)
KEYS = (
    "p_data",
    "p_n",
    "p_noise",
    "p_classes",
    "p_test",
    "p_seed",
    "p_feat",
    "p_layers",
    *(f"p_w{k}" for k in range(1, MAX_LAYERS + 1)),
    *(f"p_a{k}" for k in range(1, MAX_LAYERS + 1)),
    "p_init",
    "p_opt",
    "p_lr",
    "p_sched",
    "p_batch",
    "p_l1",
    "p_l2",
    "p_drop",
    "p_speed",
    "p_test_on",
    "p_discrete",
    "p_added",
    "p_click_class",
    "p_click_target",
    "p_ew_layer",
    "p_ew_i",
    "p_ew_j",
    "p_ew_value",
)


class Network(NamedTuple):
    """The architecture's parts the widgets fix (the data fixes outputs and task)."""

    features: tuple[str, ...]
    hidden: tuple[int, ...]
    activations: tuple[str, ...]
    init: str
    seed: int

    def architecture(self, data: views.PlayData) -> pg.Architecture:
        """The run's architecture for ``data`` (its task and number of outputs)."""
        return pg.Architecture(
            self.features,
            self.hidden,
            self.activations,
            data.outputs,
            data.task,
            self.init,
            self.seed,
        )


class Settings(NamedTuple):
    """Everything the controls say: the data, the network, the knobs and the display."""

    data: views.DataSpec
    network: Network
    knobs: views.Knobs
    per_tick: int
    show_test: bool
    discrete: bool


def data_controls() -> views.DataSpec:
    """Data set, points, noise, classes, train/test split and seed."""
    row = st.container(horizontal=True)  # one block, not six columns: fewer deltas per rerun
    source = row.selectbox(
        "Data", views.PLAY_SOURCES, help="regression: plane, bump, curve", **url(PREFIX, "p_data")
    )
    builtin = source != views.UPLOAD
    takes = datasets.DATASETS[source].params if builtin else ()
    n = row.select_slider(
        "Points", [50, 100, 200, 300, 500], 200, disabled=not builtin, **url(PREFIX, "p_n")
    )
    noise = row.select_slider(
        "Noise",
        [0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5],
        0.1,
        disabled="noise" not in takes,
        **url(PREFIX, "p_noise"),
    )
    classes = row.slider(
        "Classes", 2, 5, 2, disabled="n_classes" not in takes, **url(PREFIX, "p_classes")
    )
    test = row.select_slider(
        "Test fraction", [0.1, 0.2, 0.3, 0.5, 0.7, 0.9], 0.5, **url(PREFIX, "p_test")
    )
    seed = int(
        row.number_input("Seed", 0, 9999, 0, help="new data, new weights", **url(PREFIX, "p_seed"))
    )
    return views.DataSpec(source, n, noise, classes, test, seed)


def network_controls(seed: int) -> Network:
    """Input features, hidden layers (each with its width and activation), initialisation."""
    c = st.columns([3, 1, 1])
    features = c[0].pills(
        "Input features",
        list(pg.FEATURES),
        selection_mode="multi",
        default=["x1", "x2"],
        **url(PREFIX, "p_feat"),
    )
    layers = c[1].slider("Hidden layers", 0, MAX_LAYERS, 2, **url(PREFIX, "p_layers"))
    init = c[2].selectbox("Initialisation", list(nn.INITS), 1, **url(PREFIX, "p_init"))
    hidden, acts = [], []
    row = st.container(horizontal=True) if layers else None
    for k in range(1, layers + 1):
        col = row.container(width=140)  # six layers fit in one row, as six columns did
        hidden.append(
            col.slider(f"Layer {k} neurons", 1, 8, DEFAULT_WIDTHS[k - 1], **url(PREFIX, f"p_w{k}"))
        )
        acts.append(
            col.selectbox(
                f"Layer {k} activation", pg.LAYER_ACTIVATIONS, 1, **url(PREFIX, f"p_a{k}")
            )
        )
    order = [f for f in pg.FEATURES if f in (features or ())]
    return Network(tuple(order), tuple(hidden), tuple(acts), init, seed)


def knob_controls() -> tuple[views.Knobs, int]:
    """Optimizer, learning rate and schedule, batch, L1, L2, dropout; epochs per redraw."""
    row = st.container(horizontal=True)
    opt = row.selectbox("Optimizer", views.PLAY_OPTIMIZERS, **url(PREFIX, "p_opt"))
    lr = row.select_slider("Learning rate", RATES, 0.03, **url(PREFIX, "p_lr"))
    sched = row.selectbox(
        "LR schedule",
        list(schedules.SCHEDULES),
        help="spread over 300 epochs (dlcore.schedules)",
        **url(PREFIX, "p_sched"),
    )
    batch = row.slider("Batch size", 1, 30, 10, **url(PREFIX, "p_batch"))
    row = st.container(horizontal=True)  # two rows of four: eight in one would wrap unevenly
    l1 = row.select_slider("L1 rate", PENALTIES, 0.0, **url(PREFIX, "p_l1"))
    l2 = row.select_slider("L2 rate", PENALTIES, 0.0, **url(PREFIX, "p_l2"))
    drop = row.select_slider(
        "Dropout", [0.0, 0.1, 0.2, 0.3, 0.5], 0.0, help="hidden units only", **url(PREFIX, "p_drop")
    )
    speed = row.select_slider("Epochs per redraw", [1, 2, 5, 10, 20], 5, **url(PREFIX, "p_speed"))
    return views.Knobs(opt, lr, sched, 300, batch, l1, l2, drop), speed


def controls() -> tuple[Settings, Any]:
    """All the playground's widgets in three tabs (data, network, training), so the live view
    stays in sight; returns the settings and the data tab (for the upload and added points)."""
    tabs = st.tabs(["Data", "Features and layers", "Training"])
    with tabs[0]:
        data = data_controls()
        row = st.container(horizontal=True)
        show_test = row.toggle("Show test data", True, **url(PREFIX, "p_test_on"))
        discrete = row.toggle("Discretize output", False, **url(PREFIX, "p_discrete"))
    with tabs[1]:
        network = network_controls(data.seed)
    with tabs[2]:
        knobs, per_tick = knob_controls()
    return Settings(data, network, knobs, per_tick, show_test, discrete), tabs[0]
