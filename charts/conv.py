"""Figures of the convolution lab: images, signed feature maps, patches, pooling, im2col.

Whole images are sent as compressed pictures (``go.Image`` with a data URI,
JPEG for large ones, PNG for small ones): a 640 x 427 feature map is tens of
kB that way instead of megabytes of numbers.
Signed maps are coloured here with the lab's diverging scale (blue < 0 <
red, white at zero), with a colour bar in the map's units.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.colors import convert_colors_to_same_type, get_colorscale
from plotly.utils import image_array_to_data_uri

from charts.theme import DIVERGING, PALETTE, SEQUENTIAL, figure

Box = tuple[int, int, int, int]  # inclusive top, bottom, left, right in pixels


def _lut(name: str) -> tuple[np.ndarray, np.ndarray]:
    scale = get_colorscale(name)
    stops = np.array([s for s, _ in scale])
    colors, _ = convert_colors_to_same_type([c for _, c in scale], colortype="tuple")
    rgb = 255.0 * np.array(colors, dtype=float)
    return stops, rgb


def colorize(values: np.ndarray, *, signed: bool = True, bound: float | None = None) -> np.ndarray:
    """Values to RGB uint8 with the diverging scale centred on zero (or Viridis from the minimum).

    Returns
    -------
    ndarray of shape (H, W, 3), uint8
    """
    v = np.nan_to_num(np.asarray(values, dtype=np.float32))
    if signed:
        b = float(np.abs(v).max()) if bound is None else bound
        t = 0.5 + 0.5 * v / (b or 1.0)
        stops, rgb = _lut(DIVERGING)
    else:
        lo, hi = float(v.min()), float(v.max())
        t = (v - lo) / ((hi - lo) or 1.0)
        stops, rgb = _lut(SEQUENTIAL)
    t = np.clip(t, 0.0, 1.0)
    out = np.stack([np.interp(t, stops, rgb[:, c]) for c in range(3)], axis=-1)
    return np.round(out).astype(np.uint8)


def _as_uint8(img: np.ndarray) -> np.ndarray:
    arr = np.asarray(img)
    if arr.dtype != np.uint8:
        arr = np.round(np.clip(np.nan_to_num(arr.astype(np.float32)), 0, 1) * 255).astype(np.uint8)
    return np.repeat(arr[..., None], 3, axis=2) if arr.ndim == 2 else arr


def _image_trace(img: np.ndarray, *, scale: tuple[float, float] = (1.0, 1.0), **where) -> go.Image:
    """``scale`` = (dy, dx): input pixels per drawn pixel, so axes and hover stay in input pixels."""
    u8 = _as_uint8(img)
    # PNG is exact but costs ~60 ms for a 640 x 427 photo; JPEG ~1 ms and 8x smaller.
    ext = "png" if u8.shape[0] * u8.shape[1] <= 16384 else "jpg"
    dy, dx = scale
    if (dy, dx) != (1.0, 1.0):
        # pixel centres of the thumbnail, in the coordinates of the full-size image
        where = dict(x0=(dx - 1) / 2, y0=(dy - 1) / 2, dx=dx, dy=dy, **where)
    return go.Image(source=image_array_to_data_uri(u8, ext=ext), hoverinfo="x+y", **where)


def _resize_axis(v: np.ndarray, n_out: int, axis: int) -> np.ndarray:
    """Linear interpolation along ``axis`` to ``n_out`` samples (pixel centres aligned)."""
    n = v.shape[axis]
    pos = np.clip((np.arange(n_out) + 0.5) * n / n_out - 0.5, 0, n - 1)
    i0 = np.floor(pos).astype(int)
    i1 = np.minimum(i0 + 1, n - 1)
    shape = [1] * v.ndim
    shape[axis] = n_out
    t = (pos - i0).reshape(shape).astype(v.dtype)
    return np.take(v, i0, axis=axis) * (1 - t) + np.take(v, i1, axis=axis) * t


def thumbnail(values: np.ndarray, max_side: int | None) -> np.ndarray:
    """Shrink an image so that neither side exceeds ``max_side`` (None: unchanged).

    The browser draws an image no larger than its column, so sending more
    pixels only costs encoding and transfer. Whole blocks are averaged first
    (so thin edges are not lost between samples), then the rest is linear
    interpolation. uint8 stays uint8; anything else comes back as float32.

    Parameters
    ----------
    values : ndarray of shape (H, W) or (H, W, C)

    Returns
    -------
    ndarray of shape (h, w) or (h, w, C), ``max(h, w) <= max_side``
    """
    v = np.asarray(values)
    h, w = v.shape[:2]
    if max_side is None or max(h, w) <= max_side:
        return v
    was_u8 = v.dtype == np.uint8
    v = v.astype(np.float32)
    f = max(h, w) // max_side
    if f >= 2:
        hh, ww = h // f * f, w // f * f
        v = v[:hh, :ww].reshape(hh // f, f, ww // f, f, *v.shape[2:]).mean(axis=(1, 3))
    scale = max_side / max(h, w)
    v = _resize_axis(_resize_axis(v, max(1, round(h * scale)), 0), max(1, round(w * scale)), 1)
    return np.round(np.clip(v, 0, 255)).astype(np.uint8) if was_u8 else v


def _shrink(img: np.ndarray, max_side: int | None) -> tuple[np.ndarray, tuple[float, float]]:
    small = thumbnail(img, max_side)
    return small, (img.shape[0] / small.shape[0], img.shape[1] / small.shape[1])


def _grid(
    rows: int,
    cols: int,
    titles: Sequence[str],
    *,
    height: int,
    widths: Sequence[float] | None = None,
    gap: float = 0.04,
    vgap: float = 0.06,
    ticks: bool = True,
) -> go.Figure:
    """An empty grid of axes (plotly's make_subplots costs ~40 ms; this ~3 ms)."""
    widths = list(widths or [1.0] * cols)
    usable = 1.0 - gap * (cols - 1)
    edges = np.cumsum([0.0] + [w / sum(widths) * usable + gap for w in widths])
    row_h = (1.0 - vgap * (rows - 1)) / rows
    layout, notes = {}, []
    for r in range(rows):
        y1 = 1.0 - r * (row_h + vgap)
        for c in range(cols):
            n = r * cols + c + 1
            suffix = "" if n == 1 else str(n)
            x0, x1 = edges[c], edges[c + 1] - gap
            tick = dict(dtick=1) if ticks else dict(showticklabels=False, ticks="")
            layout[f"xaxis{suffix}"] = dict(AXIS, domain=[x0, x1], anchor=f"y{suffix}", **tick)
            layout[f"yaxis{suffix}"] = dict(
                AXIS, domain=[y1 - row_h, y1], anchor=f"x{suffix}", autorange="reversed", **tick
            )
            if n - 1 < len(titles) and titles[n - 1]:
                notes.append(
                    dict(
                        text=titles[n - 1],
                        x=(x0 + x1) / 2,
                        y=y1,
                        xref="paper",
                        yref="paper",
                        xanchor="center",
                        yanchor="bottom",
                        showarrow=False,
                        font=dict(size=11),
                    )
                )
    return figure(height=height, margin=dict(l=10, r=10, t=40, b=10), annotations=notes, **layout)


def _axis(n: int) -> dict[str, str]:
    return {"xaxis": f"x{'' if n == 1 else n}", "yaxis": f"y{'' if n == 1 else n}"}


# Axes passed to figure() directly: each later update_xaxes/update_yaxes re-validates the layout (~10 ms).
AXIS = dict(showgrid=False, zeroline=False)
IMAGE_AXES = dict(
    xaxis=dict(AXIS, showticklabels=False), yaxis=dict(AXIS, showticklabels=False, scaleanchor="x")
)
CELL_AXES = dict(
    xaxis=dict(AXIS, dtick=1, constrain="domain"),
    yaxis=dict(AXIS, autorange="reversed", scaleanchor="x", dtick=1, constrain="domain"),
)


def _boxes(boxes: Sequence[tuple[Box, str, str]]) -> dict[str, list]:
    """Rectangles and their labels as layout entries (one validation pass, not one per shape)."""
    shapes, notes = [], []
    for (top, bottom, left, right), color, label in boxes:
        shapes.append(
            dict(
                type="rect",
                x0=left - 0.5,
                x1=right + 0.5,
                y0=top - 0.5,
                y1=bottom + 0.5,
                line=dict(color=color, width=2),
            )
        )
        if label:
            notes.append(
                dict(
                    x=left - 0.5,
                    y=top - 0.5,
                    text=label,
                    showarrow=False,
                    xanchor="left",
                    yanchor="bottom",
                    font=dict(color=color, size=12),
                    bgcolor="rgba(255,255,255,0.7)",
                )
            )
    return dict(shapes=shapes, annotations=notes)


def picture(
    img: np.ndarray,
    title: str | None = None,
    *,
    boxes: Sequence[tuple[Box, str, str]] = (),
    height: int = 340,
    max_side: int | None = None,
) -> go.Figure:
    """An image (H, W) or (H, W, 3) in [0, 1] (or uint8 RGB), with optional labelled boxes.

    ``max_side`` sends a :func:`thumbnail` of at most that many pixels a side
    (the size it is drawn at); axes, hover and boxes stay in the image's pixels.
    """
    fig = figure(
        title, height=height, margin=dict(l=5, r=5, t=40, b=5), **IMAGE_AXES, **_boxes(boxes)
    )
    small, scale = _shrink(np.asarray(img), max_side)
    fig.add_trace(_image_trace(small, scale=scale))
    return fig


def signed_map(
    values: np.ndarray,
    title: str | None = None,
    *,
    boxes: Sequence[tuple[Box, str, str]] = (),
    height: int = 340,
    colorbar_title: str = "value",
    max_side: int | None = None,
) -> go.Figure:
    """A signed 2-D map: blue below zero, white at zero, red above, with its colour bar.

    ``max_side`` as in :func:`picture`; the colour bound comes from every value.
    """
    v = np.asarray(values, dtype=np.float32)
    # The 99.5th percentile of |v|, not the maximum: a few extreme pixels
    # would otherwise wash every other value out to white.
    bound = float(np.percentile(np.abs(v), 99.5)) or float(np.abs(v).max()) or 1.0
    small, scale = _shrink(v, max_side)
    fig = figure(
        title, height=height, margin=dict(l=5, r=5, t=40, b=5), **IMAGE_AXES, **_boxes(boxes)
    )
    fig.add_trace(_image_trace(colorize(small, bound=bound), scale=scale))
    # An invisible point carries the colour bar, in the map's units.
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            marker=dict(
                colorscale=DIVERGING,
                cmin=-bound,
                cmax=bound,
                color=[0.0],
                showscale=True,
                colorbar=dict(
                    title=f"{colorbar_title}<br>(clipped<br>at +/-{bound:.2g})", thickness=12
                ),
            ),
        )
    )
    return fig


def hwc(maps: np.ndarray) -> np.ndarray:
    """(1, H, W) -> (H, W) and (3, H, W) -> (H, W, 3): channels-first maps as a picture."""
    return maps[0] if maps.shape[0] == 1 else np.moveaxis(maps, 0, -1)


def patch_zoom(
    channel: np.ndarray, rows: np.ndarray, cols: np.ndarray, margin: int = 3
) -> go.Figure:
    """The input around one receptive field (rows x cols, possibly in the padding), field outlined."""
    r0, c0 = max(0, rows[0] - margin), max(0, cols[0] - margin)
    crop = channel[
        r0 : min(channel.shape[0], rows[-1] + margin + 1),
        c0 : min(channel.shape[1], cols[-1] + margin + 1),
    ]
    box = ((rows[0] - r0, rows[-1] - r0, cols[0] - c0, cols[-1] - c0), PALETTE[1], "patch")
    return zoom(crop, f"input around rows {rows[0]}..{rows[-1]} (from row {r0})", boxes=[box])


def fields(
    img: np.ndarray, boxes: Sequence[tuple[Box, str, str]], title: str, height: int = 420
) -> go.Figure:
    """Nested boxes (the last the largest) on a crop of ``img`` around them, so small fields stay visible."""
    top, bottom, left, right = boxes[-1][0]
    margin = max(6, (bottom - top) // 2)
    t, lft = max(0, top - margin), max(0, left - margin)
    crop = img[t : bottom + margin + 1, lft : right + margin + 1]
    moved = [
        ((b[0] - t, b[1] - t, b[2] - lft, b[3] - lft), color, label) for b, color, label in boxes
    ]
    return picture(crop, title, boxes=moved, height=height)


def _text(values: np.ndarray) -> list[list[str]]:
    return [["" if np.isnan(a) else f"{a:.2g}" for a in row] for row in values]


def _cells(values: np.ndarray, signed: bool = True, bound: float | None = None) -> go.Heatmap:
    """A small array cell by cell (values printed up to 12 x 12); NaN cells stay empty."""
    v = np.asarray(values, dtype=float)
    finite = np.abs(v[np.isfinite(v)])
    bound = bound or (float(finite.max()) if finite.size else 0.0) or 1.0
    if signed:
        scale = dict(colorscale=DIVERGING, zmin=-bound, zmax=bound)
    else:
        scale = dict(colorscale="Greys", reversescale=True)
    show_text = v.size <= 144
    return go.Heatmap(
        z=v,
        showscale=False,
        text=_text(v) if show_text else None,
        texttemplate="%{text}" if show_text else None,
        hovertemplate="row %{y}, col %{x}: %{z:.4g}<extra></extra>",
        **scale,
    )


def pixel_product(patch: np.ndarray, kernel: np.ndarray, height: int = 320) -> go.Figure:
    """Patch, kernel and their elementwise product, side by side, values printed."""
    fig = _grid(1, 3, ("input patch", "kernel", "patch x kernel (sum them)"), height=height)
    for n, (values, signed) in enumerate(
        [(patch, False), (kernel, True), (patch * kernel, True)], start=1
    ):
        fig.add_trace(_cells(values, signed).update(**_axis(n)))
    return fig


def zoom(
    values: np.ndarray,
    title: str,
    *,
    boxes: Sequence[tuple[Box, str, str]] = (),
    signed: bool = False,
    marks: np.ndarray | None = None,
    windows: tuple[int, int] | None = None,
    height: int = 340,
) -> go.Figure:
    """A small crop cell by cell, values printed, boxes drawn; ``marks`` (bool) get a circle.

    ``windows = (size, stride)`` outlines the pooling windows (when they do not overlap).
    """
    if windows is not None and windows[1] >= windows[0]:
        k, s = windows
        boxes = [
            *boxes,
            *(
                ((i, i + k - 1, j, j + k - 1), PALETTE[0], "")
                for i in range(0, values.shape[0] - k + 1, s)
                for j in range(0, values.shape[1] - k + 1, s)
            ),
        ]
    legend = dict(orientation="h", y=-0.08) if marks is not None else {}
    fig = figure(
        title,
        height=height,
        margin=dict(l=30, r=10, t=40, b=30),
        legend=legend,
        **CELL_AXES,
        **_boxes(boxes),
    )
    fig.add_trace(_cells(values, signed))
    if marks is not None:
        rows, cols = np.nonzero(marks)
        fig.add_trace(
            go.Scatter(
                x=cols,
                y=rows,
                mode="markers",
                name="argmax (gets the gradient)",
                marker=dict(color=PALETTE[1], size=22, symbol="circle-open", line=dict(width=2)),
            )
        )
    return fig


def im2col_product(
    cols: np.ndarray, weights: np.ndarray, out: np.ndarray, height: int = 420
) -> go.Figure:
    """The patch matrix (one patch per row here, i.e. im2col transposed) times the kernel vector."""
    n, k = cols.shape[1], cols.shape[0]
    fig = _grid(
        1,
        3,
        (f"patches ({n} x {k})", f"kernel ({k} x 1)", f"output ({n} x 1)"),
        height=height,
        widths=[k, 1.6, 1.6],
        gap=0.06,
        ticks=False,
    )
    for i, (values, signed) in enumerate(
        [(cols.T, False), (weights.reshape(-1, 1), True), (out.reshape(-1, 1), True)], start=1
    ):
        fig.add_trace(_cells(values, signed).update(**_axis(i)))
    return fig


def stage_grid(stages: Sequence, height_per_row: int = 170) -> go.Figure:
    """Every map of a feature stack: one row per stage, one column per channel.

    Signed maps (before a ReLU) use the diverging scale, non-negative ones
    the sequential one; each map is scaled on its own.
    """
    n_cols = max(s.maps.shape[0] for s in stages)
    titles = []
    for s in stages:
        titles += [f"{s.name}: {label}" if i == 0 else label for i, label in enumerate(s.labels)]
        titles += [""] * (n_cols - len(s.labels))
    fig = _grid(
        len(stages),
        n_cols,
        titles,
        height=height_per_row * len(stages),
        gap=0.02,
        vgap=0.05,
        ticks=False,
    )
    for r, s in enumerate(stages):
        for c, m in enumerate(s.maps):
            rgb = colorize(m, signed=bool(m.min() < 0)) if s.name != "input" else _as_uint8(m)
            fig.add_trace(_image_trace(rgb, **_axis(r * n_cols + c + 1)))
    return fig


def unit_range(values: np.ndarray, clip: float = 0.5) -> np.ndarray:
    """Scale to [0, 1] over the whole array (all channels together), float32.

    The ``clip`` and ``100 - clip`` percentiles map to 0 and 1 (values beyond
    are clipped), so a handful of extreme pixels do not turn the rest grey.
    """
    v = np.asarray(values, dtype=np.float32)
    lo, hi = (float(q) for q in np.percentile(v, [clip, 100 - clip]))
    if hi <= lo:
        lo, hi = float(v.min()), float(v.max())
    return np.clip((v - lo) / (hi - lo), 0, 1) if hi > lo else np.zeros_like(v)


def size_latex(
    axis: str, n: int, k: int, stride: int, pads: tuple[int, int], dilation: int, result: int | None
) -> str:
    """The output-size formula with the current numbers plugged in, for one axis."""
    top = n + pads[0] + pads[1] - dilation * (k - 1) - 1
    value = str(result) if result is not None else r"\text{impossible: the kernel does not fit}"
    return (
        rf"{axis}_{{out}} = \left\lfloor \frac{{{axis} + p_1 + p_2 - d\,(k - 1) - 1}}{{s}} \right\rfloor + 1"
        rf" = \left\lfloor \frac{{{n} + {pads[0]} + {pads[1]} - {dilation}\cdot({k} - 1) - 1}}{{{stride}}}"
        rf" \right\rfloor + 1 = \left\lfloor \frac{{{top}}}{{{stride}}} \right\rfloor + 1 = {value}"
    )


def sliding(
    crop: np.ndarray,
    out: np.ndarray,
    kernel_shape: tuple[int, int],
    stride: int,
    dilation: int,
    height: int = 380,
) -> go.Figure:
    """The kernel sliding over a small crop (Plotly frames, played in the browser), the output filling in.

    Frame ``n`` outlines the input window of output pixel ``n`` (row-major) and
    shows the outputs computed so far; ``out`` is the valid convolution of ``crop``.
    """
    oh, ow = out.shape
    span_h, span_w = dilation * (kernel_shape[0] - 1), dilation * (kernel_shape[1] - 1)
    fig = _grid(
        1,
        2,
        ("input crop: the kernel's window", "output so far"),
        height=height,
        widths=(crop.shape[1], ow),
    )
    fig.add_trace(_cells(crop, signed=False).update(**_axis(1)))
    order = np.arange(oh * ow).reshape(oh, ow)
    bound = float(np.abs(out).max()) or 1.0
    fig.add_trace(
        _cells(np.where(order == 0, out, np.nan), signed=True, bound=bound).update(**_axis(2))
    )
    frames = []
    for n in range(oh * ow):
        i, j = divmod(n, ow)
        shown = np.where(order <= n, out, np.nan)
        window = dict(
            type="rect",
            xref="x",
            yref="y",
            x0=j * stride - 0.5,
            x1=j * stride + span_w + 0.5,
            y0=i * stride - 0.5,
            y1=i * stride + span_h + 0.5,
            line=dict(color=PALETTE[1], width=3),
        )
        target = dict(
            type="rect",
            xref="x2",
            yref="y2",
            x0=j - 0.5,
            x1=j + 0.5,
            y0=i - 0.5,
            y1=i + 0.5,
            line=dict(color=PALETTE[1], width=3),
        )
        frames.append(
            go.Frame(
                name=str(n),
                data=[go.Heatmap(z=shown, text=_text(shown))],
                traces=[1],
                layout=dict(shapes=[window, target]),
            )
        )
    fig.frames = frames
    fig.update_layout(
        shapes=frames[0].layout.shapes,
        updatemenus=[
            dict(
                type="buttons",
                x=0,
                y=-0.05,
                xanchor="left",
                yanchor="top",
                direction="left",
                buttons=[
                    dict(
                        label="Play",
                        method="animate",
                        args=[
                            None,
                            dict(
                                frame=dict(duration=350, redraw=True),
                                fromcurrent=True,
                                transition=dict(duration=0),
                            ),
                        ],
                    ),
                    dict(
                        label="Pause",
                        method="animate",
                        args=[[None], dict(mode="immediate", frame=dict(duration=0))],
                    ),
                ],
            )
        ],
        margin=dict(l=10, r=10, t=40, b=50),
        # Fixed ranges: the output starts nearly empty, and autorange would shrink it to one cell.
        xaxis2=dict(range=[-0.5, ow - 0.5]),
        yaxis2=dict(range=[oh - 0.5, -0.5], autorange=False),
    )
    return fig


def picture_row(
    images: Sequence[np.ndarray],
    titles: Sequence[str],
    *,
    height: int = 340,
    max_side: int | None = None,
) -> go.Figure:
    """Several images (H, W) or (H, W, 3) in [0, 1] side by side in ONE figure.

    One chart instead of one per image: a slider that changes them all
    redraws a single Plotly figure in the browser.
    """
    fig = _grid(1, len(images), titles, height=height, gap=0.03, ticks=False)
    for n, img in enumerate(images, start=1):
        small, scale = _shrink(np.asarray(img), max_side)
        fig.add_trace(_image_trace(small, scale=scale, **_axis(n)))
    return fig


def kernel_sum_latex(kernel_shape: tuple[int, int], total: float) -> str:
    """The cross-correlation sum for a ``kh x kw`` kernel, with the sum of its weights."""
    kh, kw = kernel_shape
    return (
        rf"y_{{i,j}} = \sum_{{a=0}}^{{{kh - 1}}} \sum_{{b=0}}^{{{kw - 1}}} K_{{a,b}}\; "
        rf"x_{{s i + d a,\; s j + d b}} \qquad \text{{(sum of weights: {total:.3g})}}"
    )


def pixel_sum_latex(
    row: int, col: int, patch: np.ndarray, weights: np.ndarray, value: float, *, written_out: bool
) -> str:
    """One output pixel as its sum: every ``(patch)(weight)`` term when ``written_out``."""
    rows = [
        " + ".join(f"({a:.2f})({b:.3g})" for a, b in zip(pr, kr)) for pr, kr in zip(patch, weights)
    ]
    terms = r" \\ &= " + r" \\ &+ ".join(rows) + r" \\ &" if written_out else " "
    return (
        rf"\begin{{aligned}} y_{{{row},{col}}} &= \textstyle\sum K \odot \text{{patch}}{terms}"
        rf"= {value:.4g} \end{{aligned}}"
    )


FIELD_LABELS = (("conv", "green"), ("+ pool", "red"), ("+ pool + conv", "violet"))


def field_boxes(steps: Sequence) -> tuple[list[tuple[Box, str, str]], str]:
    """Boxes for :func:`fields` and a Markdown list, one per ``dlcore.layers.StackStep``.

    The list's colour names (Streamlit's ``:green[...]``) match the boxes.
    """
    boxes, lines = [], []
    for n, ((label, color), step) in enumerate(zip(FIELD_LABELS, steps), start=1):
        boxes.append((tuple(step.field), PALETTE[n + 1], ""))
        lines.append(
            f"- :{color}[after {label}: **{step.field_height} x {step.field_width} px**], "
            f"unit ({step.row}, {step.col}) of a {step.height} x {step.width} map"
        )
    return boxes, "\n".join(lines)


def pool_size_latex(axis: str, n: int, size: int, stride: int, result: int) -> str:
    """The pooled size along one axis (floor mode), with the numbers."""
    return (
        rf"{axis}_{{pool}} = \left\lfloor \frac{{{n} - {size}}}{{{stride}}} \right\rfloor + 1"
        rf" = {result}"
    )


def im2col_latex(positions: int, taps: int, out_shape: tuple[int, int]) -> str:
    """The shapes of the one matrix product: patches times the kernel vector."""
    return (
        rf"\underbrace{{X_{{col}}^\top}}_{{{positions} \times {taps}}}\,"
        rf"\underbrace{{\mathrm{{vec}}(K)}}_{{{taps} \times 1}} = "
        rf"\underbrace{{y}}_{{{positions} \times 1}} \;\to\; "
        rf"{out_shape[0]} \times {out_shape[1]} \text{{ map}}"
    )


def scaled_height(rows: int, reference_rows: int, *, full: int = 340, least: int = 140) -> int:
    """A figure height that draws ``rows`` pixels at the scale ``reference_rows`` get in ``full``.

    So a map half the input's height is drawn half as tall and the shrinking shows.
    """
    margins = 45  # the title and the frame
    return max(least, margins + round((full - margins) * rows / max(reference_rows, 1)))
