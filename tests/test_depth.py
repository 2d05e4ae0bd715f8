"""dlcore.depth: the backward pass against finite differences, and the vanishing/exploding lessons."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore import activations as act
from dlcore import initializers as init
from dlcore.depth import depth_experiment, gradient_verdict, shrinkage


def _loss_and_weights(activation, init_name, depth, width, batch, seed):
    """The experiment's network rebuilt from the documented draw order, as a loss of the weights."""
    rng = np.random.default_rng(seed)
    weights = [init.INITIALIZERS[init_name].fn(width, width, rng) for _ in range(depth)]
    h0 = rng.standard_normal((batch, width))
    upstream = rng.standard_normal((batch, width))
    f = act.ACTIVATIONS[activation].fn

    def loss(ws):
        h = h0
        for W in ws:
            h = f(h @ W)
        return float(np.sum(h * upstream))

    return loss, weights


@pytest.mark.parametrize("activation", ["Tanh", "Sigmoid", "GELU", "ELU"])
def test_weight_gradient_norms_match_finite_differences(activation):
    depth, width, batch = 3, 4, 5
    r = depth_experiment(
        activation=activation, init="Xavier normal", depth=depth, width=width, batch=batch, rng=7
    )
    loss, weights = _loss_and_weights(activation, "Xavier normal", depth, width, batch, 7)
    h = 1e-6
    for layer in range(depth):
        grad = np.zeros((width, width))
        for i in range(width):
            for j in range(width):
                plus = [w.copy() for w in weights]
                minus = [w.copy() for w in weights]
                plus[layer][i, j] += h
                minus[layer][i, j] -= h
                grad[i, j] = (loss(plus) - loss(minus)) / (2 * h)
        assert r.grad_norm[layer] == pytest.approx(np.linalg.norm(grad), rel=1e-6), (
            f"layer {layer + 1}"
        )


def test_forward_statistics_match_a_direct_pass():
    depth, width, batch = 4, 6, 10
    r = depth_experiment(
        activation="ReLU", init="He normal", depth=depth, width=width, batch=batch, bins=10, rng=3
    )
    rng = np.random.default_rng(3)
    weights = [init.he_normal(width, width, rng) for _ in range(depth)]
    h = rng.standard_normal((batch, width))
    for layer, W in enumerate(weights):
        h = np.maximum(h @ W, 0)
        assert r.act_mean[layer] == pytest.approx(h.mean(), rel=1e-12)
        assert r.act_std[layer] == pytest.approx(h.std(), rel=1e-12)
        assert r.dead_fraction[layer] == pytest.approx(np.mean(np.all(h == 0, axis=0)))
    np.testing.assert_allclose(
        r.hist.sum(axis=1), 1.0, atol=0.05
    )  # only the 1 % tails fall outside
    assert r.edges.shape == (11,) and np.all(np.diff(r.edges) > 0)
    assert r.diverged_at == -1


def test_sigmoid_vanishes_and_relu_with_he_stays_flat():
    sig = depth_experiment(activation="Sigmoid", init="Xavier normal", depth=30, width=64, rng=0)
    assert sig.grad_norm[0] / sig.grad_norm[-1] < 1e-12
    assert np.all(sig.deriv_factor <= 0.25 + 1e-12)
    assert 0.85 < np.median(sig.weight_factor) < 1.15  # Xavier: sqrt(n Var W) = 1
    relu = depth_experiment(activation="ReLU", init="He normal", depth=30, width=64, rng=0)
    # He: weight factor about sqrt 2, ReLU's derivative factor about 1/sqrt 2
    assert np.median(relu.weight_factor) == pytest.approx(np.sqrt(2), rel=0.1)
    assert np.median(relu.deriv_factor) == pytest.approx(np.sqrt(0.5), rel=0.1)
    ratio = relu.grad_norm / relu.grad_norm[-1]
    assert ratio.min() > 0.1 and ratio.max() < 10
    assert 0.3 < relu.act_std[-1] < 3
    # Xavier halves ReLU's signal variance each layer (He doubles the variance to make up for it).
    relu_xavier = depth_experiment(
        activation="ReLU", init="Xavier normal", depth=30, width=64, rng=0
    )
    assert relu_xavier.act_std[-1] < 1e-3 * relu.act_std[-1]


def test_large_normal_init_explodes_forward():
    r = depth_experiment(activation="Identity", init="Normal", std=1.0, depth=20, width=64, rng=0)
    assert r.act_std[-1] > 1e15  # each layer multiplies the spread by about sqrt(64) = 8


@pytest.mark.filterwarnings("error")
def test_overflow_is_reported_not_warned():
    r = depth_experiment(
        activation="Identity", init="Normal", std=100.0, depth=100, width=256, batch=16, rng=0
    )
    assert r.diverged_at > 0
    assert np.all(np.isnan(r.grad_norm[: r.diverged_at]))
    sh = shrinkage(r)
    assert sh.measured.shape == (100,)


def test_dead_relus_do_not_depend_on_the_weight_scale():
    # ReLU(c x) = c ReLU(x) and there are no biases, so only the signs matter.
    a = depth_experiment(activation="ReLU", init="Normal", std=0.1, depth=25, width=32, rng=5)
    b = depth_experiment(activation="ReLU", init="Normal", std=2.0, depth=25, width=32, rng=5)
    np.testing.assert_array_equal(a.dead_fraction, b.dead_fraction)
    assert a.dead_fraction[-1] > 0.05  # deep ReLU stacks lose units even at a fair init
    tanh = depth_experiment(activation="Tanh", init="Xavier normal", depth=25, width=32, rng=5)
    assert np.all(tanh.dead_fraction == 0)
    leaky = depth_experiment(activation="Leaky ReLU", init="He normal", depth=25, width=32, rng=5)
    assert np.all(leaky.dead_fraction == 0)


@pytest.mark.parametrize("activation", list(act.ACTIVATIONS))
def test_shrinkage_bound_holds(activation):
    r = depth_experiment(activation=activation, init="Xavier uniform", depth=12, width=16, rng=1)
    sh = shrinkage(r)
    assert sh.measured[-1] == 1.0 and sh.textbook[-1] == 1.0
    assert np.all(sh.measured <= sh.bound * (1 + 1e-9))
    assert np.all(sh.derivative_part <= sh.textbook * (1 + 1e-9))
    # measured = derivative factors below the top times weight factors above: an identity
    np.testing.assert_allclose(sh.measured, sh.derivative_part * sh.weight_part, rtol=1e-10)
    np.testing.assert_allclose(sh.bound, sh.textbook * sh.weight_part, rtol=1e-14)
    assert r.max_grad == pytest.approx(act.properties(activation).max_grad)


def test_seeded_and_validated():
    a = depth_experiment(depth=5, width=8, rng=11)
    b = depth_experiment(depth=5, width=8, rng=11)
    np.testing.assert_array_equal(a.grad_norm, b.grad_norm)
    assert not np.array_equal(a.grad_norm, depth_experiment(depth=5, width=8, rng=12).grad_norm)
    for kwargs, name in [
        ({"depth": 0}, "depth"),
        ({"width": 2000}, "width"),
        ({"activation": "Swish"}, "activation"),
        ({"init": "LeCun"}, "init"),
        ({"std": 0.0}, "std"),
        ({"bins": 1}, "bins"),
    ]:
        with pytest.raises(ValueError, match=name):
            depth_experiment(**kwargs)


def test_unit_grad_norm_is_the_gradient_of_a_layer_that_passes_its_signal_on():
    r = depth_experiment(activation="Identity", init="Normal", depth=1, width=6, batch=9, rng=4)
    rng = np.random.default_rng(4)
    rng.normal(size=(6, 6))  # the weights are drawn first
    h0, upstream = rng.standard_normal((9, 6)), rng.standard_normal((9, 6))
    assert r.unit_grad_norm == pytest.approx(np.linalg.norm(h0.T @ upstream))


def test_verdict_vanishing_by_size_the_flat_but_tiny_relu_stack():
    """Issue 15: ReLU, Normal sigma = 0.01, 30 layers: every norm about 1e-29 was called flat."""
    r = depth_experiment(activation="ReLU", init="Normal", std=0.01, depth=30, width=128, rng=0)
    assert np.all(r.grad_norm < 1e-26)
    v = gradient_verdict(r)
    assert v.kind == "vanishing_size"
    assert 0.1 < v.ratio < 10  # the slope alone looks flat
    assert v.size < 1e-30 and "**vanishes** in size" in v.sentence and "flat" not in v.sentence
    # Xavier under ReLU halves the variance 30 times: the size gives it away too (He et al.)
    xavier = depth_experiment(activation="ReLU", init="Xavier normal", depth=30, width=128, rng=0)
    assert gradient_verdict(xavier).kind == "vanishing_size"


def test_verdict_vanishing_by_slope_and_exploding_by_slope():
    sig = depth_experiment(activation="Sigmoid", init="Xavier normal", depth=30, width=64, rng=0)
    v = gradient_verdict(sig)
    assert v.kind == "vanishing_slope" and v.ratio == pytest.approx(
        sig.grad_norm[0] / sig.grad_norm[-1]
    )
    assert "on the way down" in v.sentence and "**vanishes**" in v.sentence
    tanh = depth_experiment(activation="Tanh", init="Normal", std=1.0, depth=30, width=128, rng=0)
    e = gradient_verdict(tanh)
    assert e.kind == "exploding_slope" and e.ratio > 1e2 and "**explodes**" in e.sentence


def test_verdict_exploding_by_size_and_healthy():
    big = depth_experiment(activation="ReLU", init="Normal", std=1.0, depth=30, width=128, rng=0)
    v = gradient_verdict(big)
    assert v.kind == "exploding_size" and v.size > 1e20 and "in size" in v.sentence
    he = depth_experiment(activation="ReLU", init="He normal", depth=30, width=128, rng=0)
    h = gradient_verdict(he)
    assert h.kind == "healthy" and 0.1 < h.size < 10 and "**flat**" in h.sentence
    assert h.size == pytest.approx(he.grad_norm[0] / he.unit_grad_norm)


def test_verdict_overflow_nan_and_zero_gradients():
    r = depth_experiment(
        activation="Identity", init="Normal", std=100.0, depth=100, width=256, batch=16, rng=0
    )
    v = gradient_verdict(r)
    assert v.kind == "overflow" and np.isnan(v.ratio)
    assert f"layer {r.diverged_at}" in v.sentence and "**overflowed**" in v.sentence
    ok = depth_experiment(activation="Tanh", init="Xavier normal", depth=4, width=8, rng=0)
    nan = ok._replace(grad_norm=np.array([1.0, np.nan, 1.0, 1.0]))
    assert gradient_verdict(nan).kind == "overflow"
    assert "layer 2" in gradient_verdict(nan).sentence
    zero = ok._replace(grad_norm=np.zeros(4))
    z = gradient_verdict(zero)
    assert z.kind == "vanishing_size" and "exactly 0" in z.sentence
    # the thresholds are the caller's: a ratio of 2e-3 vanishes at slope 1e2, not at 1e4
    mild = ok._replace(grad_norm=np.array([2e-3, 0.1, 0.5, 1.0]) * ok.unit_grad_norm)
    assert gradient_verdict(mild).kind == "vanishing_slope"
    assert gradient_verdict(mild, slope=1e4).kind == "healthy"
    assert gradient_verdict(mild, slope=1e4, size=10.0).kind == "vanishing_size"
    with pytest.raises(ValueError, match="slope"):
        gradient_verdict(ok, slope=0.0)
