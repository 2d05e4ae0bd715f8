"""The central limit theorem: means of n draws pile up into a bell, unless the variance is infinite."""

from __future__ import annotations

import streamlit as st

from charts import probability as charts
from dlcore import probability as prob
from dlcore.views import probability as views
from labs.probability.keys import PREFIX
from ui import notice, show_code, url
from ui.export import Chart, Export, Lit, Number, Step, record
from ui.figures import show_chart

KEYS = ("clt_dist", "clt_n", "clt_reps", "clt_seed")
EXPORT = Export(
    PREFIX,
    "Central limit theorem",
    (Step(views.clt_view),),
    (
        Number("Predicted σ/√n", "w.se", ".4g"),
        Number("Observed sd of the means", "w.observed_sd", ".4g"),
    ),
    Chart(
        charts.sampling_distribution,
        ("w.means", "w.x", "w.curve"),
        {"title": Lit("Means of samples"), "lattice": "w.lattice"},
    ),
)
view = st.cache_data(views.clt_view, max_entries=16, show_spinner=False)


def _controls() -> tuple[str, int, int, int]:
    c1, c2, c3, c4 = st.columns(4)
    name = c1.selectbox(
        "Parent distribution (default parameters)", views.CLT_PARENTS, **url(PREFIX, "clt_dist")
    )
    n = c2.select_slider("Sample size n", [1, 2, 5, 10, 30, 100, 500], 30, **url(PREFIX, "clt_n"))
    repeats = c3.select_slider(
        "Repetitions", [100, 1000, 5000, 10_000], 5000, **url(PREFIX, "clt_reps")
    )
    seed = int(c4.number_input("Seed", 0, 9999, 0, **url(PREFIX, "clt_seed")))
    return name, n, repeats, seed


def _bell(w: views.CLTView, name: str, n: int, repeats: int) -> None:
    st.latex(
        rf"\bar X_{{{n}}} \approx \mathcal{{N}}\!\left(\mu, \tfrac{{\sigma^2}}{{n}}\right) = "
        rf"\mathcal{{N}}\!\left({w.mu:.4g}, \tfrac{{{w.var:.4g}}}{{{n}}}\right), \quad "
        rf"\tfrac{{\sigma}}{{\sqrt n}} = {w.se:.4g}, \quad "
        rf"\text{{observed sd of the means}} = {w.observed_sd:.4g}"
    )
    left, right = st.columns([1, 2])
    show_chart(
        left,
        charts.density(
            w.parent_x, w.parent_density, name=name, discrete=w.dist.discrete, title="Parent"
        ),
    )
    show_chart(
        right,
        charts.sampling_distribution(
            w.means, w.x, w.curve, title=f"{repeats} means of {n} draws", lattice=w.lattice
        ),
    )
    notice(w.notice)


def _no_bell(w: views.CLTView, n: int, repeats: int) -> None:
    st.latex(
        rf"\bar X_{{{n}}} \sim \text{{Cauchy}}(0, 1)\ \text{{for every }} n:\quad "
        rf"\text{{interquartile range of the means}} = {w.iqr:.3f} \approx 2 = "
        r"\text{that of one draw}"
    )
    show_chart(
        st,
        charts.sampling_distribution(
            w.means,
            w.x,
            w.curve,
            clip=w.clip,
            curve="Cauchy density",
            title=f"{repeats} means of {n} draws (clipped to [-10, 10])",
        ),
    )
    st.warning(w.warning, icon=":material/warning:")


view = record(view)


@st.fragment
def render() -> None:
    """Histogram the means of many samples against the normal the CLT predicts."""
    name, n, repeats, seed = _controls()
    w = view(name, n, repeats, seed)
    if w.applies:
        _bell(w, name, n, repeats)
    else:
        _no_bell(w, n, repeats)
    show_code(views.clt_view, prob.sample_means, export=EXPORT)
