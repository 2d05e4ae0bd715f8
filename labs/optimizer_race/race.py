"""The race: every racer down the same surface, on a map, as curves and on a leaderboard."""

from __future__ import annotations

import streamlit as st

from charts import race as ch
from dlcore import optim, race
from dlcore.views import optimizer_race as views
from labs.optimizer_race import settings
from labs.optimizer_race.keys import PREFIX, SHARED
from ui import notice, show_code, show_error, show_table, url
from ui.downloads import csv_bytes
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart
from ui.state import keep_choice

KEYS = (*SHARED, "animate", "speed", "show3d", "at")
EXPORT = Export(
    PREFIX,
    "Race",
    (Step(views.race_view),),
    (
        Number("Winner", "w.board.winner"),
        Number("Verdict", "w.board.verdict"),
        Number("Table", "w.board.rows"),
    ),
    Chart(
        ch.curves_figure,
        ("w.loss_curves",),
        {
            "title": "w.loss_title",
            "ytitle": "w.loss_ytitle",
            "log": "w.loss_log",
            "diverged": "w.first_div",
        },
    ),
    only_when={"formula": ("surface", (views.FORMULA,))},
)
AT = f"{PREFIX}_at"
AT_LAST = f"_{PREFIX}_at_last"  # the race length the "race at step" control was made for
FRAME_MS = {"slow": 200, "normal": 80, "fast": 25}
FRAMEWORKS = (
    "Where frameworks disagree: PyTorch's momentum keeps a buffer of gradients and steps by η·b; "
    "Sutskever's form keeps a velocity v = μv − ηg. With a constant η they give the same points, "
    "under a schedule they do not. PyTorch adds ε *outside* the square root (g / (√v + ε)); "
    "TensorFlow's RMSprop adds it inside (g / √(v + ε)). AdamW shrinks θ by (1 − ηλ) directly; "
    "Adam's `weight_decay` adds λθ to the gradient instead."
)
view = st.cache_data(views.race_view, max_entries=32, show_spinner=False)


def _keep_step(options: tuple[int, ...]) -> None:
    """A new race length shows its end; an old value must still be one of the steps."""
    last = options[-1]
    if st.session_state.get(AT_LAST, last) != last:
        st.session_state[AT] = last
    st.session_state[AT_LAST] = last
    keep_choice(AT, options, last)


@st.fragment
def race_map(w: views.RaceView, animate: bool, speed: str) -> None:
    """The map alone, so moving through the race redraws one chart and runs nothing else."""
    slot = st.container()
    at = None
    if not animate:
        _keep_step(w.frame_steps)
        at = st.select_slider("Race at step", w.frame_steps, w.frame_steps[-1], **url(PREFIX, "at"))
    figure = ch.race_figure(
        w.grid,
        w.paths,
        minima=w.objective.minima,
        log_scale=w.objective.log_scale,
        animate=animate,
        frame_ms=FRAME_MS[speed],
        at=at,
    )
    show_chart(slot, figure)


def _curves(w: views.RaceView) -> None:
    show_chart(
        st,
        ch.curves_figure(
            w.loss_curves,
            title=w.loss_title,
            ytitle=w.loss_ytitle,
            log=w.loss_log,
            diverged=w.first_div,
            height=270,
        ),
    )
    if w.distance_curves is None:
        st.info(w.curve_note)
        return
    show_chart(
        st,
        ch.curves_figure(
            w.distance_curves,
            log=True,
            title="Distance to the nearest minimum",
            ytitle="‖θ − θ*‖",
            diverged=w.first_div,
            height=270,
        ),
    )


def _surface(w: views.RaceView) -> None:
    show_chart(st, ch.surface_figure(w.grid, w.paths, w.losses, log_scale=w.objective.log_scale))
    st.caption(
        "Drag to turn the surface; paths of the first start lie on it."
        + (
            " Height and colour: log₁₀(f − min f + 1), so the valley floor shows."
            if w.objective.log_scale
            else ""
        )
    )


def _results(w: views.RaceView, names: list[str]) -> None:
    for text in w.warnings:
        st.warning(text, icon=":material/warning:")
    st.subheader("Leaderboard")
    show_table(w.board.rows)
    if w.board.winner is None:
        st.warning(w.board.verdict, icon=":material/flag:")
    else:
        st.markdown(f":material/flag: {w.board.verdict}")
    notice(
        "On Rosenbrock, plain SGD crawls along the curved valley floor; momentum builds speed "
        "along it but overshoots at the bend; Adam's first steps are exactly η long in each "
        "coordinate whatever the slope. Raise one η until its racer blows up: the largest stable "
        "rate is set by the steepest curvature on the path."
    )
    st.subheader("Update rules with the current numbers")
    for name, rule in w.rules:
        st.markdown(f"**{name}**")
        st.latex(rule)
    st.markdown(FRAMEWORKS)
    updates = (optim.OPTIMIZERS[name].update for name in names)
    show_code(views.race_view, race.leaderboard, *updates, race.race, export=EXPORT)
    st.download_button(
        "Download the trajectories (CSV)",
        lambda: csv_bytes(race.race_table(w.trajectories)),  # built only when clicked
        file_name="optimizer_race.csv",
        mime="text/csv",
        key=f"{PREFIX}_csv",
        icon=":material/download:",
    )


def _rates_and_racers(names: list[str]):
    s1, s2, s3 = st.columns([1, 1, 1.3])
    steps = settings.steps_slider(s1)
    shared_lr = settings.shared_rate(s2)
    schedule = settings.schedule_select(s3)
    specs = settings.racer_columns(names, shared_lr=shared_lr)
    return steps, schedule, specs, s3


view = record(view)


@st.fragment
def render() -> None:
    """Pick a track and racers; watch them race, then read the leaderboard."""
    c1, c2, c3 = st.columns([2, 1.8, 1])
    track, problem = settings.track(c1, c2, c3)
    if track is None:
        return show_error(problem)
    names = settings.racer_names(st)
    if not names:
        return st.warning("Pick at least one racer.")
    t1, t2, t3 = st.columns([1, 1.2, 1])
    animate = t1.toggle("Animate the race (▶ Play)", False, **url(PREFIX, "animate"))
    speed = "normal"
    if animate:
        speed = t2.segmented_control(
            "Animation speed",
            list(FRAME_MS),
            default="normal",
            required=True,
            **url(PREFIX, "speed"),
        )
    show3d = t3.toggle("3-D surface", False, **url(PREFIX, "show3d"))
    map_row, extra = st.container(), st.container()
    steps, schedule, specs, s3 = _rates_and_racers(names)
    try:
        w = view(track.surface, track.formula, track.start, specs, schedule, steps)
    except ValueError as exc:
        with map_row:
            return show_error(exc)
    s3.latex(w.schedule_latex)
    if w.outside:
        map_row.warning(w.outside)
    left, right = map_row.columns([3, 2])
    with left:
        race_map(w, animate, speed)
    with right:
        _curves(w)
    if show3d:
        with extra:
            _surface(w)
    _results(w, names)
