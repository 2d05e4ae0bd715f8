"""What the panels of the Convolution lab show, one function per panel.

Every panel works on the same pipeline: an image, a kernel (a preset or a
typed one, see :class:`KernelSettings`) and the geometry of the sliding
window (:class:`GeometrySettings`: stride, padding, dilation). The settings
are small NamedTuples of control values, so a panel's cached call is keyed by
them and by the image's identity, never by hashing its pixels. Each
``*_view`` function resolves the settings (a typed kernel that cannot be read
falls back to the identity, with the reason; 'same' padding at a stride
above 1 is replaced by half padding, with a warning; a kernel that does not
fit says what to change) and returns everything its panel draws or writes.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlcore import conv
from dlcore._validation import check_array, check_choice, check_int
from dlcore.layers import Layer, StackStep, Stage, centre_fields, feature_stack
from dlcore.pixels import to_gray

CUSTOM = "Custom"
KERNEL_NAMES: tuple[str, ...] = (*conv.KERNELS, CUSTOM)
DEFAULT_KERNEL = "Sobel x"
DEFAULT_CUSTOM = "0 -1 0\n-1 5 -1\n0 -1 0"
PAD_MODES: tuple[str, ...] = ("same", "valid", "number")
# Kernels up to 5 x 5 are written out: as a matrix, as the terms of one output
# pixel's sum, and as the im2col picture (larger ones would not be readable).
MAX_WRITTEN_TAPS = 25
POOL_CROP = 12  # side of the feature-map crop whose max-pool winners are marked
STACK_SIDE = 128  # the tiny CNN works on shapes, not detail: at most 128 px a side
UNREADABLE_HINT = "Showing the identity kernel until the kernel is fixed."


# ------------------------------------------------------------------ settings
class KernelSettings(NamedTuple):
    """What the kernel controls say (small and hashable: a cache key).

    Attributes
    ----------
    name : str
        One of :data:`KERNEL_NAMES` (a preset of ``dlcore.conv.KERNELS`` or "Custom").
    size : int
        Side of the kernels that take one (box, Gaussian, motion blur).
    sigma : float
        Standard deviation of the Gaussian blur, in pixels.
    normalise : bool
        Divide by the sum of the weights (by the sum of their absolute values
        for a zero-sum edge kernel).
    custom : str
        The typed kernel, read by ``dlcore.kernels.parse_kernel`` (never eval).
    """

    name: str = DEFAULT_KERNEL
    size: int = 5
    sigma: float = 1.0
    normalise: bool = False
    custom: str = DEFAULT_CUSTOM


class GeometrySettings(NamedTuple):
    """What the stride, padding and dilation controls say.

    Attributes
    ----------
    stride, dilation : int >= 1
    pad_mode : {"same", "valid", "number"}
    pad : int >= 0
        Zeros on each side, used when ``pad_mode == "number"``.
    """

    stride: int = 1
    pad_mode: str = "same"
    pad: int = 1
    dilation: int = 1


#: The Kernels panel filters at stride 1 with 'same' padding: the map keeps the image's size.
SAME_SIZE = GeometrySettings()


# -------------------------------------------------------------------- kernel
class KernelChoice(NamedTuple):
    """The kernel the settings resolve to.

    Attributes
    ----------
    name : str
    weights : ndarray of shape (kh, kw)
    latex, description : str
        The preset's formula and what it does ("" for a typed kernel).
    problem : str
        Why the typed kernel could not be read, or why it could not be
        normalised; "" when there is nothing to say.
    fallback : bool
        The typed kernel was unreadable and the identity is used instead.
    total : float
        The sum of the weights (1 keeps the brightness, 0 for edge detectors).
    small : bool
        At most :data:`MAX_WRITTEN_TAPS` taps: small enough to write out
        term by term.
    written_out : bool
        Worth writing as a matrix: typed, parametrised or normalised, and small.
    taps : int
        ``kh * kw``.
    """

    name: str
    weights: np.ndarray
    latex: str
    description: str
    problem: str
    fallback: bool
    total: float
    small: bool
    written_out: bool
    taps: int


def choose_kernel(settings: KernelSettings) -> KernelChoice:
    """Resolve the kernel controls into weights, never raising for a bad typed kernel.

    Raises
    ------
    ValueError
        Only for a kernel name outside :data:`KERNEL_NAMES` or a bad size or
        sigma (controls cannot produce them).
    """
    name = check_choice("name", settings.name, KERNEL_NAMES)
    spec = conv.KERNELS.get(name)
    problem, fallback = "", False
    if spec is None:
        try:
            weights = conv.parse_kernel(settings.custom)
        except ValueError as exc:
            problem, fallback = str(exc), True
            weights = conv.KERNELS["Identity"].array()
    else:
        weights = spec.array(size=settings.size, sigma=settings.sigma)
    if settings.normalise and not fallback:
        try:
            weights = conv.normalize_kernel(weights)
        except ValueError as exc:  # an all-zero kernel has no scale
            problem = str(exc)
    taps = int(weights.size)
    edited = spec is None or bool(spec.params) or bool(settings.normalise)
    return KernelChoice(
        name=name,
        weights=weights,
        latex=spec.latex if spec else "",
        description=spec.description if spec else "",
        problem=problem,
        fallback=fallback,
        total=float(weights.sum()),
        small=taps <= MAX_WRITTEN_TAPS,
        written_out=edited and taps <= MAX_WRITTEN_TAPS,
        taps=taps,
    )


# ------------------------------------------------------------------ geometry
class Geometry(NamedTuple):
    """Stride, padding and dilation as ``conv2d`` takes them.

    Attributes
    ----------
    stride, dilation : int
    padding : int, (int, int) or "same" / "valid"
        What is passed to ``conv2d``.
    pads : (top, bottom, left, right)
        Zeros added on each side, as ``conv.resolve_padding`` gives them.
    warning : str
        Set when 'same' padding was asked for at a stride above 1 and replaced
        by the usual half padding; "" otherwise.
    """

    stride: int
    dilation: int
    padding: int | tuple[int, int] | str
    pads: tuple[int, int, int, int]
    warning: str


def choose_geometry(settings: GeometrySettings, kernel_shape: tuple[int, int]) -> Geometry:
    """Resolve the geometry controls for a kernel of ``kernel_shape`` (kh, kw).

    'same' padding only exists at stride 1 (PyTorch refuses it too); at a
    larger stride it becomes ``d (k - 1) // 2`` per axis, so a 1 x 11 kernel
    gets no rows of padding.
    """
    stride = check_int("stride", settings.stride, 1)
    dilation = check_int("dilation", settings.dilation, 1)
    mode = check_choice("pad_mode", settings.pad_mode, PAD_MODES)
    padding = check_int("pad", settings.pad, 0) if mode == "number" else mode
    kh, kw = kernel_shape
    warning = ""
    if padding == "same" and stride > 1:
        padding = (dilation * (kh - 1) // 2, dilation * (kw - 1) // 2)
        warning = (
            f"'same' padding is only defined at stride 1 (PyTorch refuses it too): a "
            f"stride-{stride} output cannot keep the input's size. Using the usual 'half' "
            f"padding p = d(k-1)/2 = {padding} (rows, columns)."
        )
    pads = conv.resolve_padding(padding, (kh, kw), (stride, stride), (dilation, dilation))
    return Geometry(stride, dilation, padding, tuple(int(p) for p in pads), warning)


class AxisSize(NamedTuple):
    """The output-size formula along one axis, with its numbers.

    ``out = floor((n + p1 + p2 - d (k - 1) - 1) / s) + 1``; ``out`` is None
    when the dilated kernel (``span = d (k - 1) + 1`` pixels) does not fit in
    the padded input ``n + p1 + p2``.
    """

    axis: str
    n: int
    k: int
    stride: int
    pads: tuple[int, int]
    dilation: int
    span: int
    padded: int
    out: int | None


def axis_sizes(
    shape: tuple[int, int], kernel_shape: tuple[int, int], geometry: Geometry
) -> tuple[AxisSize, AxisSize]:
    """:class:`AxisSize` for the height ("H") and the width ("W") of an input of ``shape``."""
    found = []
    for axis, n, k, pads in (
        ("H", shape[0], kernel_shape[0], geometry.pads[:2]),
        ("W", shape[1], kernel_shape[1], geometry.pads[2:]),
    ):
        span = geometry.dilation * (k - 1) + 1
        padded = n + pads[0] + pads[1]
        out = (padded - span) // geometry.stride + 1 if span <= padded else None
        found.append(
            AxisSize(axis, n, k, geometry.stride, tuple(pads), geometry.dilation, span, padded, out)
        )
    return found[0], found[1]


def fit_problem(sizes: tuple[AxisSize, ...]) -> str:
    """Why the kernel does not fit, with the numbers that would make it fit; "" if it fits.

    For each axis that fails: the largest kernel at this dilation, the
    largest dilation for this kernel, and the smallest padding per side
    ('number' mode) that make the dilated kernel fit the padded input.

    Examples
    --------
    >>> g = Geometry(1, 1, 0, (0, 0, 0, 0), "")
    >>> print(fit_problem(axis_sizes((5, 40), (7, 7), g)).split(". ")[1])
    To fit it, use a kernel of at most 5 taps at dilation 1, or padding of at least 1 pixel per side (padding 'number'), or a larger image.
    """
    messages = []
    for a in sizes:
        if a.out is not None:
            continue
        name = "height" if a.axis == "H" else "width"
        fixes = [
            f"a kernel of at most {(a.padded - 1) // a.dilation + 1} taps at dilation {a.dilation}"
        ]
        if a.k > 1 and (a.padded - 1) // (a.k - 1) >= 1:
            fixes.append(f"a dilation of at most {(a.padded - 1) // (a.k - 1)}")
        per_side = -(-(a.span - a.n) // 2)
        unit = "pixel" if per_side == 1 else "pixels"
        fixes.append(f"padding of at least {per_side} {unit} per side (padding 'number')")
        messages.append(
            f"kernel must fit in the padded input: along the {name} the kernel spans {a.span} "
            f"pixels (size {a.k}, dilation {a.dilation}) but the padded input has only "
            f"{a.n} + {a.pads[0]} + {a.pads[1]} = {a.padded}. To fit it, use "
            + ", or ".join([*fixes, "a larger image."])
        )
    return "\n\n".join(messages)


# --------------------------------------------------------------- feature map
def channels_first(img) -> np.ndarray:
    """An image (H, W) or (H, W, 3) as channels-first (1, H, W) or (3, H, W), as torch.

    float32 stays float32 (conv keeps it); anything else becomes float64.
    """
    arr = check_array("img", img, ndim=(2, 3), dtype=None)
    return arr[None] if arr.ndim == 2 else arr.transpose(2, 0, 1)


class FeatureMap(NamedTuple):
    """The image filtered by the kernel at the chosen geometry.

    Attributes
    ----------
    kernel : KernelChoice
    geometry : Geometry
    sizes : (AxisSize, AxisSize)
        The output-size formula for the height and the width.
    problem : str
        Why the kernel does not fit and what to change ("" when it fits).
    out : ndarray of shape (C, OH, OW) or None
        None when the kernel does not fit.
    signed : ndarray of shape (OH, OW) or None
        The one channel, or the mean of R, G, B: the map drawn in signed colours.
    channels : int
        1 (gray) or 3 (RGB, filtered per channel: groups = 3).
    """

    kernel: KernelChoice
    geometry: Geometry
    sizes: tuple[AxisSize, AxisSize]
    problem: str
    out: np.ndarray | None
    signed: np.ndarray | None
    channels: int


def feature_map(img, kernel: KernelSettings, geometry: GeometrySettings) -> FeatureMap:
    """Filter ``img`` (H, W) or (H, W, 3) by the kernel at the geometry; see :class:`FeatureMap`."""
    x = channels_first(img)
    k = choose_kernel(kernel)
    g = choose_geometry(geometry, k.weights.shape)
    sizes = axis_sizes(x.shape[1:], k.weights.shape, g)
    problem = fit_problem(sizes)
    if problem:
        return FeatureMap(k, g, sizes, problem, None, None, x.shape[0])
    out = conv.conv2d(x, k.weights, stride=g.stride, padding=g.padding, dilation=g.dilation)
    signed = out[0] if x.shape[0] == 1 else out.mean(axis=0)
    return FeatureMap(k, g, sizes, "", out, signed, x.shape[0])


# -------------------------------------------------------------------- panels
class KernelsView(NamedTuple):
    """The Kernels panel: the kernel on the whole image at stride 1, 'same' padding.

    Attributes
    ----------
    map : FeatureMap
        Same height and width as the image.
    magnitude : ndarray of shape (H, W) or None
        With ``sobel``: the Sobel gradient magnitude, the largest over the channels.
    magnitude_max : float
        Its largest value (NaN without ``sobel``).
    """

    map: FeatureMap
    magnitude: np.ndarray | None
    magnitude_max: float


def kernels_view(img, kernel: KernelSettings, sobel: bool = False) -> KernelsView:
    """The kernel's feature map, and with ``sobel`` the edges in every direction."""
    fm = feature_map(img, kernel, SAME_SIZE)
    if not sobel:
        return KernelsView(fm, None, float("nan"))
    mag = conv.gradient_magnitude(channels_first(img), padding=1).magnitude.max(axis=0)
    return KernelsView(fm, mag, float(mag.max()))


def geometry_view(img, kernel: KernelSettings, geometry: GeometrySettings) -> FeatureMap:
    """The Stride, padding, dilation panel: the feature map and its size formula."""
    return feature_map(img, kernel, geometry)


class PoolingView(NamedTuple):
    """The Pooling panel: max and average pooling of the feature map.

    Attributes
    ----------
    map : FeatureMap
        What is pooled (the filter's output itself, not its display scaling).
    size, stride : int
        The pooling window and its step.
    problem : str
        Why the map cannot be pooled and what to change ("" when it can).
    pooled_max, pooled_avg : ndarray of shape (C, PH, PW) or None
    pooled_shape : (PH, PW)
        ``floor((OH - size) / stride) + 1`` per axis (0, 0 when impossible).
    crop : ndarray of shape (side, side) or None
        The centre of the feature map (mean of the channels), side
        ``min(12, OH, OW)``; None when smaller than the window.
    mask : ndarray of shape (side, side) or None
        How many max-pool windows each crop pixel won: the pixels that
        receive gradient in backprop.
    winners, crop_pixels : int
        Pixels of the crop with any gradient, and ``side ** 2``.
    overlapping : bool
        ``stride < size``: a pixel can win several windows.
    """

    map: FeatureMap
    size: int
    stride: int
    problem: str
    pooled_max: np.ndarray | None
    pooled_avg: np.ndarray | None
    pooled_shape: tuple[int, int]
    crop: np.ndarray | None
    mask: np.ndarray | None
    winners: int
    crop_pixels: int
    overlapping: bool


def pooling_view(
    img, kernel: KernelSettings, geometry: GeometrySettings, size: int, stride: int
) -> PoolingView:
    """Pool the feature map in ``size`` windows every ``stride`` pixels (floor mode)."""
    fm = feature_map(img, kernel, geometry)
    size, stride = check_int("size", size, 1), check_int("stride", stride, 1)
    nothing = dict(
        pooled_max=None,
        pooled_avg=None,
        pooled_shape=(0, 0),
        crop=None,
        mask=None,
        winners=0,
        crop_pixels=0,
        overlapping=stride < size,
    )
    if fm.out is None:
        return PoolingView(fm, size, stride, fm.problem, **nothing)
    mh, mw = fm.out.shape[1:]
    if size > min(mh, mw):
        fix = (
            f"use a pool size of at most {min(mh, mw)}"
            if min(mh, mw) >= 2
            else "use a larger image, a smaller stride or more padding"
        )
        problem = f"The {mh} x {mw} feature map is smaller than the {size} x {size} window: {fix}."
        return PoolingView(fm, size, stride, problem, **nothing)
    pmax = conv.max_pool2d(fm.out, size, stride)
    pavg = conv.avg_pool2d(fm.out, size, stride)
    side = min(POOL_CROP, mh, mw)
    r0, c0 = (mh - side) // 2, (mw - side) // 2
    crop = fm.signed[r0 : r0 + side, c0 : c0 + side]
    if side < size:  # a window wider than the crop: no winners to mark
        crop, mask = None, None
    else:
        idx = conv.max_pool2d_indices(crop, size, stride)
        mask = conv.max_pool2d_backward(np.ones(idx.shape), idx, crop.shape)
    return PoolingView(
        fm,
        size,
        stride,
        "",
        pooled_max=pmax,
        pooled_avg=pavg,
        pooled_shape=tuple(int(n) for n in pmax.shape[1:]),
        crop=crop,
        mask=mask,
        winners=0 if mask is None else int((mask > 0).sum()),
        crop_pixels=0 if mask is None else side * side,
        overlapping=stride < size,
    )


class OutputShape(NamedTuple):
    """The feature map's size, for sliders that pick one of its pixels.

    Attributes
    ----------
    height, width : int
        ``(OH, OW)``; 1 x 1 when the kernel does not fit (nothing to pick).
    last_row, last_col : int
        ``OH - 1`` and ``OW - 1``, the sliders' ends.
    centre_row, centre_col : int
        ``OH // 2`` and ``OW // 2``, where they start.
    fits : bool
        The kernel fits the padded input.
    """

    height: int
    width: int
    last_row: int
    last_col: int
    centre_row: int
    centre_col: int
    fits: bool


def output_shape(
    shape: tuple[int, ...], kernel: KernelSettings, geometry: GeometrySettings
) -> OutputShape:
    """The feature map's size for an image of ``shape`` (H, W[, 3]), without filtering it.

    Cheap: the One output pixel panel sizes its row and column sliders with
    it before its (cached) view runs.
    """
    k = choose_kernel(kernel)
    sizes = axis_sizes(shape[:2], k.weights.shape, choose_geometry(geometry, k.weights.shape))
    fits = sizes[0].out is not None and sizes[1].out is not None
    oh, ow = (sizes[0].out, sizes[1].out) if fits else (1, 1)
    return OutputShape(oh, ow, oh - 1, ow - 1, oh // 2, ow // 2, fits)


class PixelView(NamedTuple):
    """The One output pixel panel: one output as a sum, and the receptive field.

    Attributes
    ----------
    map : FeatureMap
    row, col, channel : int
        The output pixel (clamped into the map) and the channel (0 for gray).
    patch : Patch
        The input pixels it sees: ``values`` (kh, kw) of that channel,
        ``rows``/``cols`` their positions (outside the image: zero padding).
    products : ndarray of shape (kh, kw)
        ``patch * weights``: their sum is ``value``.
    value : float
        The output pixel, from the feature map.
    source : ndarray of shape (H, W)
        The input channel, for the zoom around the patch.
    steps : list of StackStep
        The chosen pixel's receptive field after conv, then of the units at the
        same spot after + 2x2 max-pool and + the same conv again (empty when
        the stack does not fit: ``field_problem``).
    field_problem : str
    uneven : bool
        'same' padding of an even kernel put an extra pixel bottom/right,
        which the receptive-field sizes leave out.
    """

    map: FeatureMap
    row: int
    col: int
    channel: int
    patch: conv.Patch | None
    products: np.ndarray | None
    value: float
    source: np.ndarray
    steps: list[StackStep]
    field_problem: str
    uneven: bool


def pixel_view(
    img, kernel: KernelSettings, geometry: GeometrySettings, row: int, col: int, channel: int = 0
) -> PixelView:
    """Output pixel ``(row, col)`` of ``channel`` written out, and the stack's receptive fields."""
    fm = feature_map(img, kernel, geometry)
    x = channels_first(img)
    channel = check_int("channel", channel, 0, x.shape[0] - 1)
    g, w = fm.geometry, fm.kernel.weights
    if fm.out is None:
        return PixelView(fm, 0, 0, channel, None, None, float("nan"), x[channel], [], "", False)
    row = min(check_int("row", row, 0), fm.out.shape[1] - 1)
    col = min(check_int("col", col, 0), fm.out.shape[2] - 1)
    p = conv.patch_at(x[channel], w.shape, row, col, **_conv_args(g))
    patch = conv.Patch(p.values[0], p.rows, p.cols)
    # dlcore.layers works on one axis's kernel size; rows and columns each get their own stack.
    rows_stack, cols_stack = (
        [
            Layer("conv", k, g.stride, pad, g.dilation),
            Layer("pool", 2, 2),
            Layer("conv", k, g.stride, pad, g.dilation),
        ]
        for k, pad in ((w.shape[0], g.pads[0]), (w.shape[1], g.pads[2]))
    )
    try:
        steps = centre_fields(rows_stack, cols_stack, *x.shape[1:], at=(row, col))
        field_problem = ""
    except ValueError as exc:
        steps, field_problem = [], str(exc)
    uneven = g.pads[0] != g.pads[1] or g.pads[2] != g.pads[3]
    value = float(fm.out[channel, row, col])
    return PixelView(
        fm,
        row,
        col,
        channel,
        patch,
        patch.values * w,
        value,
        x[channel],
        steps,
        field_problem,
        uneven,
    )


def _conv_args(g: Geometry) -> dict:
    return dict(stride=g.stride, padding=g.padding, dilation=g.dilation)


class Im2colView(NamedTuple):
    """The Sliding kernel and im2col panel, on a small crop of the first channel.

    Attributes
    ----------
    kernel : KernelChoice
    geometry : Geometry
    problem : str
        Why there is nothing to draw: a kernel too large to write out, or a
        crop too small for it ("" when drawn).
    too_large : bool
        The kernel has more than :data:`MAX_WRITTEN_TAPS` taps (a limit of
        the picture, not an error).
    crop : ndarray of shape (S, S) or None
        The centre of the image, ``S = d (max(kh, kw) - 1) + 1 + 3 s`` pixels a
        side (fewer if the image is smaller): about 4 x 4 outputs, no padding.
    im2col : Im2col or None
        ``cols`` (kh kw, N), ``weights`` (1, kh kw), ``out`` (1, OH, OW).
    positions, taps : int
        ``N = OH * OW`` windows, ``kh * kw`` weights.
    """

    kernel: KernelChoice
    geometry: Geometry
    problem: str
    too_large: bool
    crop: np.ndarray | None
    im2col: conv.Im2col | None
    positions: int
    taps: int


def im2col_view(img, kernel: KernelSettings, geometry: GeometrySettings) -> Im2colView:
    """Convolution of a small crop as one matrix product (patch matrix times kernel vector)."""
    x = channels_first(img)
    k = choose_kernel(kernel)
    g = choose_geometry(geometry, k.weights.shape)
    kh, kw = k.weights.shape
    if not k.small:
        problem = (
            f"The im2col picture is drawn for kernels up to 5 x 5; this one is {kh} x {kw}: "
            "choose a smaller kernel to see it."
        )
        return Im2colView(k, g, problem, True, None, None, 0, k.taps)
    span = g.dilation * (max(kh, kw) - 1) + 1 + 3 * g.stride
    h, w = x.shape[1:]
    r0, c0 = max(0, (h - span) // 2), max(0, (w - span) // 2)
    crop = x[0, r0 : r0 + span, c0 : c0 + span]
    try:
        res = conv.conv2d_im2col(crop, k.weights, stride=g.stride, dilation=g.dilation)
    except ValueError as exc:
        return Im2colView(
            k, g, f"{exc} (the image is {h} x {w} pixels)", False, crop, None, 0, k.taps
        )
    return Im2colView(k, g, "", False, crop, res, res.cols.shape[1], res.cols.shape[0])


class StackView(NamedTuple):
    """The Tiny CNN panel: a fixed two-layer stack on the gray image.

    Attributes
    ----------
    stages : list of Stage
        Input, conv 1, ReLU, max-pool, conv 2, ReLU + max-pool (empty when
        the image is too small: ``problem``).
    summary : list of Stage
        The input and the last stage: what the stack turns the image into.
    problem : str
    shapes : list of (str, (C, H, W))
        Each stage's name and the shape of its maps.
    """

    stages: list[Stage]
    summary: list[Stage]
    problem: str
    shapes: list[tuple[str, tuple[int, int, int]]]


def stack_view(img) -> StackView:
    """Run ``dlcore.layers.feature_stack`` on the image's luminance (:func:`dlcore.pixels.to_gray`)."""
    x = check_array("img", img, ndim=(2, 3), dtype=None)
    gray = to_gray(x)
    try:
        stages = feature_stack(gray, max_side=STACK_SIDE)
    except ValueError as exc:
        return StackView([], [], str(exc), [])
    shapes = [(s.name, tuple(int(n) for n in s.maps.shape)) for s in stages]
    return StackView(stages, [stages[0], stages[-1]], "", shapes)
