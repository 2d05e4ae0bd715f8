"""What the panels of the Optimizer race show, one function per panel.

Each ``*_view`` takes the panel's control values (small, hashable: names,
numbers, :class:`StartSpec`, :class:`RacerSpec`), so ``st.cache_data`` keys
on them cheaply, and returns a NamedTuple of every array, curve, table row
and sentence the panel draws or writes.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, NamedTuple

import numpy as np

from dlcore import optim, race, schedules
from dlcore.calculus import gradient, gradient_check
from dlcore.objectives import OBJECTIVES, Grid, Objective, from_expression, surface_grid

FORMULA = "Your formula"
START_MODES = ("Default", "Your start", "Grid of starts", "Random starts")
#: a typed start's coordinates must lie in [-START_LIMIT, START_LIMIT]
START_LIMIT = 1000.0
#: "arrived": within this distance of a known minimum
EPS = 1e-2
#: points per axis of the map (the picture behind the paths)
GRID_N = 120
#: positions the "race at step" slider offers
SCRUB_POINTS = 51
#: the rates the fair race tries on its tuning start
LR_GRID = (1e-4, 5e-4, 2e-3, 0.01, 0.05, 0.2, 1.0)


def surface_names() -> list[str]:
    """The surfaces a race can run on: the registry, then the user's formula."""
    return [*OBJECTIVES, FORMULA]


def objective_for(surface: str, formula: str = "") -> Objective:
    """The registry's surface ``surface``, or the parsed ``formula`` for :data:`FORMULA`.

    Raises
    ------
    ValueError
        For an unknown surface, or a formula :func:`dlcore.expr.parse` refuses.
    """
    if surface == FORMULA:
        return from_expression(formula)
    if surface not in OBJECTIVES:
        raise ValueError(f"surface must be one of {', '.join(surface_names())}, got {surface!r}")
    return OBJECTIVES[surface]


# ------------------------------------------------------------------ starts
class StartSpec(NamedTuple):
    """Where the racers start, as the controls say it.

    Attributes
    ----------
    mode : str
        One of :data:`START_MODES`.
    x0, y0 : float or None
        The typed start ("Your start"); None means the surface's own start.
    per_side : int
        Grid points per side ("Grid of starts").
    n, seed : int
        Number of random starts and their seed ("Random starts").
    """

    mode: str = "Default"
    x0: float | None = None
    y0: float | None = None
    per_side: int = 3
    n: int = 9
    seed: int = 0


def _region(objective: Objective) -> str:
    (xl, xh), (yl, yh) = objective.bounds
    return f"x ∈ [{xl:g}, {xh:g}], y ∈ [{yl:g}, {yh:g}]"


def check_start(objective: Objective, x0: Any, y0: Any) -> np.ndarray:
    """A typed start as an array of shape (2,), or ``ValueError`` saying what to change.

    Each coordinate must be a finite number in ``[-START_LIMIT, START_LIMIT]``
    and ``f`` must be defined (finite) there; the message names the allowed
    range and the plotted region.
    """
    allowed = f"[{-START_LIMIT:g}, {START_LIMIT:g}]"
    for label, value in (("x₀", x0), ("y₀", y0)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(
                f"The start needs two numbers, but {label} is {value!r}: "
                f"type a number in {allowed}."
            )
        if not math.isfinite(value) or abs(value) > START_LIMIT:
            raise ValueError(
                f"The start {label} = {value:g} is out of range: x₀ and y₀ must each lie in "
                f"{allowed} (the map shows {_region(objective)})."
            )
    point = np.array([x0, y0], dtype=float)
    with np.errstate(all="ignore"):
        defined = bool(np.isfinite(objective.f(point)))
    if not defined:
        raise ValueError(
            f"f is not defined at the start (x₀, y₀) = ({x0:g}, {y0:g}): it is NaN or infinite "
            "there. Choose “Your start” and move it to a point where the formula is defined "
            f"(the map shows {_region(objective)}; white is where f is undefined)."
        )
    return point


def _check_defined(objective: Objective, starts: np.ndarray, what: str) -> np.ndarray:
    with np.errstate(all="ignore"):
        bad = np.flatnonzero(~np.isfinite(np.asarray(objective.f(starts), dtype=float)))
    if bad.size:
        x, y = starts[bad[0]]
        raise ValueError(
            f"f is not defined at {bad.size} of the {len(starts)} {what} (for one, at "
            f"({x:.3g}, {y:.3g})): pick Default or Your start inside the region where the "
            "formula is defined, or a formula defined on the whole map."
        )
    return starts


def race_starts(objective: Objective, start: StartSpec) -> np.ndarray:
    """The start points of a race, shape ``(n, 2)``, checked (see :func:`check_start`)."""
    if start.mode not in START_MODES:
        raise ValueError(f"start mode must be one of {', '.join(START_MODES)}, got {start.mode!r}")
    if start.mode == "Grid of starts":
        grid = race.grid_starts(objective.bounds, start.per_side)
        return _check_defined(objective, grid, "grid starts")
    if start.mode == "Random starts":
        random = race.random_starts(objective.bounds, start.n, start.seed)
        return _check_defined(objective, random, "random starts")
    x0, y0 = objective.start
    if start.mode == "Your start":
        x0 = x0 if start.x0 is None else start.x0
        y0 = y0 if start.y0 is None else start.y0
    return check_start(objective, x0, y0)[None, :]


def outside_warning(objective: Objective, starts: np.ndarray) -> str:
    """A sentence when a start lies off the plotted region, else ""."""
    (xl, xh), (yl, yh) = objective.bounds
    x, y = starts[:, 0], starts[:, 1]
    if not np.any((x < xl) | (x > xh) | (y < yl) | (y > yh)):
        return ""
    return (
        f"The start is outside the plotted region {_region(objective)}: the race runs, but its "
        "beginning is off the map. Move it inside to watch."
    )


# ------------------------------------------------------------------ racers
class RacerSpec(NamedTuple):
    """One racer as its controls set it; None leaves a hyper-parameter at torch's default.

    Attributes
    ----------
    name : str
        A key of :data:`dlcore.optim.OPTIMIZERS`.
    lr : float
        The learning rate (the peak rate under a schedule).
    momentum, alpha, weight_decay : float or None
    betas : (float, float) or None
    """

    name: str
    lr: float
    momentum: float | None = None
    alpha: float | None = None
    betas: tuple[float, float] | None = None
    weight_decay: float | None = None


def make_racer(spec: RacerSpec, *, schedule: str = "Constant", steps: int = 500) -> Any:
    """The configured optimizer of ``spec``, its rate following ``schedule`` over ``steps``.

    Under a schedule other than "Constant" the racer's ``lr`` is the peak of
    :func:`dlcore.schedules.fitted` (the same shape for every racer, scaled by
    each one's own rate).
    """
    if spec.name not in optim.OPTIMIZERS:
        raise ValueError(f"racer must be one of {', '.join(optim.OPTIMIZERS)}, got {spec.name!r}")
    params = {k: v for k, v in spec._asdict().items() if k not in ("name", "lr") and v is not None}
    rate = (
        spec.lr if schedule == "Constant" else schedules.fitted(schedule, lr=spec.lr, steps=steps)
    )
    return optim.OPTIMIZERS[spec.name](lr=rate, **params)


def _reference(objective: Objective) -> float | None:
    """The lowest value at the known minima, f*; None without any."""
    if not objective.minima:
        return None
    return float(np.min(objective.f(np.array(objective.minima, dtype=float))))


def _floor_and_span(grid: Grid) -> tuple[float, float]:
    finite = grid.z[np.isfinite(grid.z)]
    if finite.size == 0:
        return math.nan, math.nan
    return float(finite.min()), float(finite.max() - finite.min())


def divergence_warnings(runs: dict[str, race.Race], n_starts: int) -> tuple[str, ...]:
    """One warning per racer that diverged: its first diverged start and why (from ``race``)."""
    out = []
    for name, run in runs.items():
        for i, reason in enumerate(run.reasons):
            if reason:
                which = f" (start {i})" if n_starts > 1 else ""
                out.append(f"**{name}**{which} {reason}. Its path stops at its last finite point.")
                break
    return tuple(out)


# ------------------------------------------------------------------ the race
class RaceView(NamedTuple):
    """The race panel: the map, the paths, the curves, the leaderboard and the rules.

    Attributes
    ----------
    objective : Objective
    grid : Grid
        The surface on a ``GRID_N`` x ``GRID_N`` grid over its bounds.
    starts : ndarray of shape (n, 2)
    paths : dict of name -> ndarray of shape (steps + 1, n, 2)
        Diverged starts frozen at their last finite point.
    losses : dict of name -> ndarray of shape (steps + 1, n)
    trajectories : dict of name -> Trajectory
        For the CSV download.
    warnings : tuple of str
        One per diverged racer (:func:`divergence_warnings`).
    outside : str
        :func:`outside_warning`, "" when every start is on the map.
    loss_curves : dict of name -> ndarray of shape (steps + 1,)
        Median over the starts of ``f - f*`` (``f`` without known minima).
    loss_title, loss_ytitle : str
    loss_log : bool
        Whether the loss axis is logarithmic (only above a known minimum).
    distance_curves : dict of name -> ndarray of shape (steps + 1,), or None
        Median distance to the nearest known minimum; None without minima.
    curve_note : str
        Why no distance is shown, "" when it is.
    first_div : dict of name -> int
        The step at which every start of a racer had diverged, -1 if one never did.
    board : Leaderboard
    frame_steps : tuple of int
        The steps the "race at step" control offers (both ends included).
    rules : tuple of (name, latex)
        Each racer's update rule with its numbers.
    schedule_latex : str
        The schedule as a multiplier of each racer's rate (``eta_t / eta = ...``).
    """

    objective: Objective
    grid: Grid
    starts: np.ndarray
    paths: dict[str, np.ndarray]
    losses: dict[str, np.ndarray]
    trajectories: dict[str, optim.Trajectory]
    warnings: tuple[str, ...]
    outside: str
    loss_curves: dict[str, np.ndarray]
    loss_title: str
    loss_ytitle: str
    loss_log: bool
    distance_curves: dict[str, np.ndarray] | None
    curve_note: str
    first_div: dict[str, int]
    board: race.Leaderboard
    frame_steps: tuple[int, ...]
    rules: tuple[tuple[str, str], ...]
    schedule_latex: str


def frame_steps(steps: int, most: int = SCRUB_POINTS) -> tuple[int, ...]:
    """At most ``most`` steps spread over ``0 .. steps``, both ends included."""
    return tuple(int(k) for k in np.unique(np.linspace(0, steps, min(steps + 1, most)).round()))


def race_view(
    surface: str,
    formula: str,
    start: StartSpec,
    racers: tuple[RacerSpec, ...],
    schedule: str,
    steps: int,
) -> RaceView:
    """Race every racer from the same starts on one surface and score them.

    Raises
    ------
    ValueError
        For a formula that does not parse or a start that is out of range or
        where f is undefined; the message says what to change.
    """
    objective = objective_for(surface, formula)
    starts = race_starts(objective, start)
    opts = [make_racer(spec, schedule=schedule, steps=steps) for spec in racers]
    runs = {opt.name: race.race(objective, opt, starts, steps) for opt in opts}
    trajectories = {k: r.trajectory for k, r in runs.items()}
    grid = surface_grid(objective, objective.bounds, GRID_N)
    floor, span = _floor_and_span(grid)
    board = race.leaderboard(
        objective,
        trajectories,
        rates={opt.name: opt.lr for opt in opts},
        eps=EPS,
        floor=floor,
        span=span,
    )
    fstar = _reference(objective)
    summaries = {k: race.summarize(t, objective.minima, eps=EPS) for k, t in trajectories.items()}
    shift = 0.0 if fstar is None else fstar
    return RaceView(
        objective=objective,
        grid=grid,
        starts=starts,
        paths={k: t.points for k, t in trajectories.items()},
        losses={k: t.losses for k, t in trajectories.items()},
        trajectories=trajectories,
        warnings=divergence_warnings(runs, len(starts)),
        outside=outside_warning(objective, starts),
        loss_curves={k: np.median(t.losses - shift, axis=1) for k, t in trajectories.items()},
        loss_title="Loss (median over starts)"
        if fstar is None
        else "Loss above the minimum (median over starts)",
        loss_ytitle="f" if fstar is None else "f − f*",
        loss_log=fstar is not None,
        distance_curves=None
        if fstar is None
        else {k: np.median(s.distance, axis=1) for k, s in summaries.items()},
        curve_note="This surface lists no known minimum, so the loss is drawn on a linear axis "
        "and no distance is shown."
        if fstar is None
        else "",
        first_div={
            k: int(s.diverged_at.max()) if (s.diverged_at >= 0).all() else -1
            for k, s in summaries.items()
        },
        board=board,
        frame_steps=frame_steps(steps),
        rules=tuple((opt.name, opt.to_latex()) for opt in opts),
        schedule_latex=schedules.multiplier_latex(schedule, steps),
    )


# ------------------------------------------------------------------ your formula
class FormulaView(NamedTuple):
    """The formula panel: the parsed formula, its exact gradient, checked at the start.

    Attributes
    ----------
    objective : Objective
    grid : Grid
    latex : str
        ``f(x, y) = ...`` as parsed (what the racers minimise).
    gradient_latex : str
        Both partial derivatives, differentiated from the formula's tree.
    start : ndarray of shape (2,)
        The formula's start (10 % in from the upper-left corner of the map).
    value : float
        f at the start, NaN where it is undefined.
    grad, numeric : ndarray of shape (2,)
        The exact gradient at the start and central differences of f there.
    descent : ndarray of shape (2,)
        ``-grad``, the direction a plain gradient step takes from the start.
    check : float
        Their relative error (:func:`dlcore.calculus.gradient_check`), NaN
        where f or its gradient is undefined at the start.
    undefined : float
        Fraction of the map where f is undefined (NaN or infinite).
    problem : str
        Why the start cannot be raced from ("" when it can).
    notice : str
    """

    objective: Objective
    grid: Grid
    latex: str
    gradient_latex: str
    start: np.ndarray
    value: float
    grad: np.ndarray
    numeric: np.ndarray
    descent: np.ndarray
    check: float
    undefined: float
    problem: str
    notice: str


def formula_view(text: str) -> FormulaView:
    """Parse a typed formula and show what the racers will follow.

    Raises
    ------
    ExpressionError
        (a ``ValueError``) when the formula is not allowed; the message says why.
    """
    objective = from_expression(text)
    expression = objective.surface.expression
    dx, dy = (expression.derivative(v).latex for v in ("x", "y"))
    grid = surface_grid(objective, objective.bounds, GRID_N)
    start = np.array(objective.start, dtype=float)
    with np.errstate(all="ignore"):
        value = float(objective.f(start))
        grad = np.asarray(objective.grad(start), dtype=float)
        numeric = gradient(objective.f, start)
    usable = bool(np.isfinite(value) and np.all(np.isfinite(grad)) and np.all(np.isfinite(numeric)))
    check = gradient_check(objective.f, objective.grad, start) if usable else math.nan
    try:
        check_start(objective, *objective.start)
        problem = "" if usable else "The gradient is not defined at the start."
    except ValueError as exc:
        problem = str(exc)
    undefined = float(np.mean(~np.isfinite(grid.z)))
    return FormulaView(
        objective=objective,
        grid=grid,
        latex=objective.latex,
        gradient_latex=rf"\begin{{aligned}}\frac{{\partial f}}{{\partial x}} &= {dx} \\ "
        rf"\frac{{\partial f}}{{\partial y}} &= {dy}\end{{aligned}}",
        start=start,
        value=value,
        grad=grad,
        numeric=numeric,
        descent=-grad,
        check=check,
        undefined=undefined,
        problem=problem,
        notice=formula_notice(check, undefined),
    )


def formula_notice(check: float, undefined: float) -> str:
    """What to notice about a typed formula: its gradient is exact, and where f is undefined."""
    text = (
        "Every racer follows exactly this gradient: it is differentiated from the formula's "
        "tree, not estimated by finite differences"
    )
    text += (
        f" (central differences agree to a relative error of {check:.1e} at the start)."
        if math.isfinite(check)
        else "."
    )
    if undefined > 0:
        text += (
            f" f is undefined on {undefined:.0%} of the map (white): a racer that steps there "
            "stops with a warning."
        )
    return text + " Choose “Your formula” as the surface of the Race panel to race on it."


# ------------------------------------------------------------------ schedules
class ScheduleView(NamedTuple):
    """The schedules panel: a schedule's shape and what it does to each racer.

    Attributes
    ----------
    multiplier : ndarray of shape (steps,)
        ``eta_t / eta`` of every update (the schedule fitted to the race).
    latex : str
        :func:`dlcore.schedules.multiplier_latex`.
    constant, scheduled : dict of name -> ndarray of shape (steps + 1,)
        Median loss curves (above f* where a minimum is known) with the
        racer's constant rate and with the schedule.
    log : bool
    ytitle : str
    rows : list of dict
        Per racer: peak rate, both final losses, :func:`schedule_effect`.
    verdict : str
    """

    multiplier: np.ndarray
    latex: str
    constant: dict[str, np.ndarray]
    scheduled: dict[str, np.ndarray]
    log: bool
    ytitle: str
    rows: list[dict[str, Any]]
    verdict: str


def schedule_effect(
    constant: float, scheduled: float, *, diverged: tuple[bool, bool], unbounded: bool = False
) -> str:
    """One racer's verdict: did the schedule lower its final loss?

    Parameters
    ----------
    constant, scheduled : float
        Median final loss with the constant rate and with the schedule.
    diverged : (bool, bool)
        Whether the constant and the scheduled run diverged (on any start).
    unbounded : bool
        The surface has no minimum: a lower loss is then no better, only further.
    """
    if diverged == (True, True):
        return "diverged either way"
    if diverged[0]:
        return "the schedule kept it from diverging"
    if diverged[1]:
        return "diverged only with the schedule"
    if math.isclose(constant, scheduled, rel_tol=1e-9, abs_tol=1e-300):
        return "the same"
    lower = scheduled < constant
    if unbounded:
        return "slid further with the schedule" if lower else "slid less with the schedule"
    return "lower with the schedule" if lower else "higher with the schedule"


def _median_curve(trajectory: optim.Trajectory, shift: float) -> np.ndarray:
    losses = trajectory.losses.reshape(trajectory.losses.shape[0], -1)
    return np.median(losses - shift, axis=1)


def schedule_view(
    surface: str,
    formula: str,
    start: StartSpec,
    racers: tuple[RacerSpec, ...],
    schedule: str,
    steps: int,
) -> ScheduleView:
    """Race every racer twice, with its constant rate and under ``schedule``."""
    objective = objective_for(surface, formula)
    starts = race_starts(objective, start)
    fstar = _reference(objective)
    shift = 0.0 if fstar is None else fstar
    unbounded = objective.bounded_below is False
    constant, scheduled, rows = {}, {}, []
    for spec in racers:
        flat = optim.minimize(objective, make_racer(spec), starts, steps)
        shaped = optim.minimize(
            objective, make_racer(spec, schedule=schedule, steps=steps), starts, steps
        )
        constant[spec.name], scheduled[spec.name] = (
            _median_curve(flat, shift),
            _median_curve(shaped, shift),
        )
        finals = float(np.median(flat.losses[-1])), float(np.median(shaped.losses[-1]))
        diverged = bool(np.any(flat.diverged_at >= 0)), bool(np.any(shaped.diverged_at >= 0))
        rows.append(
            {
                "racer": spec.name,
                "η (peak)": f"{spec.lr:g}",
                "final loss, constant η": finals[0],
                f"final loss, {schedule}": finals[1],
                "effect": schedule_effect(*finals, diverged=diverged, unbounded=unbounded),
            }
        )
    return ScheduleView(
        multiplier=schedules.curve(schedules.fitted(schedule, lr=1.0, steps=steps), steps),
        latex=schedules.multiplier_latex(schedule, steps),
        constant=constant,
        scheduled=scheduled,
        log=fstar is not None,
        ytitle="f" if fstar is None else "f − f*",
        rows=rows,
        verdict=schedule_verdict(schedule, [row["effect"] for row in rows], unbounded=unbounded),
    )


def schedule_verdict(schedule: str, effects: list[str], *, unbounded: bool = False) -> str:
    """The sentence under the schedules table, from the racers' :func:`schedule_effect`."""
    if schedule == "Constant":
        return "Constant keeps every rate fixed: pick another schedule to compare it with."
    if unbounded:
        return (
            "This surface has no minimum, so a lower final loss is no better: the schedule only "
            "changes how far each racer slides."
        )
    helped = sum(
        e in ("lower with the schedule", "the schedule kept it from diverging") for e in effects
    )
    return (
        f"{schedule} lowered the final loss of {helped} of {len(effects)} racers. A schedule "
        "spends a large rate early, to travel, and a small one late, to settle into the valley."
    )


# ------------------------------------------------------------------ the fair race
class FairView(NamedTuple):
    """The fair race: each rate tuned on a separate start, judged on seeded random starts.

    Attributes
    ----------
    results : dict of name -> FairResult
    rows : list of dict
        Per racer: tuned rate, median final loss, median first step within
        ``EPS`` of a minimum, starts diverged.
    note : str
        A caveat when the surface has no minimum, else "".
    """

    results: dict[str, race.FairResult]
    rows: list[dict[str, Any]]
    note: str


def fair_view(
    surface: str, formula: str, racers: tuple[RacerSpec, ...], n: int, seed: int, steps: int
) -> FairView:
    """Tune each racer's rate over :data:`LR_GRID` on one start, score it on ``n`` others."""
    objective = objective_for(surface, formula)
    starts = _check_defined(
        objective, race.random_starts(objective.bounds, n, seed), "evaluation starts"
    )
    tune = _check_defined(
        objective, race.random_starts(objective.bounds, 1, seed + 1), "tuning starts"
    )[0]
    results = {
        spec.name: race.fair_race(
            objective,
            make_racer(spec),
            starts=starts,
            tune_start=tune,
            steps=steps,
            lr_grid=LR_GRID,
            minima=objective.minima,
            eps=EPS,
        )
        for spec in racers
    }
    rows = [
        {
            "racer": k,
            "tuned η": r.lr,
            "median final loss": r.median_final_loss,
            f"median first step within {EPS:g}": r.median_first_within,
            "diverged": r.diverged,
        }
        for k, r in results.items()
    ]
    note = (
        f"{objective.name} has no minimum: tuning for the lowest final loss rewards the rate "
        "that slides fastest, so these medians measure sliding, not arriving."
        if objective.bounded_below is False
        else ""
    )
    return FairView(results, rows, note)
