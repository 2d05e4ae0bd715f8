"""The vectorised driver behind :func:`dlcore.optim.minimize`: every start stepped as one array.

:func:`run` steps an optimizer from many starts at once and keeps the raw
history, diverged values included; :func:`frozen` turns it into what a
:class:`dlcore.optim.Trajectory` holds (each diverged start frozen at its
last finite point). :func:`dlcore.race.race` reads the raw history to say why
a start diverged. This module knows optimizers only by their ``init`` and
``update`` methods, so it sits below :mod:`dlcore.optim`.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol

import numpy as np

from dlcore._validation import check_array, check_int, check_range

#: Diverged starts carry inf and NaN, and every ufunc that raises a
#: floating-point flag pays for it; parking them every this many steps keeps a
#: race with a few blown-up starts about as fast as a clean one.
CHECK_EVERY = 16


class ObjectiveLike(Protocol):
    """Anything with ``f(p)`` and ``grad(p)`` vectorised over ``p[..., d]``."""

    def f(self, p: np.ndarray) -> np.ndarray: ...

    def grad(self, p: np.ndarray) -> np.ndarray: ...


def point_text(p: Any) -> str:
    """A point as ``(x, y, ...)`` with three significant digits, for messages.

    Examples
    --------
    >>> point_text([0.5, 2e6])
    '(0.5, 2e+06)'
    """
    return "(" + ", ".join(f"{v:.3g}" for v in np.ravel(p)) + ")"


def check_starts(objective: ObjectiveLike, x0: Any, *, limit: float = 1e6) -> np.ndarray:
    """``x0`` as a float array, or ``ValueError`` saying which start is wrong and why.

    Parameters
    ----------
    objective : object with ``f``
    x0 : array_like of shape (d,) or (n, d)
        One start or many; each must be finite, have every coordinate in
        ``[-limit, limit]`` (beyond it a start would count as diverged before
        its first step), and be a point where ``f`` is finite.
    limit : float
        The divergence limit of :func:`dlcore.optim.minimize`.

    Examples
    --------
    >>> from dlcore.objectives import OBJECTIVES
    >>> check_starts(OBJECTIVES["Saddle"], [2e6, 0.0])
    Traceback (most recent call last):
    ...
    ValueError: x0 must have every coordinate in [-1e+06, 1e+06]; the start (2e+06, 0) is outside
    """
    x0 = check_array("x0", x0, ndim=(1, 2))
    flat = x0.reshape(-1, x0.shape[-1])
    beyond = np.flatnonzero(np.any(np.abs(flat) > limit, axis=-1))
    if beyond.size:
        raise ValueError(
            f"x0 must have every coordinate in [{-limit:g}, {limit:g}]; "
            f"the start {point_text(flat[beyond[0]])} is outside"
        )
    with np.errstate(all="ignore"):
        undefined = np.flatnonzero(~np.isfinite(np.asarray(objective.f(flat), dtype=float)))
    if undefined.size:
        raise ValueError(
            "x0 must be a point where the objective is finite, but f is NaN or inf at the start "
            + point_text(flat[undefined[0]])
        )
    return x0


class Run(NamedTuple):
    """The raw history of :func:`run`, before diverged starts are frozen.

    points : ndarray of shape (steps + 1, *x0.shape)
        As stepped: a diverged start's row at its first bad step holds the bad
        value; later rows are meaningless (the start was parked at x0).
    losses : ndarray of shape (steps + 1, *x0.shape[:-1])
        The objective at each of those points.
    first_bad : ndarray of int of shape x0.shape[:-1]
        Per start, the first step whose point is non-finite or beyond
        ``limit``, or whose loss is not finite; -1 if none.
    limit : float
        The divergence limit the run used.
    """

    points: np.ndarray
    losses: np.ndarray
    first_bad: np.ndarray
    limit: float


def run(
    objective: ObjectiveLike, optimizer: Any, x0: Any, steps: int, *, limit: float = 1e6
) -> Run:
    """Step ``optimizer`` on ``objective`` from every start in ``x0`` at once.

    Parameters as :func:`dlcore.optim.minimize`. All starts are stepped as
    one array, so the Python loop runs ``steps`` times whatever the number of
    starts. Every rule is elementwise, so a diverged start's NaNs stay in its
    own rows; every :data:`CHECK_EVERY` steps such starts are parked (held at
    x0 with zero updates) so they stop costing NaN arithmetic. After the loop
    one scan finds each start's first bad step.
    """
    steps = check_int("steps", steps, 0, 100_000)
    limit = check_range("limit", limit, 0, None, low_inclusive=False)
    x0 = check_starts(objective, x0, limit=limit)
    points = np.empty((steps + 1, *x0.shape))
    points[0] = x0
    p = points[0]
    state = optimizer.init(p)
    alive = None  # after a divergence: False for the starts parked at x0
    with np.errstate(all="ignore"):
        for t in range(steps):
            updates, state = optimizer.update(objective.grad(p), state, p)
            if alive is not None:
                updates = np.where(alive, updates, 0.0)
            # Written straight into the history: p is a view of row t + 1.
            p = np.add(p, updates, out=points[t + 1])
            if t % CHECK_EVERY == CHECK_EVERY - 1:
                p, state, alive = _park_diverged(p, state, x0, limit, alive)
        losses = np.asarray(objective.f(points), dtype=float)
    return Run(points, losses, _first_bad(points, losses, limit), limit)


def _park_diverged(p: np.ndarray, state: Any, x0: np.ndarray, limit: float, alive: Any):
    """Put starts that left ``|x| <= limit`` back at x0, zero their state and stop them.

    Their recorded history already holds the bad value (the parking works on
    a copy), so :func:`_first_bad` still finds the step they diverged at and
    :func:`frozen` discards everything after it.
    """
    bad = ~np.all(np.abs(p) <= limit, axis=-1)
    if not bad.any():
        return p, state, alive
    mask = bad[..., None]
    fields = (
        np.where(mask, 0.0, f) if isinstance(f, np.ndarray) and f.shape == p.shape else f
        for f in state
    )
    still = ~mask if alive is None else alive & ~mask
    return np.where(mask, x0, p), type(state)(*fields), still


def _first_bad(points: np.ndarray, losses: np.ndarray, limit: float) -> np.ndarray:
    """Per start, the first step whose point is non-finite or beyond ``limit``, or whose loss is not finite; -1 if none."""
    bad = ~np.isfinite(losses)
    # One coordinate at a time: np.all over a last axis of length 2 is ~10x slower.
    for k in range(points.shape[-1]):
        with np.errstate(invalid="ignore"):
            bad |= ~(np.abs(points[..., k]) <= limit)
    return np.where(bad.any(axis=0), bad.argmax(axis=0), -1)


def frozen(history: Run) -> tuple[np.ndarray, np.ndarray, Any]:
    """``(points, losses, diverged_at)`` of a :class:`dlcore.optim.Trajectory` from a raw run.

    Every point and loss from a start's first bad step on is replaced by its
    last good ones; ``diverged_at`` is an int for a single start (x0 of shape
    ``(d,)``), else an int array.
    """
    points, losses, first = history.points, history.losses, history.first_bad
    ever = first >= 0
    if ever.any():
        steps_axis = np.arange(points.shape[0]).reshape(-1, *([1] * (losses.ndim - 1)))
        frozen_rows = ever & (steps_axis >= first)
        last = np.maximum(first - 1, 0)
        if losses.ndim == 1:
            last_point, last_loss = points[last], losses[last]
        else:
            cols = np.arange(losses.shape[1])
            last_point, last_loss = points[last, cols], losses[last, cols]
        points = np.where(frozen_rows[..., None], last_point, points)
        losses = np.where(frozen_rows, last_loss, losses)
    diverged_at = int(first) if first.ndim == 0 else first.astype(int)
    return points, losses, diverged_at
