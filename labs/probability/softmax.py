"""Softmax cross-entropy: the classifier's loss and its gradient p − y."""

from __future__ import annotations

import streamlit as st

from charts import probability as charts
from dlcore import probability as prob
from dlcore.views import probability as views
from labs.probability.keys import PREFIX
from ui import notice, show_code, url
from ui.export import Chart, Export, Lit, Number, Step, record
from ui.figures import show_chart

LOGITS = tuple(f"z{i}" for i in range(len(views.OUTCOMES)))
KEYS = (*LOGITS, "label")
EXPORT = Export(
    PREFIX,
    "Softmax cross-entropy",
    (Step(views.softmax_loss_view),),
    (
        Number("Loss (nats)", "w.result.loss", ".4f"),
        Number("Probabilities", "w.result.probs"),
        Number("Gradient p − y", "w.result.grad"),
    ),
    Chart(
        charts.softmax_loss, (Lit(views.OUTCOMES), "w.result.probs", "w.onehot", "w.result.grad")
    ),
)
DEFAULTS = (2.0, 1.0, 0.1, -1.0)
view = st.cache_data(views.softmax_loss_view, max_entries=64, show_spinner=False)


view = record(view)


@st.fragment
def render() -> None:
    """Four logits and a true class in; probabilities, loss and gradient out."""
    st.subheader("Softmax cross-entropy: the classifier's loss")
    cols = st.columns(len(views.OUTCOMES) + 1)
    z = [
        cols[i].slider(f"logit z({k})", -5.0, 5.0, DEFAULTS[i], 0.1, **url(PREFIX, LOGITS[i]))
        for i, k in enumerate(views.OUTCOMES)
    ]
    label = cols[-1].selectbox("True class y", views.OUTCOMES, **url(PREFIX, "label"))
    w = view(z, label)
    out = w.result
    show_chart(st, charts.softmax_loss(views.OUTCOMES, out.probs, w.onehot, out.grad))
    st.latex(
        rf"L = -\ln \operatorname{{softmax}}(z)_{{{label}}} = -\ln {out.probs[w.label]:.4f} = "
        rf"{out.loss:.4f}\ \text{{nats}},\qquad \frac{{\partial L}}{{\partial z}} = p - y = "
        rf"({w.grad_text})"
    )
    notice(
        "The gradient is just p \u2212 y: push the true class's logit up by 1 \u2212 p_y and every "
        "other logit down by its probability. The loss is the cross-entropy H(y, p) = KL(y\u2016p), "
        "since H(y) = 0."
    )
    show_code(views.softmax_loss_view, prob.softmax_loss_and_grad, export=EXPORT)
