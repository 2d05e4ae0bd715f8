"""The chain rule, one step at a time."""

from __future__ import annotations

import streamlit as st

from dlcore import differentiation
from dlcore.expr import Expression
from dlcore.tex import tex_number as num
from dlcore.views import calculus as views
from labs.calculus.keys import PREFIX
from ui import notice, show_code, show_error, url
from ui.export import Export, Number, Step, record

KEYS = ("outer", "inner", "chain_x")
EXPORT = Export(
    PREFIX,
    "Chain rule",
    (Step(views.chain_view, "v"),),
    (
        Number("Chain rule g′(u) · h′(x)", "v.rule.product", ".10g"),
        Number("Central difference", "v.rule.numerical", ".10g"),
        Number("Relative difference", "v.relative", ".1e"),
    ),
    None,
)
view = st.cache_data(views.chain_view, max_entries=64, show_spinner=False)


def _formulas(v: views.ChainView, x: float) -> None:
    r = v.rule
    st.latex(
        rf"g(h(x)) = {v.composite_latex}, \qquad \frac{{d}}{{dx}}\,g(h(x)) = g'(h(x))\,h'(x) = "
        rf"{v.derivative_latex}"
    )
    st.latex(
        rf"u = h({x:g}) = {num(r.inner, 6)},\quad g(u) = {num(r.outer, 6)},\quad h'({x:g}) = "
        rf"{num(r.inner_derivative, 6)},\quad g'(u) = {v.outer_prime_at_u} = {num(r.outer_derivative, 6)}"
    )
    left, middle, right = st.columns(3)
    left.metric("Chain rule: g′(u) · h′(x)", f"{r.product:.10g}")
    middle.metric("Central difference of g(h(x))", f"{r.numerical:.10g}")
    right.metric("Relative difference", f"{v.relative:.1e}")


view = record(view)


@st.fragment
def render() -> None:
    """g(h(x)) for two typed formulas: values, local derivatives, their product, a check."""
    left, middle, right = st.columns(3)
    outer = left.text_input("Outer g(u) =", "sin(u)", **url(PREFIX, "outer"))
    inner = middle.text_input("Inner h(x) =", "x**2 + 1", **url(PREFIX, "inner"))
    x = right.slider("x", -3.0, 3.0, 1.3, 0.05, **url(PREFIX, "chain_x"))
    try:
        v = view(outer, inner, x)
    except ValueError as exc:
        show_error(exc, hint="The outer function uses the variable u, the inner one x.")
    else:
        _formulas(v, x)
    notice(
        "The local derivatives multiply: how fast g changes per unit of u, times how fast u "
        "changes per unit of x. Backpropagation is exactly this product, taken through every layer."
    )
    show_code(views.chain_view, differentiation.chain_rule, Expression.substitute, export=EXPORT)
