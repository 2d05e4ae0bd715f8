"""Numbers written for LaTeX (``st.latex``): the one place their rules live.

Formulas on the pages are filled with the current numbers, and Python's
``repr`` (``1e-08``, ``6400.0``) is not how a person writes them. The rule here:
three significant digits, and a power of ten written out, ``6.4 \\times 10^{3}``,
with a bare ``10^{-8}`` when the mantissa is exactly 1; NaN and the
infinities as LaTeX words and symbols, never ``nan`` in italics.
"""

from __future__ import annotations

import math


def tex_number(x: float) -> str:
    """A number for LaTeX: 3 significant digits, powers of ten as ``10^{k}``.

    Examples
    --------
    >>> tex_number(0.5), tex_number(6400.0), tex_number(1e-08)
    ('0.5', '6.4 \\\\times 10^{3}', '10^{-8}')
    """
    if not math.isfinite(x):
        return r"\text{NaN}" if math.isnan(x) else ("-" if x < 0 else "") + r"\infty"
    text = f"{x:.3g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        power = f"10^{{{int(exponent)}}}"
        return power if mantissa == "1" else f"{mantissa} \\times {power}"
    return text
