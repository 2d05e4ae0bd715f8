"""What the panels of the Gradient descent lab show, one function per panel.

Each function takes the panel's control values and returns a NamedTuple of
every array the charts draw, every number the formulas print and every
verdict the panel writes. The runs go through :mod:`dlcore.optim` and the
surfaces through :mod:`dlcore.objectives` and :mod:`dlcore.calculus`; the
judging (regimes, divergence, a function without a minimum) is
:mod:`dlcore.descent`'s.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from dlcore import conditioning, minibatch
from dlcore import descent as gd
from dlcore._validation import check_choice
from dlcore.calculus import gradient_flow
from dlcore.objectives import ellipse
from dlcore.optim import SGD, Momentum, minimize

#: The choice that opens the formula box.
TYPED = "Type a formula"
STEP_FUNCTIONS: tuple[str, ...] = (*gd.FUNCTIONS_1D, TYPED)
QUADRATIC = "Quadratic"

#: The 2-D panel's ellipse is tilted by this much, so its axes are not the coordinate axes.
TILT_DEG = 30.0
GD, MOMENTUM, FLOW = "Gradient descent", "Momentum", "Gradient flow (η → 0)"

#: The regression of the mini-batch panel.
N_SAMPLES = 200
SGD_START = (-1.0, 2.0)


def function_1d(name: str, curvature: float, text: str):
    """The 1-D function the panel runs on: a preset, the quadratic of ``curvature``, or ``text``.

    Raises
    ------
    ValueError
        An unknown name, or a typed formula the parser refuses.
    """
    check_choice("function", name, STEP_FUNCTIONS)
    if name == TYPED:
        return gd.formula_1d(text, domain=(-3.0, 3.0))
    if name == QUADRATIC:
        return gd.Quadratic1D(curvature=curvature)
    return gd.FUNCTIONS_1D[name]


# ------------------------------------------------------------------ step size
class StepSizeView(NamedTuple):
    """Gradient descent on a function of one variable, judged against its curvature.

    Attributes
    ----------
    latex : str
        ``f(x) = ...``.
    xs, fxs : ndarray of shape (400,)
        The curve over the view (the function's domain, widened to hold x0).
    x, fx, dfx : ndarray of shape (k,)
        The iterates up to divergence, ``f`` and ``f'`` there.
    curvature : float
        ``lambda``: the quadratic's, or ``f''`` at the last iterate.
    last_step : int
        ``k - 1``, the index of the last iterate.
    local : bool
        The curvature is read at the last iterate (not a quadratic).
    curved : bool
        ``lambda > 0``: the marks ``1 / lambda`` and ``2 / lambda`` exist.
    inverse, double_inverse : float
        ``1 / lambda`` and ``2 / lambda``; NaN unless ``lambda > 0``.
    verdict : Verdict1D
        Regime, badge, sentence and warning.
    table : dict of str to ndarray of shape (k,)
        The iterates for the CSV download.
    """

    latex: str
    xs: np.ndarray
    fxs: np.ndarray
    x: np.ndarray
    fx: np.ndarray
    dfx: np.ndarray
    curvature: float
    last_step: int
    local: bool
    curved: bool
    inverse: float
    double_inverse: float
    verdict: gd.Verdict1D
    table: dict[str, np.ndarray]


def step_size_view(
    name: str, curvature: float, text: str, x0: float, lr: float, steps: int
) -> StepSizeView:
    """Run ``steps`` steps of gradient descent with rate ``lr`` from ``x0`` and judge the run.

    Raises
    ------
    ValueError
        A formula the parser refuses, a start where f is not finite, or
        ``f''`` undefined at the last iterate; each message says what to change.
    """
    fn = function_1d(name, curvature, text)
    run = minimize(gd.CurveObjective(fn), SGD(lr=lr), [x0], steps)
    stop = run.diverged_at if run.diverged_at > 0 else len(run.points)
    x = run.points[:stop, 0]
    lo, hi = min(fn.domain[0], x0), max(fn.domain[1], x0)
    xs = np.linspace(lo, hi, 400)
    with np.errstate(all="ignore"):  # a typed formula may be undefined on part of the view
        fxs, dfx, second = fn.f(xs), np.asarray(fn.grad(x), float), np.asarray(fn.second(x), float)
    quadratic = name == QUADRATIC
    lam = float(curvature) if quadratic else float(second[-1])
    verdict = gd.verdict_1d(
        fn,
        x,
        lr=lr,
        curvature=lam,
        diverged_at=run.diverged_at,
        view=(lo, hi),
        quadratic=quadratic,
    )
    positive = lam > 0
    return StepSizeView(
        latex=fn.latex,
        xs=xs,
        fxs=np.asarray(fxs, float),
        x=x,
        fx=run.losses[:stop],
        dfx=dfx,
        curvature=lam,
        last_step=stop - 1,
        local=not quadratic,
        curved=positive,
        inverse=1.0 / lam if positive else math.nan,
        double_inverse=2.0 / lam if positive else math.nan,
        verdict=verdict,
        table={"step": np.arange(stop), "x": x, "f(x)": run.losses[:stop], "f'(x)": dfx},
    )


# -------------------------------------------------------------- conditioning
class ConditioningView(NamedTuple):
    """Gradient descent and momentum on a tilted ill-conditioned quadratic.

    Attributes
    ----------
    latex : str
        The objective.
    H : ndarray of shape (2, 2)
        Its Hessian.
    eigen : Eigen
        Eigenvalues (``1`` and ``kappa``) and their directions.
    kappa : float
        ``lambda_max / lambda_min`` of ``H``.
    lr : float
        Gradient descent's step.
    lr_momentum, beta : float
        Momentum's step and coefficient (Polyak's when tuned); ``beta = 0``
        means no momentum run.
    heavy_ball : HeavyBall
        Polyak's optimal parameters and rate.
    paths : dict of str to ndarray of shape (steps + 1, 2)
        The runs (and the gradient flow, of 150 points, when asked for).
    errors : dict of str to ndarray of shape (steps + 1,)
        Each run's distance to the minimum.
    minimum : ndarray of shape (2,)
        The origin.
    grid : ndarray of shape (120,)
    z : ndarray of shape (120, 120)
        ``sqrt f`` on the grid: evenly spaced level sets.
    axes : dict of str to (ndarray, ndarray)
        The eigen-directions as lines through the minimum.
    q : ndarray of shape (350,)
        ``lr * lambda_max`` for the rate chart.
    rate_curves : dict of str to ndarray of shape (350,)
    rates : dict of str to float
        Each run's theoretical per-step factor.
    marks : dict of str to (float, float)
        ``(lr * lambda_max, rate)`` of each run, for the rate chart.
    observed : dict of str to float
        Each run's measured factor.
    best_rate : float
        ``(kappa - 1) / (kappa + 1)``.
    steps_needed : dict of str to str
        Steps to shrink the error 1000x, or "never".
    warnings : tuple of str
        Why a run does not converge.
    table : dict of str to ndarray
        The iterates for the CSV download.
    """

    latex: str
    H: np.ndarray
    eigen: conditioning.Eigen
    kappa: float
    lr: float
    lr_momentum: float
    beta: float
    heavy_ball: conditioning.HeavyBall
    paths: dict[str, np.ndarray]
    errors: dict[str, np.ndarray]
    minimum: np.ndarray
    grid: np.ndarray
    z: np.ndarray
    axes: dict[str, tuple[np.ndarray, np.ndarray]]
    q: np.ndarray
    rate_curves: dict[str, np.ndarray]
    rates: dict[str, float]
    marks: dict[str, tuple[float, float]]
    observed: dict[str, float]
    best_rate: float
    steps_needed: dict[str, str]
    warnings: tuple[str, ...]
    table: dict[str, np.ndarray]


def conditioning_view(
    kappa: float,
    steps: int,
    *,
    best: bool,
    lr_times_lmax: float,
    beta: float,
    tuned: bool,
    flow: bool,
) -> ConditioningView:
    """Race gradient descent (and momentum if ``beta > 0`` or tuned) on the ``kappa`` ellipse.

    Parameters
    ----------
    kappa : float
        The condition number, in [1, 1e6].
    steps : int
    best : bool
        Use the best fixed step ``2 / (lambda_min + lambda_max)`` instead of
        ``lr_times_lmax / lambda_max``.
    lr_times_lmax : float
        ``lr * lambda_max`` when not ``best``.
    beta : float
        Momentum in [0, 1).
    tuned : bool
        Use Polyak's optimal step and momentum instead.
    flow : bool
        Also solve the gradient flow ``dx/dt = -grad f`` up to ``t = lr * steps``.
    """
    obj = ellipse(kappa, angle=math.radians(TILT_DEG))
    H = conditioning.hessian(obj.grad, np.zeros(2))
    eigen = conditioning.hessian_eigen(H)
    lam_max = float(eigen.values[-1])
    hb = conditioning.optimal_momentum(eigen.values)
    lr = 2.0 / (1.0 + kappa) if best else lr_times_lmax / kappa  # lambda = 1 and kappa
    lr_m, beta = (hb.lr, hb.momentum) if tuned else (lr, float(beta))
    q = np.linspace(0.01, 3.5, 350)  # tuned momentum steps beyond 2 / lambda_max
    runs = {GD: minimize(obj, SGD(lr=lr), obj.start, steps).points}
    rate_curves = {GD: conditioning.gd_rate(q / kappa, eigen.values)}
    rates = {GD: conditioning.gd_rate(lr, eigen.values)}
    warnings = [conditioning.stability_report(lr, eigen.values)]
    if beta > 0:
        runs[MOMENTUM] = minimize(obj, Momentum(lr=lr_m, momentum=beta), obj.start, steps).points
        rate_curves[MOMENTUM] = conditioning.momentum_rate(q / kappa, beta, eigen.values)
        rates[MOMENTUM] = conditioning.momentum_rate(lr_m, beta, eigen.values)
        warnings.append(conditioning.stability_report(lr_m, eigen.values, momentum=beta))
    paths = dict(runs)
    if flow:
        flow_path = gradient_flow(obj.grad, obj.start, t_end=lr * steps, n_points=150, rtol=1e-4)
        paths = {FLOW: flow_path.points, **runs}
    g = np.linspace(-3.0, 3.0, 120)
    table = {"step": np.arange(steps + 1)}
    for name, p in runs.items():
        table[f"{name} x"], table[f"{name} y"] = p[:, 0], p[:, 1]
    lr_of = {GD: lr, MOMENTUM: lr_m}
    return ConditioningView(
        latex=obj.latex,
        H=H,
        eigen=eigen,
        kappa=conditioning.eigen_condition_number(eigen.values),
        lr=lr,
        lr_momentum=lr_m,
        beta=beta,
        heavy_ball=hb,
        paths=paths,
        errors={name: np.hypot(p[:, 0], p[:, 1]) for name, p in runs.items()},
        minimum=np.zeros(2),
        grid=g,
        z=np.sqrt(obj.f(np.stack(np.meshgrid(g, g), axis=-1))),
        axes={
            f"λ_{label} direction": (np.zeros(2), eigen.vectors[:, i])
            for i, label in enumerate(("min", "max"))
        },
        q=q,
        rate_curves=rate_curves,
        rates=rates,
        marks={name: (lr_of[name] * lam_max, rate) for name, rate in rates.items()},
        observed={name: conditioning.observed_rate(p) for name, p in runs.items()},
        best_rate=conditioning.theoretical_rate(kappa),
        steps_needed={name: conditioning.steps_text(rate) for name, rate in rates.items()},
        warnings=tuple(w for w in warnings if w),
        table=table,
    )


# -------------------------------------------------------------- mini-batches
class MiniBatchView(NamedTuple):
    """Full-batch, mini-batch and stochastic gradient descent on one linear regression.

    Attributes
    ----------
    sizes : dict of str to int
        Each run's batch size (the mini-batch run only when it differs from
        both 1 and the full batch).
    runs : dict of str to SGDRun
    paths : dict of str to ndarray of shape (k, 2)
        Each run's ``(w, b)``, cut at divergence.
    best : ndarray of shape (2,)
        The least-squares ``(w*, b*)``.
    floor : float
        Its MSE.
    gw, gb : ndarray of shape (120,)
    z : ndarray of shape (120, 120)
        ``sqrt`` MSE over the grid.
    curves : dict of str to (ndarray, ndarray)
        Loss against epoch (full data, and the mean batch loss as logged,
        the dashed ``"· logged"`` ones) or against update.
    dashed : tuple of str
    loss_title, x_title : str
    noise_sizes, noise_std : ndarray of shape (200,)
        Gradient noise at the optimum against the batch size.
    table : dict of str to list
        Per run: batch size, updates per epoch, gradient noise, final loss
        ("diverged" for a diverged run).
    message : Message
        Who diverged, or why the stochastic run jumps.
    csv : dict of str to ndarray
        The chosen batch size's iterates, for the download.
    """

    sizes: dict[str, int]
    runs: dict[str, minibatch.SGDRun]
    paths: dict[str, np.ndarray]
    best: np.ndarray
    floor: float
    gw: np.ndarray
    gb: np.ndarray
    z: np.ndarray
    curves: dict[str, tuple[np.ndarray, np.ndarray]]
    dashed: tuple[str, ...]
    loss_title: str
    x_title: str
    noise_sizes: np.ndarray
    noise_std: np.ndarray
    table: dict[str, list]
    message: minibatch.Message
    csv: dict[str, np.ndarray]


def batch_sizes(batch: int, n: int = N_SAMPLES) -> dict[str, int]:
    """The runs to race: full batch, stochastic, and the mini-batch ``batch`` unless it is one of them."""
    sizes = {"Full batch": n, f"Mini-batch (B = {batch})": batch, "Stochastic (B = 1)": 1}
    return {name: b for name, b in sizes.items() if b not in (1, n) or not name.startswith("Mini")}


def loss_curves(
    runs: dict[str, minibatch.SGDRun], paths: dict[str, np.ndarray], *, by_epoch: bool
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each run's loss against epoch (with the logged mean batch loss) or against update.

    Only what ran before a divergence: whole epochs of it when ``by_epoch``.
    """
    if not by_epoch:
        return {
            name: (np.arange(len(paths[name])), run.loss[: len(paths[name])])
            for name, run in runs.items()
        }
    # Row k of a path is after k updates, so epoch e is complete once row e * per_epoch exists.
    done = {name: (len(paths[name]) - 1) // run.updates_per_epoch for name, run in runs.items()}
    curves = {
        name: (np.arange(done[name] + 1), run.epoch_loss[: done[name] + 1])
        for name, run in runs.items()
    }
    curves |= {
        f"{name} · logged": (np.arange(1, done[name] + 1), run.logged_loss[: done[name]])
        for name, run in runs.items()
        if run.updates_per_epoch > 1
    }
    return curves


def mini_batch_view(
    lr: float, batch: int, epochs: int, seed: int, *, by_epoch: bool
) -> MiniBatchView:
    """Race the batch sizes on 200 seeded points of ``y = 2x - 1 + noise`` with rate ``lr``."""
    data = minibatch.make_linear_data(N_SAMPLES, w=2.0, b=-1.0, noise=0.8, rng=int(seed))
    best = minibatch.line_fit(data.x, data.y)
    sizes = batch_sizes(int(batch))
    runs = {
        name: minibatch.sgd_linear_regression(
            data.x, data.y, lr=lr, batch_size=b, epochs=epochs, start=SGD_START, rng=int(seed)
        )
        for name, b in sizes.items()
    }
    all_sizes = np.arange(1, N_SAMPLES + 1)
    noise_all = minibatch.gradient_noise_std(data.x, data.y, *best, batch_sizes=all_sizes)
    gw, gb = np.linspace(-1.5, 4.0, 120), np.linspace(-3.5, 2.5, 120)
    paths = {
        name: run.params[: run.diverged_at if run.diverged_at > 0 else None]
        for name, run in runs.items()
    }
    curves = loss_curves(runs, paths, by_epoch=by_epoch)
    lam_max = float(conditioning.hessian_eigenvalues(minibatch.mse_hessian(data.x))[-1])
    diverged = [name for name, run in runs.items() if run.diverged_at > 0]
    chosen = runs[next(name for name, b in sizes.items() if b == batch)]
    k = np.arange(len(chosen.loss))
    return MiniBatchView(
        sizes=sizes,
        runs=runs,
        paths=paths,
        best=best,
        floor=float(minibatch.line_mse(data.x, data.y, *best)),
        gw=gw,
        gb=gb,
        z=np.sqrt(minibatch.line_mse(data.x, data.y, *np.meshgrid(gw, gb))),
        curves=curves,
        dashed=tuple(c for c in curves if "·" in c),
        loss_title="Full-data loss" + (" (dashed: mean batch loss, as logged)" if by_epoch else ""),
        x_title="epoch (passes over the data)" if by_epoch else "update",
        noise_sizes=all_sizes,
        noise_std=noise_all,
        table={
            "method": list(runs),
            "batch size": list(sizes.values()),
            "updates per epoch": [run.updates_per_epoch for run in runs.values()],
            "gradient noise (std)": [f"{noise_all[b - 1]:.3g}" for b in sizes.values()],
            "final loss": [
                "diverged" if run.diverged_at > 0 else f"{run.loss[-1]:.4f}"
                for run in runs.values()
            ],
        },
        message=minibatch.sgd_report(
            diverged,
            lr=lr,
            lam_max=lam_max,
            lam_example=float(minibatch.example_curvatures(data.x).max()),
        ),
        csv={
            "update": k,
            "epoch": k / chosen.updates_per_epoch,
            "w": chosen.params[:, 0],
            "b": chosen.params[:, 1],
            "loss": chosen.loss,
        },
    )
