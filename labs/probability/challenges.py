"""The Probability and statistics lab's challenges: goals in terms of its controls, checked by dlcore."""

from dlcore.challenges import probability as pc
from labs.probability.clt import view as clt_view
from ui.challenges import Challenge

BAYES = "Bayes"
TEST = {"prev": 0.01, "sens": 0.9, "spec": 0.95}


def _clt(v: dict):
    w = clt_view(v["clt_dist"], v["clt_n"], v["clt_reps"], v["clt_seed"])  # the panel's cached view
    return pc.clt_fails(v["clt_dist"], w.var)


CHALLENGES = (
    Challenge(
        "clt_fails",
        "Central limit theorem",
        "Pick a parent distribution for which the central limit theorem fails.",
        "The theorem needs one thing of the parent: a finite variance. Which parent has tails so "
        "heavy that its variance does not exist?",
        "The mean of n Cauchy draws is Cauchy again, as spread out as one draw: averaging does not "
        "help when the variance is infinite. Heavy-tailed gradients behave like this too.",
        {"clt_dist": "Normal", "clt_n": 30, "clt_reps": 5000, "clt_seed": 0},
        _clt,
    ),
    Challenge(
        "stubborn",
        "Bayesian updating",
        "Set a prior that 30 or more flips still have not outweighed.",
        "A Beta(a, b) prior counts as a + b flips already seen. Compare it with the flips slider.",
        "The posterior mean is a weighted average of the prior mean and the observed frequency, "
        "with weights a + b and n: a strong prior needs as many flips as it is worth to be "
        "overturned. In training, a strong regulariser plays the prior.",
        {"prior_a": 1.0, "prior_b": 1.0, "flips": 100},
        lambda v: pc.prior_outweighs_data(v["prior_a"], v["prior_b"], v["flips"]),
    ),
    Challenge(
        "false_alarm",
        BAYES,
        "With a test right at least 95% of the time, make a positive result more likely wrong.",
        "Keep sensitivity and specificity at 0.95 or more, and look at the prevalence.",
        "When the condition is rare, the few per cent of healthy people who test positive outnumber "
        "the ill: the base rate dominates. The same happens to a rare class in a classifier.",
        TEST,
        lambda v: pc.positive_is_false_alarm(v["prev"], v["sens"], v["spec"]),
    ),
    Challenge(
        "trust",
        BAYES,
        "For a condition in 1 person in 100 or fewer, make a positive test 90% trustworthy.",
        "False positives come from the healthy majority: which slider controls how many of them "
        "test positive?",
        "Only specificity fights the base rate: at prevalence 1% a positive is 90% reliable only "
        "when fewer than about 1 healthy person in 1000 tests positive.",
        TEST,
        lambda v: pc.positive_is_trustworthy(v["prev"], v["sens"], v["spec"]),
    ),
)
