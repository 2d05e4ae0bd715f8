"""Safe formulas: parse what a user typed, evaluate it on arrays, differentiate it exactly.

``parse("sin(x) * y**2")`` walks Python's own syntax tree (``ast.parse`` only
*reads* the text, it runs nothing) and accepts a small whitelist: numbers, the
named variables, the constants ``pi`` and ``e``, ``+ - * /``, ``**`` with a
small constant exponent, unary minus and a fixed set of one-argument
functions. Anything else (attributes, subscripts, strings, lambdas,
comprehensions, other calls or names, ``x**x``, ``9**9**9``, over-long or
over-deep input) raises :class:`ExpressionError` before any number is
computed. Nothing here calls ``eval``, ``exec`` or ``compile``.

The accepted text becomes a tree of small frozen dataclasses. Derivatives are
trees too, built by the textbook rules (sum, product, quotient, power and
chain rule) with light simplification, so a page can print ``f'(x)`` in LaTeX
and evaluate it exactly: no finite differences anywhere.

Evaluation runs under ``np.errstate(all="ignore")``: the log of a negative
number is NaN and 1/0 is inf, never a warning; callers check ``np.isfinite``.
"""

from __future__ import annotations

import ast
import math
import warnings
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import special

__all__ = [
    "CONSTANTS",
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "Expression",
    "ExpressionError",
    "latex_number",
    "parse",
]

MAX_LENGTH = 400  # characters of formula text
MAX_DEPTH = 50  # nested operations; the tree, not the parentheses
MAX_NODES = 200  # operations and leaves in the whole formula
MAX_EXPONENT = 64  # |n| in u**n, so powers stay cheap and finite on sane inputs

CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}


class ExpressionError(ValueError):
    """A formula that is not allowed or cannot be read; the message says why."""


# ----------------------------------------------------------------------------
# Numerics of the whitelisted functions (stable forms: no overflow warnings).


def _sigmoid(u):
    # 1 / (1 + e^-u) written with tanh, which never overflows at |u| = 1000.
    return 0.5 * (1.0 + np.tanh(0.5 * u))


def _softplus(u):
    return np.logaddexp(0.0, u)


def _relu(u):
    return np.maximum(u, 0.0)


def _step(u):
    # Heaviside step with step(0) = 0, so relu'(0) = 0 as in PyTorch.
    return np.heaviside(u, 0.0)


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
        return self.symbol or _number_text(self.value)

    def latex(self) -> str:
        if self.symbol:
            return r"\pi" if self.symbol == "pi" else self.symbol
        return latex_number(self.value)


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
        n = _number_text(self.exponent)
        n = f"({n})" if self.exponent < 0 else n
        return f"{_wrap_text(self.base, self.base.precedence() <= _POWER)}**{n}"

    def latex(self) -> str:
        base = self.base
        bracket = base.precedence() < _ATOM or (
            isinstance(base, Call) and base.fn not in ("sqrt", "abs")
        )
        return f"{_wrap_latex(base, bracket)}^{{{latex_number(self.exponent)}}}"


@dataclass(frozen=True)
class Call:
    """One of :data:`FUNCTIONS` applied to one argument."""

    fn: str
    arg: Node

    def precedence(self) -> int:
        return _ATOM

    def text(self) -> str:
        return f"{self.fn}({self.arg.text()})"

    def latex(self) -> str:
        inner = self.arg.latex()
        template = FUNCTIONS[self.fn].latex
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


def _number_text(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def latex_number(value: float, digits: int = 6) -> str:
    """``value`` with ``digits`` significant digits in LaTeX: 1.5 \\times 10^{-8}, not 1.5e-08."""
    if not math.isfinite(value):
        return r"\text{NaN}" if math.isnan(value) else ("-" if value < 0 else "") + r"\infty"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, power = text.split("e")
        return rf"{mantissa} \times 10^{{{int(power)}}}"
    return text


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
    if _plain(b) and b.value != 0 and len(_number_text(ca / b.value)) <= 6:
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
# The whitelisted functions: numerics, derivative rule (d f(u) / du as a tree)
# and LaTeX ("#" marks the argument).


@dataclass(frozen=True)
class Function:
    """A whitelisted function: NumPy evaluation, derivative rule and LaTeX."""

    name: str
    fn: object
    derivative: object
    latex: str


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


FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        Function("sin", np.sin, _d_sin, r"\sin\left(#\right)"),
        Function("cos", np.cos, _d_cos, r"\cos\left(#\right)"),
        Function("tan", np.tan, _d_tan, r"\tan\left(#\right)"),
        Function("exp", np.exp, _d_exp, r"\exp\left(#\right)"),
        Function("log", np.log, _d_log, r"\ln\left(#\right)"),
        Function("log10", np.log10, _d_log10, r"\log_{10}\left(#\right)"),
        Function("log2", np.log2, _d_log2, r"\log_{2}\left(#\right)"),
        Function("sqrt", np.sqrt, _d_sqrt, r"\sqrt{#}"),
        Function("abs", np.abs, _d_abs, r"\left|#\right|"),
        Function("tanh", np.tanh, _d_tanh, r"\tanh\left(#\right)"),
        Function("sinh", np.sinh, _d_sinh, r"\sinh\left(#\right)"),
        Function("cosh", np.cosh, _d_cosh, r"\cosh\left(#\right)"),
        Function("arctan", np.arctan, _d_arctan, r"\arctan\left(#\right)"),
        Function("arcsin", np.arcsin, _d_arcsin, r"\arcsin\left(#\right)"),
        Function("arccos", np.arccos, _d_arccos, r"\arccos\left(#\right)"),
        Function("sigmoid", _sigmoid, _d_sigmoid, r"\sigma\left(#\right)"),
        Function("softplus", _softplus, _d_softplus, r"\operatorname{softplus}\left(#\right)"),
        Function("relu", _relu, _d_relu, r"\operatorname{ReLU}\left(#\right)"),
        Function("step", _step, _d_flat, r"\operatorname{step}\left(#\right)"),
        Function("sign", np.sign, _d_flat, r"\operatorname{sign}\left(#\right)"),
        Function("erf", special.erf, _d_erf, r"\operatorname{erf}\left(#\right)"),
    )
}

# Other spellings people type; they map to the names above.
ALIASES: dict[str, str] = {"ln": "log", "atan": "arctan", "asin": "arcsin", "acos": "arccos"}


# ----------------------------------------------------------------------------
# Differentiation and evaluation of trees.


def _diff(node: Node, var: str) -> Node:
    """d node / d var as a new tree (sum, product, quotient, power, chain rule)."""
    if isinstance(node, Num):
        return _num(0.0)
    if isinstance(node, Var):
        return _num(1.0 if node.name == var else 0.0)
    if isinstance(node, Neg):
        return _neg(_diff(node.arg, var))
    if isinstance(node, BinOp):
        da, db = _diff(node.left, var), _diff(node.right, var)
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
        du = _diff(node.base, var)
        if _is_num(du, 0.0):
            return _num(0.0)
        return _mul(_mul(_num(node.exponent), _pow(node.base, node.exponent - 1)), du)
    du = _diff(node.arg, var)
    if _is_num(du, 0.0):
        return _num(0.0)
    return _mul(FUNCTIONS[node.fn].derivative(node.arg), du)


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, BinOp):
        return node.left, node.right
    if isinstance(node, (Neg, Call)):
        return (node.arg,)
    if isinstance(node, Pow):
        return (node.base,)
    return ()


_UFUNCS = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.true_divide}


@dataclass
class _Run:
    """One evaluation of several trees that share nodes (a formula and its partials).

    A derivative tree reuses the very node objects of the formula it came
    from, so the trees form a DAG. ``uses`` counts how often each node's value
    will be asked for; a shared value is kept until its last use, and a value
    nobody else holds is overwritten in place by the operation that consumes
    it, as NumPy does for temporaries in hand-written expressions. Without
    this, every intermediate of a 200x200 grid stays alive and each new one
    costs fresh pages from the OS.
    """

    env: dict[str, np.ndarray]
    uses: dict[int, int]
    memo: dict[int, tuple[object, bool]]

    @classmethod
    def over(cls, roots: tuple[Node, ...], env: dict[str, np.ndarray]) -> _Run:
        uses: dict[int, int] = {}
        for root in roots:
            uses[id(root)] = uses.get(id(root), 0) + 2  # +1 pins results handed back to the caller
        stack, seen = list(roots), set()
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            for child in _children(node):
                uses[id(child)] = uses.get(id(child), 0) + 1
                stack.append(child)
        return cls(env, uses, {})

    def value(self, node: Node) -> tuple[object, bool]:
        """The node's value and whether the caller may overwrite it."""
        key = id(node)
        if key in self.memo:
            value, fresh = self.memo[key]
            self.uses[key] -= 1
            if self.uses[key] == 0:
                del self.memo[key]
                return value, fresh
            return value, False
        value, fresh = self._compute(node)
        self.uses[key] -= 1
        if self.uses[key] > 0:
            self.memo[key] = (value, fresh)
            return value, False
        return value, fresh

    def _compute(self, node: Node) -> tuple[object, bool]:
        if isinstance(node, Num):
            return node.value, False
        if isinstance(node, Var):
            return self.env[node.name], False
        if isinstance(node, BinOp):
            (a, own_a), (b, own_b) = self.value(node.left), self.value(node.right)
            return _apply(_UFUNCS[node.op], (a, b), a if own_a else b if own_b else None)
        if isinstance(node, Neg):
            a, own = self.value(node.arg)
            return _apply(np.negative, (a,), a if own else None)
        if isinstance(node, Pow):
            base, own = self.value(node.base)
            out = base if own else None
            # products are exact and faster than pow() for small integer powers
            if node.exponent == 2:
                return _apply(np.multiply, (base, base), out)
            if node.exponent == 3:
                square, _ = _apply(np.multiply, (base, base), None)
                return _apply(np.multiply, (square, base), out)
            if node.exponent == 0.5:
                return _apply(np.sqrt, (base,), out)
            return _apply(np.power, (base, node.exponent), out)
        a, own = self.value(node.arg)
        fn = FUNCTIONS[node.fn].fn
        if isinstance(fn, np.ufunc):
            return _apply(fn, (a,), a if own else None)
        result = fn(a)
        return result, isinstance(result, np.ndarray) and result is not a


def _apply(ufunc: np.ufunc, args: tuple, out) -> tuple[object, bool]:
    """ufunc(*args), written into ``out`` when it has the result's shape; (value, fresh)."""
    if isinstance(out, np.ndarray) and out.shape == np.broadcast_shapes(
        *(np.shape(a) for a in args)
    ):
        return ufunc(*args, out=out), True
    result = ufunc(*args)
    return result, isinstance(result, np.ndarray)


def _evaluate(roots: tuple[Node, ...], env: dict[str, np.ndarray]) -> list[object]:
    """Values of several trees over the same variables, sharing common subtrees."""
    run = _Run.over(roots, env)
    return [run.value(root)[0] for root in roots]


def _uses(node: Node) -> set[str]:
    if isinstance(node, Var):
        return {node.name}
    if isinstance(node, Num):
        return set()
    if isinstance(node, BinOp):
        return _uses(node.left) | _uses(node.right)
    if isinstance(node, Pow):
        return _uses(node.base)
    return _uses(node.arg)


def _substitute(node: Node, trees: dict[str, Node]) -> Node:
    if isinstance(node, Var):
        return trees.get(node.name, node)
    if isinstance(node, Num):
        return node
    if isinstance(node, Neg):
        return Neg(_substitute(node.arg, trees))
    if isinstance(node, BinOp):
        return BinOp(node.op, _substitute(node.left, trees), _substitute(node.right, trees))
    if isinstance(node, Pow):
        return Pow(_substitute(node.base, trees), node.exponent)
    return Call(node.fn, _substitute(node.arg, trees))


def _constant_value(node: Node) -> float:
    with np.errstate(all="ignore"):
        return float(_evaluate((node,), {})[0])


# ----------------------------------------------------------------------------
# Parsing: a whitelist walk over Python's ast.

_NOT_ALLOWED: dict[type, str] = {
    ast.Attribute: "attribute access (a dot after a name) is not allowed",
    ast.Subscript: "indexing with [ ] is not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.Compare: "comparisons (< > ==) are not allowed",
    ast.BoolOp: "and/or are not allowed",
    ast.IfExp: "if/else is not allowed",
    ast.Tuple: "commas are not allowed: a formula is one expression",
    ast.List: "lists are not allowed",
    ast.Dict: "dictionaries are not allowed",
    ast.Set: "sets are not allowed",
    ast.NamedExpr: "assignment (:=) is not allowed",
    ast.JoinedStr: "strings are not allowed",
    ast.Starred: "* unpacking is not allowed",
    ast.Await: "await is not allowed",
}

_OPERATORS: dict[type, str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


@dataclass(frozen=True)
class _Reader:
    """Turns an ``ast`` tree into a formula tree, refusing whatever is not whitelisted."""

    variables: tuple[str, ...]

    def read(self, node: ast.AST, depth: int, count: list[int]) -> Node:
        if depth > MAX_DEPTH:
            raise ExpressionError(
                f"the formula is nested too deeply (more than {MAX_DEPTH} levels)"
            )
        count[0] += 1
        if count[0] > MAX_NODES:
            raise ExpressionError(
                f"the formula is too long (more than {MAX_NODES} numbers, names and operations)"
            )
        if isinstance(node, ast.Constant):
            return self.constant(node.value)
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, (ast.USub, ast.UAdd)):
                arg = self.read(node.operand, depth + 1, count)
                return Neg(arg) if isinstance(node.op, ast.USub) else arg
            raise ExpressionError("only unary minus and plus are allowed (not 'not' or '~')")
        if isinstance(node, ast.BinOp):
            return self.binop(node, depth, count)
        if isinstance(node, ast.Call):
            return self.call(node, depth, count)
        reason = _NOT_ALLOWED.get(type(node), f"{type(node).__name__} is not allowed")
        raise ExpressionError(reason)

    def constant(self, value: object) -> Node:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            kind = (
                "strings" if isinstance(value, (str, bytes)) else f"{type(value).__name__} values"
            )
            raise ExpressionError(f"{kind} are not allowed: use plain numbers")
        try:
            number = float(value)
        except OverflowError:
            raise ExpressionError("a number in the formula is too large") from None
        if not math.isfinite(number):
            raise ExpressionError("a number in the formula is too large")
        return Num(number)

    def name(self, name: str) -> Node:
        if name in self.variables:
            return Var(name)
        if name in CONSTANTS:
            return Num(CONSTANTS[name], name)
        if name in FUNCTIONS or name in ALIASES:
            raise ExpressionError(f"{name} is a function: write {name}(...)")
        if name.startswith("_"):
            raise ExpressionError("names starting with an underscore are not allowed")
        raise ExpressionError(
            f"unknown name {name!r}: use the variables {', '.join(self.variables)}, "
            f"the constants pi and e, and the functions {', '.join(FUNCTIONS)}"
        )

    def binop(self, node: ast.BinOp, depth: int, count: list[int]) -> Node:
        if isinstance(node.op, ast.Pow):
            base = self.read(node.left, depth + 1, count)
            exponent = self.read(node.right, depth + 1, count)
            if _uses(exponent):
                raise ExpressionError(
                    "exponents must be constant numbers (x**2 is fine, x**y is not)"
                )
            n = _constant_value(exponent)
            if not abs(n) <= MAX_EXPONENT:
                raise ExpressionError(
                    f"exponents must be between -{MAX_EXPONENT} and {MAX_EXPONENT}, "
                    f"got {exponent.text()}"
                )
            result = Pow(base, n)
        elif type(node.op) in _OPERATORS:
            left = self.read(node.left, depth + 1, count)
            right = self.read(node.right, depth + 1, count)
            result = BinOp(_OPERATORS[type(node.op)], left, right)
        else:
            symbol = {
                ast.Mod: "%",
                ast.FloorDiv: "//",
                ast.MatMult: "@",
                ast.LShift: "<<",
                ast.RShift: ">>",
                ast.BitOr: "|",
                ast.BitAnd: "&",
                ast.BitXor: "^",
            }.get(type(node.op), type(node.op).__name__)
            raise ExpressionError(
                f"the operator {symbol} is not allowed: use + - * / and ** (or ^)"
            )
        if not _uses(result) and not math.isfinite(_constant_value(result)):
            raise ExpressionError(f"{result.text()} is not a finite number")
        return result

    def call(self, node: ast.Call, depth: int, count: list[int]) -> Node:
        if not isinstance(node.func, ast.Name):
            raise ExpressionError(
                "only the listed functions can be called, by name: sin(x), exp(x), ..."
            )
        name = ALIASES.get(node.func.id, node.func.id)
        if name not in FUNCTIONS:
            raise ExpressionError(
                f"{node.func.id}(...) is not an allowed function; allowed: {', '.join(FUNCTIONS)}"
            )
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise ExpressionError(f"{name} takes exactly one argument, like {name}(x)")
        result = Call(name, self.read(node.args[0], depth + 1, count))
        if not _uses(result) and not math.isfinite(_constant_value(result)):
            raise ExpressionError(f"{result.text()} is not a finite number")
        return result


def _check_variables(variables: object) -> tuple[str, ...]:
    if isinstance(variables, str):
        variables = (variables,)
    try:
        names = tuple(variables)
    except TypeError:
        raise ValueError(f"variables must be a tuple of names, got {variables!r}") from None
    if not 1 <= len(names) <= 8 or len(set(names)) != len(names):
        raise ValueError(f"variables must be 1 to 8 distinct names, got {names!r}")
    for name in names:
        if (
            not isinstance(name, str)
            or not name.isidentifier()
            or not name.isascii()
            or name.startswith("_")
        ):
            raise ValueError(f"variables must be plain identifiers, got {name!r}")
        if name in FUNCTIONS or name in ALIASES or name in CONSTANTS:
            raise ValueError(f"variables must not be a function or constant name, got {name!r}")
    return names


def parse(text: str, variables: tuple[str, ...] = ("x", "y")) -> Expression:
    """Read a formula typed by a user into an :class:`Expression`.

    Parameters
    ----------
    text : str
        The formula, in Python syntax with ``^`` accepted for ``**``:
        ``"x**2 + 3*sin(y)"``, ``"exp(-(x^2 + y^2) / 2)"``.
    variables : tuple of str
        The names that may appear as variables, in the order of the gradient's
        last axis.

    Returns
    -------
    Expression

    Raises
    ------
    ExpressionError
        (a ``ValueError``) for anything outside the whitelist, with a message
        saying what is not allowed. The check runs in well under a millisecond
        for any input, because the text is capped at :data:`MAX_LENGTH`
        characters before it is read and nothing is computed beyond small
        constant subexpressions.

    Examples
    --------
    >>> f = parse("x**2 * y")
    >>> float(f.evaluate(x=3.0, y=2.0))
    18.0
    >>> f.gradient(x=3.0, y=2.0).tolist()
    [12.0, 9.0]
    """
    names = _check_variables(variables)
    if not isinstance(text, str):
        raise ExpressionError(f"the formula must be text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the formula is too long ({len(text)} characters; at most {MAX_LENGTH})"
        )
    source = text.strip().replace("^", "**").replace("π", "pi").replace("−", "-").replace("×", "*")
    if not source:
        raise ExpressionError("the formula is empty: type one, like x**2 + y**2")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ast.parse may warn about odd literals
            tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        where = f" at character {exc.offset}" if exc.offset else ""
        raise ExpressionError(
            f"could not read the formula{where}: {exc.msg}. Write products with *, like 2*x"
        ) from None
    except (ValueError, RecursionError, MemoryError, OverflowError):
        raise ExpressionError(
            "could not read the formula: it is too complex or contains odd characters"
        ) from None
    root = _Reader(names).read(tree.body, 0, [0])
    return Expression(text=text.strip(), variables=names, tree=root)


# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Expression:
    """A parsed formula: evaluate it, differentiate it, print it.

    Attributes
    ----------
    text : str
        What the user typed (stripped).
    variables : tuple of str
        Variable names; the gradient's last axis follows this order.
    tree : Node
        The formula as a tree of frozen dataclasses.

    Build one with :func:`parse`, never directly from user text.
    """

    text: str
    variables: tuple[str, ...]
    tree: Num | Var | Neg | BinOp | Pow | Call

    @property
    def latex(self) -> str:
        """The formula in LaTeX, for ``st.latex``."""
        return self.tree.latex()

    def __str__(self) -> str:
        return self.tree.text()

    @property
    def uses(self) -> tuple[str, ...]:
        """The variables that actually appear, in the order of ``variables``."""
        used = _uses(self.tree)
        return tuple(v for v in self.variables if v in used)

    @cached_property
    def _partials(self) -> tuple[Node, ...]:
        return tuple(_diff(self.tree, v) for v in self.variables)

    def derivative(self, variable: str | None = None) -> Expression:
        """The exact partial derivative with respect to ``variable`` as an Expression.

        ``variable`` may be omitted when there is only one variable.
        """
        if variable is None:
            if len(self.variables) != 1:
                raise ValueError(
                    f"variable must be one of {self.variables} for a formula in several variables"
                )
            variable = self.variables[0]
        if variable not in self.variables:
            raise ValueError(f"variable must be one of {self.variables}, got {variable!r}")
        tree = self._partials[self.variables.index(variable)]
        return Expression(text=tree.text(), variables=self.variables, tree=tree)

    def substitute(self, **expressions: Expression) -> Expression:
        """Plug other formulas in for variables: the composition g(h(x)).

        ``parse("sin(u)", ("u",)).substitute(u=parse("x**2", ("x",)))`` is
        sin(x**2) in the variable x. The result's variables are the variables
        of this formula that are not replaced, then those of the plugged-in
        formulas, in order.
        """
        unknown = [k for k in expressions if k not in self.variables]
        if unknown:
            raise ValueError(
                f"substitute only variables of the formula {self.variables}, got {unknown}"
            )
        names = [v for v in self.variables if v not in expressions]
        for e in expressions.values():
            if not isinstance(e, Expression):
                raise ValueError(f"substitute Expressions (from parse), got {type(e).__name__}")
            names += [v for v in e.variables if v not in names]
        tree = _substitute(self.tree, {k: e.tree for k, e in expressions.items()})
        return Expression(text=tree.text(), variables=tuple(names), tree=tree)

    def _environment(
        self, arrays: dict[str, object]
    ) -> tuple[dict[str, np.ndarray], tuple[int, ...]]:
        missing = [v for v in self.variables if v not in arrays]
        extra = [k for k in arrays if k not in self.variables]
        if missing or extra:
            raise ValueError(
                f"give exactly the variables {', '.join(self.variables)} as keyword arguments"
                + (f"; missing {', '.join(missing)}" if missing else "")
                + (f"; unexpected {', '.join(extra)}" if extra else "")
            )
        env = {}
        for name in self.variables:
            try:
                env[name] = np.asarray(arrays[name], dtype=float)
            except (TypeError, ValueError):
                raise ValueError(f"{name} must be numeric") from None
        try:
            shape = np.broadcast_shapes(*(a.shape for a in env.values()))
        except ValueError:
            raise ValueError(
                "the variables' arrays must broadcast to one shape, got "
                + ", ".join(f"{k}{v.shape}" for k, v in env.items())
            ) from None
        return env, shape

    @staticmethod
    def _finish(value, shape: tuple[int, ...], env: dict[str, np.ndarray]) -> np.ndarray:
        # A fresh float array of the full shape: constants are broadcast, and
        # an input array is never handed back (the caller might mutate it).
        if any(value is a for a in env.values()) or np.shape(value) != shape:
            return np.array(np.broadcast_to(value, shape), dtype=float)
        return np.asarray(value, dtype=float)

    def evaluate(self, **arrays) -> np.ndarray:
        """The formula's value.

        Parameters
        ----------
        **arrays : array_like
            One array per variable (``x=..., y=...``); they broadcast together.

        Returns
        -------
        ndarray of the broadcast shape
            NaN or inf where the formula is undefined (log of a negative
            number, division by zero); never a warning.
        """
        env, shape = self._environment(arrays)
        with np.errstate(all="ignore"):
            return self._finish(_evaluate((self.tree,), env)[0], shape, env)

    def gradient(self, **arrays) -> np.ndarray:
        """The exact gradient, from the differentiated tree.

        Returns
        -------
        ndarray of shape (*broadcast_shape, len(variables))
            The partial derivatives stacked on the last axis, in the order of
            ``variables``.
        """
        env, shape = self._environment(arrays)
        with np.errstate(all="ignore"):
            return self._stack(_evaluate(self._partials, env), shape)

    def value_and_gradient(self, **arrays) -> tuple[np.ndarray, np.ndarray]:
        """``(evaluate(...), gradient(...))`` sharing the common subexpressions."""
        env, shape = self._environment(arrays)
        with np.errstate(all="ignore"):
            value, *partials = _evaluate((self.tree, *self._partials), env)
            return self._finish(value, shape, env), self._stack(partials, shape)

    def _stack(self, partials: list, shape: tuple[int, ...]) -> np.ndarray:
        out = np.empty((*shape, len(self.variables)))
        for i, partial in enumerate(partials):
            out[..., i] = partial
        return out
