"""dlcore.layers: receptive fields checked by perturbation, and the fixed stack."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore.conv import conv2d, max_pool2d
from dlcore.layers import Layer, centre_fields, feature_stack, layer_sizes, receptive_field

STACK = [Layer("conv", 3, 1, 1), Layer("pool", 2, 2), Layer("conv", 3, 1, 0, 2)]


def _run(x):
    y = conv2d(x, np.ones((3, 3)), padding=1)
    y = max_pool2d(y, 2, 2)  # inputs are >= 0, so a single 1 always wins its window
    return conv2d(y, np.ones((3, 3)), dilation=2)


def test_receptive_field_is_exactly_the_pixels_that_matter():
    x = np.zeros((24, 24))
    out0 = _run(x)
    row, col = 2, 3
    field = receptive_field(STACK, row, col)
    changed = np.zeros_like(x, dtype=bool)
    for i in range(24):
        for j in range(24):
            x[i, j] = 1.0
            changed[i, j] = _run(x)[row, col] != out0[row, col]
            x[i, j] = 0.0
    rows, cols = np.nonzero(changed)
    assert (rows.min(), rows.max(), cols.min(), cols.max()) == (
        max(field.top, 0),
        min(field.bottom, 23),
        max(field.left, 0),
        min(field.right, 23),
    )


def test_layer_sizes_and_field_growth():
    sizes = layer_sizes(STACK, 24, 30)
    assert sizes[0][:2] == (24, 30) and sizes[1][:2] == (12, 15) and sizes[2][:2] == (8, 11)
    fields = [s[2] for s in sizes]
    assert fields == [3, 4, 4 + 2 * 2 * 2]
    f = receptive_field(STACK, 0, 0)
    assert f.bottom - f.top + 1 == fields[-1]
    with pytest.raises(ValueError, match="kernel must fit"):
        layer_sizes(STACK, 6, 6)
    with pytest.raises(ValueError, match="kind"):
        receptive_field([Layer("dense", 3)], 0, 0)


def test_feature_stack_shapes_and_relu():
    img = np.random.default_rng(0).random((40, 36)).astype(np.float32)
    stages = feature_stack(img)
    assert [s.maps.shape for s in stages] == [
        (1, 40, 36),
        (4, 38, 34),
        (4, 38, 34),
        (4, 19, 17),
        (3, 17, 15),
        (3, 8, 7),
    ]
    assert all(len(s.labels) == s.maps.shape[0] for s in stages)
    assert stages[2].maps.min() >= 0 and stages[5].maps.min() >= 0 and stages[1].maps.min() < 0
    # a vertical bright line lights up "vertical lines" more than "horizontal lines"
    line = np.zeros((40, 40))
    line[:, 19:21] = 1.0
    last = feature_stack(line)[-1].maps
    assert last[0].max() > 0 and last[1].max() == 0 and last[2].max() > 0
    assert feature_stack(np.zeros((300, 90)), max_side=100)[0].maps.shape == (1, 100, 30)
    with pytest.raises(ValueError, match="at least 12"):
        feature_stack(np.zeros((8, 30)))


def test_centre_fields_match_the_square_functions_and_handle_a_one_row_kernel():
    steps = centre_fields(STACK, STACK, 24, 30)
    sizes = layer_sizes(STACK, 24, 30)
    assert [(s.height, s.width, s.field_height) for s in steps] == [(h, w, f) for h, w, f in sizes]
    assert all(s.field_height == s.field_width for s in steps)
    last = receptive_field(STACK, sizes[-1][0] // 2, sizes[-1][1] // 2)
    assert steps[-1].field == last
    # A 1 x 5 kernel, 'same' padding (0 rows, 2 columns): one row tall, 5 -> 6 -> 6 + 4 * 2 wide.
    rows = [Layer("conv", 1, 1, 0), Layer("pool", 2, 2), Layer("conv", 1, 1, 0)]
    cols = [Layer("conv", 5, 1, 2), Layer("pool", 2, 2), Layer("conv", 5, 1, 2)]
    steps = centre_fields(rows, cols, 20, 40)
    assert [(s.field_height, s.field_width) for s in steps] == [(1, 5), (2, 6), (2, 14)]
    assert [(s.height, s.width) for s in steps] == [(20, 40), (10, 20), (10, 20)]
    f = steps[-1].field
    assert (f.bottom - f.top + 1, f.right - f.left + 1) == (
        2,
        14,
    ) and f.top == 10  # centre row 5 of 10, pooled by 2
    with pytest.raises(ValueError, match="same stack"):
        centre_fields(rows, cols[:2], 20, 40)


def test_fields_follow_any_chosen_unit_not_only_the_centre():
    stack = [Layer("conv", 3, 1, 1), Layer("pool", 2, 2), Layer("conv", 3, 1, 1)]
    steps = centre_fields(stack, stack, 20, 30, at=(0, 29))
    # the first layer's step is exactly the chosen unit's field
    assert (steps[0].row, steps[0].col) == (0, 29)
    assert tuple(steps[0].field) == tuple(receptive_field(stack[:1], 0, 29))
    # deeper: the unit at the same spot (top-right corner), its field grown around it
    assert (steps[1].row, steps[1].col) == (0, 14) and (steps[2].row, steps[2].col) == (0, 14)
    for step, n in zip(steps, (1, 2, 3)):
        assert tuple(step.field) == tuple(receptive_field(stack[:n], step.row, step.col))
    assert steps[2].field.right >= 29 >= steps[2].field.left
    # a unit in the middle: every field contains the chosen unit's own field centre
    steps = centre_fields(stack, stack, 20, 30, at=(7, 11))
    for step in steps:
        assert (
            step.field.top <= 7 <= step.field.bottom and step.field.left <= 11 <= step.field.right
        )
    # None keeps the centre units
    assert [(s.row, s.col) for s in centre_fields(stack, stack, 20, 30)] == [
        (10, 15),
        (5, 7),
        (5, 7),
    ]
