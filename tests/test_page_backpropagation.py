"""The backpropagation page under AppTest: every widget, the training buttons, the bad-input paths."""

from __future__ import annotations

import re
import time

import pytest

from tests.pagetest import assert_clean, drive_widgets, open_page

PAGE = "pages/6_Backpropagation.py"


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def latex(at):
    return "\n".join(e.value for e in at.latex)


@pytest.fixture(scope="module")
def page():
    return open_page(PAGE)


def test_drive_every_widget():
    # Sliders of the graph and the 2-2-1 step are all alike: a few represent them.
    start = time.perf_counter()
    alike = {
        "bp_g_x2",
        "bp_g_w2",
        "bp_g_b",
        "bp_g_t",
        "bp_s_x2",
        "bp_s_seed",
        "bp_seed",
        "bp_classes",
    }
    runs = drive_widgets(PAGE, max_options=2, skip=alike)
    assert runs > 30
    assert time.perf_counter() - start < 60


def test_default_view_is_trained_and_accurate(page):
    assert_clean(page)
    assert not page.error
    assert metric(page, "Epoch") == "100"
    assert float(metric(page, "Test accuracy")) >= 0.95
    assert len(page.get("plotly_chart")) >= 6


def test_controls_a_data_set_ignores_are_greyed_out():
    at = open_page(PAGE)
    classes = at.slider(key="bp_classes")
    noise = at.select_slider(key="bp_noise")
    assert classes.disabled and not noise.disabled  # moons: noise yes, classes no
    at.selectbox(key="bp_data").set_value("blobs").run()
    assert not at.slider(key="bp_classes").disabled
    assert at.select_slider(key="bp_noise").disabled
    assert_clean(at)


def test_graph_latex_follows_the_sliders():
    at = open_page(PAGE)
    at.slider(key="bp_g_step").set_value(0)
    at.slider(key="bp_g_x1").set_value(2.0)
    at.run()
    assert_clean(at)
    # z = 0.8*2 + 0.4*(-0.5) + 0.1 = 1.5
    assert r"(f(1.5) - 1)^2" in latex(at)
    at.slider(key="bp_g_step").set_value(1).run()
    assert r"\partial L/\partial\,\mathrm{L}" in latex(at) and "local" in latex(at)


def test_step_latex_uses_the_learning_rate():
    at = open_page(PAGE)
    at.select_slider(key="bp_s_lr").set_value(2.0).run()
    assert_clean(at)
    assert r"W_1 \leftarrow W_1 - 2\," in latex(at)


def test_step_buttons_continue_and_reset_starts_over():
    at = open_page(PAGE)
    at.button(key="bp_step1").click().run()
    assert metric(at, "Epoch") == "101"
    at.button(key="bp_step10").click().run()
    assert metric(at, "Epoch") == "111"
    at.button(key="bp_reset").click().run()
    assert metric(at, "Epoch") == "0"
    at.button(key="bp_step10").click().run()
    assert metric(at, "Epoch") == "10"
    assert_clean(at)


def test_exploding_learning_rate_is_flagged_and_stops():
    at = open_page(PAGE)
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
    assert len(at.get("plotly_chart")) >= 6  # the rest of the page keeps working


def test_no_hidden_layer_and_one_class_after_split():
    at = open_page(PAGE)
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
    def worst(at):
        text = next(e.value for e in at.latex if "rel. error" in e.value)
        mant, exp = re.search(r"\\max = (-?[\d.]+) \\times 10\^\{(-?\d+)\}", text).groups()
        return float(mant) * 10.0 ** int(exp)

    at = open_page(PAGE)
    ok = worst(at)
    at.toggle(key="bp_broken").set_value(True).run()
    assert_clean(at)
    assert ok < 1e-6 and worst(at) > 1e-2
