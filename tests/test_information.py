"""dlcore.information against scipy.stats.entropy and finite differences."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as st

from dlcore.activations import softmax
from dlcore.information import (
    cross_entropy,
    entropy,
    kl_divergence,
    kl_divergence_loop,
    kl_terms,
    normalize,
    softmax_loss_and_grad,
)

P = np.array([0.5, 0.25, 0.125, 0.125])
Q = np.array([0.1, 0.2, 0.3, 0.4])


@pytest.mark.parametrize("base", [None, 2, 10])
def test_against_scipy(base):
    rng = np.random.default_rng(0)
    for _ in range(20):
        p, q = rng.dirichlet(np.ones(6)), rng.dirichlet(np.ones(6))
        assert entropy(p, base=base) == pytest.approx(st.entropy(p, base=base), rel=1e-12)
        assert kl_divergence(p, q, base=base) == pytest.approx(
            st.entropy(p, q, base=base), rel=1e-12
        )
        assert kl_divergence_loop(p, q, base=base) == pytest.approx(
            kl_divergence(p, q, base=base), rel=1e-12
        )
        h = entropy(p, base=base) + kl_divergence(p, q, base=base)
        assert cross_entropy(p, q, base=base) == pytest.approx(h, rel=1e-12)


def test_hand_computed_values():
    assert entropy(P, base=2) == pytest.approx(1.75)
    assert entropy([1.0, 0.0]) == 0.0  # 0 log 0 = 0
    assert entropy(np.full(8, 1 / 8), base=2) == pytest.approx(3.0)
    assert kl_divergence(P, P) == 0.0
    assert kl_divergence(P, Q) != pytest.approx(kl_divergence(Q, P))  # not symmetric
    assert cross_entropy([0.0, 1.0], [0.5, 0.5], base=2) == pytest.approx(1.0)


def test_zeros():
    # q rules out an outcome p allows: infinite; p = 0 where q = 0 is harmless.
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert kl_divergence_loop([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert cross_entropy([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(np.log(2))
    assert kl_divergence([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert st.entropy([0.5, 0.5], [1.0, 0.0]) == np.inf


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: entropy([0.5, 0.6]), "p must sum to 1"),
        (lambda: entropy([1.5, -0.5]), "non-negative"),
        (lambda: kl_divergence(P, [0.5, 0.5]), "same length"),
        (lambda: cross_entropy(P, [0.2, 0.2, 0.2, 0.2]), "q must sum to 1"),
        (lambda: entropy([0.5, np.nan]), "finite"),
        (lambda: entropy(P, base=-2), "base"),
        (lambda: normalize([0, 0]), "all be zero"),
        (lambda: normalize([1, -1]), "non-negative"),
        (lambda: softmax_loss_and_grad([1.0, 2.0], 2), "label"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_normalize():
    np.testing.assert_allclose(normalize([2, 1, 1]), [0.5, 0.25, 0.25])


def test_softmax_is_stable_and_sums_to_one():
    s = softmax(np.array([1000.0, 0.0, -1000.0]))
    np.testing.assert_allclose(s, [1.0, 0.0, 0.0])
    np.testing.assert_allclose(softmax(np.array([[1.0, 2.0], [3.0, 3.0]])).sum(axis=1), 1.0)


def test_softmax_loss_and_grad_value_and_gradient():
    z = np.array([0.3, -1.2, 2.0, 0.5])
    for y in range(4):
        out = softmax_loss_and_grad(z, y)
        assert out.loss == pytest.approx(-np.log(softmax(z)[y]), rel=1e-12)
        assert out.loss == pytest.approx(cross_entropy(np.eye(4)[y], out.probs), rel=1e-12)
        h = 1e-6
        numeric = np.array(
            [
                (
                    softmax_loss_and_grad(z + h * e, y).loss
                    - softmax_loss_and_grad(z - h * e, y).loss
                )
                / (2 * h)
                for e in np.eye(4)
            ]
        )
        np.testing.assert_allclose(out.grad, numeric, atol=1e-8)
        np.testing.assert_allclose(out.grad, out.probs - np.eye(4)[y], atol=1e-15)
    huge = softmax_loss_and_grad(np.array([1000.0, -1000.0]), 1)
    assert huge.loss == pytest.approx(2000.0) and np.all(np.isfinite(huge.grad))


def test_kl_terms_sum_to_kl():
    terms = kl_terms(P, Q, base=2)
    assert terms.sum() == pytest.approx(kl_divergence(P, Q, base=2))
    assert np.any(terms < 0)  # single terms can be negative, the sum cannot
    np.testing.assert_array_equal(
        kl_terms([0.5, 0.5, 0.0], [1.0, 0.0, 0.0]), [0.5 * np.log(0.5), np.inf, 0.0]
    )
