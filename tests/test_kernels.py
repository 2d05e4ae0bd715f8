"""dlcore.kernels: every registry entry, Gaussian/box math, and the kernel parser."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore.conv import conv2d
from dlcore.kernels import KERNELS, box_kernel, gaussian_kernel, normalize_kernel, parse_kernel
from tests.pagetest import HOSTILE_TEXTS


@pytest.mark.parametrize("name", list(KERNELS))
@pytest.mark.parametrize("size", [1, 3, 4, 11])
def test_every_kernel_builds_a_finite_2d_array(name, size):
    spec = KERNELS[name]
    k = spec.array(size=size, sigma=1.5)
    assert k.ndim == 2 and np.isfinite(k).all() and np.abs(k).sum() > 0
    assert spec.latex and spec.description and spec.name == name
    if "size" in spec.params:
        assert k.shape == (size, size)
    else:
        assert k.shape == (3, 3)


@pytest.mark.parametrize("name", list(KERNELS))
def test_kernels_are_brightness_preserving_or_zero_sum(name):
    total = KERNELS[name].array(size=5, sigma=1.0).sum()
    edge = name in ("Sobel x", "Sobel y", "Laplacian", "Outline")
    assert total == pytest.approx(0.0 if edge else 1.0, abs=1e-12)


def test_gaussian_matches_its_formula_and_is_separable():
    k = gaussian_kernel(5, 1.3)
    u = np.arange(5) - 2
    g = np.exp(-(u[:, None] ** 2 + u[None, :] ** 2) / (2 * 1.3**2))
    np.testing.assert_allclose(k, g / g.sum())
    assert np.linalg.matrix_rank(k) == 1
    # a wide sigma tends to the box, a narrow one to the identity
    np.testing.assert_allclose(gaussian_kernel(3, 10.0), box_kernel(3), atol=2e-3)
    assert gaussian_kernel(3, 0.1)[1, 1] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="sigma"):
        gaussian_kernel(3, 0.0)
    with pytest.raises(ValueError, match="size"):
        box_kernel(12)


def test_blur_preserves_a_constant_image():
    flat = np.full((3, 12, 12), 0.4, dtype=np.float32)
    for name in ("Box blur", "Gaussian blur", "Motion blur", "Identity", "Sharpen", "Emboss"):
        np.testing.assert_allclose(conv2d(flat, KERNELS[name].array(size=5)), 0.4, rtol=1e-5)


def test_normalize():
    np.testing.assert_allclose(normalize_kernel(np.ones((3, 3))), np.full((3, 3), 1 / 9))
    sobel = KERNELS["Sobel x"].array()
    n = normalize_kernel(sobel)
    assert n.sum() == pytest.approx(0) and np.abs(n).sum() == pytest.approx(1)
    with pytest.raises(ValueError, match="non-zero"):
        normalize_kernel(np.zeros((3, 3)))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0 -1 0; -1 5 -1; 0 -1 0", [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
        ("1/9, 1/9\n1/9, 1/9\n", [[1 / 9, 1 / 9], [1 / 9, 1 / 9]]),
        (" 2.5e-1 ", [[0.25]]),
        ("1 2 3", [[1, 2, 3]]),
    ],
)
def test_parse_kernel_reads_numbers_and_fractions(text, expected):
    np.testing.assert_allclose(parse_kernel(text), expected)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("1 2; 3", "same number of cells"),
        ("1, , 2", "row 1, column 2 is empty"),
        ("1 2; 3 abc", "row 2, column 2 must be a number"),
        ("1/0", "divides by zero"),
        ("1e400", "within"),
        ("; ".join(["1"] * 12), "at most 11 rows"),
        (" ".join(["1"] * 12), "at most 11 columns"),
        ("nan", "must be a number"),
        ("x" * 3000, "at most 2000 characters"),
    ],
)
def test_parse_kernel_refuses_with_a_clear_message(text, message):
    with pytest.raises(ValueError, match=message):
        parse_kernel(text)


@pytest.mark.parametrize("text", [t for t in HOSTILE_TEXTS if t not in ("1/0",)])
def test_hostile_text_is_a_value_error(text):
    with pytest.raises(ValueError):
        parse_kernel(text)
