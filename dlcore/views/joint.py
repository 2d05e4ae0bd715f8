"""What the Probability lab's Joint and conditional and Correlation panels show."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlcore import datasets
from dlcore import joint as jt
from dlcore.linsys import parse_matrix
from dlcore.tex import tex_matrix, tex_number


class JointExample(NamedTuple):
    """A preset table: the text typed into the table box and what its rows and columns mean."""

    text: str
    description: str


JOINT_EXAMPLES: dict[str, JointExample] = {
    "Weather and umbrella": JointExample(
        "0.40 0.02; 0.20 0.08; 0.05 0.25",
        "Rows A: sun, cloud, rain. Columns B: no umbrella, umbrella. Dependent: rain makes the "
        "umbrella likely.",
    ),
    "Disease and test (counts)": JointExample(
        "9 1; 99 891",
        "Counts of 1000 people. Rows A: ill, healthy. Columns B: test positive, negative. "
        "P(ill | positive) is the Bayes panel's posterior.",
    ),
    "Two fair coins": JointExample(
        "1 1; 1 1", "Rows A: first coin heads, tails. Columns B: second coin. Independent."
    ),
    "Independent, uneven": JointExample(
        "0.06 0.24 0.30; 0.04 0.16 0.20",
        "Every entry is the product of its marginals (0.6 and 0.4 times 0.1, 0.4 and 0.5).",
    ),
}


def _labels(prefix: str, k: int) -> list[str]:
    return [f"{prefix}{i + 1}" for i in range(k)]


class JointView(NamedTuple):
    """The Joint and conditional panel.

    Attributes
    ----------
    table : dlcore.joint.JointTable
    rows : dict of str to list
        The joint with its marginals, for a Markdown table.
    conditional : ndarray
        The chosen slice renormalised.
    marginal : ndarray
        The unconditional distribution of the same variable, to compare with.
    names : list of str
        The values of the conditioned variable (``a1..`` or ``b1..``).
    lines : list of str
        The slice, its renormalisation and the independence check in LaTeX.
    verdict : str
    """

    table: jt.JointTable
    rows: dict[str, list]
    conditional: np.ndarray
    marginal: np.ndarray
    names: list[str]
    lines: list[str]
    verdict: str


def _rows(t: jt.JointTable) -> dict[str, list]:
    m, n = t.joint.shape
    rows: dict[str, list] = {"": _labels("a", m) + ["P(B)"]}
    for j, name in enumerate(_labels("b", n)):
        rows[name] = [f"{v:.4g}" for v in t.joint[:, j]] + [f"{t.p_b[j]:.4g}"]
    rows["P(A)"] = [f"{v:.4g}" for v in t.p_a] + ["1"]
    return rows


def joint_view(text: str, given: str, index: int) -> JointView:
    """Parse the typed table, slice it at ``given = value index + 1`` (1-based on screen)."""
    t = jt.joint_table(parse_matrix(text, name="table", max_size=6))
    cond = jt.conditional(t, given=given, index=index)
    other = "A" if given == "B" else "B"
    value = f"{given.lower()}{index + 1}"
    names = _labels(other.lower(), len(cond))
    marginal = t.p_a if given == "B" else t.p_b
    piece = t.joint[:, index] if given == "B" else t.joint[index]
    p_given = (t.p_b if given == "B" else t.p_a)[index]
    lines = [
        rf"P({other} \mid {given} = {value}) = \frac{{P({other}, {given} = {value})}}"
        rf"{{P({given} = {value})}} = \frac{{{tex_matrix(piece, digits=3)}}}{{{tex_number(p_given, 4)}}}"
        rf" = {tex_matrix(cond, digits=3)}",
        rf"P({other}) = {tex_matrix(marginal, digits=3)}\qquad"
        rf"\max_{{i,j}} \lvert P(a_i, b_j) - P(a_i)P(b_j) \rvert = {tex_number(t.max_gap)},"
        rf"\qquad I(A;B) = {tex_number(t.mutual_information)}\ \text{{nats}}",
    ]
    if t.independent:
        verdict = (
            "A and B are independent: every entry is the product of its marginals, so every "
            f"conditional P({other} | {given}) equals the marginal P({other})."
        )
    else:
        verdict = (
            f"A and B are dependent: knowing {given} = {value} changes the distribution of "
            f"{other} (the conditional differs from the marginal)."
        )
    return JointView(t, _rows(t), cond, marginal, names, lines, verdict)


# ----------------------------------------------------------------- correlation
CORRELATION_SOURCES = ("Bivariate normal", "Dependent, uncorrelated (y = x² − 1)")


class CorrelationView(NamedTuple):
    """The Correlation panel.

    Attributes
    ----------
    X : ndarray of shape (n, 2)
        The sample.
    cov, corr : ndarray of shape (2, 2)
        Sample covariance and correlation matrices.
    true_cov : ndarray of shape (2, 2)
        The population covariance.
    lines : dlcore.joint.RegressionLines
    ellipse : ndarray of shape (100, 2)
        The sample's 2-sigma ellipse.
    tex : list of str
    """

    X: np.ndarray
    cov: np.ndarray
    corr: np.ndarray
    true_cov: np.ndarray
    lines: jt.RegressionLines
    ellipse: np.ndarray
    tex: list[str]


def correlation_view(
    source: str, rho: float, sigma_x: float, sigma_y: float, n: int, seed: int
) -> CorrelationView:
    """A seeded sample from ``source`` with its covariance, correlation and regression lines."""
    if source == CORRELATION_SOURCES[0]:
        X = jt.bivariate_normal(n, rho=rho, sigma_x=sigma_x, sigma_y=sigma_y, rng=seed)
        c = rho * sigma_x * sigma_y
        true_cov = np.array([[sigma_x**2, c], [c, sigma_y**2]])
    elif source == CORRELATION_SOURCES[1]:
        X = jt.dependent_uncorrelated(n, rng=seed)
        true_cov = np.array([[1.0, 0.0], [0.0, 2.0 + 0.01]])  # Var(x^2) = 2, plus the noise's
    else:
        raise ValueError(f"source must be one of {', '.join(CORRELATION_SOURCES)}, got {source!r}")
    cov = jt.sample_covariance(X)
    corr = jt.correlation_from_covariance(cov)
    r = float(corr[0, 1])
    tex = [
        rf"\Sigma = {tex_matrix(true_cov, digits=3)}\quad\text{{(the population)}}",
        r"\hat\Sigma = \frac{1}{n-1}\sum_i (x_i - \bar x)(x_i - \bar x)^\top",
        rf"\hat\Sigma = {tex_matrix(cov, digits=3)}\quad\text{{(the sample, n = {len(X)})}}",
        rf"r = \frac{{\hat\Sigma_{{xy}}}}{{\sqrt{{\hat\Sigma_{{xx}} \hat\Sigma_{{yy}}}}}} = "
        rf"\frac{{{tex_number(cov[0, 1])}}}{{\sqrt{{{tex_number(cov[0, 0])} \cdot "
        rf"{tex_number(cov[1, 1])}}}}} = {tex_number(r)}",
    ]
    ellipse = jt.covariance_ellipse(X.mean(axis=0), cov)
    return CorrelationView(X, cov, corr, true_cov, jt.regression_lines(X), ellipse, tex)


class DatasetCorrelation(NamedTuple):
    """Covariance and correlation matrices of a scikit-learn data set's features.

    Attributes
    ----------
    names : list of str
        Feature names.
    cov, corr : ndarray of shape (d, d)
    strongest : tuple of (str, str, float)
        The most correlated pair of different features and their correlation.
    """

    names: list[str]
    cov: np.ndarray
    corr: np.ndarray
    strongest: tuple[str, str, float]


def dataset_correlation_view(name: str) -> DatasetCorrelation:
    """The feature covariance and correlation of ``name`` (iris, wine, breast cancer)."""
    data = datasets.load(name)
    cov = jt.sample_covariance(data.X)
    corr = jt.correlation_from_covariance(cov)
    off = np.abs(np.where(np.eye(len(corr), dtype=bool), 0.0, np.nan_to_num(corr)))
    i, j = np.unravel_index(int(np.argmax(off)), off.shape)
    names = list(data.feature_names)
    return DatasetCorrelation(names, cov, corr, (names[i], names[j], float(corr[i, j])))
