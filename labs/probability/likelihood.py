"""Maximum likelihood: the peak of log L is the closed-form fit, for a Normal and for a coin."""

from __future__ import annotations

import streamlit as st

from charts import probability as charts
from dlcore import probability as prob
from dlcore.views import probability as views
from labs.probability.keys import PREFIX
from ui import notice, show_code, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("ml_mu", "ml_sigma", "ml_p", "ml_n", "ml_seed")
EXPORT = Export(
    PREFIX,
    "Likelihood",
    (Step(views.likelihood_view),),
    (
        Number("MLE μ", "w.fit.mu", ".4f"),
        Number("MLE σ", "w.fit.sigma", ".4f"),
        Number("MLE p", "w.p_hat", ".4f"),
    ),
    Chart(charts.bernoulli_likelihood, ("w.p_grid", "w.coin_loglik"), {"p_hat": "w.p_hat"}),
)
view = st.cache_data(views.likelihood_view, max_entries=32, show_spinner=False)


def _formulas(w: views.LikelihoodView, n: int) -> None:
    st.latex(
        r"\log L(\mu,\sigma) = -\tfrac{n}{2}\log 2\pi - n\log\sigma - "
        r"\tfrac{1}{2\sigma^2}\sum_i (x_i-\mu)^2"
    )
    st.latex(
        rf"\hat\mu = \bar x = {w.fit.mu:.4f},\ \hat\sigma = \sqrt{{\tfrac1n \sum_i (x_i-\bar x)^2}}"
        rf" = {w.fit.sigma:.4f},\ \log L(\hat\mu, \hat\sigma) = {w.loglik:.2f}"
    )
    st.latex(
        r"\text{Right: } n \text{ flips} \sim \text{Bernoulli}(p),\ \log L(p) = h\log p + "
        rf"(n-h)\log(1-p),\ h = {w.h},\ n = {n},\ \hat p = h/n = {w.p_hat:.3f}"
    )


view = record(view)


@st.fragment
def render() -> None:
    """A Normal sample's log-likelihood surface and a coin's likelihood curve, MLEs marked."""
    c1, c2, c3, c4, c5 = st.columns(5)
    mu = c1.slider("True \u03bc", -3.0, 3.0, 1.0, 0.1, **url(PREFIX, "ml_mu"))
    sigma = c2.slider("True \u03c3", 0.2, 3.0, 1.5, 0.1, **url(PREFIX, "ml_sigma"))
    true_p = c3.slider("Coin's true p (right)", 0.0, 1.0, 0.3, 0.01, **url(PREFIX, "ml_p"))
    n = c4.select_slider("Sample size n", [2, 5, 10, 30, 100, 1000], 30, **url(PREFIX, "ml_n"))
    seed = int(c5.number_input("Seed", 0, 9999, 0, **url(PREFIX, "ml_seed")))
    w = view(mu, sigma, true_p, n, seed)
    left, right = st.columns(2)
    show_chart(
        left,
        charts.likelihood_surface(
            w.mu_grid, w.sigma_grid, w.surface, mle=(w.fit.mu, w.fit.sigma), truth=(mu, sigma)
        ),
    )
    show_chart(right, charts.bernoulli_likelihood(w.p_grid, w.coin_loglik, p_hat=w.p_hat))
    _formulas(w, n)
    notice(
        "The peak of the likelihood is the closed-form MLE; with more data the hill gets steeper "
        "and the peak closes in on the truth. Minimising a network's loss is this same climb, "
        "upside down."
    )
    show_code(
        views.likelihood_view,
        prob.normal_log_likelihood,
        prob.fit_normal,
        prob.bernoulli_log_likelihood,
        export=EXPORT,
    )
