"""dlcore.pooling against a reshape reference and plain loops."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore.pooling import (
    avg_pool2d,
    max_pool2d,
    max_pool2d_backward,
    max_pool2d_indices,
    pool_output_size,
)


def _loops(x, k, s, reduce):
    (kh, kw), (sh, sw) = k, s
    oh, ow = (x.shape[-2] - kh) // sh + 1, (x.shape[-1] - kw) // sw + 1
    out = np.empty(x.shape[:-2] + (oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[..., i, j] = reduce(
                x[..., i * sh : i * sh + kh, j * sw : j * sw + kw], axis=(-2, -1)
            )
    return out


def test_non_overlapping_equals_reshape_reference():
    x = np.random.default_rng(0).normal(size=(3, 12, 18)).astype(np.float32)
    blocks = x.reshape(3, 6, 2, 6, 3)
    np.testing.assert_array_equal(max_pool2d(x, (2, 3)), blocks.max(axis=(2, 4)))
    np.testing.assert_allclose(avg_pool2d(x, (2, 3)), blocks.mean(axis=(2, 4)), rtol=1e-6)
    assert max_pool2d(x, 2).dtype == np.float32


@pytest.mark.parametrize("k, s", [(2, 1), (3, 2), ((2, 3), (3, 1)), (3, None), (1, 1), (5, 4)])
def test_any_window_equals_loops_floor_mode(k, s):
    x = np.random.default_rng(1).normal(size=(2, 13, 11))
    kk = k if isinstance(k, tuple) else (k, k)
    ss = kk if s is None else (s if isinstance(s, tuple) else (s, s))
    np.testing.assert_allclose(max_pool2d(x, k, s), _loops(x, kk, ss, np.max))
    np.testing.assert_allclose(avg_pool2d(x, k, s), _loops(x, kk, ss, np.mean))
    assert max_pool2d(x[0], k, s).shape == (
        pool_output_size(13, kk[0], ss[0]),
        pool_output_size(11, kk[1], ss[1]),
    )


def test_indices_point_at_the_maximum_and_first_wins_on_ties():
    x = np.random.default_rng(2).normal(size=(2, 9, 10))
    idx = max_pool2d_indices(x, 3, 2)
    np.testing.assert_array_equal(
        np.take_along_axis(x.reshape(2, -1), idx.reshape(2, -1), 1).reshape(idx.shape),
        max_pool2d(x, 3, 2),
    )
    flat = np.zeros((4, 4))
    assert max_pool2d_indices(flat, 2).tolist() == [[0, 2], [8, 10]]  # the window's top-left


def test_backward_routes_gradient_to_winners():
    x = np.array([[1.0, 5.0, 2.0], [0.0, 3.0, 4.0], [7.0, 1.0, 0.0]])
    idx = max_pool2d_indices(x, 2, 1)  # windows overlap: 5 wins twice
    grad = max_pool2d_backward(np.array([[1.0, 10.0], [100.0, 1000.0]]), idx, x.shape)
    expected = np.zeros((3, 3))
    expected[0, 1] = 1 + 10
    expected[2, 0] = 100
    expected[1, 2] = 1000
    np.testing.assert_array_equal(grad, expected)
    # finite differences: d(sum of pooled)/dx
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 6, 7))
    idx = max_pool2d_indices(x, 2, 2)
    g = max_pool2d_backward(np.ones(idx.shape), idx, x.shape)
    eps = 1e-6
    for c, i, j in [(0, 0, 0), (1, 3, 4), (0, 5, 6), (1, 1, 2)]:
        xp, xm = x.copy(), x.copy()
        xp[c, i, j] += eps
        xm[c, i, j] -= eps
        fd = (max_pool2d(xp, 2).sum() - max_pool2d(xm, 2).sum()) / (2 * eps)
        assert g[c, i, j] == pytest.approx(fd, abs=1e-6)


def test_bad_input():
    with pytest.raises(ValueError, match="size must be at most"):
        max_pool2d(np.zeros((3, 3)), 4)
    with pytest.raises(ValueError, match="stride"):
        avg_pool2d(np.zeros((4, 4)), 2, 0)
    with pytest.raises(ValueError, match="axes"):
        max_pool2d(np.zeros(5), 2)
    with pytest.raises(ValueError, match="indices must have the shape"):
        max_pool2d_backward(np.ones((2, 2)), np.zeros((3, 3), int), (4, 4))
