"""Pictures drawn straight into pixels, for views redrawn several times a second.

A Plotly chart costs its visitor's browser a full ``Plotly.newPlot`` on every
redraw (tens of milliseconds per chart on a busy machine); a PNG costs almost
nothing to show. While the playground plays, its network, output plane and
loss curve are drawn here as RGB arrays (and encoded by
:func:`dlcore.pixels.encode_png`); when it pauses, the interactive Plotly
charts of :mod:`charts.playground` take over.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from charts.theme import PALETTE
from dlcore.pixels import encode_png

#: the diverging scale of the heat maps: -1 blue, 0 near white, +1 red (RdBu's ends)
BLUE, WHITE, RED = np.array([33, 102, 172]), np.array([247, 247, 247]), np.array([178, 24, 43])
BACKGROUND = np.array([255, 255, 255])


def hex_rgb(color: str) -> np.ndarray:
    """``"#RRGGBB"`` as an int array of shape (3,)."""
    return np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])


def diverging(z: np.ndarray) -> np.ndarray:
    """Values in [-1, 1] (clipped) as RGB, shape ``z.shape + (3,)``; NaN is the background."""
    t = np.clip(np.nan_to_num(z, nan=0.0), -1.0, 1.0)[..., None]
    rgb = np.where(t < 0, WHITE + (BLUE - WHITE) * -t, WHITE + (RED - WHITE) * t)
    return np.where(np.isnan(z)[..., None], BACKGROUND, rgb)


def upscale(img: np.ndarray, k: int) -> np.ndarray:
    """Each pixel as a ``k`` x ``k`` block (nearest neighbour)."""
    return np.repeat(np.repeat(img, k, axis=0), k, axis=1)


def stamp(
    img: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    color: np.ndarray,
    radius: float,
    alpha: float = 1.0,
) -> None:
    """Blend discs of ``radius`` pixels centred at ``(rows, cols)`` into ``img`` (in place).

    ``color`` is one RGB of shape (3,) or one per disc, shape (n, 3).
    """
    r = int(np.ceil(radius))
    dy, dx = np.mgrid[-r : r + 1, -r : r + 1]
    inside = dy**2 + dx**2 <= radius**2 + 0.25
    m = int(inside.sum())
    yy = (np.round(rows)[:, None] + dy[inside][None, :]).astype(int).ravel()
    xx = (np.round(cols)[:, None] + dx[inside][None, :]).astype(int).ravel()
    rgb = np.broadcast_to(np.asarray(color, float), (len(rows), 3))
    rgb = np.repeat(rgb, m, axis=0)
    keep = (yy >= 0) & (yy < img.shape[0]) & (xx >= 0) & (xx < img.shape[1])
    yy, xx = yy[keep], xx[keep]
    img[yy, xx] = (1 - alpha) * img[yy, xx] + alpha * rgb[keep]


def segments(
    img: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    colors: np.ndarray,
    width: float,
    alpha: float = 1.0,
) -> None:
    """Segments from ``starts`` to ``ends`` (each (m, 2), row and column), ``width`` pixels
    wide, one colour each ((m, 3) or (3,)); all stamped at once (in place)."""
    starts, ends = np.asarray(starts, float).reshape(-1, 2), np.asarray(ends, float).reshape(-1, 2)
    if len(starts) == 0:
        return
    length = float(np.max(np.abs(ends - starts), initial=1.0))
    step = max(width / 3, 1.0)  # overlapping discs: a third of the width apart is smooth enough
    t = np.linspace(0.0, 1.0, int(length / step) + 2)[None, :, None]
    points = (starts[:, None, :] + (ends - starts)[:, None, :] * t).reshape(-1, 2)
    rgb = np.broadcast_to(np.asarray(colors, float), (len(starts), 3))
    rgb = np.repeat(rgb, t.shape[1], axis=0)
    stamp(img, points[:, 0], points[:, 1], rgb, max(width / 2, 0.5), alpha)


def polyline(img: np.ndarray, rows, cols, color: np.ndarray, width: float = 2.0) -> None:
    """Consecutive segments through the points ``(rows[i], cols[i])``; NaN points are skipped."""
    p = np.column_stack([rows, cols]).astype(float)
    ok = np.all(np.isfinite(p[:-1]), axis=1) & np.all(np.isfinite(p[1:]), axis=1)
    segments(img, p[:-1][ok], p[1:][ok], color, width)


def png(img: np.ndarray) -> bytes:
    """An RGB array of any numeric type (0..255) as PNG bytes."""
    return encode_png(np.clip(np.round(img), 0, 255).astype(np.uint8), level=1)


def network_png(
    mosaic: np.ndarray,
    spots: Sequence[Sequence[tuple[int, int]]],
    links: Sequence[np.ndarray],
    g: int,
    *,
    scale: int = 4,
) -> bytes:
    """The network picture: every neuron's map (``mosaic``, cells) and its links as lines.

    Parameters
    ----------
    mosaic : ndarray of shape (H, W)
        All maps in one array, row 0 at the bottom (as a heat map draws it), values in [-1, 1].
    spots : per column, the bottom-left cell of each map
    links : one matrix per column of links, shape (maps in column k, maps in column k+1)
    g : int
        Cells per side of a map.
    """
    h = mosaic.shape[0]
    img = upscale(diverging(mosaic[::-1]), scale).astype(float)
    tiles = img.copy()
    img[:] = BACKGROUND
    mats = links
    biggest = max((float(np.max(np.abs(W))) for W in mats if W.size), default=1.0) or 1.0
    starts, ends, values = [], [], []
    for k, W in enumerate(mats):
        a = np.array([((h - y - g / 2) * scale, (x + g) * scale) for x, y in spots[k]])
        b = np.array([((h - y - g / 2) * scale, x * scale) for x, y in spots[k + 1]])
        starts.append(np.repeat(a, len(b), axis=0))
        ends.append(np.tile(b, (len(a), 1)))
        values.append(W.ravel())  # row-major: link (i, j) is W[i, j]
    starts, ends, values = np.vstack(starts), np.vstack(ends), np.concatenate(values)
    size = np.minimum(np.abs(values) / biggest, 1.0)
    bins = np.minimum((size * 4).astype(int), 3)  # four widths, as the paused chart's
    colors = np.where((values >= 0)[:, None], RED, BLUE)
    for b in range(4):
        sel = bins == b
        segments(img, starts[sel], ends[sel], colors[sel], 1 + 2.2 * b, 0.35 + 0.15 * b)
    filled = ~np.isnan(upscale(mosaic[::-1], scale))
    img[filled] = tiles[filled]
    return png(img)


def plane_png(
    background: np.ndarray,
    points: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray, bool]],
    xs: np.ndarray,
    ys: np.ndarray,
    *,
    scale: int = 8,
) -> bytes:
    """The output plane: a coloured grid and the data points on it.

    Parameters
    ----------
    background : ndarray of shape (G, G, 3)
        RGB per grid cell, row 0 at ``ys[0]`` (the bottom).
    points : sequence of (X, colors, edge, hollow)
        Points ``X`` (n, 2) in data coordinates, their RGB (n, 3), one edge RGB,
        and whether they are drawn as rings (test points).
    xs, ys : ndarray of shape (G,)
        The grid's coordinates.
    """
    img = upscale(background[::-1].astype(float), scale)
    size = img.shape[0]
    for X, colors, edge, hollow in points:
        cols = (X[:, 0] - xs[0]) / (xs[-1] - xs[0]) * (size - 1)
        rows = (ys[-1] - X[:, 1]) / (ys[-1] - ys[0]) * (size - 1)
        if hollow:
            stamp(img, rows, cols, colors, 5.0)
            stamp(img, rows, cols, BACKGROUND, 3.0)
        else:
            stamp(img, rows, cols, edge, 5.0)
            stamp(img, rows, cols, colors, 4.0)
    return png(img)


def class_colors(labels: np.ndarray) -> np.ndarray:
    """The palette colour of each class label, shape (n, 3)."""
    table = np.array([hex_rgb(c) for c in PALETTE])
    return table[np.asarray(labels, int) % len(PALETTE)]


def regions(proba: np.ndarray, g: int) -> np.ndarray:
    """Class regions tinted by confidence, as ``decision_regions`` draws them: (g, g, 3)."""
    c = proba.shape[1]
    sure = (proba.max(axis=1) - 1 / c) / (1 - 1 / c)
    strength = (0.1 + 0.5 * sure)[:, None]
    rgb = BACKGROUND + (class_colors(proba.argmax(axis=1)) - BACKGROUND) * strength
    return rgb.reshape(g, g, 3)


def curves_png(
    series: Sequence[np.ndarray], colors: Sequence[str], *, width: int = 480, height: int = 150
) -> bytes:
    """Loss curves on a log scale sharing one box (a sparkline, no axes), NaN skipped."""
    img = np.tile(BACKGROUND.astype(float), (height, width, 1))
    img[[0, -1], :] = img[:, [0, -1]] = 225
    finite = [s[np.isfinite(s) & (s > 0)] for s in series]
    values = np.concatenate(finite) if finite else np.zeros(0)
    if values.size == 0:
        return png(img)
    lo, hi = np.log10(values.min()), np.log10(values.max())
    span = max(hi - lo, 1e-9)
    n = max(max(len(s) for s in series), 2)
    for s, color in zip(series, colors):
        every = np.unique(np.linspace(0, len(s) - 1, min(len(s), width // 2)).astype(int))
        s = s[every]
        with np.errstate(divide="ignore", invalid="ignore"):
            level = (np.log10(np.where(s > 0, s, np.nan)) - lo) / span
        rows = (1 - level) * (height - 12) + 6
        cols = every / (n - 1) * (width - 12) + 6
        polyline(img, rows, cols, hex_rgb(color), 2.0)
    return png(img)
