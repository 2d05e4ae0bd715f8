"""The race settings every panel shares: the track, the rates, the racers.

Each control is drawn by one function here, with its URL key, wherever it
appears: in the Race panel in full view, in the other panels inside a
collapsed "Race settings" expander. Streamlit keeps a bound widget's value
while its panel is closed, so the race a panel looks at is the race set up
in the Race panel, and each panel's own link still carries all of it.
"""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from dlcore import optim, schedules
from dlcore.objectives import Objective
from dlcore.views import optimizer_race as views
from labs.optimizer_race.keys import PREFIX
from ui import url

LRS = (1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0)
DEFAULT_LR = {
    "SGD": 1e-3,
    "Momentum": 1e-3,
    "Nesterov": 1e-3,
    "Adagrad": 0.5,
    "RMSProp": 0.01,
    "Adam": 0.05,
    "AdamW": 0.05,
}
DEFAULT_RACERS = ["SGD", "Momentum", "RMSProp", "Adam"]
DEFAULT_FORMULA = "x**2 + 3*y**2 + 2*sin(x*y)"
FORMULA_HINT = (
    "Type a formula in x and y, e.g. x**2 + 3*y**2 + 2*sin(x*y). Nothing is evaluated but the "
    "arithmetic it describes."
)


class Track(NamedTuple):
    """The surface and the starts, as the controls chose them."""

    surface: str
    formula: str
    objective: Objective
    start: views.StartSpec


class Settings(NamedTuple):
    """Everything a panel needs to rerun the race it looks at."""

    track: Track
    steps: int
    shared_lr: float | None
    schedule: str
    racers: tuple[views.RacerSpec, ...]


def formula_input(container) -> str:
    """The formula box (``opt_formula``), the same in the Race and the formula panel."""
    return container.text_input(
        "f(x, y) =",
        DEFAULT_FORMULA,
        max_chars=300,
        help="x and y, numbers, + - * / **, sin, cos, exp, log, sqrt, tanh, abs ...",
        **url(PREFIX, "formula"),
    )


def _starts(objective: Objective, c1, c2, c3) -> views.StartSpec:
    mode = c1.segmented_control(
        "Start from",
        views.START_MODES,
        default=views.START_MODES[0],
        required=True,
        **url(PREFIX, "start"),
    )
    if mode == "Your start":
        lo, hi = -views.START_LIMIT, views.START_LIMIT
        x0 = c2.number_input("x₀", lo, hi, float(objective.start[0]), 0.1, **url(PREFIX, "x0"))
        y0 = c3.number_input("y₀", lo, hi, float(objective.start[1]), 0.1, **url(PREFIX, "y0"))
        return views.StartSpec(mode, x0=x0, y0=y0)
    if mode == "Grid of starts":
        per_side = c2.slider("Starts per side (a grid)", 2, 5, 3, **url(PREFIX, "grid"))
        return views.StartSpec(mode, per_side=per_side)
    if mode == "Random starts":
        n = c2.slider("Number of starts", 2, 25, 9, **url(PREFIX, "n"))
        seed = c3.number_input("Seed", 0, 9999, 0, **url(PREFIX, "seed"))
        return views.StartSpec(mode, n=n, seed=int(seed))
    return views.StartSpec(mode)


def track(c1, c2, c3) -> tuple[Track | None, str]:
    """Surface (and formula) in ``c1``/``c2``, the starts below: the track, or None and why."""
    names = views.surface_names()
    surface = c1.selectbox(
        "Surface", names, index=names.index("Rosenbrock"), **url(PREFIX, "surface")
    )
    formula = formula_input(c2) if surface == views.FORMULA else ""
    try:
        objective = views.objective_for(surface, formula)
    except ValueError as exc:
        return None, f"{exc}\n\n{FORMULA_HINT}"
    c2.latex(objective.latex)
    return Track(surface, formula, objective, _starts(objective, c1, c2, c3)), ""


def steps_slider(container) -> int:
    return container.slider("Steps", 10, 1000, 500, 10, **url(PREFIX, "steps"))


def shared_rate(container) -> float | None:
    """The shared-rate toggle and, when on, the one rate every racer gets."""
    shared = container.toggle(
        "One shared learning rate",
        False,
        help="Same η for everyone: shows how differently each optimizer scales a step.",
        **url(PREFIX, "shared"),
    )
    if not shared:
        return None
    return container.select_slider("Shared learning rate η", LRS, 1e-3, **url(PREFIX, "lr"))


def schedule_select(container) -> str:
    return container.selectbox(
        "Learning-rate schedule", list(schedules.SCHEDULES), **url(PREFIX, "schedule")
    )


def racer_names(container) -> list[str]:
    return container.multiselect(
        "Racers", list(optim.OPTIMIZERS), DEFAULT_RACERS, **url(PREFIX, "racers")
    )


def racer_controls(
    name: str, container, *, shared_lr: float | None, with_lr: bool = True
) -> views.RacerSpec:
    """One racer's own controls (``opt_lr_adam``, ``opt_b1_adam``, ...) in ``container``."""
    key = name.lower()
    container.markdown(f"**{name}**")
    lr = DEFAULT_LR[name]  # without the rate control (the fair race tunes it)
    if with_lr and shared_lr is not None:
        lr = shared_lr
        container.caption(f"η = {lr:g}, shared")
    elif with_lr:
        lr = container.select_slider("η", LRS, DEFAULT_LR[name], **url(PREFIX, f"lr_{key}"))
    spec = views.RacerSpec(name, lr)
    if name in ("Momentum", "Nesterov"):
        mu = container.slider("momentum μ", 0.0, 0.99, 0.9, 0.01, **url(PREFIX, f"mu_{key}"))
        spec = spec._replace(momentum=mu)
    if name == "RMSProp":
        alpha = container.select_slider(
            "α", (0.5, 0.9, 0.99, 0.999), 0.99, **url(PREFIX, "alpha_rmsprop")
        )
        spec = spec._replace(alpha=alpha)
    if name in ("Adam", "AdamW"):
        b1 = container.slider("β₁", 0.0, 0.99, 0.9, 0.01, **url(PREFIX, f"b1_{key}"))
        b2 = container.select_slider(
            "β₂", (0.9, 0.99, 0.999, 0.9999), 0.999, **url(PREFIX, f"b2_{key}")
        )
        spec = spec._replace(betas=(b1, b2))
    if name == "AdamW":
        wd = container.select_slider(
            "weight decay λ", (0.0, 1e-3, 1e-2, 0.1, 0.5), 1e-2, **url(PREFIX, "wd")
        )
        spec = spec._replace(weight_decay=wd)
    return spec


def racer_columns(
    names: list[str], *, shared_lr: float | None, with_lr: bool = True
) -> tuple[views.RacerSpec, ...]:
    """Every racer's own controls, one column each."""
    columns = st.columns(len(names))
    return tuple(
        racer_controls(name, col, shared_lr=shared_lr, with_lr=with_lr)
        for col, name in zip(columns, names, strict=True)
    )


def race_settings(
    *, rates: bool, racers: bool, with_lr: bool = True
) -> tuple[Settings | None, str]:
    """The race's settings in a collapsed expander, for the panels that look at that race.

    Parameters
    ----------
    rates : bool
        Draw the shared rate and the schedule (the schedules panel draws its own).
    racers : bool
        Draw the racers and their own controls.
    with_lr : bool
        Draw each racer's rate (the fair race tunes it instead).

    Returns
    -------
    (Settings or None, str)
        None and the reason when the formula does not parse.
    """
    with st.expander("Race settings: the surface, the starts and the racers of the Race panel"):
        c1, c2, c3 = st.columns([2, 1.8, 1])
        chosen, problem = track(c1, c2, c3)
        if chosen is None:
            return None, problem
        steps = steps_slider(c3)
        shared_lr = shared_rate(c1) if rates or (racers and with_lr) else None
        schedule = schedule_select(c2) if rates else "Constant"
        specs = ()
        if racers:
            names = racer_names(st)
            specs = racer_columns(names, shared_lr=shared_lr, with_lr=with_lr) if names else ()
    who = ", ".join(spec.name for spec in specs) or "no racer"
    st.caption(
        f"{chosen.surface} · {chosen.start.mode.lower()} · {steps} steps"
        + (f" · {who}" if racers else "")
        + (f" · {schedule}" if rates and schedule != "Constant" else "")
    )
    return Settings(chosen, steps, shared_lr, schedule, specs), ""
