"""The Convolution lab's challenges: goals in terms of its controls, checked by dlcore."""

from dlcore.challenges import Verdict
from dlcore.challenges import convolution as cc
from dlcore.views import convolution as views
from ui.challenges import Challenge

GEOMETRY = "Stride, padding, dilation"
KERNEL = {
    "kernel": views.DEFAULT_KERNEL,
    "size": views.KernelSettings().size,
    "sigma": views.KernelSettings().sigma,
    "normalise": False,
    "custom": views.DEFAULT_CUSTOM,
}
SHAPE = {**KERNEL, "stride": 1, "pad_mode": "same", "pad": 1, "dilation": 1}
SIDE = 28


def _kernel(v: dict) -> views.KernelSettings:
    return views.KernelSettings(v["kernel"], v["size"], v["sigma"], v["normalise"], v["custom"])


def _edges(v: dict) -> Verdict:
    choice = views.choose_kernel(_kernel(v))
    if choice.fallback:
        return Verdict(False, f"Your kernel could not be read: {choice.problem}")
    return cc.finds_horizontal_edges(choice.weights, typed=v["kernel"] == views.CUSTOM)


def _out(v: dict) -> tuple[tuple[int, int] | None, int]:
    geometry = views.GeometrySettings(v["stride"], v["pad_mode"], v["pad"], v["dilation"])
    shape = views.output_shape((SIDE, SIDE), _kernel(v), geometry)
    side = views.choose_kernel(_kernel(v)).weights.shape[1]
    return ((shape.height, shape.width) if shape.fits else None), side


def _keeps(v: dict) -> Verdict:
    out, side = _out(v)
    return cc.keeps_size_by_hand(SIDE, out, v["pad_mode"], side)


CHALLENGES = (
    Challenge(
        "horizontal",
        "Kernels",
        "Type a 3x3 kernel (Custom) that finds horizontal edges.",
        "A horizontal edge is brightness changing from top to bottom: weigh the top row against "
        "the bottom row, and make the weights add up to 0.",
        "Sobel y is one answer: rows (1, 2, 1) and (−1, −2, −1). A CNN's first layer learns "
        "kernels like these on its own, because edges are what images are made of.",
        KERNEL,
        _edges,
    ),
    Challenge(
        "halve",
        GEOMETRY,
        "Choose stride and padding so that a 28x28 input gives a 14x14 output.",
        "out = ⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1. Start with the stride.",
        "Stride 2 halves the map; the padding must make up for the kernel's overhang. This is "
        "how CNNs downsample without pooling.",
        SHAPE,
        lambda v: cc.output_is(SIDE, _out(v)[0], 14),
    ),
    Challenge(
        "same_by_hand",
        GEOMETRY,
        "With a kernel at least 5 wide, keep a 28x28 input 28x28 using padding typed as a number.",
        "At stride 1 each side needs d(k − 1)/2 zeros. Pick a kernel with a size slider.",
        "'same' padding is just p = d(k − 1)/2 on each side: the kernel's overhang, filled with "
        "zeros, so the kernel can centre on every pixel.",
        SHAPE,
        _keeps,
    ),
    Challenge(
        "overlap",
        "Pooling",
        "Make neighbouring pooling windows overlap.",
        "Compare the pool size with the pool stride.",
        "With stride < size each pixel can win in more than one window (AlexNet pooled 3 by 3 with "
        "stride 2); with stride = size the windows tile the map.",
        {"pool_size": 2, "pool_stride": 2},
        lambda v: cc.pools_overlap(v["pool_size"], v["pool_stride"]),
    ),
)
