"""Probability and statistics: distributions, the CLT, Bayes, likelihood, tests, information."""

import numpy as np
import streamlit as st

from charts import probability as charts
from dlcore import probability as prob
from ui import download_csv, notice, page_header, show_code, show_error, url

P = "prob"
page_header(
    "Probability and statistics",
    "The language of uncertainty that deep learning speaks: a network's output is a distribution, its loss "
    "is a negative log-likelihood (a cross-entropy), and its training data is a sample. Pick a topic; every "
    "number below is computed live by `dlcore.probability` and checked against `scipy.stats`.",
    icon=":material/casino:",
)
LABELS = ["A", "B", "C", "D"]
PANELS = [
    "Distributions",
    "Central limit theorem",
    "Bayes",
    "Likelihood",
    "Tests and intervals",
    "Information",
]
panel = st.segmented_control("Topic", PANELS, default=PANELS[0], required=True, **url(P, "panel"))


@st.cache_data(max_entries=64, show_spinner=False)
def draw(dist, size, seed: int) -> np.ndarray:
    return dist.sample(size, seed)


@st.cache_data(max_entries=16, show_spinner=False)
def clt_means(dist, n: int, repeats: int, seed: int) -> np.ndarray:
    return prob.sample_means(dist, n=n, repeats=repeats, rng=seed)


@st.fragment
def distributions_panel():
    controls, view = st.columns([1, 3])
    with controls:
        name = st.selectbox("Distribution", list(prob.DISTRIBUTIONS), **url(P, "dist"))
        cls, slug = (
            prob.DISTRIBUTIONS[name],
            prob.DISTRIBUTIONS[name].__name__.lower(),
        )  # prob_studentt_nu
        values = {
            p.name: st.slider(p.label, *p.slider_args(), **url(P, f"{slug}_{p.name}"))
            for p in cls.params
        }
        n = st.select_slider("Samples to draw", [0, 10, 100, 1000, 10_000], 1000, **url(P, "n"))
        seed = int(st.number_input("Seed", 0, 9999, 0, **url(P, "seed")))
    try:
        dist = cls(**values)
    except ValueError as exc:
        return show_error(exc, hint="Move the sliders back into the allowed range.")
    samples, x = draw(dist, n, seed), dist.support_grid()
    with view:
        left, right = st.columns(2)
        left.plotly_chart(
            charts.density(
                x,
                dist.density(x),
                name=name,
                discrete=dist.discrete,
                samples=samples,
                title="Probability mass P(X = k)" if dist.discrete else "Density f(x)",
            )
        )
        right.plotly_chart(
            charts.cdf(x, dist.cdf(x), name=name, discrete=dist.discrete, samples=samples)
        )
        st.latex(dist.latex_filled())
        st.latex(dist.moments_latex())
    if n:
        st.plotly_chart(charts.running_mean(prob.running_mean(samples), dist.mean(), sd=dist.std()))
        c1, c2, c3 = st.columns(3)
        c1.metric(
            "Sample mean",
            f"{samples.mean():.4g}",
            f"{samples.mean() - dist.mean():+.3g} from E[X]"
            if np.isfinite(dist.mean())
            else "E[X] does not exist",
            delta_color="off",
        )
        c2.metric("Sample variance", f"{samples.var(ddof=1):.4g}" if n > 1 else "n/a")
        with c3:
            download_csv(
                "Download the samples (CSV)",
                {"sample": samples},
                f"{slug}_samples.csv",
                key="prob_dl",
            )
    notice(
        "The histogram of the samples hugs the density and the empirical CDF the true one: with more samples "
        "they agree better, and "
        + (
            "the running mean settles on E[X] (the law of large numbers)."
            if np.isfinite(dist.mean())
            else "yet the running mean never settles: this "
            "distribution has no mean, so the law of large numbers does not apply."
        )
    )
    show_code(cls, prob.running_mean)


@st.fragment
def clt_panel():
    cauchy = "Cauchy (Student t, \u03bd = 1)"
    c1, c2, c3, c4 = st.columns(4)
    name = c1.selectbox(
        "Parent distribution (default parameters)",
        [*prob.DISTRIBUTIONS, cauchy],
        **url(P, "clt_dist"),
    )
    n = c2.select_slider("Sample size n", [1, 2, 5, 10, 30, 100, 500], 30, **url(P, "clt_n"))
    repeats = c3.select_slider("Repetitions", [100, 1000, 5000, 10_000], 5000, **url(P, "clt_reps"))
    seed = int(c4.number_input("Seed", 0, 9999, 0, **url(P, "clt_seed")))
    dist = prob.StudentT(1.0) if name == cauchy else prob.DISTRIBUTIONS[name]()
    means, mu, var = clt_means(dist, n, repeats, seed), dist.mean(), dist.var()
    if np.isfinite(var):
        limit = prob.Normal(mu, max(np.sqrt(var / n), 1e-9))  # Bernoulli(0) has zero spread
        x = limit.support_grid()
        st.latex(
            rf"\bar X_{{{n}}} \approx \mathcal{{N}}\!\left(\mu, \tfrac{{\sigma^2}}{{n}}\right) = "
            rf"\mathcal{{N}}\!\left({mu:.4g}, \tfrac{{{var:.4g}}}{{{n}}}\right), \quad "
            rf"\tfrac{{\sigma}}{{\sqrt n}} = {limit.sigma:.4g}, \quad \text{{observed sd of the means}} = {means.std():.4g}"
        )
        (left, right), px = st.columns([1, 2]), dist.support_grid()
        left.plotly_chart(
            charts.density(px, dist.density(px), name=name, discrete=dist.discrete, title="Parent")
        )
        right.plotly_chart(
            charts.sampling_distribution(
                means,
                x,
                limit.pdf(x),
                title=f"{repeats} means of {n} draws",
                lattice=1 / n if dist.discrete else None,
            )
        )
        notice(
            "Whatever the parent's shape (skewed, discrete, flat), the means pile up into a bell around E[X] "
            "that narrows like 1/\u221an. This is why averaged gradients in mini-batch SGD are nearly Gaussian."
        )
    else:
        x, iqr = np.linspace(-10, 10, 400), np.subtract(*np.percentile(means, [75, 25]))
        st.latex(
            rf"\bar X_{{{n}}} \sim \text{{Cauchy}}(0, 1)\ \text{{for every }} n:\quad "
            rf"\text{{interquartile range of the means}} = {iqr:.3f} \approx 2 = \text{{that of one draw}}"
        )
        st.plotly_chart(
            charts.sampling_distribution(
                means,
                x,
                dist.pdf(x),
                clip=(-10, 10),
                curve="Cauchy density",
                title=f"{repeats} means of {n} draws (clipped to [-10, 10])",
            )
        )
        st.warning(
            "The CLT fails: it needs a finite variance, and a Cauchy has none (not even a mean). The mean of n Cauchy "
            "draws is again Cauchy with the same spread: one huge draw outweighs all others.",
            icon=":material/warning:",
        )
    show_code(prob.sample_means)


@st.fragment
def bayes_panel():
    st.subheader("A diagnostic test")
    c1, c2, c3 = st.columns(3)
    prev = c1.slider("Prevalence P(ill)", 0.001, 0.5, 0.01, 0.001, format="%.3f", **url(P, "prev"))
    sens = c2.slider("Sensitivity P(+ | ill)", 0.01, 1.0, 0.9, 0.01, **url(P, "sens"))
    spec = c3.slider("Specificity P(\u2212 | healthy)", 0.0, 1.0, 0.95, 0.01, **url(P, "spec"))
    r = prob.diagnostic_test(prev, sens, spec)
    tp, fn, fp, tn = r.whole_people()
    st.latex(
        rf"P(\text{{ill}} \mid +) = \frac{{P(+ \mid \text{{ill}})\,P(\text{{ill}})}}{{P(+ \mid \text{{ill}})\,"
        rf"P(\text{{ill}}) + P(+ \mid \text{{healthy}})\,P(\text{{healthy}})}} = \frac{{{sens:.3g} \cdot {prev:.3g}}}"
        rf"{{{sens:.3g} \cdot {prev:.3g} + {1 - spec:.3g} \cdot {1 - prev:.3g}}} = {r.ppv:.4f}"
    )
    st.plotly_chart(charts.natural_frequencies(tp, fn, fp, tn))
    notice(
        f"Of 1000 people, {tp + fp} test positive and {tp} of them are ill: "
        + (
            "when the condition is rare, false positives from the many healthy people swamp the true ones."
            if fp > tp
            else f"here the {fp} false positives do not outnumber them; lower the prevalence or the specificity."
        )
        + " The prior matters."
    )
    show_code(prob.diagnostic_test, prob.posterior)


@st.fragment
def coin_panel():
    st.subheader("A coin, flip by flip")
    c1, c2, c3, c4 = st.columns(4)
    a = c1.slider("Prior a (heads seen)", 0.5, 20.0, 1.0, 0.5, **url(P, "prior_a"))
    b = c2.slider("Prior b (tails seen)", 0.5, 20.0, 1.0, 0.5, **url(P, "prior_b"))
    flips_n = c3.slider("Flips", 1, 500, 100, **url(P, "flips"))
    seed = int(c4.number_input("Seed", 0, 9999, 0, **url(P, "coin_seed")))
    true_p = float(draw(prob.Uniform(0.05, 0.95), 1, seed)[0])
    reveal = st.toggle("Reveal the coin's true p", **url(P, "reveal"))
    flips = draw(prob.Bernoulli(true_p), flips_n, seed + 1)
    path, h, grid = (
        prob.beta_binomial_update(flips, a=a, b=b),
        int(flips.sum()),
        np.linspace(0, 1, 201),
    )
    left, right = st.columns([3, 2])
    left.plotly_chart(
        charts.beta_updates(grid, path.pdf(grid), path.a - a, true_p=true_p if reveal else None)
    )
    right.plotly_chart(
        charts.posterior_band(path.mean(), path.std(), true_p=true_p if reveal else None)
    )
    st.latex(
        rf"\text{{Beta}}({a:g}, {b:g}) \xrightarrow{{{h}\text{{ heads}},\ {flips_n - h}\text{{ tails}}}} "
        rf"\text{{Beta}}({a:g} + {h}, {b:g} + {flips_n - h}),\quad \mathbb{{E}}[p] = {path.mean()[-1]:.3f} \pm {path.std()[-1]:.3f}"
    )
    notice(
        "Press play: each head adds one to a, each tail one to b, and the posterior narrows like 1/\u221an. "
        "A strong prior (large a + b) needs many flips before the data overrule it."
    )
    show_code(prob.beta_binomial_update, prob.BetaPath)


@st.fragment
def likelihood_panel():
    c1, c2, c3, c4, c5 = st.columns(5)
    mu = c1.slider("True \u03bc", -3.0, 3.0, 1.0, 0.1, **url(P, "ml_mu"))
    sigma = c2.slider("True \u03c3", 0.2, 3.0, 1.5, 0.1, **url(P, "ml_sigma"))
    true_p = c3.slider("Coin's true p (right)", 0.0, 1.0, 0.3, 0.01, **url(P, "ml_p"))
    n = c4.select_slider("Sample size n", [2, 5, 10, 30, 100, 1000], 30, **url(P, "ml_n"))
    seed = int(c5.number_input("Seed", 0, 9999, 0, **url(P, "ml_seed")))
    x, heads = draw(prob.Normal(mu, sigma), n, seed), draw(prob.Bernoulli(true_p), n, seed + 1)
    fit = prob.fit_normal(x)  # a continuous sample of n >= 2 always has spread, so this cannot fail
    m_grid = np.linspace(fit.mu - 2 * fit.sigma, fit.mu + 2 * fit.sigma, 121)
    s_grid = np.linspace(0.25 * fit.sigma, 2.5 * fit.sigma, 121)
    surface = prob.normal_log_likelihood(x, m_grid[None, :], s_grid[:, None])
    left, right = st.columns(2)
    left.plotly_chart(
        charts.likelihood_surface(
            m_grid, s_grid, surface, mle=(fit.mu, fit.sigma), truth=(mu, sigma)
        )
    )
    p_grid, p_hat = np.linspace(0, 1, 201), prob.fit_bernoulli(heads)
    right.plotly_chart(
        charts.bernoulli_likelihood(
            p_grid, prob.bernoulli_log_likelihood(heads, p_grid), p_hat=p_hat
        )
    )
    st.latex(
        r"\log L(\mu,\sigma) = -\tfrac{n}{2}\log 2\pi - n\log\sigma - \tfrac{1}{2\sigma^2}\sum_i (x_i-\mu)^2"
    )
    st.latex(
        rf"\hat\mu = \bar x = {fit.mu:.4f},\ \hat\sigma = \sqrt{{\tfrac1n \sum_i (x_i-\bar x)^2}} = "
        rf"{fit.sigma:.4f},\ \log L(\hat\mu, \hat\sigma) = {prob.normal_log_likelihood(x, fit.mu, fit.sigma):.2f}"
    )
    st.latex(
        rf"\text{{Right: }} n \text{{ flips}} \sim \text{{Bernoulli}}(p),\ \log L(p) = h\log p + (n-h)\log(1-p),"
        rf"\ h = {int(heads.sum())},\ n = {n},\ \hat p = h/n = {p_hat:.3f}"
    )
    notice(
        "The peak of the likelihood is the closed-form MLE; with more data the hill gets steeper and the peak "
        "closes in on the truth. Minimising a network's loss is this same climb, upside down."
    )
    show_code(prob.normal_log_likelihood, prob.fit_normal, prob.bernoulli_log_likelihood)


@st.fragment
def tests_panel():
    c1, c2, c3, c4, c5 = st.columns(5)
    mu = c1.slider("True mean \u03bc", -2.0, 2.0, 0.3, 0.1, **url(P, "tt_mu"))
    mu0 = c2.slider("H\u2080: mean = \u03bc\u2080", -2.0, 2.0, 0.0, 0.1, **url(P, "tt_mu0"))
    n = c3.slider("Sample size n", 2, 200, 20, **url(P, "tt_n"))
    alpha = c4.select_slider("Level \u03b1", [0.01, 0.05, 0.1], 0.05, **url(P, "alpha"))
    seed = int(c5.number_input("Seed", 0, 9999, 0, **url(P, "tt_seed")))
    alternative = st.segmented_control(
        "Alternative hypothesis",
        ["two-sided", "greater", "less"],
        default="two-sided",
        required=True,
        **url(P, "alt"),
    )
    samples = draw(prob.Normal(mu, 1.0), (100, n), seed)
    r = prob.t_test(samples[0], mu0, alternative=alternative)
    t_grid = np.linspace(-1, 1, 601) * max(5.0, abs(r.statistic) + 1.0)
    st.plotly_chart(
        charts.t_null(
            t_grid, prob.StudentT(r.df).pdf(t_grid), t=r.statistic, alternative=alternative, df=r.df
        )
    )
    reject, p_text = r.p_value < alpha, f"= {r.p_value:.4f}" if r.p_value >= 1e-4 else "< 0.0001"
    st.latex(
        rf"t = \frac{{\bar x - \mu_0}}{{s/\sqrt n}} = \frac{{{r.mean:.3f} - {mu0:g}}}{{{r.se * np.sqrt(n):.3f}/\sqrt{{{n}}}}}"
        rf" = {r.statistic:.3f},\qquad p {p_text} {'<' if reject else '≥'} \alpha = {alpha}"
    )
    (st.success if reject else st.info)(
        f"{'Reject' if reject else 'Do not reject'} H\u2080 (mean = {mu0:g}) at "
        f"\u03b1 = {alpha}" + ("." if reject else ": the data are compatible with it.")
    )
    level = st.select_slider(
        "Confidence level", [0.5, 0.8, 0.9, 0.95, 0.99], 0.95, **url(P, "level")
    )
    ci = prob.confidence_intervals(samples, level=level)
    st.plotly_chart(charts.intervals(ci.lower, ci.upper, mu))
    notice(
        f"Each line is the {level:.0%} t-interval of one of 100 samples of size {n}; about {level:.0%} cover the true "
        "mean. The p-value (shaded) is the chance of a t this extreme if H\u2080 were true, not that H\u2080 is true."
    )
    show_code(prob.t_test, prob.confidence_intervals)


@st.fragment
def information_panel():
    unit = st.segmented_control(
        "Units", ["bits", "nats"], default="bits", required=True, **url(P, "unit")
    )
    base = 2 if unit == "bits" else None
    cols, defaults = st.columns(8), ([0.5, 0.3, 0.15, 0.05], [0.25, 0.25, 0.25, 0.25])
    weights = [
        [
            cols[4 * j + i].slider(
                f"{'pq'[j]}({k})", 0.0, 1.0, defaults[j][i], 0.005, **url(P, f"{'pq'[j]}{i}")
            )
            for i, k in enumerate(LABELS)
        ]
        for j in range(2)
    ]
    try:
        p, q = prob.normalize(weights[0]), prob.normalize(weights[1])
    except ValueError as exc:
        return show_error(exc, hint="Give at least one outcome a positive weight.")
    st.caption(
        f"Each distribution is its weights divided by their sum (p: {sum(weights[0]):.3f}, q: "
        f"{sum(weights[1]):.3f}), so the sliders need not add up to 1."
    )
    values = [
        prob.entropy(p, base=base),
        prob.entropy(q, base=base),
        prob.cross_entropy(p, q, base=base),
        prob.kl_divergence(p, q, base=base),
        prob.kl_divergence(q, p, base=base),
    ]
    tex = [f"{v:.4f}" if np.isfinite(v) else r"\infty" for v in values]
    for col, label, value in zip(
        st.columns(5), ["H(p)", "H(q)", "H(p, q)", "KL(p ‖ q)", "KL(q ‖ p)"], tex
    ):
        col.metric(f"{label} [{unit}]", value.replace(r"\infty", "∞"))
    if not np.all(np.isfinite(values)):
        st.warning(
            "A KL divergence is infinite: one distribution gives probability 0 to an outcome the other allows, "
            "and a model that calls 'impossible' something that happens pays log 1/0 = ∞.",
            icon=":material/warning:",
        )
    left, right = st.columns(2)
    left.plotly_chart(charts.two_distributions(LABELS, p, q))
    right.plotly_chart(
        charts.kl_terms(
            LABELS, prob.kl_terms(p, q, base=base), prob.kl_terms(q, p, base=base), unit=unit
        )
    )
    log, rel = r"\log_2" if base else r"\ln", "=" if tex[3] == tex[4] else r"\ne"
    st.latex(
        rf"H(p,q) = -\sum_i p_i {log} q_i = H(p) + \mathrm{{KL}}(p\,\|\,q) = {tex[0]} + {tex[3]},\qquad "
        rf"\mathrm{{KL}}(p\,\|\,q) = {tex[3]} {rel} \mathrm{{KL}}(q\,\|\,p) = {tex[4]}"
    )
    notice(
        "KL(p\u2016q) weighs each log-ratio by p, KL(q\u2016p) by q, so they differ: KL is not a distance. "
        "Cross-entropy is entropy plus KL, so minimising it over q (a model) drives q towards p (the data)."
    )
    show_code(prob.entropy, prob.kl_terms)


@st.fragment
def softmax_panel():
    st.subheader("Softmax cross-entropy: the classifier's loss")
    cols = st.columns(5)
    z = [
        cols[i].slider(f"logit z({k})", -5.0, 5.0, [2.0, 1.0, 0.1, -1.0][i], 0.1, **url(P, f"z{i}"))
        for i, k in enumerate(LABELS)
    ]
    y = LABELS.index(cols[4].selectbox("True class y", LABELS, **url(P, "label")))
    out = prob.softmax_cross_entropy(z, y)
    st.plotly_chart(charts.softmax_loss(LABELS, out.probs, np.eye(4)[y], out.grad))
    grad = ", ".join(f"{g:+.3f}" for g in out.grad)
    st.latex(
        rf"L = -\ln \operatorname{{softmax}}(z)_{{{LABELS[y]}}} = -\ln {out.probs[y]:.4f} = {out.loss:.4f}\ "
        rf"\text{{nats}},\qquad \frac{{\partial L}}{{\partial z}} = p - y = ({grad})"
    )
    notice(
        "The gradient is just p \u2212 y: push the true class's logit up by 1 \u2212 p_y and every other logit "
        "down by its probability. The loss is the cross-entropy H(y, p) = KL(y\u2016p), since H(y) = 0."
    )
    show_code(prob.softmax_cross_entropy)


TOPICS = [
    [distributions_panel],
    [clt_panel],
    [bayes_panel, coin_panel],
    [likelihood_panel],
    [tests_panel],
    [information_panel, softmax_panel],
]
for run_panel in TOPICS[PANELS.index(panel)]:
    run_panel()
