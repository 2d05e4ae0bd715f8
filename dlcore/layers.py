"""Stacks of convolution and pooling layers: receptive fields and a fixed tiny CNN.

The receptive field of an output pixel is the block of input pixels that can
change it. Walking back through the layers, an interval ``[a, b]`` of outputs
of a layer with kernel ``k``, stride ``s``, padding ``p`` and dilation ``d``
reads the inputs ``[a*s - p, b*s - p + d*(k - 1)]``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlcore._validation import check_array, check_choice, check_int
from dlcore.conv import conv2d, output_size
from dlcore.kernels import KERNELS
from dlcore.pooling import avg_pool2d, max_pool2d

__all__ = ["Field", "Layer", "Stage", "feature_stack", "layer_sizes", "receptive_field"]


class Layer(NamedTuple):
    """One layer of a stack: ``kind`` is "conv" or "pool"; square kernel and stride."""

    kind: str
    kernel: int
    stride: int = 1
    padding: int = 0
    dilation: int = 1


class Field(NamedTuple):
    """Inclusive input rows ``top..bottom`` and columns ``left..right``.

    Values outside the image (negative, or past its size) fall in the padding.
    """

    top: int
    bottom: int
    left: int
    right: int


def _check_layer(i: int, layer: Layer) -> Layer:
    check_choice(f"layers[{i}].kind", layer.kind, ("conv", "pool"))
    return Layer(
        layer.kind,
        check_int(f"layers[{i}].kernel", layer.kernel, 1, 64),
        check_int(f"layers[{i}].stride", layer.stride, 1, 64),
        check_int(f"layers[{i}].padding", layer.padding, 0, 64),
        check_int(f"layers[{i}].dilation", layer.dilation, 1, 64),
    )


def layer_sizes(layers: list[Layer], height: int, width: int) -> list[tuple[int, int, int]]:
    """Output height, width and receptive-field side after each layer.

    Returns
    -------
    list of (OH, OW, field) with one entry per layer; ``field`` grows by
    ``d * (k - 1) * jump`` per layer, ``jump`` being the product of the
    earlier strides (the input distance between neighbouring outputs).

    Raises
    ------
    ValueError
        When a layer's kernel does not fit its input.
    """
    sizes, field, jump = [], 1, 1
    h, w = height, width
    for i, layer in enumerate(layers):
        layer = _check_layer(i, layer)
        h = output_size(h, layer.kernel, layer.stride, layer.padding, layer.dilation)
        w = output_size(w, layer.kernel, layer.stride, layer.padding, layer.dilation)
        field += layer.dilation * (layer.kernel - 1) * jump
        jump *= layer.stride
        sizes.append((h, w, field))
    return sizes


def receptive_field(layers: list[Layer], row: int, col: int) -> Field:
    """The input block that output pixel ``(row, col)`` of the last layer sees.

    Parameters
    ----------
    layers : list of Layer, first layer first
    row, col : int >= 0
        Position in the last layer's output.
    """
    top = bottom = check_int("row", row, 0)
    left = right = check_int("col", col, 0)
    for i, layer in reversed(list(enumerate(layers))):
        layer = _check_layer(i, layer)
        reach = layer.dilation * (layer.kernel - 1)
        top, bottom = (
            top * layer.stride - layer.padding,
            bottom * layer.stride - layer.padding + reach,
        )
        left, right = (
            left * layer.stride - layer.padding,
            right * layer.stride - layer.padding + reach,
        )
    return Field(top, bottom, left, right)


class StackStep(NamedTuple):
    """After one layer: the map's size, the receptive field's size, the unit followed
    (``row``, ``col`` in this layer's map) and the input block it sees."""

    height: int
    width: int
    field_height: int
    field_width: int
    field: Field
    row: int = 0
    col: int = 0


def _nearest_unit(layers: list[Layer], n_out: int, target: float) -> int:
    """The unit of the last layer whose receptive field is centred nearest ``target`` (input px)."""
    first, second = receptive_field(layers, 0, 0), receptive_field(layers, 1, 0)
    centre0 = (first.top + first.bottom) / 2
    jump = second.top - first.top
    return int(min(max(np.floor((target - centre0) / jump + 0.5), 0), n_out - 1))


def centre_fields(
    rows: list[Layer],
    cols: list[Layer],
    height: int,
    width: int,
    at: tuple[int, int] | None = None,
) -> list[StackStep]:
    """:func:`layer_sizes` and :func:`receptive_field` axis by axis, for kernels that are not square.

    ``rows`` and ``cols`` describe the same stack along each axis (kernel
    heights and top paddings in ``rows``, widths and left paddings in
    ``cols``); one :class:`StackStep` per layer.

    Parameters
    ----------
    at : (row, col), optional
        A unit of the FIRST layer's map. At each depth the step follows the
        unit whose receptive field is centred nearest to that unit's field
        (so the boxes grow around the chosen spot). None: the centre unit of
        every layer.
    """
    if len(rows) != len(cols):
        raise ValueError(
            f"rows and cols must describe the same stack, got {len(rows)} and {len(cols)} layers"
        )
    hs, ws = layer_sizes(rows, height, height), layer_sizes(cols, width, width)
    if at is not None:
        r0 = receptive_field(rows[:1], min(max(int(at[0]), 0), hs[0][0] - 1), 0)
        c0 = receptive_field(cols[:1], 0, min(max(int(at[1]), 0), ws[0][1] - 1))
        target = ((r0.top + r0.bottom) / 2, (c0.left + c0.right) / 2)
    steps = []
    for n, ((h, _, fh), (_, w, fw)) in enumerate(zip(hs, ws), 1):
        if at is None:
            i, j = h // 2, w // 2
        else:
            i, j = _nearest_unit(rows[:n], h, target[0]), _nearest_unit(cols[:n], w, target[1])
        r, c = receptive_field(rows[:n], i, 0), receptive_field(cols[:n], 0, j)
        steps.append(StackStep(h, w, fh, fw, Field(r.top, r.bottom, c.left, c.right), i, j))
    return steps


class Stage(NamedTuple):
    """One step of :func:`feature_stack`: a name and its maps (C, H, W)."""

    name: str
    labels: tuple[str, ...]
    maps: np.ndarray


def _first_layer() -> tuple[np.ndarray, tuple[str, ...]]:
    gx, gy = KERNELS["Sobel x"].array(), KERNELS["Sobel y"].array()
    weights = np.stack([gx, -gx, gy, -gy])[:, None]
    return weights, (
        "dark to light, rightwards",
        "light to dark, rightwards",
        "dark to light, downwards",
        "light to dark, downwards",
    )


def _second_layer() -> tuple[np.ndarray, tuple[str, ...]]:
    w = np.zeros((3, 4, 3, 3))
    # A thin bright vertical line is a rising edge just left of a falling one.
    w[0, 0, :, 0], w[0, 1, :, 2] = 1, 1
    w[1, 2, 0, :], w[1, 3, 2, :] = 1, 1
    # Texture: how much edge of any kind there is nearby (a box blur over all four maps).
    w[2] = 1 / 9
    return w, ("vertical lines", "horizontal lines", "texture (edges of any kind)")


def feature_stack(img: np.ndarray, *, max_side: int = 4096) -> list[Stage]:
    """A fixed two-layer CNN on a gray image, every intermediate map kept.

    conv (4 directional Sobel filters) -> ReLU -> 2x2 max-pool -> conv (3
    hand-made filters combining the edges into lines and texture) -> ReLU ->
    2x2 max-pool. No training: the weights are chosen so each map has a name.
    Both convolutions are "valid" (no padding), so the image border does not
    show up as an edge.

    Parameters
    ----------
    img : ndarray of shape (H, W), H, W >= 12
    max_side : int
        Larger images are first shrunk by an integer factor (average pooling)
        so that neither side exceeds it: the stack is about shapes, not detail.

    Returns
    -------
    list of Stage, input first
    """
    x = check_array("img", img, ndim=2, dtype=None)
    factor = -(-max(x.shape) // check_int("max_side", max_side, 12))
    if factor > 1:
        x = avg_pool2d(x, factor)
    if min(x.shape) < 12:
        raise ValueError(
            f"img must be at least 12 x 12 pixels for two conv+pool layers, got {x.shape}"
        )
    w1, names1 = _first_layer()
    w2, names2 = _second_layer()
    stages = [Stage("input", ("gray image",), x[None])]
    z1 = conv2d(x[None], w1)
    a1 = np.maximum(z1, 0)
    p1 = max_pool2d(a1, 2)
    z2 = conv2d(p1, w2)
    a2 = np.maximum(z2, 0)
    p2 = max_pool2d(a2, 2)
    stages += [
        Stage("conv 1 (4 edge filters)", names1, z1),
        Stage("ReLU", names1, a1),
        Stage("max-pool 2x2", names1, p1),
        Stage("conv 2 (3 filters over the 4 edge maps)", names2, z2),
        Stage("ReLU + max-pool 2x2", names2, p2),
    ]
    return stages
