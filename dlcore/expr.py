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

The trees and how they print live in :mod:`dlcore.expr_tree`, the derivative
rules in :mod:`dlcore.expr_diff`; this module holds the whitelist, the parser,
evaluation and :class:`Expression`.

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

from dlcore.expr_diff import DERIVATIVES, differentiate
from dlcore.expr_tree import (
    FUNCTION_LATEX,
    BinOp,
    Call,
    Neg,
    Node,
    Num,
    Pow,
    Var,
    children,
    substitute,
    variables_in,
)

__all__ = [
    "CONSTANTS",
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "Expression",
    "ExpressionError",
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
# The whitelisted functions: numerics here, the derivative rule from
# dlcore.expr_diff and the LaTeX from dlcore.expr_tree.


@dataclass(frozen=True)
class Function:
    """A whitelisted function: NumPy evaluation, derivative rule and LaTeX."""

    name: str
    fn: object
    derivative: object
    latex: str


FUNCTIONS: dict[str, Function] = {
    name: Function(name, fn, DERIVATIVES[name], FUNCTION_LATEX[name])
    for name, fn in (
        ("sin", np.sin),
        ("cos", np.cos),
        ("tan", np.tan),
        ("exp", np.exp),
        ("log", np.log),
        ("log10", np.log10),
        ("log2", np.log2),
        ("sqrt", np.sqrt),
        ("abs", np.abs),
        ("tanh", np.tanh),
        ("sinh", np.sinh),
        ("cosh", np.cosh),
        ("arctan", np.arctan),
        ("arcsin", np.arcsin),
        ("arccos", np.arccos),
        ("sigmoid", _sigmoid),
        ("softplus", _softplus),
        ("relu", _relu),
        ("step", _step),
        ("sign", np.sign),
        ("erf", special.erf),
    )
}

# Other spellings people type; they map to the names above.
ALIASES: dict[str, str] = {"ln": "log", "atan": "arctan", "asin": "arcsin", "acos": "arccos"}


# ----------------------------------------------------------------------------
# Evaluation of trees.


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
            for child in children(node):
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
            if variables_in(exponent):
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
        if not variables_in(result) and not math.isfinite(_constant_value(result)):
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
        if not variables_in(result) and not math.isfinite(_constant_value(result)):
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
        used = variables_in(self.tree)
        return tuple(v for v in self.variables if v in used)

    @cached_property
    def _partials(self) -> tuple[Node, ...]:
        return tuple(differentiate(self.tree, v) for v in self.variables)

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
        tree = substitute(self.tree, {k: e.tree for k, e in expressions.items()})
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
