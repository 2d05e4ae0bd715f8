"""The Probability and statistics lab's guided path: distributions, the CLT, Bayes."""

from ui.guide import PathStep

PATH = (
    PathStep(
        "Distributions",
        {"dist": "Normal", "n": 1000, "seed": 0},
        "A normal distribution: the curve is the density, the bars 1000 seeded samples. Their "
        "histogram follows the curve more closely as the sample grows.",
    ),
    PathStep(
        "Central limit theorem",
        {"clt_dist": "Exponential", "clt_n": 1, "clt_reps": 5000},
        "Means of n = 1 draw from a skewed exponential: just the parent's shape.",
    ),
    PathStep(
        "Central limit theorem",
        {"clt_dist": "Exponential", "clt_n": 30, "clt_reps": 5000},
        "Means of n = 30 draws: already close to the normal curve with spread σ/√n.",
    ),
    PathStep(
        "Bayes",
        {"prev": 0.01, "sens": 0.9, "spec": 0.95},
        "A fairly good test for a rare condition: most positives are false alarms. Count them in "
        "the 1000 people.",
    ),
    PathStep(
        "Bayesian updating",
        {"prior_a": 1.0, "prior_b": 1.0, "flips": 100, "reveal": False},
        "A flat prior updated by 100 flips: the posterior narrows around the coin's frequency.",
    ),
)
