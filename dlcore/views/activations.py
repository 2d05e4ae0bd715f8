"""What the panels of the Activation functions lab show, one function per panel."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from dlcore import activations as act
from dlcore import depth as dp
from dlcore._validation import check_array, check_choice, check_int
from dlcore.initializers import INITIALIZERS

#: the largest x with a finite exp(x) in float64, about 709.78
EXP_OVERFLOW = float(np.log(np.finfo(np.float64).max))
#: each activation parameter by name, with the activation that owns it
PARAMS: dict[str, tuple[str, act.ActivationParam]] = {
    p.name: (spec.name, p) for spec in act.ACTIVATIONS.values() for p in spec.params
}
#: the classes of the softmax panel
SOFTMAX_LABELS = ("cat", "dog", "bird", "fish")


def bound_text(v: float) -> str:
    """An end of a range: 3 significant digits, or the signed infinity sign."""
    return "\u221e" if v == math.inf else "\u2212\u221e" if v == -math.inf else f"{v:.3g}"


SATURATES = {(1, 1): "both sides", (1, 0): "left", (0, 1): "right", (0, 0): "no"}


def properties_table(names: Sequence[str], **params: float) -> dict[str, list]:
    """The gallery's property table, one column per property, one row per activation."""
    rows = {n: act.properties(n, **params) for n in names}
    p = list(rows.values())
    return {
        "activation": list(rows),
        "range": [f"({bound_text(r.low)}, {bound_text(r.high)})" for r in p],
        "f(0)": [round(r.value_at_zero, 4) for r in p],
        "E[f(X)], X~N(0,1)": [round(r.mean_output, 4) for r in p],
        "zero-centred": [r.zero_centred for r in p],
        "saturates": [SATURATES[(r.saturates_left, r.saturates_right)] for r in p],
        "f\u2032(0)": [round(r.grad_at_zero, 4) for r in p],
        "max |f\u2032|": [round(r.max_grad, 4) for r in p],
        "monotonic": [r.monotonic for r in p],
    }


# ----------------------------------------------------------------- gallery
class Probe(NamedTuple):
    """One activation at the probe point: its formulas, parameters and values."""

    name: str
    values: str  #: the parameters as "a = 0.01", "" when it has none
    latex: str
    grad_latex: str
    fx: float
    gx: float


class GalleryView(NamedTuple):
    """The gallery: curves, each activation at the probe point, the property table.

    Attributes
    ----------
    curves : Curves
        Every chosen activation and its derivative on one grid.
    probes : tuple of Probe
    table : dict of str to list
        The property table (see :func:`properties_table`).
    csv : dict of str to ndarray
        ``x`` and every curve, for the download.
    """

    curves: act.Curves
    probes: tuple[Probe, ...]
    table: dict[str, list]
    csv: dict[str, np.ndarray]


def gallery_view(
    names: Sequence[str], x_range: tuple[float, float], x0: float, params: dict[str, float]
) -> GalleryView:
    """The chosen activations on ``x_range`` and at ``x0``, with ``params`` by keyword.

    Raises ValueError (naming ``x_range``) for an empty range.
    """
    c = act.curves(names, x_range, **params)
    probes = []
    for name in names:
        spec = act.ACTIVATIONS[name]
        kw = spec.kwargs(params)
        values = ", ".join(f"{p.symbol} = {kw[p.name]:g}" for p in spec.params)
        fx, gx = float(spec.fn(x0, **kw)), float(spec.grad(x0, **kw))
        probes.append(Probe(name, values, spec.latex, spec.grad_latex, fx, gx))
    csv = (
        {"x": c.x} | {f"{n} f": c.values[n] for n in names} | {f"{n} f'": c.grads[n] for n in names}
    )
    return GalleryView(c, tuple(probes), properties_table(names, **params), csv)


# ----------------------------------------------------------------- softmax
class SoftmaxView(NamedTuple):
    """The softmax panel: probabilities, temperature, stability and the Jacobian.

    Attributes
    ----------
    z, shifted : ndarray of shape (n,)
        The logits, and the logits plus ``shift``.
    temperature, shift : float
    s : ndarray of shape (n,)
        ``softmax(shifted / T)``.
    entropy, max_entropy : float
        ``H(s)`` in nats and its ceiling ``log n``.
    uniform : float
        ``1 / n``, every probability as ``T -> inf``.
    top : int
        ``argmax z``, where the probability goes as ``T -> 0``.
    sweep : TemperatureSweep
        ``softmax(z / T)`` over many temperatures.
    naive, stable, log_s : ndarray of shape (n,)
        ``exp(z)/sum exp(z)`` (NaN once it overflows), the stable softmax and
        log-softmax of ``shifted`` at T = 1.
    m : float
        ``max shifted``, what the stable formulas subtract.
    overflows : bool
        ``exp(m)`` overflows float64, so the naive formula fails.
    overflow_shift : float
        The shift above which the naive formula overflows.
    jacobian : ndarray of shape (n, n)
        ``d s_i / d z_j`` at temperature T.
    """

    z: np.ndarray
    shifted: np.ndarray
    temperature: float
    shift: float
    s: np.ndarray
    entropy: float
    max_entropy: float
    uniform: float
    top: int
    sweep: act.TemperatureSweep
    naive: np.ndarray
    stable: np.ndarray
    log_s: np.ndarray
    m: float
    overflows: bool
    overflow_shift: float
    jacobian: np.ndarray


def softmax_view(z: Sequence[float], temperature: float, shift: float) -> SoftmaxView:
    """Softmax of the logits ``z`` (shape (n,)) plus ``shift`` at ``temperature``."""
    z = check_array("z", z, ndim=1)
    shifted = z + float(shift)
    m = float(shifted.max())
    # The naive formula overflows on purpose here: that is the lesson, not a warning.
    with np.errstate(over="ignore", invalid="ignore"):
        naive = act.softmax_naive(shifted)
    return SoftmaxView(
        z=z,
        shifted=shifted,
        temperature=float(temperature),
        shift=float(shift),
        s=act.softmax(shifted, temperature=temperature),
        entropy=float(act.temperature_sweep(z, [temperature]).entropy[0]),
        max_entropy=math.log(z.size),
        uniform=1 / z.size,
        top=int(np.argmax(z)),
        sweep=act.temperature_sweep(z),
        naive=naive,
        stable=act.softmax(shifted),
        log_s=act.log_softmax(shifted),
        m=m,
        overflows=m > EXP_OVERFLOW,
        overflow_shift=EXP_OVERFLOW - float(z.max()),
        jacobian=act.softmax_jacobian(z, temperature=temperature),
    )


# ------------------------------------------------------------------- depth
class DepthView(NamedTuple):
    """The depth panel: one deep stack forward and back, judged.

    Attributes
    ----------
    result : DepthResult
    shrink : Shrinkage or None
        None after an overflow (the comparison needs a finite backward pass).
    verdict : GradientVerdict
    variance, fan_variance : float
        ``Var W_ij`` of the initialiser and ``n_in Var W_ij``.
    init_latex : str
    dead_units : bool
        A ReLU-like activation, whose units can switch off (a zero
        derivative on every example): dead units are worth a chart.
    metrics : dict of str to str
        First and top layer gradient norms, top layer spread and dead units.
    bound_power : int
        ``L - 1``, the layers between the first and the top in ``(max|f'|)^(L-1)``.
    """

    result: dp.DepthResult
    shrink: dp.Shrinkage | None
    verdict: dp.GradientVerdict
    variance: float
    fan_variance: float
    init_latex: str
    dead_units: bool
    metrics: dict[str, str]
    bound_power: int


def depth_view(
    activation: str,
    init: str,
    depth: int,
    width: int,
    std: float,
    seed: int,
    params: dict[str, float],
) -> DepthView:
    """:func:`dlcore.depth.depth_experiment` with 40 bins, its shrinkage and its verdict."""
    check_choice("init", init, INITIALIZERS)
    r = dp.depth_experiment(
        activation=activation,
        init=init,
        depth=depth,
        width=width,
        std=std,
        bins=40,
        rng=check_int("seed", seed, 0, None),
        **params,
    )
    spec = INITIALIZERS[init]
    var = spec.variance(width, width, **({"std": std} if init == "Normal" else {}))
    metrics = {
        "first": f"{r.grad_norm[0]:.3g}",
        "top": f"{r.grad_norm[-1]:.3g}",
        "std": f"{r.act_std[-1]:.3g}",
        "dead": f"{r.dead_fraction[-1]:.0%}",
    }
    return DepthView(
        result=r,
        shrink=None if r.diverged_at > 0 else dp.shrinkage(r),
        verdict=dp.gradient_verdict(r),
        variance=var,
        fan_variance=width * var,
        init_latex=spec.latex,
        dead_units=activation in ("ReLU", "Leaky ReLU"),
        metrics=metrics,
        bound_power=depth - 1,
    )


def compare_inits(
    activation: str, depth: int, width: int, std: float, seed: int, params: dict[str, float]
) -> dict[str, np.ndarray]:
    """The weight-gradient norm per layer (shape (depth,)) under every initialiser."""
    return {
        name: dp.depth_experiment(
            activation=activation,
            init=name,
            depth=depth,
            width=width,
            std=std,
            bins=40,
            rng=check_int("seed", seed, 0, None),
            **params,
        ).grad_norm
        for name in INITIALIZERS
    }
