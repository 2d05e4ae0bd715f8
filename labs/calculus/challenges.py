"""The Calculus lab's challenges: goals in terms of its controls, checked by dlcore."""

from dlcore.challenges import calculus as cc
from dlcore.differentiation import CURVES
from dlcore.objectives import OBJECTIVES
from dlcore.views import calculus as views
from labs.calculus.chain import view as chain_view
from labs.calculus.derivative import view as derivative_view
from labs.calculus.gradients import view as gradient_view
from ui.challenges import Challenge

SURFACE = [*OBJECTIVES, views.OWN][4]  # the Gradients panel's default
START = views.surface_choice(SURFACE).start
GRADIENT_READS = {
    "surface": SURFACE,
    "fxy": "sin(x) * cos(y) + 0.1 * x**2",
    "px": float(START[0]),
    "py": float(START[1]),
    "angle": 30,
}
FIRST = next(iter(CURVES.values()))
DERIVATIVE_READS = {
    "curve": FIRST.name,
    "fx": "x**2 * sin(x)",
    "domain": (-3.0, 3.0),
    "x0": 0.0,
    "h": 2.0,
}


def _gradient(v: dict):
    text = v["fxy"] if v["surface"] == views.OWN else ""
    return gradient_view(v["surface"], text, v["px"], v["py"], v["angle"])  # the panel's view


def _secant(v: dict):
    if v["curve"] == views.OWN:
        text, (lo, hi) = v["fx"], v["domain"]
    else:
        text, (lo, hi) = CURVES[v["curve"]].text, CURVES[v["curve"]].domain
    w = derivative_view(text, lo, hi, v["x0"], v["h"])
    return cc.secant_matches_tangent(w.secant, w.slope, w.h)


def _chain(v: dict):
    rule = chain_view(v["outer"], v["inner"], v["chain_x"]).rule
    return cc.outer_factor_vanishes(rule.outer_derivative, rule.inner_derivative)


def _steepest(v: dict):
    w = _gradient(v)
    return cc.along_gradient(w.angle, w.grad_angle, w.norm)


def _contour(v: dict):
    w = _gradient(v)
    return cc.along_level_set(w.angle, w.grad_angle, w.norm)


CHALLENGES = (
    Challenge(
        "secant",
        "Derivative",
        "Choose a step h whose secant slope is within 1% of the derivative at x₀.",
        "The secant's error is about f''(x₀) h / 2: shrink h.",
        "The derivative is the limit of secant slopes as h → 0; the forward difference's error "
        "shrinks in proportion to h (until rounding errors take over at tiny h).",
        DERIVATIVE_READS,
        _secant,
    ),
    Challenge(
        "chain_zero",
        "Chain rule",
        "Find an x where the outer derivative g'(u) kills the gradient while h'(x) does not.",
        "With g = sin(u), g'(u) = cos(u) is 0 at u = π/2. Which x gives h(x) = π/2?",
        "In backpropagation every factor of the chain multiplies: one saturated (zero) local "
        "derivative stops the gradient for everything below it.",
        {"outer": "sin(u)", "inner": "x**2 + 1", "chain_x": 1.3},
        _chain,
    ),
    Challenge(
        "steepest",
        "Gradients",
        "Turn the direction u to the steepest ascent at the point (within 5°).",
        "The directional derivative ∇f · u is largest when u points along ∇f: read its angle.",
        "D_u f = |∇f| cos θ is largest at θ = 0: the gradient is the direction of steepest ascent, "
        "so gradient descent steps against it.",
        GRADIENT_READS,
        _steepest,
    ),
    Challenge(
        "contour",
        "Gradients",
        "Turn u along the contour line through the point, where f does not change (within 5°).",
        "D_u f = |∇f| cos θ is 0 at θ = ±90°.",
        "The gradient is perpendicular to the level sets: moving along a contour changes nothing, "
        "which is why descent paths cross contours at right angles.",
        GRADIENT_READS,
        _contour,
    ),
)
