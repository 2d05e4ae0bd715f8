"""Racing optimizers: why a start diverged, what an optimizer carries, starts, scores, rankings.

Built on :func:`dlcore.optim.minimize` (one optimizer from many starts at
once): :func:`race` adds a sentence per diverged start, :func:`internals`
replays one optimizer along its path, :func:`random_starts` and
:func:`grid_starts` place the starts, :func:`summarize` and
:func:`leaderboard` score and rank a race honestly, :func:`fair_race` tunes
each racer's rate on a start of its own, and :func:`race_table` lays a race
out as CSV columns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import numpy as np

from dlcore import driver
from dlcore._validation import RngLike, as_rng, check_array, check_int, check_range
from dlcore.driver import ObjectiveLike
from dlcore.optim import Optimizer, Trajectory, lr_at, minimize

# --------------------------------------------------------------------------
# A race and why its racers diverged
# --------------------------------------------------------------------------


class Race(NamedTuple):
    """:func:`minimize`'s trajectory and, per start, why it diverged ('' if it did not)."""

    trajectory: Trajectory
    reasons: list[str]


def race(
    objective: ObjectiveLike, optimizer: Optimizer, x0: Any, steps: int, *, limit: float = 1e6
) -> Race:
    """:func:`minimize` plus a sentence per diverged start saying what went wrong.

    Same parameters as :func:`minimize`. The reason distinguishes a blow-up
    (a coordinate passed ``limit`` or overflowed: the step is too large for
    the curvature) from a step into a region where the formula or its
    gradient is undefined (NaN), which no learning rate makes safe.
    """
    history = driver.run(objective, optimizer, x0, steps, limit=limit)
    return Race(Trajectory(*driver.frozen(history)), _reasons(objective, history))


def _reasons(objective: ObjectiveLike, history: driver.Run) -> list[str]:
    """One sentence per start ('' if it never diverged) from the raw, not yet frozen, history.

    A blow-up is blamed on the rate unless the surface may fall without limit
    (``bounded_below`` False or None) and the loss was still below its start
    value when the coordinate ran off: that racer slid downhill to -inf.
    """
    points, losses, first, limit = history
    flat_p = points.reshape(points.shape[0], -1, points.shape[-1])
    flat_l = losses.reshape(losses.shape[0], -1)
    flat_first = np.atleast_1d(first).ravel()
    bounded = getattr(objective, "bounded_below", True)
    reasons = [""] * len(flat_first)
    for i in np.flatnonzero(flat_first >= 0):
        t = int(flat_first[i])  # >= 1: check_starts refused a bad start
        last, here = flat_p[t - 1, i], flat_p[t, i]
        where = driver.point_text(last)
        slid = bounded is not True and flat_l[t - 1, i] < flat_l[0, i]
        with np.errstate(all="ignore"):
            grad_ok = np.all(np.isfinite(objective.grad(last)))
        if not grad_ok:
            reasons[i] = (
                f"diverged at step {t}: the gradient is not defined (NaN or inf) at {where}"
            )
        elif np.all(np.isfinite(here)) and np.all(np.abs(here) <= limit):
            reasons[i] = (
                f"diverged at step {t}: stepped from {where} to where f is not defined (NaN or inf)"
            )
        elif slid:
            certain = "has" if bounded is False else "seems to have"
            reasons[i] = (
                f"ran off at step {t}: a coordinate passed {limit:g} in size with the loss still "
                f"falling, because the surface {certain} no minimum that way (f → −∞), "
                "not because the rate is too large"
            )
        else:
            reasons[i] = (
                f"diverged at step {t}: a coordinate passed {limit:g} in size, "
                "the learning rate is too large for the curvature"
            )
    return reasons


# --------------------------------------------------------------------------
# Internals of one optimizer along its path
# --------------------------------------------------------------------------


class Internals(NamedTuple):
    """What one optimizer carries along its path, one row per update.

    grads : ndarray of shape (steps, d)
        Gradient at the point the update started from.
    updates : ndarray of shape (steps, d)
        The step taken, ``points[t + 1] - points[t]``.
    lr : ndarray of shape (steps,)
        The learning rate used (differs from step to step under a schedule).
    first_moment : ndarray of shape (steps, d)
        Momentum buffer or Adam's ``m`` after the update; NaN for optimizers
        without one.
    second_moment : ndarray of shape (steps, d)
        Adagrad's sum, RMSProp's or Adam's ``v`` after the update; NaN where
        there is none.
    effective_lr : ndarray of shape (steps, d)
        The per-coordinate factor multiplying the direction (``g``, ``b`` or
        Adam's ``m_hat``): ``lr`` for SGD and momentum,
        ``lr / (sqrt(s) + eps)`` for the adaptive methods (Adam's with the
        bias-corrected ``v_hat``).
    bias_correction1, bias_correction2 : ndarray of shape (steps,)
        Adam's ``1 - beta1^t`` and ``1 - beta2^t``; 1 for the others.
    """

    grads: np.ndarray
    updates: np.ndarray
    lr: np.ndarray
    first_moment: np.ndarray
    second_moment: np.ndarray
    effective_lr: np.ndarray
    bias_correction1: np.ndarray
    bias_correction2: np.ndarray


def internals(objective: ObjectiveLike, optimizer: Optimizer, points: Any) -> Internals:
    """Replay ``optimizer`` along a path from :func:`minimize` and record its state.

    Parameters
    ----------
    objective : object with ``f`` and ``grad``
    optimizer : optimizer dataclass
    points : array_like of shape (steps + 1, d)
        One start's path (``Trajectory.points`` for x0 of shape ``(d,)``).
        The replay stops being meaningful after a divergence, where the
        path was frozen; rows there repeat the last state.
    """
    points = check_array("points", points, ndim=2, finite=True)
    steps, d = points.shape[0] - 1, points.shape[1]
    out = {
        name: np.full((steps, d), np.nan) for name in ("grads", "updates", "first", "second", "eff")
    }
    lrs, bc1, bc2 = np.ones(steps), np.ones(steps), np.ones(steps)
    state = optimizer.init(points[0])
    with np.errstate(all="ignore"):
        for t in range(steps):
            lr = lr_at(optimizer.lr, state.step)
            g = np.asarray(objective.grad(points[t]), dtype=float)
            updates, state = optimizer.update(g, state, points[t])
            # The gradient the rule saw: Adam's L2 term included, AdamW's decay not.
            out["grads"][t] = optimizer.gradient(g, points[t])
            out["updates"][t], lrs[t] = updates, lr
            moments = optimizer.moments(state, lr)
            out["eff"][t] = moments.effective_lr
            if moments.first is not None:
                out["first"][t] = moments.first
            if moments.second is not None:
                out["second"][t] = moments.second
            bc1[t], bc2[t] = moments.bias_correction1, moments.bias_correction2
    return Internals(
        out["grads"], out["updates"], lrs, out["first"], out["second"], out["eff"], bc1, bc2
    )


def warmup_steps(beta: float, level: float = 0.95) -> int:
    """Steps ``t`` until ``1 - beta**t`` reaches ``level``: how long an exponential average starting from zero
    (Adam's moments, whose bias corrections are ``1 - beta**t``) takes to forget that start.

    ``ceil(log(1 - level) / log(beta))``; 1 for ``beta = 0`` (no memory). About ``3 / (1 - beta)`` at 0.95.
    """
    beta = check_range("beta", beta, 0.0, 1.0, high_inclusive=False)
    level = check_range("level", level, 0.0, 1.0, low_inclusive=False, high_inclusive=False)
    return 1 if beta == 0 else max(1, math.ceil(math.log(1 - level) / math.log(beta) - 1e-9))


def memory_steps(beta: float) -> int:
    """How many past gradients an exponential average with decay ``beta`` holds: ``1 / (1 - beta)``.

    The weights ``beta**k`` of the gradient ``k`` steps back sum to
    ``1 / (1 - beta)``, so momentum 0.9 averages about the last 10 gradients
    (rounded to the nearest step). Not :func:`warmup_steps`, which is how long
    the average takes to forget its zero start (29 steps at 0.9).
    """
    beta = check_range("beta", beta, 0.0, 1.0, high_inclusive=False)
    return max(1, round(1.0 / (1.0 - beta)))


# --------------------------------------------------------------------------
# Starts and scores
# --------------------------------------------------------------------------


def _inner_box(bounds: Any, margin: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper corners of ``bounds`` shrunk by ``margin`` of each side."""
    box = check_array("bounds", bounds, ndim=2)
    if box.shape != (2, 2) or np.any(box[:, 0] >= box[:, 1]):
        raise ValueError(
            f"bounds must be ((x_min, x_max), (y_min, y_max)) with min < max, got {bounds!r}"
        )
    margin = check_range("margin", margin, 0, 0.5, high_inclusive=False)
    width = box[:, 1] - box[:, 0]
    return box[:, 0] + margin * width, box[:, 1] - margin * width


def random_starts(bounds: Any, n: int, rng: RngLike = None, *, margin: float = 0.1) -> np.ndarray:
    """``n`` start points drawn uniformly inside ``bounds``, shape ``(n, 2)``.

    Parameters
    ----------
    bounds : ((x_min, x_max), (y_min, y_max))
    n : int
        Number of starts, in [1, 10000].
    rng : Generator, int or None
        Seed or generator; pages pass a seed so a link reproduces the starts.
    margin : float
        Fraction of each side kept free, in [0, 0.5), so starts are not on the edge.
    """
    low, high = _inner_box(bounds, margin)
    n = check_int("n", n, 1, 10_000)
    return as_rng(rng).uniform(low, high, size=(n, 2))


def grid_starts(bounds: Any, per_side: int, *, margin: float = 0.1) -> np.ndarray:
    """A ``per_side x per_side`` grid of start points inside ``bounds``, shape ``(per_side**2, 2)``.

    The deterministic counterpart of ``random_starts``: every racer meets the
    same evenly spread starts, row by row (y outer, x inner).

    Parameters
    ----------
    bounds : ((x_min, x_max), (y_min, y_max))
    per_side : int
        Points along each axis, in [1, 100]; one point is the box's centre.
    margin : float
        Fraction of each side kept free, in [0, 0.5).
    """
    low, high = _inner_box(bounds, margin)
    per_side = check_int("per_side", per_side, 1, 100)
    if per_side == 1:
        return ((low + high) / 2)[None, :]
    xs, ys = (np.linspace(low[i], high[i], per_side) for i in range(2))
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def distance_to_minima(points: Any, minima: Any) -> np.ndarray:
    """Euclidean distance from each point to the nearest of ``minima``.

    Parameters
    ----------
    points : array_like of shape (..., d)
    minima : array_like of shape (m, d), m >= 1

    Returns
    -------
    ndarray of shape points.shape[:-1]
    """
    points = np.asarray(points, dtype=float)
    minima = check_array("minima", minima, ndim=2)
    diff = points[..., None, :] - minima  # (..., m, d)
    return np.sqrt(np.min(np.sum(diff * diff, axis=-1), axis=-1))


class RaceSummary(NamedTuple):
    """One racer's scores, per start (arrays of shape ``(n,)``).

    final_loss : loss at the last step (at the last finite point if diverged)
    first_within : first step within ``eps`` of a known minimum, -1 if never
        (or if the objective lists no minima)
    diverged_at : step of divergence, -1 if never
    distance : ndarray of shape (steps + 1, n), or None without known minima
    """

    final_loss: np.ndarray
    first_within: np.ndarray
    diverged_at: np.ndarray
    distance: np.ndarray | None


def summarize(trajectory: Trajectory, minima: Any, *, eps: float = 1e-2) -> RaceSummary:
    """Leaderboard numbers of a :class:`Trajectory` (one or many starts).

    Parameters
    ----------
    trajectory : Trajectory
    minima : array_like of shape (m, 2), possibly empty
        Known minimisers of the objective.
    eps : float
        Radius around a minimum that counts as arrived, > 0.
    """
    eps = check_range("eps", eps, 0, None, low_inclusive=False)
    points = trajectory.points if trajectory.points.ndim == 3 else trajectory.points[:, None, :]
    losses = trajectory.losses if trajectory.losses.ndim == 2 else trajectory.losses[:, None]
    diverged = np.atleast_1d(np.asarray(trajectory.diverged_at, dtype=int))
    minima = np.asarray(minima, dtype=float).reshape(-1, points.shape[-1])
    if len(minima) == 0:
        return RaceSummary(losses[-1], np.full(len(diverged), -1), diverged, None)
    distance = distance_to_minima(points, minima)
    inside = distance < eps
    # A diverged start's frozen tail must not count as arriving.
    inside &= (diverged < 0) | (np.arange(len(points))[:, None] < diverged)
    first = np.where(inside.any(axis=0), inside.argmax(axis=0), -1)
    return RaceSummary(losses[-1], first, diverged, distance)


def falls_without_floor(trajectory: Trajectory, *, floor: float, span: float) -> float | None:
    """Evidence from a run alone that a surface has no minimum, or None.

    A start counts when its last finite loss lies more than ``span`` (the
    plotted region's whole height) below ``floor`` (the region's lowest
    value) and was still falling at that step. A surface with a minimum off
    the map rarely looks like this, and never once its racer has settled.

    Parameters
    ----------
    trajectory : Trajectory
        One start or many (``losses`` of shape ``(steps + 1,)`` or ``(steps + 1, n)``).
    floor : float
        Lowest value of f sampled on the plotted region.
    span : float
        Highest minus lowest value there, >= 0.

    Returns
    -------
    float or None
        The lowest such loss over the starts, None when no start shows it
        (or ``floor``/``span`` are not finite, as for a surface undefined
        everywhere on the map).
    """
    losses = np.asarray(trajectory.losses, dtype=float)
    losses = losses.reshape(losses.shape[0], -1)
    if not (np.isfinite(floor) and np.isfinite(span)) or len(losses) < 2:
        return None
    span = check_range("span", span, 0, None)
    diverged = np.atleast_1d(np.asarray(trajectory.diverged_at, dtype=int)).ravel()
    last = np.where(diverged >= 0, diverged - 1, len(losses) - 1)
    cols = np.arange(losses.shape[1])
    end, before = losses[last, cols], losses[np.maximum(last - 1, 0), cols]
    falling = (last >= 1) & (end < floor - span) & (end < before)
    return float(end[falling].min()) if falling.any() else None


class Leaderboard(NamedTuple):
    """A race's table and what may honestly be said about it.

    rows : list of dict
        One row per racer (racer, η, final loss (median), first step within
        eps of a minimum, starts arrived, diverged): best first when
        ``ranked``, else in the racers' own order.
    ranked : bool
        False on a surface with no minimum, where a lower loss only means a
        racer slid further, so no order of the rows is a ranking.
    winner : str or None
        The racer ranked first if it diverged on no start; None otherwise.
    unbounded : bool
        The surface is unbounded below, by its ``bounded_below`` metadata or,
        when that is unknown, from the run (:func:`falls_without_floor`).
    verdict : str
        The sentence to show with the table.
    """

    rows: list[dict[str, Any]]
    ranked: bool
    winner: str | None
    unbounded: bool
    verdict: str


def _board_row(name: str, s: RaceSummary, rate: Any, eps: float) -> dict[str, Any]:
    arrived = s.first_within[s.first_within >= 0]
    return {
        "racer": name,
        "η": "schedule" if callable(rate) else f"{rate:g}",
        "final loss (median)": float(np.median(s.final_loss)),
        f"first step within {eps:g} of a minimum": (
            "never" if arrived.size == 0 else f"{np.median(arrived):.0f}"
        ),
        "starts arrived": f"{arrived.size}/{len(s.first_within)}",
        "diverged": ", ".join(f"step {d}" for d in s.diverged_at[s.diverged_at >= 0][:3]) or "no",
    }


def _unbounded_because(
    objective: Any, races: dict[str, Trajectory], floor: float | None, span: float | None
) -> str:
    """Why the surface is unbounded below, by its metadata or from the run; '' if it is not."""
    bounded = getattr(objective, "bounded_below", None)
    if bounded is False:
        return f"{getattr(objective, 'name', 'This surface')} is unbounded below: f falls without limit"
    if bounded is not None or floor is None or span is None:
        return ""
    lows = {k: falls_without_floor(tr, floor=floor, span=span) for k, tr in races.items()}
    lows = {k: v for k, v in lows.items() if v is not None}
    if not lows:
        return ""
    racer, low = min(lows.items(), key=lambda kv: kv[1])
    return (
        f"This surface looks unbounded below: {racer}'s loss fell to {low:.3g}, far below the "
        f"lowest value on the map ({floor:.3g}), and was still falling"
    )


def leaderboard(
    objective: Any,
    races: dict[str, Trajectory],
    *,
    rates: dict[str, Any],
    eps: float = 1e-2,
    floor: float | None = None,
    span: float | None = None,
) -> Leaderboard:
    """Rank a race honestly: by loss where the surface has a minimum, not at all where it has none.

    Parameters
    ----------
    objective : ObjectiveLike
        Its ``minima`` score arrival, ``name`` and ``bounded_below`` (True,
        False or None for unknown) decide whether a ranking means anything.
    races : dict of name -> Trajectory
        Every racer from the same starts.
    rates : dict of name -> float or schedule
        What the η column shows ("schedule" for a callable).
    eps : float
        Radius around a minimum that counts as arrived, > 0.
    floor, span : float, optional
        The plotted region's lowest value of f and its height; with them, a
        surface of unknown boundedness is judged from the run.

    Returns
    -------
    Leaderboard
        Ranked by (starts diverged, median final loss) on a bounded surface;
        in the racers' order, with no winner, on an unbounded one.
    """
    eps = check_range("eps", eps, 0, None, low_inclusive=False)
    minima = getattr(objective, "minima", ())
    summaries = {k: summarize(tr, minima, eps=eps) for k, tr in races.items()}
    rows = [_board_row(k, s, rates.get(k), eps) for k, s in summaries.items()]
    if not rows:
        return Leaderboard([], False, None, False, "No racer is in the race: pick at least one.")
    final = "final loss (median)"
    why = _unbounded_because(objective, races, floor, span)
    if why:
        deepest = min(rows, key=lambda row: row[final])
        verdict = (
            f"{why}, so there is no minimum to reach and no winner. A lower final loss only says "
            f"how far a racer slid: {deepest['racer']} slid furthest (median final loss "
            f"{deepest[final]:.3g})."
        )
        return Leaderboard(rows, False, None, True, verdict)
    diverged = {k: int(np.sum(s.diverged_at >= 0)) for k, s in summaries.items()}
    rows.sort(key=lambda row: (diverged[row["racer"]], row[final]))
    top = rows[0]
    if diverged[top["racer"]]:
        verdict = (
            "Every racer diverged on at least one start, so there is no winner: lower the "
            "learning rates of the racers that blew up."
        )
        return Leaderboard(rows, True, None, False, verdict)
    first = top[f"first step within {eps:g} of a minimum"]
    verdict = f"{top['racer']} ends lowest (median final loss {top[final]:.3g}"
    verdict += f", within {eps:g} of a minimum by step {first})." if first != "never" else ")."
    if len(minima) == 0:
        verdict += " This surface lists no known minimum, so lowest is all the ranking can say."
    return Leaderboard(rows, True, top["racer"], False, verdict)


@dataclass(frozen=True)
class RatePerStart:
    """A learning rate per start: ``rates[i]`` steps row ``i`` of ``x0`` (shape ``(n, d)``).

    Passed as ``lr`` it lets :func:`minimize` try several rates from one start
    in a single loop (``x0`` holds one copy of the start per rate), which is
    how :func:`fair_race` tunes. Called with a step it returns the rates as an
    array of shape ``(n, 1)``, which broadcasts against the ``(n, d)`` updates.

    Parameters
    ----------
    rates : tuple of float
        One non-negative rate per start.
    """

    rates: tuple[float, ...]

    def __post_init__(self) -> None:
        for i, rate in enumerate(self.rates):
            check_range(f"rates[{i}]", rate, 0, None)

    def __call__(self, step: Any) -> np.ndarray:
        return np.asarray(self.rates, dtype=float)[:, None]


class FairResult(NamedTuple):
    """A racer in fair-race mode.

    lr : the learning rate picked on the tuning start
    lr_grid : ndarray of the rates tried
    tune_losses : ndarray, final loss on the tuning start per rate (inf if diverged)
    median_final_loss : median over the evaluation starts
    median_first_within : median first step within eps (inf if most never arrive)
    diverged : number of evaluation starts that diverged
    """

    lr: float
    lr_grid: np.ndarray
    tune_losses: np.ndarray
    median_final_loss: float
    median_first_within: float
    diverged: int


def fair_race(
    objective: ObjectiveLike,
    optimizer: Optimizer,
    *,
    starts: Any,
    tune_start: Any,
    steps: int,
    lr_grid: Any,
    minima: Any = (),
    eps: float = 1e-2,
) -> FairResult:
    """Tune ``optimizer``'s lr on one start, then score it on other starts.

    The single-start race flatters whichever optimizer's default rate happens
    to suit that start; here every optimizer gets its best rate from
    ``lr_grid`` on ``tune_start`` (lowest final loss, diverged runs last), and
    is then judged by medians over ``starts`` it was not tuned on.

    Parameters
    ----------
    objective : object with ``f`` and ``grad``
    optimizer : optimizer dataclass
        Its other hyper-parameters are kept; only ``lr`` is replaced.
    starts : array_like of shape (n, 2)
    tune_start : array_like of shape (2,)
    steps : int
    lr_grid : array_like of shape (k,), positive
    minima : array_like of shape (m, 2)
    eps : float
    """
    grid = check_array("lr_grid", lr_grid, ndim=1)
    if np.any(grid <= 0):
        raise ValueError("lr_grid must hold positive learning rates")
    tune_start = check_array("tune_start", tune_start, ndim=1)
    # Every rate of the grid at once: one copy of the tuning start per rate,
    # each stepped with its own rate (the rules are elementwise, so this is
    # exactly len(grid) separate runs, in one loop over the steps).
    copies = np.tile(tune_start, (len(grid), 1))
    run = minimize(objective, replace(optimizer, lr=RatePerStart(tuple(grid))), copies, steps)
    tune_losses = np.where(run.diverged_at >= 0, np.inf, run.losses[-1])
    best = float(grid[np.argmin(tune_losses)])
    judged = minimize(objective, replace(optimizer, lr=best), starts, steps)
    summary = summarize(judged, minima, eps=eps)
    arrived = np.where(summary.first_within >= 0, summary.first_within, np.inf).astype(float)
    final = np.where(summary.diverged_at >= 0, np.inf, summary.final_loss)
    return FairResult(
        best,
        grid,
        tune_losses,
        float(np.median(final)),
        float(np.median(arrived)),
        int(np.sum(summary.diverged_at >= 0)),
    )


def race_table(trajectories: dict[str, Trajectory]) -> dict[str, np.ndarray]:
    """Trajectories as CSV columns: optimizer, start, step, x, y, loss, diverged.

    Parameters
    ----------
    trajectories : dict of name -> Trajectory with points of shape (steps + 1, n, 2)
    """
    columns: dict[str, list[np.ndarray]] = {
        k: [] for k in ("optimizer", "start", "step", "x", "y", "loss", "diverged")
    }
    for name, tr in trajectories.items():
        points = tr.points if tr.points.ndim == 3 else tr.points[:, None, :]
        losses = tr.losses if tr.losses.ndim == 2 else tr.losses[:, None]
        diverged = np.atleast_1d(tr.diverged_at)
        steps, n = losses.shape
        step = np.repeat(np.arange(steps), n)
        start = np.tile(np.arange(n), steps)
        columns["optimizer"].append(np.full(steps * n, name, dtype=object))
        columns["start"].append(start)
        columns["step"].append(step)
        columns["x"].append(points[..., 0].ravel())
        columns["y"].append(points[..., 1].ravel())
        columns["loss"].append(losses.ravel())
        columns["diverged"].append((diverged[start] >= 0) & (step >= diverged[start]))
    return {k: np.concatenate(v) if v else np.array([]) for k, v in columns.items()}
