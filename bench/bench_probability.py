"""dlcore.probability against scipy.stats: densities, CDFs, sampling, entropy, the t-test.

dlcore writes each formula out in NumPy plus one scipy.special call; scipy.stats
wraps the same special functions behind argument checking and broadcasting
machinery, so on large arrays the two should be close and on small ones dlcore
should win by skipping the overhead.
"""

from __future__ import annotations

import numpy as np
import scipy.stats as st

from bench.timing import Comparison, compare
from dlcore import probability as prob

CASES = [
    ("Normal(0, 1)", prob.Normal(0.0, 1.0), st.norm(0.0, 1.0)),
    ("Gamma(2.5, 1.5)", prob.Gamma(2.5, 1.5), st.gamma(2.5, scale=1.5)),
    ("Student t(4)", prob.StudentT(4.0), st.t(4.0)),
    ("Beta(2, 5)", prob.Beta(2.0, 5.0), st.beta(2.0, 5.0)),
    ("Binomial(50, 0.3)", prob.Binomial(50, 0.3), st.binom(50, 0.3)),
    ("Poisson(7)", prob.Poisson(7.0), st.poisson(7.0)),
]


def run(quick: bool = False) -> list[Comparison]:
    n = 10_000 if quick else 1_000_000
    rounds = 3 if quick else 7
    rng = np.random.default_rng(0)
    out = []
    for label, ours, ref in CASES:
        lo, hi = ours.plot_range()
        x = np.floor(rng.uniform(lo, hi, n)) if ours.discrete else rng.uniform(lo, hi, n)
        ref_f = ref.pmf if ours.discrete else ref.pdf
        out.append(
            compare(
                f"{label} {'pmf' if ours.discrete else 'pdf'} on {n:,} points",
                {"dlcore": lambda o=ours: o.density(x), "scipy.stats": lambda f=ref_f: f(x)},
                ours="dlcore",
                rounds=rounds,
            )
        )
        out.append(
            compare(
                f"{label} cdf on {n:,} points",
                {"dlcore": lambda o=ours: o.cdf(x), "scipy.stats": lambda r=ref: r.cdf(x)},
                ours="dlcore",
                rounds=rounds,
            )
        )
    for label, ours, ref in CASES[:3]:
        out.append(
            compare(
                f"{label}: {n:,} samples",
                {
                    "dlcore": lambda o=ours: o.sample(n, 1),
                    "scipy.stats rvs": lambda r=ref: r.rvs(n, random_state=1),
                },
                ours="dlcore",
                rounds=rounds,
            )
        )
    p = rng.dirichlet(np.ones(1000))
    q = rng.dirichlet(np.ones(1000))
    out.append(
        compare(
            "KL divergence of 1000-outcome distributions",
            {
                "dlcore": lambda: prob.kl_divergence(p, q),
                "scipy.stats.entropy": lambda: st.entropy(p, q),
            },
            ours="dlcore",
            rounds=rounds * 3,
        )
    )
    sample = rng.normal(0.2, 1.0, n // 10)
    out.append(
        compare(
            f"one-sample t-test, n = {n // 10:,}",
            {
                "dlcore": lambda: prob.t_test(sample, 0.0),
                "scipy ttest_1samp": lambda: st.ttest_1samp(sample, 0.0),
            },
            ours="dlcore",
            rounds=rounds * 3,
        )
    )
    samples = rng.normal(0.0, 1.0, (100, 30))
    out.append(
        compare(
            "100 t confidence intervals of n = 30",
            {
                "dlcore": lambda: prob.confidence_intervals(samples, level=0.95),
                "scipy t.interval": lambda: st.t.interval(
                    0.95, 29, loc=samples.mean(axis=1), scale=st.sem(samples, axis=1)
                ),
            },
            ours="dlcore",
            rounds=rounds * 3,
        )
    )
    return out
