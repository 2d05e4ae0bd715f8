"""The registry of probability distributions: ``DISTRIBUTIONS``, display name to class.

Each distribution is written with the textbook formula for its density (or
mass function), its CDF through a special function where the integral has no
elementary form (``erfc``, ``betainc``, ``gammainc``), its mean and variance,
and a sampler that draws through the ``rng`` it is given. Values equal
``scipy.stats`` (the tests check it); only ``scipy.special`` is used here, so
the formulas stay visible.

The classes live in :mod:`dlcore.continuous` and :mod:`dlcore.discrete`, on
the base of :mod:`dlcore.distribution_base`. ``DISTRIBUTIONS`` maps a display name to the class; each class carries its
parameters (:class:`Param`, with slider ranges), its LaTeX and whether it is
discrete, so a page builds its controls from the registry alone.
"""

from __future__ import annotations

from dlcore.continuous import (
    Beta,
    ChiSquared,
    Exponential,
    Gamma,
    Laplace,
    LogNormal,
    Normal,
    StudentT,
    Uniform,
)
from dlcore.discrete import Bernoulli, Binomial, Geometric, Poisson
from dlcore.distribution_base import Distribution

__all__ = ["DISTRIBUTIONS"]

DISTRIBUTIONS: dict[str, type[Distribution]] = {
    cls.name: cls
    for cls in (
        Normal,
        Uniform,
        Exponential,
        Laplace,
        LogNormal,
        Beta,
        Gamma,
        ChiSquared,
        StudentT,
        Bernoulli,
        Binomial,
        Poisson,
        Geometric,
    )
}
