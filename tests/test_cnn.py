"""The digits CNN: data pipeline, determinism, shipped weights, receptive fields."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_digits

from dlcore.cnn import CNN, CNNConfig, fit_cnn, unit_field
from dlcore.digits import area_matrix, bilinear_matrix, digits_split, prepare_image, upsample
from dlcore.optim import Adam
from dlcore.train_digits import RECIPE, SHIPPED, load_shipped


@pytest.fixture(scope="module")
def split():
    return digits_split(test_fraction=RECIPE.test_fraction, side=RECIPE.side, rng=RECIPE.seed)


def test_split_is_stratified_disjoint_and_seeded(split):
    y = load_digits().target
    assert len(split.y_train) + len(split.y_test) == 1797
    assert len(split.y_test) == 450
    for c in range(10):
        assert abs(np.sum(split.y_test == c) - 0.25 * np.sum(y == c)) <= 0.5
    np.testing.assert_array_equal(split.y_test, y[split.test_index])
    again = digits_split(test_fraction=0.25, side=16, rng=0)
    np.testing.assert_array_equal(again.test_index, split.test_index)
    assert not np.array_equal(digits_split(rng=1).test_index, split.test_index)
    assert split.X_train.shape[1:] == (1, 16, 16) and split.X_train.dtype == np.float32


def test_resampling_matrices():
    np.testing.assert_allclose(bilinear_matrix(8, 16).sum(axis=1), 1)
    np.testing.assert_allclose(area_matrix(32, 8).sum(axis=1), 1)
    # area 32 -> 8 is the mean of 4 x 4 blocks, as load_digits was made
    x = np.random.default_rng(0).random((32, 32))
    blocks = x.reshape(8, 4, 8, 4).mean(axis=(1, 3))
    np.testing.assert_allclose(area_matrix(32, 8) @ x @ area_matrix(32, 8).T, blocks, atol=1e-12)
    # bilinear 2x upsampling equals torch's align_corners=False values by hand
    np.testing.assert_allclose(bilinear_matrix(2, 4) @ [0.0, 1.0], [0, 0.25, 0.75, 1])
    const = upsample(np.full((8, 8), 0.5), 16)
    np.testing.assert_allclose(const, 0.5, atol=1e-7)


def test_prepare_image_blank_inverted_and_digit(split):
    assert prepare_image(np.full((50, 40), 0.7)).image is None
    assert "blank" in prepare_image(np.zeros((5, 5))).message
    digit = load_digits().images[0] / 16
    big = np.kron(digit, np.ones((4, 4)))  # a 32 x 32 white-on-black zero
    p = prepare_image(big)
    assert p.message == "" and p.image.shape == (16, 16)
    assert p.small.shape == (8, 8) and p.small.max() == pytest.approx(1.0)
    inv = prepare_image(1 - big)
    assert "inverted" in inv.warning
    np.testing.assert_allclose(inv.small, p.small, atol=1e-6)
    blob = np.zeros((20, 20))
    blob[5:14, 5:14] = 1
    assert "does not look like" in prepare_image(blob).warning


def test_enlarged_test_digits_through_the_upload_pipeline_are_still_read(split):
    """A test digit blown up to 32 x 32 (as a photo would be) goes through prepare_image."""
    model = load_shipped()
    images = load_digits().images[split.test_index[:60]] / 16
    prepared = np.stack([prepare_image(np.kron(im, np.ones((4, 4)))).image for im in images])
    acc = np.mean(model.predict(prepared[:, None]).argmax(axis=1) == split.y_test[:60])
    assert acc >= 0.8


def test_shipped_weights_reach_097_on_the_held_out_split(split):
    assert SHIPPED.is_file() and SHIPPED.stat().st_size < 100_000
    model = load_shipped()
    acc = np.mean(model.predict(split.X_test).argmax(axis=1) == split.y_test)
    assert acc >= 0.97


def test_a_brief_retrain_is_deterministic_and_learns(split):
    def run():
        model = CNN(CNNConfig(filters=(4, 8), seed=3))
        seen = []
        h = fit_cnn(model, split.X_train, split.y_train, epochs=3, optimizer=Adam(lr=3e-3),
                    rng=3, X_test=split.X_test, y_test=split.y_test,
                    on_epoch=lambda e, hist: seen.append((e, len(hist.loss))))  # fmt: skip
        return model, h, seen

    m1, h1, seen = run()
    m2, h2, _ = run()
    assert seen == [(1, 1), (2, 2), (3, 3)]
    for k, v in m1.weights().items():
        np.testing.assert_array_equal(v, m2.weights()[k])
    np.testing.assert_array_equal(h1.loss, h2.loss)
    assert h1.loss[-1] < h1.loss[0] and h1.test_accuracy[-1] > 0.85


def test_the_autograd_forward_equals_the_numpy_stages(split):
    model = load_shipped()
    x = split.X_test[:5]
    np.testing.assert_allclose(model(x).data, model.stages(x).logits, rtol=1e-5, atol=1e-5)


def test_unit_fields_follow_the_stack():
    assert unit_field("conv 1", 0, 0) == (-1, 1, -1, 1)
    assert unit_field("pool 1", 2, 3) == (3, 6, 5, 8)  # 2x2 window of 3x3 fields at stride 1
    f = unit_field("pool 2", 1, 1)
    assert f.bottom - f.top + 1 == 10
    with pytest.raises(ValueError, match="layer"):
        unit_field("fc", 0, 0)


def test_load_weights_rejects_the_wrong_shape():
    with pytest.raises(ValueError, match="conv1.weight"):
        CNN(CNNConfig(filters=(4, 8))).load_weights(CNN().weights())


def test_on_epoch_returning_true_stops_training(split):
    model = CNN(CNNConfig(filters=(2, 4), seed=1))
    h = fit_cnn(
        model, split.X_train[:64], split.y_train[:64], epochs=5, on_epoch=lambda e, _: e == 2
    )
    assert len(h.loss) == 2 and np.isnan(h.test_accuracy).all()
