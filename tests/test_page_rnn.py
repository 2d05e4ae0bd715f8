"""The Recurrent networks lab under AppTest: every panel's widgets driven, the values it shows."""

from __future__ import annotations

import pytest

from labs import rnn as lab
from tests.pagetest import assert_clean, drive_widgets, open_page, switch_panel, tables

PAGE = "pages/10_Recurrent_Networks.py"
PANELS = [p.label for p in lab.PANELS]
UNROLLED, VANISHING, TRAIN = PANELS


def _latex(at) -> str:
    return "\n".join(item.value for item in at.latex)


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("panel", PANELS)
def test_every_widget_of_every_panel_driven_without_exception(panel):
    # rnn_forget is disabled until the LSTM toggle is on: driven below.
    runs = drive_widgets(PAGE, panel=panel, max_options=3, skip=["rnn_forget"])
    assert runs >= 8


def test_the_lab_is_in_the_algorithms_group():
    from ui.nav import LABS

    (entry,) = [x for x in LABS if x.package == "rnn"]
    assert entry.group == "Algorithms" and entry.path == PAGE


def test_unrolled_default_writes_out_the_last_step_and_passes_the_check():
    at = open_page(PAGE)
    assert_clean(at)
    assert not at.error
    text = _latex(at)
    assert r"a_{5} = x_{5} W_{xh} + h_{4} W_{hh} + b_h" in text
    assert "nothing comes back from later" in text
    values, check = tables(at)
    assert values["t"] == ["1", "2", "3", "4", "5"] and len(values["state h_t"][0].split()) == 3
    assert values["target"][:-1] == values["input x_t"][1:]  # the next value of the wave
    assert check["parameter"] == ["W_xh", "W_hh", "b_h", "W_hy", "b_y"]
    assert check["passed"] == ["yes"] * 5
    assert all(float(e) < 1e-6 for e in check["relative error"])
    assert any("BPTT agrees" in s.value for s in at.success)


def test_unrolled_step_follows_a_shorter_sequence():
    at = open_page(PAGE, panel=UNROLLED)
    at.slider(key="rnn_step").set_value(2).run()
    assert r"\frac{\partial L}{\partial a_{3}} W_{hh}^\top" in _latex(at)
    at.slider(key="rnn_length").set_value(2).run()  # step 2 still exists
    at.slider(key="rnn_length").set_value(3).run()
    assert_clean(at)
    at.selectbox(key="rnn_task").set_value("Characters").run()
    assert_clean(at)
    assert r"\frac{\partial L}{\partial a_{3}}" in _latex(at)


def test_an_old_link_with_a_step_beyond_t_is_clamped():
    at = open_page(PAGE, query={"rnn_length": "3", "rnn_step": "9"})
    assert_clean(at)
    assert r"a_{3} = x_{3}" in _latex(at)


def test_vanishing_default_is_rho_to_the_k_and_vanishes():
    at = open_page(PAGE, panel=VANISHING)
    assert_clean(at)
    text = _latex(at)
    assert r"\rho^{50} = 0.9^{50} = 0.00515" in text
    assert r"= 0.00515,\qquad \rho^{50}" in text  # measured equals rho^k (linear, orthogonal)
    assert any("vanishes" in w.value for w in at.warning)
    assert len(at.get("plotly_chart")) == 2


def test_exploding_and_clipping():
    at = open_page(PAGE, panel=VANISHING)
    at.select_slider(key="rnn_radius").set_value(1.5).run()
    assert any("explodes" in w.value for w in at.warning)
    assert r"\to\; 1\quad" in _latex(at)  # clipped to c = 1
    at.toggle(key="rnn_clip_on").set_value(False).run()
    assert r"\text{(not clipped)}" in _latex(at)
    at.select_slider(key="rnn_radius").set_value(1.0).run()
    assert any("keeps its size" in s.value for s in at.success)


def test_train_panel_opens_trained_and_the_buttons_work():
    at = open_page(PAGE, panel=TRAIN)
    assert_clean(at)
    m = _metrics(at)
    assert m["steps"] == "200" and float(m["held-out RMSE"]) < 0.1
    at.button(key="rnn_btn_step").click().run()
    assert _metrics(at)["steps"] == "400"
    at.button(key="rnn_btn_reset").click().run()
    assert _metrics(at)["steps"] == "0"
    assert any("Untrained" in i.value for i in at.info)
    at.button(key="rnn_btn_train").click().run()
    assert _metrics(at)["steps"] == "200"


def test_train_without_clipping_diverges_and_clipping_rescues_it():
    at = open_page(PAGE, panel=TRAIN)
    at.selectbox(key="rnn_opt").set_value("SGD")
    at.select_slider(key="rnn_lr").set_value(0.3)
    at.select_slider(key="rnn_init_radius").set_value(1.0)
    at.slider(key="rnn_tlength").set_value(30)
    at.toggle(key="rnn_tclip_on").set_value(False)
    at.select_slider(key="rnn_steps").set_value(300).run()
    at.button(key="rnn_btn_train").click().run()
    assert_clean(at)
    assert any("diverged" in e.value for e in at.error)
    at.toggle(key="rnn_tclip_on").set_value(True).run()
    at.button(key="rnn_btn_train").click().run()
    assert not at.error and _metrics(at)["steps"] == "300"


def test_characters_task_shows_the_prediction_table():
    at = open_page(PAGE, panel=TRAIN)
    at.selectbox(key="rnn_ttask").set_value("Characters").run()
    at.button(key="rnn_btn_train").click().run()
    assert_clean(at)
    (table,) = tables(at)
    assert table["step"] == ["input", "target", "predicted"] and len(table) == 15
    assert {table[str(t)][1] for t in range(1, 15)} <= {f"'{c}'" for c in "dehlorw "}
    assert int(_metrics(at)["held-out accuracy"].rstrip("%")) >= 80
    switch_panel(at, PAGE, UNROLLED)
    assert_clean(at)


def test_arriving_from_the_unrolled_graph_does_not_press_a_button():
    """The unrolled panel's step slider once shared its key with the Step button (always pressed)."""
    at = open_page(PAGE, panel=UNROLLED)
    switch_panel(at, PAGE, TRAIN)
    assert_clean(at)
    assert _metrics(at)["steps"] == "200"


def test_lstm_comparison_keeps_the_gradient():
    at = open_page(PAGE, panel=VANISHING)
    at.toggle(key="rnn_lstm").set_value(True).run()
    assert_clean(at)
    assert r"f_t \approx \sigma(b_f) = 0.731" in _latex(at)
    for bias in (-2.0, 5.0):
        at.select_slider(key="rnn_forget").set_value(bias).run()
        assert_clean(at, f"forget bias {bias}")
    assert r"\sigma(b_f) = 0.993" in _latex(at)
    assert len(at.get("plotly_chart")) == 2
