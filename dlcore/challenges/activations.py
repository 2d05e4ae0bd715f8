"""Challenge predicates of the Activation functions lab."""

from __future__ import annotations

import numpy as np

from dlcore.activations import gelu_grad, relu_grad, sigmoid_grad, softmax
from dlcore.challenges import Verdict, not_finite
from dlcore.depth import GradientVerdict


def sigmoid_saturated(x0: float, *, below: float = 0.01) -> Verdict:
    """Passes when the probe sits where sigmoid has all but stopped passing gradient.

    Examples
    --------
    >>> sigmoid_saturated(6.0).passed
    True
    >>> sigmoid_saturated(1.0).reason
    "σ'(1) = 0.197: still at least 0.01."
    """
    bad = not_finite(x0=x0)
    if bad:
        return bad
    g = float(sigmoid_grad(np.array(x0)))
    if g >= below:
        return Verdict(False, f"σ'({x0:g}) = {g:.3g}: still at least {below:g}.")
    return Verdict(True, f"σ'({x0:g}) = {g:.2g}: a unit there learns almost nothing.")


def relu_dead_gelu_alive(x0: float, *, alive: float = 0.05) -> Verdict:
    """Passes where ReLU's gradient is exactly 0 while GELU's is still at least ``alive`` in size.

    Examples
    --------
    >>> relu_dead_gelu_alive(-1.0).passed
    True
    >>> relu_dead_gelu_alive(-6.0).passed
    False
    """
    bad = not_finite(x0=x0)
    if bad:
        return bad
    r, g = float(relu_grad(np.array(x0))), float(gelu_grad(np.array(x0)))
    if r != 0.0:
        return Verdict(False, f"ReLU'({x0:g}) = {r:g}: ReLU is alive here.")
    if abs(g) < alive:
        return Verdict(False, f"GELU'({x0:g}) = {g:.2g}: GELU is nearly dead here too.")
    return Verdict(True, f"ReLU'({x0:g}) = 0 but GELU'({x0:g}) = {g:.3g}.")


def softmax_nearly_uniform(
    logits, temperature: float, *, spread: float = 3.0, top: float = 0.3
) -> Verdict:
    """Passes when logits at least ``spread`` apart still give no class ``top`` or more.

    Examples
    --------
    >>> softmax_nearly_uniform([2.0, 1.0, 0.1, -1.0], 20.0).passed
    True
    >>> softmax_nearly_uniform([1.0, 1.0, 1.0, 1.0], 1.0).reason
    'The logits are only 0 apart: spread them at least 3.'
    """
    z = np.asarray(logits, dtype=float)
    bad = not_finite(temperature=temperature)
    if bad or not np.isfinite(z).all():
        return bad or Verdict(False, "The logits are not finite numbers.")
    width = float(z.max() - z.min())
    if width < spread:
        return Verdict(
            False, f"The logits are only {width:.3g} apart: spread them at least {spread:g}."
        )
    p = softmax(z, temperature=temperature)
    best = float(p.max())
    if best >= top:
        return Verdict(False, f"At T = {temperature:g} the top class still gets {best:.1%}.")
    return Verdict(
        True, f"At T = {temperature:g} the top class gets {best:.1%}, close to 1/{z.size}."
    )


def healthy_deep_stack(verdict: GradientVerdict, depth: int, *, min_depth: int = 20) -> Verdict:
    """Passes when a stack of ``min_depth`` or more layers gets the verdict "healthy".

    ``verdict`` is :func:`dlcore.depth.gradient_verdict` of the panel's run:
    the first layer's gradient neither vanishes nor explodes, by slope or by size.

    Examples
    --------
    >>> from dlcore.depth import GradientVerdict
    >>> healthy_deep_stack(GradientVerdict("healthy", 0.8, 1.1, "fine"), 30).passed
    True
    >>> healthy_deep_stack(GradientVerdict("vanishing_slope", 1e-9, 1e-9, "gone"), 30).reason
    "The first layer gets 1e-09 of the top layer's gradient: it vanishes."
    """
    if depth < min_depth:
        return Verdict(False, f"{depth} layers: use at least {min_depth}.")
    kind, ratio = verdict.kind, verdict.ratio
    if kind == "healthy":
        return Verdict(True, f"The first layer gets {ratio:.3g} of the top layer's gradient.")
    if kind == "overflow":
        return Verdict(False, "The signal overflowed on the way forward: it exploded.")
    if not np.isfinite(ratio):
        return Verdict(False, "The top layer's gradient is zero: nothing flows back.")
    how = "vanishes" if kind.startswith("vanishing") else "explodes"
    if kind.endswith("_size"):
        return Verdict(
            False,
            f"The first layer's gradient is {verdict.size:.2g} times what a layer passing its "
            f"signal unchanged gets: it {how} in size.",
        )
    return Verdict(
        False, f"The first layer gets {ratio:.2g} of the top layer's gradient: it {how}."
    )
