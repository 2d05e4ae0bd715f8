"""Bayesian updating: a Beta prior on a coin's p, sharpened flip by flip."""

from __future__ import annotations

import streamlit as st

from charts import probability as charts
from dlcore import probability as prob
from dlcore.views import probability as views
from labs.probability.keys import PREFIX
from ui import notice, show_code, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("prior_a", "prior_b", "flips", "coin_seed", "reveal")
EXPORT = Export(
    PREFIX,
    "Bayesian updating",
    (Step(views.coin_view),),
    (
        Number("Heads", "w.heads"),
        Number("Posterior mean", "w.mean[-1]", ".4f"),
        Number("Posterior sd", "w.std[-1]", ".4f"),
    ),
    Chart(charts.posterior_band, ("w.mean", "w.std"), {"true_p": "w.true_p"}),
)
view = st.cache_data(views.coin_view, max_entries=32, show_spinner=False)


view = record(view)


@st.fragment
def render() -> None:
    """Flip a hidden coin and watch the Beta posterior of its p narrow (animated in the browser)."""
    st.subheader("A coin, flip by flip")
    c1, c2, c3, c4 = st.columns(4)
    a = c1.slider("Prior a (heads seen)", 0.5, 20.0, 1.0, 0.5, **url(PREFIX, "prior_a"))
    b = c2.slider("Prior b (tails seen)", 0.5, 20.0, 1.0, 0.5, **url(PREFIX, "prior_b"))
    flips = c3.slider("Flips", 1, 500, 100, **url(PREFIX, "flips"))
    seed = int(c4.number_input("Seed", 0, 9999, 0, **url(PREFIX, "coin_seed")))
    reveal = st.toggle("Reveal the coin's true p", **url(PREFIX, "reveal"))
    w = view(a, b, flips, seed)
    true_p = w.true_p if reveal else None
    left, right = st.columns([3, 2])
    show_chart(
        left, charts.beta_updates(w.grid, w.densities, w.frames, heads=w.heads, true_p=true_p)
    )
    show_chart(right, charts.posterior_band(w.mean, w.std, true_p=true_p))
    st.latex(
        rf"\text{{Beta}}({a:g}, {b:g}) \xrightarrow{{{w.heads}\text{{ heads}},\ {w.tails}"
        rf"\text{{ tails}}}} \text{{Beta}}({a:g} + {w.heads}, {b:g} + {w.tails}),\quad "
        rf"\mathbb{{E}}[p] = {w.mean[-1]:.3f} \pm {w.std[-1]:.3f}"
    )
    notice(
        "Press play: each head adds one to a, each tail one to b, and the posterior narrows like "
        "1/\u221an. A strong prior (large a + b) needs many flips before the data overrule it."
    )
    show_code(views.coin_view, prob.beta_binomial_update, prob.BetaPath, export=EXPORT)
