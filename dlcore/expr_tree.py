"""Formula trees: the node types of a parsed formula and how they print, as text and LaTeX.

:func:`dlcore.expr.parse` builds these trees from what a user typed;
:mod:`dlcore.expr_diff` differentiates them. Each node is a small frozen
dataclass (hashable, picklable, comparable by structure) with ``text()``
(Python syntax that parses back to the same formula) and ``latex()``
(for ``st.latex``), bracketing by precedence.
"""

from __future__ import annotations

from dataclasses import dataclass

from dlcore.tex import tex_number

__all__ = [
    "FUNCTION_LATEX",
    "BinOp",
    "Call",
    "Neg",
    "Node",
    "Num",
    "Pow",
    "Var",
    "children",
    "number_text",
    "substitute",
    "variables_in",
]

# The LaTeX of each whitelisted function; "#" marks the argument.
FUNCTION_LATEX: dict[str, str] = {
    "sin": r"\sin\left(#\right)",
    "cos": r"\cos\left(#\right)",
    "tan": r"\tan\left(#\right)",
    "exp": r"\exp\left(#\right)",
    "log": r"\ln\left(#\right)",
    "log10": r"\log_{10}\left(#\right)",
    "log2": r"\log_{2}\left(#\right)",
    "sqrt": r"\sqrt{#}",
    "abs": r"\left|#\right|",
    "tanh": r"\tanh\left(#\right)",
    "sinh": r"\sinh\left(#\right)",
    "cosh": r"\cosh\left(#\right)",
    "arctan": r"\arctan\left(#\right)",
    "arcsin": r"\arcsin\left(#\right)",
    "arccos": r"\arccos\left(#\right)",
    "sigmoid": r"\sigma\left(#\right)",
    "softplus": r"\operatorname{softplus}\left(#\right)",
    "relu": r"\operatorname{ReLU}\left(#\right)",
    "step": r"\operatorname{step}\left(#\right)",
    "sign": r"\operatorname{sign}\left(#\right)",
    "erf": r"\operatorname{erf}\left(#\right)",
}


# ----------------------------------------------------------------------------
# The tree. Frozen dataclasses: hashable, picklable, comparable by structure.

# Precedence levels for printing: sum < product < unary minus < power < atom.
_SUM, _PRODUCT, _UNARY, _POWER, _ATOM = 1, 2, 3, 4, 5


@dataclass(frozen=True)
class Num:
    """A constant; ``symbol`` keeps ``pi`` and ``e`` readable when printed."""

    value: float
    symbol: str = ""

    def precedence(self) -> int:
        return _UNARY if self.value < 0 and not self.symbol else _ATOM

    def text(self) -> str:
        return self.symbol or number_text(self.value)

    def latex(self) -> str:
        if self.symbol:
            return r"\pi" if self.symbol == "pi" else self.symbol
        return tex_number(self.value, 6)


@dataclass(frozen=True)
class Var:
    """A named variable (one of the Expression's ``variables``)."""

    name: str

    def precedence(self) -> int:
        return _ATOM

    def text(self) -> str:
        return self.name

    def latex(self) -> str:
        return self.name if len(self.name) == 1 else rf"\mathrm{{{self.name}}}"


@dataclass(frozen=True)
class Neg:
    """Unary minus."""

    arg: Node

    def precedence(self) -> int:
        return _UNARY

    def text(self) -> str:
        return "-" + _wrap_text(self.arg, self.arg.precedence() < _UNARY)

    def latex(self) -> str:
        # -(a*b) = (-a)*b, so only sums need brackets.
        return "-" + _wrap_latex(self.arg, self.arg.precedence() <= _SUM)


@dataclass(frozen=True)
class BinOp:
    """``left op right`` for op in ``+ - * /``."""

    op: str
    left: Node
    right: Node

    def precedence(self) -> int:
        return _SUM if self.op in "+-" else _PRODUCT

    def _brackets(self) -> tuple[bool, bool]:
        mine = self.precedence()
        left = self.left.precedence() < mine
        # a - (b + c) and a / (b * c) need brackets; a + (b + c) does not.
        right = self.right.precedence() < mine or (
            self.op in "-/" and self.right.precedence() == mine
        )
        return left, right

    def text(self) -> str:
        left, right = self._brackets()
        return f"{_wrap_text(self.left, left)} {self.op} {_wrap_text(self.right, right)}"

    def latex(self) -> str:
        if self.op == "/":
            return rf"\frac{{{self.left.latex()}}}{{{self.right.latex()}}}"
        left, right = self._brackets()
        a, b = _wrap_latex(self.left, left), _wrap_latex(self.right, right)
        if self.op == "*":
            # 2 pi x, 3 sin(x): a coefficient times a letter-like factor reads without a dot.
            if not left and not right and _coefficient(self.left) and _letterlike(self.right):
                return f"{a} {b}"
            return rf"{a} \cdot {b}"
        return f"{a} {self.op} {b}"


@dataclass(frozen=True)
class Pow:
    """``base ** exponent`` with a constant exponent (checked at parse time)."""

    base: Node
    exponent: float

    def precedence(self) -> int:
        return _POWER

    def text(self) -> str:
        n = number_text(self.exponent)
        n = f"({n})" if self.exponent < 0 else n
        return f"{_wrap_text(self.base, self.base.precedence() <= _POWER)}**{n}"

    def latex(self) -> str:
        base = self.base
        bracket = base.precedence() < _ATOM or (
            isinstance(base, Call) and base.fn not in ("sqrt", "abs")
        )
        return f"{_wrap_latex(base, bracket)}^{{{tex_number(self.exponent, 6)}}}"


@dataclass(frozen=True)
class Call:
    """One of the whitelisted functions (:data:`dlcore.expr.FUNCTIONS`) applied to one argument."""

    fn: str
    arg: Node

    def precedence(self) -> int:
        return _ATOM

    def text(self) -> str:
        return f"{self.fn}({self.arg.text()})"

    def latex(self) -> str:
        inner = self.arg.latex()
        template = FUNCTION_LATEX[self.fn]
        return template.replace("#", inner)


Node = Num | Var | Neg | BinOp | Pow | Call


def _letterlike(node: Node) -> bool:
    if isinstance(node, BinOp):
        return node.op == "*" and _letterlike(node.left) and _letterlike(node.right)
    if isinstance(node, Pow):
        return isinstance(node.base, Var)
    return isinstance(node, (Var, Call)) or (isinstance(node, Num) and bool(node.symbol))


def _coefficient(node: Node) -> bool:
    if isinstance(node, (Var, Pow)):
        return _letterlike(node)
    if isinstance(node, Num):
        return node.value >= 0 or bool(node.symbol)
    return (
        isinstance(node, BinOp)
        and node.op == "*"
        and _coefficient(node.left)
        and _letterlike(node.right)
    )


def _wrap_text(node: Node, bracket: bool) -> str:
    return f"({node.text()})" if bracket else node.text()


def _wrap_latex(node: Node, bracket: bool) -> str:
    return rf"\left({node.latex()}\right)" if bracket else node.latex()


def number_text(value: float) -> str:
    """``value`` as the shortest Python literal that reads back to it, without a trailing ``.0``.

    Parameters
    ----------
    value : float

    Returns
    -------
    str
        ``"2"`` for 2.0, ``"0.1"`` for 0.1, ``"1e-05"`` for 0.00001.
    """
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


# ----------------------------------------------------------------------------
# Walking a tree.


def children(node: Node) -> tuple[Node, ...]:
    """The direct subtrees of ``node``, left to right (empty for a number or a variable).

    Parameters
    ----------
    node : Node

    Returns
    -------
    tuple of Node
    """
    if isinstance(node, BinOp):
        return node.left, node.right
    if isinstance(node, (Neg, Call)):
        return (node.arg,)
    if isinstance(node, Pow):
        return (node.base,)
    return ()


def variables_in(node: Node) -> set[str]:
    """The names of the variables that appear anywhere in ``node``.

    Parameters
    ----------
    node : Node

    Returns
    -------
    set of str
        Empty for a constant subexpression.
    """
    if isinstance(node, Var):
        return {node.name}
    if isinstance(node, Num):
        return set()
    if isinstance(node, BinOp):
        return variables_in(node.left) | variables_in(node.right)
    if isinstance(node, Pow):
        return variables_in(node.base)
    return variables_in(node.arg)


def substitute(node: Node, trees: dict[str, Node]) -> Node:
    """``node`` with each variable named in ``trees`` replaced by its tree (composition).

    Parameters
    ----------
    node : Node
    trees : dict of str to Node
        Variable name to the tree plugged in for it; other variables stay.

    Returns
    -------
    Node
        A new tree; ``node`` is not changed (the nodes are frozen).
    """
    if isinstance(node, Var):
        return trees.get(node.name, node)
    if isinstance(node, Num):
        return node
    if isinstance(node, Neg):
        return Neg(substitute(node.arg, trees))
    if isinstance(node, BinOp):
        return BinOp(node.op, substitute(node.left, trees), substitute(node.right, trees))
    if isinstance(node, Pow):
        return Pow(substitute(node.base, trees), node.exponent)
    return Call(node.fn, substitute(node.arg, trees))
