"""The Activation functions lab under AppTest: every panel's widgets driven, values it shows."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from labs import activations as lab
from tests.pagetest import assert_clean, drive_widgets, open_page, switch_panel, tables

PAGE = "pages/7_Activation_Functions.py"
PANELS = [p.label for p in lab.PANELS]
GALLERY, SOFTMAX, DEPTH = PANELS


def _open(panel: str):
    at = open_page(PAGE, panel=panel)
    assert_clean(at)
    return at


def _latex(at) -> str:
    return "\n".join(item.value for item in at.latex)


@pytest.mark.parametrize("panel", PANELS)
def test_every_widget_of_every_panel_driven_without_exception(panel):
    # act_std is disabled unless the Normal initialiser is chosen: driven below.
    runs = drive_widgets(PAGE, panel=panel, max_options=3, skip=["act_std"])
    assert runs >= 5


def test_default_view_is_the_gallery():
    at = open_page(PAGE)
    assert_clean(at)
    assert not at.error and not at.warning
    assert len(at.get("plotly_chart")) == 1
    text = _latex(at)
    assert r"\textbf{ReLU}" in text and r"\textbf{Tanh}" in text
    assert "f(1) = 0.84134" in text  # GELU at the probe point x0 = 1
    table = tables(at)[0]
    assert table["activation"] == ["ReLU", "GELU", "Sigmoid", "Tanh"]
    assert table["max |f\u2032|"] == ["1", "1.129", "0.25", "1"]
    assert table["zero-centred"] == ["no", "no", "no", "yes"]


def test_gallery_formulas_follow_the_sliders():
    at = _open(GALLERY)
    at.slider(key="act_x0").set_value(-2.0)
    at.slider(key="act_alpha").set_value(2.0)
    at.multiselect(key="act_fns").set_value(["ELU"])
    at.run()
    assert_clean(at)
    text = _latex(at)
    assert r"\alpha = 2" in text
    assert "f(-2) = -1.7293" in text  # 2 (e^-2 - 1)
    assert tables(at)[0]["range"][0] == "(-2, \u221e)"


def test_empty_range_is_an_error_on_the_gallery_only():
    at = _open(GALLERY)
    at.slider(key="act_range").set_value((2.0, 2.0)).run()
    assert_clean(at)
    assert any("x_range" in e.value for e in at.error)
    switch_panel(at, PAGE, SOFTMAX)
    assert_clean(at)
    assert not at.error and "0.6381" in _latex(at)


def test_softmax_default_and_temperature():
    at = _open(SOFTMAX)
    assert "= 0.6381" in _latex(at)  # softmax of the cat logit at T = 1
    assert "0.9607" in _latex(at)  # its entropy in nats
    at.select_slider(key="act_temp").set_value(0.5).run()
    assert_clean(at)
    assert r"e^{2/0.5}" in _latex(at)


def test_naive_softmax_overflow_is_a_warning_not_an_error():
    at = _open(SOFTMAX)
    at.slider(key="act_shift").set_value(1000.0).run()
    assert_clean(at)
    assert any("overflows" in w.value for w in at.warning)
    assert not at.error
    (table,) = tables(at)
    assert table["naive exp(z)/\u03a3exp(z)"][0] == "nan"
    assert table["stable softmax (T = 1)"][0] == "0.6381"  # shift invariant
    assert table["logit z + c"] == ["1002", "1001", "1000", "999"]


def test_overflow_hint_follows_the_logits():
    at = _open(SOFTMAX)
    # log(float max) = 709.78, minus the largest logit (cat's 2.0)
    assert any(c.value.startswith("Slide c above about 708 ") for c in at.caption)
    at.slider(key="act_z0").set_value(-5.0).run()  # the largest is now dog's 1.0
    assert any(c.value.startswith("Slide c above about 709 ") for c in at.caption)


def test_depth_default_sigmoid_vanishes():
    at = _open(DEPTH)
    assert at.metric[0].value == "1.85e-16" and at.metric[3].value == "0%"
    assert any(
        h.value == "The textbook bound for Sigmoid: at most max|f′| = 0.25 per layer"
        for h in at.subheader
    )


def test_normal_init_sigma_extremes():
    at = _open(DEPTH)
    at.selectbox(key="act_init").set_value("Normal").run()
    for sigma, depth, width in [(0.01, 50, 64), (5.0, 50, 256), (5.0, 1, 256)]:
        at.select_slider(key="act_std").set_value(sigma)
        at.slider(key="act_depth").set_value(depth)
        at.select_slider(key="act_width").set_value(width)
        at.run()
        assert_clean(at, f"sigma={sigma}, depth={depth}")
        assert not at.error
    text = _latex(at)
    assert r"\operatorname{Var} W_{ij} = 25" in text
    assert r"256 \times 25 = 6.4 \times 10^{3}" in text


def test_tiny_gradients_everywhere_are_called_vanishing_not_flat():
    """Issue 15: ReLU, Normal sigma = 0.01, 30 layers: norms about 1e-29 were called flat."""
    at = _open(DEPTH)
    at.selectbox(key="act_depth_fn").set_value("ReLU")
    at.selectbox(key="act_init").set_value("Normal").run()
    at.select_slider(key="act_std").set_value(0.01).run()
    assert_clean(at)
    said = " ".join(m.value for m in at.markdown)
    assert "flat" not in said.lower().split("compare")[0]
    assert "vanish" in said.lower()
    assert float(at.metric[0].value) < 1e-20


def test_depth_relu_he_is_flat_and_shows_dead_units():
    at = _open(DEPTH)
    before = at.metric[0].value
    at.selectbox(key="act_depth_fn").set_value("ReLU")
    at.selectbox(key="act_init").set_value("He normal")
    at.run()
    assert_clean(at)
    first, last = float(at.metric[0].value), float(at.metric[1].value)
    assert 0.1 < first / last < 10 and at.metric[0].value != before
    assert at.metric[3].value != "0%"  # dead ReLUs appear deep in the stack


def test_compare_initialisations_toggle():
    at = _open(DEPTH)
    charts_before = len(at.get("plotly_chart"))
    at.toggle(key="act_compare").set_value(True).run()
    assert_clean(at)
    charts = at.get("plotly_chart")
    assert len(charts) == charts_before + 1
    by_init = [json.loads(c.proto.spec) for c in charts if "Xavier uniform" in c.proto.spec]
    assert len(by_init) == 1
    names = [trace["name"] for trace in by_init[0]["data"]]
    assert names == ["Normal", "Xavier uniform", "Xavier normal", "He uniform", "He normal"]
    # sigmoid, 30 layers: the gradient at layer 1 is far below the top under every initialisation
    for trace in by_init[0]["data"]:
        y = _ys(trace)
        assert len(y) == 30 and y[0] < 1e-3 * y[-1], trace["name"]


def _ys(trace) -> np.ndarray:
    """A trace's y values, whether Plotly sent a list or base64 binary."""
    y = trace["y"]
    if isinstance(y, dict):
        return np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"])
    return np.asarray(y, dtype=float)


def _bound(at) -> str:
    return next(h.value for h in at.subheader if h.value.startswith("The textbook bound"))


def test_depth_uses_the_activation_parameter_and_states_its_bound():
    at = _open(DEPTH)
    at.selectbox(key="act_depth_fn").set_value("ELU").run()
    assert _bound(at).endswith("max|f′| = 1 per layer")
    at.slider(key="act_alpha").set_value(2.0).run()
    assert_clean(at)
    assert _bound(at).endswith("max|f′| = 2 per layer")  # ELU's slope for x < 0 reaches alpha


def test_a_parameter_set_in_the_gallery_reaches_the_depth_panel():
    at = _open(GALLERY)
    at.slider(key="act_alpha").set_value(2.0).run()
    switch_panel(at, PAGE, DEPTH)
    at.selectbox(key="act_depth_fn").set_value("ELU").run()
    assert_clean(at)
    assert at.slider(key="act_alpha").value == 2.0
    assert _bound(at).endswith("max|f′| = 2 per layer")
