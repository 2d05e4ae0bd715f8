"""The gallery: a distribution's density and CDF, a seeded sample and its running mean."""

from __future__ import annotations

import streamlit as st

from charts import probability as charts
from dlcore import probability as prob
from dlcore.views import probability as views
from labs.probability.keys import PREFIX
from ui import download_csv, notice, show_code, show_error, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

# Every distribution's parameters have their own URL names (prob_normal_mu, prob_studentt_nu).
PARAM_KEYS = tuple(
    f"{views.distribution_slug(name)}_{p.name}"
    for name, cls in prob.DISTRIBUTIONS.items()
    for p in cls.params
)
KEYS = ("dist", *PARAM_KEYS, "n", "seed")
EXPORT = Export(
    PREFIX,
    "Distributions",
    (Step(views.distributions_view),),
    (Number("Sample mean", "w.sample_mean"), Number("Sample variance", "w.sample_var")),
    Chart(charts.running_mean, ("w.running", "w.mean"), {"sd": "w.sd"}),
)
view = st.cache_data(views.distributions_view, max_entries=64, show_spinner=False)


def _controls() -> tuple[str, dict[str, float], int, int]:
    name = st.selectbox("Distribution", list(prob.DISTRIBUTIONS), **url(PREFIX, "dist"))
    slug = views.distribution_slug(name)
    params = {
        p.name: st.slider(p.label, *p.slider_args(), **url(PREFIX, f"{slug}_{p.name}"))
        for p in prob.DISTRIBUTIONS[name].params
    }
    n = st.select_slider("Samples to draw", [0, 10, 100, 1000, 10_000], 1000, **url(PREFIX, "n"))
    seed = int(st.number_input("Seed", 0, 9999, 0, **url(PREFIX, "seed")))
    return name, params, n, seed


def _sample_summary(w: views.DistributionsView, name: str) -> None:
    show_chart(st, charts.running_mean(w.running, w.mean, sd=w.sd))
    c1, c2, c3 = st.columns(3)
    c1.metric("Sample mean", w.sample_mean, w.mean_gap, delta_color="off")
    c2.metric("Sample variance", w.sample_var)
    with c3:
        download_csv(
            "Download the samples (CSV)",
            {"sample": w.samples},
            f"{views.distribution_slug(name)}_samples.csv",
            key="prob_dl",
        )


view = record(view)


@st.fragment
def render() -> None:
    """Pick a distribution and its parameters; compare the formulas with a sample."""
    controls, right = st.columns([1, 3])
    with controls:
        name, params, n, seed = _controls()
    try:
        w = view(name, params, n, seed)
    except ValueError as exc:
        show_error(exc, hint="Move the sliders back into the allowed range.")
        return
    d = w.dist
    with right:
        left, mid = st.columns(2)
        show_chart(
            left,
            charts.density(
                w.x,
                w.density,
                name=name,
                discrete=d.discrete,
                samples=w.samples,
                title=w.density_title,
            ),
        )
        show_chart(mid, charts.cdf(w.x, w.cdf, name=name, discrete=d.discrete, samples=w.samples))
        st.latex(d.latex_filled())
        st.latex(d.moments_latex())
    if w.samples.size:
        _sample_summary(w, name)
    notice(w.notice)
    show_code(type(d), views.distributions_view, prob.running_mean, export=EXPORT)
