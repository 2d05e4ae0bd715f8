"""dlcore.challenges.convolution: edge kernels, output sizes, pooling windows."""

import math

import numpy as np
import pytest

from dlcore import conv
from dlcore.challenges import convolution as cc


def test_horizontal_edge_kernels_pass():
    assert cc.finds_horizontal_edges([[1, 2, 1], [0, 0, 0], [-1, -2, -1]]).passed
    assert cc.finds_horizontal_edges([[0, 0, 0], [1, 1, 1], [-1, -1, -1]]).passed
    assert cc.finds_horizontal_edges(conv.KERNELS["Sobel y"].array()).passed


@pytest.mark.parametrize(
    ("weights", "words"),
    [
        ([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], "add up to 1"),  # the typed default: sharpen
        ([[1, 0, -1], [2, 0, -2], [1, 0, -1]], "vertical edges"),  # Sobel x
        ([[0, 0, 0], [0, 0, 0], [0, 0, 0]], "does not respond"),  # all zero
        ([[1, -2, 1], [1, -2, 1], [1, -2, 1]], "does not respond"),  # a vertical line detector
        ([[1, 1, 1], [-2, -2, -2], [1, 1, 1]], "does not respond"),  # a line, not an edge
        ([[1, -1], [1, -1]], "2 x 2"),
        ([[1, 2, 1], [0, math.nan, 0], [-1, -2, -1]], "non-finite"),
    ],
)
def test_what_is_not_a_horizontal_edge_detector_fails(weights, words):
    verdict = cc.finds_horizontal_edges(weights)
    assert not verdict.passed and words in verdict.reason


def test_a_preset_is_not_typed():
    assert not cc.finds_horizontal_edges(
        np.array([[1, 2, 1], [0, 0, 0], [-1, -2, -1]]), typed=False
    ).passed


def test_output_is():
    assert cc.output_is(28, (14, 14), 14).passed
    assert not cc.output_is(28, (28, 28), 14).passed  # the default: same padding
    assert not cc.output_is(28, (14, 13), 14).passed
    assert not cc.output_is(28, None, 14).passed  # the kernel does not fit


def test_keeps_size_by_hand():
    assert cc.keeps_size_by_hand(28, (28, 28), "number", 5).passed
    assert not cc.keeps_size_by_hand(28, (28, 28), "same", 5).passed  # 'same' does it for you
    assert not cc.keeps_size_by_hand(28, (28, 28), "number", 3).passed  # too small a kernel
    assert not cc.keeps_size_by_hand(28, (26, 26), "number", 5).passed
    assert not cc.keeps_size_by_hand(28, None, "number", 11).passed


def test_pools_overlap():
    assert cc.pools_overlap(3, 2).passed and cc.pools_overlap(6, 1).passed
    assert not cc.pools_overlap(2, 2).passed  # the default: tiles
    gaps = cc.pools_overlap(2, 6)
    assert not gaps.passed and "skipped" in gaps.reason
    assert not cc.pools_overlap(math.nan, 2).passed
