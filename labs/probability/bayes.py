"""Bayes' rule on a diagnostic test: a positive result for a rare condition is often a false alarm."""

from __future__ import annotations

import streamlit as st

from charts import probability as charts
from dlcore import probability as prob
from dlcore.views import probability as views
from labs.probability.keys import PREFIX
from ui import notice, show_code, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("prev", "sens", "spec")
EXPORT = Export(
    PREFIX,
    "Bayes",
    (Step(views.diagnostic_view),),
    (
        Number("P(ill | positive)", "w.result.ppv", ".4f"),
        Number("P(healthy | negative)", "w.result.npv", ".6f"),
    ),
    Chart(charts.natural_frequencies, ("w.people[0]", "w.people[1]", "w.people[2]", "w.people[3]")),
)
view = st.cache_data(views.diagnostic_view, max_entries=64, show_spinner=False)


view = record(view)


@st.fragment
def render() -> None:
    """Prevalence, sensitivity and specificity in; P(ill | +) and 1000 people out."""
    st.subheader("A diagnostic test")
    c1, c2, c3 = st.columns(3)
    prev = c1.slider(
        "Prevalence P(ill)", 0.001, 0.5, 0.01, 0.001, format="%.3f", **url(PREFIX, "prev")
    )
    sens = c2.slider("Sensitivity P(+ | ill)", 0.01, 1.0, 0.9, 0.01, **url(PREFIX, "sens"))
    spec = c3.slider("Specificity P(\u2212 | healthy)", 0.0, 1.0, 0.95, 0.01, **url(PREFIX, "spec"))
    w = view(prev, sens, spec)
    st.latex(
        rf"P(\text{{ill}} \mid +) = \frac{{P(+ \mid \text{{ill}})\,P(\text{{ill}})}}"
        rf"{{P(+ \mid \text{{ill}})\,P(\text{{ill}}) + P(+ \mid \text{{healthy}})\,"
        rf"P(\text{{healthy}})}} = \frac{{{sens:.3g} \cdot {prev:.3g}}}"
        rf"{{{sens:.3g} \cdot {prev:.3g} + {w.false_positive_rate:.3g} \cdot {w.healthy:.3g}}}"
        rf" = {w.ppv}"
    )
    show_chart(st, charts.natural_frequencies(*w.people))
    notice(w.notice)
    show_code(views.diagnostic_view, prob.diagnostic_test, prob.posterior, export=EXPORT)
