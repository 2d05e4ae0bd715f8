"""Entropy, cross-entropy and KL divergence of two distributions on four outcomes."""

from __future__ import annotations

import streamlit as st

from charts import probability as charts
from dlcore import probability as prob
from dlcore.views import probability as views
from labs.probability.keys import PREFIX
from ui import notice, show_code, show_error, url
from ui.export import Chart, Export, Lit, Number, Step, record
from ui.figures import show_chart

WEIGHTS = tuple(f"{d}{i}" for d in "pq" for i in range(len(views.OUTCOMES)))
KEYS = ("unit", *WEIGHTS)
EXPORT = Export(
    PREFIX,
    "Information",
    (Step(views.information_view),),
    (Number("H(p), H(q), H(p,q), KL(p‖q), KL(q‖p)", "w.values"),),
    Chart(charts.two_distributions, (Lit(views.OUTCOMES), "w.p", "w.q")),
)
DEFAULTS = {"p": (0.5, 0.3, 0.15, 0.05), "q": (0.25, 0.25, 0.25, 0.25)}
METRICS = ("H(p)", "H(q)", "H(p, q)", "KL(p ‖ q)", "KL(q ‖ p)")
view = st.cache_data(views.information_view, max_entries=64, show_spinner=False)


def _weights() -> dict[str, list[float]]:
    cols = iter(st.columns(2 * len(views.OUTCOMES)))
    return {
        d: [
            next(cols).slider(
                f"{d}({k})", 0.0, 1.0, DEFAULTS[d][i], 0.005, **url(PREFIX, f"{d}{i}")
            )
            for i, k in enumerate(views.OUTCOMES)
        ]
        for d in "pq"
    }


view = record(view)


@st.fragment
def render() -> None:
    """Two distributions from sliders; their entropies and both divergences, term by term."""
    unit = st.segmented_control(
        "Units", ["bits", "nats"], default="bits", required=True, **url(PREFIX, "unit")
    )
    weights = _weights()
    try:
        w = view(weights["p"], weights["q"], unit)
    except ValueError as exc:
        show_error(exc, hint="Give at least one outcome a positive weight.")
        return
    st.caption(
        f"Each distribution is its weights divided by their sum (p: {w.p_total:.3f}, q: "
        f"{w.q_total:.3f}), so the sliders need not add up to 1."
    )
    for col, label, value in zip(st.columns(len(METRICS)), METRICS, w.shown):
        col.metric(f"{label} [{unit}]", value)
    if w.warning:
        st.warning(w.warning, icon=":material/warning:")
    left, right = st.columns(2)
    show_chart(left, charts.two_distributions(views.OUTCOMES, w.p, w.q))
    show_chart(right, charts.kl_terms(views.OUTCOMES, w.terms_pq, w.terms_qp, unit=unit))
    hp, _, _, kl_pq, kl_qp = w.tex
    st.latex(
        rf"H(p,q) = -\sum_i p_i {w.log} q_i = H(p) + \mathrm{{KL}}(p\,\|\,q) = {hp} + {kl_pq},"
        rf"\qquad \mathrm{{KL}}(p\,\|\,q) = {kl_pq} {w.relation} \mathrm{{KL}}(q\,\|\,p) = {kl_qp}"
    )
    notice(
        "KL(p\u2016q) weighs each log-ratio by p, KL(q\u2016p) by q, so they differ: KL is not a "
        "distance. Cross-entropy is entropy plus KL, so minimising it over q (a model) drives q "
        "towards p (the data)."
    )
    show_code(views.information_view, prob.entropy, prob.kl_terms, export=EXPORT)
