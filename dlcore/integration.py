"""Integration the way a computer does it: Riemann sums, the trapezoid rule, Simpson's rule.

* :func:`integrate` - left, right and midpoint Riemann sums, the trapezoid rule
  and Simpson's rule (:data:`RULES`), with :func:`integrate_loop` as the
  readable reference and :func:`approximant` for drawing the shaded areas;
* :func:`convergence` and :func:`observed_order` - error against n, and the
  order of accuracy it shows;
* :func:`scan`, :func:`describe` and :func:`integrability` - where a formula
  misbehaves (undefined stretches, overflow, poles) and whether its integral
  over an interval exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from dlcore._validation import (
    check_array,
    check_choice,
    check_int,
    check_number,
)
from dlcore.differentiation import Fn, Scheme, call_quietly

# Rules on n equal intervals x_i = a + i dx, dx = (b - a) / n.
RULES: dict[str, Scheme] = {
    "left": Scheme(r"\sum_{i=0}^{n-1} f(x_i)\,\Delta x", 1),
    "right": Scheme(r"\sum_{i=1}^{n} f(x_i)\,\Delta x", 1),
    "midpoint": Scheme(r"\sum_{i=0}^{n-1} f\!\left(\tfrac{x_i + x_{i+1}}{2}\right)\Delta x", 2),
    "trapezoid": Scheme(r"\sum_{i=0}^{n-1} \tfrac{f(x_i) + f(x_{i+1})}{2}\,\Delta x", 2),
    "simpson": Scheme(
        r"\tfrac{\Delta x}{3}\sum_{i=0}^{n/2-1}\left(f(x_{2i}) + 4f(x_{2i+1}) + f(x_{2i+2})\right)",
        4,
    ),
}


# ----------------------------------------------------------------------------
# Integration


def _check_rule(a, b, n, rule) -> tuple[float, float, int]:
    check_choice("rule", rule, RULES)
    a, b = check_number("a", a), check_number("b", b)
    if not a < b:
        raise ValueError(f"a must be below b, got a={a:g}, b={b:g}")
    n = check_int("n", n, 1, 10**7)
    if rule == "simpson" and n % 2:
        raise ValueError(
            f"n must be even for Simpson's rule (it fits parabolas through pairs of intervals), got {n}"
        )
    return a, b, n


def integrate(f: Fn, a: float, b: float, *, n: int = 64, rule: str = "simpson") -> float:
    """Approximate the integral of ``f`` from ``a`` to ``b`` on ``n`` equal intervals.

    Parameters
    ----------
    f : callable
        ``f(x) -> ndarray``, elementwise.
    a, b : float
        Limits, a < b.
    n : int
        Number of intervals (even for Simpson).
    rule : {"left", "right", "midpoint", "trapezoid", "simpson"}
        Errors fall like 1/n, 1/n, 1/n^2, 1/n^2 and 1/n^4 for smooth f.

    Returns
    -------
    float
    """
    a, b, n = _check_rule(a, b, n, rule)
    dx = (b - a) / n
    if rule == "midpoint":
        return float(np.sum(call_quietly(f, a + dx * (np.arange(n) + 0.5))) * dx)
    y = call_quietly(f, np.linspace(a, b, n + 1))
    if rule == "left":
        return float(np.sum(y[:-1]) * dx)
    if rule == "right":
        return float(np.sum(y[1:]) * dx)
    if rule == "trapezoid":
        return float((np.sum(y) - 0.5 * (y[0] + y[-1])) * dx)
    # Simpson: weights 1, 4, 2, 4, ..., 2, 4, 1 times dx / 3
    return float((y[0] + y[-1] + 4 * np.sum(y[1:-1:2]) + 2 * np.sum(y[2:-1:2])) * dx / 3)


def integrate_loop(
    f: Callable[[float], float], a: float, b: float, *, n: int = 64, rule: str = "simpson"
) -> float:
    """The same rules as :func:`integrate`, one interval at a time (the readable reference)."""
    a, b, n = _check_rule(a, b, n, rule)
    dx = (b - a) / n
    total = 0.0
    if rule == "simpson":
        for i in range(0, n, 2):
            left, middle, right = a + i * dx, a + (i + 1) * dx, a + (i + 2) * dx
            total += (f(left) + 4 * f(middle) + f(right)) * dx / 3
        return float(total)
    for i in range(n):
        left, right = a + i * dx, a + (i + 1) * dx
        if rule == "left":
            total += f(left) * dx
        elif rule == "right":
            total += f(right) * dx
        elif rule == "midpoint":
            total += f((left + right) / 2) * dx
        else:
            total += (f(left) + f(right)) / 2 * dx
    return float(total)


class Approximant(NamedTuple):
    """The curve a rule really integrates, as a polyline to shade down to y = 0."""

    x: np.ndarray  # shape (m,)
    y: np.ndarray  # shape (m,)


def approximant(f: Fn, a: float, b: float, *, n: int, rule: str, samples: int = 12) -> Approximant:
    """What each rule puts in place of f: steps (Riemann sums), chords (trapezoid), parabolas (Simpson).

    Parameters
    ----------
    samples : int
        Points per parabola in Simpson's rule.

    Returns
    -------
    Approximant
        The integral of the polyline equals :func:`integrate` (exactly for the
        steps and chords; the parabolas are sampled).
    """
    a, b, n = _check_rule(a, b, n, rule)
    samples = check_int("samples", samples, 2, 1000)
    edges = np.linspace(a, b, n + 1)
    if rule in ("left", "right", "midpoint"):
        at = {"left": edges[:-1], "right": edges[1:], "midpoint": 0.5 * (edges[:-1] + edges[1:])}[
            rule
        ]
        heights = call_quietly(f, at)
        # each rectangle as its two top corners: (x_i, y_i), (x_i+1, y_i)
        return Approximant(np.repeat(edges, 2)[1:-1], np.repeat(heights, 2))
    y = call_quietly(f, edges)
    if rule == "trapezoid":
        return Approximant(edges, y)
    # Simpson: the parabola through each triple (x_2i, x_2i+1, x_2i+2), in Lagrange form
    t = np.linspace(0.0, 2.0, samples)  # position within a pair, in units of dx
    y0, y1, y2 = y[0:-1:2, None], y[1::2, None], y[2::2, None]
    parabolas = y0 * (t - 1) * (t - 2) / 2 - y1 * t * (t - 2) + y2 * t * (t - 1) / 2
    dx = (b - a) / n
    xs = edges[0:-1:2, None] + t * dx
    return Approximant(xs.ravel(), parabolas.ravel())


def convergence(f: Fn, a: float, b: float, exact: float, ns) -> dict[str, np.ndarray]:
    """|integrate(f, a, b, n, rule) - exact| for each n and rule.

    Parameters
    ----------
    exact : float
        The true integral (closed form, or a far more accurate estimate).
    ns : array_like of int, shape (m,)
        Interval counts; odd ones are rounded up to even for Simpson.

    Returns
    -------
    dict rule -> ndarray of shape (m,)
    """
    exact = check_number("exact", exact)
    ns = [check_int("ns", n, 1, 10**7) for n in np.atleast_1d(ns)]
    return {
        rule: np.array(
            [
                abs(
                    integrate(f, a, b, n=n + (n % 2 if rule == "simpson" else 0), rule=rule) - exact
                )
                for n in ns
            ]
        )
        for rule in RULES
    }


def reference_integral(f: Fn, a: float, b: float) -> float:
    """A far more accurate value to measure the rules against: Simpson on 2^16 intervals.

    For smooth f its error is near round-off; for a kink it is still about
    1e-10, well below the errors the convergence plot shows.
    """
    return integrate(f, a, b, n=2**16, rule="simpson")


def observed_order(ns, errors) -> float:
    """Slope p of error ~ C n^-p, fitted on log-log axes (errors at round-off level are left out)."""
    ns = check_array("ns", ns, ndim=1)
    errors = check_array("errors", errors, ndim=1, finite=False)
    keep = np.isfinite(errors) & (errors > 1e-13)
    if keep.sum() < 2:
        raise ValueError("errors must have at least two entries above round-off to fit an order")
    slope = np.polyfit(np.log(ns[keep]), np.log(errors[keep]), 1)[0]
    return float(-slope)


# ----------------------------------------------------------------------------
# Where a formula misbehaves: undefined stretches, overflow, poles

#: |f| above this counts as overflow: a sum of a few thousand such values
#: would leave float64's range (about 1.8e308).
OVERFLOW = 1e300
#: a singularity ``|f| ~ |x - s|^-p`` with p at or above this is not integrable
#: (p = 1 exactly for 1/x; estimates of a true pole land within 1e-3 of it)
POLE_ORDER = 0.98
#: below this estimated order a sharp peak is bounded, not a singularity
SINGULAR_ORDER = 0.2


class Singularity(NamedTuple):
    """A point where ``|f|`` grows without bound, ``|f(x)| ~ C |x - at|^-order``.

    Attributes
    ----------
    at : float
        Its position (located to about 1e-15 of the interval's length).
    order : float
        The estimated p; 1 for 1/x and tan at pi/2, 2 for 1/x^2, 0.5 for 1/sqrt|x|.
    integrable : bool
        ``order < POLE_ORDER``: the area near it is finite (p < 1).
    """

    at: float
    order: float
    integrable: bool


class Scan(NamedTuple):
    """Where a function of one variable is not a finite number on [lo, hi].

    Attributes
    ----------
    lo, hi : float
        The interval scanned.
    undefined : tuple of (start, end)
        Stretches where f is NaN (the log or square root of a negative number);
        ends located by bisection to about 1e-12 of the interval's length.
    overflow : tuple of (start, end)
        Stretches where |f| is infinite or above :data:`OVERFLOW`.
    singularities : tuple of Singularity
        Isolated points where |f| blows up (poles), with their order.
    """

    lo: float
    hi: float
    undefined: tuple[tuple[float, float], ...]
    overflow: tuple[tuple[float, float], ...]
    singularities: tuple[Singularity, ...]

    @property
    def clean(self) -> bool:
        """f is a finite number everywhere on [lo, hi], with no singularity."""
        return not (self.undefined or self.overflow or self.singularities)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) indices of each run of True in a 1-D boolean mask."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return [(int(i), int(j) - 1) for i, j in zip(edges[::2], edges[1::2])]


def _boundary(f: Fn, good: float, bad: float, is_bad: Callable[[np.ndarray], np.ndarray]) -> float:
    """Bisect between a point where f is fine and one where ``is_bad``; the bad side's end."""
    for _ in range(48):  # 2^-48 of a grid step: far below anything a message shows
        middle = 0.5 * (good + bad)
        if middle in (good, bad):
            break
        if is_bad(call_quietly(f, np.array([middle])))[0]:
            bad = middle
        else:
            good = middle
    return bad


def _stretches(f: Fn, x: np.ndarray, bad: np.ndarray, is_bad) -> list[tuple[float, float]]:
    out = []
    for i, j in _runs(bad):
        start = x[0] if i == 0 else _boundary(f, x[i - 1], x[i], is_bad)
        end = x[-1] if j == len(x) - 1 else _boundary(f, x[j + 1], x[j], is_bad)
        out.append((float(start), float(end)))
    return out


def _peak_candidates(a: np.ndarray, limit: int) -> np.ndarray:
    """Indices where |f| peaks far above the samples two steps away: a pole between samples.

    Near a pole of order p between x_i and x_i+1, |f(x_i)| is at least 3^p
    times |f| two samples away; at a smooth maximum the ratio is 1 + O(dx^2).
    The threshold 1.5 catches orders from about 0.4 up.
    """
    padded = np.concatenate([[np.nan, np.nan], a, [np.nan, np.nan]])
    centre = padded[2:-2]
    with np.errstate(all="ignore"):
        near = np.fmax(padded[1:-3], padded[3:-1])  # fmax: a missing neighbour is ignored
        far = np.fmax(padded[:-4], padded[4:])
        peak = (centre >= np.nan_to_num(near, nan=-1.0)) & (centre > 1.5 * np.nan_to_num(far))
    found = np.flatnonzero(peak & np.isfinite(centre))
    return found[np.argsort(-centre[found])][:limit]


def _locate(f: Fn, left: np.ndarray, right: np.ndarray, *, points: int = 33) -> np.ndarray:
    """Zoom in on the largest |f| within each bracket [left, right] (all brackets at once)."""
    left, right = left.astype(float), right.astype(float)
    t = np.linspace(0.0, 1.0, points)
    best = 0.5 * (left + right)
    for _ in range(14):  # each pass narrows the bracket 16-fold: 16^14 is about 7e16
        xs = left[:, None] + (right - left)[:, None] * t
        a = np.abs(call_quietly(f, xs))
        j = np.argmax(np.where(np.isnan(a), -1.0, a), axis=1)
        rows = np.arange(len(left))
        best = xs[rows, j]
        lo_j, hi_j = np.maximum(j - 1, 0), np.minimum(j + 1, points - 1)
        left, right = xs[rows, lo_j], xs[rows, hi_j]
    return best


def _order(f: Fn, s: float, lo: float, hi: float) -> float:
    """p in |f(s +- d)| ~ d^-p, fitted over d = 1e-4 .. 1e-10 of the interval (sides inside it)."""
    d = (hi - lo) * 10.0 ** -np.arange(4, 11)
    sides = np.stack([np.where(s - d >= lo, s - d, np.nan), np.where(s + d <= hi, s + d, np.nan)])
    with np.errstate(invalid="ignore"):
        v = np.abs(call_quietly(f, sides))
        v = np.nanmax(np.where(np.isfinite(sides), v, np.nan), axis=0) if v.size else v
    keep = np.isfinite(v) & (v > 0)
    if keep.sum() < 3:
        return 0.0
    return float(-np.polyfit(np.log(d[keep]), np.log(v[keep]), 1)[0])


def scan(f: Fn, lo: float, hi: float, *, n: int = 4097, limit: int = 32) -> Scan:
    """Find where ``f`` is undefined, overflows or has a pole on [lo, hi].

    The interval is sampled at ``n`` points. Runs of NaN (or of huge values)
    become stretches whose ends are found by bisection; isolated non-finite
    samples and sharp peaks between samples are zoomed in on, and the order p
    of ``|f| ~ |x - s|^-p`` is fitted over six decades of distance, so 1/x
    (p = 1, not integrable) is told from 1/sqrt|x| (p = 1/2, integrable) and
    from a bounded spike (p about 0).

    Parameters
    ----------
    f : callable
        ``f(x) -> ndarray``, elementwise.
    lo, hi : float
        The interval, lo < hi.
    n : int
        Samples; a pole closer than about (hi - lo) / n to another is missed.
    limit : int
        At most this many peaks are examined (the tallest).

    Returns
    -------
    Scan
    """
    lo, hi = check_number("lo", lo), check_number("hi", hi)
    if not lo < hi:
        raise ValueError(f"lo must be below hi, got lo={lo:g}, hi={hi:g}")
    n = check_int("n", n, 5, 10**6)
    limit = check_int("limit", limit, 0, 1000)
    x = np.linspace(lo, hi, n)
    y = np.broadcast_to(call_quietly(f, x), x.shape)
    nan = np.isnan(y)
    big = ~nan & ~(np.abs(y) <= OVERFLOW)
    points = []
    for mask in (nan, big):  # a lone bad sample is a point (1/x at 0), not a stretch
        for i, j in _runs(mask):
            if (
                i == j
                and (i == 0 or not (nan | big)[i - 1])
                and (j == n - 1 or not (nan | big)[j + 1])
            ):
                points.append(i)
                mask[i] = False
    for i, j in _runs(big):  # log(0) = -inf is the end of log's undefined stretch, not overflow
        if i == j and ((i > 0 and nan[i - 1]) or (j < n - 1 and nan[j + 1])):
            big[i] = False
    undefined = _stretches(f, x, nan, np.isnan)
    overflow = _stretches(f, x, big, lambda v: ~np.isnan(v) & ~(np.abs(v) <= OVERFLOW))
    a = np.where(nan | big, np.nan, np.abs(y))
    peaks = _peak_candidates(a, limit)
    at = list(x[points])
    if peaks.size:
        left, right = x[np.maximum(peaks - 1, 0)], x[np.minimum(peaks + 1, n - 1)]
        located = _locate(f, left, right)
        # a peak that zooms onto an end where f is finite points at a pole outside [lo, hi]
        inside = (located > lo) & (located < hi)
        at += list(located[inside])
    found: list[Singularity] = []
    for s in sorted(at):
        if found and abs(s - found[-1].at) <= 1e-9 * (hi - lo):
            continue  # two neighbouring peaks zoomed in on the same pole
        p = _order(f, float(s), lo, hi)
        if p >= SINGULAR_ORDER:
            found.append(Singularity(float(s), p, p < POLE_ORDER))
    return Scan(lo, hi, tuple(undefined), tuple(overflow), tuple(found))


def _at(value: float, lo: float, hi: float) -> str:
    """A position for a message, 3 significant digits; rounding noise next to 0 shown as 0."""
    return f"{0.0 if abs(value) <= 1e-9 * (hi - lo) else value:.3g}"


def where(stretch: tuple[float, float], lo: float, hi: float) -> str:
    """A stretch of [lo, hi] in words: ``x ≤ 0``, ``x ≥ 0.71``, ``-1 ≤ x ≤ 1``, ``x = 0``.

    Examples
    --------
    >>> where((-2.4, 0.0), -2.4, 1.8)
    'x ≤ 0'
    >>> where((0.5, 0.5), -1.0, 1.0)
    'x = 0.5'
    """
    start, end = (_at(v, lo, hi) for v in stretch)
    if start == end:
        return f"x = {start}"
    if stretch[0] <= lo and stretch[1] >= hi:
        return "every x"
    if stretch[0] <= lo:
        return f"x ≤ {end}"
    if stretch[1] >= hi:
        return f"x ≥ {start}"
    return f"{start} ≤ x ≤ {end}"


def describe(found: Scan, name: str = "f") -> tuple[str, ...]:
    """One clause per problem a :func:`scan` found: what goes wrong, and where.

    Examples
    --------
    >>> from dlcore.differentiation import univariate
    >>> describe(scan(univariate("log(x)"), -3.0, 3.0), "log(x)")
    ('log(x) is undefined for x ≤ 0',)
    """
    lo, hi = found.lo, found.hi
    out = [f"{name} is undefined for {where(s, lo, hi)}" for s in found.undefined]
    out += [
        f"{name} overflows float64 (|f| > 1e300) for {where(s, lo, hi)}" for s in found.overflow
    ]
    for s in found.singularities:
        kind = "an integrable singularity" if s.integrable else "a pole"
        out.append(
            f"{name} has {kind} at x = {_at(s.at, lo, hi)} "
            f"(|f| grows like |x − {_at(s.at, lo, hi)}|^−{s.order:.2g})"
        )
    return tuple(out)


class Integrability(NamedTuple):
    """Whether the integral of f over [a, b] is a number the rules can approach.

    Attributes
    ----------
    integrable : bool
    kind : str
        ``"finite"`` (f finite everywhere), ``"singular"`` (an integrable
        singularity: the integral exists, the rules converge slowly),
        ``"undefined"``, ``"overflow"`` or ``"diverges"`` (a pole of order >= 1).
    message : str
        For the last three: what is wrong, where, and what to change.
    note : str
        For ``"singular"``: why the errors fall slowly. Empty otherwise.
    scan : Scan
    """

    integrable: bool
    kind: str
    message: str
    note: str
    scan: Scan


def integrability(f: Fn, a: float, b: float, *, name: str = "f") -> Integrability:
    """Check that the integral of ``f`` over [a, b] exists before any rule is trusted.

    A rule's sum is always some number, even over a pole: on [-2.4, 1.8]
    Simpson's rule on 65536 intervals gives -9.22 for 1/x, whose integral
    diverges. This scans [a, b] (see :func:`scan`) and refuses stretches
    where f is undefined or overflows and poles of order p >= 1 (the area
    near ``|x - s|^-p`` is infinite exactly then).

    Parameters
    ----------
    f : callable
    a, b : float
        a < b.
    name : str
        How f is called in the messages (the formula's text, say).
    """
    found = scan(f, a, b)
    interval = f"[{a:.3g}, {b:.3g}]"
    clauses = describe(found, name)
    if found.undefined:
        text = "; ".join(clauses[: len(found.undefined)])
        message = f"{text}, which lies in {interval}: narrow the interval to where it is defined."
        return Integrability(False, "undefined", message, "", found)
    if found.overflow:
        text = "; ".join(clauses[: len(found.overflow)])
        message = f"{text}, which lies in {interval}: narrow the interval."
        return Integrability(False, "overflow", message, "", found)
    poles = [s for s in found.singularities if not s.integrable]
    if poles:
        at = " and ".join(f"x = {_at(s.at, a, b)}" for s in poles)
        order = max(s.order for s in poles)
        message = (
            f"The integral of {name} over {interval} diverges: near {at}, |f| grows like "
            f"1/|x − s|^{order:.2g}, a pole of order at least 1, so the area there is infinite. "
            f"Any rule's sum here is meaningless: choose an interval that avoids {at}."
        )
        return Integrability(False, "diverges", message, "", found)
    if found.singularities:
        at = " and ".join(f"x = {_at(s.at, a, b)}" for s in found.singularities)
        order = max(s.order for s in found.singularities)
        note = (
            f"{name} has an integrable singularity at {at} (|f| grows like 1/|x − s|^{order:.2g}, "
            "an order below 1): the integral exists, but every rule converges slowly and the "
            "reference value is itself only approximate."
        )
        return Integrability(True, "singular", "", note, found)
    return Integrability(True, "finite", "", "", found)
