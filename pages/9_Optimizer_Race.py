"""Optimizer race: SGD to AdamW on test surfaces or your own formula, with learning-rate schedules."""

import dataclasses

import numpy as np
import streamlit as st

from charts import optim as ch
from dlcore import optim, schedules
from dlcore.objectives import OBJECTIVES, from_expression
from ui import download_csv, notice, page_header, show_code, show_error, url

P = "opt"
FORMULA = "Your formula"
LRS = (1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0)
DEFAULT_LR = {
    "SGD": 1e-3,
    "Momentum": 1e-3,
    "Nesterov": 1e-3,
    "Adagrad": 0.5,
    "RMSProp": 0.01,
    "Adam": 0.05,
    "AdamW": 0.05,
}
EPS = 1e-2  # "arrived": within this distance of a known minimum
page_header(
    "Optimizer race",
    "Seven optimizers from PyTorch's `torch.optim` race down the same surface. Each keeps its own memory of past "
    "gradients (a velocity, a running average of squares, both): that memory is the whole difference between them. "
    "Pick a surface or type your own formula, give every racer its learning rate, and press ▶ under the map.",
)


@st.cache_data(max_entries=32)
def surface(name: str, formula: str):
    objective = from_expression(formula) if name == FORMULA else OBJECTIVES[name]
    return objective, optim.surface_grid(objective, objective.bounds, 120)


@st.cache_data(max_entries=64)
def run_race(name: str, formula: str, racers: tuple, starts: tuple, steps: int) -> dict:
    objective = surface(name, formula)[0]
    return {opt.name: optim.race(objective, opt, np.array(starts), steps) for opt in racers}


@st.cache_data(max_entries=16)
def run_fair(name: str, formula: str, racers: tuple, n: int, seed: int, steps: int) -> dict:
    objective = surface(name, formula)[0]
    starts = optim.random_starts(objective.bounds, n, seed)
    tune = optim.random_starts(objective.bounds, 1, seed + 1)[0]
    return {
        opt.name: optim.fair_race(
            objective,
            opt,
            starts=starts,
            tune_start=tune,
            steps=steps,
            lr_grid=LRS[::2],
            minima=objective.minima,
            eps=EPS,
        )
        for opt in racers
    }


@st.cache_data(max_entries=32)
def run_internals(name: str, formula: str, opt, start: tuple, steps: int):
    objective = surface(name, formula)[0]
    points = optim.minimize(objective, opt, start, steps).points
    return points, optim.internals(objective, opt, points)


# ---------------------------------------------------------------- the track
st.header("The track")
c1, c2, c3 = st.columns([1.4, 1.8, 1])
name = c1.selectbox(
    "Surface",
    [*OBJECTIVES, FORMULA],
    index=list(OBJECTIVES).index("Rosenbrock"),
    **url(P, "surface"),
)
formula = (
    c2.text_input(
        "f(x, y) =",
        "x**2 + 3*y**2 + 2*sin(x*y)",
        max_chars=300,
        **url(P, "formula"),
        help="x and y, numbers, + - * / **, sin, cos, exp, log, sqrt, tanh, abs ...",
    )
    if name == FORMULA
    else ""
)
try:
    objective, grid = surface(name, formula)
except ValueError as exc:
    show_error(
        exc,
        hint="Type a formula in x and y, e.g. x**2 + 3*y**2 + 2*sin(x*y). Nothing is evaluated but "
        "the arithmetic it describes.",
    )
    st.stop()
c2.latex(objective.latex)
steps = c3.slider("Steps", 10, 1000, 500, 10, **url(P, "steps"))
modes = ["Default", "Your start", "Grid of starts", "Random starts"]
mode = c1.segmented_control("Start from", modes, default=modes[0], required=True, **url(P, "start"))
(xl, xh), (yl, yh) = objective.bounds
if mode == "Your start":
    starts = np.array(
        [
            [
                c2.number_input("x₀", value=float(objective.start[0]), step=0.1, **url(P, "x0")),
                c3.number_input("y₀", value=float(objective.start[1]), step=0.1, **url(P, "y0")),
            ]
        ]
    )
elif mode == "Grid of starts":
    starts = optim.grid_starts(
        objective.bounds, c2.slider("Starts per side (a grid)", 2, 5, 3, **url(P, "grid"))
    )
elif mode == "Random starts":
    n = c2.slider("Number of starts", 2, 25, 9, **url(P, "n"))
    seed = c3.number_input("Seed", 0, 9999, 0, **url(P, "seed"))
    starts = optim.random_starts(objective.bounds, n, int(seed))
else:
    starts = np.array([objective.start])
outside = (starts[:, 0] < xl) | (starts[:, 0] > xh) | (starts[:, 1] < yl) | (starts[:, 1] > yh)
if outside.any():
    st.warning(
        f"The start is outside the plotted region x ∈ [{xl:g}, {xh:g}], y ∈ [{yl:g}, {yh:g}]: the race runs, "
        "but its beginning is off the map. Move it inside to watch."
    )

# ---------------------------------------------------------------- the racers
st.header("The racers")
names = st.multiselect(
    "Racers", list(optim.OPTIMIZERS), ["SGD", "Momentum", "RMSProp", "Adam"], **url(P, "racers")
)
if not names:
    st.warning("Pick at least one racer.")
    st.stop()
s1, s2 = st.columns([1, 2])
shared = s1.toggle(
    "One shared learning rate",
    False,
    **url(P, "shared"),
    help="Same η for everyone: shows how differently each optimizer scales a step.",
)
shared_lr = (
    s1.select_slider("Shared learning rate η", LRS, 1e-3, **url(P, "lr")) if shared else None
)
sched_name = s1.selectbox("Learning-rate schedule", list(schedules.SCHEDULES), **url(P, "schedule"))
shape = schedules.fitted(sched_name, lr=1.0, steps=steps)
s2.plotly_chart(ch.schedule_figure(schedules.curve(shape, steps), name=sched_name))
s1.latex(shape.to_latex().replace(r"\eta_t =", r"\eta_t / \eta ="))

racers = []
for col, racer in zip(st.columns(len(names)), names):
    col.markdown(f"**{racer}**")
    key = racer.lower()
    if shared:
        lr = shared_lr
        col.caption(f"η = {lr:g}, shared")
    else:
        lr = col.select_slider("η", LRS, DEFAULT_LR[racer], **url(P, f"lr_{key}"))
    params = {}
    if racer in ("Momentum", "Nesterov"):
        params["momentum"] = col.slider("momentum μ", 0.0, 0.99, 0.9, 0.01, **url(P, f"mu_{key}"))
    if racer == "RMSProp":
        params["alpha"] = col.select_slider(
            "α", (0.5, 0.9, 0.99, 0.999), 0.99, **url(P, f"alpha_{key}")
        )
    if racer in ("Adam", "AdamW"):
        params["betas"] = (
            col.slider("β₁", 0.0, 0.99, 0.9, 0.01, **url(P, f"b1_{key}")),
            col.select_slider("β₂", (0.9, 0.99, 0.999, 0.9999), 0.999, **url(P, f"b2_{key}")),
        )
    if racer == "AdamW":
        params["weight_decay"] = col.select_slider(
            "weight decay λ", (0.0, 1e-3, 1e-2, 0.1, 0.5), 1e-2, **url(P, "wd")
        )
    rate = lr if sched_name == "Constant" else dataclasses.replace(shape, lr=lr)
    racers.append(optim.OPTIMIZERS[racer](lr=rate, **params))

try:
    results = run_race(name, formula, tuple(racers), tuple(map(tuple, starts)), steps)
except ValueError as exc:
    show_error(exc, hint="Move the start to a point where the formula is defined.")
    st.stop()
paths = {k: r.trajectory.points for k, r in results.items()}
losses = {k: r.trajectory.losses for k, r in results.items()}

# ---------------------------------------------------------------- the race
st.header("The race")
left, right = st.columns([3, 2])
speed = left.segmented_control(
    "Animation speed",
    ["slow", "normal", "fast"],
    default="normal",
    required=True,
    **url(P, "speed"),
)
left.plotly_chart(
    ch.race_figure(
        grid,
        paths,
        minima=objective.minima,
        log_scale=objective.log_scale,
        frame_ms={"slow": 200, "normal": 80, "fast": 25}[speed],
    )
)
if right.toggle("3-D surface", True, **url(P, "show3d")):
    right.plotly_chart(ch.surface_figure(grid, paths, losses, log_scale=objective.log_scale))
    right.caption(
        "Drag to turn the surface; paths of the first start lie on it."
        + (
            " Height and colour: log₁₀(f − min f + 1), so the valley floor shows."
            if objective.log_scale
            else ""
        )
    )
for k, r in results.items():
    for i, reason in enumerate(r.reasons):
        if reason:
            st.warning(
                f"**{k}**{f' (start {i})' if len(starts) > 1 else ''} {reason}. Its path stops at its last "
                "finite point.",
                icon=":material/warning:",
            )
            break

summaries = {
    k: optim.summarize(r.trajectory, objective.minima, eps=EPS) for k, r in results.items()
}
first_div = {
    k: int(s.diverged_at.max()) if (s.diverged_at >= 0).all() else -1 for k, s in summaries.items()
}
fstar = float(np.min(objective.f(np.array(objective.minima)))) if objective.minima else None
g1, g2 = st.columns(2)
if fstar is None:
    g1.plotly_chart(
        ch.curves_figure(
            {k: np.median(v, axis=1) for k, v in losses.items()},
            title="Loss (median over starts)",
            ytitle="f",
            log=False,
            diverged=first_div,
        )
    )
    g2.info(
        "This surface lists no known minimum, so the loss is drawn on a linear axis and no distance is shown."
    )
else:
    g1.plotly_chart(
        ch.curves_figure(
            {k: np.median(v - fstar, axis=1) for k, v in losses.items()},
            log=True,
            title="Loss above the minimum (median over starts)",
            ytitle="f − f*",
            diverged=first_div,
        )
    )
    g2.plotly_chart(
        ch.curves_figure(
            {k: np.median(s.distance, axis=1) for k, s in summaries.items()},
            log=True,
            title="Distance to the nearest minimum",
            ytitle="‖θ − θ*‖",
            diverged=first_div,
        )
    )
notice(
    "On Rosenbrock, plain SGD crawls along the curved valley floor; momentum builds speed along it but overshoots "
    "at the bend; Adam's first steps are exactly η long in each coordinate whatever the slope. Raise one η until "
    "its racer blows up: the largest stable rate is set by the steepest curvature on the path."
)

st.subheader("Leaderboard")
board = [
    {
        "racer": k,
        "η": "schedule" if callable(racers[i].lr) else f"{racers[i].lr:g}",
        "final loss (median)": float(np.median(s.final_loss)),
        f"first step within {EPS:g} of a minimum": (
            lambda a: "never" if len(a) == 0 else f"{np.median(a):.0f}"
        )(s.first_within[s.first_within >= 0]),
        "starts arrived": f"{int((s.first_within >= 0).sum())}/{len(starts)}",
        "diverged": ", ".join(f"step {d}" for d in s.diverged_at[s.diverged_at >= 0][:3]) or "no",
    }
    for i, (k, s) in enumerate(summaries.items())
]
st.dataframe(sorted(board, key=lambda row: row["final loss (median)"]), hide_index=True)


@st.fragment
def fair_panel(racers: tuple) -> None:
    if not st.toggle(
        "Fair race: tune each η on a separate start, then score on seeded random starts",
        False,
        **url(P, "fair"),
    ):
        return
    f1, f2 = st.columns([1, 1])
    n_fair = f1.slider("Evaluation starts", 3, 25, 9, **url(P, "fair_n"))
    seed_fair = f1.number_input("Seed of the fair race", 0, 9999, 1, **url(P, "fair_seed"))
    fair = run_fair(
        name,
        formula,
        tuple(dataclasses.replace(r, lr=0.01) for r in racers),
        n_fair,
        int(seed_fair),
        steps,
    )
    f1.dataframe(
        [
            {
                "racer": k,
                "tuned η": r.lr,
                "median final loss": r.median_final_loss,
                f"median first step within {EPS:g}": r.median_first_within,
                "diverged": r.diverged,
            }
            for k, r in fair.items()
        ],
        hide_index=True,
    )
    f2.plotly_chart(ch.tuning_figure(fair))
    notice(
        "The classic single-start picture flatters whichever optimizer's η happens to suit that start. Tuned on "
        "one start and judged by the median over others (constant rates here), the gaps usually shrink, and "
        "sometimes reverse."
    )
    show_code(optim.fair_race)


fair_panel(tuple(racers))

# ---------------------------------------------------------------- inside one optimizer
st.header("Inside one optimizer")


@st.fragment
def internals_panel(racers: tuple) -> None:
    who = st.selectbox("Racer", names, index=len(names) - 1, **url(P, "inside"))
    points, ins = run_internals(name, formula, racers[names.index(who)], tuple(starts[0]), steps)
    left, right = st.columns([3, 2])
    left.plotly_chart(ch.internals_figure(ins, name=who))
    right.plotly_chart(
        ch.steps_figure(
            grid, points, ins.grads, ins.updates, ins.lr, name=who, log_scale=objective.log_scale
        )
    )
    right.caption(
        "Dark arrow: the plain gradient step −η·g. Coloured arrow: the step the optimizer took. "
        "Each pair is drawn to one scale."
    )
    notice(internals_notice(racers[names.index(who)]))


def internals_notice(opt) -> str:
    """What to notice inside the chosen optimizer, with its own hyper-parameters."""
    if isinstance(opt, optim.Adam):  # AdamW too
        (b1, b2), (t1, t2) = opt.betas, map(optim.warmup_steps, opt.betas)
        return (
            f"{opt.name} divides each coordinate's step by the root of its own running squared gradient, so a "
            "steep coordinate and a flat one move at similar speed. The bias corrections 1 − βᵗ undo the zero "
            f"start of the moments: 1 − β₁ᵗ passes 0.95 after {t1} step{'s' * (t1 > 1)} (β₁ = {b1:g}), "
            f"1 − β₂ᵗ after {t2} (β₂ = {b2:g})."
        )
    if isinstance(opt, optim.RMSProp):
        return (
            f"RMSProp divides each coordinate's step by the root of a running average of squared gradients that "
            f"forgets its zero start after about {optim.warmup_steps(opt.alpha)} steps (α = {opt.alpha:g}); with "
            "no bias correction its first steps are large."
        )
    if isinstance(opt, optim.Adagrad):
        return (
            "Adagrad divides by the root of the sum of all squared gradients so far: that sum only grows, so "
            "its effective step only shrinks, and it can stall before the minimum."
        )
    if isinstance(opt, optim.Momentum):  # Nesterov too
        return (
            f"{opt.name} remembers about {optim.warmup_steps(opt.momentum)} steps of gradients (μ = "
            f"{opt.momentum:g}): on the map its step leaves the gradient's direction where the valley bends."
        )
    return "SGD's step is exactly −η·g: on the map its two arrows coincide, and it has no memory to plot."


internals_panel(tuple(racers))

st.subheader("Update rules with the current numbers")
for opt in racers:
    st.markdown(f"**{opt.name}**")
    st.latex(opt.to_latex())
st.markdown(
    "Where frameworks disagree: PyTorch's momentum keeps a buffer of gradients and steps by η·b; Sutskever's form "
    "keeps a velocity v = μv − ηg. With a constant η they give the same points, under a schedule they do not. "
    "PyTorch adds ε *outside* the square root (g / (√v + ε)); TensorFlow's RMSprop adds it inside (g / √(v + ε)). "
    "AdamW shrinks θ by (1 − ηλ) directly; Adam's `weight_decay` adds λθ to the gradient instead."
)
show_code(*(type(opt).update for opt in racers), optim.race)
download_csv(
    "Download the trajectories (CSV)",
    optim.race_table({k: r.trajectory for k, r in results.items()}),
    "optimizer_race.csv",
    key=f"{P}_csv",
)
