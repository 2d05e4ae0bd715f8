"""Full batch, mini-batch, stochastic: noisier gradients against cheaper steps."""

from __future__ import annotations

import streamlit as st

from charts import descent as ch
from dlcore import minibatch
from dlcore.views import gradient_descent as views
from labs.gradient_descent.keys import PREFIX
from ui import download_csv, notice, show_code, show_table, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("batch", "lr_sgd", "epochs", "seed", "by_epoch")
EXPORT = Export(
    PREFIX,
    "Mini-batches",
    (Step(views.mini_batch_view),),
    (Number("Best fit (w, b)", "w.best"), Number("Loss floor", "w.floor", ".6g")),
    Chart(ch.noise_chart, ("w.noise_sizes", "w.noise_std", views.N_SAMPLES, "batch")),
)
view = st.cache_data(views.mini_batch_view, max_entries=32, show_spinner=False)


def _controls() -> tuple[int, float, int, int]:
    c1, c2, c3, c4 = st.columns(4)
    batch = c1.slider("Batch size B", 1, views.N_SAMPLES, 16, **url(PREFIX, "batch"))
    lr = c2.slider(
        "Learning rate η", 0.005, 0.6, 0.05, 0.005, format="%.3f", **url(PREFIX, "lr_sgd")
    )
    epochs = c3.slider("Epochs", 1, 40, 8, **url(PREFIX, "epochs"))
    seed = c4.number_input("Seed", 0, 9999, 0, **url(PREFIX, "seed"))
    return batch, lr, epochs, int(seed)


def _charts(w: views.MiniBatchView, left, right, by_epoch: bool) -> None:
    show_chart(
        left,
        ch.contour_paths(
            w.gw,
            w.gb,
            w.z,
            w.paths,
            minimum=w.best,
            x_title="slope w",
            y_title="intercept b",
            equal_aspect=False,
            title="Paths over the MSE contours",
        ),
        key="gd_sgd_paths",
    )
    show_chart(
        right,
        ch.loss_curves(
            w.curves,
            floor=w.floor,
            markers=by_epoch,
            dashed=w.dashed,
            x_title=w.x_title,
            title=w.loss_title,
        ),
        key="gd_sgd_loss",
    )


view = record(view)


@st.fragment
def render() -> None:
    """The same regression trained with batches of every size, per update and per epoch."""
    st.subheader("Full batch, mini-batch, stochastic: noise against cheaper steps")
    batch, lr, epochs, seed = _controls()
    left, right = st.columns([1.1, 1])
    by_epoch = right.toggle(
        "Loss per epoch (equal work) instead of per update", True, **url(PREFIX, "by_epoch")
    )
    w = view(lr, batch, epochs, seed, by_epoch=by_epoch)
    _charts(w, left, right, by_epoch)
    st.latex(
        rf"L(w, b) = \tfrac{{1}}{{n}}\sum_{{i=1}}^{{n}} (w x_i + b - y_i)^2,\quad \hat g_{{\mathcal B}}"
        rf" = \tfrac{{2}}{{{batch}}}\sum_{{i\in\mathcal B}} (w x_i + b - y_i)\begin{{pmatrix}}x_i\\1"
        rf"\end{{pmatrix}},\quad \mathbb E[\hat g_{{\mathcal B}}] = \nabla L,\quad "
        rf"\operatorname{{Cov}}[\hat g_{{\mathcal B}}] = \tfrac{{\Sigma}}{{{batch}}}\cdot"
        rf"\tfrac{{{views.N_SAMPLES} - {batch}}}{{{views.N_SAMPLES} - 1}}"
    )
    tcol, ncol = st.columns([1.5, 1])
    show_chart(
        ncol, ch.noise_chart(w.noise_sizes, w.noise_std, views.N_SAMPLES, batch), key="gd_noise"
    )
    with tcol:
        show_table(w.table)
    if w.message.level == "warning":
        st.warning(w.message.text)
    elif w.message.level == "info":
        st.info(w.message.text)
    notice(
        "Per epoch, each method has read the data once: the stochastic run takes 200 cheap, noisy "
        "steps, the full batch one exact step. Small batches get close fast but keep jittering "
        "around the minimum, because their gradient noise (∝ 1/√B) does not vanish there; the full "
        "batch creeps but lands."
    )
    download_csv(
        "Download the mini-batch iterates (CSV)", w.csv, "gd_sgd_iterates.csv", key="gd_csv_sgd"
    )
    show_code(
        views.mini_batch_view,
        minibatch.sgd_linear_regression_loop,
        minibatch.gradient_noise,
        export=EXPORT,
    )
