"""The Calculus lab's URL prefix (every control's key is ``calc_<name>``), and ranged sliders."""

from __future__ import annotations

from typing import Any

from ui import url
from ui.state import keep_in_range

PREFIX = "calc"


def ranged(name: str, lo: float, hi: float, default: Any) -> dict[str, str]:
    """``url()`` for a slider whose range ``[lo, hi]`` follows another control (the function).

    A value left over from another range (in the session or in the link) would
    be refused by the slider: the slider starts from ``default`` instead.
    """
    keep_in_range(f"{PREFIX}_{name}", lo, hi, default)
    return url(PREFIX, name)
