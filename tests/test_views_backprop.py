"""dlcore.views.backprop: each panel's numbers against hand-derived values and dlcore itself."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore import autograd, gradcheck, nn
from dlcore.views import backprop as views


def test_graph_view_forward_and_the_products_of_each_step():
    g = views.graph_view("sigmoid", (1.0, -0.5), (0.8, 0.4), 0.1, 1.0, 0)
    assert g.z == pytest.approx(0.8 - 0.2 + 0.1)
    sig = 1 / (1 + np.exp(-0.7))
    assert g.loss == pytest.approx((sig - 1.0) ** 2)
    assert g.terms == () and g.n_steps == 7 and not g.dead
    # step 1 finishes L = (a - t)^2: one product into a - t, 1 x 2 (a - t)
    one = views.graph_view("sigmoid", (1.0, -0.5), (0.8, 0.4), 0.1, 1.0, 1)
    (term,) = one.terms
    assert (term.parent, term.child) == ("a - t", "L")
    assert term.upstream == 1.0 and term.local == pytest.approx(2 * (sig - 1.0))
    assert term.product == pytest.approx(term.upstream * term.local)
    # the sum node w1x1+w2x2 passes the same gradient to both products (local derivative 1)
    sums = [
        views.graph_view("tanh", (1.0, -0.5), (0.8, 0.4), 0.1, 1.0, k).terms for k in range(1, 8)
    ]
    into_products = next(t for t in sums if t and t[0].child == "w1x1+w2x2")
    assert [t.parent for t in into_products] == ["w1x1", "w2x2"]
    assert all(t.local == 1.0 for t in into_products)


def test_graph_view_clamps_the_step_and_flags_a_dead_relu():
    g = views.graph_view("relu", (1.0, -0.5), (-0.8, 0.4), 0.1, 1.0, 99)
    assert g.step == g.n_steps == views.graph_steps("relu") == 7
    assert g.z == pytest.approx(-0.9) and g.dead
    assert "z = -0.9 ≤ 0" in g.notice and "nothing flows" in g.notice
    # z exactly 0 is dead too: PyTorch's relu'(0) = 0
    assert views.graph_view("relu", (0.0, 0.0), (1.0, 1.0), 0.0, 1.0, 0).dead
    assert not views.graph_view("sigmoid", (1.0, -0.5), (-0.8, 0.4), 0.1, 1.0, 0).dead
    assert views.graph_steps("identity") == 6  # no activation node
    with pytest.raises(ValueError, match="activation"):
        views.graph_view("softmax", (1.0, 0.0), (1.0, 0.0), 0.0, 0.0, 0)


def test_step_view_matches_autograd_and_names_silent_inputs():
    v = views.step_view((0.5, -1.0), 1, 0.5, 1)
    w = nn.MLP((2, 2, 1), init="xavier", rng=1).weights()
    for k in w:
        np.testing.assert_array_equal(v.weights[k], w[k])
    # the same gradient by autograd: tanh hidden layer, sigmoid output, binary cross-entropy
    t = {k: autograd.Tensor(a) for k, a in w.items()}
    x = autograd.Tensor(np.array([[0.5, -1.0]]))
    p = ((x @ t["W1"] + t["b1"]).tanh() @ t["W2"] + t["b2"]).sigmoid()
    (-(p.log())).sum().backward()
    np.testing.assert_allclose(v.trace.dW1, t["W1"].grad, rtol=1e-10)
    np.testing.assert_allclose(v.trace.dW2, t["W2"].grad, rtol=1e-10)
    np.testing.assert_allclose(v.trace.new["W1"], w["W1"] - 0.5 * t["W1"].grad, rtol=1e-10)
    assert v.silent == () and "Set x1 = 0" in v.notice
    silent = views.step_view((0.0, -1.0), 0, 0.5, 1)
    assert silent.silent == (0,) and "Here x1 = 0, so row 1" in silent.notice
    np.testing.assert_array_equal(silent.trace.dW1[0], 0.0)
    assert views.step_notice((1,)).count("x2 = 0") == 1
    assert "all zeros" in views.step_notice((0, 1))


def test_load_split_standardises_and_rejects_a_single_class():
    split = views.load_split(views.DEFAULT_CONFIG)
    assert split.X_train.shape == (140, 2) and split.X_test.shape == (60, 2)
    np.testing.assert_allclose(split.X_train.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(split.X_train.std(axis=0), 1.0)
    assert split.n_classes == 2
    blobs = views.load_split(views.TrainConfig(data="blobs", classes=4))
    assert blobs.n_classes == 4
    one = views.TrainConfig(n=50, test_fraction=0.97, seed=1)
    with pytest.raises(ValueError, match="only one class"):
        views.load_split(one)
    with pytest.raises(ValueError, match="data"):
        views.load_split(views.TrainConfig(data="iris"))


def test_train_run_resumes_exactly_and_the_view_reports_each_state():
    cfg = views.DEFAULT_CONFIG
    split = views.load_split(cfg)
    fresh = views.train_run(cfg, split, None, 0)
    assert fresh.epoch == 0
    w = views.trainer_view(cfg, split, fresh, 100)
    assert w.status == "fresh" and "Train for 100 epochs" in w.message
    assert w.metrics["Epoch"] == "0" and w.metrics["Train accuracy"] == "–"
    assert w.metrics["Parameters"] == str(2 * 8 + 8 + 8 * 8 + 8 + 8 * 2 + 2)
    in_pieces = views.train_run(cfg, split, views.train_run(cfg, split, fresh, 3), 2)
    at_once = views.train_run(cfg, split, None, 5)
    for k in at_once.weights:
        np.testing.assert_array_equal(in_pieces.weights[k], at_once.weights[k])
    trained = views.trainer_view(cfg, split, at_once, 100)
    assert trained.status == "trained" and trained.message == "" and trained.note == ""
    assert trained.metrics["Train accuracy"] == f"{at_once.accuracy[-1]:.3f}"
    assert trained.proba.shape == (80 * 80, 2) and trained.proba.dtype == np.float32
    np.testing.assert_allclose(trained.proba.sum(axis=1), 1.0, rtol=1e-6)
    assert list(trained.history) == [
        "epoch",
        "train_loss",
        "train_accuracy",
        "test_loss",
        "test_accuracy",
        "grad_norm_layer1",
        "grad_norm_layer2",
        "grad_norm_layer3",
    ]
    np.testing.assert_array_equal(trained.history["epoch"], [1, 2, 3, 4, 5])


def test_trainer_view_of_a_diverged_run_and_of_logistic_regression():
    cfg = views.TrainConfig(optimizer="SGD", batch="full", lr=100.0)
    split = views.load_split(cfg)
    run = views.train_run(cfg, split, None, 10)
    w = views.trainer_view(cfg, split, run, 100)
    assert w.status == "diverged" and w.diverged_epoch == run.diverged_at + 1 > 0
    assert f"in epoch {w.diverged_epoch}" in w.message and "learning rate 100" in w.message
    assert np.all(np.isfinite(w.proba))  # the last sane weights still draw
    flat = views.TrainConfig(layers=0)
    split = views.load_split(flat)
    v = views.trainer_view(flat, split, views.train_run(flat, split, None, 0), 100)
    assert "logistic regression" in v.note and v.metrics["Parameters"] == "6"
    inside = views.network_inside_view(flat, split, views.train_run(flat, split, None, 2))
    assert inside.neurons is None and inside.grad_norms.shape == (2, 1)


def test_inside_view_first_layer_neurons_on_a_coarse_grid():
    cfg = views.DEFAULT_CONFIG
    split = views.load_split(cfg)
    run = views.train_run(cfg, split, None, 2)
    v = views.network_inside_view(cfg, split, run)
    model = views.build_model(cfg, split, run.weights)
    xs, ys, grid = nn.grid_over(np.vstack([split.X_train, split.X_test]), resolution=40)
    np.testing.assert_allclose(v.neurons, model.hidden_outputs(grid)[0], rtol=1e-6)
    np.testing.assert_array_equal(v.xs, xs)
    assert v.grad_norms.shape == (2, 3)


def test_gradient_check_passes_at_the_defaults_after_reset():
    """Issue 15: after Reset (zero biases) the check reported 2.6e-1 on a correct gradient."""
    cfg = views.DEFAULT_CONFIG
    split = views.load_split(cfg)
    reset = views.train_run(cfg, split, None, 0)
    v = views.gradient_check_view(cfg, split, reset.weights, False)
    assert v.passed and v.worst < 1e-8, v.verdict
    assert v.verdict.startswith("Passed")
    # the cause: 18 of the 64 points switch every first-layer ReLU off, so the second layer
    # sees exactly its zero bias, and a central difference on b2 straddles the kink
    model = views.build_model(cfg, split, reset.weights)
    X, y = split.X_train[:64], split.y_train[:64]
    assert int(np.all(model.pre_activations(X)[1] == 0, axis=1).sum()) == 18
    assert 18 <= v.skipped <= 24 and v.rows + v.skipped == 64 and not v.all_at_kinks
    naive = gradcheck.check_network_gradients(model, X, y, max_entries=10, rng=0, avoid_kinks=False)
    assert {c.name: c.rel_error for c in naive}["b2"] == pytest.approx(0.26, abs=0.01)


def test_gradient_check_view_trained_broken_and_all_points_at_a_kink():
    cfg = views.DEFAULT_CONFIG
    split = views.load_split(cfg)
    run = views.train_run(cfg, split, None, 20)
    ok = views.gradient_check_view(cfg, split, run.weights, False)
    assert ok.passed and ok.failed == () and ok.names == ("W1", "b1", "W2", "b2", "W3", "b3")
    assert ok.worst == ok.errors.max()
    assert ok.mantissa * 10.0**ok.exponent == pytest.approx(ok.worst, rel=0.05)
    bad = views.gradient_check_view(cfg, split, run.weights, True)
    assert not bad.passed and "W1" in bad.failed and "W3" not in bad.failed
    assert bad.verdict.startswith("Failed for") and "planted" in bad.verdict
    # zero weights are no trap: nothing moves the loss, both gradients vanish alike
    zeros = views.TrainConfig(init="zeros")
    z = views.gradient_check_view(
        zeros, split, views.train_run(zeros, split, None, 0).weights, False
    )
    assert z.passed and z.all_at_kinks
    # a zero first layer puts every ReLU input at 0 and the layers above still listen:
    # nothing is clear of the kink, the finite differences disagree, and the view says why
    weights = dict(views.train_run(cfg, split, None, 0).weights, W1=np.zeros((2, 8)))
    k = views.gradient_check_view(cfg, split, weights, False)
    assert k.all_at_kinks and k.skipped == 0 and k.rows == 64
    assert not k.passed and "b1" in k.failed
    assert "kink" in k.verdict and "not a bug" in k.verdict


def test_check_verdict_every_branch():
    kw = dict(worst=1e-9, threshold=1e-6)
    assert views.check_verdict((), broken=False, all_at_kinks=False, **kw).startswith("Passed")
    assert "planted" in views.check_verdict(("W1",), broken=True, all_at_kinks=False, **kw)
    assert "not a bug" in views.check_verdict(("W1",), broken=False, all_at_kinks=True, **kw)
    assert views.check_verdict(("b1",), broken=False, all_at_kinks=False, **kw) == (
        "Failed for b1: backprop and the central differences disagree."
    )


def test_run_message_and_last_value():
    assert views.run_message("trained", diverged_epoch=0, lr=0.1, epochs=5) == ""
    assert "epoch 3" in views.run_message("diverged", diverged_epoch=3, lr=10.0, epochs=5)
    assert views.last_value(np.zeros(0)) == "–"
    assert views.last_value(np.array([0.5, 0.12345])) == "0.123"
