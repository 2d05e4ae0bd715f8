"""dlcore.nn: layers, training, resuming, divergence, the by-hand step (whole-network gradients: test_gradcheck)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from dlcore import datasets, nn, optim
from dlcore.autograd import Tensor, softmax_cross_entropy

MOONS = datasets.load("moons", n_samples=400, noise=0.1, rng=0)


def test_linear_is_x_w_plus_b():
    layer = nn.Linear(3, 2, rng=0)
    layer.bias.data = np.array([0.5, -1.0])
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(layer(Tensor(x)).data, x @ layer.weight.data + [0.5, -1.0])
    assert [p.shape for p in layer.parameters()] == [(3, 2), (2,)]


@pytest.mark.parametrize("name", list(nn.INITS))
def test_init_variances(name):
    fan_in, fan_out = 400, 300
    w = nn.Linear(fan_in, fan_out, init=name, rng=1).weight.data
    expected = {
        "he": 2 / fan_in,
        "xavier": 2 / (fan_in + fan_out),
        "small normal": 1e-4,
        "zeros": 0.0,
    }[name]
    np.testing.assert_allclose(w.var(), expected, rtol=0.02, atol=1e-12)
    assert abs(w.mean()) < 0.01 * max(np.sqrt(expected), 1e-9) * 10 + 1e-12


def test_mlp_shapes_labels_and_bad_input():
    model = nn.MLP((2, 5, 4, 3), rng=0)
    assert [p.label for p in model.parameters()] == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert model(np.zeros((7, 2))).shape == (7, 3)
    assert [h.shape for h in model.hidden_outputs(np.zeros((7, 2)))] == [(7, 5), (7, 4)]
    assert len(nn.MLP((2, 3), rng=0).layers) == 1  # no hidden layer: logistic regression
    with pytest.raises(ValueError, match="sizes must list"):
        nn.MLP((2,))
    with pytest.raises(ValueError, match="activation must be one of"):
        nn.MLP((2, 2), activation="swish")
    with pytest.raises(ValueError, match=r"x must have shape \(n, 2\)"):
        model(np.zeros((3, 3)))


def test_weights_round_trip():
    a, b = nn.MLP((2, 4, 2), rng=0), nn.MLP((2, 4, 2), rng=1)
    b.load_weights(a.weights())
    x = np.random.default_rng(0).normal(size=(5, 2))
    np.testing.assert_array_equal(a(x).data, b(x).data)
    with pytest.raises(ValueError, match="W1"):
        nn.MLP((2, 3, 2)).load_weights(a.weights())


def test_manual_step_matches_autograd():
    rng = np.random.default_rng(6)
    w = {
        "W1": rng.normal(size=(2, 2)),
        "b1": rng.normal(size=2),
        "W2": rng.normal(size=(2, 1)),
        "b2": rng.normal(size=1),
    }
    x, y = np.array([0.7, -1.2]), 1.0
    step = nn.manual_step(x, y, w, lr=0.5)
    t = {k: Tensor(v) for k, v in w.items()}
    z2 = (Tensor(x.reshape(1, 2)) @ t["W1"] + t["b1"]).tanh() @ t["W2"] + t["b2"]
    p = z2.sigmoid()
    loss = -(p.log() * y + (1.0 - p).log() * (1 - y)).sum()
    loss.backward()
    np.testing.assert_allclose(step.loss, loss.item(), rtol=1e-12)
    for name, grad in (("W1", step.dW1), ("b1", step.db1), ("W2", step.dW2), ("b2", step.db2)):
        np.testing.assert_allclose(grad, t[name].grad, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(step.new[name], w[name] - 0.5 * t[name].grad, rtol=1e-10)
    assert step.dW1.shape == (2, 2) and step.delta1.shape == (1, 2) and step.dW2.shape == (2, 1)


def test_train_reaches_97_percent_on_moons_in_a_fixed_budget():
    X_tr, X_te, y_tr, y_te = nn.train_test_split(MOONS.X, MOONS.y, test_fraction=0.25, rng=0)
    model = nn.MLP((2, 16, 16, 2), rng=0)
    result = nn.fit(
        model,
        X_tr,
        y_tr,
        optimizer=optim.Adam(lr=0.02),
        epochs=300,
        rng=0,
        X_test=X_te,
        y_test=y_te,
    )
    assert result.diverged_at == -1
    assert result.history.accuracy[-1] >= 0.97
    assert result.test_accuracy[-1] >= 0.97
    assert result.history.loss[-1] < 0.1 < result.history.loss[0]
    assert nn.evaluate(model, X_te, y_te)[1] == result.test_accuracy[-1]


def test_history_shapes_and_first_epoch_values_by_hand():
    model = nn.MLP((2, 8, 8, 2), rng=1)
    probe = nn.MLP((2, 8, 8, 2), rng=1)
    loss = softmax_cross_entropy(probe(MOONS.X), MOONS.y)
    loss.backward()
    hist = nn.train(model, MOONS.X, MOONS.y, optimizer=optim.SGD(lr=0.1), epochs=5)
    assert (
        hist.loss.shape == (5,) and hist.accuracy.shape == (5,) and hist.grad_norms.shape == (5, 3)
    )
    np.testing.assert_allclose(hist.loss[0], loss.item(), rtol=1e-12)
    by_hand = [
        np.sqrt(np.sum(lay.weight.grad**2) + np.sum(lay.bias.grad**2)) for lay in probe.layers
    ]
    np.testing.assert_allclose(hist.grad_norms[0], by_hand, rtol=1e-10)
    # 5 full-batch SGD steps are exactly theta <- theta - lr * grad, five times
    for _ in range(5):
        loss = softmax_cross_entropy(probe(MOONS.X), MOONS.y)
        loss.backward()
        for p in probe.parameters():
            p.data = p.data - 0.1 * p.grad
    for a, b in zip(model.parameters(), probe.parameters()):
        np.testing.assert_allclose(a.data, b.data, rtol=1e-10, atol=1e-12)
    acc = np.mean(np.argmax(probe(MOONS.X).data, axis=1) == MOONS.y)
    assert hist.accuracy[-1] == acc


def test_resuming_equals_one_long_run():
    kwargs = dict(optimizer=optim.Adam(lr=0.01), batch_size=64, rng=3)
    a, b = nn.MLP((2, 8, 2), rng=0), nn.MLP((2, 8, 2), rng=0)
    whole = nn.fit(a, MOONS.X, MOONS.y, epochs=7, **kwargs)
    first = nn.fit(b, MOONS.X, MOONS.y, epochs=3, **kwargs)
    rest = nn.fit(b, MOONS.X, MOONS.y, epochs=4, state=first.state, start_epoch=3, **kwargs)
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p.data, q.data)
    np.testing.assert_array_equal(
        whole.history.loss, np.concatenate([first.history.loss, rest.history.loss])
    )


def test_exploding_learning_rate_is_flagged_and_training_stops():
    model = nn.MLP((2, 16, 2), rng=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = nn.fit(model, MOONS.X, MOONS.y, optimizer=optim.SGD(lr=1e4), epochs=200)
    d = result.diverged_at
    assert 0 < d < 200
    assert np.all(np.isfinite(result.history.loss[:d])) and np.all(
        np.isnan(result.history.loss[d:])
    )
    assert all(np.all(np.isfinite(p.data)) for p in model.parameters())


def test_a_blown_up_relu_network_counts_as_diverged_before_nan():
    # Full-batch SGD at lr 100: the loss jumps to ~1e7 yet stays finite (dead ReLUs).
    X, y = MOONS.X, MOONS.y
    result = nn.fit(nn.MLP((2, 8, 8, 2), rng=0), X, y, optimizer=optim.SGD(lr=100.0), epochs=20)
    assert result.diverged_at > 0 and np.all(result.history.loss[: result.diverged_at] <= 1e4)
    lenient = nn.fit(
        nn.MLP((2, 8, 8, 2), rng=0), X, y, optimizer=optim.SGD(lr=100.0), epochs=20, limit=1e300
    )
    assert lenient.diverged_at == -1 or lenient.diverged_at > result.diverged_at


def test_one_class_and_bad_arguments_raise_clear_errors():
    model = nn.MLP((2, 4, 2), rng=0)
    with pytest.raises(ValueError, match="only one class"):
        nn.train(model, MOONS.X[:5], np.zeros(5, int), optimizer=optim.SGD(lr=0.1), epochs=1)
    with pytest.raises(ValueError, match="labels must be in"):
        nn.train(model, MOONS.X, MOONS.y * 2, optimizer=optim.SGD(lr=0.1), epochs=1)
    with pytest.raises(ValueError, match="epochs"):
        nn.train(model, MOONS.X, MOONS.y, optimizer=optim.SGD(lr=0.1), epochs=-1)
    with pytest.raises(ValueError, match="batch_size"):
        nn.train(model, MOONS.X, MOONS.y, optimizer=optim.SGD(lr=0.1), epochs=1, batch_size=0)


def test_no_hidden_layer_is_logistic_regression():
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss

    blobs = datasets.load("blobs", n_samples=300, n_classes=3, rng=0)
    reference = LogisticRegression(C=1e8, max_iter=10000, tol=1e-10).fit(blobs.X, blobs.y)
    model = nn.MLP((2, 3), rng=0)
    hist = nn.train(model, blobs.X, blobs.y, optimizer=optim.Adam(lr=0.1), epochs=600)
    assert hist.grad_norms.shape == (600, 1) and model.hidden_outputs(blobs.X) == []
    # the same convex problem: Adam approaches sklearn's optimum from above
    best = log_loss(blobs.y, reference.predict_proba(blobs.X))
    assert best <= nn.evaluate(model, blobs.X, blobs.y)[0] < best * 1.02
    assert hist.accuracy[-1] == pytest.approx(reference.score(blobs.X, blobs.y), abs=0.01)


def test_l2_shrinks_weights_and_float32_stays_float32():
    norms = []
    for l2 in (0.0, 0.1):
        model = nn.MLP((2, 8, 2), rng=0, dtype=np.float32)
        nn.train(model, MOONS.X, MOONS.y, optimizer=optim.Adam(lr=0.02), epochs=100, l2=l2)
        assert all(p.dtype == np.float32 for p in model.parameters())
        norms.append(sum(np.sum(layer.weight.data**2) for layer in model.layers))
    assert norms[1] < 0.5 * norms[0]


def test_train_test_split_keeps_both_sides():
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    X_tr, X_te, y_tr, y_te = nn.train_test_split(X, y, test_fraction=0.3, rng=0)
    assert len(y_te) == 3 and len(y_tr) == 7
    assert sorted(np.concatenate([y_tr, y_te])) == list(range(10))
    assert len(nn.train_test_split(X[:2], y[:2], test_fraction=0.99)[3]) == 1


def test_resume_in_pieces_equals_one_run_and_stops_after_divergence():
    kwargs = dict(optimizer=optim.Momentum(lr=0.05), batch_size=50, rng=2)
    model = nn.MLP((2, 6, 2), rng=0)
    progress = nn.start(model)
    assert progress.epoch == 0 and progress.grad_norms.shape == (0, 2)
    for k in (3, 4):
        progress = nn.resume(model, progress, MOONS.X, MOONS.y, epochs=k, **kwargs)
    whole = nn.fit(nn.MLP((2, 6, 2), rng=0), MOONS.X, MOONS.y, epochs=7, **kwargs)
    assert progress.epoch == 7 and progress.diverged_at == -1
    np.testing.assert_array_equal(progress.loss, whole.history.loss)
    np.testing.assert_array_equal(progress.grad_norms, whole.history.grad_norms)

    blown = nn.resume(
        nn.MLP((2, 8, 8, 2), rng=0),
        nn.start(nn.MLP((2, 8, 8, 2), rng=0)),
        MOONS.X,
        MOONS.y,
        optimizer=optim.SGD(lr=100.0),
        epochs=20,
    )
    assert 0 < blown.diverged_at == blown.epoch < 20 and len(blown.loss) == blown.epoch
    again = nn.resume(
        nn.MLP((2, 8, 8, 2), rng=0),
        blown,
        MOONS.X,
        MOONS.y,
        optimizer=optim.SGD(lr=100.0),
        epochs=5,
    )
    assert again is blown


def test_neuron_graph_grid_standardize_and_latex():
    from dlcore.autograd import trace

    t = trace(nn.neuron([1.0, -0.5], [0.8, 0.4], 0.1, 1.0, activation="tanh"))
    values = dict(zip(t.labels, t.values))
    np.testing.assert_allclose(values["z"], 0.7)
    np.testing.assert_allclose(values["L"], (np.tanh(0.7) - 1.0) ** 2)
    with pytest.raises(ValueError, match="2 numbers"):
        nn.neuron([1.0], [1.0, 2.0], 0.0, 0.0)
    xs, ys, points = nn.grid_over(np.array([[0.0, 0.0], [1.0, 2.0]]), resolution=5, margin=0.0)
    np.testing.assert_allclose(xs, np.linspace(0, 1, 5))
    np.testing.assert_allclose(points[6], [xs[1], ys[1]])
    a, b = nn.standardize_split(np.array([[1.0, 5.0], [3.0, 5.0]]), np.array([[2.0, 6.0]]))
    np.testing.assert_allclose(a, [[-1.0, 0.0], [1.0, 0.0]])
    np.testing.assert_allclose(b, [[0.0, 1.0]])  # a constant column is not divided by zero


def test_pre_activations_feed_the_hidden_outputs_and_kinks_are_listed():
    model = nn.MLP((2, 4, 3, 2), activation="relu", rng=3)
    X = np.random.default_rng(0).normal(size=(5, 2))
    zs, hs = model.pre_activations(X), model.hidden_outputs(X)
    assert [z.shape for z in zs] == [(5, 4), (5, 3)]
    np.testing.assert_allclose(zs[0], X @ model.layers[0].weight.data + model.layers[0].bias.data)
    for z, h in zip(zs, hs):
        np.testing.assert_array_equal(h, np.maximum(z, 0))
    np.testing.assert_allclose(zs[1], hs[0] @ model.layers[1].weight.data)  # zero biases
    assert nn.HIDDEN_ACTIVATIONS["relu"].kinks == (0.0,)
    assert all(not nn.HIDDEN_ACTIVATIONS[k].kinks for k in ("tanh", "sigmoid", "identity"))
    assert nn.MLP((2, 2), rng=0).pre_activations(X) == []  # no hidden layer
