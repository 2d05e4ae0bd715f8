"""dlcore.expr: good formulas give known values and exact derivatives; hostile ones are refused fast."""

from __future__ import annotations

import math
import pickle
import time
import warnings

import numpy as np
import pytest

from dlcore import expr
from dlcore.expr import FUNCTIONS, MAX_LENGTH, Expression, ExpressionError, parse
from tests.pagetest import HOSTILE_TEXTS

# (formula, x, y, value, df/dx, df/dy), values worked out by hand.
GOOD = [
    ("x**2 * y", 3.0, 2.0, 18.0, 12.0, 9.0),
    ("x^2 + y^2", 1.0, -2.0, 5.0, 2.0, -4.0),
    ("(1 - x)**2 + 100*(y - x**2)**2", 1.0, 1.0, 0.0, 0.0, 0.0),
    ("(1 - x)**2 + 100*(y - x**2)**2", 0.0, 0.0, 1.0, -2.0, 0.0),
    ("sin(x) * cos(y)", 0.0, 0.0, 0.0, 1.0, 0.0),
    ("exp(-(x**2 + y**2) / 2)", 0.0, 1.0, math.exp(-0.5), 0.0, -math.exp(-0.5)),
    ("log(x) + sqrt(y)", math.e, 4.0, 3.0, 1 / math.e, 0.25),
    ("ln(x*y)", 2.0, 3.0, math.log(6), 0.5, 1 / 3),
    ("x / y", 3.0, 2.0, 1.5, 0.5, -0.75),
    ("-x**2", 3.0, 0.0, -9.0, -6.0, 0.0),
    ("2*pi*x + e*y", 1.0, 1.0, 2 * math.pi + math.e, 2 * math.pi, math.e),
    ("tanh(x) + sigmoid(y)", 0.0, 0.0, 0.5, 1.0, 0.25),
    ("abs(x) + relu(y)", -2.0, 3.0, 5.0, -1.0, 1.0),
    ("relu(y)", 0.0, 0.0, 0.0, 0.0, 0.0),  # relu'(0) = 0, as in PyTorch
    ("softplus(x)", 0.0, 0.0, math.log(2), 0.5, 0.0),
    ("x**0.5", 4.0, 0.0, 2.0, 0.25, 0.0),
    ("x**-1", 2.0, 0.0, 0.5, -0.25, 0.0),
    ("x**(1/2) * y**3", 9.0, 2.0, 24.0, 8.0 / 6.0, 36.0),
    ("arctan(x) + atan(y)", 1.0, 0.0, math.pi / 4, 0.5, 1.0),
    ("arcsin(x) + arccos(y)", 0.0, 0.0, math.pi / 2, 1.0, -1.0),
    ("sinh(x) + cosh(y)", 0.0, 0.0, 1.0, 1.0, 0.0),
    ("tan(x)", math.pi / 4, 0.0, 1.0, 2.0, 0.0),
    ("log10(x) + log2(y)", 100.0, 8.0, 5.0, 1 / (100 * math.log(10)), 1 / (8 * math.log(2))),
    ("erf(x)", 0.0, 0.0, 0.0, 2 / math.sqrt(math.pi), 0.0),
    ("step(x) + sign(y)", 1.0, -3.0, 0.0, 0.0, 0.0),
    ("3", 1.0, 1.0, 3.0, 0.0, 0.0),
    ("+x - -y", 1.0, 2.0, 3.0, 1.0, 1.0),
    ("2^3^2", 0.0, 0.0, 512.0, 0.0, 0.0),  # ^ is **, right-associative
]


@pytest.mark.parametrize("text, x, y, value, dx, dy", GOOD, ids=[g[0] for g in GOOD])
def test_good_formulas_have_known_values_and_derivatives(text, x, y, value, dx, dy):
    e = parse(text)
    assert float(e.evaluate(x=x, y=y)) == pytest.approx(value, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(e.gradient(x=x, y=y), [dx, dy], rtol=1e-12, atol=1e-12)
    v, g = e.value_and_gradient(x=x, y=y)
    assert float(v) == pytest.approx(value, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(g, [dx, dy], rtol=1e-12, atol=1e-12)


# Formulas whose derivatives are checked against central differences on a grid.
SMOOTH = [
    "x**2 * y + sin(x*y)",
    "exp(-(x^2 + y^2)) * cos(3*x)",
    "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
    "log(1 + x**2 + y**2) / (2 + tanh(x))",
    "sqrt(x**2 + y**2 + 1) - sigmoid(x - y) * softplus(y)",
    "arctan(x / (1 + y**2)) + erf(y / 2)",
    "(x**2 + y - 11)**2 + (x + y**2 - 7)**2",
    "x**-2 * (y + 3)**1.5 + 1 / (1 + x**2)",
    "cosh(x / 3) * sinh(y / 4) + x**2**2 / 4",
]


# Points inside each function's domain, away from kinks.
DOMAIN = {
    "log": (0.2, 3),
    "log10": (0.2, 3),
    "log2": (0.2, 3),
    "sqrt": (0.2, 3),
    "arcsin": (-0.9, 0.9),
    "arccos": (-0.9, 0.9),
    "tan": (-1.2, 1.2),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_matches_numpy_reference(name):
    reference = {
        "sigmoid": lambda u: 1 / (1 + np.exp(-u)),
        "softplus": lambda u: np.log1p(np.exp(u)),
        "relu": lambda u: np.where(u > 0, u, 0.0),
        "step": lambda u: (u > 0).astype(float),
        "abs": np.abs,
        "sign": np.sign,
        "erf": lambda u: np.array([math.erf(v) for v in u]),
    }
    lo, hi = DOMAIN.get(name, (-3, 3))
    x = np.linspace(lo, hi, 23)
    ref = reference[name](x) if name in reference else getattr(np, name)(x)
    np.testing.assert_allclose(
        parse(f"{name}(x)", ("x",)).evaluate(x=x), ref, rtol=1e-12, atol=1e-14
    )


def test_evaluate_broadcasts_and_returns_fresh_float_arrays():
    e = parse("x + 0 * y")
    out = e.evaluate(x=np.arange(3.0)[:, None], y=np.zeros(4))
    assert out.shape == (3, 4)
    const = parse("2.5").evaluate(x=np.zeros((2, 3)), y=0.0)
    assert const.shape == (2, 3) and np.all(const == 2.5)
    x = np.array([1.0, 2.0])
    same = parse("x", ("x",)).evaluate(x=x)
    assert same is not x and np.shares_memory(same, x) is False
    same[0] = 99.0
    assert x[0] == 1.0
    g = parse("x * y").gradient(x=np.ones((2, 3)), y=2.0)
    assert g.shape == (2, 3, 2) and np.all(g[..., 0] == 2.0) and np.all(g[..., 1] == 1.0)


def test_domain_errors_become_nan_or_inf_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e = parse("log(x) + 1 / y + sqrt(x) + exp(1000 * y)")
        v = e.evaluate(x=np.array([-1.0, 1.0, 1.0]), y=np.array([1.0, 0.0, 1.0]))
        g = e.gradient(x=np.array([-1.0, 0.0]), y=np.array([1.0, 0.0]))
    assert np.isnan(v[0]) and np.isinf(v[1]) and np.isinf(v[2])
    assert not np.all(np.isfinite(g))


def test_sigmoid_and_softplus_are_stable_at_1000():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e = parse("sigmoid(x) + softplus(x)", ("x",))
        v = e.evaluate(x=np.array([-1000.0, 1000.0]))
        g = e.gradient(x=np.array([-1000.0, 1000.0]))
    np.testing.assert_allclose(v, [0.0, 1001.0])
    np.testing.assert_allclose(g[:, 0], [0.0, 1.0])


MANY_NODES = "+".join(["-x*-x"] * 45)  # 269 nodes in 269 characters, 47 deep


@pytest.mark.parametrize(
    "text, words",
    [
        ("__import__('os').system('touch /tmp/dl_math_lab_pwned')", "listed functions"),
        ("x.__class__.__mro__", "attribute"),
        ("().__class__.__bases__[0].__subclasses__()", "listed functions"),
        ("__builtins__", "underscore"),
        ("open('/etc/passwd')", "not an allowed function"),
        ("sin.__globals__", "attribute"),
        ("x[0]", "indexing"),
        ("'abc'", "strings"),
        ("f'{x}'", "strings"),
        ("lambda: 1", "lambda"),
        ("[x for x in range(10**9)]", "comprehension"),
        ("(x, y)", "comma"),
        ("x if y else 1", "if/else"),
        ("x < y", "comparison"),
        ("x and y", "and/or"),
        ("(x := 3)", "assignment"),
        ("x % 2", "operator %"),
        ("x // 2", "operator //"),
        ("x @ y", "operator @"),
        ("~x", "unary"),
        ("not x", "unary"),
        ("9**9**9", "exponents"),
        ("x**1000", "exponents"),
        ("x**x", "constant"),
        ("2**x", "constant"),
        ("x**y", "constant"),
        ("z + 1", "unknown name"),
        ("sin", "is a function"),
        ("sin(x, y)", "one argument"),
        ("sin(x=1)", "one argument"),
        ("sin(*x)", "one argument"),
        ("True", "bool"),
        ("1j", "complex"),
        ("1e999", "too large"),
        ("9" * 350, "too large"),
        ("1/0", "not a finite number"),
        ("log(0)", "not a finite number"),
        ("", "empty"),
        ("   ", "empty"),
        ("2x", "could not read"),
        ("not a number", "could not read"),
        ("x +", "could not read"),
        ("import os", "could not read"),
        ("x\x00", "could not read"),
        ("x" + "+x" * (MAX_LENGTH // 2), "too long"),
        ("(" * 200 + "x" + ")" * 200, "too long"),
        ("-" * 300 + "x", "nested too deeply"),
        ("sin(" * 60 + "x" + ")" * 60, "nested too deeply"),
        ("x" + "**2" * 60, "nested too deeply"),
        ("+".join(["x*y"] * 90), "nested too deeply"),
        ("(" * 64 + "x" + "*x)" * 64, "nested too deeply"),
        (MANY_NODES, "numbers, names and operations"),
    ],
)
def test_hostile_formulas_raise_quickly_and_run_nothing(text, words, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec/compile must never run on user text")

    # Module globals shadow builtins, so any eval/exec/compile call made by
    # dlcore.expr's code would land here.
    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(expr, name, forbidden, raising=False)
    elapsed = math.inf
    for _ in range(
        3
    ):  # best of three: a pathological input is slow every time, a busy machine only sometimes
        start = time.perf_counter()
        with pytest.raises(ExpressionError) as info:
            parse(text)
        elapsed = min(elapsed, time.perf_counter() - start)
    assert words in str(info.value), str(info.value)
    assert elapsed < 0.1, f"refusing {text[:30]!r} took {elapsed * 1e3:.1f} ms"
    assert isinstance(info.value, ValueError)


def test_shared_hostile_texts_all_end_in_a_message():
    for text in HOSTILE_TEXTS:
        try:
            parse(text)
        except ExpressionError as exc:
            assert str(exc)
        else:
            raise AssertionError(f"{text!r} was accepted")


def test_nothing_runs_from_an_injection_attempt(tmp_path):
    marker = tmp_path / "pwned"
    with pytest.raises(ExpressionError):
        parse(f"__import__('os').system('touch {marker}')")
    with pytest.raises(ExpressionError):
        parse(f"open('{marker}', 'w')")
    assert not marker.exists()


def test_non_text_and_bad_variables_are_refused():
    with pytest.raises(ExpressionError):
        parse(None)  # type: ignore[arg-type]
    with pytest.raises(ExpressionError):
        parse(b"x")  # type: ignore[arg-type]
    for variables in [(), ("x", "x"), ("sin",), ("pi",), ("_x",), ("x y",), (1,)]:
        with pytest.raises(ValueError, match="variables"):
            parse("1", variables)
    assert parse("t**2", "t").variables == ("t",)


def test_wrong_keyword_arrays_are_value_errors():
    e = parse("x + y")
    with pytest.raises(ValueError, match="missing y"):
        e.evaluate(x=1.0)
    with pytest.raises(ValueError, match="unexpected z"):
        e.gradient(x=1.0, y=2.0, z=3.0)
    with pytest.raises(ValueError, match="broadcast"):
        e.evaluate(x=np.zeros(3), y=np.zeros(4))
    with pytest.raises(ValueError, match="variable must be one of"):
        e.derivative()
    with pytest.raises(ValueError, match="variable must be one of"):
        e.derivative("z")


def test_expressions_pickle_compare_and_hash():
    e = parse("x**2 + sin(y)")
    e.gradient(x=1.0, y=1.0)  # fills the cached partials
    back = pickle.loads(pickle.dumps(e))
    assert back == e and hash(back) == hash(parse("x**2 + sin(y)"))
    assert isinstance(back, Expression)
    np.testing.assert_allclose(back.gradient(x=1.0, y=0.0), [2.0, 1.0])
    assert (
        parse("x*y").uses == ("x", "y") and parse("x + 1").uses == ("x",) and parse("pi").uses == ()
    )


def test_whole_grid_gradient_shares_work_with_the_value():
    # The Rosenbrock gradient on a 200x200 grid equals the hand-written one.
    x, y = np.meshgrid(np.linspace(-2, 2, 200), np.linspace(-1, 3, 200))
    v, g = parse("(1 - x)**2 + 100*(y - x**2)**2").value_and_gradient(x=x, y=y)
    np.testing.assert_allclose(v, (1 - x) ** 2 + 100 * (y - x**2) ** 2, rtol=1e-14)
    np.testing.assert_allclose(
        g[..., 0], -2 * (1 - x) - 400 * x * (y - x**2), rtol=1e-12, atol=1e-9
    )
    np.testing.assert_allclose(g[..., 1], 200 * (y - x**2), rtol=1e-12, atol=1e-12)


def test_substitute_composes_and_differentiates_by_the_chain_rule():
    outer, inner = parse("sin(u)", ("u",)), parse("x**2 + 1", ("x",))
    composite = outer.substitute(u=inner)
    assert composite.variables == ("x",)
    assert str(composite) == "sin(x**2 + 1)"
    x = np.linspace(-2, 2, 9)
    np.testing.assert_allclose(composite.evaluate(x=x), np.sin(x**2 + 1), rtol=1e-15)
    np.testing.assert_allclose(
        composite.derivative().evaluate(x=x), np.cos(x**2 + 1) * 2 * x, rtol=1e-14
    )
    assert composite.derivative().latex == r"2 \cos\left(x^{2} + 1\right) \cdot x"
    assert parse("u * t", ("u", "t")).substitute(u=inner).variables == ("t", "x")
    with pytest.raises(ValueError, match="substitute"):
        outer.substitute(v=inner)


def test_inputs_are_never_overwritten_by_in_place_evaluation():
    x = np.linspace(-2.0, 2.0, 50)
    y = np.linspace(0.5, 3.0, 50)
    x0, y0 = x.copy(), y.copy()
    for text in [*SMOOTH, "x", "-x", "x*x", "x**2", "sin(x)", "x + y"]:
        e = parse(text)
        v, g = e.value_and_gradient(x=x, y=y)
        np.testing.assert_array_equal(x, x0)
        np.testing.assert_array_equal(y, y0)
        np.testing.assert_allclose(v, e.evaluate(x=x, y=y), rtol=1e-15)
        np.testing.assert_allclose(g, e.gradient(x=x, y=y), rtol=1e-15)
