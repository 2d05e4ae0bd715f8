"""The shared base of the probability distributions: parameters, validation, the common API.

:class:`Distribution` gives every distribution its interface (density, CDF,
moments, sampling, LaTeX with the numbers plugged in); :class:`Continuous`
adds ``pdf`` and :class:`Discrete` adds ``pmf``. The distributions themselves
are in :mod:`dlcore.continuous` and :mod:`dlcore.discrete`, the registry in
:mod:`dlcore.distributions`; all of it is re-exported by
:mod:`dlcore.probability`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar, NamedTuple

import numpy as np

from dlcore._validation import RngLike, as_rng, check_int

__all__ = ["Distribution", "Param"]


class Param(NamedTuple):
    """One parameter: its name, LaTeX symbol and a sensible slider range."""

    name: str
    symbol: str
    low: float
    high: float
    default: float
    step: float
    integer: bool = False

    @property
    def label(self) -> str:
        """The symbol in LaTeX, with the argument name when the two differ: "$\\mu$ (mu)"."""
        return f"${self.symbol}$" + (f" ({self.name})" if self.symbol != self.name else "")

    def slider_args(self) -> tuple[float, float, float, float] | tuple[int, int, int, int]:
        """(low, high, default, step), as ints for an integer parameter (so a slider steps by whole numbers)."""
        values = (self.low, self.high, self.default, self.step)
        return tuple(int(v) for v in values) if self.integer else values


def _fmt(value: float) -> str:
    text = f"{value:.4g}"
    return f"({text})" if value < 0 else text


@dataclass(frozen=True)
class Distribution:
    """Base class: the shared interface of every distribution.

    Subclasses define ``_density`` (pdf or pmf on the support), ``cdf``,
    ``mean``, ``var``, ``_draw`` and ``plot_range``, plus the class variables
    below. ``template`` is the density's LaTeX with ``@name`` where a
    parameter goes; :attr:`latex` puts the symbols there and
    :meth:`latex_filled` the current numbers.
    """

    name: ClassVar[str] = ""
    discrete: ClassVar[bool] = False
    params: ClassVar[tuple[Param, ...]] = ()
    template: ClassVar[str] = ""
    mean_latex: ClassVar[str] = ""
    var_latex: ClassVar[str] = ""

    latex: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # The registry's LaTeX: the template with the parameters' symbols.
        cls.latex = cls._fill({p.name: p.symbol for p in cls.params})

    def latex_filled(self) -> str:
        """The density formula with the current parameter values plugged in."""
        return self._fill({f.name: _fmt(float(getattr(self, f.name))) for f in fields(self)})

    def moments_latex(self) -> str:
        """E[X] and Var[X]: each formula, then its current value ("undefined" or infinity said so)."""

        def value(v: float) -> str:
            return r"\infty" if v == np.inf else r"\text{undefined}" if np.isnan(v) else f"{v:.4g}"

        return (
            rf"\mathbb{{E}}[X] = {self.mean_latex} = {value(self.mean())}, \qquad "
            rf"\operatorname{{Var}}[X] = {self.var_latex} = {value(self.var())}"
        )

    @classmethod
    def _fill(cls, values: dict[str, str]) -> str:
        text = cls.template
        for name in sorted(values, key=len, reverse=True):  # '@lam' before '@l'
            text = text.replace("@" + name, values[name])
        return text

    def density(self, x: np.ndarray) -> np.ndarray:
        """The pdf of a continuous, the pmf of a discrete distribution.

        Parameters
        ----------
        x : array_like of any shape

        Returns
        -------
        ndarray of the shape of x
        """
        x = np.asarray(x, dtype=float)
        if self.discrete:
            k = np.floor(x)
            # A pmf is zero off the integers.
            return np.where(k == x, self._density(k), 0.0)
        return self._density(x)

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """F(x) = P(X <= x), for x of any shape."""
        raise NotImplementedError

    def mean(self) -> float:
        """E[X]; nan where it does not exist."""
        raise NotImplementedError

    def var(self) -> float:
        """Var[X]; inf or nan where it does not exist."""
        raise NotImplementedError

    def plot_range(self) -> tuple[float, float]:
        """An x interval holding nearly all of the probability, for plotting."""
        raise NotImplementedError

    def sample(self, size: int | tuple[int, ...], rng: RngLike = None) -> np.ndarray:
        """Draw ``size`` independent samples (float array) through ``rng``."""
        shape = (size,) if np.isscalar(size) else tuple(size)
        for s in shape:
            check_int("size", s, 0, 100_000_000)
        return np.asarray(self._draw(shape, as_rng(rng)), dtype=float)

    def std(self) -> float:
        return float(np.sqrt(self.var()))

    def support_grid(self, num: int = 400) -> np.ndarray:
        """Points to plot the density at: the integers of the support, or a fine grid."""
        lo, hi = self.plot_range()
        if self.discrete:
            return np.arange(np.floor(lo), np.floor(hi) + 1.0)
        return np.linspace(lo, hi, num)


class Continuous(Distribution):
    """Base class of the continuous distributions: ``pdf`` is the density."""

    def pdf(self, x: np.ndarray) -> np.ndarray:
        """Probability density at ``x`` (any shape)."""
        return self.density(x)


class Discrete(Distribution):
    """Base class of the discrete distributions: ``pmf`` is the mass function on the integers."""

    discrete: ClassVar[bool] = True

    def pmf(self, x: np.ndarray) -> np.ndarray:
        """Probability mass at ``x`` (any shape; zero off the support)."""
        return self.density(x)
