"""bench.load and bench.stclient: the visitors' protocol, the figures, one short real run."""

from __future__ import annotations

import os

import pytest

from bench import load
from bench.stclient import Slider, rerun_msg, run_async, slider_state


def _slider(**kw) -> Slider:
    base = dict(
        id="s",
        label="x",
        minimum=0.0,
        maximum=1.0,
        step=0.25,
        default=(0.5,),
        options=(),
        fragment_id="",
    )
    return Slider(**(base | kw))


def test_slider_positions_land_on_the_step_grid_and_in_range():
    assert list(slider_state(_slider(), 0.6).double_array_value.data) == [0.5]
    assert list(slider_state(_slider(), 1.0).double_array_value.data) == [1.0]
    ranged = slider_state(_slider(minimum=-3, maximum=3, step=2, default=(-1, 1)), 1.0)
    assert list(ranged.double_array_value.data) == [3.0, 3.0]


def test_select_sliders_send_an_option():
    s = _slider(options=("0.1", "1", "10"), default=(1,))
    assert list(slider_state(s, 0.0).string_array_value.data) == ["0.1"]
    assert list(slider_state(s, 0.9).string_array_value.data) == ["10"]


def test_rerun_message_names_the_page_query_and_fragment():
    msg = rerun_msg("Convolution", "cv_panel=Pooling", [slider_state(_slider(), 0)], "frag")
    state = msg.rerun_script
    assert (state.page_name, state.query_string, state.fragment_id) == (
        "Convolution",
        "cv_panel=Pooling",
        "frag",
    )
    assert [w.id for w in state.widget_states.widgets] == ["s"]


def test_paths_and_percentiles():
    assert load.split_path("/Convolution?cv_panel=Pooling%20x") == (
        "Convolution",
        "cv_panel=Pooling%20x",
    )
    assert load.percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert load.percentile([], 95) is None


def test_arguments_are_bounded():
    assert load.parse_args(["--sessions", "1,10", "--think", "1,2"]).sessions == [1, 10]
    for bad in (["--sessions", "0"], ["--sessions", "500"], ["--think", "3,1"]):
        with pytest.raises(SystemExit):
            load.parse_args(bad)


def test_summary_counts_errors_and_reports_cpu():
    samples = [
        load.Sample("move", 0.1, "a", cpu_s=0.02),
        load.Sample("move", 0.3, "a", cpu_s=0.04),
        load.Sample("open", 0.5, "a"),
        load.Sample("move", float("nan"), "b", "boom"),
    ]
    monitor = load.Monitor(None)
    monitor.rss, monitor.cpu = [100.0, 180.0, 150.0], (0.9, 10.0)
    level = load.summarise(3, samples, monitor)
    assert (level.moves, level.opens, level.median_s, level.worst_s) == (2, 1, 0.2, 0.3)
    assert level.cpu_ms_per_request == pytest.approx(300.0)
    assert level.cpu_ms_median_move == pytest.approx(30.0)
    assert (level.rss_start_mb, level.rss_peak_mb, level.rss_end_mb) == (100.0, 180.0, 150.0)
    assert level.errors == ["move b: boom"]
    assert level.slowest == ["a: 200 ms"]
    assert "error: move b: boom" in load.format_levels([level])


def test_a_visitor_and_a_series_of_uploads_against_the_app():
    opts = load.Options(seconds=12, think=(0.2, 0.5), warm=False)
    with load.app_server(opts) as (base, pid):
        samples = run_async(load.crowd(base, 1, opts, ["/Convolution?cv_panel=Pooling"], pid))
        series = run_async(load.upload_series(base, 3, pid, seed=1))
    moves = [s for s in samples if s.kind == "move"]
    assert moves and all(not s.error and s.cpu_s is not None for s in moves)
    assert series["errors"] == [] and series["uploads"] == 3
    assert series["before_mb"] > 50 and abs(series["growth"]) < 0.5


def test_process_figures_come_from_proc():
    assert load.cpu_seconds(os.getpid()) > 0
    assert 10 < load.proc_status(os.getpid(), "VmRSS") <= load.proc_status(os.getpid(), "VmHWM")
    with pytest.raises(KeyError):
        load.proc_status(os.getpid(), "NoSuchField")
