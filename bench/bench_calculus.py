"""Calculus lab: parsed formulas against hand-written NumPy, quadrature and ODE solving against SciPy.

* A formula typed by a user is a tree walked in Python, one NumPy call per
  node; on a 200x200 grid that overhead should vanish next to the array work,
  and the exact gradient (a differentiated tree sharing subexpressions with
  the value) should cost about what a person writing the gradient by hand pays.
* Composite Simpson and trapezoid rules against ``scipy.integrate`` on the
  same samples (ours includes evaluating f).
* The adaptive Dormand-Prince gradient flow against ``scipy.integrate.solve_ivp``
  (RK45, the same method and tolerances).
"""

from __future__ import annotations

import numpy as np
from scipy import integrate as sp_integrate

from bench.timing import Comparison, compare
from dlcore import calculus
from dlcore.expr import parse
from dlcore.objectives import OBJECTIVES

ROSENBROCK = "(1 - x)**2 + 100*(y - x**2)**2"
BUMPY = "sin(3*x) * cos(2*y) + exp(-(x**2 + y**2) / 4) + 0.1 * x**2 * y"


def _rosenbrock_by_hand(x, y):
    r = y - x * x
    value = (1 - x) ** 2 + 100 * r * r
    return value, np.stack([-2 * (1 - x) - 400 * x * r, 200 * r], axis=-1)


def _bumpy_by_hand(x, y):
    s3, c3, s2, c2 = np.sin(3 * x), np.cos(3 * x), np.sin(2 * y), np.cos(2 * y)
    g = np.exp(-(x * x + y * y) / 4)
    value = s3 * c2 + g + 0.1 * x * x * y
    gx = 3 * c3 * c2 - 0.5 * x * g + 0.2 * x * y
    gy = -2 * s3 * s2 - 0.5 * y * g + 0.1 * x * x
    return value, np.stack([gx, gy], axis=-1)


def run(quick: bool = False) -> list[Comparison]:
    n = 50 if quick else 200
    rounds = 3 if quick else 9
    x, y = np.meshgrid(np.linspace(-2, 2, n), np.linspace(-1, 3, n))
    results = []
    for label, text, by_hand in (
        ("Rosenbrock", ROSENBROCK, _rosenbrock_by_hand),
        ("bumpy", BUMPY, _bumpy_by_hand),
    ):
        e = parse(text)
        v, g = e.value_and_gradient(x=x, y=y)
        hv, hg = by_hand(x, y)
        assert np.allclose(v, hv) and np.allclose(g, hg, atol=1e-9)
        results.append(
            compare(
                f"{label} formula: value + exact gradient on a {n}x{n} grid",
                {
                    "expr value_and_gradient": lambda e=e: e.value_and_gradient(x=x, y=y),
                    "hand-written NumPy": lambda f=by_hand: f(x, y),
                },
                ours="expr value_and_gradient",
                rounds=rounds,
            )
        )
    e = parse(BUMPY)
    results.append(
        compare(
            "parse + differentiate the bumpy formula (no cache)",
            {
                "parse + derivative trees": lambda: [parse(BUMPY).derivative(v) for v in "xy"],
                "evaluate it once": lambda: e.evaluate(x=x, y=y),
            },
            ours="parse + derivative trees",
            rounds=rounds,
            note="the one-off cost of a new formula, against one evaluation",
        )
    )

    m = 10_001 if quick else 1_000_001
    grid = np.linspace(0.0, 3.0, m)

    def f(t):
        return np.exp(-t) * np.cos(5 * t)

    for rule, reference in (
        ("simpson", lambda: sp_integrate.simpson(f(grid), x=grid)),
        ("trapezoid", lambda: sp_integrate.trapezoid(f(grid), grid)),
    ):
        results.append(
            compare(
                f"{rule} rule on {m - 1} intervals (both evaluate f)",
                {
                    f"calculus.integrate {rule}": lambda r=rule: calculus.integrate(
                        f, 0.0, 3.0, n=m - 1, rule=r
                    ),
                    f"scipy.integrate.{rule}": reference,
                },
                ours=f"calculus.integrate {rule}",
                rounds=rounds,
            )
        )

    obj = OBJECTIVES["Rosenbrock"]
    t_end = 0.2 if quick else 1.0
    results.append(
        compare(
            f"gradient flow on Rosenbrock to t = {t_end} (RK45, rtol 1e-6)",
            {
                "calculus.gradient_flow": lambda: calculus.gradient_flow(
                    obj.grad, obj.start, t_end=t_end, n_points=50
                ),
                "scipy solve_ivp RK45": lambda: sp_integrate.solve_ivp(
                    lambda t, p: -obj.grad(p),
                    (0.0, t_end),
                    obj.start,
                    method="RK45",
                    rtol=1e-6,
                    atol=1e-9,
                    t_eval=np.linspace(0.0, t_end, 50),
                ),
            },
            ours="calculus.gradient_flow",
            rounds=3 if quick else 5,
        )
    )
    return results
