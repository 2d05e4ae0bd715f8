"""What the panels of the Probability and statistics lab show, one function per panel.

Each function takes the panel's control values (small numbers and names, so
``st.cache_data`` keys on them) and returns a NamedTuple with every array
the charts draw, every number the formulas print and every sentence the
panel writes (verdicts included), so the panel only reads widgets and
hands fields on.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np

from dlcore import probability as prob
from dlcore._validation import check_choice

#: The four outcomes of the information and softmax panels.
OUTCOMES: tuple[str, ...] = ("A", "B", "C", "D")

#: The parent the CLT fails for, offered beside the registry's distributions.
CAUCHY = "Cauchy (Student t, \u03bd = 1)"
CLT_PARENTS: tuple[str, ...] = (*prob.DISTRIBUTIONS, CAUCHY)

#: At most this many animation frames of the Beta posterior go to the browser.
MAX_FRAMES = 61


def distribution_slug(name: str) -> str:
    """The URL name of a registry entry's parameters: ``prob_<slug>_<param>`` (``studentt``)."""
    return prob.DISTRIBUTIONS[name].__name__.lower()


# -------------------------------------------------------------- distributions
class DistributionsView(NamedTuple):
    """The gallery: a distribution's density and CDF, a sample and its running mean.

    Attributes
    ----------
    dist : Distribution
    x : ndarray of shape (m,)
        Where the density is drawn: the integers of the support, or a grid.
    density, cdf : ndarray of shape (m,)
    samples : ndarray of shape (n,)
    running : ndarray of shape (n,)
        Mean of the first k samples, k = 1..n.
    mean, sd : float
        E[X] (NaN where it does not exist) and its standard deviation.
    has_mean : bool
        E[X] exists, so the law of large numbers applies.
    sample_mean, sample_var : str
        For the metrics: the numbers, or "n/a" with too few samples.
    mean_gap : str
        The sample mean's distance from E[X], or "E[X] does not exist".
    density_title : str
        "Probability mass P(X = k)" or "Density f(x)".
    notice : str
        What to notice, following whether the mean exists.
    """

    dist: prob.Distribution
    x: np.ndarray
    density: np.ndarray
    cdf: np.ndarray
    samples: np.ndarray
    running: np.ndarray
    mean: float
    sd: float
    has_mean: bool
    sample_mean: str
    sample_var: str
    mean_gap: str
    density_title: str
    notice: str


def lln_notice(has_mean: bool) -> str:
    """The gallery's notice: the law of large numbers where E[X] exists, its failure where not."""
    head = (
        "The histogram of the samples hugs the density and the empirical CDF the true one: with "
        "more samples they agree better, and "
    )
    if has_mean:
        return head + "the running mean settles on E[X] (the law of large numbers)."
    return head + (
        "yet the running mean never settles: this distribution has no mean, so the law of large "
        "numbers does not apply."
    )


def distributions_view(
    name: str, params: Mapping[str, float], n: int, seed: int
) -> DistributionsView:
    """Build the named distribution from ``params``, draw ``n`` samples with ``seed``.

    Raises
    ------
    ValueError
        An unknown name, or parameters out of range (``Uniform`` with b <= a).
    """
    check_choice("distribution", name, prob.DISTRIBUTIONS)
    dist = prob.DISTRIBUTIONS[name](**params)
    samples, x = dist.sample(int(n), int(seed)), dist.support_grid()
    mean, sd = float(dist.mean()), float(dist.std())
    has_mean = math.isfinite(mean)
    count = samples.size
    sample_mean = float(samples.mean()) if count else math.nan
    gap = f"{sample_mean - mean:+.3g} from E[X]" if has_mean else "E[X] does not exist"
    return DistributionsView(
        dist=dist,
        x=x,
        density=dist.density(x),
        cdf=dist.cdf(x),
        samples=samples,
        running=prob.running_mean(samples),
        mean=mean,
        sd=sd,
        has_mean=has_mean,
        sample_mean=f"{sample_mean:.4g}" if count else "n/a",
        sample_var=f"{samples.var(ddof=1):.4g}" if count > 1 else "n/a",
        mean_gap=gap if count else "",
        density_title="Probability mass P(X = k)" if dist.discrete else "Density f(x)",
        notice=lln_notice(has_mean),
    )


# ------------------------------------------------------- central limit theorem
class CLTView(NamedTuple):
    """The sampling distribution of the mean of ``n`` draws, and whether the CLT applies.

    Attributes
    ----------
    dist : Distribution
        The parent.
    means : ndarray of shape (repeats,)
    mu, var : float
        The parent's mean and variance (NaN / inf where they do not exist).
    applies : bool
        The variance is finite, so the means approach ``N(mu, var / n)``.
    se : float
        ``sqrt(var / n)`` (at least 1e-9: a parent without spread); NaN when
        the CLT does not apply.
    observed_sd : float
        The standard deviation of ``means``.
    iqr : float
        Their interquartile range (a Cauchy's is 2 for every n).
    x, curve : ndarray of shape (m,)
        The limit's density (the CLT's normal, or the Cauchy itself).
    parent_x, parent_density : ndarray of shape (k,)
    clip : (float, float) or None
        Means are clipped to this range for the histogram (a Cauchy's reach
        far out).
    lattice : float or None
        ``1 / n`` for an integer-valued parent: the spacing of possible means.
    warning : str
        Why the CLT fails, "" when it applies.
    notice : str
    """

    dist: prob.Distribution
    means: np.ndarray
    mu: float
    var: float
    applies: bool
    se: float
    observed_sd: float
    iqr: float
    x: np.ndarray
    curve: np.ndarray
    parent_x: np.ndarray
    parent_density: np.ndarray
    clip: tuple[float, float] | None
    lattice: float | None
    warning: str
    notice: str


CLT_NOTICE = (
    "Whatever the parent's shape (skewed, discrete, flat), the means pile up into a bell around E[X] "
    "that narrows like 1/\u221an. This is why averaged gradients in mini-batch SGD are nearly Gaussian."
)
CLT_FAILS = (
    "The CLT fails: it needs a finite variance, and a Cauchy has none (not even a mean). The mean of "
    "n Cauchy draws is again Cauchy with the same spread: one huge draw outweighs all others."
)
NO_VARIANCE = (
    "The CLT fails: it needs a finite variance, and this parent has none. Its sample means do not "
    "narrow like 1/\u221an."
)


def clt_view(name: str, n: int, repeats: int, seed: int) -> CLTView:
    """Means of ``repeats`` samples of size ``n`` from the parent ``name`` (default parameters).

    Raises
    ------
    ValueError
        An unknown parent, or ``n``, ``repeats`` out of range.
    """
    check_choice("parent", name, CLT_PARENTS)
    dist = prob.StudentT(1.0) if name == CAUCHY else prob.DISTRIBUTIONS[name]()
    means = prob.sample_means(dist, n=n, repeats=repeats, rng=int(seed))
    mu, var = float(dist.mean()), float(dist.var())
    q75, q25 = np.percentile(means, [75, 25])
    parent_x = dist.support_grid()
    common = dict(
        dist=dist,
        means=means,
        mu=mu,
        var=var,
        observed_sd=float(means.std()),
        iqr=float(q75 - q25),
        parent_x=parent_x,
        parent_density=dist.density(parent_x),
    )
    if math.isfinite(var):
        limit = prob.Normal(mu, max(math.sqrt(var / n), 1e-9))  # Bernoulli(0) has no spread
        x = limit.support_grid()
        return CLTView(
            **common,
            applies=True,
            se=float(limit.sigma),
            x=x,
            curve=limit.pdf(x),
            clip=None,
            lattice=1 / n if dist.discrete else None,
            warning="",
            notice=CLT_NOTICE,
        )
    x = np.linspace(-10.0, 10.0, 400)
    return CLTView(
        **common,
        applies=False,
        se=math.nan,
        x=x,
        curve=dist.density(x),
        clip=(-10.0, 10.0),
        lattice=None,
        warning=CLT_FAILS if name == CAUCHY else NO_VARIANCE,
        notice="",
    )


# ------------------------------------------------------------------------ Bayes
class DiagnosticView(NamedTuple):
    """A diagnostic test through Bayes' rule, in probabilities and in 1000 people.

    Attributes
    ----------
    result : DiagnosticTest
    prevalence, sensitivity, specificity : float
    false_positive_rate : float
        ``1 - specificity`` = P(+ | healthy).
    healthy : float
        ``1 - prevalence``.
    people : (int, int, int, int)
        TP, FN, FP, TN out of 1000, whole people.
    ppv : str
        P(ill | +) for the formula, "undefined" when nobody tests positive.
    notice : str
        Who outnumbers whom among the positives.
    """

    result: prob.DiagnosticTest
    prevalence: float
    sensitivity: float
    specificity: float
    false_positive_rate: float
    healthy: float
    people: tuple[int, int, int, int]
    ppv: str
    notice: str


def bayes_notice(true_pos: int, false_pos: int) -> str:
    """The notice of the diagnostic test: do false positives swamp the true ones?

    Parameters
    ----------
    true_pos, false_pos : int
        Of 1000 people, the ill and the healthy who test positive.
    """
    if true_pos + false_pos == 0:
        return (
            "Of 1000 people, nobody tests positive: raise the sensitivity or lower the "
            "specificity. The prior matters."
        )
    head = f"Of 1000 people, {true_pos + false_pos} test positive and {true_pos} of them are ill: "
    if false_pos > true_pos:
        body = (
            "when the condition is rare, false positives from the many healthy people swamp the "
            "true ones."
        )
    else:
        body = (
            f"here the {false_pos} false positives do not outnumber them; lower the prevalence or "
            "the specificity."
        )
    return head + body + " The prior matters."


def diagnostic_view(prevalence: float, sensitivity: float, specificity: float) -> DiagnosticView:
    """P(ill | +) for a test of the given sensitivity and specificity, at the given prevalence."""
    r = prob.diagnostic_test(prevalence, sensitivity, specificity)
    tp, fn, fp, tn = r.whole_people()
    return DiagnosticView(
        result=r,
        prevalence=float(prevalence),
        sensitivity=float(sensitivity),
        specificity=float(specificity),
        false_positive_rate=1.0 - float(specificity),
        healthy=1.0 - float(prevalence),
        people=(tp, fn, fp, tn),
        ppv=f"{r.ppv:.4f}" if math.isfinite(r.ppv) else r"\text{undefined}",
        notice=bayes_notice(tp, fp),
    )


class CoinView(NamedTuple):
    """A Beta prior on a coin's p, updated flip by flip.

    Attributes
    ----------
    true_p : float
        The coin's p, drawn from U(0.05, 0.95) with the seed.
    flips : ndarray of shape (n,)
        0 (tails) and 1 (heads).
    heads, tails : int
    grid : ndarray of shape (G,)
        p in [0, 1].
    frames : ndarray of shape (F,)
        The flip counts t the animation shows (at most :data:`MAX_FRAMES`,
        the last one always ``n``).
    densities : ndarray of shape (F, G)
        The posterior density after ``frames[i]`` flips.
    mean, std : ndarray of shape (n + 1,)
        The posterior mean and sd after t = 0..n flips.
    a_post, b_post : float
        The final posterior Beta(a + heads, b + tails).
    """

    true_p: float
    flips: np.ndarray
    heads: int
    tails: int
    grid: np.ndarray
    frames: np.ndarray
    densities: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    a_post: float
    b_post: float


def coin_view(a: float, b: float, flips: int, seed: int) -> CoinView:
    """Flip a seeded coin ``flips`` times and update a Beta(a, b) prior after each flip."""
    true_p = float(prob.Uniform(0.05, 0.95).sample(1, int(seed))[0])
    x = prob.Bernoulli(true_p).sample(int(flips), int(seed) + 1)
    path = prob.beta_binomial_update(x, a=a, b=b)
    grid = np.linspace(0.0, 1.0, 201)
    frames = np.unique(np.linspace(0, x.size, min(x.size + 1, MAX_FRAMES)).astype(int))
    sub = prob.BetaPath(path.a[frames], path.b[frames])
    heads = int(x.sum())
    return CoinView(
        true_p=true_p,
        flips=x,
        heads=heads,
        tails=int(x.size) - heads,
        grid=grid,
        frames=frames,
        densities=sub.pdf(grid),
        mean=path.mean(),
        std=path.std(),
        a_post=float(path.a[-1]),
        b_post=float(path.b[-1]),
    )


# ------------------------------------------------------------------- likelihood
class LikelihoodView(NamedTuple):
    """Maximum likelihood for a Normal sample (a surface) and a coin (a curve).

    Attributes
    ----------
    x : ndarray of shape (n,)
        The Normal sample.
    heads : ndarray of shape (n,)
        The coin's flips, 0 or 1.
    fit : Normal
        The MLE (mean, biased sd).
    mu_grid, sigma_grid : ndarray of shape (121,)
    surface : ndarray of shape (121, 121)
        log L over the grid, rows following ``sigma_grid``.
    loglik : float
        log L at the MLE.
    p_grid : ndarray of shape (201,)
    coin_loglik : ndarray of shape (201,)
    p_hat : float
    h : int
        The number of heads.
    """

    x: np.ndarray
    heads: np.ndarray
    fit: prob.Normal
    mu_grid: np.ndarray
    sigma_grid: np.ndarray
    surface: np.ndarray
    loglik: float
    p_grid: np.ndarray
    coin_loglik: np.ndarray
    p_hat: float
    h: int


def likelihood_view(mu: float, sigma: float, true_p: float, n: int, seed: int) -> LikelihoodView:
    """Draw ``n`` values of N(mu, sigma) and ``n`` flips of a p-coin; fit both by maximum likelihood."""
    x = prob.Normal(mu, sigma).sample(int(n), int(seed))
    heads = prob.Bernoulli(true_p).sample(int(n), int(seed) + 1)
    fit = prob.fit_normal(x)  # a continuous sample of n >= 2 always has spread
    m_grid = np.linspace(fit.mu - 2 * fit.sigma, fit.mu + 2 * fit.sigma, 121)
    s_grid = np.linspace(0.25 * fit.sigma, 2.5 * fit.sigma, 121)
    p_grid = np.linspace(0.0, 1.0, 201)
    return LikelihoodView(
        x=x,
        heads=heads,
        fit=fit,
        mu_grid=m_grid,
        sigma_grid=s_grid,
        surface=prob.normal_log_likelihood(x, m_grid[None, :], s_grid[:, None]),
        loglik=float(prob.normal_log_likelihood(x, fit.mu, fit.sigma)),
        p_grid=p_grid,
        coin_loglik=prob.bernoulli_log_likelihood(heads, p_grid),
        p_hat=prob.fit_bernoulli(heads),
        h=int(heads.sum()),
    )


# ------------------------------------------------------------ tests, intervals
class HypothesisView(NamedTuple):
    """A one-sample t-test on the first of 100 samples, and the t-intervals of all 100.

    Attributes
    ----------
    test : TTest
    s : float
        The sample's standard deviation (n - 1), ``se * sqrt(n)``.
    t_grid, null_density : ndarray of shape (601,)
        The Student t density under H0.
    reject : bool
        ``p < alpha``.
    p_text : str
        "= 0.0159" or "< 0.0001".
    relation : str
        "<" when rejecting, "≥" otherwise.
    decision : str
        The sentence: reject H0 or not, at which level.
    intervals : ConfidenceIntervals
    covered : int
        How many of the 100 intervals cover the true mean.
    notice : str
    """

    test: prob.TTest
    s: float
    t_grid: np.ndarray
    null_density: np.ndarray
    reject: bool
    p_text: str
    relation: str
    decision: str
    intervals: prob.ConfidenceIntervals
    covered: int
    notice: str


def decision_text(p_value: float, alpha: float, mu0: float) -> str:
    """The test's verdict in words: reject H0 when ``p < alpha``, else say the data fit it.

    A NaN p-value (no test possible) is said so rather than read as a decision.
    """
    if math.isnan(p_value):
        return "No decision: the p-value is undefined for this sample."
    if p_value < alpha:
        return f"Reject H\u2080 (mean = {mu0:g}) at \u03b1 = {alpha}."
    return f"Do not reject H\u2080 (mean = {mu0:g}) at \u03b1 = {alpha}: the data are compatible with it."


def p_value_text(p_value: float) -> str:
    """ "= 0.0159", or "< 0.0001" below what four decimals can show."""
    return f"= {p_value:.4f}" if p_value >= 1e-4 else "< 0.0001"


def tests_view(
    mu: float, mu0: float, n: int, alpha: float, alternative: str, level: float, seed: int
) -> HypothesisView:
    """Test H0: mean = mu0 on a sample of N(mu, 1); t-intervals at ``level`` for 100 samples."""
    samples = prob.Normal(mu, 1.0).sample((100, int(n)), int(seed))
    r = prob.t_test(samples[0], mu0, alternative=alternative)
    t_grid = np.linspace(-1.0, 1.0, 601) * max(5.0, abs(r.statistic) + 1.0)
    ci = prob.confidence_intervals(samples, level=level)
    reject = r.p_value < alpha
    return HypothesisView(
        test=r,
        s=float(r.se * math.sqrt(n)),
        t_grid=t_grid,
        null_density=prob.StudentT(r.df).pdf(t_grid),
        reject=bool(reject),
        p_text=p_value_text(r.p_value),
        relation="<" if reject else "≥",
        decision=decision_text(r.p_value, alpha, mu0),
        intervals=ci,
        covered=int(ci.covers(mu).sum()),
        notice=(
            f"Each line is the {level:.0%} t-interval of one of 100 samples of size {n}; about "
            f"{level:.0%} cover the true mean. The p-value (shaded) is the chance of a t this "
            "extreme if H\u2080 were true, not that H\u2080 is true."
        ),
    )


# ----------------------------------------------------------------- information
class InformationView(NamedTuple):
    """Entropy, cross-entropy and both KL divergences of two distributions on four outcomes.

    Attributes
    ----------
    p, q : ndarray of shape (4,)
        The weights normalised.
    p_total, q_total : float
        The weights' sums (the sliders need not add up to 1).
    unit : str
        "bits" or "nats".
    values : ndarray of shape (5,)
        H(p), H(q), H(p, q), KL(p ‖ q), KL(q ‖ p).
    tex : tuple of 5 str
        The same for LaTeX (``\\infty`` where infinite).
    shown : tuple of 5 str
        The same for the metrics ("∞").
    terms_pq, terms_qp : ndarray of shape (4,)
        The per-outcome terms of each KL sum.
    log : str
        ``\\log_2`` or ``\\ln``.
    relation : str
        "=" when the two divergences print equal, ``\\ne`` otherwise.
    warning : str
        Why a divergence is infinite, "" when both are finite.
    """

    p: np.ndarray
    q: np.ndarray
    p_total: float
    q_total: float
    unit: str
    values: np.ndarray
    tex: tuple[str, ...]
    shown: tuple[str, ...]
    terms_pq: np.ndarray
    terms_qp: np.ndarray
    log: str
    relation: str
    warning: str


INFINITE_KL = (
    "A KL divergence is infinite: one distribution gives probability 0 to an outcome the other "
    "allows, and a model that calls 'impossible' something that happens pays log 1/0 = ∞."
)


def information_view(
    p_weights: Sequence[float], q_weights: Sequence[float], unit: str
) -> InformationView:
    """Normalise two weight vectors and compare them in ``unit`` ("bits" or "nats").

    Raises
    ------
    ValueError
        A negative weight, or all of one vector's weights zero.
    """
    check_choice("unit", unit, ("bits", "nats"))
    base = 2 if unit == "bits" else None
    p, q = prob.normalize(p_weights), prob.normalize(q_weights)
    values = np.array(
        [
            prob.entropy(p, base=base),
            prob.entropy(q, base=base),
            prob.cross_entropy(p, q, base=base),
            prob.kl_divergence(p, q, base=base),
            prob.kl_divergence(q, p, base=base),
        ]
    )
    tex = tuple(f"{v:.4f}" if np.isfinite(v) else r"\infty" for v in values)
    return InformationView(
        p=p,
        q=q,
        p_total=float(np.sum(p_weights)),
        q_total=float(np.sum(q_weights)),
        unit=unit,
        values=values,
        tex=tex,
        shown=tuple(t.replace(r"\infty", "∞") for t in tex),
        terms_pq=prob.kl_terms(p, q, base=base),
        terms_qp=prob.kl_terms(q, p, base=base),
        log=r"\log_2" if base else r"\ln",
        relation="=" if tex[3] == tex[4] else r"\ne",
        warning="" if np.all(np.isfinite(values)) else INFINITE_KL,
    )


class SoftmaxLossView(NamedTuple):
    """A classifier's loss on one example: softmax of the logits against the true class.

    Attributes
    ----------
    result : SoftmaxCrossEntropy
        Loss (nats), probabilities and the gradient ``p - y``.
    label : int
        The true class's index.
    onehot : ndarray of shape (K,)
    grad_text : str
        The gradient's entries, signed, for the formula.
    """

    result: prob.SoftmaxCrossEntropy
    label: int
    onehot: np.ndarray
    grad_text: str


def softmax_loss_view(logits: Sequence[float], label: str) -> SoftmaxLossView:
    """Softmax cross-entropy of ``logits`` (one per outcome) against the outcome ``label``."""
    check_choice("label", label, OUTCOMES)
    y = OUTCOMES.index(label)
    out = prob.softmax_loss_and_grad(logits, y)
    onehot = np.zeros(out.probs.size)
    onehot[y] = 1.0
    return SoftmaxLossView(out, y, onehot, ", ".join(f"{g:+.3f}" for g in out.grad))
