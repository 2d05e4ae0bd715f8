"""Train the CNN yourself: epochs, learning rate, filters; progress, curves, filters before/after."""

from __future__ import annotations

import numpy as np
import streamlit as st

from charts import backprop as curves
from charts import cnn as charts
from dlcore import cnn
from dlcore.train_digits import load_shipped
from dlcore.views import cnn as views
from labs.cnn.keys import PREFIX, RUN
from ui import download_csv, notice, show_code, url
from ui.export import Chart, Export, Number, Step, note_call
from ui.figures import show_chart

KEYS = ("epochs", "lr", "f1", "f2", "seed")
EXPORT = Export(
    PREFIX,
    "Train it yourself",
    (Step(views.shipped_split, "split"), Step(views.train_network, "result")),
    (
        Number("Test accuracy", "result.test_accuracy", ".3f"),
        Number("Final training loss", "result.history.loss[-1]", ".4f"),
    ),
    Chart(charts.filters_before_after, ("result.filters_before", "result.filters_after")),
)
RATES = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1)
FIRST = (2, 4, 8, 12, 16)
SECOND = (4, 8, 16, 24, 32)
split = st.cache_data(views.shipped_split, max_entries=1, show_spinner=False)


@st.cache_data(max_entries=2, show_spinner=False)
def shipped_filters() -> tuple[np.ndarray, np.ndarray]:
    """The shipped network's first-layer filters before (seed 0) and after its training."""
    fresh = cnn.CNN(cnn.CNNConfig()).params["conv1.weight"].data[:, 0]
    return fresh, load_shipped().params["conv1.weight"].data[:, 0]


def _settings() -> views.TrainSettings:
    c1, c2, c3, c4, c5 = st.columns(5)
    d = views.TrainSettings()
    return views.TrainSettings(
        epochs=c1.slider("Epochs", 1, 30, d.epochs, **url(PREFIX, "epochs")),
        lr=c2.select_slider("Learning rate (Adam)", RATES, value=d.lr, **url(PREFIX, "lr")),
        f1=c3.select_slider("Filters in conv 1", FIRST, value=d.f1, **url(PREFIX, "f1")),
        f2=c4.select_slider("Filters in conv 2", SECOND, value=d.f2, **url(PREFIX, "f2")),
        seed=int(c5.number_input("Seed", 0, 9999, d.seed, step=1, **url(PREFIX, "seed"))),
    )


def _train(settings: views.TrainSettings) -> views.TrainResult:
    bar = st.progress(0.0, text="Training…")

    def report(epoch: int, h: cnn.CNNHistory) -> None:
        bar.progress(
            epoch / settings.epochs,
            text=f"epoch {epoch}/{settings.epochs}: loss {h.loss[-1]:.3f}, "
            f"test accuracy {h.test_accuracy[-1]:.3f}",
        )

    result = views.train_network(settings, split(), on_epoch=report)
    bar.empty()
    st.session_state[RUN] = (settings, result)
    return result


def _show(result: views.TrainResult) -> None:
    h = result.history
    c1, c2, c3 = st.columns(3)
    c1.metric("Test accuracy", f"{result.test_accuracy:.3f}")
    c2.metric("Training time", f"{result.seconds:.1f} s")
    c3.metric("Per epoch", f"{result.seconds / max(len(h.loss), 1):.2f} s")
    nan = np.full(len(h.loss), np.nan)
    curve = curves.training_curves(h.loss, h.accuracy, nan, h.test_accuracy, height=400)
    show_chart(st, curve, key="cnn_curves")
    filters = charts.filters_before_after(result.filters_before, result.filters_after, height=300)
    show_chart(st, filters, key="cnn_filters")
    download_csv(
        "History (CSV)",
        {"epoch": np.arange(1, len(h.loss) + 1), "loss": h.loss, "train_accuracy": h.accuracy,
         "test_accuracy": h.test_accuracy, "seconds": h.seconds},
        "cnn_history.csv",
        key="cnn_dl_history",
    )  # fmt: skip


@st.fragment
def render() -> None:
    """Settings, the Train button, and the run: curves and the first layer's filters."""
    settings = _settings()
    pressed = st.button("Train", type="primary", key=f"{PREFIX}_train")
    st.caption(
        "Training data: 1,347 digits (75 % of each class, seed 0), upsampled to 16 x 16; test "
        "accuracy on the other 450. Adam, batches of 32. The curves show the training loss (mean "
        "over the epoch's batches) and the train and test accuracy."
    )
    saved = st.session_state.get(RUN)
    if pressed:
        result = _train(settings)
    elif saved is not None and saved[0] == settings:
        result = saved[1]
    else:
        st.info(
            "Press **Train** to train a fresh network with these settings (the default 8 epochs "
            "take a few seconds). Below: the shipped network's first-layer filters, before and "
            "after its 30 epochs."
        )
        before, after = shipped_filters()
        show_chart(st, charts.filters_before_after(before, after, height=300), key="cnn_filters")
        return
    data = split()  # one object for both notes: the script passes the split it loaded
    note_call(views.shipped_split, {}, data)
    note_call(views.train_network, {"settings": settings, "split": data}, result)
    _show(result)
    notice(
        "The first-layer filters start as random noise and drift towards stroke and edge detectors "
        "(in a few epochs the change is small: most of the learning happens in later layers). "
        "Too large a learning rate makes the loss jump; too small a one barely moves it in a few "
        "epochs; more filters learn faster per epoch but cost more time."
    )
    show_code(views.train_network, cnn.fit_cnn, export=EXPORT)
