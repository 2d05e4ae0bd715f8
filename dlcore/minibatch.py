"""Mini-batch and stochastic gradient descent on a linear regression, and what to say about it.

With mean squared error the gradient of a random batch is an unbiased, noisy
estimate of the full one; smaller batches take more, cheaper, noisier steps
per pass over the data. :func:`sgd_report` puts a race of batch sizes into a
sentence.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from dlcore import datasets
from dlcore._validation import (
    RngLike,
    as_rng,
    check_array,
    check_int,
    check_number,
    check_positive,
)
from dlcore.descent import explain_divergence

# An iterate farther than this from the origin is reported as diverged:
# long before float overflow, and far outside any view the lab draws.
DIVERGENCE_BOUND = 1e6


class LinearData(NamedTuple):
    """A 1-feature regression sample ``y = w x + b + noise``.

    Attributes
    ----------
    x, y : ndarray of shape (n_samples,)
    w, b : float
        The true line.
    """

    x: np.ndarray
    y: np.ndarray
    w: float
    b: float


def make_linear_data(
    n_samples: int = 200,
    *,
    w: float = 2.0,
    b: float = -1.0,
    noise: float = 0.5,
    x_mean: float = 1.0,
    rng: RngLike = 0,
) -> LinearData:
    """Seeded linear-regression data: ``x ~ N(x_mean, 1)``, ``y = w x + b + N(0, noise^2)``.

    Drawn by ``sklearn.datasets.make_regression`` (through
    ``dlcore.datasets.regression_1d``) with one feature, plus an offset
    ``x_mean``: uncentred inputs couple w and b (the Hessian has off-diagonal
    ``2 mean(x)``), so the MSE contours are tilted ellipses.
    """
    x, y = datasets.regression_1d(n_samples, w=w, b=b, noise=noise, x_mean=x_mean, rng=rng)
    return LinearData(x, y, float(w), float(b))


def _stats(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float, float]:
    """Means of x, x^2, xy, y, y^2: the MSE of any line follows from these five."""
    return (
        float(x.mean()),
        float((x * x).mean()),
        float((x * y).mean()),
        float(y.mean()),
        float((y * y).mean()),
    )


def line_mse(x, y, w, b) -> np.ndarray:
    """Mean squared error ``mean((w x + b - y)^2)``, vectorised over ``w`` and ``b``.

    Parameters
    ----------
    x, y : ndarray of shape (n,)
    w, b : float or ndarray (broadcastable together)

    Returns
    -------
    ndarray of the broadcast shape of ``w`` and ``b``
        Computed from five means, so a contour grid costs O(grid + n).
    """
    x = check_array("x", x, ndim=1)
    y = check_array("y", y, ndim=1)
    mx, mxx, mxy, my, myy = _stats(x, y)
    w = np.asarray(w, float)
    b = np.asarray(b, float)
    loss = w * w * mxx + 2 * w * b * mx + b * b - 2 * w * mxy - 2 * b * my + myy
    return np.maximum(loss, 0.0)  # rounding can dip a hair below 0 at the optimum


def line_mse_gradient(x, y, w: float, b: float) -> np.ndarray:
    """``(dL/dw, dL/db) = 2 mean(r x), 2 mean(r)`` with residual ``r = w x + b - y``; shape (2,)."""
    x = check_array("x", x, ndim=1)
    y = check_array("y", y, ndim=1)
    r = w * x + b - y
    return np.array([2.0 * np.mean(r * x), 2.0 * np.mean(r)])


def mse_hessian(x) -> np.ndarray:
    """``2 [[mean x^2, mean x], [mean x, 1]]``: constant, the MSE is a quadratic in (w, b); shape (2, 2)."""
    x = check_array("x", x, ndim=1)
    mx, mxx = x.mean(), (x * x).mean()
    return 2.0 * np.array([[mxx, mx], [mx, 1.0]])


def example_curvatures(x) -> np.ndarray:
    """The largest Hessian eigenvalue of each example's loss ``(w x_i + b - y_i)^2``: ``2 (x_i^2 + 1)``; shape (n,).

    That Hessian, ``2 [[x_i^2, x_i], [x_i, 1]]``, has rank one; a stochastic
    step on example i overshoots along ``(x_i, 1)`` when ``lr`` times this exceeds 2.
    """
    x = check_array("x", x, ndim=1)
    return 2.0 * (x * x + 1.0)


def line_fit(x, y) -> np.ndarray:
    """The minimiser ``(w*, b*)`` of the MSE (normal equations); shape (2,)."""
    x = check_array("x", x, ndim=1)
    y = check_array("y", y, ndim=1)
    mx, mxx, mxy, my, _ = _stats(x, y)
    var = mxx - mx * mx
    if var <= 0:
        raise ValueError("x must not be constant: the slope is then undetermined")
    w = (mxy - mx * my) / var
    return np.array([w, my - w * mx])


def minibatch_gradient(x, y, w: float, b: float, *, batch_size: int, rng: RngLike) -> np.ndarray:
    """The MSE gradient on one batch drawn without replacement; shape (2,)."""
    x = check_array("x", x, ndim=1)
    y = check_array("y", y, ndim=1)
    batch_size = check_int("batch_size", batch_size, 1, x.size)
    idx = as_rng(rng).choice(x.size, size=batch_size, replace=False)
    return line_mse_gradient(x[idx], y[idx], w, b)


def gradient_noise(x, y, w: float, b: float, *, batch_size: int) -> np.ndarray:
    """Covariance of the mini-batch gradient at ``(w, b)``, exactly; shape (2, 2).

    The batch gradient is the mean of ``batch_size`` per-example gradients
    drawn without replacement, so its covariance is the per-example one
    divided by ``batch_size`` times the finite-population correction
    ``(n - batch_size) / (n - 1)``: zero for the full batch.
    """
    x = check_array("x", x, ndim=1)
    y = check_array("y", y, ndim=1)
    n = x.size
    batch_size = check_int("batch_size", batch_size, 1, n)
    r = w * x + b - y
    per_example = np.column_stack([2.0 * r * x, 2.0 * r])
    cov = np.cov(per_example, rowvar=False, bias=True)
    return cov / batch_size * (n - batch_size) / (n - 1)


def gradient_noise_std(x, y, w: float, b: float, *, batch_sizes) -> np.ndarray:
    """The typical error of a mini-batch gradient, ``sqrt(E |g_B - grad L|^2)``, per batch size.

    The trace of :func:`gradient_noise`: ``sqrt(tr(Sigma) (n - B) / (B (n - 1)))``,
    about ``1 / sqrt(B)`` for ``B`` much smaller than ``n``.

    Parameters
    ----------
    x, y : ndarray of shape (n,)
    w, b : float
    batch_sizes : array_like of int, shape (k,)
        Each in 1..n.

    Returns
    -------
    ndarray of shape (k,)
    """
    x = check_array("x", x, ndim=1)
    sizes = check_array("batch_sizes", batch_sizes, ndim=1)
    n = x.size
    if np.any((sizes < 1) | (sizes > n) | (sizes != np.round(sizes))):
        raise ValueError(f"batch_sizes must be integers in [1, {n}]")
    one = float(np.trace(gradient_noise(x, y, w, b, batch_size=1)))  # tr(Sigma)
    return np.sqrt(one * (n - sizes) / (sizes * (n - 1)))


class SGDRun(NamedTuple):
    """Mini-batch gradient descent on a linear regression.

    Attributes
    ----------
    params : ndarray of shape (updates + 1, 2)
        ``(w, b)`` before the first update and after each one.
    loss : ndarray of shape (updates + 1,)
        The full-data MSE at each of ``params``: what we want to minimise.
    batch_loss : ndarray of shape (updates,)
        The MSE on the batch each update saw: what the algorithm sees.
    epoch_loss : ndarray of shape (epochs + 1,)
        The full-data MSE at the start and after each epoch.
    logged_loss : ndarray of shape (epochs,)
        Per epoch, the mean of its batch losses: the "training loss" a
        training loop logs. It lags ``epoch_loss``, since the early batches
        were scored with older parameters.
    updates_per_epoch : int
        ``ceil(n / batch_size)`` (the last batch may be smaller).
    diverged_at : int
        The first update whose parameters left the bound or -1. Later
        ``params`` stay at the last value inside it.
    """

    params: np.ndarray
    loss: np.ndarray
    batch_loss: np.ndarray
    epoch_loss: np.ndarray
    logged_loss: np.ndarray
    updates_per_epoch: int
    diverged_at: int


def _check_sgd(x, y, lr, batch_size, epochs, start, bound):
    x = check_array("x", x, ndim=1, min_size=2)
    y = check_array("y", y, ndim=1, min_size=2)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same length, got {x.size} and {y.size}")
    start = check_array("start", start, ndim=1)
    bound = check_positive("bound", bound)
    if start.shape != (2,) or np.max(np.abs(start)) > bound:
        raise ValueError(
            f"start must be a pair (w, b) with |w|, |b| <= bound = {bound:g}, got {start}"
        )
    return (
        x,
        y,
        check_positive("lr", lr),
        check_int("batch_size", batch_size, 1, x.size),
        check_int("epochs", epochs, 1, 10_000),
        start,
        bound,
    )


def _finish(x, y, params, batch_loss, per_epoch, epochs, diverged_at) -> SGDRun:
    if diverged_at > 0:
        params[diverged_at:] = params[diverged_at - 1]
        batch_loss[diverged_at:] = batch_loss[diverged_at - 1]
    loss = line_mse(x, y, params[:, 0], params[:, 1])
    logged = batch_loss.reshape(epochs, per_epoch).mean(axis=1)
    return SGDRun(
        params, loss, batch_loss, loss[::per_epoch][: epochs + 1], logged, per_epoch, diverged_at
    )


def _affine_scan(a11, a12, a22, c1, c2, theta0) -> np.ndarray:
    """All states of ``theta_{k+1} = A_k theta_k + c_k`` for symmetric 2x2 ``A_k``; shape (N, 2).

    The recursion is sequential, but affine maps compose associatively, so
    it runs in chunks: (1) every chunk's composite map, all chunks at once;
    (2) the state entering each chunk, chunk after chunk; (3) every state
    inside the chunks, all chunks at once. That is O(sqrt(N)) vectorised
    steps instead of N scalar ones.

    Parameters
    ----------
    a11, a12, a22 : ndarray of shape (N,)
        Entries of ``A_k = [[a11, a12], [a12, a22]]`` (a22 may be a scalar).
    c1, c2 : ndarray of shape (N,)
    theta0 : ndarray of shape (2,)
    """
    n = len(a11)
    # Chunk length: passes (1) and (3) cost about 16 NumPy calls per step of
    # a chunk, pass (2) one Python step per chunk, so chunks of sqrt(N / 16)
    # balance the two.
    m = math.isqrt(max(n - 1, 0) // 16) + 1
    chunks = -(-n // m)

    def by_step(v, fill):  # row j holds the j-th map of every chunk; padding maps are the identity
        v = np.broadcast_to(np.asarray(v, float), (n,))
        return np.concatenate([v, np.full(chunks * m - n, fill)]).reshape(chunks, m).T

    A11, A12, A22 = by_step(a11, 1.0), by_step(a12, 0.0), by_step(a22, 1.0)
    C1, C2 = by_step(c1, 0.0), by_step(c2, 0.0)
    m11, m12, m21, m22 = np.ones(chunks), np.zeros(chunks), np.zeros(chunks), np.ones(chunks)
    v1, v2 = np.zeros(chunks), np.zeros(chunks)
    for j in range(m):  # (1)
        m11, m12, m21, m22 = (
            A11[j] * m11 + A12[j] * m21,
            A11[j] * m12 + A12[j] * m22,
            A12[j] * m11 + A22[j] * m21,
            A12[j] * m12 + A22[j] * m22,
        )
        v1, v2 = A11[j] * v1 + A12[j] * v2 + C1[j], A12[j] * v1 + A22[j] * v2 + C2[j]
    entry = np.empty((chunks, 2))
    w, b = float(theta0[0]), float(theta0[1])
    for k, (p, q, r, s, e, f) in enumerate(
        zip(m11.tolist(), m12.tolist(), m21.tolist(), m22.tolist(), v1.tolist(), v2.tolist())
    ):  # (2)
        entry[k] = w, b
        w, b = p * w + q * b + e, r * w + s * b + f
    out = np.empty((m, chunks, 2))
    w, b = entry[:, 0], entry[:, 1]
    for j in range(m):  # (3)
        w, b = A11[j] * w + A12[j] * b + C1[j], A12[j] * w + A22[j] * b + C2[j]
        out[j, :, 0], out[j, :, 1] = w, b
    return out.transpose(1, 0, 2).reshape(-1, 2)[:n]


def sgd_linear_regression_loop(
    x,
    y,
    *,
    lr: float,
    batch_size: int,
    epochs: int,
    start=(0.0, 0.0),
    rng: RngLike = 0,
    bound: float = DIVERGENCE_BOUND,
) -> SGDRun:
    """Readable reference of :func:`sgd_linear_regression`: one NumPy gradient per batch."""
    x, y, lr, batch_size, epochs, theta, bound = _check_sgd(
        x, y, lr, batch_size, epochs, start, bound
    )
    gen = as_rng(rng)
    n = x.size
    per_epoch = -(-n // batch_size)
    params = np.empty((epochs * per_epoch + 1, 2))
    batch_loss = np.zeros(epochs * per_epoch)
    params[0] = theta
    k, diverged_at = 0, -1
    for _ in range(epochs):
        order = gen.permutation(n)  # reshuffled every epoch, as torch's DataLoader(shuffle=True)
        for s in range(0, n, batch_size):
            idx = order[s : s + batch_size]
            w, b = params[k]
            batch_loss[k] = np.mean((w * x[idx] + b - y[idx]) ** 2)
            params[k + 1] = params[k] - lr * line_mse_gradient(x[idx], y[idx], w, b)
            k += 1
            if not np.max(np.abs(params[k])) <= bound:  # also catches NaN
                diverged_at = k
                break
        if diverged_at >= 0:
            break
    return _finish(x, y, params, batch_loss, per_epoch, epochs, diverged_at)


def sgd_linear_regression(
    x,
    y,
    *,
    lr: float,
    batch_size: int,
    epochs: int,
    start=(0.0, 0.0),
    rng: RngLike = 0,
    bound: float = DIVERGENCE_BOUND,
) -> SGDRun:
    """Mini-batch SGD on ``mean((w x + b - y)^2)``; ``batch_size = n`` is full-batch, 1 is stochastic.

    Each epoch shuffles the data (one ``rng.permutation(n)``) and walks it in
    batches of ``batch_size``; the last batch of an epoch holds the remainder.
    The same iterates as :func:`sgd_linear_regression_loop` (to rounding),
    faster: every batch's five means come from one ``np.add.reduceat`` per
    epoch, and since each update is an affine map of ``(w, b)`` the whole
    sequence runs as a chunked scan (:func:`_affine_scan`), O(sqrt(N))
    vectorised steps for N updates instead of N Python-level ones.

    Parameters
    ----------
    x, y : ndarray of shape (n,)
    lr : float
        Learning rate, > 0.
    batch_size : int
        1..n.
    epochs : int
        Passes over the data, 1..10000.
    start : array_like of shape (2,)
        Initial ``(w, b)``.
    rng : Generator, int or None
        Shuffling.
    bound : float
        ``max(|w|, |b|) > bound`` counts as diverged.

    Returns
    -------
    SGDRun
    """
    x, y, lr, batch_size, epochs, theta, bound = _check_sgd(
        x, y, lr, batch_size, epochs, start, bound
    )
    gen = as_rng(rng)
    n = x.size
    per_epoch = -(-n // batch_size)
    starts = np.arange(0, n, batch_size)
    counts = np.diff(np.append(starts, n)).astype(float)
    stats = np.empty((epochs * per_epoch, 5))
    for epoch in range(epochs):
        order = gen.permutation(n)
        xs, ys = x[order], y[order]
        block = (
            np.add.reduceat(np.stack([xs, xs * xs, xs * ys, ys, ys * ys]), starts, axis=1) / counts
        )
        stats[epoch * per_epoch : (epoch + 1) * per_epoch] = block.T
    sx, sxx, sxy, sy, syy = stats.T
    # update k: theta <- A_k theta + c_k, A_k = I - 2 lr [[sxx, sx], [sx, 1]], c_k = 2 lr (sxy, sy)
    step = 2.0 * lr
    params = np.empty((len(stats) + 1, 2))
    params[0] = theta
    with np.errstate(all="ignore"):  # a diverging run overflows; it is detected just below
        params[1:] = _affine_scan(
            1.0 - step * sxx, -step * sx, 1.0 - step, step * sxy, step * sy, theta
        )
        bad = ~np.all(np.abs(params) <= bound, axis=1)  # NaN counts as bad
    diverged_at = int(bad.argmax()) if bad.any() else -1
    # The loss of each batch at the parameters it was applied to, from its five means.
    seen = diverged_at if diverged_at > 0 else len(stats)
    pw, pb = params[:seen, 0], params[:seen, 1]
    sx, sxx, sxy, sy, syy = stats[:seen].T
    batch_loss = np.zeros(len(stats))
    batch_loss[:seen] = (
        pw * pw * sxx + 2 * pw * pb * sx + pb * pb - 2 * pw * sxy - 2 * pb * sy + syy
    )
    return _finish(x, y, params, batch_loss, per_epoch, epochs, diverged_at)


class Message(NamedTuple):
    """A sentence for the reader and how to show it.

    Attributes
    ----------
    level : {"warning", "info", ""}
        "" when there is nothing to say.
    text : str
    """

    level: str
    text: str


def sgd_report(diverged, *, lr: float, lam_max: float, lam_example: float) -> Message:
    """What to say about a race of batch sizes on the regression: who diverged, or why one jumps.

    Parameters
    ----------
    diverged : sequence of str
        The names of the runs that diverged.
    lr : float
        The learning rate they shared.
    lam_max : float
        The full-data MSE's largest Hessian eigenvalue.
    lam_example : float
        The largest curvature of a single example's loss,
        ``max 2 (x_i^2 + 1)`` (:func:`example_curvatures`).

    Returns
    -------
    Message
        A warning when a run diverged; else a note when ``lr * lam_example > 2``
        (single-example steps overshoot, hence the stochastic run's jumps);
        else nothing.
    """
    lr = check_positive("lr", lr)
    names = [str(n) for n in diverged]
    if names:
        return Message(
            "warning",
            f"{', '.join(names)} diverged. "
            + explain_divergence(lr, lam_max)
            + " Small batches see their own, sometimes larger, curvature and can blow up first.",
        )
    q = lr * check_number("lam_example", lam_example)
    if q > 2:
        return Message(
            "info",
            f"Single examples have curvature up to λ = 2(x_i² + 1) = {lam_example:.3g}, and η·λ = "
            f"{q:.3g} > 2: on such examples a stochastic step overshoots, hence its jumps.",
        )
    return Message("", "")
