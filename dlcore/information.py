"""Information theory for discrete distributions: the maths of classification losses.

All quantities are in nats by default (natural log); ``base=2`` gives bits.
Conventions, as in Cover and Thomas: ``0 log 0 = 0`` and ``0 log(0/q) = 0``,
while ``p log(p/0) = inf`` for p > 0, so KL(p || q) is infinite when q rules
out an outcome that p allows.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlcore._validation import check_array, check_int, check_positive, check_probability_vector

__all__ = [
    "SoftmaxCrossEntropy",
    "cross_entropy",
    "entropy",
    "kl_divergence",
    "kl_divergence_loop",
    "kl_terms",
    "normalize",
    "softmax_loss_and_grad",
]


def normalize(weights: np.ndarray) -> np.ndarray:
    """Non-negative weights scaled to sum to one (a probability vector).

    Parameters
    ----------
    weights : array_like of shape (K,)

    Returns
    -------
    ndarray of shape (K,)

    Raises
    ------
    ValueError
        A negative weight, or all weights zero.
    """
    w = check_array("weights", weights, ndim=1)
    if np.any(w < 0):
        raise ValueError(f"weights must be non-negative, got min {w.min():g}")
    total = w.sum()
    if total <= 0:
        raise ValueError("weights must not all be zero: there is nothing to normalise")
    return w / total


def _prob(name: str, value) -> np.ndarray:
    # Sliders and float32 softmax outputs sum to 1 only to about 1e-7.
    return check_probability_vector(name, value, atol=1e-6)


def _pair(p, q) -> tuple[np.ndarray, np.ndarray]:
    p, q = _prob("p", p), _prob("q", q)
    if p.shape != q.shape:
        raise ValueError(f"p and q must have the same length, got {p.size} and {q.size}")
    return p, q


def _log(x: np.ndarray, base: float | None) -> np.ndarray:
    with np.errstate(divide="ignore"):
        out = np.log(x)
    if base is not None:
        out = out / np.log(check_positive("base", base))
    return out


def entropy(p: np.ndarray, *, base: float | None = None) -> float:
    """Shannon entropy H(p) = -sum p_i log p_i, with 0 log 0 = 0.

    Parameters
    ----------
    p : array_like of shape (K,)
        A probability vector.
    base : float, optional
        Logarithm base (2 for bits); natural log (nats) if None.
    """
    p = _prob("p", p)
    nz = p > 0
    return float(-np.sum(p[nz] * _log(p[nz], base)))


def cross_entropy(p: np.ndarray, q: np.ndarray, *, base: float | None = None) -> float:
    """H(p, q) = -sum p_i log q_i: the expected code length of p under a code built for q.

    Infinite when q_i = 0 for some p_i > 0; terms with p_i = 0 contribute 0.
    """
    p, q = _pair(p, q)
    nz = p > 0
    return float(-np.sum(p[nz] * _log(q[nz], base)))


def kl_terms(p: np.ndarray, q: np.ndarray, *, base: float | None = None) -> np.ndarray:
    """The per-outcome terms p_i log(p_i / q_i) of KL(p || q), shape (K,).

    A term is 0 where p_i = 0 and inf where q_i = 0 < p_i. Terms can be
    negative (where q_i > p_i); their sum never is (Gibbs' inequality).
    """
    p, q = _pair(p, q)
    out = np.zeros_like(p)
    nz = p > 0
    out[nz] = np.inf
    ok = nz & (q > 0)
    out[ok] = p[ok] * (_log(p[ok], base) - _log(q[ok], base))
    return out


def kl_divergence(p: np.ndarray, q: np.ndarray, *, base: float | None = None) -> float:
    """KL(p || q) = sum p_i log(p_i / q_i) = H(p, q) - H(p) >= 0; not symmetric.

    Infinite when q_i = 0 for some p_i > 0.
    """
    return float(np.sum(kl_terms(p, q, base=base)))


def kl_divergence_loop(p, q, *, base: float | None = None) -> float:
    """The readable reference for :func:`kl_divergence`: one term per outcome."""
    p, q = _pair(p, q)
    log = np.log if base is None else (lambda v: np.log(v) / np.log(base))
    total = 0.0
    for pi, qi in zip(p, q):
        if pi == 0:
            continue  # 0 log(0 / q) = 0
        if qi == 0:
            return float("inf")  # p allows what q rules out
        total += pi * log(pi / qi)
    return float(total)


class SoftmaxCrossEntropy(NamedTuple):
    """The classifier's loss for one example and its gradient.

    loss : float
        -log softmax(z)_y, in nats.
    probs : ndarray of shape (K,)
        softmax(z).
    grad : ndarray of shape (K,)
        d loss / d z = softmax(z) - onehot(y).
    """

    loss: float
    probs: np.ndarray
    grad: np.ndarray


def softmax_loss_and_grad(logits: np.ndarray, label: int) -> SoftmaxCrossEntropy:
    """Cross-entropy of softmax(logits) against the one-hot label, with its gradient.

    One example, plain arrays; :func:`dlcore.autograd.softmax_cross_entropy` is
    the same loss on a batch of Tensors, averaged over rows, for training.

    Parameters
    ----------
    logits : array_like of shape (K,)
    label : int in [0, K)
    """
    z = check_array("logits", logits, ndim=1)
    y = check_int("label", label, 0, z.size - 1)
    shifted = z - z.max()
    log_sum = np.log(np.sum(np.exp(shifted)))
    # log-softmax without ever forming a probability that underflows to 0.
    loss = float(log_sum - shifted[y])
    probs = np.exp(shifted - log_sum)
    grad = probs.copy()
    grad[y] -= 1.0
    return SoftmaxCrossEntropy(loss, probs, grad)
