"""The controls the panels share: the image, the kernel, stride / padding / dilation.

The panel that teaches a control shows it open; the other panels that use it
draw the same widget (same key) folded in an expander, so its value, the
uploaded image and the link follow the visitor from panel to panel, and a
copied link reproduces every panel. Nothing is kept in module globals.
"""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from dlcore import conv
from dlcore.views import convolution as views
from labs.convolution.keys import PREFIX
from ui import ImageChoice, image_source, show_error, url

# Pictures are sent at about the size they are drawn (a third of the page, or all of it).
COLUMN_SIDE = 400
WIDE_SIDE = 720
KERNEL_HELP = (
    "Divide by the sum of the weights (by the sum of |weights| for edge kernels that sum to 0)."
)
CUSTOM_LABEL = (
    "Your kernel: one row per line (or ';'), numbers separated by spaces or commas, "
    "fractions like 1/9 allowed, at most 11 x 11"
)


class Inputs(NamedTuple):
    """What the shared controls say: the image and the settings of the pipeline."""

    source: ImageChoice
    kernel: views.KernelSettings
    geometry: views.GeometrySettings


def image_controls() -> ImageChoice:
    """The image picker (sample, upload or camera) and the grayscale toggle."""
    left, right = st.columns([3, 1])
    gray = right.toggle("Grayscale", value=False, **url(PREFIX, "gray"))
    with left:
        return image_source(PREFIX, gray=gray)


def kernel_controls() -> views.KernelSettings:
    """The kernel: a preset (with its size and sigma when it takes them) or a typed one."""
    default = views.KernelSettings()
    c1, c2, c3, c4 = st.columns(4)
    names = list(views.KERNEL_NAMES)
    name = c1.selectbox(
        "Kernel", names, index=names.index(views.DEFAULT_KERNEL), **url(PREFIX, "kernel")
    )
    spec = conv.KERNELS.get(name)
    params = spec.params if spec else ()
    size = (
        c2.slider("Kernel size", 1, 11, default.size, **url(PREFIX, "size"))
        if "size" in params
        else default.size
    )
    sigma = (
        c3.slider("Gaussian sigma", 0.3, 5.0, default.sigma, 0.1, **url(PREFIX, "sigma"))
        if "sigma" in params
        else default.sigma
    )
    normalise = c4.toggle(
        "Normalise the kernel", value=False, help=KERNEL_HELP, **url(PREFIX, "normalise")
    )
    custom = (
        st.text_area(CUSTOM_LABEL, views.DEFAULT_CUSTOM, **url(PREFIX, "custom"))
        if spec is None
        else default.custom
    )
    return views.KernelSettings(name, size, sigma, normalise, custom)


def geometry_controls() -> views.GeometrySettings:
    """Stride, padding (same, valid or a number of pixels) and dilation."""
    c1, c2, c3, c4 = st.columns(4)
    stride = c1.slider("Stride s", 1, 5, 1, **url(PREFIX, "stride"))
    mode = c2.segmented_control(
        "Padding", views.PAD_MODES, default="same", required=True, **url(PREFIX, "pad_mode")
    )
    pad = (
        c3.slider("Padding p (pixels each side)", 0, 10, 1, **url(PREFIX, "pad"))
        if mode == "number"
        else views.GeometrySettings().pad
    )
    dilation = c4.slider("Dilation d", 1, 5, 1, **url(PREFIX, "dilation"))
    return views.GeometrySettings(stride, mode, pad, dilation)


def pipeline_controls(*, geometry: bool = True) -> Inputs:
    """The image and kernel (and with ``geometry`` the stride, padding, dilation), folded away."""
    label = "Image, kernel, stride, padding and dilation" if geometry else "Image and kernel"
    with st.expander(label):
        source = image_controls()
        kernel = kernel_controls()
        settings = geometry_controls() if geometry else views.SAME_SIZE
    return Inputs(source, kernel, settings)


def no_image() -> None:
    """The message for an unusable upload, outside the (maybe folded) picker."""
    show_error(
        "The uploaded image cannot be used (the reason is under the image picker above).",
        hint="Upload another file, or choose one of the samples.",
    )


def kernel_problem(kernel: views.KernelChoice) -> None:
    """Say why a typed kernel was not read (the identity is shown) or not normalised."""
    if kernel.problem:
        show_error(kernel.problem, hint=views.UNREADABLE_HINT if kernel.fallback else None)


def describe(source: ImageChoice, fm: views.FeatureMap) -> None:
    """One line on what is being filtered, so a folded expander hides nothing."""
    k, g = fm.kernel, fm.geometry
    kh, kw = k.weights.shape
    st.caption(
        f"The feature map of **{k.name}** ({kh} x {kw}) on {source.caption}: stride {g.stride}, "
        f"padding {g.pads} (top, bottom, left, right), dilation {g.dilation}."
    )
