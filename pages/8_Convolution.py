"""Convolution lab: any kernel on your own image, stride, padding, dilation, pooling, im2col."""

import hashlib

import numpy as np
import streamlit as st

from charts import conv as cc
from dlcore import conv
from dlcore.layers import Layer, centre_fields, feature_stack, receptive_field
from ui import download_png, image_source, notice, page_header, show_code, show_error, url

P = "cv"
DEFAULT_CUSTOM = "0 -1 0\n-1 5 -1\n0 -1 0"
page_header(
    "Convolution",
    "A convolutional layer slides a small grid of weights, the **kernel**, over the image. At each position it "
    "multiplies the pixels under the kernel by the weights and adds them up: one number of the **feature map**. "
    "Deep learning's convolution does not flip the kernel (it is a cross-correlation), exactly as PyTorch's `conv2d`.",
)


@st.cache_data(max_entries=16, show_spinner=False)
def filtered(
    fp: str, _x: np.ndarray, kernel: tuple, stride: int, padding, dilation: int
) -> np.ndarray:
    return conv.conv2d(_x, np.array(kernel), stride=stride, padding=padding, dilation=dilation)


@st.cache_data(max_entries=8, show_spinner=False)
def edges(fp: str, _x: np.ndarray, stride: int, padding, dilation: int) -> np.ndarray:
    return conv.gradient_magnitude(_x, stride=stride, padding=padding, dilation=dilation).magnitude


@st.cache_data(max_entries=4, show_spinner=False)
def stack(fp: str, _gray: np.ndarray):
    return feature_stack(_gray, max_side=128)


left, right = st.columns([3, 1])
gray = right.toggle("Grayscale", value=False, **url(P, "gray"))
with left:
    img, caption, _ = image_source(P, gray=gray)
if img is None:
    st.stop()
x = img[None] if img.ndim == 2 else img.transpose(2, 0, 1)  # (C, H, W): channels first, as torch
fp = hashlib.md5(np.ascontiguousarray(img).tobytes()).hexdigest()
channels = 1 if img.ndim == 2 else 3
H, W = img.shape[:2]

st.header("1. The kernel")
names = [*conv.KERNELS, "Custom"]
c1, c2, c3, c4 = st.columns(4)
name = c1.selectbox("Kernel", names, index=names.index("Sobel x"), **url(P, "kernel"))
spec = conv.KERNELS.get(name)
size = c2.slider("Kernel size", 1, 11, 5, **url(P, "size")) if spec and "size" in spec.params else 3
sigma = (
    c3.slider("Gaussian sigma", 0.3, 5.0, 1.0, 0.1, **url(P, "sigma"))
    if spec and "sigma" in spec.params
    else 1.0
)
normalise = c4.toggle(
    "Normalise the kernel",
    value=False,
    **url(P, "normalise"),
    help="Divide by the sum of the weights (by the sum of |weights| for edge kernels that sum to 0).",
)
if spec is None:
    text = st.text_area(
        "Your kernel: one row per line (or ';'), numbers separated by spaces or commas, "
        "fractions like 1/9 allowed, at most 11 x 11",
        DEFAULT_CUSTOM,
        **url(P, "custom"),
    )
    try:
        weights = conv.parse_kernel(text)
    except ValueError as exc:
        show_error(exc, hint="Showing the identity kernel until the kernel is fixed.")
        weights = conv.KERNELS["Identity"].array()
else:
    weights = spec.array(size=size, sigma=sigma)
    st.caption(f"**{name}**: {spec.description}")
if normalise:
    try:
        weights = conv.normalize_kernel(weights)
    except ValueError as exc:
        show_error(exc)
kh, kw = weights.shape
k1, k2 = st.columns([1, 2])
k1.plotly_chart(
    cc.zoom(weights, f"{kh} x {kw} kernel", signed=True, height=300), key="cv_kernel_fig"
)
with k2:
    if spec is not None:
        st.latex(rf"\text{{{name}}}:\; {spec.latex}")
    if (spec is None or spec.params or normalise) and kh * kw <= 25:
        st.latex(r"K = " + cc.matrix_latex(weights, digits=2))
    st.latex(
        rf"y_{{i,j}} = \sum_{{a=0}}^{{{kh - 1}}} \sum_{{b=0}}^{{{kw - 1}}} K_{{a,b}}\; "
        rf"x_{{s i + d a,\; s j + d b}} \qquad \text{{(sum of weights: {weights.sum():.3g})}}"
    )

st.header("2. Stride, padding, dilation")
c1, c2, c3, c4 = st.columns(4)
stride = c1.slider("Stride s", 1, 5, 1, **url(P, "stride"))
mode = c2.segmented_control(
    "Padding", ["same", "valid", "number"], default="same", required=True, **url(P, "pad_mode")
)
pad = (
    c3.slider("Padding p (pixels each side)", 0, 10, 1, **url(P, "pad"))
    if mode == "number"
    else mode
)
dilation = c4.slider("Dilation d", 1, 5, 1, **url(P, "dilation"))
if pad == "same" and stride > 1:
    pad = (
        dilation * (kh - 1) // 2,
        dilation * (kw - 1) // 2,
    )  # per axis: a 1 x 11 kernel needs no rows of padding
    st.warning(
        f"'same' padding is only defined at stride 1 (PyTorch refuses it too): a stride-{stride} output "
        f"cannot keep the input's size. Using the usual 'half' padding p = d(k-1)/2 = {pad} (rows, columns)."
    )
out = error = None
pads = conv.resolve_padding(pad, (kh, kw), (stride, stride), (dilation, dilation))
try:
    out = filtered(fp, x, tuple(map(tuple, weights)), stride, pad, dilation)
except ValueError as exc:
    error = exc
for axis, n, k, pp, i in (("H", H, kh, pads[:2], 1), ("W", W, kw, pads[2:], 2)):
    st.latex(cc.size_latex(axis, n, k, stride, pp, dilation, None if out is None else out.shape[i]))
if error is not None:
    show_error(
        error,
        hint="A kernel spanning d(k-1)+1 pixels needs an input (with padding) at least that large: "
        "use a smaller kernel or dilation, more padding, or a larger image.",
    )
    st.stop()

st.header("3. The feature map")
norm = cc.unit_range(out)
signed = out[0] if channels == 1 else out.mean(axis=0)
c1, c2, c3 = st.columns(3)
c1.plotly_chart(cc.picture(img, f"input, {H} x {W}"), key="cv_input_fig")
c2.plotly_chart(
    cc.signed_map(signed, "signed values" + ("" if channels == 1 else " (mean of R, G, B)")),
    key="cv_signed_fig",
)
c3.plotly_chart(
    cc.picture(cc.hwc(norm), f"normalised to [0, 1], {out.shape[1]} x {out.shape[2]}"),
    key="cv_norm_fig",
)
st.caption(
    caption + (". Colour images are filtered per channel (groups = 3)." if channels == 3 else ".")
)
download_png(
    "Download the feature map (PNG)",
    cc.hwc(norm),
    f"feature_map_{name.lower().replace(' ', '_')}.png",
    key="cv_download",
)
notice(
    "Blue is negative, red positive. Edge kernels (Sobel, Laplacian) sum to 0: flat regions give 0 and only "
    "changes light up. Blurs sum to 1 and keep the brightness. Stride shrinks the map by s; dilation spreads the "
    "same weights over a wider area."
)
if st.toggle("Sobel magnitude: edges in every direction", value=False, **url(P, "sobel")):
    mag = edges(fp, x, stride, pad, dilation)
    st.latex(
        r"\|\nabla x\| = \sqrt{g_x^2 + g_y^2},\; g_x = K_{\text{Sobel}\,x} \star x,\; "
        rf"g_y = K_{{\text{{Sobel}}\,y}} \star x \qquad \max = {mag.max():.3g}"
    )
    st.plotly_chart(
        cc.picture(
            cc.unit_range(mag.max(axis=0)), "gradient magnitude (max over channels)", height=420
        ),
        key="cv_sobel_fig",
    )
show_code(conv.conv2d_naive, conv.conv2d, conv._shift_accumulate)


@st.fragment
def pooling():
    st.header("4. Pooling")
    c1, c2 = st.columns(2)
    size = c1.slider("Pool size", 2, 6, 2, **url(P, "pool_size"))
    pstride = c2.slider("Pool stride", 1, 6, 2, **url(P, "pool_stride"))
    try:
        pooled_max, pooled_avg = (
            conv.max_pool2d(norm, size, pstride),
            conv.avg_pool2d(norm, size, pstride),
        )
    except ValueError as exc:
        show_error(exc, hint="Use a smaller pool size.")
        return
    oh = conv.pool_output_size(norm.shape[1], size, pstride)
    st.latex(
        rf"H_{{pool}} = \left\lfloor \frac{{{norm.shape[1]} - {size}}}{{{pstride}}} \right\rfloor + 1 = {oh}"
    )
    c1, c2 = st.columns(2)
    c1.plotly_chart(
        cc.picture(cc.hwc(pooled_max), f"max-pool, {pooled_max.shape[1]} x {pooled_max.shape[2]}"),
        key="cv_max_fig",
    )
    c2.plotly_chart(
        cc.picture(
            cc.hwc(pooled_avg), f"average-pool, {pooled_avg.shape[1]} x {pooled_avg.shape[2]}"
        ),
        key="cv_avg_fig",
    )
    side = min(12, norm.shape[1], norm.shape[2])
    r0, c0 = (norm.shape[1] - side) // 2, (norm.shape[2] - side) // 2
    crop = norm.mean(axis=0)[r0 : r0 + side, c0 : c0 + side]
    c1, c2 = st.columns([3, 2])
    if side >= size:
        idx = conv.max_pool2d_indices(crop, size, pstride)
        mask = conv.max_pool2d_backward(np.ones(idx.shape), idx, crop.shape)
        c1.plotly_chart(
            cc.zoom(
                crop,
                f"{side} x {side} crop of the map (mean of channels), max-pool windows",
                marks=mask > 0,
                windows=(size, pstride),
                height=460,
            ),
            key="cv_mask_fig",
        )
        c2.latex(
            r"\frac{\partial\, \max(x_1, \dots, x_n)}{\partial x_i} = "
            r"\begin{cases} 1 & x_i \text{ is the max} \\ 0 & \text{otherwise} \end{cases}"
        )
        c2.markdown(
            f"The circled pixels won their window: **{int((mask > 0).sum())}** of {side * side} pixels "
            "receive any gradient."
            + (" With stride < size a pixel can win several windows." if pstride < size else "")
        )
    notice(
        "Max-pooling keeps the strongest response in each window, so edges survive downsampling; averaging blurs "
        "them. In backprop only the argmax pixel of a window gets gradient: the others had no effect on the output."
    )
    show_code(conv.max_pool2d, conv.max_pool2d_indices, conv.max_pool2d_backward)


pooling()


@st.fragment
def one_pixel():
    st.header("5. One output pixel, and its receptive field")
    c1, c2, c3 = st.columns(3)
    oh, ow = out.shape[1:]  # a slider needs two values to choose from
    for key, n in (
        ("cv_row", oh),
        ("cv_col", ow),
    ):  # a new image can leave the old position out of range
        if st.session_state.get(key, 0) > n - 1:
            st.session_state[key] = n // 2
    row = c1.slider("Output row i", 0, oh - 1, oh // 2, **url(P, "row")) if oh > 1 else 0
    col = c2.slider("Output column j", 0, ow - 1, ow // 2, **url(P, "col")) if ow > 1 else 0
    ch = (
        "RGB".index(c3.radio("Channel", list("RGB"), horizontal=True, **url(P, "channel")))
        if channels == 3
        else 0
    )
    p = conv.patch_at(x, weights.shape, row, col, stride=stride, padding=pad, dilation=dilation)
    value = out[ch, row, col]
    rows = [
        " + ".join(f"({a:.2f})({b:.3g})" for a, b in zip(pr, kr))
        for pr, kr in zip(p.values[ch], weights)
    ]
    terms = r" \\ &= " + r" \\ &+ ".join(rows) + r" \\ &" if kh * kw <= 25 else " "
    st.latex(
        rf"\begin{{aligned}} y_{{{row},{col}}} &= \textstyle\sum K \odot \text{{patch}}{terms}= {value:.4g}"
        r" \end{aligned}"
    )
    c1, c2 = st.columns([1, 2])
    c1.plotly_chart(cc.patch_zoom(x[ch], p.rows, p.cols), key="cv_zoom_fig")
    c2.plotly_chart(cc.pixel_product(p.values[ch], weights), key="cv_product_fig")
    # dlcore.layers works on one axis's kernel size; rows and columns each get their own stack.
    rows_stack, cols_stack = (
        [
            Layer("conv", k, stride, p0, dilation),
            Layer("pool", 2, 2),
            Layer("conv", k, stride, p0, dilation),
        ]
        for k, p0 in ((kh, pads[0]), (kw, pads[2]))
    )
    boxes, lines = [], []
    try:
        for n, ((label, color), step) in enumerate(
            zip(
                [("conv", "green"), ("+ pool", "red"), ("+ pool + conv", "violet")],
                centre_fields(rows_stack, cols_stack, H, W),
            ),
            1,
        ):
            boxes.append((tuple(step.field), cc.PALETTE[n + 1], ""))
            lines.append(
                f"- :{color}[after {label}: **{step.field_height} x {step.field_width} px**], "
                f"map {step.height} x {step.width}"
            )
    except ValueError as exc:
        show_error(
            exc, hint="The conv-pool-conv stack does not fit this image with these settings."
        )
    c1, c2 = st.columns([3, 2])
    if boxes:
        c1.plotly_chart(
            cc.fields(img, boxes, "receptive fields of the centre pixel, zoomed"),
            key="cv_field_fig",
        )
    c2.latex(r"r_\ell = r_{\ell-1} + d\,(k_\ell - 1)\, j_{\ell-1}")
    c2.latex(r"j_\ell = j_{\ell-1}\, s_\ell,\quad r_0 = j_0 = 1")
    c2.markdown(
        f"conv ({kh} x {kw}, s={stride}, d={dilation}), max-pool 2 x 2, that conv again:\n"
        + "\n".join(lines)
    )
    if pads[0] != pads[1] or pads[2] != pads[3]:
        c2.caption(
            "The extra bottom/right pixel that 'same' padding gives an even kernel is left out of these sizes."
        )
    notice(
        "Each layer adds (k - 1) times its input spacing to the field; stride and pooling multiply that spacing for "
        "later layers, so deep units see large parts of the image with small kernels."
    )
    show_code(conv.patch_at, receptive_field)


one_pixel()

st.header("6. The kernel sliding, and im2col: convolution as one matrix product")
if st.toggle("Show the sliding kernel and im2col on a small crop", value=True, **url(P, "im2col")):
    if kh * kw > 25:
        st.info(
            "The im2col picture is drawn for kernels up to 5 x 5; choose a smaller kernel to see it."
        )
    else:
        span = dilation * (max(kh, kw) - 1) + 1 + 3 * stride
        r0, c0 = max(0, (H - span) // 2), max(0, (W - span) // 2)
        small = x[0][r0 : r0 + span, c0 : c0 + span]
        try:
            res = conv.conv2d_im2col(small, weights, stride=stride, dilation=dilation)
        except ValueError as exc:
            show_error(exc)
        else:
            n_pos, k = res.cols.shape[1], res.cols.shape[0]
            st.latex(
                rf"\underbrace{{X_{{col}}^\top}}_{{{n_pos} \times {k}}}\,\underbrace{{\mathrm{{vec}}(K)}}_"
                rf"{{{k} \times 1}} = \underbrace{{y}}_{{{n_pos} \times 1}} \;\to\; "
                rf"{res.out.shape[1]} \times {res.out.shape[2]} \text{{ map}}"
            )
            st.plotly_chart(
                cc.sliding(small, res.out[0], (kh, kw), stride, dilation), key="cv_slide_fig"
            )
            st.plotly_chart(
                cc.im2col_product(res.cols, res.weights[0], res.out[0]), key="cv_im2col_fig"
            )
            notice(
                f"Press Play: each window is one {kh} x {kw} patch of this {small.shape[0]} x {small.shape[1]} crop (first channel) and "
                "one row of the patch matrix. Every output is a dot product: the layer is one matrix product."
            )
            show_code(conv.im2col, conv.conv2d_im2col)

st.header("7. A tiny fixed CNN")
if st.toggle("Run a two-layer stack on this image", value=False, **url(P, "stack")):
    try:
        st.plotly_chart(
            cc.stage_grid(stack(fp, img if img.ndim == 2 else img.mean(axis=2))), key="cv_stack_fig"
        )
    except ValueError as exc:
        show_error(exc, hint="Use a larger image for the stack.")
    notice(
        "Layer 1 finds edges of each direction and polarity; ReLU keeps the positive part; pooling halves the "
        "size; layer 2 combines edge maps into lines and texture. Maps get smaller and more abstract with depth."
    )
    show_code(feature_stack)
