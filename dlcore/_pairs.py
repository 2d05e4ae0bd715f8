"""Arguments that are an int or a (height, width) pair, as torch accepts them."""

from __future__ import annotations

from dlcore._validation import check_int


def as_pair(name: str, value, low: int, high: int | None = 4096) -> tuple[int, int]:
    """``value`` (an int or a pair of ints, each in [low, high]) as ``(h, w)``, or ``ValueError``."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
        return check_int(name, value[0], low, high), check_int(name, value[1], low, high)
    v = check_int(name, value, low, high)
    return v, v
