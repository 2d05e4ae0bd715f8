"""Convolution lab: kernels on your image, stride/padding/dilation, pooling, im2col, a tiny CNN."""

from labs.convolution import geometry, im2col, kernels, pixel, pooling, stack
from labs.convolution.challenges import CHALLENGES
from labs.convolution.keys import PREFIX
from labs.convolution.path import PATH
from ui.panels import Panel

TITLE = "Convolution"
INTRO = (
    "A convolutional layer slides a small grid of weights, the **kernel**, over the image. At "
    "each position it multiplies the pixels under the kernel by the weights and adds them up: "
    "one number of the **feature map**. Deep learning's convolution does not flip the kernel "
    "(it is a cross-correlation), exactly as PyTorch's `conv2d`."
)
PANELS = (
    Panel("Kernels", kernels.render, kernels.KEYS),
    Panel("Stride, padding, dilation", geometry.render, geometry.KEYS),
    Panel("Pooling", pooling.render, pooling.KEYS),
    Panel("One output pixel", pixel.render, pixel.KEYS),
    Panel("Sliding kernel and im2col", im2col.render, im2col.KEYS),
    Panel("Tiny CNN", stack.render, stack.KEYS),
)
__all__ = ["CHALLENGES", "INTRO", "PANELS", "PATH", "PREFIX", "TITLE"]
