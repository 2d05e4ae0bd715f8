"""dlcore.views.playground: the playground's data, ticks, frames, messages and exports."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import accuracy_score

from dlcore import playground as pg
from dlcore import schedules
from dlcore.pointsfile import Points
from dlcore.views import playground as views


def test_data_is_split_and_scaled_by_the_base_training_set():
    spec = views.DataSpec("moons", n=100, noise=0.1, test_fraction=0.3, seed=2)
    clicked = Points(np.array([[5.0, 5.0]]), np.array([1]), "classification")
    d = views.play_data(spec, None, clicked)
    assert len(d.X_train) == 71 and len(d.X_test) == 30 and d.added == 1
    np.testing.assert_array_equal(d.X_train[-1], [5.0, 5.0])
    base = d.X_train[:-1]  # the clicked point does not move the scaling
    np.testing.assert_allclose(d.mean, base.mean(axis=0), rtol=0, atol=1e-15)
    np.testing.assert_allclose(d.std, base.std(axis=0), rtol=0, atol=1e-15)
    F = views.play_inputs(d, ("x1", "x2"), base)
    np.testing.assert_allclose(F.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(F.std(axis=0), 1, atol=1e-12)
    assert d.task == "classification" and d.outputs == 2 and not d.one_d


def test_regression_curve_and_upload_sources():
    d = views.play_data(views.DataSpec("curve", n=50), None, None)
    assert d.task == "regression" and d.outputs == 1 and d.one_d
    assert d.y_train.dtype.kind == "f"
    with pytest.raises(ValueError, match="upload a CSV file first"):
        views.play_data(views.DataSpec(views.UPLOAD), None, None)
    up = Points(np.arange(20.0).reshape(10, 2), np.array([0, 1, 2] * 3 + [0]), "classification")
    d = views.play_data(views.DataSpec(views.UPLOAD, test_fraction=0.2), up, None)
    assert d.outputs == 3 and len(d.X_train) + len(d.X_test) == 10
    with pytest.raises(ValueError, match="added points must be regression points"):
        views.play_data(
            views.DataSpec("plane"), None, Points(np.zeros((1, 2)), np.array([1]), "classification")
        )


def test_one_class_after_the_split_is_named():
    up = Points(np.arange(8.0).reshape(4, 2), np.array([0, 0, 0, 1]), "classification")
    with pytest.raises(ValueError, match="only one class"):
        views.play_data(views.DataSpec(views.UPLOAD, test_fraction=0.3, seed=2), up, None)


def test_knobs_build_the_regimen_with_a_schedule():
    r = views.Knobs("Adam", 0.1, "Cosine", 10, batch=500, l1=0.01).regimen(40)
    assert r.batch_size == 40 and r.l1 == 0.01
    assert isinstance(r.optimizer.lr, schedules.CosineDecay)
    assert r.optimizer.lr(0) == pytest.approx(0.1) and r.optimizer.lr(10) == pytest.approx(0.0)
    assert views.Knobs(lr=0.3).regimen(100).optimizer.lr(123) == pytest.approx(0.3)


def test_frame_shapes_probabilities_and_accuracy():
    d = views.play_data(views.DataSpec("xor", n=120, seed=1), None, None)
    arch = pg.Architecture(("x1", "x2", "x1*x2"), (5, 3), ("relu", "tanh"), d.outputs, d.task)
    s = views.play_tick(arch, views.Knobs(lr=0.1), d, pg.initial_state(arch), 20)
    f = views.play_frame(arch, d, s, resolution=30, map_resolution=10)
    assert f.output.shape == (900, 2)
    np.testing.assert_allclose(f.output.sum(axis=1), 1, atol=1e-6)
    assert [m.shape for m in f.maps] == [(100, 3), (100, 5), (100, 3), (100, 1)]
    assert [w.shape for w in f.links] == [(3, 5), (5, 3), (3, 1)]
    W3 = s.weights[4]
    np.testing.assert_array_equal(f.links[-1][:, 0], W3[:, 1] - W3[:, 0])  # drives p1 - p0
    assert f.names[0] == ("x1", "x2", "x1*x2") and f.names[2][-1] == "h2.3"
    assert np.all(np.abs(f.maps[-1]) <= 1)
    proba = pg.predict(arch, s.weights, views.play_inputs(d, arch.features, d.X_test))[-1]
    expected = accuracy_score(d.y_test, proba.argmax(axis=1))
    assert float(f.metrics["Test accuracy"]) == pytest.approx(expected, abs=5e-4)
    assert f.metrics["Epoch"] == "20" and f.metrics["Parameters"] == str(4 * 5 + 6 * 3 + 4 * 2)
    hard = views.play_frame(arch, d, s, resolution=30, discrete=True)
    assert set(np.unique(hard.output)) <= {0.0, 1.0}
    np.testing.assert_array_equal(hard.output.argmax(1), f.output.argmax(1))


def test_regression_frame_and_divergence_message():
    d = views.play_data(views.DataSpec("plane", n=60), None, None)
    arch = pg.Architecture(hidden=(3,), activations=("tanh",), outputs=1, task="regression")
    s = views.play_tick(arch, views.Knobs("SGD", 10.0), d, pg.initial_state(arch), 30)
    f = views.play_frame(arch, d, s)
    assert f.output.shape == (1600,) and f.status == "diverged"
    assert f"epoch {s.diverged_at + 1}" in f.message and "lower the learning rate" in f.message
    assert "Train accuracy" not in f.metrics


def test_change_messages():
    a = pg.Architecture()
    assert views.architecture_change(a, a) == ""
    b = pg.Architecture(hidden=(4, 3), features=("x1", "x2", "sin x1"))
    msg = views.architecture_change(a, b)
    assert msg.startswith("New input features, layers or neurons:") and "fresh weights" in msg
    k = views.Knobs()
    assert views.knobs_change(k, k, 5) == ""
    assert views.knobs_change(k, views.Knobs(lr=0.1), 5).endswith("continues from epoch 5.")
    assert "moments start from zero" in views.knobs_change(k, views.Knobs(optimizer="Adam"), 5)


def test_latex_and_exports():
    arch = pg.Architecture()
    tex = views.play_latex(arch, views.Knobs(l1=0.001, l2=0.03, dropout=0.2))
    assert r"2 \to 4 \to 2 \to 2" in tex and r"\lVert W_\ell \rVert_1" in tex
    assert r"\frac{0.03}{2}" in tex and "p = 0.2" in tex
    d = views.play_data(views.DataSpec(n=50), None, None)
    s = views.play_tick(arch, views.Knobs(), d, pg.initial_state(arch), 3)
    weights, points, history = views.play_exports(d, s)
    assert list(weights) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert weights["W2"].shape == (4, 2)
    assert len(points["x1"]) == 50 and list(points["split"]).count("test") == len(d.X_test)
    np.testing.assert_array_equal(history["epoch"], [1, 2, 3])
    np.testing.assert_array_equal(history["train_loss"], s.train_loss)


def test_more_classes_get_one_output_map_each():
    d = views.play_data(views.DataSpec("blobs", n=90, classes=3), None, None)
    arch = pg.Architecture(hidden=(4,), activations=("relu",), outputs=3)
    f = views.play_frame(arch, d, pg.initial_state(arch), map_resolution=8)
    assert f.maps[-1].shape == (64, 3) and f.names[-1] == ("p0", "p1", "p2")
    np.testing.assert_allclose((f.maps[-1] + 1).sum(axis=1) / 2, 1, atol=1e-6)  # 2p - 1
    assert f.links[-1].shape == (4, 3)
