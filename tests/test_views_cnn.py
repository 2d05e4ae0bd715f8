"""dlcore.views.cnn: what the Convolutional networks panels show, checked by recomputation."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import correlate2d
from scipy.special import softmax as scipy_softmax

from dlcore.train_digits import load_shipped
from dlcore.views import cnn as views


@pytest.fixture(scope="module")
def split():
    return views.shipped_split()


def test_network_view_on_a_test_digit(split):
    w = views.network_view(5, 2.0, ("conv 1", 0, 8, 8), split=split)
    assert w.label == int(split.y_test[5]) and w.message == ""
    np.testing.assert_allclose(w.probs, scipy_softmax(w.logits / 2.0), rtol=1e-10)
    assert w.predicted == int(np.argmax(w.logits))
    assert w.top_probability == pytest.approx(scipy_softmax(w.logits / 2.0).max())
    assert w.confidence == pytest.approx(scipy_softmax(w.logits).max())
    assert [r.name for r in w.rows] == ["conv 1", "pool 1", "conv 2", "pool 2"]
    assert [r.maps.shape for r in w.rows] == [(8, 16, 16), (8, 8, 8), (16, 8, 8), (16, 4, 4)]
    assert all((r.maps >= 0).all() for r in w.rows)


def test_first_layer_maps_equal_scipy_correlation(split):
    w = views.network_view(0, 1.0, ("conv 1", 0, 0, 0), split=split)
    model = load_shipped()
    k = model.params["conv1.weight"].data[:, 0]
    b = model.params["conv1.bias"].data
    for c in range(8):
        ref = np.maximum(correlate2d(np.pad(w.image, 1), k[c], mode="valid") + b[c], 0)
        np.testing.assert_allclose(w.rows[0].maps[c], ref, atol=1e-5)


@pytest.mark.parametrize(
    "unit", [("conv 1", 3, 0, 15), ("conv 1", 0, 8, 8), ("conv 2", 5, 7, 0), ("conv 2", 15, 3, 4)]
)
def test_a_conv_unit_is_the_sum_of_its_products(split, unit):
    w = views.network_view(11, 1.0, unit, split=split)
    u = w.unit
    assert u.products.sum() + u.bias == pytest.approx(u.pre, abs=1e-4)
    assert u.value == pytest.approx(max(u.pre, 0.0))
    layer = {"conv 1": 0, "conv 2": 2}[u.layer]
    assert w.rows[layer].maps[u.channel, u.row, u.col] == pytest.approx(u.value, abs=1e-5)
    np.testing.assert_allclose(u.products, u.kernel * u.patch)
    assert "ReLU" in u.latex
    # one input channel: the products are written out as matrices; eight are too many
    assert (u.grid_latex.count(r"\begin{bmatrix}") == 3) == (u.layer == "conv 1")


def test_products_latex_writes_each_product_of_patch_and_kernel():
    patch = np.array([[0.5, -1.0], [2.0, 0.0]])
    kernel = np.array([[2.0, 3.0], [-0.25, 7.0]])
    tex = views.products_latex(patch, kernel)
    x, w, xw = (part.split(r"\end{bmatrix}")[0] for part in tex.split(r"\begin{bmatrix}")[1:])
    assert x == r"0.5 & -1 \\ 2 & 0" and w == r"2 & 3 \\ -0.25 & 7"
    assert xw == r"1 & -3 \\ -0.5 & 0"
    assert r"\odot" in tex and tex.index(r"\odot") < tex.index("=")


def test_a_pool_unit_is_the_max_of_its_window_and_out_of_range_units_are_clamped(split):
    w = views.network_view(2, 1.0, ("pool 2", 99, 99, -3), split=split)
    u = w.unit
    assert (u.channel, u.row, u.col) == (15, 3, 0)
    assert u.patch.shape == (2, 2) and u.value == pytest.approx(u.patch.max())
    assert w.rows[3].maps[15, 3, 0] == pytest.approx(u.value)
    assert (u.field.bottom - u.field.top + 1) == 10


def test_uploads_blank_and_inverted():
    blank = views.network_view(0, 1.0, ("conv 1", 0, 0, 0), gray=np.ones((30, 30)))
    assert blank.image is None and "blank" in blank.message
    digit = views.shipped_split().X_test[0, 0]
    photo = 1 - np.kron(digit, np.ones((4, 4)))
    w = views.network_view(0, 1.0, ("conv 1", 0, 0, 0), gray=photo)
    assert w.label == -1 and "inverted" in w.warning and w.image.shape == (16, 16)


def test_verdict_sentences():
    assert views.network_view(0, 1.0, ("conv 1", 0, 0, 0)).verdict.endswith("Correct.")
    noise = np.random.default_rng(0).random((40, 40))
    w = views.network_view(0, 1.0, ("conv 1", 0, 0, 0), gray=noise)
    assert w.verdict.startswith("Unsure" if w.confidence < views.LOW_CONFIDENCE else "The network")


def test_signed_sum():
    assert views.signed_sum(np.array([0.5, -0.25, 1.0])) == "0.5 - 0.25 + 1"
    assert views.signed_sum(np.array([-2.0])) == "-2"


def test_mistakes_view_agrees_with_a_direct_count(split):
    w = views.mistakes_view()
    pred = load_shipped().predict(split.X_test).argmax(axis=1)
    assert w.confusion.sum() == len(split.y_test)
    assert w.accuracy == pytest.approx(np.mean(pred == split.y_test))
    assert len(w.true) == int(np.sum(pred != split.y_test))
    np.testing.assert_array_equal(w.predicted, pred[w.index])
    norm = views.mistakes_view(normalise=True)
    np.testing.assert_allclose(norm.confusion.sum(axis=1), 1)
    np.testing.assert_allclose(np.diag(norm.confusion), w.recall)
    only = views.mistakes_view(true_class=int(w.true[0]))
    assert set(only.true) == {int(w.true[0])}


def test_train_network_is_seeded(split):
    small = split._replace(X_train=split.X_train[:200], y_train=split.y_train[:200])
    s = views.TrainSettings(epochs=2, f1=2, f2=4)
    a, b = views.train_network(s, small), views.train_network(s, small)
    np.testing.assert_array_equal(a.filters_after, b.filters_after)
    assert a.filters_before.shape == (2, 3, 3) and not np.allclose(
        a.filters_before, a.filters_after
    )
    assert len(a.history.loss) == 2 and a.test_accuracy == a.history.test_accuracy[-1]


def test_picker_digits_are_four_of_each_class_in_class_order(split):
    positions = views.picker_digits(split)
    assert positions.shape == (40,)
    np.testing.assert_array_equal(split.y_test[positions], np.tile(np.arange(10), 4))
    assert positions[0] == np.flatnonzero(split.y_test == 0)[0]
