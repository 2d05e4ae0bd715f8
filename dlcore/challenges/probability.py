"""Challenge predicates of the Probability and statistics lab."""

from __future__ import annotations

import math

from dlcore.challenges import Verdict, not_finite
from dlcore.inference import diagnostic_test


def clt_fails(parent: str, variance: float) -> Verdict:
    """Passes when the parent has no finite variance, so the CLT's normal limit does not exist.

    ``variance`` is the parent's (NaN or inf where it does not exist).

    Examples
    --------
    >>> clt_fails("Cauchy", float("nan")).passed
    True
    >>> clt_fails("Normal", 1.0).reason
    'Normal has variance 1: its sample means do become normal.'
    """
    if isinstance(variance, bool) or not isinstance(variance, (int, float)):
        return Verdict(False, f"The variance {variance!r} is not a number.")
    if math.isfinite(variance):
        return Verdict(
            False, f"{parent} has variance {variance:.3g}: its sample means do become normal."
        )
    return Verdict(
        True, f"{parent} has no finite variance: the means of n draws never settle into a normal."
    )


def prior_outweighs_data(a: float, b: float, flips: int, *, min_flips: int = 30) -> Verdict:
    """Passes when at least ``min_flips`` flips still weigh less than the Beta(a, b) prior.

    The posterior mean is ``w * prior mean + (1 - w) * heads / flips`` with
    ``w = (a + b) / (a + b + flips)``: the prior dominates while ``a + b > flips``.

    Examples
    --------
    >>> prior_outweighs_data(20, 20, 30).passed
    True
    >>> prior_outweighs_data(1, 1, 100).reason
    'Your prior counts as a + b = 2 flips; the 100 flips weigh 98% of the posterior mean.'
    """
    bad = not_finite(a=a, b=b, flips=flips)
    if bad:
        return bad
    if a <= 0 or b <= 0:
        return Verdict(False, f"a = {a:g} and b = {b:g} must both be positive for a Beta prior.")
    if flips < min_flips:
        return Verdict(False, f"Only {flips} flips: use at least {min_flips}.")
    weight = flips / (a + b + flips)
    if a + b <= flips:
        return Verdict(
            False,
            f"Your prior counts as a + b = {a + b:g} flips; the {flips} flips weigh "
            f"{weight:.0%} of the posterior mean.",
        )
    return Verdict(
        True, f"The prior counts as {a + b:g} flips: the {flips} flips weigh only {weight:.0%}."
    )


def positive_is_false_alarm(
    prevalence: float, sensitivity: float, specificity: float, *, accuracy: float = 0.95
) -> Verdict:
    """Passes when a test right at least ``accuracy`` of the time still gives P(ill | +) < 1/2.

    Examples
    --------
    >>> positive_is_false_alarm(0.01, 0.95, 0.95).passed
    True
    >>> positive_is_false_alarm(0.01, 0.9, 0.95).reason
    'Sensitivity 0.9 and specificity 0.95: make both at least 0.95.'
    """
    bad = not_finite(prevalence=prevalence, sensitivity=sensitivity, specificity=specificity)
    if bad:
        return bad
    if sensitivity < accuracy or specificity < accuracy:
        return Verdict(
            False,
            f"Sensitivity {sensitivity:g} and specificity {specificity:g}: make both at least "
            f"{accuracy:g}.",
        )
    ppv = diagnostic_test(prevalence, sensitivity, specificity).ppv
    if not ppv < 0.5:
        return Verdict(False, f"P(ill | +) = {ppv:.1%}: a positive is still more likely right.")
    return Verdict(True, f"P(ill | +) = {ppv:.1%}: most positives are false alarms.")


def positive_is_trustworthy(
    prevalence: float, sensitivity: float, specificity: float, *, rare: float = 0.01
) -> Verdict:
    """Passes when, for a condition at most ``rare`` common, P(ill | +) is at least 90%.

    Examples
    --------
    >>> positive_is_trustworthy(0.01, 0.95, 0.999).passed
    True
    >>> positive_is_trustworthy(0.01, 0.9, 0.95).reason
    'P(ill | +) = 15.4%: false positives among the many healthy still outnumber the ill.'
    """
    bad = not_finite(prevalence=prevalence, sensitivity=sensitivity, specificity=specificity)
    if bad:
        return bad
    if prevalence > rare:
        return Verdict(False, f"Prevalence {prevalence:g}: keep the condition rare (≤ {rare:g}).")
    ppv = diagnostic_test(prevalence, sensitivity, specificity).ppv
    if math.isnan(ppv):
        return Verdict(False, "Nobody tests positive: P(ill | +) is undefined.")
    if ppv < 0.9:
        return Verdict(
            False,
            f"P(ill | +) = {ppv:.1%}: false positives among the many healthy still outnumber the ill.",
        )
    return Verdict(True, f"P(ill | +) = {ppv:.1%}: a positive can be trusted.")
