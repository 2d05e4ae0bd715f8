"""The Calculus lab's guided path: derivatives, finite differences, the chain rule, gradients."""

from ui.guide import PathStep

PATH = (
    PathStep(
        "Derivative",
        {"curve": "Sine", "x0": 0.5, "h": 2.0},
        "A secant of width h = 2 on sin(x): its slope is far from the tangent's.",
    ),
    PathStep(
        "Derivative",
        {"curve": "Sine", "x0": 0.5, "h": 0.01},
        "h = 0.01: the secant is nearly the tangent, and the gap in the metric is tiny.",
    ),
    PathStep(
        "Finite differences",
        {"curve": "Sine", "x0": 0.5, "h": 1e-06},
        "Error against h, on log axes: forward differences fall like h, central like h², until "
        "rounding errors turn them back up at tiny h.",
    ),
    PathStep(
        "Chain rule",
        {"outer": "sin(u)", "inner": "x**2 + 1", "chain_x": 1.3},
        "g(h(x)) taken apart: the derivative is g'(u) times h'(x), checked numerically.",
    ),
    PathStep(
        "Gradients",
        {"angle": 30},
        "The gradient arrow and a direction u: the chart on the right is D_u f for every angle, "
        "a cosine peaking at the gradient's direction.",
    ),
)
