"""Challenge predicates of the Backpropagation lab."""

from __future__ import annotations

import numpy as np

from dlcore.challenges import Verdict


def _last(values) -> float:
    v = np.asarray(values, dtype=float)
    return float(v[-1]) if v.size else float("nan")


def classifies(
    data: str,
    layers: int,
    test_accuracy,
    diverged_at: int,
    *,
    on: str = "spirals",
    max_layers: int = 2,
    above: float = 0.95,
) -> Verdict:
    """Passes when a network of at most ``max_layers`` hidden layers, trained on ``on``,
    has a final test accuracy above ``above`` (``test_accuracy`` one entry per epoch).

    Examples
    --------
    >>> classifies("spirals", 2, [0.5, 0.97], -1).passed
    True
    >>> classifies("spirals", 3, [0.99], -1).reason
    '3 hidden layers: use at most 2.'
    """
    if data != on:
        return Verdict(False, f"The data set is {data}: switch to {on}.")
    if layers > max_layers:
        return Verdict(False, f"{layers} hidden layers: use at most {max_layers}.")
    if diverged_at >= 0:
        return Verdict(
            False, f"Training diverged at epoch {diverged_at + 1}: lower the learning rate."
        )
    acc = _last(test_accuracy)
    if np.isnan(acc):
        return Verdict(False, "Not trained yet: press Train.")
    if acc <= above:
        return Verdict(False, f"Test accuracy {acc:.1%}: not above {above:.0%} yet.")
    return Verdict(True, f"Test accuracy {acc:.1%} with {layers} hidden layer(s).")


def linear_stack_fails(
    data: str, activation: str, layers: int, epochs: int, test_accuracy, *, at_most: float = 0.7
) -> Verdict:
    """Passes when a stack of 2+ hidden layers without a non-linearity, trained at least 50
    epochs on circles, stays at or below ``at_most`` test accuracy.

    Examples
    --------
    >>> linear_stack_fails("circles", "identity", 3, 100, [0.55]).passed
    True
    >>> linear_stack_fails("circles", "relu", 3, 100, [0.99]).reason
    'The activation is relu: use identity, no non-linearity.'
    """
    if data != "circles":
        return Verdict(False, f"The data set is {data}: switch to circles.")
    if activation != "identity":
        return Verdict(False, f"The activation is {activation}: use identity, no non-linearity.")
    if layers < 2:
        return Verdict(False, f"{layers} hidden layer(s): stack at least 2.")
    if epochs < 50:
        return Verdict(False, f"Only {epochs} epochs trained: train at least 50.")
    acc = _last(test_accuracy)
    if not acc <= at_most:
        return Verdict(False, f"Test accuracy {acc:.1%}: above {at_most:.0%}.")
    return Verdict(True, f"{layers} linear layers after {epochs} epochs: test accuracy {acc:.1%}.")


def no_gradient_to_weights(weight_grads, loss: float, z: float, activation: str) -> Verdict:
    """Passes when the loss is positive yet every weight gets a gradient of exactly 0.

    Examples
    --------
    >>> no_gradient_to_weights([0.0, 0.0], 0.8, -0.3, "relu").passed
    True
    >>> no_gradient_to_weights([0.0, 0.0], 0.0, 1.0, "relu").reason
    'The loss is 0: there is nothing to learn, so a zero gradient proves nothing.'
    """
    g = np.asarray(weight_grads, dtype=float)
    if not (np.isfinite(g).all() and np.isfinite(loss)):
        return Verdict(False, "The gradients are not finite numbers.")
    if loss <= 1e-12:
        return Verdict(
            False, "The loss is 0: there is nothing to learn, so a zero gradient proves nothing."
        )
    if np.any(g != 0):
        return Verdict(
            False,
            f"z = {z:.3g} with {activation}: the weights still get gradients up to {np.abs(g).max():.3g}.",
        )
    return Verdict(
        True,
        f"Loss {loss:.3g}, yet z = {z:.3g} under {activation}: no gradient reaches the weights.",
    )


def input_silences_row(x, dW1) -> Verdict:
    """Passes when one input is exactly 0 (the other not) and its row of dL/dW1 is all zero.

    Examples
    --------
    >>> input_silences_row([0.0, 1.0], [[0.0, 0.0], [0.1, -0.2]]).passed
    True
    >>> input_silences_row([0.5, 1.0], [[0.1, 0.0], [0.1, -0.2]]).reason
    'No input is 0: every row of dL/dW1 gets a gradient.'
    """
    x = np.asarray(x, dtype=float).ravel()
    G = np.asarray(dW1, dtype=float)
    if not (np.isfinite(x).all() and np.isfinite(G).all()):
        return Verdict(False, "The inputs or gradients are not finite numbers.")
    zero = np.flatnonzero(x == 0)
    if zero.size == 0:
        return Verdict(False, "No input is 0: every row of dL/dW1 gets a gradient.")
    if zero.size == x.size:
        return Verdict(False, "Every input is 0: the network sees nothing at all.")
    rows = [int(i) for i in zero if not np.any(G[i])]
    if not rows:
        return Verdict(False, "An input is 0 but its row of dL/dW1 is not: check the step.")
    return Verdict(True, f"x{rows[0] + 1} = 0, so row {rows[0] + 1} of dL/dW1 = xᵀ δ₁ is all zero.")
