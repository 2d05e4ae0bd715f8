"""dlcore.conv against scipy.signal.correlate2d, scipy.ndimage.correlate and conv2d_naive."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage, signal

from dlcore import conv, fftconv
from dlcore.conv import KERNELS, conv2d, conv2d_naive, im2col, output_size


def _settings(seed: int):
    rng = np.random.default_rng(seed)
    c_in = int(rng.integers(1, 5))
    groups = int(rng.choice([g for g in range(1, c_in + 1) if c_in % g == 0]))
    c_out = groups * int(rng.integers(1, 4))
    kh, kw = (int(v) for v in rng.integers(1, 10, 2))
    stride = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    dilation = (int(rng.integers(1, 3)), int(rng.integers(1, 3)))
    padding = [
        int(rng.integers(0, 4)),
        (int(rng.integers(0, 3)), int(rng.integers(0, 3))),
        "valid",
        "same",
    ][seed % 4]
    if padding == "same":
        stride = (1, 1)
    h = int(rng.integers(dilation[0] * (kh - 1) + 1, 30))
    w = int(rng.integers(dilation[1] * (kw - 1) + 1, 30))
    dtype = np.float32 if seed % 2 else np.float64
    x = rng.normal(size=(c_in, h, w)).astype(dtype)
    weight = rng.normal(size=(c_out, c_in // groups, kh, kw))
    return x, weight, dict(stride=stride, padding=padding, dilation=dilation, groups=groups)


@pytest.mark.parametrize("seed", range(40))
def test_fast_equals_naive_over_random_settings(seed):
    x, weight, kw = _settings(seed)
    fast, slow = conv2d(x, weight, **kw), conv2d_naive(x, weight, **kw)
    assert fast.shape == slow.shape and fast.dtype == slow.dtype == x.dtype
    tol = 2e-4 if x.dtype == np.float32 else 1e-10
    np.testing.assert_allclose(fast, slow, rtol=tol, atol=tol * np.abs(weight).sum())


@pytest.mark.parametrize("shape", [(9, 9), (7, 4), (1, 6), (11, 11)])
def test_fft_route_equals_correlate2d(shape, monkeypatch):
    rng = np.random.default_rng(1)
    x, w = rng.normal(size=(40, 37)), rng.normal(size=shape)
    expected = signal.correlate2d(x, w, mode="valid")
    monkeypatch.setattr(conv, "FFT_MIN_TAPS", 1)
    np.testing.assert_allclose(conv2d(x, w), expected, atol=1e-10)
    # many channels and filters through the FFT as well
    xs, ws = rng.normal(size=(2, 30, 31)), rng.normal(size=(3, 2, *shape))
    monkeypatch.setattr(conv, "FFT_MIN_TAPS", 10**9)
    direct = (
        conv2d(xs, ws, padding="same", dilation=2)
        if shape != (11, 11)
        else conv2d(xs, ws, padding=5)
    )
    monkeypatch.setattr(conv, "FFT_MIN_TAPS", 1)
    via_fft = (
        conv2d(xs, ws, padding="same", dilation=2)
        if shape != (11, 11)
        else conv2d(xs, ws, padding=5)
    )
    np.testing.assert_allclose(via_fft, direct, atol=1e-9)


@pytest.mark.parametrize(
    "c_in, c_out, groups, weight_2d",
    [(1, 1, 1, True), (3, 3, 3, True), (3, 3, 3, False), (2, 3, 1, False), (4, 4, 2, False)],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fft_route_in_column_blocks_equals_naive(
    c_in, c_out, groups, weight_2d, dtype, monkeypatch
):
    # 23 x 29 pads to 24 x 30 (fast lengths) on both axes; 1 element per block forces the
    # smallest blocks (8 spectrum columns, the last one ragged) and one-row bands.
    monkeypatch.setattr(conv, "FFT_MIN_TAPS", 1)
    monkeypatch.setattr(fftconv, "FFT_BLOCK_ELEMENTS", 1)
    rng = np.random.default_rng(c_in * 10 + c_out + groups)
    x = rng.normal(size=(c_in, 23, 29)).astype(dtype)
    w = rng.normal(size=(4, 5) if weight_2d else (c_out, c_in // groups, 4, 5))
    kw = dict(padding=(1, 2), dilation=(2, 1), groups=groups)
    got, expected = conv2d(x, w, **kw), conv2d_naive(x, w, **kw)
    assert got.dtype == dtype and got.shape == expected.shape
    tol = 2e-5 if dtype == np.float32 else 1e-12  # float32 FFT round-off, relative to sum |w x|
    np.testing.assert_allclose(got, expected, atol=tol * np.abs(w).sum() * np.abs(x).max())


def test_fft_route_equals_fftconvolve_in_float32():
    # The benchmarked case (11 x 11, float32), smaller: against scipy's FFT convolution
    # in float32 and float64 ("valid" correlation is convolution with the flipped kernel).
    rng = np.random.default_rng(7)
    x, w = rng.random((257, 200), dtype=np.float32), rng.normal(size=(11, 11)).astype(np.float32)
    got = conv2d(x, w)
    assert got.dtype == np.float32 and got.shape == (247, 190)
    ref32 = signal.fftconvolve(x, w[::-1, ::-1], mode="valid")
    ref64 = signal.fftconvolve(x.astype(np.float64), w[::-1, ::-1].astype(np.float64), "valid")
    np.testing.assert_allclose(got, ref32, atol=2e-5)
    np.testing.assert_allclose(got, ref64, atol=1e-5)


@pytest.mark.parametrize("mode, padding", [("valid", "valid"), ("same", "same"), ("full", None)])
def test_gray_image_equals_scipy_correlate2d(mode, padding):
    rng = np.random.default_rng(2)
    x, w = rng.random((33, 47)), rng.normal(size=(3, 3))
    pad = 2 if padding is None else padding  # "full" is padding k - 1 on each side
    np.testing.assert_allclose(
        conv2d(x, w, padding=pad), signal.correlate2d(x, w, mode=mode), atol=1e-12
    )


@pytest.mark.parametrize("k", [3, 5, 11])
def test_colour_per_channel_equals_ndimage(k):
    rng = np.random.default_rng(k)
    x = rng.random((3, 64, 50)).astype(np.float32)
    w = rng.normal(size=(k, k)).astype(np.float32)
    expected = ndimage.correlate(x, w[None], mode="constant")  # centred at k // 2, zeros outside
    got = conv2d(x, w, padding="same")
    assert got.dtype == np.float32 and got.shape == x.shape
    np.testing.assert_allclose(got, expected, atol=1e-4)
    # groups=3 with the kernel repeated is the same thing
    np.testing.assert_allclose(
        conv2d(x, np.repeat(w[None, None], 3, 0), padding="same", groups=3), got, atol=1e-5
    )


def test_many_filters_large_image_uses_blocks(monkeypatch):
    monkeypatch.setattr(conv, "MATMUL_COLUMNS", 7)  # force many ragged blocks
    rng = np.random.default_rng(3)
    x, w = rng.normal(size=(3, 20, 23)), rng.normal(size=(5, 3, 3, 3))
    np.testing.assert_allclose(
        conv2d(x, w, stride=2, padding=1), conv2d_naive(x, w, stride=2, padding=1), atol=1e-10
    )


def test_bias_and_dtypes():
    x = np.arange(16, dtype=np.uint8).reshape(4, 4)
    out = conv2d(x, np.ones((2, 1, 2, 2)), bias=np.array([1.0, -1.0]))
    assert out.dtype == np.float64 and out.shape == (2, 3, 3)
    assert out[0, 0, 0] == 0 + 1 + 4 + 5 + 1 and out[1, 0, 0] == 10 - 1
    assert conv2d(x.astype(np.float32), np.ones((2, 2))).dtype == np.float32


def test_input_is_not_mutated():
    x = np.random.default_rng(4).random((3, 10, 10)).astype(np.float32)
    before = x.copy()
    conv2d(x, np.ones((3, 3)), padding=1)
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize(
    "n, k, s, p, d",
    [
        (10, 3, 1, 0, 1),
        (10, 3, 2, 1, 1),
        (7, 3, 3, 2, 2),
        (5, 5, 1, 0, 1),
        (28, 5, 2, 2, 1),
        (9, 2, 4, 0, 3),
    ],
)
def test_output_size_matches_actual_shapes(n, k, s, p, d):
    expected = (n + 2 * p - d * (k - 1) - 1) // s + 1
    assert output_size(n, k, s, p, d) == expected
    assert (
        conv2d(np.zeros((n, n + 1)), np.ones((k, k)), stride=s, padding=p, dilation=d).shape[0]
        == expected
    )


def test_impossible_settings_explain_themselves():
    with pytest.raises(ValueError, match=r"spans 13 pixels.*10 \+ 2\*0 = 10"):
        output_size(10, 7, 1, 0, 2)
    with pytest.raises(ValueError, match="kernel must fit"):
        conv2d(np.zeros((4, 4)), np.ones((5, 5)))
    with pytest.raises(ValueError, match="same.*stride 1"):
        conv2d(np.zeros((8, 8)), np.ones((3, 3)), stride=2, padding="same")
    with pytest.raises(ValueError, match="groups must divide"):
        conv2d(np.zeros((3, 8, 8)), np.ones((4, 1, 3, 3)), groups=3)
    with pytest.raises(ValueError, match=r"C_in / groups = 3"):
        conv2d(np.zeros((3, 8, 8)), np.ones((4, 2, 3, 3)))
    with pytest.raises(ValueError, match="padding must be"):
        conv2d(np.zeros((8, 8)), np.ones((3, 3)), padding="full")
    with pytest.raises(ValueError, match="finite"):
        conv2d(np.full((8, 8), np.nan), np.ones((3, 3)))
    with pytest.raises(ValueError, match="stride"):
        conv2d(np.zeros((8, 8)), np.ones((3, 3)), stride=0)


def test_same_padding_even_kernel_puts_extra_pixel_bottom_right():
    x = np.zeros((5, 5))
    x[0, 0] = 1.0
    w = np.arange(4.0).reshape(2, 2)
    out = conv2d(x, w, padding="same")
    # torch pads 0 on top/left and 1 on bottom/right for k = 2: out[0, 0] sees x[0:2, 0:2]
    assert out.shape == (5, 5) and out[0, 0] == w[0, 0]


def test_im2col_times_kernel_is_the_convolution():
    rng = np.random.default_rng(5)
    x, w = rng.normal(size=(2, 9, 8)), rng.normal(size=(4, 2, 3, 2))
    cols = im2col(x, 3, 2, stride=(2, 1), padding=1, dilation=(1, 2))
    out = conv2d(x, w, stride=(2, 1), padding=1, dilation=(1, 2))
    assert cols.shape == (2 * 3 * 2, out.shape[1] * out.shape[2])
    np.testing.assert_allclose((w.reshape(4, -1) @ cols).reshape(out.shape), out, atol=1e-12)
    # the first column is the top-left patch, channel-major
    assert im2col(np.arange(16.0).reshape(4, 4), 2, 2)[:, 0].tolist() == [0, 1, 4, 5]


def test_known_kernel_responses():
    rng = np.random.default_rng(6)
    img = rng.random((20, 30))
    np.testing.assert_allclose(conv2d(img, KERNELS["Identity"].array(), padding="same"), img)
    blurred = conv2d(img, KERNELS["Box blur"].array(size=5), padding="valid")
    assert blurred.mean() == pytest.approx(img[2:-2, 2:-2].mean(), abs=0.02)
    ramp = np.add.outer(
        np.zeros(10), 3.0 * np.arange(12)
    )  # brightness grows 3 per pixel rightwards
    gx = conv2d(ramp, KERNELS["Sobel x"].array())
    np.testing.assert_allclose(gx, 8 * 3.0)  # (1 + 2 + 1) * (x[+1] - x[-1]) = 4 * 6
    np.testing.assert_allclose(conv2d(ramp, KERNELS["Sobel y"].array()), 0.0)
    np.testing.assert_allclose(conv2d(ramp, KERNELS["Laplacian"].array()), 0.0, atol=1e-12)


def test_conv2d_im2col_is_one_matrix_product():
    rng = np.random.default_rng(7)
    x, w = rng.normal(size=(3, 8, 9)), rng.normal(size=(2, 3, 3, 3))
    res = conv.conv2d_im2col(x, w, stride=2, padding=1)
    assert res.cols.shape == (27, 4 * 5) and res.weights.shape == (2, 27)
    np.testing.assert_allclose(res.out, conv2d(x, w, stride=2, padding=1), atol=1e-12)
    single = conv.conv2d_im2col(x[0], w[0, 0], dilation=2)
    np.testing.assert_allclose(single.out[0], conv2d(x[0], w[0, 0], dilation=2), atol=1e-12)
    with pytest.raises(ValueError, match="input channels"):
        conv.conv2d_im2col(x, w[:, :2])


def test_gradient_magnitude_on_a_ramp_and_a_step():
    ramp = np.add.outer(2.0 * np.arange(10), 1.0 * np.arange(12))
    g = conv.gradient_magnitude(ramp, padding=0)
    np.testing.assert_allclose(g.gx, 8.0)
    np.testing.assert_allclose(g.gy, 16.0)
    np.testing.assert_allclose(g.magnitude, np.hypot(8.0, 16.0))
    step = np.zeros((3, 8, 8), dtype=np.float32)
    step[:, :, 4:] = 1
    assert conv.gradient_magnitude(step).magnitude.dtype == np.float32


@pytest.mark.parametrize(
    "kw", [dict(), dict(stride=2, padding=1), dict(padding="same", dilation=2)]
)
def test_patch_at_is_what_the_output_pixel_sums(kw):
    rng = np.random.default_rng(8)
    x, w = rng.normal(size=(2, 11, 13)), rng.normal(size=(3, 3))
    out = conv2d(x, w, **kw)
    for row, col in [(0, 0), (out.shape[1] - 1, out.shape[2] - 1), (2, 3)]:
        p = conv.patch_at(x, w.shape, row, col, **kw)
        np.testing.assert_allclose((p.values * w).sum(axis=(1, 2)), out[:, row, col], atol=1e-12)
        assert p.values.shape == (2, 3, 3) and len(p.rows) == 3
    with pytest.raises(ValueError, match="row"):
        conv.patch_at(x, w.shape, out.shape[1], 0, **kw)


@pytest.mark.parametrize("stride, dilation", [((1, 1), (1, 1)), ((2, 3), (1, 1)), ((1, 2), (3, 1))])
def test_shift_accumulate_is_the_valid_cross_correlation(stride, dilation):
    """The public single-filter route (shown on the Kernels panel) against plain loops."""
    rng = np.random.default_rng(9)
    x, w = rng.normal(size=(23, 19)), rng.normal(size=(3, 4))
    w[1, 2] = 0.0  # a zero tap is skipped, not mishandled
    expected = conv2d_naive(x, w, stride=stride, dilation=dilation)
    out = np.full(expected.shape, np.nan)
    conv.shift_accumulate(x, w, stride, dilation, out)
    np.testing.assert_allclose(out, expected, atol=1e-12)
    # bands of rows: a tiny band size must give the same sums
    banded = np.full(expected.shape, np.nan)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(conv, "BAND_ELEMENTS", 1)
        conv.shift_accumulate(x, w, stride, dilation, banded)
    np.testing.assert_allclose(banded, expected, atol=1e-12)
    zeros = np.full((2, 2), np.nan)
    conv.shift_accumulate(x[:4, :4], np.zeros((3, 3)), (1, 1), (1, 1), zeros)
    assert not zeros.any()  # an all-zero kernel fills zeros, not leftovers
