"""Challenge predicates of the Convolutional networks lab."""

from __future__ import annotations

import numpy as np

from dlcore.challenges import Verdict


def trained_to(
    test_accuracy: float,
    epochs: int,
    filters: tuple[int, int],
    *,
    at_least: float,
    max_epochs: int = 30,
    max_filters: tuple[int, int] = (16, 32),
) -> Verdict:
    """Passes when a run of at most ``max_epochs`` epochs and at most ``max_filters`` filters
    per conv layer reached ``at_least`` test accuracy.

    Examples
    --------
    >>> trained_to(0.95, 8, (2, 4), at_least=0.9, max_filters=(2, 4)).passed
    True
    >>> trained_to(0.97, 8, (8, 16), at_least=0.9, max_filters=(2, 4)).reason
    'The run used 8 and 16 filters: at most 2 and 4.'
    """
    f1, f2 = filters
    if f1 > max_filters[0] or f2 > max_filters[1]:
        return Verdict(
            False,
            f"The run used {f1} and {f2} filters: at most {max_filters[0]} and {max_filters[1]}.",
        )
    if epochs > max_epochs:
        return Verdict(False, f"The run trained {epochs} epochs: at most {max_epochs}.")
    if not np.isfinite(test_accuracy):
        return Verdict(False, "The run has no test accuracy: it diverged or did not train.")
    if test_accuracy < at_least:
        return Verdict(False, f"Test accuracy {test_accuracy:.1%}: below {at_least:.0%}.")
    return Verdict(
        True, f"Test accuracy {test_accuracy:.1%} after {epochs} epochs with {f1} and {f2} filters."
    )


def unsure(probabilities, temperature: float, *, below: float = 0.6) -> Verdict:
    """Passes when the top probability shown is below ``below``.

    Examples
    --------
    >>> unsure([0.4, 0.3, 0.3], 4.0).passed
    True
    >>> unsure([0.99, 0.01], 1.0).reason
    'At T = 1 the top class gets 99.0%.'
    """
    p = np.asarray(probabilities, dtype=float)
    if p.size == 0 or not np.isfinite(p).all():
        return Verdict(False, "The probabilities are not finite numbers.")
    top = float(p.max())
    if top >= below:
        return Verdict(False, f"At T = {temperature:g} the top class gets {top:.1%}.")
    return Verdict(
        True, f"At T = {temperature:g} the top class gets only {top:.1%}; the answer is the same."
    )


def hardest_class(chosen: int, recall) -> Verdict:
    """Passes when ``chosen`` (-1: all classes) is a class with the lowest recall.

    Examples
    --------
    >>> hardest_class(1, [0.99, 0.9, 0.95]).passed
    True
    >>> hardest_class(0, [0.99, 0.9, 0.95]).reason
    'Class 0 is read right 99.0% of the time: another class does worse.'
    """
    r = np.asarray(recall, dtype=float)
    if chosen < 0:
        return Verdict(False, "All classes are shown: pick one true class.")
    if not 0 <= chosen < r.size or not np.isfinite(r[chosen]):
        return Verdict(False, f"Class {chosen} has no test digits.")
    if r[chosen] > np.nanmin(r):
        return Verdict(
            False,
            f"Class {chosen} is read right {r[chosen]:.1%} of the time: another class does worse.",
        )
    return Verdict(
        True, f"Class {chosen} is read right only {r[chosen]:.1%} of the time, the lowest."
    )
