"""Probability and statistics lab: distributions, the CLT, Bayes, likelihood, tests, information."""

from labs.probability import (
    bayes,
    clt,
    coin,
    correlation,
    distributions,
    hypothesis,
    information,
    joint,
    likelihood,
    softmax,
)
from labs.probability.challenges import CHALLENGES
from labs.probability.keys import PREFIX
from labs.probability.path import PATH
from ui.panels import Panel

TITLE = "Probability and statistics"
INTRO = (
    "The language of uncertainty that deep learning speaks: a network's output is a distribution, "
    "its loss is a negative log-likelihood (a cross-entropy), and its training data is a sample. "
    "Pick a topic; every number below is computed live by `dlcore.probability` and checked against "
    "`scipy.stats`."
)
# The six topics of the old picker keep their labels, so links ?prob_panel=<label> still open them;
# Bayes and Information each lost their second idea to a panel of its own.
PANELS = (
    Panel("Distributions", distributions.render, distributions.KEYS),
    Panel("Central limit theorem", clt.render, clt.KEYS),
    Panel("Bayes", bayes.render, bayes.KEYS),
    Panel("Joint and conditional", joint.render, joint.KEYS),
    Panel("Correlation", correlation.render, correlation.KEYS),
    Panel("Bayesian updating", coin.render, coin.KEYS),
    Panel("Likelihood", likelihood.render, likelihood.KEYS),
    Panel("Tests and intervals", hypothesis.render, hypothesis.KEYS),
    Panel("Information", information.render, information.KEYS),
    Panel("Softmax cross-entropy", softmax.render, softmax.KEYS),
)
__all__ = ["CHALLENGES", "INTRO", "PANELS", "PATH", "PREFIX", "TITLE"]
