"""Challenges that check themselves: one pure predicate per challenge, per lab.

Each predicate takes the values of a lab's controls (and, where the goal is
about a computed result, that result) and returns a :class:`Verdict`: whether
the state meets the goal and one sentence, computed from the state, saying
why or why not. Predicates never compare with a stored answer: any state that
meets the goal passes. Degenerate input (NaN, infinities, all-zero) fails with
a sentence that names it.

``dlcore.challenges.<lab>`` holds the predicates of one lab; the challenge
texts (goal, hint, explanation) live beside the lab in ``labs/<lab>/challenges.py``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

#: values this close count as equal (or as zero): the controls step by 0.1 at the finest typed
EXACT = 1e-9


class Verdict(NamedTuple):
    """The outcome of a challenge's check.

    Attributes
    ----------
    passed : bool
        The current state meets the goal.
    reason : str
        One sentence built from the state: what it achieves, or what is
        still missing ("your det is 0.31: the plane still has area").
    """

    passed: bool
    reason: str


def not_finite(**values: float) -> Verdict | None:
    """A failing verdict naming the first value that is not a finite number, else None.

    Examples
    --------
    >>> not_finite(lr=0.1, lam=float("nan"))
    Verdict(passed=False, reason='lam is nan: a challenge needs finite numbers.')
    >>> not_finite(lr=0.1) is None
    True
    """
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return Verdict(False, f"{name} is {value!r}, not a number.")
        if not math.isfinite(value):
            return Verdict(False, f"{name} is {value}: a challenge needs finite numbers.")
    return None


__all__ = ["EXACT", "Verdict", "not_finite"]
