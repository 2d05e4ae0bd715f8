"""The Backpropagation lab under AppTest: every panel's widgets, the training buttons, the check."""

from __future__ import annotations

import re

import pytest

from labs import backprop as lab
from tests.pagetest import assert_clean, drive_widgets, open_page, switch_panel
from tests.test_page_playground import ALIKE as PLAYGROUND_ALIKE

PAGE = "pages/6_Backpropagation.py"
PANELS = [p.label for p in lab.PANELS]
# Sliders that are alike: a few represent them (each costs reruns, not coverage).
ALIKE = {"bp_g_x2", "bp_g_w2", "bp_g_b", "bp_g_t", "bp_s_x2", "bp_s_seed", "bp_seed", "bp_classes"}
ALIKE |= PLAYGROUND_ALIKE  # the Playground's, driven in tests/test_page_playground.py


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def latex(at):
    return "\n".join(e.value for e in at.latex)


def worst(at) -> float:
    text = next(e.value for e in at.latex if "rel. error" in e.value)
    mant, exp = re.search(r"\\max = (-?[\d.]+) \\times 10\^\{(-?\d+)\}", text).groups()
    return float(mant) * 10.0 ** int(exp)


@pytest.mark.parametrize("panel", PANELS)
def test_every_widget_of_every_panel_driven_without_exception(panel):
    runs = drive_widgets(PAGE, panel=panel, max_options=3, skip=ALIKE)
    assert runs >= 2


def test_default_view_is_the_graph():
    at = open_page(PAGE)
    assert_clean(at)
    assert not at.error and len(at.get("plotly_chart")) == 1
    assert r"\partial L/\partial\,\mathrm{" in latex(at)  # three backward steps done


def test_graph_latex_follows_the_sliders():
    at = open_page(PAGE, panel="Computational graph")
    at.slider(key="bp_g_step").set_value(0)
    at.slider(key="bp_g_x1").set_value(2.0)
    at.run()
    assert_clean(at)
    # z = 0.8*2 + 0.4*(-0.5) + 0.1 = 1.5
    assert r"(f(1.5) - 1)^2" in latex(at)
    at.slider(key="bp_g_step").set_value(1).run()
    assert r"\partial L/\partial\,\mathrm{L}" in latex(at) and "local" in latex(at)


def test_graph_notice_says_when_relu_is_dead():
    at = open_page(PAGE, panel="Computational graph")
    at.selectbox(key="bp_g_act").set_value("relu")
    at.slider(key="bp_g_w1").set_value(-1.0)
    at.run()
    assert_clean(at)
    # z = -1 * 1 + 0.4 * (-0.5) + 0.1 = -1.1
    assert any("z = -1.1 ≤ 0" in i.value for i in at.info)


def test_step_latex_uses_the_learning_rate_and_names_a_silent_input():
    at = open_page(PAGE, panel="One training step")
    at.select_slider(key="bp_s_lr").set_value(2.0).run()
    assert_clean(at)
    assert r"W_1 \leftarrow W_1 - 2\," in latex(at)
    at.slider(key="bp_s_x1").set_value(0.0).run()
    assert any("Here x1 = 0, so row 1" in i.value for i in at.info)


def test_trainer_first_view_is_trained_accurate_and_light():
    at = open_page(PAGE, panel="Train an MLP")
    assert_clean(at)
    assert not at.error
    assert metric(at, "Epoch") == "100"
    assert float(metric(at, "Test accuracy")) >= 0.95
    assert len(at.get("plotly_chart")) == 2  # the boundary and the curves
    at.toggle(key="bp_inside").set_value(True).run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 4  # + gradient norms per layer and the neuron maps


def test_controls_a_data_set_ignores_are_greyed_out():
    at = open_page(PAGE, panel="Train an MLP")
    classes = at.slider(key="bp_classes")
    noise = at.select_slider(key="bp_noise")
    assert classes.disabled and not noise.disabled  # moons: noise yes, classes no
    at.selectbox(key="bp_data").set_value("blobs").run()
    assert not at.slider(key="bp_classes").disabled
    assert at.select_slider(key="bp_noise").disabled
    assert_clean(at)


def test_step_buttons_continue_and_reset_starts_over():
    at = open_page(PAGE, panel="Train an MLP")
    at.button(key="bp_step1").click().run()
    assert metric(at, "Epoch") == "101"
    at.button(key="bp_step10").click().run()
    assert metric(at, "Epoch") == "111"
    at.button(key="bp_reset").click().run()
    assert metric(at, "Epoch") == "0"
    assert any("fresh, untrained network" in i.value for i in at.info)
    at.button(key="bp_step10").click().run()
    assert metric(at, "Epoch") == "10"
    at.button(key="bp_train").click().run()
    assert metric(at, "Epoch") == "100"  # Train starts afresh
    assert_clean(at)


def test_exploding_learning_rate_is_flagged_and_stops():
    at = open_page(PAGE, panel="Train an MLP")
    at.selectbox(key="bp_opt").set_value("SGD")
    at.select_slider(key="bp_batch").set_value("full")
    at.select_slider(key="bp_lr").set_value(100.0)
    at.run()
    at.button(key="bp_step10").click().run()
    assert_clean(at)
    assert any("exploded" in e.value and "learning rate" in e.value for e in at.error)
    assert int(metric(at, "Epoch")) < 10
    stopped = metric(at, "Epoch")
    at.button(key="bp_step10").click().run()
    assert metric(at, "Epoch") == stopped  # stays stopped
    assert len(at.get("plotly_chart")) == 2  # the panel keeps drawing the last sane weights


def test_no_hidden_layer_and_one_class_after_split():
    at = open_page(PAGE, panel="Train an MLP")
    at.slider(key="bp_layers").set_value(0).run()
    assert_clean(at)
    assert any("logistic regression" in i.value for i in at.info)
    at.button(key="bp_step10").click().run()
    assert metric(at, "Epoch") == "10" and metric(at, "Parameters") == "6"
    at.select_slider(key="bp_n").set_value(50)
    at.select_slider(key="bp_test").set_value(0.97)
    at.number_input(key="bp_seed").set_value(1)
    at.run()
    assert_clean(at)
    assert any("only one class" in e.value for e in at.error)


def test_break_it_makes_the_gradient_check_fail():
    at = open_page(PAGE, panel="Gradient check")
    assert_clean(at)
    assert any("default network" in c.value for c in at.caption)
    ok = worst(at)
    assert any(s.value.startswith("Passed") for s in at.success) and not at.error
    at.toggle(key="bp_broken").set_value(True).run()
    assert_clean(at)
    assert ok < 1e-6 and worst(at) > 1e-2
    assert any(e.value.startswith("Failed for W1") for e in at.error)


def test_gradient_check_after_reset_does_not_cry_wolf():
    """Issue 15: after Reset the check failed (2.6e-1) on a correct gradient at the defaults."""
    at = open_page(PAGE, panel="Train an MLP")
    at.button(key="bp_reset").click().run()
    assert metric(at, "Epoch") == "0"
    switch_panel(at, PAGE, "Gradient check")
    assert_clean(at)
    assert any("after 0 epochs" in c.value for c in at.caption)  # the trainer's network
    assert not at.error and worst(at) < 1e-6
    assert any(s.value.startswith("Passed") for s in at.success)
    assert any("were left out" in c.value and "kink" in c.value for c in at.caption)


def test_the_check_follows_the_trainers_network():
    at = open_page(PAGE, panel="Train an MLP")
    at.slider(key="bp_layers").set_value(1).run()
    switch_panel(at, PAGE, "Gradient check")
    assert_clean(at)
    assert any("2 → 8 → 2" in c.value for c in at.caption)
    assert [t["x"] for t in _bars(at)] == [["W1", "b1", "W2", "b2"]]


def _bars(at):
    import json

    return [
        trace
        for chart in at.get("plotly_chart")
        for trace in json.loads(chart.proto.spec)["data"]
        if trace["type"] == "bar"
    ]


def test_an_old_link_opens_the_panel_of_its_controls():
    at = open_page(PAGE, query={"bp_layers": "3"})
    assert_clean(at)
    assert at.session_state["bp_panel"] == "Train an MLP"
    assert metric(at, "Parameters") == str(2 * 8 + 8 + 2 * (8 * 8 + 8) + 8 * 2 + 2)
