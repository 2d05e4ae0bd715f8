"""How long a convolution's or a pooling's output is: the one formula (torch's, floor mode)."""

from __future__ import annotations

from dlcore._pairs import as_pair
from dlcore._validation import check_int


def output_size(
    n: int,
    k: int,
    stride: int = 1,
    padding: int | tuple[int, int] = 0,
    dilation: int = 1,
    *,
    axis: str | None = None,
) -> int:
    """Output length of a convolution along one axis (torch's formula).

    ``floor((n + p_1 + p_2 - dilation * (k - 1) - 1) / stride) + 1``; a pooling
    window is a kernel with no padding and dilation 1.

    Parameters
    ----------
    n, k : int
        Input length and kernel length.
    stride, dilation : int
        As in :func:`dlcore.conv.conv2d`.
    padding : int or (int, int)
        Zeros added on both sides, or before and after along this one axis
        (``"same"`` padding of an even kernel puts the extra zero after). Not
        :func:`dlcore.conv.conv2d`'s pair, which is (rows, columns).
    axis : str, optional
        "height" or "width": named in the error, for a 2-D input.

    Raises
    ------
    ValueError
        When the dilated kernel does not fit in the padded input, with the
        numbers that say why.
    """
    n = check_int("n", n, 1)
    k = check_int("k", k, 1)
    stride = check_int("stride", stride, 1)
    before, after = as_pair("padding", padding, 0, high=None)
    dilation = check_int("dilation", dilation, 1)
    span = dilation * (k - 1) + 1
    padded = n + before + after
    if span > padded:
        raise ValueError(_misfit(n, k, before, after, dilation, span, axis))
    return (padded - span) // stride + 1


def _misfit(
    n: int, k: int, before: int, after: int, dilation: int, span: int, axis: str | None
) -> str:
    if axis is not None:
        return (
            f"kernel must fit in the padded input: along the {axis} the kernel spans {span} pixels "
            f"(size {k}, dilation {dilation}) but the padded input has {n + before + after}; "
            "use a smaller kernel or dilation, or more padding"
        )
    pads = f"2*{before}" if before == after else f"{before} + {after}"
    return (
        f"kernel must fit in the padded input: a {k}-tap kernel with dilation {dilation} spans "
        f"{span} pixels, but the input with padding is only {n} + {pads} = {n + before + after}; "
        "use a smaller kernel or dilation, or more padding"
    )
