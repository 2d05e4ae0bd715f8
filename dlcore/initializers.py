r"""Weight initialisers: the variances of Glorot & Bengio (2010) and He et al. (2015).

Each initialiser returns a weight matrix of shape ``(fan_in, fan_out)``, so a
layer computes ``x @ W`` for a batch ``x`` of shape ``(batch, fan_in)``.
(PyTorch stores ``nn.Linear.weight`` transposed, ``(fan_out, fan_in)``; the
variances are the same.)

Why these variances: with independent zero-mean weights of variance
:math:`v`, a unit's pre-activation :math:`z = \sum_{i=1}^{n_{in}} x_i w_i`
has :math:`\operatorname{Var} z = n_{in}\, v\, \mathbb{E}[x^2]`. Keeping that
equal to :math:`\mathbb{E}[x^2]` layer after layer needs :math:`v = 1/n_{in}`;
keeping the backward signal's variance needs :math:`v = 1/n_{out}`. Glorot
averages the two, :math:`v = 2/(n_{in} + n_{out})`; He notes that ReLU zeroes
half its inputs, halving :math:`\mathbb{E}[x^2]`, and doubles the forward
choice, :math:`v = 2/n_{in}`.

Defaults follow ``torch.nn.init``: ``xavier_*`` with ``gain=1``; ``he_*`` as
``kaiming_*_(mode="fan_in", nonlinearity="leaky_relu", a=0)``, i.e. gain
:math:`\sqrt 2`; ``normal`` with ``std=1``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dlcore._validation import RngLike, as_rng, check_int, check_positive

SQRT2 = math.sqrt(2.0)
_MAX_FAN = 100_000


def _fans(fan_in, fan_out) -> tuple[int, int]:
    return check_int("fan_in", fan_in, 1, _MAX_FAN), check_int("fan_out", fan_out, 1, _MAX_FAN)


def normal(fan_in: int, fan_out: int, rng: RngLike = None, *, std: float = 1.0) -> np.ndarray:
    r"""Weights :math:`\sim \mathcal N(0, \text{std}^2)`, ignoring the layer's size.

    Parameters
    ----------
    fan_in, fan_out : int, 1 to 100000
    rng : numpy.random.Generator, int or None
    std : float > 0

    Returns
    -------
    ndarray of shape (fan_in, fan_out)
    """
    fan_in, fan_out = _fans(fan_in, fan_out)
    std = check_positive("std", std)
    return as_rng(rng).normal(0.0, std, size=(fan_in, fan_out))


def xavier_uniform(
    fan_in: int, fan_out: int, rng: RngLike = None, *, gain: float = 1.0
) -> np.ndarray:
    r"""Glorot uniform: :math:`U(-b, b)` with :math:`b = g\sqrt{6 / (n_{in} + n_{out})}`.

    A uniform on :math:`(-b, b)` has variance :math:`b^2/3`, so the variance
    is :math:`2 g^2 / (n_{in} + n_{out})`. Parameters and return as :func:`normal`.
    """
    fan_in, fan_out = _fans(fan_in, fan_out)
    gain = check_positive("gain", gain)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return as_rng(rng).uniform(-bound, bound, size=(fan_in, fan_out))


def xavier_normal(
    fan_in: int, fan_out: int, rng: RngLike = None, *, gain: float = 1.0
) -> np.ndarray:
    r"""Glorot normal: :math:`\mathcal N(0, 2 g^2 / (n_{in} + n_{out}))`. Parameters and return as :func:`normal`."""
    fan_in, fan_out = _fans(fan_in, fan_out)
    gain = check_positive("gain", gain)
    return as_rng(rng).normal(
        0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out)
    )


def he_uniform(
    fan_in: int, fan_out: int, rng: RngLike = None, *, gain: float = SQRT2
) -> np.ndarray:
    r"""He (Kaiming) uniform: :math:`U(-b, b)` with :math:`b = g\sqrt{3 / n_{in}}`, variance :math:`g^2/n_{in}`.

    The default gain :math:`\sqrt2` gives variance :math:`2/n_{in}` (PyTorch's
    ``kaiming_uniform_`` defaults). Parameters and return as :func:`normal`.
    """
    fan_in, fan_out = _fans(fan_in, fan_out)
    gain = check_positive("gain", gain)
    bound = gain * math.sqrt(3.0 / fan_in)
    return as_rng(rng).uniform(-bound, bound, size=(fan_in, fan_out))


def he_normal(fan_in: int, fan_out: int, rng: RngLike = None, *, gain: float = SQRT2) -> np.ndarray:
    r"""He (Kaiming) normal: :math:`\mathcal N(0, g^2 / n_{in})`, by default :math:`2/n_{in}`.

    Parameters and return as :func:`normal`.
    """
    fan_in, fan_out = _fans(fan_in, fan_out)
    gain = check_positive("gain", gain)
    return as_rng(rng).normal(0.0, gain / math.sqrt(fan_in), size=(fan_in, fan_out))


def _normal_variance(fan_in: int, fan_out: int, *, std: float = 1.0) -> float:
    return std * std


def _xavier_variance(fan_in: int, fan_out: int, *, gain: float = 1.0) -> float:
    return 2.0 * gain * gain / (fan_in + fan_out)


def _he_variance(fan_in: int, fan_out: int, *, gain: float = SQRT2) -> float:
    return gain * gain / fan_in


@dataclass(frozen=True)
class Initializer:
    """One entry of :data:`INITIALIZERS`: the sampler, its variance formula and its LaTeX."""

    name: str
    fn: Callable[..., np.ndarray]
    variance: Callable[..., float]  #: variance(fan_in, fan_out, **params), the target of fn
    latex: str


INITIALIZERS: dict[str, Initializer] = {
    i.name: i
    for i in (
        Initializer("Normal", normal, _normal_variance, r"W_{ij} \sim \mathcal N(0,\ \sigma^2)"),
        Initializer(
            "Xavier uniform",
            xavier_uniform,
            _xavier_variance,
            r"W_{ij} \sim U\!\left(-\sqrt{\tfrac{6}{n_{in} + n_{out}}},\ \sqrt{\tfrac{6}{n_{in} + n_{out}}}\right)",
        ),
        Initializer(
            "Xavier normal",
            xavier_normal,
            _xavier_variance,
            r"W_{ij} \sim \mathcal N\!\left(0,\ \tfrac{2}{n_{in} + n_{out}}\right)",
        ),
        Initializer(
            "He uniform",
            he_uniform,
            _he_variance,
            r"W_{ij} \sim U\!\left(-\sqrt{\tfrac{6}{n_{in}}},\ \sqrt{\tfrac{6}{n_{in}}}\right)",
        ),
        Initializer(
            "He normal",
            he_normal,
            _he_variance,
            r"W_{ij} \sim \mathcal N\!\left(0,\ \tfrac{2}{n_{in}}\right)",
        ),
    )
}
