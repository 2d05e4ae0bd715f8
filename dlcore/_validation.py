"""Argument checks shared by every dlcore module.

Each check raises ``ValueError`` with a message that names the argument and
the range it may take, so a page can show the message to the user as it is.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

RngLike = np.random.Generator | int | None


def as_rng(rng: RngLike) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` for ``rng``.

    Parameters
    ----------
    rng : numpy.random.Generator, int or None
        A generator is returned as is (so callers can share one stream), an
        int seeds a new PCG64 generator, None draws fresh OS entropy.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool)):
        if rng is not None and rng < 0:
            raise ValueError(f"rng must be a non-negative seed, got {rng}")
        return np.random.default_rng(rng)
    raise ValueError(
        f"rng must be a numpy Generator, a non-negative int seed or None, got {type(rng).__name__}"
    )


def _fmt(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def check_number(name: str, value: Any) -> float:
    """``value`` as a finite float, or ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def check_range(
    name: str,
    value: Any,
    low: float | None = None,
    high: float | None = None,
    *,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> float:
    """``value`` as a finite float within [low, high] (bounds optional/open).

    Examples
    --------
    >>> check_range("p", 0.5, 0, 1)
    0.5
    """
    value = check_number(name, value)
    too_low = low is not None and (value < low if low_inclusive else value <= low)
    too_high = high is not None and (value > high if high_inclusive else value >= high)
    if too_low or too_high:
        left = "(-inf" if low is None else ("[" if low_inclusive else "(") + _fmt(low)
        right = "inf)" if high is None else _fmt(high) + ("]" if high_inclusive else ")")
        raise ValueError(f"{name} must be in {left}, {right}, got {_fmt(value)}")
    return value


def check_positive(name: str, value: Any) -> float:
    """``value`` as a float > 0, or ``ValueError``."""
    return check_range(name, value, 0, None, low_inclusive=False)


def check_int(name: str, value: Any, low: int | None = None, high: int | None = None) -> int:
    """``value`` as an int within [low, high], or ``ValueError``.

    Floats with an integral value (3.0) are accepted; 3.5 and True are not.
    """
    if isinstance(value, bool):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if isinstance(value, numbers.Integral):
        value = int(value)
    elif isinstance(value, numbers.Real) and float(value).is_integer():
        value = int(value)
    else:
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        left = "-inf" if low is None else str(low)
        right = "inf" if high is None else str(high)
        raise ValueError(f"{name} must be an integer in [{left}, {right}], got {value}")
    return value


def check_choice(name: str, value: Any, choices: Iterable[Any]) -> Any:
    """``value`` if it is one of ``choices``, or ``ValueError`` listing them."""
    choices = list(choices)
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {listed}, got {value!r}")
    return value


def check_array(
    name: str,
    value: Any,
    *,
    ndim: int | tuple[int, ...] | None = None,
    finite: bool = True,
    min_size: int = 1,
    dtype: Any = float,
) -> np.ndarray:
    """``value`` as an ndarray of ``dtype`` with the given number of axes.

    Parameters
    ----------
    name : str
        Argument name for the error message.
    value : array_like
    ndim : int or tuple of int, optional
        Allowed numbers of axes.
    finite : bool
        Reject NaN and infinities.
    min_size : int
        Minimum number of elements.
    dtype : dtype or None
        Target dtype; None keeps the input's floating dtype (float32 stays
        float32) and converts anything else to float64.
    """
    try:
        if dtype is None:
            arr = np.asarray(value)
            if not np.issubdtype(arr.dtype, np.floating):
                arr = arr.astype(float)
        else:
            arr = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric: {exc}") from None
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(str(a) for a in allowed)
            raise ValueError(f"{name} must have {want} axes, got shape {arr.shape}")
    if arr.size < min_size:
        raise ValueError(f"{name} must have at least {min_size} element(s), got shape {arr.shape}")
    if finite and np.issubdtype(arr.dtype, np.number) and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers (no NaN or inf)")
    return arr


def check_probability_vector(name: str, value: Any, *, atol: float = 1e-9) -> np.ndarray:
    """A 1-D vector of non-negative numbers summing to one, or ``ValueError``."""
    p = check_array(name, value, ndim=1)
    if np.any(p < 0):
        raise ValueError(f"{name} must have non-negative entries, got min {p.min():g}")
    total = p.sum()
    if abs(total - 1.0) > atol:
        raise ValueError(f"{name} must sum to 1, got {total:g}")
    return p
