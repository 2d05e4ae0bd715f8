"""The function f(x) that the derivative, finite-difference and integration panels share.

The three panels draw the same picker with the same URL keys, so the choice
made in one is the choice in the others (bound widgets keep their value in
``st.session_state`` while another panel is open).
"""

from __future__ import annotations

import streamlit as st

from dlcore import differentiation
from dlcore.views import calculus as views
from labs.calculus.keys import PREFIX
from ui import show_error, url

KEYS = ("curve", "fx", "domain")
function = st.cache_data(views.function_view, max_entries=64, show_spinner=False)


def pick_function() -> views.FunctionView | None:
    """Draw the picker; return the parsed function, or None after showing what to fix."""
    with st.container(border=True):
        left, right = st.columns([1, 2])
        choice = left.selectbox(
            "Function f(x)", [*differentiation.CURVES, views.OWN], **url(PREFIX, "curve")
        )
        if choice == views.OWN:
            text = right.text_input(
                "f(x) =",
                "x**2 * sin(x)",
                help="Like x^2 * exp(-x) + sqrt(abs(x))",
                **url(PREFIX, "fx"),
            )
            lo, hi = right.slider(
                "Plot from x = ... to ...", -10.0, 10.0, (-3.0, 3.0), 0.5, **url(PREFIX, "domain")
            )
        else:
            text, (lo, hi) = (
                differentiation.CURVES[choice].text,
                differentiation.CURVES[choice].domain,
            )
        try:
            fn = function(text, lo, hi)
        except ValueError as exc:
            show_error(
                exc,
                hint="Fix the formula above: the derivative, finite-difference and integration "
                "panels use it.",
            )
            return None
        right.latex(rf"f(x) = {fn.latex}")
    return fn
