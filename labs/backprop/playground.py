"""Playground: TensorFlow Playground's trainer, played live (Play, Pause, Step, Reset).

The run lives in the session (``PLAY_RUN``); while it plays, a fragment with
``run_every`` trains a few epochs per tick and redraws the output plane, every
neuron's map and the loss curves. The controls sit in the enclosing panel
fragment, so pressing Pause or changing a control reruns that fragment,
which redefines the live one without a timer.
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import streamlit as st

from charts import playground as charts
from dlcore import playground as pg
from dlcore.views import playground as views
from labs.backprop import play_controls as controls
from labs.backprop import play_data
from labs.backprop.keys import CLICKS, PLAY_NOTE, PLAY_RUN, PLAYING, PREFIX
from ui import download_csv, download_npz, notice, show_code, show_error, url
from ui.export import Chart, Export, Number, Step, forget, note_call, record
from ui.figures import show_chart
from ui.state import keep_in_range

KEYS = (*controls.KEYS, "p_hover", "p_add")
#: seconds between two redraws while playing (the page redraws at most this often)
TICK = 0.15
STEP = f"{PREFIX}_play_step"
ADDING = f"{PREFIX}_p_add"  # the toggle "Click the plane to add points"
RESET = f"{PREFIX}_play_reset"
load = record(st.cache_data(views.play_data, max_entries=16, show_spinner=False))
frame_view = record(views.play_frame)
EXPORT = Export(
    PREFIX,
    "Playground",
    (
        Step(views.play_data, "data"),
        Step(pg.initial_state, "start"),
        Step(views.play_tick, "state"),
        Step(views.play_frame, "frame"),
    ),
    (Number("Figures", "frame.metrics"),),
    Chart(charts.play_loss_curves, ("frame.train_loss", "frame.test_loss")),
)


class PlayRun(NamedTuple):
    """What the session keeps between reruns: the run and what it was made for."""

    arch: pg.Architecture
    data_key: tuple
    knobs: views.Knobs
    state: pg.PlayState
    steered: bool = False  # settings or a weight changed mid-run: no one call replays it


def _set_playing(playing: bool) -> None:
    # Sets what the button said, rather than flipping: while playing, the browser can send one
    # click twice (in the click's rerun and in a timer tick's), and a flip would undo itself.
    st.session_state[PLAYING] = playing


def _press(key: str) -> None:
    st.session_state[key] = True
    st.session_state[PLAYING] = False


def _buttons(where) -> None:
    """Reset, Play/Pause, Step, as TensorFlow Playground's top left (drawn into ``where``
    once the run is settled, so the label says what a click will do)."""
    playing = st.session_state.get(PLAYING, False)
    b = where.container(horizontal=True)  # one block, not four columns: fewer deltas
    b.button(
        "Reset", icon=":material/restart_alt:", key="bp_p_reset", on_click=_press, args=(RESET,)
    )
    b.button(
        "Pause" if playing else "Play",
        icon=":material/pause:" if playing else ":material/play_arrow:",
        type="primary",
        key="bp_p_play",
        on_click=_set_playing,
        args=(not playing,),
    )
    b.button("Step", icon=":material/skip_next:", key="bp_p_step", on_click=_press, args=(STEP,))


def _sync(arch: pg.Architecture, data_key: tuple, knobs: views.Knobs, data) -> PlayRun:
    """The run for these settings: kept, continued or started afresh (and why, in a note)."""
    saved = st.session_state.get(PLAY_RUN)
    note = ""
    if saved is None or st.session_state.pop(RESET, False):
        state = pg.initial_state(arch)
    elif saved.arch != arch:
        state, note = pg.initial_state(arch), views.architecture_change(saved.arch, arch)
    elif saved.data_key != data_key:
        state = pg.initial_state(arch)
        note = "New data: the network starts again from fresh weights at epoch 0."
    else:
        state = saved.state
        note = views.knobs_change(saved.knobs, knobs, state.epoch)
    if note:
        st.session_state[PLAY_NOTE] = note
    if state is not getattr(saved, "state", None):  # a fresh network waits for Play
        st.session_state[PLAYING] = False
    if st.session_state.pop(STEP, False):
        state = views.play_tick(arch, knobs, data, state, 1)
    steered = saved is not None and state is saved.state and (saved.steered or bool(note))
    run = PlayRun(arch, data_key, knobs, state, steered)
    st.session_state[PLAY_RUN] = run
    return run


def _plane_args(frame: views.PlayFrame, data, settings) -> tuple:
    """The output plane's grid, outputs and points, as both its chart and its picture take them."""
    X_te, y_te = _test_points(data, settings)
    return frame.xs, frame.ys, frame.output, data.X_train, data.y_train, X_te, y_te


def _plane(frame: views.PlayFrame, data, settings, clickable: bool) -> None:
    if data.one_d:
        X_te, y_te = _test_points(data, settings)
        fig = charts.curve_fit(
            frame.line_x, frame.line_pred, data.X_train, data.y_train, X_te, y_te
        )
    else:
        regression = data.task == "regression"
        fig = charts.output_plane(*_plane_args(frame, data, settings), regression=regression)
    if clickable and not data.one_d:
        # every other grid point: 400 invisible markers rather than 1,600 SVG nodes to redraw
        charts.with_click_grid(fig, frame.xs, frame.ys, every=2)
        show_chart(st, fig, key=CLICKS, on_select=partial(play_data.add_clicked, data.task))
    else:
        show_chart(st, fig, key="bp_p_plane")


def _plane_picture(where, frame: views.PlayFrame, data, settings) -> None:
    """The output plane and the points as a PNG, which costs the browser almost nothing."""
    regression = data.task == "regression"
    plane = charts.plane_picture(*_plane_args(frame, data, settings), regression=regression)
    where.image(plane, caption="output (train: filled, test: rings)", width="content")


def _pictures(frame: views.PlayFrame, data, settings, arch: pg.Architecture) -> None:
    """While playing: PNG pictures, which cost the browser almost nothing to redraw."""
    left, right = st.columns([2, 3])
    if data.one_d:  # a curve: light enough as a chart
        with left:
            _plane(frame, data, settings, clickable=False)
    else:
        _plane_picture(left, frame, data, settings)
    left.image(
        charts.loss_picture(frame.train_loss, frame.test_loss),
        caption="loss per epoch, log scale: train blue, test orange",
        width="stretch",
    )
    net = charts.network_picture(frame.maps, frame.links, len(frame.map_xs))
    right.image(net, caption=_layers_caption(arch), width="content")


def _layers_caption(arch: pg.Architecture, *, hover: bool = True) -> str:
    acts = ", ".join(arch.activations) or "none"
    how = "Pause to hover over the values." if hover else "Turn on hovering to read the values."
    return (
        f"inputs {', '.join(arch.features)} → hidden activations {acts} → output. "
        f"Blue < 0 < red; link width = weight size. {how}"
    )


def _test_points(data, settings):
    if settings.show_test:
        return data.X_test, data.y_test
    return data.X_test[:0], data.y_test[:0]


def _charts(frame: views.PlayFrame, data, settings, arch: pg.Architecture) -> None:
    """While paused: the loss curves to hover over; the plane and the network too with
    "Hover over the plane, every weight and neuron" on, and the plane with "Click the plane
    to add points" on (a click adds one)."""
    left, right = st.columns([2, 3])
    # Pictures unless asked: the plane's points and the network's maps, links and hover
    # labels are the costliest part of the browser's redraw when a control moves.
    hover = right.toggle(
        "Hover over the plane, every weight and neuron", False, **url(PREFIX, "p_hover")
    )
    adding = st.session_state.get(ADDING, False)
    with left:
        if hover or adding or data.one_d:
            _plane(frame, data, settings, clickable=adding)
        else:
            _plane_picture(st, frame, data, settings)
        show_chart(
            st, charts.play_loss_curves(frame.train_loss, frame.test_loss), key="bp_p_curves"
        )
    if not hover:
        net = charts.network_picture(frame.maps, frame.links, len(frame.map_xs))
        right.image(net, caption=_layers_caption(arch, hover=False), width="content")
        return
    titles = ["inputs", *(f"layer {k + 1}: {a}" for k, a in enumerate(arch.activations)), "output"]
    show_chart(
        right,
        charts.network_maps(frame.maps, frame.names, frame.links, len(frame.map_xs), titles=titles),
        key="bp_p_net",
    )


def _live(arch: pg.Architecture, knobs: views.Knobs, data, settings) -> None:
    """One tick: a few epochs while playing, then the output, every neuron and the curves."""
    if st.session_state.pop(play_data.CLICKED, False):
        st.rerun()  # a click added a point: the data changed, rerun the whole panel
    run = st.session_state.get(PLAY_RUN)
    if run is None or run.arch != arch:
        return
    playing = st.session_state.get(PLAYING, False)
    if playing:
        state = views.play_tick(arch, knobs, data, run.state, settings.per_tick)
        st.session_state[PLAY_RUN] = run._replace(state=state)
        if state.diverged_at >= 0:
            st.session_state[PLAYING] = False
            st.rerun()
    run = st.session_state[PLAY_RUN]
    if not run.steered:  # the run is one call from epoch 0: the script replays it
        start = pg.initial_state(arch)
        note_call(pg.initial_state, {"arch": arch}, start)
        replay = {"arch": arch, "knobs": knobs, "data": data, "state": start}
        note_call(views.play_tick, replay | {"epochs": run.state.epoch}, run.state)
    else:
        forget(views.play_tick)
    frame = frame_view(arch, data, run.state, discrete=settings.discrete)
    st.markdown(" · ".join(f"**{k}** {v}" for k, v in frame.metrics.items()))
    if frame.message:
        st.error(frame.message, icon=":material/warning:")
    (_pictures if playing else _charts)(frame, data, settings, arch)


def _playing(arch: pg.Architecture, knobs: views.Knobs, data, settings) -> None:
    """The live view while playing: a fragment other than the paused one (see render)."""
    _live(arch, knobs, data, settings)


def _edit_weight(run: PlayRun) -> None:
    """Type a weight, as clicking a link does in TensorFlow Playground (while paused)."""
    arch = run.arch
    with st.expander("Edit a weight"):
        c = st.container(horizontal=True, vertical_alignment="bottom")
        n = len(arch.sizes) - 1
        keep_in_range("bp_p_ew_layer", 1, n, 1)
        layer = c.number_input("Layer", 1, n, 1, **url(PREFIX, "p_ew_layer"))
        layer = min(int(layer), n)
        keep_in_range("bp_p_ew_i", 1, arch.sizes[layer - 1], 1)
        keep_in_range("bp_p_ew_j", 1, arch.sizes[layer], 1)
        i = c.number_input("From unit", 1, arch.sizes[layer - 1], 1, **url(PREFIX, "p_ew_i"))
        j = c.number_input("To unit", 1, arch.sizes[layer], 1, **url(PREFIX, "p_ew_j"))
        value = c.number_input("Value", -100.0, 100.0, 0.0, 0.1, **url(PREFIX, "p_ew_value"))
        c.button("Set", key="bp_p_ew_set", on_click=_set_weight, args=(layer, i, j, value))


def _set_weight(layer: int, i: int, j: int, value: float) -> None:
    run = st.session_state[PLAY_RUN]
    try:
        state = pg.set_weight(run.arch, run.state, layer, int(i) - 1, int(j) - 1, value)
    except ValueError:  # the network changed since the fields were drawn: nothing to set
        return
    st.session_state[PLAY_RUN] = run._replace(state=state, steered=True)


def _exports(data, run: PlayRun) -> None:
    weights, points, history = views.play_exports(data, run.state)
    with st.container(horizontal=True):
        download_npz("Weights (NPZ)", weights, "playground_weights.npz", key="bp_p_dl_w")
        download_csv("Data (CSV)", points, "playground_data.csv", key="bp_p_dl_data")
        download_csv("Loss history (CSV)", history, "playground_loss.csv", key="bp_p_dl_loss")


@st.fragment
def render() -> None:
    """The playground: buttons, controls, own data, the live view, the code and downloads."""
    top = st.container()
    settings, data_tab = controls.controls()
    with data_tab:
        uploaded, upload_id, problem = play_data.upload(settings.data)
    if problem and upload_id:
        show_error(problem)
        return _buttons(top)
    if problem:
        st.info(problem, icon=":material/upload_file:")
        return _buttons(top)
    try:
        task = "regression" if settings.data.source in views.PLAY_REGRESSION else "classification"
        task = uploaded.task if uploaded is not None else task
        with data_tab:
            clicked, bad = play_data.clicked_points(task, 8)
        if bad:
            show_error(bad)
        data = load(settings.data, uploaded, clicked)
        arch = settings.network.architecture(data)
    except ValueError as exc:
        show_error(exc)
        return _buttons(top)
    run = _sync(arch, (settings.data, upload_id), settings.knobs, data)
    _buttons(top)
    if PLAY_NOTE in st.session_state:
        st.caption(st.session_state.pop(PLAY_NOTE))
    row = st.container(horizontal=True, vertical_alignment="center")
    if row.toggle("Click the plane to add points", False, **url(PREFIX, "p_add")):
        with row:
            play_data.click_class(task, data.outputs)
    playing = st.session_state.get(PLAYING, False)
    # Two fragments, not one with run_every switched off: Streamlit stops a fragment's timer
    # only when the fragment is gone from its parent's run, so the timed one is a function of
    # its own (a fragment's identity is its function's name and place).
    live = st.fragment(run_every=TICK)(_playing) if playing else st.fragment(_live)
    live(arch, settings.knobs, data, settings)
    st.latex(views.play_latex(arch, settings.knobs))
    notice(
        "Each first-layer neuron draws one straight edge over the plane; later layers combine "
        "the edges into curves. Try circles with x1 and x2 only and no hidden layer (it cannot), "
        "then switch on x1² and x2². To add a point, turn on clicking and click the output plane "
        "while paused."
    )
    if run.steered:
        st.caption(
            "Settings or a weight changed during this run: press Reset for a view that a script can recompute."
        )
    show_code(pg.advance, pg.run_epoch, pg.objective, views.play_frame, export=EXPORT)
    if not playing:
        _edit_weight(run)
        _exports(data, run)
