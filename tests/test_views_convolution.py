"""dlcore.views.convolution: each panel's numbers against SciPy, NumPy loops and hand-derived values."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import ndimage, signal

from dlcore import conv
from dlcore.layers import centre_fields, feature_stack
from dlcore.pixels import to_gray
from dlcore.views import convolution as views

K = views.KernelSettings
G = views.GeometrySettings


def _image(h: int = 30, w: int = 41, rgb: bool = True, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    shape = (h, w, 3) if rgb else (h, w)
    return rng.random(shape).astype(np.float32)


# ------------------------------------------------------------------- kernels
def test_choose_kernel_presets_parameters_and_sums():
    sobel = views.choose_kernel(K("Sobel x"))
    np.testing.assert_array_equal(sobel.weights, [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    assert sobel.total == 0 and sobel.taps == 9 and not sobel.problem
    assert not sobel.written_out  # a fixed preset is already written in its formula
    assert "derivative" in sobel.description and sobel.latex.startswith(r"\begin{bmatrix}")
    g = views.choose_kernel(K("Gaussian blur", size=5, sigma=1.0))
    u = np.arange(5) - 2
    expected = np.exp(-(u[:, None] ** 2 + u[None] ** 2) / 2)
    np.testing.assert_allclose(g.weights, expected / expected.sum())
    assert g.total == pytest.approx(1.0) and g.written_out and g.small
    big = views.choose_kernel(K("Box blur", size=7))
    assert big.taps == 49 and not big.small and not big.written_out
    np.testing.assert_allclose(big.weights, np.full((7, 7), 1 / 49))


def test_choose_kernel_normalises_edge_kernels_by_their_absolute_sum():
    k = views.choose_kernel(K("Sobel x", normalise=True))
    np.testing.assert_allclose(k.weights, conv.KERNELS["Sobel x"].array() / 8)
    assert k.written_out  # normalising changed the numbers: write them out
    blur = views.choose_kernel(K("Custom", normalise=True, custom="1 2 1"))
    np.testing.assert_allclose(blur.weights, [[0.25, 0.5, 0.25]])


def test_choose_kernel_reports_an_unreadable_kernel_and_uses_the_identity():
    k = views.choose_kernel(K("Custom", custom="1 2; 3"))
    assert k.fallback and "same number of cells" in k.problem
    np.testing.assert_array_equal(k.weights, conv.KERNELS["Identity"].array())
    zero = views.choose_kernel(K("Custom", normalise=True, custom="0 0; 0 0"))
    assert not zero.fallback and "non-zero" in zero.problem  # kept, not normalised
    np.testing.assert_array_equal(zero.weights, np.zeros((2, 2)))
    typed = views.choose_kernel(K("Custom", custom="1/9 1/9 1/9"))
    assert typed.written_out and typed.total == pytest.approx(1 / 3) and not typed.problem
    with pytest.raises(ValueError, match="name must be one of"):
        views.choose_kernel(K("No such kernel"))


# ------------------------------------------------------------------ geometry
def test_choose_geometry_pads_like_torch_and_replaces_same_at_a_stride():
    same = views.choose_geometry(G(), (3, 3))
    assert same.padding == "same" and same.pads == (1, 1, 1, 1) and not same.warning
    even = views.choose_geometry(G(), (2, 4))
    assert even.pads == (0, 1, 1, 2)  # torch puts the extra pixel bottom/right
    strided = views.choose_geometry(G(stride=2, dilation=2), (3, 3))
    assert strided.padding == (2, 2) and strided.pads == (2, 2, 2, 2)
    assert "only defined at stride 1" in strided.warning and "(2, 2)" in strided.warning
    row = views.choose_geometry(G(stride=3), (1, 11))
    assert row.padding == (0, 5)  # a 1 x 11 kernel needs no rows of padding
    assert views.choose_geometry(G(pad_mode="valid"), (5, 5)).pads == (0, 0, 0, 0)
    assert views.choose_geometry(G(pad_mode="number", pad=3), (5, 5)).pads == (3, 3, 3, 3)
    with pytest.raises(ValueError, match="pad_mode"):
        views.choose_geometry(G(pad_mode="full"), (3, 3))


def test_axis_sizes_match_the_shape_conv2d_returns():
    settings = itertools.product(
        (1, 5, 12), (1, 2, 3, 6), (1, 2, 3), (("same", 1), ("valid", 0), ("number", 2)), (1, 2)
    )
    fitted = 0
    for n, k, s, (mode, p), d in settings:
        g = views.choose_geometry(G(stride=s, pad_mode=mode, pad=p, dilation=d), (k, 1))
        h, w = views.axis_sizes((n, n + 3), (k, 1), g)
        assert (h.axis, w.axis) == ("H", "W") and h.span == d * (k - 1) + 1
        assert h.padded == n + g.pads[0] + g.pads[1]
        x = np.zeros((n, n + 3))
        try:
            shape = conv.conv2d(x, np.ones((k, 1)), stride=s, padding=g.padding, dilation=d).shape
        except ValueError:
            assert h.out is None and views.fit_problem((h, w))
            continue
        fitted += 1
        assert (h.out, w.out) == shape
        assert h.out == (n + g.pads[0] + g.pads[1] - d * (k - 1) - 1) // s + 1
        assert views.fit_problem((h, w)) == ""
    assert 0 < fitted < 216  # both branches were exercised


def _fits(n, k, pad, d):
    return d * (k - 1) + 1 <= n + 2 * pad


@pytest.mark.parametrize("n, k, d", [(6, 11, 1), (10, 3, 5), (4, 5, 3), (1, 2, 1), (3, 9, 2)])
def test_fit_problem_names_fixes_that_fit_and_are_the_tightest(n, k, d):
    g = views.choose_geometry(G(pad_mode="valid", dilation=d), (k, 1))
    message = views.fit_problem(views.axis_sizes((n, 50), (k, 1), g))
    assert message.startswith("kernel must fit in the padded input: along the height")
    assert f"spans {d * (k - 1) + 1} pixels (size {k}, dilation {d})" in message
    assert f"{n} + 0 + 0 = {n}" in message and "width" not in message
    k_max = int(message.split("at most ")[1].split(" taps")[0])
    assert _fits(n, k_max, 0, d) and not _fits(n, k_max + 1, 0, d)
    pad = int(message.split("padding of at least ")[1].split(" pixel")[0])
    assert _fits(n, k, pad, d) and not _fits(n, k, pad - 1, d)
    if "a dilation of at most" in message:
        d_max = int(message.split("a dilation of at most ")[1].split(",")[0])
        assert _fits(n, k, 0, d_max) and not _fits(n, k, 0, d_max + 1)
    else:  # even dilation 1 is too wide: no dilation helps
        assert not _fits(n, k, 0, 1)
    assert message.endswith("or a larger image.")


def test_fit_problem_covers_each_axis_that_fails():
    g = views.choose_geometry(G(pad_mode="valid"), (11, 11))
    message = views.fit_problem(views.axis_sizes((6, 5), (11, 11), g))
    assert "along the height" in message and "along the width" in message
    assert "6 + 0 + 0 = 6" in message and "5 + 0 + 0 = 5" in message


# --------------------------------------------------------------- feature map
def test_feature_map_is_scipy_correlate_per_channel():
    img = _image()
    fm = views.feature_map(img, K("Laplacian"), G())
    w = conv.KERNELS["Laplacian"].array()
    for c in range(3):
        expected = ndimage.correlate(img[..., c].astype(float), w, mode="constant")
        np.testing.assert_allclose(fm.out[c], expected, atol=1e-5)
    assert fm.out.dtype == np.float32 and fm.channels == 3 and fm.problem == ""
    np.testing.assert_allclose(fm.signed, fm.out.mean(axis=0))
    gray = views.feature_map(_image(rgb=False), K("Sobel y"), G(stride=2, pad_mode="valid"))
    expected = signal.correlate2d(_image(rgb=False), conv.KERNELS["Sobel y"].array(), "valid")
    np.testing.assert_allclose(gray.out[0], expected[::2, ::2], atol=1e-5)
    np.testing.assert_array_equal(gray.signed, gray.out[0])


def test_feature_map_that_does_not_fit_has_a_message_and_no_map():
    fm = views.feature_map(_image(6, 5), K("Box blur", size=11), G(pad_mode="valid"))
    assert fm.out is None and fm.signed is None
    assert "kernel must fit" in fm.problem and fm.sizes[0].out is None


def test_channels_first():
    img = _image(4, 5)
    np.testing.assert_array_equal(views.channels_first(img)[2], img[..., 2])
    assert views.channels_first(img[..., 0]).shape == (1, 4, 5)
    assert views.channels_first(np.ones((2, 2), dtype=int)).dtype == np.float64


# -------------------------------------------------------------------- panels
def test_kernels_view_keeps_the_size_and_adds_the_sobel_magnitude():
    img = _image()
    plain = views.kernels_view(img, K())
    assert plain.map.out.shape == (3, 30, 41) and plain.magnitude is None
    assert np.isnan(plain.magnitude_max)
    w = views.kernels_view(img, K(), sobel=True)
    sx, sy = conv.KERNELS["Sobel x"].array(), conv.KERNELS["Sobel y"].array()
    per_channel = [
        np.hypot(
            signal.correlate2d(img[..., c], sx, mode="same"),
            signal.correlate2d(img[..., c], sy, mode="same"),
        )
        for c in range(3)
    ]
    np.testing.assert_allclose(w.magnitude, np.max(per_channel, axis=0), atol=1e-5)
    assert w.magnitude_max == pytest.approx(float(np.max(per_channel)), rel=1e-5)


def test_kernels_view_even_for_a_one_pixel_image():
    w = views.kernels_view(np.full((1, 1, 3), 0.5, dtype=np.float32), K())
    assert w.map.out.shape == (3, 1, 1) and not w.map.problem
    np.testing.assert_allclose(w.map.out, 0.0)  # Sobel x of a single pixel among zeros


def test_geometry_view_is_the_feature_map():
    img = _image()
    w = views.geometry_view(img, K(), G(stride=3, pad_mode="number", pad=2, dilation=2))
    assert w.out.shape == (3, (30 + 4 - 4 - 1) // 3 + 1, (41 + 4 - 4 - 1) // 3 + 1)


def test_pooling_view_pools_the_feature_map_itself():
    """Regression (issue 15): the display-normalised picture used to be pooled."""
    img = _image(24, 30)
    w = views.pooling_view(img, K("Sobel x"), G(), 2, 2)
    out = conv.conv2d(img.transpose(2, 0, 1), conv.KERNELS["Sobel x"].array(), padding="same")
    blocks = out.reshape(3, 12, 2, 15, 2)
    np.testing.assert_allclose(w.pooled_max, blocks.max(axis=(2, 4)), atol=1e-6)
    np.testing.assert_allclose(w.pooled_avg, blocks.mean(axis=(2, 4)), atol=1e-6)
    assert w.pooled_max.min() < 0  # signed responses, not values scaled into [0, 1]
    assert w.pooled_shape == (12, 15) and not w.overlapping and w.problem == ""
    side = 12
    r0, c0 = (24 - side) // 2, (30 - side) // 2
    np.testing.assert_allclose(w.crop, out.mean(axis=0)[r0 : r0 + side, c0 : c0 + side])
    # non-overlapping 2 x 2 windows: exactly one winner per window
    assert w.mask.sum() == 36 and w.winners == 36 and w.crop_pixels == 144
    for i, j in itertools.product(range(6), range(6)):
        window = w.crop[2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
        marks = w.mask[2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
        assert window[marks > 0] == window.max()


def test_pooling_view_overlapping_windows_share_winners():
    w = views.pooling_view(_image(20, 20), K("Identity"), G(), 3, 1)
    windows = (12 - 3) // 1 + 1
    assert w.overlapping and w.mask.sum() == windows**2  # every window sends one unit back
    assert w.winners < windows**2  # some pixel won several windows
    assert w.pooled_shape == (18, 18)


def test_pooling_view_explains_what_cannot_be_pooled():
    tiny = views.pooling_view(_image(1, 1), K(), G(), 2, 2)
    assert tiny.pooled_max is None and "larger image" in tiny.problem and "1 x 1" in tiny.problem
    small = views.pooling_view(_image(4, 9), K(), G(), 6, 2)
    assert "at most 4" in small.problem
    misfit = views.pooling_view(_image(6, 5), K("Box blur", size=11), G(pad_mode="valid"), 2, 2)
    assert "kernel must fit" in misfit.problem and misfit.crop is None


def test_output_shape_sizes_the_sliders():
    img = _image()
    s = views.output_shape(img.shape, K(), G(stride=2))
    assert (s.height, s.width, s.last_row, s.last_col) == (15, 21, 14, 20)
    assert (s.centre_row, s.centre_col, s.fits) == (7, 10, True)
    none = views.output_shape((6, 5), K("Box blur", size=11), G(pad_mode="valid"))
    assert none == views.OutputShape(1, 1, 0, 0, 0, 0, False)


def test_pixel_view_sum_patch_and_receptive_fields():
    img = _image()
    geometry = G(stride=2, pad_mode="number", pad=1, dilation=2)
    w = views.pixel_view(img, K("Emboss"), geometry, 3, 4, 1)
    weights = conv.KERNELS["Emboss"].array()
    padded = np.pad(img[..., 1], 1)
    expected_patch = padded[6 : 6 + 5 : 2, 8 : 8 + 5 : 2]
    np.testing.assert_allclose(w.patch.values, expected_patch)
    np.testing.assert_array_equal(w.patch.rows, [5, 7, 9])  # 3 * 2 - 1 + 2 * (0, 1, 2)
    np.testing.assert_allclose(w.products, expected_patch * weights)
    assert w.value == pytest.approx(float((expected_patch * weights).sum()), abs=1e-5)
    assert w.value == pytest.approx(float(w.map.out[1, 3, 4]))
    np.testing.assert_array_equal(w.source, img[..., 1])
    assert len(w.steps) == 3 and w.field_problem == "" and not w.uneven
    assert w.steps[0].field_height == 5  # d (k - 1) + 1
    # the fields follow the chosen pixel (3, 4), not the centre
    assert w.steps == centre_fields(*_stack(3, 2, 1, 2), 30, 41, at=(3, 4))
    assert (w.steps[0].row, w.steps[0].col) == (3, 4)
    assert tuple(w.steps[0].field) == (5, 9, 7, 11)  # the patch's rows 5..9, columns 7..11


def _stack(k, s, p, d):
    from dlcore.layers import Layer

    layers = [Layer("conv", k, s, p, d), Layer("pool", 2, 2), Layer("conv", k, s, p, d)]
    return layers, layers


def test_pixel_view_clamps_the_position_and_reports_what_does_not_fit():
    w = views.pixel_view(_image(), K(), G(), 999, 999, 0)
    assert (w.row, w.col) == (29, 40)  # a stale slider value past the (new) map's edge
    even = views.pixel_view(_image(), K("Custom", custom="1 -1; 1 -1"), G(), 0, 0, 0)
    assert even.uneven  # 'same' padding of an even kernel: one extra pixel bottom/right
    assert even.patch.rows[0] == 0 and even.patch.cols[-1] == 1
    tiny = views.pixel_view(_image(3, 3), K("Box blur", size=3), G(pad_mode="valid"), 0, 0, 0)
    assert tiny.steps == [] and "kernel must fit" in tiny.field_problem  # pool + conv on 1 px
    misfit = views.pixel_view(_image(3, 3), K("Box blur", size=5), G(pad_mode="valid"), 0, 0, 0)
    assert misfit.patch is None and "kernel must fit" in misfit.map.problem
    with pytest.raises(ValueError, match="channel"):
        views.pixel_view(_image(rgb=False), K(), G(), 0, 0, 2)


def test_im2col_view_is_one_matrix_product_on_the_centre_crop():
    img = _image()
    w = views.im2col_view(img, K("Sharpen"), G(stride=1))
    assert w.crop.shape == (6, 6) and w.positions == 16 and w.taps == 9  # 3 + 3 s pixels a side
    np.testing.assert_array_equal(w.crop, img[12:18, 17:23, 0])
    np.testing.assert_allclose(w.im2col.cols, conv.im2col(w.crop, 3, 3))
    expected = signal.correlate2d(w.crop, conv.KERNELS["Sharpen"].array(), mode="valid")
    np.testing.assert_allclose(w.im2col.out[0], expected, atol=1e-5)
    dilated = views.im2col_view(img, K("Sharpen"), G(stride=2, dilation=2))
    assert dilated.crop.shape == (11, 11) and dilated.positions == 16


def test_im2col_view_refuses_large_kernels_and_tiny_images_with_a_reason():
    big = views.im2col_view(_image(), K("Box blur", size=7), G())
    assert big.too_large and "up to 5 x 5" in big.problem and big.im2col is None
    tiny = views.im2col_view(_image(2, 2), K("Sobel x"), G())
    assert not tiny.too_large and "kernel must fit" in tiny.problem and "2 x 2" in tiny.problem


def test_stack_view_runs_the_fixed_cnn_on_the_gray_image():
    img = _image(40, 50)
    w = views.stack_view(img)
    ref = feature_stack(to_gray(img), max_side=views.STACK_SIDE)
    assert [s.name for s in w.stages] == [s.name for s in ref]
    for got, want in zip(w.stages, ref):
        np.testing.assert_allclose(got.maps, want.maps, atol=1e-6)
    assert [s.name for s in w.summary] == ["input", "ReLU + max-pool 2x2"]
    assert w.shapes[1] == ("conv 1 (4 edge filters)", (4, 38, 48))
    big = views.stack_view(_image(300, 200))
    assert max(big.stages[0].maps.shape[1:]) <= views.STACK_SIDE
    tiny = views.stack_view(_image(1, 1))
    assert tiny.stages == [] and "at least 12" in tiny.problem
