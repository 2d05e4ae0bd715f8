"""A one-sample t-test and the confidence intervals of 100 samples."""

from __future__ import annotations

import streamlit as st

from charts import probability as charts
from dlcore import probability as prob
from dlcore.views import probability as views
from labs.probability.keys import PREFIX
from ui import notice, show_code, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("tt_mu", "tt_mu0", "tt_n", "alpha", "tt_seed", "alt", "level")
EXPORT = Export(
    PREFIX,
    "Tests and intervals",
    (Step(views.tests_view),),
    (
        Number("t statistic", "w.test.statistic", ".4f"),
        Number("p-value", "w.test.p_value", ".4g"),
        Number("Decision", "w.decision"),
    ),
    Chart(charts.intervals, ("w.intervals.lower", "w.intervals.upper", "mu")),
)
view = st.cache_data(views.tests_view, max_entries=64, show_spinner=False)


def _controls() -> dict:
    c1, c2, c3, c4, c5 = st.columns(5)
    values = dict(
        mu=c1.slider("True mean \u03bc", -2.0, 2.0, 0.3, 0.1, **url(PREFIX, "tt_mu")),
        mu0=c2.slider("H\u2080: mean = \u03bc\u2080", -2.0, 2.0, 0.0, 0.1, **url(PREFIX, "tt_mu0")),
        n=c3.slider("Sample size n", 2, 200, 20, **url(PREFIX, "tt_n")),
        alpha=c4.select_slider("Level \u03b1", [0.01, 0.05, 0.1], 0.05, **url(PREFIX, "alpha")),
        seed=int(c5.number_input("Seed", 0, 9999, 0, **url(PREFIX, "tt_seed"))),
    )
    values["alternative"] = st.segmented_control(
        "Alternative hypothesis",
        ["two-sided", "greater", "less"],
        default="two-sided",
        required=True,
        **url(PREFIX, "alt"),
    )
    return values


view = record(view)


@st.fragment
def render() -> None:
    """The t statistic against its null distribution, then how often intervals cover the truth."""
    values = _controls()
    test_area = st.container()
    level = st.select_slider(
        "Confidence level", [0.5, 0.8, 0.9, 0.95, 0.99], 0.95, **url(PREFIX, "level")
    )
    w = view(**values, level=level)
    r, n, alpha = w.test, values["n"], values["alpha"]
    with test_area:
        show_chart(
            st,
            charts.t_null(
                w.t_grid, w.null_density, t=r.statistic, alternative=values["alternative"], df=r.df
            ),
        )
        st.latex(
            rf"t = \frac{{\bar x - \mu_0}}{{s/\sqrt n}} = \frac{{{r.mean:.3f} - {values['mu0']:g}}}"
            rf"{{{w.s:.3f}/\sqrt{{{n}}}}} = {r.statistic:.3f},\qquad "
            rf"p {w.p_text} {w.relation} \alpha = {alpha}"
        )
        (st.success if w.reject else st.info)(w.decision)
    show_chart(st, charts.intervals(w.intervals.lower, w.intervals.upper, values["mu"]))
    notice(w.notice)
    show_code(views.tests_view, prob.t_test, prob.confidence_intervals, export=EXPORT)
