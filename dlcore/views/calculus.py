"""What the panels of the Calculus lab show, one function per panel.

Every function takes the panel's control values (formula text, ranges,
sliders) and returns a NamedTuple of everything the panel draws or writes,
verdicts and messages included, so a panel only reads widgets, calls one of
these and hands the fields to charts and ``st.latex``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlcore import calculus as calc
from dlcore import differentiation, gradflow, integration
from dlcore._validation import check_choice, check_int, check_number, check_positive
from dlcore.expr import parse
from dlcore.objectives import OBJECTIVES, Objective, from_expression

#: the choice that turns a formula box on, in the function and surface pickers
OWN = "Type your own formula"
#: the region (and start point) of a surface typed by the user
OWN_BOUNDS = ((-3.0, 3.0), (-3.0, 3.0))
OWN_START = (-2.4, 2.4)

# Samples of the plotted curve, and the step grids of the two error plots.
CURVE_POINTS = 401
SECANT_STEPS = 31
H_GRID = np.logspace(-14, 0, 57)
N_GRID = 2 ** np.arange(1, 13)


# ------------------------------------------------------------------ the curve
class FunctionView(NamedTuple):
    """The function f(x) the derivative, difference and integration panels share.

    Attributes
    ----------
    text : str
        The formula as typed (stripped).
    lo, hi : float
        The plot range.
    latex, prime_latex : str
        f and its exact derivative f', in LaTeX.
    problems : tuple of str
        Where f is undefined, overflows or has a pole on the plot range (one
        clause each, from :func:`dlcore.integration.describe`); empty if none.
    note : str
        Those clauses as a sentence for under the curve ("" if none).
    """

    text: str
    lo: float
    hi: float
    latex: str
    prime_latex: str
    problems: tuple[str, ...]
    note: str


def function_view(text: str, lo: float, hi: float) -> FunctionView:
    """Parse ``text`` as f(x) and scan the plot range [lo, hi] for trouble.

    Raises
    ------
    ValueError
        An empty range, or a formula the parser refuses (its message says why).
    """
    lo, hi = check_number("lo", lo), check_number("hi", hi)
    if not lo < hi:
        raise ValueError("The plot range is empty: choose 'from' below 'to'.")
    f = differentiation.univariate(text)
    problems = integration.describe(integration.scan(f, lo, hi), f.expression.text)
    note = f"On this range {'; '.join(problems)}: the curve has gaps there." if problems else ""
    return FunctionView(f.expression.text, lo, hi, f.latex, f.prime.latex, problems, note)


def point_problem(f: differentiation.Univariate, lo: float, hi: float, x0: float) -> str:
    """Why f or f' has no value at ``x0`` (where f is undefined, and what to do); "" if it has.

    Examples
    --------
    >>> point_problem(differentiation.univariate("log(x)"), -3.0, 3.0, -0.9)
    'log(x) is undefined for x ≤ 0, and x₀ = -0.9 lies there: move x₀ to where f is defined.'
    """
    f0, slope = float(f(x0)), float(f.prime(x0))
    if np.isfinite(f0) and np.isfinite(slope):
        return ""
    found = integration.scan(f, lo, hi)
    here = found._replace(  # only the stretch that holds x0
        undefined=tuple(s for s in found.undefined if s[0] <= x0 <= s[1]),
        overflow=tuple(s for s in found.overflow if s[0] <= x0 <= s[1]),
        singularities=(),
    )
    clauses = integration.describe(here, f.expression.text)
    if not np.isfinite(f0) and clauses:
        return f"{clauses[0]}, and x₀ = {x0:.4g} lies there: move x₀ to where f is defined."
    which, value = ("f", f0) if not np.isfinite(f0) else ("f′", slope)
    return f"{which} is not defined at x₀ = {x0:.4g} (its value is {value:g}): move x₀."


# ------------------------------------------------------------- the derivative
class DerivativeView(NamedTuple):
    """Secants closing in on the tangent at x0.

    Attributes
    ----------
    x, fx, dfx : ndarray of shape (401,)
        The curve and its exact derivative on the plot range.
    x0, f0, slope : float
        The point, f(x0) and f'(x0) (NaN where undefined).
    h, secant, gap : float
        The chosen step, the forward secant slope (f(x0 + h) - f(x0)) / h and
        ``secant - slope``.
    hs, secants : ndarray of shape (31,)
        Steps from (hi - lo) / 2 down to (hi - lo) / 2000 and their secant
        slopes: the frames of the animation.
    prime_latex : str
    problem : str
        Why f or f' has no value at x0 ("" when both do).
    """

    x: np.ndarray
    fx: np.ndarray
    dfx: np.ndarray
    x0: float
    f0: float
    slope: float
    h: float
    secant: float
    gap: float
    hs: np.ndarray
    secants: np.ndarray
    prime_latex: str
    problem: str


def derivative_view(text: str, lo: float, hi: float, x0: float, h: float) -> DerivativeView:
    """f, f', the tangent at ``x0`` and the secants of steps ``h`` and smaller."""
    f = differentiation.univariate(text)
    x0, h = check_number("x0", x0), check_positive("h", h)
    x = np.linspace(lo, hi, CURVE_POINTS)
    hs = np.geomspace((hi - lo) / 2, (hi - lo) / 2000, SECANT_STEPS)
    f0, slope = float(f(x0)), float(f.prime(x0))
    secant = float(calc.derivative(f, x0, h=h, method="forward"))
    return DerivativeView(
        x=x,
        fx=f(x),
        dfx=f.prime(x),
        x0=x0,
        f0=f0,
        slope=slope,
        h=h,
        secant=secant,
        gap=secant - slope,
        hs=hs,
        secants=calc.derivative(f, x0, h=hs, method="forward"),
        prime_latex=f.prime.latex,
        problem=point_problem(f, lo, hi, x0),
    )


class DifferencesView(NamedTuple):
    """Forward, backward and central differences at x0 against the exact f'(x0).

    Attributes
    ----------
    hs : ndarray of shape (57,)
        Steps from 1e-14 to 1.
    errors : dict method -> ndarray of shape (57,)
        |difference quotient - f'(x0)| (empty when f'(x0) is undefined).
    orders : dict method -> int
        1, 1 and 2: the slope of the truncation error.
    at_h : dict method -> float
        Each quotient at the chosen step h.
    slope, h : float
    best_h : dict method -> float
        The step of smallest non-zero error per method (methods whose every
        error is 0 are left out).
    flat : bool
        Every error is 0: f is flat at x0 to float64 precision, nothing to plot.
    problem : str
        Why there is nothing to plot: f or f' has no value at x0, or every
        error is 0 ("" otherwise).
    """

    hs: np.ndarray
    errors: dict[str, np.ndarray]
    orders: dict[str, int]
    at_h: dict[str, float]
    slope: float
    h: float
    best_h: dict[str, float]
    flat: bool
    problem: str


def differences_view(text: str, lo: float, hi: float, x0: float, h: float) -> DifferencesView:
    """The error of each difference quotient against h: truncation, then round-off (the V)."""
    f = differentiation.univariate(text)
    x0, h = check_number("x0", x0), check_positive("h", h)
    slope = float(f.prime(x0))
    problem = point_problem(f, lo, hi, x0)
    at_h = {m: float(calc.derivative(f, x0, h=h, method=m)) for m in differentiation.DIFFERENCES}
    orders = {m: d.order for m, d in differentiation.DIFFERENCES.items()}
    errors = {} if problem else differentiation.difference_errors(f, slope, x0, H_GRID)
    best = {
        m: float(H_GRID[int(np.argmin(np.where(e > 0, e, np.inf)))])
        for m, e in errors.items()
        if np.any(e > 0)
    }
    flat = bool(errors) and not best
    if flat:
        problem = (
            f"f′({x0:.4g}) and every difference quotient are 0 (f is flat here to float64 "
            "precision): there is no error to plot. Move x₀."
        )
    return DifferencesView(H_GRID, errors, orders, at_h, slope, h, best, flat, problem)


# ----------------------------------------------------------------- integration
class IntegrationView(NamedTuple):
    """A rule's approximation of the integral over [a, b] and how fast each rule converges.

    Attributes
    ----------
    a, b : float
    n : int
    rule : str
    x, fx : ndarray of shape (401,)
        The curve over [a, b].
    check : Integrability
        Whether the integral exists (and why not), from
        :func:`dlcore.integration.integrability`.
    shape : Approximant or None
        What the rule integrates in place of f (None when the integral does
        not exist).
    nodes : ndarray of shape (n + 1,)
    area, exact, error : float
        The rule's value, the reference (Simpson on 65536 intervals) and
        their difference; NaN when the integral does not exist.
    ns : ndarray of shape (12,)
        Interval counts 2, 4, ..., 4096.
    errors : dict rule -> ndarray of shape (12,)
        |rule - reference| per n (empty when the integral does not exist).
    fitted : dict rule -> float
        The observed order p of error ~ n^-p, for rules with at least two
        errors above round-off.
    orders : dict rule -> int
        The theoretical orders 1, 1, 2, 2, 4.
    """

    a: float
    b: float
    n: int
    rule: str
    x: np.ndarray
    fx: np.ndarray
    check: integration.Integrability
    shape: integration.Approximant | None
    nodes: np.ndarray
    area: float
    exact: float
    error: float
    ns: np.ndarray
    errors: dict[str, np.ndarray]
    fitted: dict[str, float]
    orders: dict[str, int]


def integration_view(text: str, a: float, b: float, n: int, rule: str) -> IntegrationView:
    """Integrate f over [a, b] by ``rule`` on ``n`` intervals, once the integral is known to exist.

    Raises
    ------
    ValueError
        a >= b, a bad rule or n (odd n for Simpson).
    """
    f = differentiation.univariate(text)
    check_choice("rule", rule, integration.RULES)
    n = check_int("n", n, 1, 10**6)
    a, b = check_number("a", a), check_number("b", b)
    if not a < b:
        raise ValueError("Choose an interval with a < b.")
    x = np.linspace(a, b, CURVE_POINTS)
    check = integration.integrability(f, a, b, name=f.expression.text)
    orders = {r: s.order for r, s in integration.RULES.items()}
    nodes = np.linspace(a, b, n + 1)
    nan = float("nan")
    if not check.integrable:
        return IntegrationView(
            a, b, n, rule, x, f(x), check, None, nodes, nan, nan, nan, N_GRID, {}, {}, orders
        )
    exact = integration.reference_integral(f, a, b)
    area = calc.integrate(f, a, b, n=n, rule=rule)
    errors = integration.convergence(f, a, b, exact, N_GRID)
    fitted = {
        r: integration.observed_order(N_GRID, e)
        for r, e in errors.items()
        if np.sum(np.isfinite(e) & (e > 1e-13)) >= 2
    }
    return IntegrationView(
        a=a,
        b=b,
        n=n,
        rule=rule,
        x=x,
        fx=f(x),
        check=check,
        shape=integration.approximant(f, a, b, n=n, rule=rule),
        nodes=nodes,
        area=area,
        exact=exact,
        error=area - exact,
        ns=N_GRID,
        errors=errors,
        fitted=fitted,
        orders=orders,
    )


# ------------------------------------------------------------------ chain rule
class ChainView(NamedTuple):
    """g(h(x)) taken apart at one x.

    Attributes
    ----------
    composite_latex, derivative_latex : str
        g(h(x)) and its exact derivative, in LaTeX.
    outer_prime_at_u : str
        g'(u) with the number u = h(x) plugged in, in LaTeX.
    rule : ChainRule
        u, g(u), h'(x), g'(u), their product and the central-difference check.
    relative : float
        |product - numerical| / |product| (the denominator kept above 1e-300).
    """

    composite_latex: str
    derivative_latex: str
    outer_prime_at_u: str
    rule: differentiation.ChainRule
    relative: float


def chain_view(outer_text: str, inner_text: str, x: float) -> ChainView:
    """The chain rule for g(u) = ``outer_text`` and h(x) = ``inner_text`` at ``x``.

    Raises
    ------
    ValueError
        A formula the parser refuses, or g(h(x)) or its derivative undefined at x.
    """
    outer, inner = parse(outer_text, ("u",)), parse(inner_text, ("x",))
    r = differentiation.chain_rule(outer, inner, x)
    if not np.isfinite([r.inner, r.outer, r.product]).all():
        raise ValueError(
            f"g(h(x)) or its derivative is not defined at x = {x:g}; move x or change a formula."
        )
    composite = outer.substitute(u=inner)
    at_u = outer.derivative().substitute(u=parse(f"{r.inner:.4g}", ("u",))).latex
    relative = abs(r.product - r.numerical) / max(abs(r.product), 1e-300)
    return ChainView(composite.latex, composite.derivative().latex, at_u, r, relative)


# ------------------------------------------------------------------- gradients
class SurfaceChoice(NamedTuple):
    """Where a surface lives: its plot region and start point (slider ranges and defaults)."""

    bounds: tuple[tuple[float, float], tuple[float, float]]
    start: tuple[float, float]


def surface_choice(name: str) -> SurfaceChoice:
    """The region and start point of the preset ``name``, or of a typed formula (:data:`OWN`)."""
    if name == OWN:
        return SurfaceChoice(OWN_BOUNDS, OWN_START)
    check_choice("surface", name, OBJECTIVES)
    obj = OBJECTIVES[name]
    return SurfaceChoice(obj.bounds, obj.start)


def surface(name: str, text: str = "") -> Objective:
    """The preset ``name``, or the formula ``text`` in x and y when ``name`` is :data:`OWN`."""
    if name == OWN:
        return from_expression(text, bounds=OWN_BOUNDS, start=OWN_START)
    check_choice("surface", name, OBJECTIVES)
    return OBJECTIVES[name]


class GradientView(NamedTuple):
    """The gradient at a point of a surface, and the directional derivative as u turns.

    Attributes
    ----------
    title, latex : str
    objective : Objective
        The surface (its ``surface`` dataclass is the code to show).
    grid : SurfaceGrid
        f on a 121 x 121 grid and the gradient field.
    point, u, grad : ndarray of shape (2,)
        The point, the unit direction (cos angle, sin angle) and grad f there.
    norm, du : float
        |grad f| and D_u f = grad f . u.
    angles, directional : ndarray of shape (181,)
        Directions -180..180 degrees in steps of 2 and D_u f along each.
    grad_angle : float
        The direction of grad f, in degrees.
    angle : float
        The chosen direction, in degrees.
    problem : str
        Why the gradient is undefined at the point ("" when it is finite).
    """

    title: str
    latex: str
    objective: Objective
    grid: differentiation.SurfaceGrid
    point: np.ndarray
    u: np.ndarray
    grad: np.ndarray
    norm: float
    du: float
    angles: np.ndarray
    directional: np.ndarray
    grad_angle: float
    angle: float
    problem: str


def gradient_view(name: str, text: str, px: float, py: float, angle: float) -> GradientView:
    """grad f at (px, py) on the chosen surface, and D_u f for u at ``angle`` degrees.

    Raises
    ------
    ValueError
        A formula the parser refuses (for :data:`OWN`).
    """
    obj = surface(name, text)
    grid = differentiation.surface_with_gradients(obj.f, obj.grad, obj.bounds)
    point = np.array([check_number("px", px), check_number("py", py)])
    rad = np.radians(check_number("angle", angle))
    u = np.array([np.cos(rad), np.sin(rad)])
    with np.errstate(all="ignore"):
        value, g = float(obj.f(point)), np.asarray(obj.grad(point), dtype=float)
    problem = ""
    if not np.isfinite(value):
        problem = f"f is not defined at ({px:g}, {py:g}) (its value is {value:g}); move the point."
    elif not np.all(np.isfinite(g)):
        problem = f"The gradient is not defined at ({px:g}, {py:g}); move the point."
    if problem:
        g = np.full(2, np.nan)
    angles = np.arange(-180, 181, 2)
    return GradientView(
        title=text if name == OWN else name,
        latex=obj.latex,
        objective=obj,
        grid=grid,
        point=point,
        u=u,
        grad=g,
        norm=float(np.hypot(*g)),
        du=float(g @ u),
        angles=angles,
        directional=differentiation.directional_derivatives(g, np.radians(angles))
        if not problem
        else angles * np.nan,
        grad_angle=float(np.degrees(np.arctan2(g[1], g[0]))),
        angle=float(angle),
        problem=problem,
    )


# --------------------------------------------------------------- gradient flow
class FlowView(NamedTuple):
    """Gradient descent against the gradient flow it discretises.

    Attributes
    ----------
    objective : Objective
    grid : SurfaceGrid
    comparison : FlowComparison
        Both paths at the times t_k = k lr, and the gap between them.
    paths : dict label -> ndarray of shape (steps + 1, 2)
        The two paths, labelled for the legend.
    t_end : float
        steps * lr, the time the last iterate approximates.
    divergence : str
        The verdict when descent diverged (why, and whether a smaller rate
        helps), "" otherwise.
    flow_cut : str
        Where the flow's solver stopped on a stiff surface, "" otherwise.
    columns : dict name -> ndarray of shape (steps + 1,)
        t and both paths' coordinates, for the CSV download.
    """

    objective: Objective
    grid: differentiation.SurfaceGrid
    comparison: gradflow.FlowComparison
    paths: dict[str, np.ndarray]
    t_end: float
    divergence: str
    flow_cut: str
    columns: dict[str, np.ndarray]


def divergence_verdict(name: str, diverged_at: int, *, bounded: bool) -> str:
    """Why gradient descent diverged at step ``diverged_at`` (-1: it did not, "").

    On a surface with a minimum (``bounded``) the step was too long for
    Euler's method; on one unbounded below (a saddle) no rate helps.

    Examples
    --------
    >>> divergence_verdict("Saddle", 65, bounded=False)[:40]
    'Gradient descent diverged at step 65: Sa'
    >>> divergence_verdict("Saddle", -1, bounded=False)
    ''
    """
    if diverged_at < 0:
        return ""
    why = (
        "the step is beyond 2 / (largest curvature), where Euler's method is unstable. "
        "Lower the learning rate."
        if bounded
        else f"{name} is unbounded below, so descent and the exact flow both run off; "
        "no rate helps."
    )
    return f"Gradient descent diverged at step {diverged_at}: {why}"


def flow_view(name: str, lr: float, steps: int) -> FlowView:
    """Descent at rate ``lr`` for ``steps`` steps on the preset ``name``, and the exact flow."""
    obj = surface(name)
    lr, steps = check_positive("lr", lr), check_int("steps", steps, 1, 10_000)
    v = gradflow.flow_vs_descent(obj.grad, obj.start, lr=lr, steps=steps)
    paths = {
        "gradient flow (exact ODE)": v.flow.points,
        f"gradient descent, lr = {lr:g}": v.descent.points,
    }
    flow_cut = ""
    if v.flow.diverged_at >= 0:
        flow_cut = (
            f"The flow is shown up to t = {v.flow.t[v.flow.diverged_at - 1]:.3g} (the solver's "
            "step budget ran out on this stiff surface)."
        )
    names = ["gd_x", "gd_y", "flow_x", "flow_y"]
    columns = {"t": v.descent.t, **dict(zip(names, [*v.descent.points.T, *v.flow.points.T]))}
    return FlowView(
        objective=obj,
        grid=differentiation.surface_with_gradients(obj.f, obj.grad, obj.bounds),
        comparison=v,
        paths=paths,
        t_end=steps * lr,
        divergence=divergence_verdict(name, v.descent.diverged_at, bounded=bool(obj.minima)),
        flow_cut=flow_cut,
        columns=columns,
    )
