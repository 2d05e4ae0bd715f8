"""Gradient checking: autograd's gradients against central differences.

Backpropagation code is easy to get subtly wrong: a wrong derivative still
trains, just worse. The classic test perturbs one parameter at a time,

    dL/dtheta_i ~ (L(theta + eps e_i) - L(theta - eps e_i)) / (2 eps),

an O(eps^2)-accurate estimate, and compares it with the backward pass through
the relative error ``||a - n|| / (||a|| + ||n||)``: about 1e-7 or less in
float64 when the code is right, 1e-2 or more when a rule is wrong.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from dlcore._validation import RngLike, as_rng, check_int, check_range
from dlcore.autograd import softmax_cross_entropy
from dlcore.nn import MLP, broken_activation, check_xy


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


def gradient_check(
    model: MLP,
    X: Any,
    y: Any,
    *,
    broken: bool = False,
    eps: float = 1e-6,
    max_entries: int = 20,
    rng: RngLike = 0,
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
    """
    X, y = check_xy(model, X, y)
    eps = check_range("eps", eps, 1e-10, 1e-2)
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
