"""dlcore._pairs: an int or a (height, width) pair, as torch accepts them."""

import pytest

from dlcore._pairs import as_pair


def test_int_and_pair():
    assert as_pair("stride", 2, 1) == (2, 2)
    assert as_pair("stride", (1, 3), 1) == (1, 3)
    assert as_pair("padding", [0, 4.0], 0) == (0, 4)


@pytest.mark.parametrize(
    "value, message",
    [
        (0, r"\[1, 4096\]"),
        ((1, 2, 3), "pair"),
        (1.5, "integer"),
        ((1, True), "integer"),
        ("2", "integer"),
    ],
)
def test_refused_with_the_name_and_range(value, message):
    with pytest.raises(ValueError, match=f"stride.*{message}|{message}"):
        as_pair("stride", value, 1)
