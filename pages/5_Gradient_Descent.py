"""Gradient descent lab: learning rate against curvature, conditioning and momentum, mini-batches."""

import math

import numpy as np
import streamlit as st

from charts.descent import (
    contour_paths,
    curve_1d,
    error_curves,
    loss_curves,
    noise_chart,
    rate_chart,
    step_factor,
)
from dlcore import descent as gd
from dlcore.calculus import gradient_flow
from dlcore.objectives import ellipse
from dlcore.optim import SGD, Momentum, minimize
from ui import download_csv, notice, page_header, show_code, show_error, url

P = "gd"
TYPED = "Type a formula"
BADGES = {
    "monotone": "green",
    "one step": "blue",
    "oscillating": "orange",
    "bouncing": "red",
    "diverging": "red",
    "flat": "gray",
    "repelled": "violet",
}  # the colours of the regime bands in the chart
page_header(
    "Gradient descent",
    "One rule, $x_{k+1} = x_k - \\eta\\,\\nabla f(x_k)$, and one question: how big may the step $\\eta$ be? "
    "The answer is set by the **curvature**: in one dimension by $f''$, in many by the Hessian's eigenvalues, "
    "and with data by how noisy a mini-batch's gradient is.",
    icon=":material/trending_down:",
)


@st.cache_data(max_entries=64)
def run_1d(name: str, curvature: float, text: str, x0: float, lr: float, steps: int):
    fn = gd.formula_1d(text, domain=(-3.0, 3.0)) if name == TYPED else gd.FUNCTIONS_1D[name]
    if name == "Quadratic":
        fn = gd.Quadratic1D(curvature=curvature)
    run = minimize(gd.Curve(fn), SGD(lr=lr), [x0], steps)
    x = run.points[:, 0]
    lo, hi = min(fn.domain[0], x0), max(fn.domain[1], x0)
    xs = np.linspace(lo, hi, 400)
    return dict(
        x=x,
        fx=run.losses,
        dfx=fn.grad(x),
        second=fn.second(x),
        diverged_at=run.diverged_at,
        xs=xs,
        fxs=fn.f(xs),
        latex=fn.latex,
    )


@st.fragment
def one_dimension():
    st.header("1. One dimension: the step size against the curvature")
    left, right = st.columns([1, 2.2])
    with left:
        name = st.selectbox("Function", [*gd.FUNCTIONS_1D, TYPED], **url(P, "fn"))
        curvature, text = 2.0, ""
        if name == "Quadratic":
            curvature = st.slider(
                "Curvature λ of the quadratic", 0.5, 10.0, 2.0, 0.5, **url(P, "lam")
            )
        if name == TYPED:
            text = st.text_input(
                "f(x) =",
                "x**4/4 - x**2 + 0.3*x",
                **url(P, "formula"),
                help="Use x, numbers, + - * / ** and sin, cos, exp, log, tanh, sqrt, ...",
            )
        lr = st.slider("Learning rate η", 0.001, 1.2, 0.3, 0.001, format="%.3f", **url(P, "lr"))
        x0 = st.slider("Start x₀", -5.0, 5.0, 1.6, 0.05, **url(P, "x0"))
        steps = st.slider("Steps", 1, 100, 20, **url(P, "steps"))
    try:
        r = run_1d(name, curvature, text, x0, lr, steps)
        stop = r["diverged_at"] if r["diverged_at"] > 0 else len(r["x"])
        lam = curvature if name == "Quadratic" else float(r["second"][stop - 1])
        regime = gd.lr_regime(lr, lam)  # ValueError if f'' is undefined there
    except ValueError as exc:
        show_error(exc, hint="Change the formula or the start; the other panels keep working.")
        return
    right.plotly_chart(
        curve_1d(r["xs"], r["fxs"], r["x"][:stop], r["fx"][:stop], height=400), key="gd_curve"
    )
    right.plotly_chart(step_factor(lr, lam, 1.2), key="gd_factor")
    where = (
        "" if name == "Quadratic" else rf"\text{{ at }} x_{{{stop - 1}}} = {r['x'][stop - 1]:.3g}"
    )
    st.latex(rf"{r['latex']},\qquad \lambda = f''(x){where} = {lam:.4g}")
    st.latex(
        rf"x_{{k+1}} - x^* \approx (1 - \eta\lambda)(x_k - x^*) = (1 - {lr:g}\times{lam:.4g})(x_k - x^*)"
        rf" = {regime.factor:.4g}\,(x_k - x^*)"
    )
    if lam > 0:
        st.latex(
            rf"\tfrac{{1}}{{\lambda}} = {1 / lam:.4g},\quad \tfrac{{2}}{{\lambda}} = {2 / lam:.4g},\quad"
            rf"\eta\lambda = {regime.lr_times_curvature:.4g}"
        )
    st.markdown(
        f"Regime: :{BADGES[regime.name]}-badge[{regime.name}] {regime.description}."
        + (
            ""
            if name == "Quadratic"
            else " Off a quadratic this holds near the last iterate only: walls "
            "of higher curvature may keep the iterates bounded, hopping instead of settling."
        )
    )
    if r["diverged_at"] > 0 or (name == "Quadratic" and regime.name == "diverging"):
        head = (
            f"Diverged at step {r['diverged_at']}: |x| passed 10⁶ or f stopped being finite. "
            if r["diverged_at"] > 0
            else f"Diverging: |x_{stop - 1}| = {abs(r['x'][-1]):.3g} and growing. "
        )
        st.warning(head + gd.explain_divergence(lr, float(np.max(r["second"][:stop]))))
    notice(
        "Slide η across 1/λ and 2/λ on the quadratic: the iterates stop creeping and start zig-zagging, "
        "then bounce forever at exactly 2/λ and fly off beyond it. On the other functions the same rule "
        "holds locally, with λ = f'' at the minimum the iterates settle in."
    )
    download_csv(
        "Download the iterates (CSV)",
        {
            "step": np.arange(stop),
            "x": r["x"][:stop],
            "f(x)": r["fx"][:stop],
            "f'(x)": r["dfx"][:stop],
        },
        "gd_iterates_1d.csv",
        key="gd_csv_1d",
    )
    show_code(gd.lr_regime, SGD, gd.Curve)


@st.cache_data(max_entries=64)
def run_2d(kappa: float, lr: float, beta: float, tuned: bool, steps: int):
    obj = ellipse(kappa, angle=math.radians(30.0))
    H = gd.hessian(obj.grad, np.zeros(2))
    eig, vectors = gd.hessian_eigen(H)
    hb = gd.optimal_momentum(eig)
    lr_m, beta = (hb.lr, hb.momentum) if tuned else (lr, beta)
    q = np.linspace(0.01, 3.5, 350)  # eta * lambda_max; tuned momentum steps beyond 2
    runs = {"Gradient descent": minimize(obj, SGD(lr=lr), obj.start, steps)}
    rates = {"Gradient descent": gd.gd_rate(q / kappa, eig)}
    if beta > 0:
        runs["Momentum"] = minimize(obj, Momentum(lr=lr_m, momentum=beta), obj.start, steps)
        rates["Momentum"] = gd.momentum_rate(q / kappa, beta, eig)
    g = np.linspace(-3.0, 3.0, 120)
    z = np.sqrt(obj.f(np.stack(np.meshgrid(g, g), axis=-1)))  # sqrt: evenly spaced ellipses
    return dict(
        obj=obj,
        H=H,
        eig=eig,
        vectors=vectors,
        hb=hb,
        lr_m=lr_m,
        beta=beta,
        runs=runs,
        grid=g,
        z=z,
        q=q,
        rates=rates,
    )


@st.cache_data(max_entries=32)
def flow_2d(kappa: float, t_end: float):
    obj = ellipse(kappa, angle=math.radians(30.0))
    return gradient_flow(obj.grad, obj.start, t_end=t_end, n_points=150, rtol=1e-4).points


@st.fragment
def two_dimensions():
    st.header("2. Two dimensions: conditioning, the zig-zag and momentum")
    c1, c2, c3 = st.columns(3)
    kappa = c1.slider("Condition number κ = λ_max / λ_min", 1, 100, 10, **url(P, "kappa"))
    steps = c1.slider("Steps", 10, 300, 60, **url(P, "steps2"))
    show_flow = c1.toggle(
        "Show the gradient flow (η → 0)",
        False,
        **url(P, "flow"),
        help="Gradient descent is Euler's method for dx/dt = −∇f(x); this is its η → 0 limit.",
    )
    best = c2.toggle("Best fixed step η = 2 / (λ_min + λ_max)", True, **url(P, "best"))
    q = (
        1.0
        if best
        else c2.slider("η × λ_max (stable below 2)", 0.05, 2.3, 1.0, 0.01, **url(P, "lrq"))
    )
    beta = c3.slider("Momentum β", 0.0, 0.95, 0.6, 0.05, **url(P, "beta"))
    tuned = c3.toggle("Tune momentum (Polyak's optimal η and β)", False, **url(P, "tuned"))
    lr = 2.0 / (1.0 + kappa) if best else q / kappa
    r = run_2d(float(kappa), lr, beta, tuned, steps)
    lam_min, lam_max = r["eig"]
    rho = gd.gd_rate(lr, r["eig"])
    paths = {name: run.points for name, run in r["runs"].items()}
    left, right = st.columns([1.15, 1])
    eigvecs = {
        f"λ_{label} direction": (np.zeros(2), r["vectors"][:, i])
        for i, label in enumerate(("min", "max"))
    }
    flow = {"Gradient flow (η → 0)": flow_2d(float(kappa), lr * steps)} if show_flow else {}
    left.plotly_chart(
        contour_paths(
            r["grid"],
            r["grid"],
            r["z"],
            {**flow, **paths},
            minimum=np.zeros(2),
            axes=eigvecs,
            x_title="x",
            y_title="y",
            curves=["Gradient flow (η → 0)"],
        ),
        key="gd_contour",
    )
    errors = {name: np.hypot(p[:, 0], p[:, 1]) for name, p in paths.items()}
    theory = {"Gradient descent": rho}
    if r["beta"] > 0:
        theory["Momentum"] = gd.momentum_rate(r["lr_m"], r["beta"], r["eig"])
    right.plotly_chart(error_curves(errors, theory, height=330), key="gd_errors")
    marks = {"Gradient descent": (lr * lam_max, rho)}
    if r["beta"] > 0:
        marks["Momentum"] = (r["lr_m"] * lam_max, theory["Momentum"])
    right.plotly_chart(
        rate_chart(r["q"], r["rates"], marks, best=gd.theoretical_rate(kappa)), key="gd_rates"
    )
    observed = {name: gd.observed_rate(p) for name, p in paths.items()}
    st.latex(rf"{r['obj'].latex}")
    (a, b), (_, c) = r["H"]
    st.latex(
        rf"H = \begin{{pmatrix}} {a:.3f} & {b:.3f} \\ {b:.3f} & {c:.3f} \end{{pmatrix}},\quad"
        rf"\text{{eigenvalues }}\lambda_{{\min}} = {lam_min:.4g},\ \lambda_{{\max}} = {lam_max:.4g},"
        rf"\quad \kappa = {gd.condition_number(r['eig']):.4g},\quad \eta = {lr:.4g}"
    )
    st.latex(
        rf"\rho_{{\rm GD}} = \max_i |1 - \eta\lambda_i| = {rho:.4f}"
        rf"\ \text{{(observed {observed['Gradient descent']:.4f})}},\quad \text{{best: }}"
        rf"\tfrac{{\kappa-1}}{{\kappa+1}} = {gd.theoretical_rate(kappa):.4f}"
    )
    if r["beta"] > 0:
        st.latex(
            rf"\rho_{{\rm momentum}}(\eta = {r['lr_m']:.4g}, \beta = {r['beta']:.3g}) = {theory['Momentum']:.4f}"
            rf"\ \text{{(observed {observed['Momentum']:.4f})}},\quad \text{{best: }}"
            rf"\tfrac{{\sqrt\kappa-1}}{{\sqrt\kappa+1}} = {r['hb'].rate:.4f}"
        )
    cols = st.columns(len(theory))
    for col, (name, rate) in zip(cols, theory.items()):
        n = gd.steps_to_reduce(rate)
        col.metric(
            f"{name}: steps to shrink the error 1000×", f"{n:,}" if math.isfinite(n) else "never"
        )
    if lr * lam_max > 2:
        st.warning("Gradient descent diverges. " + gd.explain_divergence(lr, lam_max))
    notice(
        "The steep direction (λ_max) caps the step at 2/λ_max, and the flat one (λ_min) then crawls: "
        "the rate (κ−1)/(κ+1) tends to 1 as κ grows. Momentum's rate depends on √κ instead of κ; "
        "raise κ to 100 and compare the steps needed."
    )
    columns = {"step": np.arange(steps + 1)}
    for name, p in paths.items():
        columns[f"{name} x"], columns[f"{name} y"] = p[:, 0], p[:, 1]
    download_csv("Download the iterates (CSV)", columns, "gd_iterates_2d.csv", key="gd_csv_2d")
    show_code(gd.gd_rate, gd.momentum_rate, gd.observed_rate, gd.hessian, Momentum)


@st.cache_data(max_entries=32)
def run_sgd(lr: float, batch: int, epochs: int, seed: int):
    data = gd.make_linear_data(200, w=2.0, b=-1.0, noise=0.8, rng=seed)
    best = gd.least_squares(data.x, data.y)
    sizes = {"Full batch": 200, f"Mini-batch (B = {batch})": batch, "Stochastic (B = 1)": 1}
    sizes = {
        name: b for name, b in sizes.items() if b not in (1, 200) or not name.startswith("Mini")
    }
    runs = {
        name: gd.sgd_linear_regression(
            data.x, data.y, lr=lr, batch_size=b, epochs=epochs, start=(-1.0, 2.0), rng=seed
        )
        for name, b in sizes.items()
    }
    all_sizes = np.arange(1, 201)
    noise_all = gd.gradient_noise_std(data.x, data.y, *best, batch_sizes=all_sizes)
    noise = {name: float(noise_all[b - 1]) for name, b in sizes.items()}
    gw, gb = np.linspace(-1.5, 4.0, 120), np.linspace(-3.5, 2.5, 120)
    z = np.sqrt(gd.mse(data.x, data.y, *np.meshgrid(gw, gb)))
    lam_max = float(gd.hessian_eigenvalues(gd.mse_hessian(data.x))[-1])
    return dict(
        runs=runs,
        sizes=sizes,
        noise=noise,
        noise_all=(all_sizes, noise_all),
        best=best,
        floor=float(gd.mse(data.x, data.y, *best)),
        gw=gw,
        gb=gb,
        z=z,
        lam_max=lam_max,
        lam_example=float(gd.example_curvatures(data.x).max()),
    )


@st.fragment
def mini_batches():
    st.header("3. Full batch, mini-batch, stochastic: noise against cheaper steps")
    c1, c2, c3, c4 = st.columns(4)
    batch = c1.slider("Batch size B", 1, 200, 16, **url(P, "batch"))
    lr = c2.slider("Learning rate η", 0.005, 0.6, 0.05, 0.005, format="%.3f", **url(P, "lr_sgd"))
    epochs = c3.slider("Epochs", 1, 40, 8, **url(P, "epochs"))
    seed = c4.number_input("Seed", 0, 9999, 0, **url(P, "seed"))
    r = run_sgd(lr, batch, epochs, int(seed))
    runs = r["runs"]
    left, right = st.columns([1.1, 1])
    cut = {
        name: run.params[: run.diverged_at if run.diverged_at > 0 else None]
        for name, run in runs.items()
    }
    left.plotly_chart(
        contour_paths(
            r["gw"],
            r["gb"],
            r["z"],
            cut,
            minimum=r["best"],
            x_title="slope w",
            y_title="intercept b",
            equal_aspect=False,
            title="Paths over the MSE contours",
        ),
        key="gd_sgd_paths",
    )
    by_epoch = right.toggle(
        "Loss per epoch (equal work) instead of per update", True, **url(P, "by_epoch")
    )
    done = {
        name: len(cut[name]) // run.updates_per_epoch for name, run in runs.items()
    }  # whole epochs run
    if (
        by_epoch
    ):  # the full-data loss after each pass, and the mean batch loss a training log would print
        curves = {
            name: (np.arange(done[name] + 1), run.epoch_loss[: done[name] + 1])
            for name, run in runs.items()
        }
        curves |= {
            f"{name} · logged": (np.arange(1, done[name] + 1), run.logged_loss[: done[name]])
            for name, run in runs.items()
            if run.updates_per_epoch > 1
        }
    else:
        curves = {
            name: (np.arange(len(cut[name])), run.loss[: len(cut[name])])
            for name, run in runs.items()
        }
    title = "Full-data loss" + (" (dashed: mean batch loss, as logged)" if by_epoch else "")
    right.plotly_chart(
        loss_curves(
            curves,
            floor=r["floor"],
            markers=by_epoch,
            dashed=[c for c in curves if "·" in c],
            x_title="epoch (passes over the data)" if by_epoch else "update",
            title=title,
        ),
        key="gd_sgd_loss",
    )
    st.latex(
        rf"L(w, b) = \tfrac{{1}}{{n}}\sum_{{i=1}}^{{n}} (w x_i + b - y_i)^2,\quad \hat g_{{\mathcal B}} = "
        rf"\tfrac{{2}}{{{batch}}}\sum_{{i\in\mathcal B}} (w x_i + b - y_i)\begin{{pmatrix}}x_i\\1\end{{pmatrix}},"
        rf"\quad \mathbb E[\hat g_{{\mathcal B}}] = \nabla L,\quad \operatorname{{Cov}}[\hat g_{{\mathcal B}}] ="
        rf"\tfrac{{\Sigma}}{{{batch}}}\cdot\tfrac{{200 - {batch}}}{{199}}"
    )
    tcol, ncol = st.columns([1.5, 1])
    ncol.plotly_chart(noise_chart(*r["noise_all"], 200, batch), key="gd_noise")
    tcol.table(
        {
            "method": list(runs),
            "batch size": list(r["sizes"].values()),
            "updates per epoch": [run.updates_per_epoch for run in runs.values()],
            "gradient noise (std)": [f"{v:.3g}" for v in r["noise"].values()],
            "final loss": [
                "diverged" if run.diverged_at > 0 else f"{run.loss[-1]:.4f}"
                for run in runs.values()
            ],
        }
    )
    bad = [name for name, run in runs.items() if run.diverged_at > 0]
    if bad:
        st.warning(
            f"{', '.join(bad)} diverged. "
            + gd.explain_divergence(lr, r["lam_max"])
            + " Small batches see their own, sometimes larger, curvature and can blow up first."
        )
    elif lr * r["lam_example"] > 2:
        st.info(
            f"Single examples have curvature up to λ = 2(x_i² + 1) = {r['lam_example']:.3g}, and η·λ = "
            f"{lr * r['lam_example']:.3g} > 2: on such examples a stochastic step overshoots, hence its jumps."
        )
    notice(
        "Per epoch, each method has read the data once: the stochastic run takes 200 cheap, noisy steps, the "
        "full batch one exact step. Small batches get close fast but keep jittering around the minimum, "
        "because their gradient noise (∝ 1/√B) does not vanish there; the full batch creeps but lands."
    )
    run = runs[next(name for name, b in r["sizes"].items() if b == batch)]
    download_csv(
        "Download the mini-batch iterates (CSV)",
        {
            "update": np.arange(len(run.loss)),
            "epoch": np.arange(len(run.loss)) / run.updates_per_epoch,
            "w": run.params[:, 0],
            "b": run.params[:, 1],
            "loss": run.loss,
        },
        "gd_sgd_iterates.csv",
        key="gd_csv_sgd",
    )
    show_code(gd.sgd_linear_regression_loop, gd.gradient_noise)


one_dimension()
two_dimensions()
mini_batches()
