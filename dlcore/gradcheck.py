"""Gradient checking: autograd's gradients against central differences.

Backpropagation code is easy to get subtly wrong: a wrong derivative still
trains, just worse. The classic test perturbs one parameter at a time,

    dL/dtheta_i ~ (L(theta + eps e_i) - L(theta - eps e_i)) / (2 eps),

an O(eps^2)-accurate estimate, and compares it with the backward pass through
the relative error ``||a - n|| / (||a|| + ||n||)``: about 1e-7 or less in
float64 when the code is right, 1e-2 or more when a rule is wrong.

One trap: at a kink (ReLU at 0) the two evaluations straddle the corner and
their difference measures the average of the two one-sided slopes, while
backpropagation takes one of them (ReLU'(0) = 0). Zero biases put whole
batches of points exactly there: a point that switches every first-layer
unit off feeds exactly 0 (the bias) into the next layer. The check therefore
uses only the points whose pre-activations all keep a margin from the kinks
(:func:`near_kink`); a correct backward pass then passes at any weights.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from dlcore._validation import RngLike, as_rng, check_int, check_range
from dlcore.autograd import softmax_cross_entropy
from dlcore.nn import HIDDEN_ACTIVATIONS, MLP, broken_activation, check_xy

#: A pre-activation counts as "at a kink" within this many finite-difference steps of it:
#: a step eps in one parameter moves a pre-activation by eps times its (bounded) derivative.
KINK_MARGIN = 1e3


class GradCheck(NamedTuple):
    """The check of one parameter tensor.

    Attributes
    ----------
    name : str
        ``W1``, ``b1``, ...
    shape : tuple of int
    index : ndarray of int, shape (k,)
        Flat indices of the checked entries (all, or a random sample).
    analytic, numeric : ndarray of shape (k,)
        Backpropagation's and the central differences' gradient there.
    rel_error : float
        ``||analytic - numeric|| / (||analytic|| + ||numeric||)`` (0 when both vanish).
    """

    name: str
    shape: tuple[int, ...]
    index: np.ndarray
    analytic: np.ndarray
    numeric: np.ndarray
    rel_error: float


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """``||a - b|| / (||a|| + ||b||)``, 0 when both are zero."""
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / scale) if scale > 0 else 0.0


def near_kink(model: MLP, X: Any, *, eps: float = 1e-6) -> np.ndarray:
    """Which rows of ``X`` put a hidden pre-activation within ``KINK_MARGIN * eps`` of a kink.

    Parameters
    ----------
    model : MLP
    X : ndarray of shape (n, n_inputs)
    eps : float
        The finite-difference step of the check (1e-10..1e-2).

    Returns
    -------
    ndarray of bool, shape (n,)
        All False for activations without kinks (tanh, sigmoid, identity).
    """
    eps = check_range("eps", eps, 1e-10, 1e-2)
    X = np.asarray(X, dtype=model.dtype)
    near = np.zeros(X.shape[0], dtype=bool)
    kinks = HIDDEN_ACTIVATIONS[model.activation].kinks
    if not kinks:
        return near
    margin = KINK_MARGIN * eps
    for z in model.pre_activations(X):
        for kink in kinks:
            near |= np.any(np.abs(z - kink) <= margin, axis=1)
    return near


def check_network_gradients(
    model: MLP,
    X: Any,
    y: Any,
    *,
    broken: bool = False,
    eps: float = 1e-6,
    max_entries: int = 20,
    rng: RngLike = 0,
    avoid_kinks: bool = True,
) -> list[GradCheck]:
    """Compare the backward pass with central differences for every parameter tensor.

    Parameters
    ----------
    model : MLP
        Checked at its current parameters, which are left unchanged.
    X : ndarray of shape (n, n_inputs)
    y : ndarray of int, shape (n,)
    broken : bool
        Use :func:`dlcore.nn.broken_activation` in the backward pass (the
        derivative of the hidden activation taken as the activation itself),
        so the check visibly fails. The forward pass, hence the numeric
        gradient, is unchanged.
    eps : float
        The finite-difference step (1e-10..1e-2).
    max_entries : int
        At most this many entries per tensor are checked (a random sample),
        2 loss evaluations each.
    rng : int, Generator or None
        Picks the sampled entries.
    avoid_kinks : bool
        Check the loss on the rows that :func:`near_kink` clears only (all rows
        when none is clear: the finite differences may then disagree at a
        kink with a correct backward pass).
    """
    X, y = check_xy(model, X, y)
    eps = check_range("eps", eps, 1e-10, 1e-2)
    if avoid_kinks:
        clear = ~near_kink(model, X, eps=eps)
        if clear.any():
            X, y = X[clear], y[clear]
    max_entries = check_int("max_entries", max_entries, 1, 100_000)
    gen = as_rng(rng)
    act = (lambda h: broken_activation(h, model.activation)) if broken else None

    def loss() -> float:
        return softmax_cross_entropy(model(X), y).item()

    softmax_cross_entropy(model(X, activation=act), y).backward()
    results = []
    for p in model.parameters():
        analytic_all = p.grad.ravel().copy()
        size = p.data.size
        index = (
            np.arange(size)
            if size <= max_entries
            else np.sort(gen.choice(size, max_entries, replace=False))
        )
        original = p.data
        numeric = np.empty(index.size)
        for k, i in enumerate(index):
            # Perturb a copy and swap it in, so the caller's array is never written.
            bumped = original.copy().ravel()
            bumped[i] = original.flat[i] + eps
            p.data = bumped.reshape(original.shape)
            up = loss()
            bumped[i] = original.flat[i] - eps
            down = loss()
            numeric[k] = (up - down) / (2 * eps)
        p.data = original
        analytic = analytic_all[index]
        results.append(
            GradCheck(p.label, p.shape, index, analytic, numeric, relative_error(analytic, numeric))
        )
    return results
