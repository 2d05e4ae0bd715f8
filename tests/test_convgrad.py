"""Batched conv2d and max-pool: forward against scipy and dlcore.conv, backward against finite differences."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import correlate2d

from dlcore.autograd import Tensor
from dlcore.conv import conv2d, max_pool2d
from dlcore.convgrad import (
    conv2d_batch,
    conv2d_batch_backward,
    conv2d_tensor,
    max_pool2d_batch,
    max_pool2d_batch_backward,
    max_pool2d_tensor,
)

GEOMETRIES = [
    (1, 0, 1),
    (1, 1, 1),
    (2, 1, 1),
    (1, 2, 2),
    (3, 0, 2),
    ((2, 1), (1, 0), (1, 2)),
    (1, "same", 2),
]


def _numeric(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += eps
        down[i] -= eps
        grad[i] = (f(up) - f(down)) / (2 * eps)
    return grad


def test_single_channel_forward_equals_scipy_correlate2d():
    rng = np.random.default_rng(1)
    x, w = rng.normal(size=(9, 11)), rng.normal(size=(3, 4))
    out, _ = conv2d_batch(x[None, None], w[None, None])
    np.testing.assert_allclose(out[0, 0], correlate2d(x, w, mode="valid"), atol=1e-12)
    out, _ = conv2d_batch(x[None, None], w[None, None], padding=(2, 3))
    np.testing.assert_allclose(out[0, 0], correlate2d(x, w, mode="full"), atol=1e-12)


@pytest.mark.parametrize("stride,padding,dilation", GEOMETRIES)
def test_conv_forward_equals_dlcore_conv2d_per_image(stride, padding, dilation):
    rng = np.random.default_rng(2)
    x, w, b = rng.normal(size=(3, 2, 8, 9)), rng.normal(size=(4, 2, 3, 2)), rng.normal(size=4)
    args = dict(stride=stride, padding=padding, dilation=dilation)
    out, _ = conv2d_batch(x, w, b, **args)
    ref = np.stack([conv2d(xi, w, bias=b, **args) for xi in x])
    np.testing.assert_allclose(out, ref, atol=1e-12)


@pytest.mark.parametrize("stride,padding,dilation", GEOMETRIES)
def test_conv_gradients_equal_finite_differences(stride, padding, dilation):
    rng = np.random.default_rng(3)
    x, w, b = rng.normal(size=(2, 2, 7, 8)), rng.normal(size=(3, 2, 3, 2)), rng.normal(size=3)
    args = dict(stride=stride, padding=padding, dilation=dilation)
    out, cache = conv2d_batch(x, w, b, **args)
    g = rng.normal(size=out.shape)
    gx, gw, gb = conv2d_batch_backward(g, w, cache)
    np.testing.assert_allclose(
        gx, _numeric(lambda v: np.sum(conv2d_batch(v, w, b, **args)[0] * g), x), atol=1e-6
    )
    np.testing.assert_allclose(
        gw, _numeric(lambda v: np.sum(conv2d_batch(x, v, b, **args)[0] * g), w), atol=1e-6
    )
    np.testing.assert_allclose(
        gb, _numeric(lambda v: np.sum(conv2d_batch(x, w, v, **args)[0] * g), b), atol=1e-6
    )


@pytest.mark.parametrize("size,stride", [(2, None), (3, 2), ((2, 3), (1, 2)), (3, 1)])
def test_max_pool_forward_and_gradient(size, stride):
    rng = np.random.default_rng(4)
    x = rng.normal(size=(2, 3, 7, 8))  # distinct values: max is differentiable
    out, cache = max_pool2d_batch(x, size, stride)
    ref = np.stack([max_pool2d(xi, size, stride) for xi in x])
    np.testing.assert_array_equal(out, ref)
    g = rng.normal(size=out.shape)
    grad = max_pool2d_batch_backward(g, cache)
    num = _numeric(lambda v: np.sum(max_pool2d_batch(v, size, stride)[0] * g), x)
    np.testing.assert_allclose(grad, num, atol=1e-6)


def test_max_pool_ties_go_to_the_first_maximum_like_torch():
    x = np.zeros((1, 1, 2, 2))
    _, cache = max_pool2d_batch(x, 2)
    grad = max_pool2d_batch_backward(np.ones((1, 1, 1, 1)), cache)
    np.testing.assert_array_equal(grad[0, 0], [[1, 0], [0, 0]])


def test_tensor_ops_backpropagate_through_a_small_network():
    rng = np.random.default_rng(5)
    x, w, b = rng.normal(size=(2, 1, 6, 6)), rng.normal(size=(2, 1, 3, 3)), rng.normal(size=2)

    def loss_of(xv, wv, bv):
        h = conv2d_tensor(Tensor(xv), Tensor(wv), Tensor(bv), padding=1, stride=1).relu()
        return (max_pool2d_tensor(h, 2) ** 2).sum()

    xt, wt, bt = Tensor(x), Tensor(w), Tensor(b)
    h = conv2d_tensor(xt, wt, bt, padding=1).relu()
    (max_pool2d_tensor(h, 2) ** 2).sum().backward()
    np.testing.assert_allclose(wt.grad, _numeric(lambda v: loss_of(x, v, b).item(), w), atol=1e-6)
    np.testing.assert_allclose(xt.grad, _numeric(lambda v: loss_of(v, w, b).item(), x), atol=1e-6)
    np.testing.assert_allclose(bt.grad, _numeric(lambda v: loss_of(x, w, v).item(), b), atol=1e-6)


def test_float32_stays_float32_and_bad_shapes_raise():
    x = np.ones((1, 2, 5, 5), np.float32)
    out, _ = conv2d_batch(x, np.ones((1, 2, 3, 3)))
    assert out.dtype == np.float32
    with pytest.raises(ValueError, match="input channels"):
        conv2d_batch(x, np.ones((1, 3, 3, 3)))
    with pytest.raises(ValueError, match="size"):
        max_pool2d_batch(x, 6)
