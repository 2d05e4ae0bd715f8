"""The shipped network's mistakes: the confusion matrix on the test set and the digits it gets wrong."""

from __future__ import annotations

import streamlit as st

from charts import cnn as charts
from dlcore.views import cnn as views
from labs.cnn.keys import PREFIX
from ui import notice, show_code, show_table, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("true", "norm")
EXPORT = Export(
    PREFIX,
    "Mistakes",
    (Step(views.mistakes_view),),
    (Number("Test accuracy", "w.accuracy", ".3f"), Number("Misclassified", "w.index")),
    Chart(charts.confusion, ("w.confusion",), {"normalised": "normalise"}),
)
CLASSES = ("all", *(str(k) for k in range(10)))


@st.cache_data(max_entries=22, show_spinner=False)
def view(true_class: int, normalise: bool) -> views.MistakesView:
    """``views.mistakes_view`` (the shipped network on the 450 test digits)."""
    return views.mistakes_view(true_class, normalise)


view = record(view, views.mistakes_view)


@st.fragment
def render() -> None:
    """Confusion matrix, per-class recall, and the misclassified test digits."""
    c1, c2 = st.columns(2)
    chosen = c1.selectbox("Mistakes on true class", CLASSES, **url(PREFIX, "true"))
    normalise = c2.toggle("Rows as shares of each class", value=False, **url(PREFIX, "norm"))
    w = view(-1 if chosen == "all" else int(chosen), normalise)
    st.metric("Test accuracy of the shipped network", f"{w.accuracy:.3f} (450 digits)")
    left, right = st.columns([1, 1])
    show_chart(left, charts.confusion(w.confusion, normalised=normalise), key="cnn_confusion")
    with right:
        if len(w.true):
            st.markdown(
                f"**{len(w.true)} misclassified** (true → predicted, confidence, test position; "
                "open a position in *Trained network* to look inside)"
            )
            titles = [
                f"{t}→{p} {c:.0%} #{i}"
                for t, p, c, i in zip(w.true, w.predicted, w.confidence, w.index)
            ]
            show_chart(st, charts.digit_grid(w.images, titles, columns=5), key="cnn_wrong")
        else:
            st.success(f"No test digit of class {chosen} is misread.")
    st.markdown("**Recall per class** (share of each true class read correctly)")
    show_table({str(k): [f"{r:.2f}"] for k, r in enumerate(w.recall)})
    notice(
        "Off-diagonal cells are confusions: which digits look alike to the network. Many "
        "mistakes are confident, so a high softmax probability is not a guarantee."
    )
    show_code(views.mistakes_view, export=EXPORT)
