"""Challenge predicates of the Recurrent networks lab (gradients through time)."""

from __future__ import annotations

import math

import numpy as np

from dlcore.challenges import Verdict


def _end(ratio) -> tuple[float, int]:
    r = np.asarray(ratio, dtype=float)
    return float(r[-1]), len(r) - 1


def gradient_vanishes(ratio, *, below: float = 1e-3, min_steps: int = 50) -> Verdict:
    """Passes when the gradient ``min_steps`` or more steps back is below ``below`` of its start.

    ``ratio`` is ``||dL/dh_{T-k}|| / ||dL/dh_T||`` for k = 0..T.

    Examples
    --------
    >>> gradient_vanishes(0.8 ** np.arange(51)).passed
    True
    >>> gradient_vanishes(0.9 ** np.arange(51)).reason
    '50 steps back the gradient is 0.00515 of its size: not yet below 0.001.'
    """
    end, steps = _end(ratio)
    if steps < min_steps:
        return Verdict(False, f"Only {steps} steps back: look at least {min_steps} back.")
    if math.isnan(end):
        return Verdict(False, "The gradient is not a number: it overflowed.")
    if not end < below:
        return Verdict(
            False,
            f"{steps} steps back the gradient is {end:.3g} of its size: not yet below {below:g}.",
        )
    return Verdict(
        True, f"{steps} steps back the gradient is {end:.2g} of its size: the start is forgotten."
    )


def gradient_explodes(ratio, *, above: float = 1e3) -> Verdict:
    """Passes when the gradient grows more than ``above`` times on its way back (overflow counts).

    Examples
    --------
    >>> gradient_explodes(1.2 ** np.arange(51)).passed
    True
    >>> gradient_explodes(np.ones(51)).reason
    '50 steps back the gradient is 1 times its size: not above 1000.'
    """
    end, steps = _end(ratio)
    if math.isnan(end):
        return Verdict(False, "The gradient is not a number here.")
    if not end > above:
        return Verdict(
            False,
            f"{steps} steps back the gradient is {end:.3g} times its size: not above {above:g}.",
        )
    return Verdict(True, f"{steps} steps back the gradient is {end:.3g} times its size.")


def clipping_tames(
    norm: float, clipped_norm: float, clip: float | None, *, factor: float = 100.0
) -> Verdict:
    """Passes when a gradient ``factor`` times larger than the cap ``clip`` is cut down to it.

    Examples
    --------
    >>> clipping_tames(5e4, 1.0, 1.0).passed
    True
    >>> clipping_tames(5e4, 5e4, None).reason
    'Clipping is off: the update has norm 5e+04.'
    """
    if clip is None:
        return Verdict(False, f"Clipping is off: the update has norm {norm:.3g}.")
    if not (math.isfinite(norm) and math.isfinite(clipped_norm)):
        return Verdict(False, "The gradient overflowed before it could be clipped: lower ρ or T.")
    if norm < factor * clip:
        return Verdict(
            False, f"‖g‖ = {norm:.3g} is less than {factor:g} × c: make the gradient explode first."
        )
    if clipped_norm > clip * (1 + 1e-9):
        return Verdict(False, f"The update still has norm {clipped_norm:.3g} > c = {clip:g}.")
    return Verdict(True, f"‖g‖ = {norm:.3g} is cut to {clipped_norm:.3g}, same direction.")


def lstm_remembers(rnn_ratio, lstm_ratio, *, min_steps: int = 50, kept: float = 0.1) -> Verdict:
    """Passes when, ``min_steps`` or more back, the RNN's gradient is below 1e-3 of its size and
    the LSTM's at least ``kept`` (``lstm_ratio`` None: no LSTM shown).

    Examples
    --------
    >>> lstm_remembers(0.8 ** np.arange(51), 0.99 ** np.arange(51)).passed
    True
    >>> lstm_remembers(0.8 ** np.arange(51), None).reason
    'Turn on the LSTM comparison.'
    """
    if lstm_ratio is None:
        return Verdict(False, "Turn on the LSTM comparison.")
    vanish = gradient_vanishes(rnn_ratio, min_steps=min_steps)
    if not vanish.passed:
        return Verdict(False, f"First make the RNN forget. {vanish.reason}")
    end, steps = _end(lstm_ratio)
    if not end >= kept:
        return Verdict(
            False, f"The LSTM keeps {end:.3g} of the gradient {steps} steps back: below {kept:g}."
        )
    return Verdict(
        True, f"{steps} steps back the RNN keeps {_end(rnn_ratio)[0]:.2g}, the LSTM {end:.3g}."
    )
