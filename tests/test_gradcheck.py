"""dlcore.gradcheck: whole-network gradients against central differences, and the planted bug."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore import nn
from dlcore.gradcheck import check_network_gradients, near_kink, relative_error


@pytest.mark.parametrize("activation", list(nn.HIDDEN_ACTIVATIONS))
def test_whole_mlp_gradients_match_central_differences(activation):
    model = nn.MLP((2, 5, 4, 3), activation=activation, init="xavier", rng=2)
    X = np.random.default_rng(3).normal(size=(12, 2))
    y = np.arange(12) % 3
    before = model.weights()
    checks = check_network_gradients(model, X, y, max_entries=1000)
    assert [c.name for c in checks] == ["W1", "b1", "W2", "b2", "W3", "b3"]
    for c in checks:
        assert c.index.size == int(np.prod(c.shape))
        assert c.rel_error < 1e-6, (c.name, c.rel_error)
        assert np.abs(c.analytic).max() > 1e-4  # a real gradient, not zeros agreeing with zeros
    for k, w in model.weights().items():
        np.testing.assert_array_equal(w, before[k])  # the check leaves the model as it was


@pytest.mark.parametrize("activation", list(nn.HIDDEN_ACTIVATIONS))
def test_gradient_check_catches_the_broken_derivative(activation):
    model = nn.MLP((2, 6, 2), activation=activation, init="xavier", rng=4)
    X = np.random.default_rng(5).normal(size=(16, 2))
    y = (X[:, 0] > 0).astype(int)
    checks = check_network_gradients(model, X, y, broken=True, max_entries=8, rng=0)
    errors = {c.name: c.rel_error for c in checks}
    # the output layer's own gradients do not go through the activation's derivative
    assert errors["W2"] < 1e-6 and errors["b2"] < 1e-6
    assert max(errors["W1"], errors["b1"]) > 1e-2


def test_relative_error():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    np.testing.assert_allclose(
        relative_error(np.array([1.0, 0.0]), np.array([0.0, 1.0])), np.sqrt(2) / 2
    )


def test_near_kink_finds_relu_inputs_at_zero_only():
    model = nn.MLP((2, 3, 2), activation="relu", rng=0)
    W = model.layers[0].weight.data
    # a row orthogonal to the first unit's weights puts that unit's input exactly at 0
    X = np.array([[W[1, 0], -W[0, 0]], [1.0, 1.0]])
    z = model.pre_activations(X)[0]
    assert z[0, 0] == pytest.approx(0.0, abs=1e-15) and np.all(np.abs(z[1]) > 1e-3)
    np.testing.assert_array_equal(near_kink(model, X), [True, False])
    # the margin scales with the finite-difference step
    assert near_kink(model, X + [[1e-5, 0.0], [0.0, 0.0]], eps=1e-6)[0]
    assert not near_kink(model, X + [[1e-2, 0.0], [0.0, 0.0]], eps=1e-8)[0]
    smooth = nn.MLP((2, 3, 2), activation="tanh", rng=0)
    np.testing.assert_array_equal(near_kink(smooth, X), [False, False])
    with pytest.raises(ValueError, match="eps"):
        near_kink(model, X, eps=1.0)


def test_zero_biases_do_not_make_a_correct_relu_gradient_fail():
    """Issue 15: an untrained ReLU network feeds exactly 0 into layer 2 for points that switch
    every first-layer unit off, and the check reported 2.6e-1 there on a correct gradient."""
    model = nn.MLP((2, 8, 8, 2), activation="relu", init="he", rng=0)
    X = np.random.default_rng(1).normal(size=(64, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    dead = np.all(model.pre_activations(X)[1] == 0, axis=1)
    assert dead.sum() > 0  # the trap is there
    naive = {c.name: c.rel_error for c in check_network_gradients(model, X, y, avoid_kinks=False)}
    assert naive["b2"] > 1e-2
    for c in check_network_gradients(model, X, y, max_entries=1000):
        assert c.rel_error < 1e-6, (c.name, c.rel_error)
    assert near_kink(model, X)[dead].all()
