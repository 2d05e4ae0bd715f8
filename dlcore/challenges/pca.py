"""Challenge predicates of the PCA and SVD lab."""

from __future__ import annotations

import numpy as np

from dlcore.challenges import Verdict


def _share(value: float) -> Verdict | None:
    if not np.isfinite(value):
        return Verdict(False, "The variance share is not a number: the cloud has no spread.")
    return None


def one_axis_suffices(pc1_share: float, *, at_least: float = 0.95) -> Verdict:
    """Passes when the first principal axis carries at least ``at_least`` of the variance.

    Examples
    --------
    >>> one_axis_suffices(0.97).passed
    True
    >>> one_axis_suffices(0.8).reason
    'PC1 carries 80.0% of the variance: projecting onto it loses 20.0%.'
    """
    bad = _share(pc1_share)
    if bad:
        return bad
    said = f"PC1 carries {pc1_share:.1%} of the variance: projecting onto it loses {1 - pc1_share:.1%}."
    return Verdict(pc1_share >= at_least, said)


def no_main_axis(pc1_share: float, *, at_most: float = 0.55) -> Verdict:
    """Passes when the cloud has no preferred direction: PC1 carries at most ``at_most``.

    Examples
    --------
    >>> no_main_axis(0.52).passed
    True
    """
    bad = _share(pc1_share)
    if bad:
        return bad
    if pc1_share > at_most:
        return Verdict(False, f"PC1 carries {pc1_share:.1%}: the cloud is still elongated.")
    return Verdict(True, f"PC1 carries only {pc1_share:.1%}: both axes are nearly alike.")


def fewest_components(ratios, k: int, *, keep: float = 0.9) -> Verdict:
    """Passes when ``k`` is the smallest number of components keeping ``keep`` of the variance.

    ``ratios`` are the explained-variance ratios, largest first.

    Examples
    --------
    >>> fewest_components([0.73, 0.23, 0.04], 2).passed
    True
    >>> fewest_components([0.73, 0.23, 0.04], 3).reason
    'k = 2 already keeps 96.0%: k = 3 is more than needed.'
    """
    r = np.asarray(ratios, dtype=float)
    if r.size == 0 or not np.isfinite(r).all():
        return Verdict(False, "The variance ratios are not finite numbers.")
    kept = np.cumsum(r)
    need = int(np.searchsorted(kept, keep - 1e-12) + 1)
    if not 1 <= k <= r.size:
        return Verdict(False, f"k = {k} is outside 1..{r.size}.")
    if k < need:
        return Verdict(False, f"k = {k} keeps {kept[k - 1]:.1%}: below {keep:.0%}.")
    if k > need:
        return Verdict(
            False, f"k = {need} already keeps {kept[need - 1]:.1%}: k = {k} is more than needed."
        )
    return Verdict(
        True,
        f"k = {k} keeps {kept[k - 1]:.1%}; k = {k - 1} would keep {kept[k - 2] if k > 1 else 0:.1%}.",
    )


def units_dominate(standardised: bool, raw_share: float, scaled_share: float) -> Verdict:
    """Passes when, without standardising, one feature's units make PC1 carry 90% or more
    while standardised data would spread the variance (PC1 below 60%).

    Examples
    --------
    >>> units_dominate(False, 0.998, 0.36).passed
    True
    >>> units_dominate(True, 0.998, 0.36).reason
    'Standardisation is on: every feature has variance 1, so no unit can dominate.'
    """
    if standardised:
        return Verdict(
            False, "Standardisation is on: every feature has variance 1, so no unit can dominate."
        )
    if not (np.isfinite(raw_share) and np.isfinite(scaled_share)):
        return Verdict(False, "The variance shares are not finite numbers.")
    if raw_share < 0.9:
        return Verdict(
            False, f"Unscaled, PC1 carries {raw_share:.1%}: no feature's units dominate."
        )
    if scaled_share >= 0.6:
        return Verdict(
            False,
            f"PC1 carries {scaled_share:.1%} even standardised: that is the data, not the units.",
        )
    return Verdict(
        True, f"PC1 carries {raw_share:.1%} unscaled but {scaled_share:.1%} standardised."
    )
