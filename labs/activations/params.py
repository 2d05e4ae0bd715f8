"""The activations' own parameters (Leaky ReLU's slope, ELU's alpha) as sliders.

The gallery shows every one; the depth panel shows the one its activation
takes. Both use the same key, so a value set in one panel is the value in
the other (Streamlit keeps a bound widget's value while its panel is closed).
"""

from __future__ import annotations

import streamlit as st

from dlcore.activations import ActivationParam
from labs.activations.keys import PREFIX
from ui import url


def param_slider(owner: str, p: ActivationParam, where=st) -> float:
    """The slider of parameter ``p`` of the activation ``owner``, bound to ``act_<p.name>``."""
    return where.slider(
        f"{owner}: {p.name.replace('_', ' ')} ${p.symbol}$",
        p.low,
        p.high,
        p.default,
        step=p.step,
        **url(PREFIX, p.name),
    )
