"""The Backpropagation lab's Playground under AppTest: buttons, kept and reset runs, own data."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore import playground as pg
from dlcore.views import playground as views
from labs.backprop.keys import PLAY_RUN, PLAYING
from tests.pagetest import assert_clean, drive_widgets, open_page

PAGE = "pages/6_Backpropagation.py"
PANEL = "Playground"
# Sliders that are alike: a few represent them (each costs reruns, not coverage).
ALIKE = {f"bp_p_w{k}" for k in range(3, 7)} | {f"bp_p_a{k}" for k in range(3, 7)}
ALIKE |= {"bp_p_seed", "bp_p_l2", "bp_p_classes", "bp_p_speed"}


def status(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**Epoch**"))


def epoch(at) -> int:
    return int(status(at).split("**Epoch** ")[1].split(" ")[0])


def test_every_widget_driven_without_exception():
    assert drive_widgets(PAGE, panel=PANEL, max_options=3, skip=ALIKE) >= 2


def test_opens_fresh_and_paused_with_pictures_until_asked():
    at = open_page(PAGE, panel=PANEL)
    assert_clean(at)
    assert not at.error and epoch(at) == 0
    # the loss curves to hover over; the plane and the network are pictures
    assert len(at.get("plotly_chart")) == 1 and len(at.get("image")) == 2
    at.toggle(key="bp_p_hover").set_value(True).run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 3 and not at.get("image")  # plane, curves, network
    plane = at.get("plotly_chart")[0].proto.spec
    assert '"heatmap"' in plane and "click to add" not in plane  # clicks wait for their toggle
    at.toggle(key="bp_p_hover").set_value(False).run()
    assert at.button(key="bp_p_play").label == "Play"
    at.toggle(key="bp_p_add").set_value(True).run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 2 and len(at.get("image")) == 1  # the network
    assert "click to add" in at.get("plotly_chart")[0].proto.spec
    assert at.get("button_group")  # "A click adds class"
    assert any(r"2 \to 4 \to 2 \to 2:" in e.value for e in at.latex)


def test_step_play_pause_and_the_run_equals_one_uninterrupted_run():
    at = open_page(PAGE, panel=PANEL)
    at.button(key="bp_p_step").click().run()
    assert epoch(at) == 1
    at.button(key="bp_p_play").click().run()  # one tick trains settings.per_tick = 5 epochs
    assert at.session_state[PLAYING] and epoch(at) == 6
    assert at.button(key="bp_p_play").label == "Pause"
    at.button(key="bp_p_play").click().run()
    assert not at.session_state[PLAYING] and epoch(at) == 6
    state = at.session_state[PLAY_RUN].state
    data = views.play_data(views.DataSpec(), None, None)
    arch = pg.Architecture(outputs=data.outputs, task=data.task)
    once = views.play_tick(arch, views.Knobs(), data, pg.initial_state(arch), 6)
    for a, b in zip(state.weights, once.weights):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    assert_clean(at)


def test_learning_rate_keeps_the_weights_and_architecture_resets_them():
    at = open_page(PAGE, panel=PANEL)
    at.button(key="bp_p_step").click().run()
    at.button(key="bp_p_step").click().run()
    at.select_slider(key="bp_p_lr").set_value(0.1).run()
    assert epoch(at) == 2
    assert any("weights are kept" in c.value for c in at.caption)
    at.select_slider(key="bp_p_l1").set_value(0.01).run()
    assert epoch(at) == 2
    at.slider(key="bp_p_w1").set_value(5).run()
    assert epoch(at) == 0
    assert any(
        "New layers or neurons" in c.value and "fresh weights" in c.value for c in at.caption
    )
    at.pills(key="bp_p_feat").set_value(["x1", "x2", "x1*x2"]).run()
    assert any("New input features" in c.value for c in at.caption)
    assert any(r"3 \to 5 \to 2 \to 2:" in e.value for e in at.latex)
    assert_clean(at)


def test_regression_and_the_curve_fit():
    at = open_page(PAGE, panel=PANEL)
    at.selectbox(key="bp_p_data").set_value("bump").run()
    assert_clean(at)
    assert "accuracy" not in status(at)
    assert any(r"(\hat y_i - t_i)^2" in e.value for e in at.latex)
    at.button(key="bp_p_step").click().run()
    assert epoch(at) == 1
    at.selectbox(key="bp_p_data").set_value("curve").run()
    assert_clean(at)
    assert epoch(at) == 0 and len(at.get("plotly_chart")) == 2


def test_added_points_join_the_training_set_and_bad_text_is_named():
    at = open_page(PAGE, panel=PANEL)
    at.text_input(key="bp_p_added").set_value("0.5,0.5,1;-0.2,0.1,0").run()
    assert_clean(at)
    assert at.query_params["bp_p_added"] == "0.5,0.5,1;-0.2,0.1,0"
    assert not at.error
    at.text_input(key="bp_p_added").set_value("0.5,abc,1").run()
    assert any("Added points: row 1, column x2: 'abc' is not a number" in e.value for e in at.error)
    at.text_input(key="bp_p_added").set_value("0.5,0.5,9").run()
    assert any("class must be a whole number in [0, 7]" in e.value for e in at.error)
    assert_clean(at)


def test_a_link_with_added_points_restores_them():
    at = open_page(PAGE, panel=PANEL, query={"bp_p_added": "1,1,0"})
    assert at.text_input(key="bp_p_added").value == "1,1,0"
    assert at.session_state[PLAY_RUN] is not None
    run = at.session_state[PLAY_RUN]
    assert_clean(at)
    assert run.state.epoch == 0


def test_upload_source_waits_for_a_file():
    at = open_page(PAGE, panel=PANEL)
    at.selectbox(key="bp_p_data").set_value("your CSV").run()
    assert_clean(at)
    assert any("Upload a CSV" in i.value for i in at.info)


def test_divergence_stops_playing_and_says_so():
    at = open_page(PAGE, panel=PANEL)
    at.select_slider(key="bp_p_lr").set_value(10.0)
    at.selectbox(key="bp_p_data").set_value("plane")
    at.run()
    for _ in range(4):
        at.button(key="bp_p_step").click().run()
    assert any("exploded" in e.value for e in at.error)
    stuck = epoch(at)
    at.button(key="bp_p_play").click().run()
    assert epoch(at) == stuck
    assert_clean(at)


@pytest.mark.parametrize("layers", [0, 6])
def test_layer_extremes(layers):
    at = open_page(PAGE, panel=PANEL)
    at.slider(key="bp_p_layers").set_value(layers).run()
    at.button(key="bp_p_step").click().run()
    assert_clean(at)
    assert epoch(at) == 1


def test_edit_a_weight_while_paused():
    at = open_page(PAGE, panel=PANEL)
    at.number_input(key="bp_p_ew_layer").set_value(2).run()  # layer 2 has 4 "from" units
    at.number_input(key="bp_p_ew_i").set_value(4)
    at.number_input(key="bp_p_ew_j").set_value(2)
    at.number_input(key="bp_p_ew_value").set_value(3.5)
    at.run()
    at.button(key="bp_p_ew_set").click().run()
    assert_clean(at)
    state = at.session_state[PLAY_RUN].state
    assert state.weights[2][3, 1] == 3.5 and state.epoch == 0
    at.slider(key="bp_p_w1").set_value(2).run()  # "from unit" 4 no longer exists: clamped
    assert_clean(at)
    assert at.number_input(key="bp_p_ew_i").value == 1


def test_a_new_architecture_pauses_a_playing_run_and_a_new_rate_does_not():
    at = open_page(PAGE, panel=PANEL)
    at.button(key="bp_p_play").click().run()
    assert at.session_state[PLAYING]
    at.select_slider(key="bp_p_lr").set_value(0.1).run()
    assert at.session_state[PLAYING] and epoch(at) > 0  # the run goes on with the new rate
    at.selectbox(key="bp_p_a1").set_value("relu").run()
    assert not at.session_state[PLAYING] and epoch(at) == 0
    assert any("New activations" in c.value for c in at.caption)
    assert at.button(key="bp_p_play").label == "Play"
    assert_clean(at)
