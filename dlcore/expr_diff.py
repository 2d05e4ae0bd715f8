"""Symbolic differentiation of formula trees: the textbook rules, lightly simplified.

:func:`differentiate` applies the sum, product, quotient, power and chain
rules; :data:`DERIVATIVES` holds each whitelisted function's derivative
``d f(u) / du`` as a tree. The smart constructors fold the many 0s and 1s
the rules produce, so the printed derivative looks like one a person would
write. Nothing here evaluates a number except constant folding.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from dlcore.expr_tree import BinOp, Call, Neg, Node, Num, Pow, Var, number_text

__all__ = ["DERIVATIVES", "differentiate"]

# ----------------------------------------------------------------------------
# Smart constructors: the derivative rules produce many 0s and 1s; fold them so
# the printed derivative looks like one a person would write.


def _is_num(node: Node, value: float | None = None) -> bool:
    return isinstance(node, Num) and (value is None or node.value == value)


def _plain(node: Node) -> bool:
    return isinstance(node, Num) and not node.symbol


def _num(value: float) -> Num:
    return Num(float(value) + 0.0)  # + 0.0 turns -0.0 into 0.0


def _neg(a: Node) -> Node:
    if _plain(a):
        return _num(-a.value)
    if isinstance(a, Neg):
        return a.arg
    return Neg(a)


def _add(a: Node, b: Node) -> Node:
    if _is_num(a, 0.0):
        return b
    if _is_num(b, 0.0):
        return a
    if _plain(a) and _plain(b):
        return _num(a.value + b.value)
    if isinstance(b, Neg):
        return _sub(a, b.arg)
    if _plain(b) and b.value < 0:
        return BinOp("-", a, _num(-b.value))
    return BinOp("+", a, b)


def _sub(a: Node, b: Node) -> Node:
    if _is_num(b, 0.0):
        return a
    if _is_num(a, 0.0):
        return _neg(b)
    if _plain(a) and _plain(b):
        return _num(a.value - b.value)
    if isinstance(b, Neg):
        return _add(a, b.arg)
    return BinOp("-", a, b)


def _split(node: Node) -> tuple[float, Node | None]:
    """``node`` as ``coefficient * rest`` (rest None for a plain number)."""
    if _plain(node):
        return node.value, None
    if isinstance(node, Neg):
        c, rest = _split(node.arg)
        return -c, rest
    if isinstance(node, BinOp) and node.op == "*" and _plain(node.left):
        return node.left.value, node.right
    return 1.0, node


def _scaled(c: float, rest: Node | None) -> Node:
    if rest is None or c == 0:
        return _num(c)
    if c == 1:
        return rest
    if c == -1:
        return Neg(rest)
    if c < 0:
        return Neg(BinOp("*", _num(-c), rest))
    return BinOp("*", _num(c), rest)


def _mul(a: Node, b: Node) -> Node:
    # Numeric factors are collected in front: 2 * (3 * x) -> 6 * x, -(a) * b -> -(a * b).
    ca, ra = _split(a)
    cb, rb = _split(b)
    if ra is None or rb is None:
        return _scaled(ca * cb, ra if rb is None else rb)
    return _scaled(ca * cb, BinOp("*", ra, rb))


def _div(a: Node, b: Node) -> Node:
    if _is_num(a, 0.0):
        return _num(0.0)
    if _is_num(b, 1.0):
        return a
    if isinstance(a, BinOp) and a.op == "/":
        return _div(a.left, _mul(a.right, b))  # (p / q) / b -> p / (q * b)
    ca, ra = _split(a)
    if _plain(b) and b.value != 0 and len(number_text(ca / b.value)) <= 6:
        return _scaled(ca / b.value, ra)  # x * 2 / 4 -> 0.5 * x, but 1/3 stays a fraction
    if ca < 0:
        return _neg(_div(_scaled(-ca, ra), b))
    return BinOp("/", a, b)


def _pow(base: Node, exponent: float) -> Node:
    if exponent == 0:
        return _num(1.0)
    if exponent == 1:
        return base
    if _plain(base):
        with np.errstate(all="ignore"):
            return _num(np.float64(base.value) ** exponent)
    return Pow(base, float(exponent))


# ----------------------------------------------------------------------------
# Derivatives of the whitelisted functions.


def _d_sin(u):
    return Call("cos", u)


def _d_cos(u):
    return _neg(Call("sin", u))


def _d_tan(u):
    return _div(_num(1.0), _pow(Call("cos", u), 2))


def _d_exp(u):
    return Call("exp", u)


def _d_log(u):
    return _div(_num(1.0), u)


def _d_log10(u):
    return _div(_num(1.0), _mul(u, Call("log", _num(10.0))))


def _d_log2(u):
    return _div(_num(1.0), _mul(u, Call("log", _num(2.0))))


def _d_sqrt(u):
    return _div(_num(1.0), _mul(_num(2.0), Call("sqrt", u)))


def _d_abs(u):
    return Call("sign", u)


def _d_tanh(u):
    return _sub(_num(1.0), _pow(Call("tanh", u), 2))


def _d_sinh(u):
    return Call("cosh", u)


def _d_cosh(u):
    return Call("sinh", u)


def _d_arctan(u):
    return _div(_num(1.0), _add(_num(1.0), _pow(u, 2)))


def _d_arcsin(u):
    return _div(_num(1.0), Call("sqrt", _sub(_num(1.0), _pow(u, 2))))


def _d_arccos(u):
    return _neg(_d_arcsin(u))


def _d_sigmoid(u):
    return _mul(Call("sigmoid", u), _sub(_num(1.0), Call("sigmoid", u)))


def _d_softplus(u):
    return Call("sigmoid", u)


def _d_relu(u):
    return Call("step", u)


def _d_flat(u):
    # sign and step are piecewise constant: derivative 0 wherever it exists.
    return _num(0.0)


def _d_erf(u):
    return _mul(_num(2.0 / math.sqrt(math.pi)), Call("exp", _neg(_pow(u, 2))))


# d f(u) / du for each whitelisted function, as a tree in u.
DERIVATIVES: dict[str, Callable[[Node], Node]] = {
    "sin": _d_sin,
    "cos": _d_cos,
    "tan": _d_tan,
    "exp": _d_exp,
    "log": _d_log,
    "log10": _d_log10,
    "log2": _d_log2,
    "sqrt": _d_sqrt,
    "abs": _d_abs,
    "tanh": _d_tanh,
    "sinh": _d_sinh,
    "cosh": _d_cosh,
    "arctan": _d_arctan,
    "arcsin": _d_arcsin,
    "arccos": _d_arccos,
    "sigmoid": _d_sigmoid,
    "softplus": _d_softplus,
    "relu": _d_relu,
    "step": _d_flat,
    "sign": _d_flat,
    "erf": _d_erf,
}


# ----------------------------------------------------------------------------
# The rules.


def differentiate(node: Node, var: str) -> Node:
    """d node / d var as a new tree (sum, product, quotient, power, chain rule).

    Parameters
    ----------
    node : Node
        A formula tree, as :func:`dlcore.expr.parse` builds them.
    var : str
        The variable to differentiate by; any other variable is a constant.

    Returns
    -------
    Node
        The derivative, simplified by the smart constructors; it shares
        subtrees with ``node`` (which stays unchanged).
    """
    if isinstance(node, Num):
        return _num(0.0)
    if isinstance(node, Var):
        return _num(1.0 if node.name == var else 0.0)
    if isinstance(node, Neg):
        return _neg(differentiate(node.arg, var))
    if isinstance(node, BinOp):
        da, db = differentiate(node.left, var), differentiate(node.right, var)
        if node.op == "+":
            return _add(da, db)
        if node.op == "-":
            return _sub(da, db)
        if node.op == "*":
            return _add(_mul(da, node.right), _mul(node.left, db))
        # (a/b)' = a'/b - a b' / b^2; written as two terms so a constant
        # numerator or denominator drops one of them.
        return _sub(_div(da, node.right), _div(_mul(node.left, db), _pow(node.right, 2)))
    if isinstance(node, Pow):
        du = differentiate(node.base, var)
        if _is_num(du, 0.0):
            return _num(0.0)
        return _mul(_mul(_num(node.exponent), _pow(node.base, node.exponent - 1)), du)
    du = differentiate(node.arg, var)
    if _is_num(du, 0.0):
        return _num(0.0)
    return _mul(DERIVATIVES[node.fn](node.arg), du)
