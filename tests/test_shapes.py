"""The output-size formula, with padding before and after, and its error."""

from __future__ import annotations

import pytest

from dlcore.shapes import output_size


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((28, 3, 2, 1, 1), 14),  # the classic halving
        ((28, 3, 1, (1, 1), 1), 28),
        ((8, 4, 1, (1, 2), 1), 8),  # "same" for an even kernel: the extra zero after
        ((10, 3, 1, 0, 2), 6),  # dilation 2 spans 5 pixels
        ((7, 2, 2, 0, 1), 3),  # a 2x2 pooling window, floor mode
    ],
)
def test_output_size(args, expected):
    assert output_size(*args) == expected


def test_a_kernel_that_does_not_fit_says_why_and_where():
    with pytest.raises(ValueError, match=r"input with padding is only 3 \+ 2\*0 = 3"):
        output_size(3, 5)
    with pytest.raises(ValueError, match=r"only 2 \+ 0 \+ 1 = 3"):
        output_size(2, 5, padding=(0, 1))
    with pytest.raises(ValueError, match="along the width the kernel spans 5 pixels"):
        output_size(2, 3, dilation=2, axis="width")
    with pytest.raises(ValueError, match="padding"):
        output_size(5, 3, padding=(-1, 0))


def test_padding_may_be_a_numpy_int_and_a_pair_must_be_a_pair():
    import numpy as np

    assert output_size(5, 3, 1, np.int64(1)) == 5
    for bad in ((1, 2, 3), (1,), 1.5):
        with pytest.raises(ValueError, match="padding"):
            output_size(5, 3, 1, bad)
