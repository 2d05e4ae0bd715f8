"""Figures for the probability and statistics lab: arrays in, ``go.Figure`` out."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from charts.theme import PALETTE, color_for, figure
from charts.traces import hline, vline

GOOD, BAD, GREY = PALETTE[2], PALETTE[3], "#9AA5B1"
SAMPLE = "#C3CCD6"  # histograms of samples: light, so any distribution's colour (even Student t's grey) stands out


def _f32(a) -> np.ndarray:
    """float32 halves the JSON; inf (a Beta density at 0) becomes a gap rather than invalid JSON."""
    a = np.asarray(a, dtype=np.float32)
    return (
        np.where(np.isfinite(a), a, np.float32(np.nan))
        if a.size and not np.isfinite(a).all()
        else a
    )


def density(
    x, f, *, name: str, discrete: bool, samples=None, title: str = "Density", height: int = 360
) -> go.Figure:
    """The pdf (line) or pmf (stems), with a normalised histogram of ``samples`` behind it."""
    color = color_for(name)
    fig = figure(title, height=height, bargap=0.05, legend=dict(orientation="h", y=-0.2))
    if samples is not None and len(samples):
        if discrete:
            # Counted here: a frequency per value goes to the browser, not every sample.
            values, counts = np.unique(np.asarray(samples, float), return_counts=True)
            fig.add_trace(
                go.Bar(
                    x=_f32(values),
                    y=_f32(counts / len(samples)),
                    width=1.0,
                    marker_color=SAMPLE,
                    name="sample frequency",
                )
            )
        else:
            # Binned here rather than by Plotly so samples beyond the axis still count in the
            # normalisation (heavy tails would otherwise pile up at the edges or inflate the bars).
            counts, edges = np.histogram(
                samples, bins=60, range=(float(np.min(x)), float(np.max(x)))
            )
            width = edges[1] - edges[0]
            fig.add_trace(
                go.Bar(
                    x=_f32(edges[:-1] + width / 2),
                    y=_f32(counts / (len(samples) * width)),
                    width=width,
                    marker_color=SAMPLE,
                    name="sample histogram",
                )
            )
    if discrete:
        fig.add_trace(
            go.Scatter(
                x=_f32(x),
                y=_f32(f),
                mode="markers",
                marker=dict(size=8, color=color),
                error_y=dict(
                    type="data",
                    symmetric=False,
                    array=np.zeros(len(x)),
                    arrayminus=_f32(f),
                    width=0,
                    color=color,
                    thickness=2,
                ),
                name="pmf P(X = k)",
            )
        )
    else:
        fig.add_trace(
            go.Scatter(
                x=_f32(x), y=_f32(f), mode="lines", line=dict(color=color, width=3), name="pdf f(x)"
            )
        )
    fig.update_xaxes(title="x")
    return fig


def cdf(x, F, *, name: str, discrete: bool, samples=None, height: int = 360) -> go.Figure:
    """The CDF (a staircase for discrete laws) and the empirical CDF of ``samples``."""
    fig = figure(
        "Cumulative distribution F(x) = P(X \u2264 x)",
        height=height,
        legend=dict(orientation="h", y=-0.2),
    )
    fig.add_trace(
        go.Scatter(
            x=_f32(x),
            y=_f32(F),
            mode="lines",
            line=dict(color=color_for(name), width=3, shape="hv" if discrete else "linear"),
            name="F(x)",
        )
    )
    if samples is not None and len(samples):
        s = np.sort(np.asarray(samples, dtype=float))
        keep = np.arange(0, s.size, max(1, s.size // 1000))  # at most ~1000 steps go to the browser
        fig.add_trace(
            go.Scatter(
                x=_f32(s[keep]),
                y=_f32((keep + 1) / s.size),
                mode="lines",
                line=dict(color="#3E4C59", width=1.5, dash="dot", shape="hv"),
                name="empirical CDF",
            )
        )
    fig.update_xaxes(title="x", range=[float(np.min(x)), float(np.max(x))])
    fig.update_yaxes(range=[-0.02, 1.02])
    return fig


def running_mean(
    means, true_mean: float, *, sd: float = float("nan"), height: int = 300
) -> go.Figure:
    """The mean of the first n samples against n (log axis), settling on the true mean.

    With a finite ``sd``, the band E[X] +- 2 sd / sqrt(n) shows the 1/sqrt(n) funnel
    the running mean stays in about 95 % of the time.
    """
    n = np.arange(1, len(means) + 1)
    idx = np.unique(np.geomspace(1, len(means), 400).astype(int)) - 1
    fig = figure(
        "Law of large numbers: the running mean",
        height=height,
        legend=dict(orientation="h", y=-0.3),
    )
    if np.isfinite(true_mean) and np.isfinite(sd) and sd > 0:
        half = 2 * sd / np.sqrt(n[idx])
        fig.add_trace(
            go.Scatter(
                x=np.r_[n[idx], n[idx][::-1]],
                y=_f32(np.r_[true_mean + half, (true_mean - half)[::-1]]),
                fill="toself",
                line=dict(width=0),
                fillcolor="rgba(86,180,233,0.2)",
                hoverinfo="skip",
                name="E[X] \u00b1 2\u03c3/\u221an",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=n[idx],
            y=_f32(np.asarray(means)[idx]),
            mode="lines",
            line=dict(color=PALETTE[0]),
            name="mean of the first n",
        )
    )
    if np.isfinite(true_mean):
        hline(fig, true_mean, line=dict(color=BAD, dash="dash"), text=f"E[X] = {true_mean:.4g}")
        spread = np.abs(np.asarray(means)[idx][min(9, len(idx) - 1) :] - true_mean)
        lim = (
            float(max(spread.max(initial=0.0), 2 * sd / np.sqrt(10) if np.isfinite(sd) else 0.0))
            * 1.2
            or 1.0
        )
        fig.update_yaxes(range=[true_mean - lim, true_mean + lim])
    fig.update_xaxes(type="log", title="number of samples n")
    return fig


def sampling_distribution(
    means,
    x,
    curve_y,
    *,
    title: str,
    clip: tuple[float, float] | None = None,
    lattice: float | None = None,
    curve: str = "CLT: N(\u03bc, \u03c3\u00b2/n)",
    height: int = 380,
) -> go.Figure:
    """Histogram of sample means with a density curve (the CLT's normal) over it.

    ``lattice``: the spacing of the possible means (1/n for an integer-valued
    parent). Bins are then whole multiples of it, centred on the lattice, so
    the bars neither comb nor double up.
    """
    m = np.asarray(means, dtype=float)
    if clip is not None:
        m = np.clip(m, *clip)
    lo, hi = float(np.min(x)), float(np.max(x))
    size = (hi - lo) / 60
    start = lo
    if lattice:
        size = lattice * max(1, int(np.ceil(size / lattice)))
        start = lattice * (np.floor(min(lo, m.min()) / lattice) - 0.5)
    fig = figure(title, height=height, bargap=0.02, legend=dict(orientation="h", y=-0.2))
    # Binned here, so the browser gets one bar per bin rather than every mean.
    edges = start + size * np.arange(int(np.ceil((max(hi, m.max()) + size - start) / size)) + 1)
    counts, edges = np.histogram(m, bins=edges)
    fig.add_trace(
        go.Bar(
            x=_f32(edges[:-1] + size / 2),
            y=_f32(counts / (m.size * size)),
            width=size,
            marker_color=PALETTE[5],
            opacity=0.75,
            name="sample means",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=_f32(x), y=_f32(curve_y), mode="lines", line=dict(color=BAD, width=3), name=curve
        )
    )
    fig.update_xaxes(title="sample mean", range=[lo, hi])
    return fig


def natural_frequencies(
    true_pos: int, false_neg: int, false_pos: int, true_neg: int, *, height: int = 380
) -> go.Figure:
    """People as dots, 50 per row, grouped and coloured by condition and test result."""
    groups = [
        ("ill, tests positive", true_pos, BAD, "circle"),
        ("ill, tests negative", false_neg, PALETTE[4], "circle-open"),
        ("healthy, tests positive", false_pos, PALETTE[1], "circle"),
        ("healthy, tests negative", true_neg, "#CBD2D9", "circle-open"),
    ]
    fig = figure(
        f"{true_pos + false_neg + false_pos + true_neg} people",
        height=height,
        legend=dict(orientation="h", y=-0.05),
    )
    start = 0
    for label, count, color, symbol in groups:
        idx = np.arange(start, start + count)
        start += count
        fig.add_trace(
            go.Scatter(
                x=idx % 50,
                y=-(idx // 50),
                mode="markers",
                name=f"{label}: {count}",
                marker=dict(color=color, size=7, symbol=symbol, line=dict(width=1.5, color=color)),
                hoverinfo="name",
            )
        )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    return fig


def beta_updates(
    p, densities, steps, *, heads: int, true_p: float | None = None, height: int = 420
) -> go.Figure:
    """The posterior Beta density after each flip, as Plotly animation frames (played in the browser).

    Parameters
    ----------
    p : ndarray of shape (G,)
    densities : ndarray of shape (F, G)
        The posterior after ``steps[i]`` flips.
    steps : ndarray of shape (F,)
        Increasing flip counts, the last one all the flips (a few dozen: each
        is a frame, and 61 already play smoothly).
    heads : int
        Heads seen in all the flips.
    """
    dens = _f32(densities)
    steps = np.asarray(steps, int)
    top = float(np.nanmax(np.where(np.isfinite(dens), dens, 0))) * 1.05 or 1.0
    x = _f32(p)
    # The totals, not the frame's counts: the slider below says which flip is shown.
    title = f"Posterior of p, flip by flip ({steps[-1]} flips, {heads} heads in all)"
    fig = figure(title, height=height, showlegend=False)
    fig.add_trace(
        go.Scatter(
            x=x,
            y=dens[-1],
            mode="lines",
            fill="tozeroy",
            line=dict(color=color_for("Beta"), width=3),
        )
    )
    if true_p is not None:
        vline(fig, true_p, line=dict(color=BAD, dash="dash"), text=f"true p = {true_p:.2f}")
    # Each frame holds only trace 0's new y values: Plotly validates every frame in Python
    # (about 0.5 ms each).
    fig.frames = [
        go.Frame(data=[go.Scatter(y=row)], traces=[0], name=str(t))
        for t, row in zip(steps.tolist(), dens)
    ]
    fig.update_layout(
        sliders=[
            dict(
                active=len(steps) - 1,
                currentvalue=dict(prefix="flips seen: "),
                x=0.12,
                len=0.88,
                y=0,
                yanchor="top",
                pad=dict(t=45, b=10),
                steps=[
                    dict(
                        label=str(t),
                        method="animate",
                        args=[
                            [str(t)],
                            dict(mode="immediate", frame=dict(duration=0, redraw=False)),
                        ],
                    )
                    for t in steps.tolist()
                ],
            )
        ],
        updatemenus=[
            dict(
                type="buttons",
                x=0.1,
                y=0,
                xanchor="right",
                yanchor="top",
                pad=dict(t=80, r=10),
                buttons=[
                    dict(
                        label="\u25b6 Play",
                        method="animate",
                        args=[
                            None,
                            dict(
                                frame=dict(duration=100, redraw=False),
                                fromcurrent=False,
                                transition=dict(duration=0),
                            ),
                        ],
                    )
                ],
            )
        ],
        margin=dict(b=120),
    )
    fig.update_xaxes(title="p", range=[0, 1])
    fig.update_yaxes(title="posterior density", range=[0, top])
    return fig


def posterior_band(mean, std, *, true_p: float | None = None, height: int = 300) -> go.Figure:
    """Posterior mean +- 2 sd against the number of flips: the band narrows like 1/sqrt(n)."""
    t = np.arange(len(mean))
    fig = figure("Posterior mean \u00b1 2 sd", height=height, showlegend=False)
    fig.add_trace(
        go.Scatter(
            x=np.r_[t, t[::-1]],
            y=_f32(np.r_[mean + 2 * std, (mean - 2 * std)[::-1]]),
            fill="toself",
            line=dict(width=0),
            fillcolor="rgba(140,109,49,0.25)",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(x=t, y=_f32(mean), mode="lines", line=dict(color=color_for("Beta"), width=2))
    )
    if true_p is not None:
        hline(fig, true_p, line=dict(color=BAD, dash="dash"))
    fig.update_xaxes(title="flips")
    fig.update_yaxes(title="p", range=[0, 1])
    return fig


def likelihood_surface(
    mu, sigma, loglik, *, mle: tuple[float, float], truth: tuple[float, float], height: int = 440
) -> go.Figure:
    """Contours of the log-likelihood over (mu, sigma), the MLE and the true parameters marked."""
    ll = np.asarray(loglik, dtype=float)
    floor = ll.max() - 60  # below this the surface is a cliff that hides the peak
    fig = figure(
        "Log-likelihood log L(\u03bc, \u03c3)", height=height, legend=dict(orientation="h", y=-0.18)
    )
    fig.add_trace(
        go.Contour(
            x=_f32(mu),
            y=_f32(sigma),
            z=_f32(np.maximum(ll, floor)),
            colorscale="Viridis",
            ncontours=30,
            colorbar=dict(title="log L"),
            name="log L",
            hovertemplate="\u03bc=%{x:.3f}<br>\u03c3=%{y:.3f}<br>log L=%{z:.2f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[mle[0]],
            y=[mle[1]],
            mode="markers",
            name="MLE",
            marker=dict(symbol="x", size=14, color="white", line=dict(width=2, color="black")),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[truth[0]],
            y=[truth[1]],
            mode="markers",
            name="true (\u03bc, \u03c3)",
            marker=dict(symbol="star", size=14, color=PALETTE[1]),
        )
    )
    fig.update_xaxes(title="\u03bc")
    fig.update_yaxes(title="\u03c3")
    return fig


def bernoulli_likelihood(p, loglik, *, p_hat: float, height: int = 340) -> go.Figure:
    """The likelihood L(p) (scaled to peak 1) for 0/1 data, peaking at the fraction of ones."""
    ll = np.asarray(loglik, dtype=float)
    with np.errstate(invalid="ignore"):
        scaled = np.exp(ll - np.max(ll))
    fig = figure("Likelihood L(p) / max L", height=height, showlegend=False)
    fig.add_trace(
        go.Scatter(
            x=_f32(p),
            y=_f32(scaled),
            mode="lines",
            line=dict(color=color_for("Bernoulli"), width=3),
        )
    )
    vline(fig, p_hat, line=dict(color=BAD, dash="dash"), text=f"MLE p\u0302 = {p_hat:.3f}")
    fig.update_xaxes(title="p", range=[0, 1])
    return fig


def t_null(x, f, *, t: float, alternative: str, df: int, height: int = 360) -> go.Figure:
    """The t density under H0 with the p-value as the shaded tail area beyond the observed t."""
    x, f = np.asarray(x, dtype=float), np.asarray(f, dtype=float)
    fig = figure(
        f"Under H\u2080, t follows a Student t with {df} degrees of freedom; shaded area = p-value",
        height=height,
        showlegend=False,
    )
    fig.add_trace(
        go.Scatter(
            x=_f32(x), y=_f32(f), mode="lines", line=dict(color=color_for("Student t"), width=3)
        )
    )
    tails = {"two-sided": [x <= -abs(t), x >= abs(t)], "greater": [x >= t], "less": [x <= t]}[
        alternative
    ]
    for mask in tails:
        if mask.any():
            fig.add_trace(
                go.Scatter(
                    x=_f32(x[mask]),
                    y=_f32(f[mask]),
                    fill="tozeroy",
                    mode="lines",
                    line=dict(color=BAD, width=1),
                    fillcolor="rgba(213,94,0,0.45)",
                    hoverinfo="skip",
                )
            )
    vline(fig, t, line=dict(color="black", width=2), text=f"t = {t:.3f}")
    fig.update_xaxes(title="t", range=[float(x.min()), float(x.max())])
    return fig


def intervals(lower, upper, true_mean: float, *, height: int = 460) -> go.Figure:
    """Horizontal confidence intervals, green if they cover the true mean, red if not."""
    lower, upper = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    covers = (lower <= true_mean) & (true_mean <= upper)
    fig = figure(
        f"{covers.sum()} of {covers.size} intervals cover the true mean",
        height=height,
        legend=dict(orientation="h", y=-0.15),
    )
    rows = np.arange(covers.size)
    for mask, color, label in ((covers, GOOD, "covers \u03bc"), (~covers, BAD, "misses \u03bc")):
        nan = np.full(mask.sum(), np.nan)
        xs = np.column_stack([lower[mask], upper[mask], nan]).ravel()
        ys = np.column_stack([rows[mask], rows[mask], nan]).ravel()
        fig.add_trace(
            go.Scatter(
                x=_f32(xs), y=_f32(ys), mode="lines", line=dict(color=color, width=2), name=label
            )
        )
    vline(fig, true_mean, line=dict(color="black", dash="dash"))
    fig.update_yaxes(title="sample", showgrid=False)
    fig.update_xaxes(title="interval for the mean")
    return fig


def two_distributions(labels, p, q, *, height: int = 340) -> go.Figure:
    """p and q side by side as grouped bars."""
    fig = figure("p and q", height=height, barmode="group", legend=dict(orientation="h", y=-0.2))
    fig.add_trace(go.Bar(x=list(labels), y=_f32(p), name="p", marker_color=PALETTE[0]))
    fig.add_trace(go.Bar(x=list(labels), y=_f32(q), name="q", marker_color=PALETTE[1]))
    fig.update_yaxes(title="probability", range=[0, 1])
    return fig


def kl_terms(labels, terms_pq, terms_qp, *, unit: str, height: int = 340) -> go.Figure:
    """Per-outcome terms of KL(p||q) and KL(q||p); their sums are the two divergences.

    Infinite terms (q = 0 < p) are drawn as capped bars labelled inf.
    """
    a, b = np.asarray(terms_pq, dtype=float), np.asarray(terms_qp, dtype=float)
    finite = np.concatenate([a[np.isfinite(a)], b[np.isfinite(b)], [0.0]])
    cap = max(1.0, float(np.max(np.abs(finite))) * 1.3)
    fig = figure(
        f"Terms of each KL sum ({unit})",
        height=height,
        barmode="group",
        legend=dict(orientation="h", y=-0.2),
    )
    for terms, name, color in ((a, "p log(p/q)", PALETTE[0]), (b, "q log(q/p)", PALETTE[1])):
        shown = np.where(np.isfinite(terms), terms, cap)
        text = ["\u221e" if not np.isfinite(v) else "" for v in terms]
        fig.add_trace(
            go.Bar(
                x=list(labels),
                y=_f32(shown),
                name=name,
                marker_color=color,
                text=text,
                textposition="outside",
            )
        )
    fig.update_yaxes(title=unit)
    return fig


def softmax_loss(labels, probs, onehot, grad, *, height: int = 340) -> go.Figure:
    """softmax(z) against the one-hot label, and the gradient p - y that training follows."""
    fig = figure(
        "softmax(z), label y and gradient \u2202L/\u2202z = p \u2212 y",
        height=height,
        barmode="group",
        legend=dict(orientation="h", y=-0.2),
    )
    fig.add_trace(
        go.Bar(x=list(labels), y=_f32(probs), name="p = softmax(z)", marker_color=PALETTE[0])
    )
    fig.add_trace(go.Bar(x=list(labels), y=_f32(onehot), name="y (one-hot)", marker_color=GREY))
    fig.add_trace(go.Bar(x=list(labels), y=_f32(grad), name="p \u2212 y", marker_color=BAD))
    fig.update_yaxes(range=[-1.05, 1.05])
    return fig
