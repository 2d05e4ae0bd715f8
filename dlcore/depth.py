r"""Vanishing and exploding gradients: one forward and one backward pass through a deep stack.

The network is ``L`` fully connected layers of equal width, no biases,

.. math:: z_l = h_{l-1} W_l, \qquad h_l = f(z_l), \qquad l = 1..L,

fed a batch :math:`h_0 \sim \mathcal N(0, 1)`. The backward pass starts from a
random upstream gradient :math:`\partial \mathcal L / \partial h_L = R` with
:math:`R \sim \mathcal N(0, 1)` (the loss :math:`\mathcal L = \sum h_L \odot R`),
so what we see is the network, not a particular loss. Backpropagation is

.. math:: \delta_l = \frac{\partial \mathcal L}{\partial z_l} = g_l \odot f'(z_l),
          \qquad g_{l-1} = \delta_l W_l^\top, \qquad
          \frac{\partial \mathcal L}{\partial W_l} = h_{l-1}^\top \delta_l,

with :math:`g_l = \partial \mathcal L / \partial h_l`. Each step back multiplies the
gradient's norm by a *derivative factor* :math:`\|\delta_l\| / \|g_l\| \le \max|f'|`
(1/4 for the sigmoid) and a *weight factor* :math:`\|g_{l-1}\| / \|\delta_l\|`
(about :math:`\sqrt{n_{in} \operatorname{Var} W}`: 1 under Glorot, :math:`\sqrt 2` under He, which
makes up for ReLU's derivative factor of about :math:`1/\sqrt 2`), which is why the gradient of a deep
sigmoid network shrinks at least like :math:`(1/4)^L` times the weight factors.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlcore import activations, initializers
from dlcore._validation import as_rng, check_choice, check_int, check_positive


class DepthResult(NamedTuple):
    """Per-layer statistics of one forward and backward pass; index ``l - 1`` is layer ``l``.

    After the pass diverges (a non-finite number appears) the remaining
    entries are NaN, never garbage.
    """

    act_mean: np.ndarray  #: (L,) mean of h_l over batch and units
    act_std: np.ndarray  #: (L,) standard deviation of h_l
    hist: (
        np.ndarray
    )  #: (L, bins) fraction of h_l's values in each bin (values outside the edges not counted)
    edges: np.ndarray  #: (bins + 1,) common bin edges for every layer
    grad_norm: np.ndarray  #: (L,) Frobenius norm of dL/dW_l
    delta_norm: np.ndarray  #: (L,) Frobenius norm of delta_l = dL/dz_l
    deriv_factor: np.ndarray  #: (L,) ||delta_l|| / ||g_l||, at most max|f'|
    weight_factor: np.ndarray  #: (L,) ||g_{l-1}|| / ||delta_l||
    dead_fraction: np.ndarray  #: (L,) fraction of units with f'(z) = 0 on every example
    max_grad: float  #: sup |f'| of the activation (1/4 for the sigmoid)
    diverged_at: int  #: first layer (1-based) with a non-finite value, -1 if none
    #: ||h_0^T R||, the weight-gradient norm of one layer that passes its signal unchanged
    #: (identity weights and activation): the size a healthy layer's gradient has
    unit_grad_norm: float


def _norm(a: np.ndarray) -> float:
    """Frobenius norm that cannot overflow in the squares (values up to 1e300 are fine)."""
    m = float(np.max(np.abs(a))) if a.size else 0.0
    if m == 0.0 or not np.isfinite(m):
        return m
    return m * float(np.sqrt(np.sum(np.square(a / m))))


def _histograms(hs: list[np.ndarray], bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Histograms of every layer on common edges spanning the 0.5-99.5 % range of all values."""
    # About 20 000 values in all are plenty for two quantiles.
    step = max(1, sum(h.size for h in hs) // 20_000)
    sample = np.concatenate([h.ravel()[::step] for h in hs])
    sample = sample[np.isfinite(sample)]
    lo, hi = np.quantile(sample, [0.005, 0.995]) if sample.size else (0.0, 1.0)
    if not hi > lo:
        lo, hi = lo - 0.5, hi + 0.5
    edges = np.linspace(lo, hi, bins + 1)
    hist = np.full((len(hs), bins), np.nan)
    for layer, h in enumerate(hs):
        if np.all(np.isfinite(h)):
            # One pass instead of np.histogram's search: the edges are uniform.
            idx = np.floor((h.ravel() - lo) * (bins / (hi - lo))).astype(np.int64)
            idx[h.ravel() == hi] = bins - 1  # the last bin is closed, as in np.histogram
            inside = idx[(idx >= 0) & (idx < bins)]
            hist[layer] = np.bincount(inside, minlength=bins) / h.size
    return hist, edges


def depth_experiment(
    *,
    activation: str = "Tanh",
    init: str = "Xavier normal",
    depth: int = 20,
    width: int = 128,
    batch: int = 128,
    std: float = 1.0,
    bins: int = 60,
    rng=None,
    **activation_params: float,
) -> DepthResult:
    """Push a random batch forward through ``depth`` layers and a random gradient back.

    Parameters
    ----------
    activation : str
        A key of :data:`dlcore.activations.ACTIVATIONS`.
    init : str
        A key of :data:`dlcore.initializers.INITIALIZERS`.
    depth : int, 1 to 100
    width : int, 1 to 1024
        Units per layer (and input features).
    batch : int, 1 to 4096
        Examples pushed through together.
    std : float > 0
        Standard deviation of the weights for the ``"Normal"`` initialiser
        (ignored by the others).
    bins : int, 5 to 400
        Histogram bins.
    rng : numpy.random.Generator, int or None
        Draws, in this order, the weights of layers 1..L (each with the
        initialiser), the batch ``h_0`` and the upstream gradient ``R``, both
        of shape (batch, width) from ``standard_normal``.
    **activation_params : float
        The activation's parameters (``negative_slope``, ``alpha``); ones it
        does not take are ignored.

    Returns
    -------
    DepthResult
    """
    check_choice("activation", activation, activations.ACTIVATIONS)
    check_choice("init", init, initializers.INITIALIZERS)
    depth = check_int("depth", depth, 1, 100)
    width = check_int("width", width, 1, 1024)
    batch = check_int("batch", batch, 1, 4096)
    std = check_positive("std", std)
    bins = check_int("bins", bins, 5, 400)
    rng = as_rng(rng)
    spec = activations.ACTIVATIONS[activation]
    kw = spec.kwargs(activation_params)
    init_fn = initializers.INITIALIZERS[init].fn
    init_kw = {"std": std} if init == "Normal" else {}

    weights = [init_fn(width, width, rng, **init_kw) for _ in range(depth)]
    h = rng.standard_normal((batch, width))
    upstream = rng.standard_normal((batch, width))

    nan = np.full(depth, np.nan)
    act_mean, act_std, grad_norm, delta_norm = nan.copy(), nan.copy(), nan.copy(), nan.copy()
    deriv_factor, weight_factor, dead = nan.copy(), nan.copy(), nan.copy()
    diverged_at = -1
    hs, derivs = [h], []
    # Overflow is expected in exploding networks; it is detected and reported, not warned about.
    with np.errstate(over="ignore", invalid="ignore"):
        for layer, W in enumerate(weights):
            z = hs[-1] @ W
            h = spec.fn(z, **kw)
            if not (np.all(np.isfinite(z)) and np.all(np.isfinite(h))):
                diverged_at = layer + 1
                break
            hs.append(h)
            derivs.append(spec.grad(z, **kw))
            act_mean[layer], act_std[layer] = h.mean(), h.std()
            dead[layer] = np.mean(np.all(derivs[-1] == 0, axis=0))

        if diverged_at == -1:
            g = upstream
            for layer in reversed(range(depth)):
                delta = g * derivs[layer]
                grad_w = hs[layer].T @ delta
                g_prev = delta @ weights[layer].T
                if not (np.all(np.isfinite(grad_w)) and np.all(np.isfinite(g_prev))):
                    diverged_at = layer + 1
                    break
                g_n, d_n, p_n = _norm(g), _norm(delta), _norm(g_prev)
                grad_norm[layer], delta_norm[layer] = _norm(grad_w), d_n
                deriv_factor[layer] = d_n / g_n if g_n > 0 else np.nan
                weight_factor[layer] = p_n / d_n if d_n > 0 else np.nan
                g = g_prev

    hist, edges = _histograms(hs[1:] + [np.full(1, np.nan)] * (depth - len(hs) + 1), bins)
    max_grad = activations.properties(activation, **kw).max_grad
    unit = _norm(hs[0].T @ upstream)
    return DepthResult(
        act_mean,
        act_std,
        hist,
        edges,
        grad_norm,
        delta_norm,
        deriv_factor,
        weight_factor,
        dead,
        max_grad,
        diverged_at,
        unit,
    )


class Shrinkage(NamedTuple):
    """How much the backward signal shrank from the top layer down to each layer.

    Entry ``l - 1`` compares layer ``l`` with the top layer ``L``; every
    array has shape (L,) and entry ``L - 1`` is 1.
    """

    measured: np.ndarray  #: ||delta_l|| / ||delta_L||
    derivative_part: np.ndarray  #: product of the derivative factors of layers l..L-1
    textbook: np.ndarray  #: max|f'| ** (L - l), the (1/4)^L claim for the sigmoid
    weight_part: np.ndarray  #: product of the weight factors of layers l+1..L
    bound: np.ndarray  #: textbook * weight_part, never below measured


def shrinkage(result: DepthResult) -> Shrinkage:
    r"""Compare the measured shrinkage with :math:`(\max|f'|)^{L-l}`.

    Since :math:`\delta_l = (\delta_{l+1} W_{l+1}^\top) \odot f'(z_l)`,

    .. math:: \frac{\|\delta_l\|}{\|\delta_L\|}
              = \prod_{k=l}^{L-1} d_k \prod_{k=l+1}^{L} w_k
              \le (\max|f'|)^{L-l} \prod_{k=l+1}^{L} w_k

    with derivative factors :math:`d_k \le \max|f'|` and weight factors
    :math:`w_k`. The textbook :math:`(1/4)^L` for the sigmoid is this bound
    with every :math:`w_k \le 1`.

    Parameters
    ----------
    result : DepthResult

    Returns
    -------
    Shrinkage
    """
    depth = len(result.delta_norm)
    steps = np.arange(depth - 1, -1, -1)  # L - l for l = 1..L
    # Products from layer l up to the top: reverse cumulative products.
    d = np.append(result.deriv_factor[:-1], 1.0)
    w = np.append(result.weight_factor[1:], 1.0)
    derivative_part = np.cumprod(d[::-1])[::-1]
    weights_above = np.cumprod(w[::-1])[::-1]
    textbook = result.max_grad ** steps.astype(float)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        measured = result.delta_norm / result.delta_norm[-1]
        return Shrinkage(
            measured, derivative_part, textbook, weights_above, textbook * weights_above
        )


class GradientVerdict(NamedTuple):
    """What the backward pass did to the gradient, judged on its slope and on its size.

    Attributes
    ----------
    kind : str
        ``"overflow"``, ``"vanishing_slope"``, ``"exploding_slope"``,
        ``"vanishing_size"``, ``"exploding_size"`` or ``"healthy"``.
    ratio : float
        ``||dL/dW_1|| / ||dL/dW_L||``, how much the gradient changed from the
        top layer down to the first (NaN after an overflow or with a zero top).
    size : float
        ``||dL/dW_1|| / unit_grad_norm``: the first layer's gradient against
        the size it has in a layer that passes its signal unchanged.
    sentence : str
        The verdict in words (Markdown), with the numbers.
    """

    kind: str
    ratio: float
    size: float
    sentence: str


def gradient_verdict(
    result: DepthResult, *, slope: float = 1e2, size: float = 1e3
) -> GradientVerdict:
    """Judge the gradients of a :func:`depth_experiment`: vanishing, exploding or healthy.

    The slope alone misses a stack whose every layer gets a gradient of
    1e-29 (tiny weights kill the signal on the way forward, so it is small
    at the top already and stays small): the size is judged too.

    Parameters
    ----------
    result : DepthResult
    slope : float > 1
        The first layer's gradient more than ``slope`` times smaller (or
        larger) than the top layer's is vanishing (or exploding) by slope.
    size : float > 1
        The first layer's gradient more than ``size`` times smaller (or
        larger) than ``unit_grad_norm`` is vanishing (or exploding) by size.

    Returns
    -------
    GradientVerdict
        Overflow first, then the slope, then the size.
    """
    slope = check_positive("slope", slope)
    size = check_positive("size", size)
    g = np.asarray(result.grad_norm, dtype=float)
    depth = len(g)
    first, top = float(g[0]), float(g[-1])
    ratio = first / top if top > 0 else float("nan")
    rel = first / result.unit_grad_norm if result.unit_grad_norm > 0 else float("nan")
    if result.diverged_at > 0 or not np.all(np.isfinite(g)):
        layer = result.diverged_at if result.diverged_at > 0 else int(np.argmin(np.isfinite(g))) + 1
        text = (
            f"The signal **overflowed** float64 at layer {layer}: the weights amplify it so much "
            "that no finite gradient is left to judge. Layers from there on are left blank; "
            "lower σ or use Xavier/He."
        )
        return GradientVerdict("overflow", float("nan"), float("nan"), text)
    if not top > 0:
        text = (
            f"The weight gradient of layer {depth} is exactly 0: no signal reaches the top of "
            "the stack (every unit of some layer is dead on this batch), so no layer learns."
        )
        return GradientVerdict("vanishing_size", ratio, rel, text)
    here = f"Here the weight gradient of layer 1 is {ratio:.2g} times that of layer {depth}"
    if ratio < 1 / slope:
        text = f"{here}: it **vanishes** on the way down, so the first layers barely learn."
        return GradientVerdict("vanishing_slope", ratio, rel, text)
    if ratio > slope:
        text = f"{here}: it **explodes** on the way down."
        return GradientVerdict("exploding_slope", ratio, rel, text)
    sized = (
        f"{here}, but its size is {first:.2g}: {rel:.2g} times the {result.unit_grad_norm:.3g} "
        "that a layer passing its signal unchanged gets"
    )
    if not rel >= 1 / size:  # also a zero gradient (rel = 0) or a zero reference (NaN)
        text = (
            f"{sized}. It **vanishes** in size: the weights shrink the signal on the way "
            "forward, so the gradient is tiny at the top already and no layer learns."
        )
        return GradientVerdict("vanishing_size", ratio, rel, text)
    if rel > size:
        text = (
            f"{sized}. It **explodes** in size: the weights blow the signal up on the way "
            "forward, so every gradient step is huge."
        )
        return GradientVerdict("exploding_size", ratio, rel, text)
    text = f"{here}: it stays roughly **flat** and of a healthy size, so every layer learns."
    return GradientVerdict("healthy", ratio, rel, text)
