"""Activation functions, their derivatives, and softmax.

Values and derivatives follow ``torch.nn.functional`` so a student can check
any number here against PyTorch:

* ``gelu`` is the exact (erf) form, not the tanh approximation;
* at a kink the derivative takes PyTorch's one-sided value: ``relu_grad(0) = 0``,
  ``leaky_relu_grad(0) = negative_slope``, ``elu_grad(0) = alpha``;
* ``leaky_relu`` defaults to slope 0.01, ``elu`` to alpha 1, ``softplus`` to
  beta 1 with PyTorch's linear regime above ``threshold``.

Every function is elementwise on an array of any shape (a scalar gives a
0-d result), keeps float32 as float32, converts anything else to float64, and
never overflows: sigmoid, softplus, softmax and log-softmax are all written so
that |x| = 1000 gives the right answer without a RuntimeWarning.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy import special

from dlcore._validation import check_array, check_int, check_number, check_positive

_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)  # a Python float, so float32 stays float32


def _as_float(x) -> np.ndarray:
    """``x`` as a floating array (float32 kept), without copying when possible.

    Non-finite values are allowed on purpose: an activation is elementwise and
    passes NaN through, as PyTorch does.
    """
    return check_array("x", x, dtype=None, finite=False, min_size=0)


# ---------------------------------------------------------------------------
# Piecewise-linear family


def relu(x) -> np.ndarray:
    r"""Rectified linear unit, :math:`\max(0, x)`.

    Parameters
    ----------
    x : array_like of any shape

    Returns
    -------
    ndarray of the shape of ``x``
    """
    x = _as_float(x)
    return np.maximum(x, 0, dtype=x.dtype)


def relu_grad(x) -> np.ndarray:
    """Derivative of :func:`relu`; 0 at the kink x = 0 (PyTorch's choice)."""
    x = _as_float(x)
    # "not x <= 0" rather than "x > 0": PyTorch's test, which also passes a NaN input's gradient through.
    return np.logical_not(x <= 0).astype(x.dtype)


def leaky_relu(x, *, negative_slope: float = 0.01) -> np.ndarray:
    r"""Leaky ReLU: :math:`x` for :math:`x > 0`, else :math:`a x` with ``a = negative_slope``."""
    x = _as_float(x)
    a = check_number("negative_slope", negative_slope)
    if 0 <= a <= 1:
        # max(x, a x) is the same function for such slopes, without a mask.
        return np.maximum(x, a * x)
    return np.where(x > 0, x, a * x).astype(x.dtype, copy=False)


def leaky_relu_grad(x, *, negative_slope: float = 0.01) -> np.ndarray:
    """Derivative of :func:`leaky_relu`; ``negative_slope`` at x = 0 (PyTorch's choice)."""
    x = _as_float(x)
    a = check_number("negative_slope", negative_slope)
    one = x.dtype.type(1)
    return np.where(x > 0, one, x.dtype.type(a))  # scalars of x's dtype: no float64 detour


def elu(x, *, alpha: float = 1.0) -> np.ndarray:
    r"""Exponential linear unit: :math:`x` for :math:`x > 0`, else :math:`\alpha(e^x - 1)`."""
    x = _as_float(x)
    alpha = check_number("alpha", alpha)
    # expm1 of min(x, 0): exact near 0 and never exp of a large positive number.
    # Built in one buffer: a fresh 8 MB array costs more here than the arithmetic.
    out = np.minimum(x, 0, out=np.empty_like(x))
    np.expm1(out, out=out)
    out *= alpha
    np.copyto(out, x, where=x > 0)
    return out


def elu_grad(x, *, alpha: float = 1.0) -> np.ndarray:
    r"""Derivative of :func:`elu`: 1 for :math:`x > 0`, else :math:`\alpha e^x` (so ``alpha`` at 0)."""
    x = _as_float(x)
    alpha = check_number("alpha", alpha)
    out = np.minimum(x, 0, out=np.empty_like(x))
    np.exp(out, out=out)
    out *= alpha
    np.copyto(out, 1, where=np.logical_not(x <= 0))  # PyTorch's test, so NaN gets 1 as there
    return out


def identity(x) -> np.ndarray:
    """The identity, ``x`` itself (a copy, so callers may write to it)."""
    return _as_float(x).copy()


def identity_grad(x) -> np.ndarray:
    """Derivative of :func:`identity`: ones."""
    return np.ones_like(_as_float(x))


# ---------------------------------------------------------------------------
# Smooth family


def sigmoid(x) -> np.ndarray:
    r"""Logistic sigmoid :math:`\sigma(x) = 1 / (1 + e^{-x})`.

    ``scipy.special.expit`` evaluates :math:`e^{-|x|}` only, so it never
    overflows: ``sigmoid(-1000) == 0`` and ``sigmoid(1000) == 1`` silently.
    """
    return special.expit(_as_float(x))


def sigmoid_grad(x) -> np.ndarray:
    r"""Derivative :math:`\sigma(x)(1 - \sigma(x))`, at most 1/4 (at x = 0)."""
    s = sigmoid(x)
    out = np.subtract(1, s, out=np.empty_like(s))  # 1 - s
    out *= s
    return out


def tanh(x) -> np.ndarray:
    """Hyperbolic tangent (NumPy's ``tanh`` saturates to +-1 without overflow)."""
    return np.tanh(_as_float(x))


def tanh_grad(x) -> np.ndarray:
    r"""Derivative :math:`1 - \tanh^2 x`, at most 1 (at x = 0)."""
    t = np.asarray(tanh(x))
    np.square(t, out=t)  # t is our own fresh array: reuse it for 1 - t^2
    return np.subtract(1, t, out=t)


def softplus(x, *, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    r"""Softplus :math:`\frac{1}{\beta}\log(1 + e^{\beta x})`, a smooth ReLU.

    As in PyTorch, it returns ``x`` itself where ``beta * x > threshold``
    (the difference is below :math:`e^{-20} \approx 2\cdot10^{-9}`).
    Elsewhere it uses :math:`\max(u, 0) + \log(1 + e^{-|u|})` with
    :math:`u = \beta x`, which never exponentiates a positive number.
    """
    x = _as_float(x)
    beta = check_positive("beta", beta)
    threshold = check_number("threshold", threshold)
    u = np.multiply(x, beta, out=np.empty_like(x))
    out = np.abs(u, out=np.empty_like(x))
    np.negative(out, out=out)
    np.exp(out, out=out)
    np.log1p(out, out=out)  # log(1 + e^{-|u|})
    out += np.maximum(u, 0, out=u)
    out /= beta
    np.copyto(out, x, where=x * beta > threshold)
    return out


def softplus_grad(x, *, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    r"""Derivative of :func:`softplus`: :math:`\sigma(\beta x)`, and 1 in the linear regime."""
    x = _as_float(x)
    beta = check_positive("beta", beta)
    threshold = check_number("threshold", threshold)
    u = np.multiply(x, beta, out=np.empty_like(x))
    linear = u > threshold
    out = special.expit(u, out=u)
    np.copyto(out, 1, where=linear)
    return out


def gelu(x) -> np.ndarray:
    r"""Gaussian error linear unit, exact form :math:`x\,\Phi(x)`.

    :math:`\Phi(x) = \frac{1}{2}(1 + \operatorname{erf}(x/\sqrt 2))` is the
    standard normal CDF (PyTorch's ``approximate="none"``). We evaluate
    :math:`\Phi` with ``scipy.special.ndtr``, which equals the erf form but
    keeps its relative accuracy far into the left tail, where
    :math:`1 + \operatorname{erf}` cancels to 0.
    """
    x = _as_float(x)
    return x * special.ndtr(x)


def gelu_grad(x) -> np.ndarray:
    r"""Derivative :math:`\Phi(x) + x\,\varphi(x)` with :math:`\varphi` the normal density."""
    x = _as_float(x)
    phi = np.square(x, out=np.empty_like(x))
    phi *= -0.5
    # exp(-x^2/2) underflows quietly to 0 for large |x|, which is the right limit.
    np.exp(phi, out=phi)
    phi *= _INV_SQRT_2PI  # the normal density
    phi *= x
    out = special.ndtr(x, out=np.empty_like(x))
    out += phi  # Phi(x) + x phi(x)
    return out


def silu(x) -> np.ndarray:
    r"""Sigmoid linear unit (Swish with beta 1), :math:`x\,\sigma(x)`."""
    x = _as_float(x)
    return x * special.expit(x)


def silu_grad(x) -> np.ndarray:
    r"""Derivative :math:`\sigma(x)\,(1 + x(1 - \sigma(x)))`."""
    x = _as_float(x)
    s = special.expit(x, out=np.empty_like(x))
    out = np.subtract(1, s, out=np.empty_like(x))
    out *= x
    out += 1
    out *= s  # s (1 + x (1 - s))
    return out


# ---------------------------------------------------------------------------
# Softmax


def softmax(z, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    r"""Softmax along ``axis``: :math:`s_i = e^{z_i/T} / \sum_j e^{z_j/T}`.

    Subtracting :math:`\max_j z_j / T` first changes nothing mathematically
    (softmax is shift invariant) but keeps every exponent :math:`\le 0`, so
    nothing overflows and the largest term is exactly 1.

    Parameters
    ----------
    z : array_like of shape (..., n, ...)
        Logits; ``n`` is the length of ``axis``.
    axis : int
    temperature : float > 0
        T -> 0 tends to the one-hot argmax, T -> infinity to uniform 1/n.

    Returns
    -------
    ndarray of the shape of ``z``, non-negative, summing to 1 along ``axis``
    """
    z = check_array("z", z, dtype=None, min_size=1)
    temperature = check_positive("temperature", temperature)
    u = z / temperature
    e = np.exp(u - np.max(u, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z, axis: int = -1) -> np.ndarray:
    r"""Log of :func:`softmax`: :math:`z_i - m - \log\sum_j e^{z_j - m}` with :math:`m = \max_j z_j`.

    Taking the log of a computed softmax would give ``-inf`` wherever a
    probability underflows to 0; this form stays finite and exact.

    Parameters
    ----------
    z : array_like of shape (..., n, ...)
    axis : int

    Returns
    -------
    ndarray of the shape of ``z``
    """
    z = check_array("z", z, dtype=None, min_size=1)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax_naive(z) -> np.ndarray:
    """Softmax as first written, ``exp(z) / sum(exp(z))`` over a 1-D vector: do NOT use.

    Kept to show why :func:`softmax` subtracts the max: ``exp(1000)`` is
    ``inf`` in float64 (the largest finite exponent is about 709.78), and
    ``inf / inf`` is NaN. The overflow is silenced here so the lesson is the
    returned NaN, not a warning.
    """
    z = check_array("z", z, ndim=1)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        return e / e.sum()


def softmax_loop(z) -> np.ndarray:
    """Readable reference for :func:`softmax` on a 1-D vector, one term at a time."""
    z = check_array("z", z, ndim=1)
    m = max(z)
    exps = [float(np.exp(zi - m)) for zi in z]
    total = sum(exps)
    return np.array([e / total for e in exps])


def softmax_jacobian(z, *, temperature: float = 1.0) -> np.ndarray:
    r"""Jacobian of :func:`softmax`: :math:`\partial s_i / \partial z_j = s_i(\delta_{ij} - s_j)`.

    In matrix form :math:`J = \operatorname{diag}(s) - s s^\top`: symmetric,
    rows summing to 0 (adding a constant to every logit changes nothing),
    and positive semi-definite. With a temperature the chain rule through
    :math:`z/T` divides it by :math:`T`.

    Parameters
    ----------
    z : array_like of shape (..., n)
        Logits along the last axis; leading axes are a batch.
    temperature : float > 0

    Returns
    -------
    ndarray of shape (..., n, n)
    """
    s = softmax(z, axis=-1, temperature=temperature)
    diag = s[..., :, None] * np.eye(s.shape[-1], dtype=s.dtype)
    return (diag - s[..., :, None] * s[..., None, :]) / temperature


class TemperatureSweep(NamedTuple):
    """Softmax of one logit vector at many temperatures."""

    temperatures: np.ndarray  #: (m,)
    probabilities: np.ndarray  #: (m, n)
    entropy: np.ndarray  #: (m,) in nats, between 0 and log n


def temperature_sweep(z, temperatures=None) -> TemperatureSweep:
    r"""Softmax probabilities and their entropy :math:`H = -\sum_i s_i \log s_i` for each temperature.

    Parameters
    ----------
    z : array_like of shape (n,)
    temperatures : array_like of shape (m,), all > 0, optional
        Defaults to 161 points spaced evenly in log scale over [0.01, 100].

    Returns
    -------
    TemperatureSweep
    """
    z = check_array("z", z, ndim=1)
    t = (
        np.logspace(-2, 2, 161)
        if temperatures is None
        else check_array("temperatures", temperatures, ndim=1)
    )
    if np.any(t <= 0):
        raise ValueError(f"temperatures must all be > 0, got min {t.min():g}")
    logits = z[None, :] / t[:, None]
    logp = log_softmax(logits, axis=-1)
    p = np.exp(logp)
    # p * log p with log p from log_softmax: 0 * (finite) where p underflows, never 0 * -inf.
    return TemperatureSweep(t, p, -np.sum(p * logp, axis=-1))


# ---------------------------------------------------------------------------
# Registry


@dataclass(frozen=True)
class ActivationParam:
    """A hyper-parameter of an activation, with the range the lab offers."""

    name: str  #: keyword of fn and grad
    symbol: str  #: LaTeX symbol used in ``latex``
    default: float
    low: float
    high: float
    step: float


@dataclass(frozen=True)
class Activation:
    """One entry of :data:`ACTIVATIONS`.

    ``fn`` and ``grad`` take ``x`` and the keyword parameters listed in
    ``params``; ``latex`` and ``grad_latex`` write the parameters by their
    ``symbol``.
    """

    name: str
    fn: Callable[..., np.ndarray]
    grad: Callable[..., np.ndarray]
    latex: str
    grad_latex: str
    params: tuple[ActivationParam, ...] = ()

    def defaults(self) -> dict[str, float]:
        return {p.name: p.default for p in self.params}

    def kwargs(self, params: dict[str, float]) -> dict[str, float]:
        """The keywords this activation takes, from ``params`` or the defaults; other keys are ignored."""
        return {p.name: params.get(p.name, p.default) for p in self.params}


_SLOPE = ActivationParam("negative_slope", r"a", 0.01, 0.0, 0.5, 0.01)
_ALPHA = ActivationParam("alpha", r"\alpha", 1.0, 0.1, 3.0, 0.1)

ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation(
            "ReLU",
            relu,
            relu_grad,
            r"f(x) = \max(0,\, x)",
            r"f'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}",
        ),
        Activation(
            "Leaky ReLU",
            leaky_relu,
            leaky_relu_grad,
            r"f(x) = \begin{cases} x & x > 0 \\ a\,x & x \le 0 \end{cases}",
            r"f'(x) = \begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}",
            (_SLOPE,),
        ),
        Activation(
            "ELU",
            elu,
            elu_grad,
            r"f(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}",
            r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha\, e^{x} & x \le 0 \end{cases}",
            (_ALPHA,),
        ),
        Activation(
            "GELU",
            gelu,
            gelu_grad,
            r"f(x) = x\,\Phi(x) = \tfrac{x}{2}\left(1 + \operatorname{erf}\tfrac{x}{\sqrt 2}\right)",
            r"f'(x) = \Phi(x) + x\,\varphi(x), \quad \varphi(x) = \tfrac{1}{\sqrt{2\pi}} e^{-x^2/2}",
        ),
        Activation(
            "SiLU",
            silu,
            silu_grad,
            r"f(x) = x\,\sigma(x) = \frac{x}{1 + e^{-x}}",
            r"f'(x) = \sigma(x)\,\bigl(1 + x\,(1 - \sigma(x))\bigr)",
        ),
        Activation(
            "Sigmoid",
            sigmoid,
            sigmoid_grad,
            r"f(x) = \sigma(x) = \frac{1}{1 + e^{-x}}",
            r"f'(x) = \sigma(x)\,(1 - \sigma(x)) \le \tfrac14",
        ),
        Activation(
            "Tanh",
            tanh,
            tanh_grad,
            r"f(x) = \tanh x = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
            r"f'(x) = 1 - \tanh^2 x \le 1",
        ),
        Activation(
            "Softplus",
            softplus,
            softplus_grad,
            r"f(x) = \log\left(1 + e^{x}\right)",
            r"f'(x) = \sigma(x) = \frac{1}{1 + e^{-x}}",
        ),
        Activation("Identity", identity, identity_grad, r"f(x) = x", r"f'(x) = 1"),
    )
}


def _spec(name: str) -> Activation:
    if name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}, got {name!r}")
    return ACTIVATIONS[name]


# ---------------------------------------------------------------------------
# Properties, computed rather than typed


class Properties(NamedTuple):
    """What an activation does, measured numerically on a wide grid."""

    low: float  #: infimum of f (-inf if unbounded below)
    high: float  #: supremum of f (inf if unbounded above)
    value_at_zero: float  #: f(0)
    mean_output: float  #: E[f(X)] for X ~ N(0, 1)
    zero_centred: bool  #: E[f(X)] = 0 for X ~ N(0, 1)
    saturates_left: bool  #: f'(x) -> 0 as x -> -inf
    saturates_right: bool  #: f'(x) -> 0 as x -> +inf
    grad_at_zero: float  #: f'(0), the convention at a kink
    max_grad: float  #: sup of |f'|, the most one layer's derivative can amplify a gradient
    monotonic: bool  #: f' >= 0 everywhere


def properties(name: str, **params: float) -> Properties:
    """Measure the properties of ``ACTIVATIONS[name]`` with the given parameters.

    The grid is [-20, 20] in steps of 0.001 (fine enough for the extrema of
    GELU and SiLU to 6 digits), plus probes at +-1e4 and +-1e6 to decide boundedness
    and at +-1e3 to decide saturation.

    Parameters
    ----------
    name : str
        A key of :data:`ACTIVATIONS`.
    **params : float
        Parameters by keyword (defaults otherwise); ones the activation
        does not take are ignored, so one dict can serve every activation.

    Returns
    -------
    Properties
    """
    spec = _spec(name)
    kw = spec.kwargs(params)
    grid = np.linspace(-20.0, 20.0, 40001)
    f, g = spec.fn(grid, **kw), spec.grad(grid, **kw)
    # Unbounded on a side if f still moves between 1e4 and 1e6 (a leaky slope
    # of 0.01 only reaches -1e4 there, but it is still going).
    far_f = spec.fn(np.array([-1e6, -1e4, 1e4, 1e6]), **kw)
    far_g = spec.grad(np.array([-1e3, 1e3]), **kw)
    low = -np.inf if far_f[0] < far_f[1] - 1e-9 else float(min(f.min(), far_f[0])) + 0.0  # no -0.0
    high = np.inf if far_f[3] > far_f[2] + 1e-9 else float(max(f.max(), far_f[3]))
    # E[f(X)] by the trapezoid rule against the normal density on [-12, 12] (error about 1e-7).
    xs = np.linspace(-12.0, 12.0, 24001)
    weights = _INV_SQRT_2PI * np.exp(-0.5 * xs * xs)
    mean = float(np.trapezoid(spec.fn(xs, **kw) * weights, xs))
    zero = np.zeros(1)
    return Properties(
        low=low,
        high=high,
        value_at_zero=float(spec.fn(zero, **kw)[0]),
        mean_output=mean,
        zero_centred=abs(mean) < 1e-6,
        saturates_left=abs(float(far_g[0])) < 1e-6,
        saturates_right=abs(float(far_g[1])) < 1e-6,
        grad_at_zero=float(spec.grad(zero, **kw)[0]),
        max_grad=float(np.abs(g).max()),
        monotonic=bool(g.min() >= -1e-12),
    )


class Curves(NamedTuple):
    """Several activations and their derivatives on one grid."""

    x: np.ndarray  #: (n,)
    values: dict[str, np.ndarray]  #: name -> f(x), each (n,)
    grads: dict[str, np.ndarray]  #: name -> f'(x), each (n,)


def curves(names, x_range: tuple[float, float], *, n: int = 401, **params: float) -> Curves:
    """Values and derivatives of several activations on a common grid.

    Parameters
    ----------
    names : iterable of str
        Keys of :data:`ACTIVATIONS`.
    x_range : (low, high) with low < high
    n : int
        Grid points, 2 to 100000.
    **params : float
        Parameters by keyword; each activation takes the ones it has.

    Returns
    -------
    Curves
    """
    lo = check_number("x_range[0]", x_range[0])
    hi = check_number("x_range[1]", x_range[1])
    if not lo < hi:
        raise ValueError(f"x_range must have low < high, got ({lo:g}, {hi:g})")
    n = check_int("n", n, 2, 100_000)
    x = np.linspace(lo, hi, n)
    values, grads = {}, {}
    for name in names:
        spec = _spec(name)
        kw = spec.kwargs(params)
        values[name], grads[name] = spec.fn(x, **kw), spec.grad(x, **kw)
    return Curves(x, values, grads)
