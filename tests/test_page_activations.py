"""The activation-functions page under AppTest: every widget driven, and the values it shows."""

from __future__ import annotations

import base64
import json

import numpy as np

from tests.pagetest import assert_clean, drive_widgets, open_page

PAGE = "pages/7_Activation_Functions.py"


def _latex(at) -> str:
    return "\n".join(item.value for item in at.latex)


def test_every_widget_without_exception():
    # act_std is disabled unless the Normal initialiser is chosen: driven below.
    runs = drive_widgets(PAGE, max_options=3, skip=["act_std"])
    assert runs > 35


def test_normal_init_sigma_extremes():
    at = open_page(PAGE)
    at.selectbox(key="act_init").set_value("Normal")
    at.run()
    for sigma, depth, width in [(0.01, 50, 64), (5.0, 50, 256), (5.0, 1, 256)]:
        at.select_slider(key="act_std").set_value(sigma)
        at.slider(key="act_depth").set_value(depth)
        at.select_slider(key="act_width").set_value(width)
        at.run()
        assert_clean(at, f"sigma={sigma}, depth={depth}")
        assert not at.error
    text = _latex(at)
    assert (
        r"\operatorname{Var} W_{ij} = 25" in text and r"256 \times 25 = 6.4 \times 10^{3}" in text
    )


def test_default_view():
    at = open_page(PAGE)
    assert_clean(at)
    assert not at.error and not at.warning
    text = _latex(at)
    assert r"\textbf{ReLU}" in text and r"\textbf{Tanh}" in text
    assert "f(1) = 0.84134" in text  # GELU at the probe point x0 = 1
    assert "0.6381" in text  # softmax of the cat logit at T = 1
    table = at.dataframe[0].value
    assert list(table["activation"]) == ["ReLU", "GELU", "Sigmoid", "Tanh"]
    assert list(table["max |f\u2032|"]) == [1.0, 1.1289, 0.25, 1.0]
    assert at.metric[3].value == "0%"  # no dead sigmoid units


def test_formulas_follow_the_sliders():
    at = open_page(PAGE)
    at.slider(key="act_x0").set_value(-2.0)
    at.select_slider(key="act_temp").set_value(0.5)
    at.slider(key="act_alpha").set_value(2.0)
    at.multiselect(key="act_fns").set_value(["ELU"])
    at.run()
    assert_clean(at)
    text = _latex(at)
    assert r"\alpha = 2" in text
    assert "f(-2) = -1.7293" in text  # 2 (e^-2 - 1)
    assert r"e^{2/0.5}" in text
    assert at.dataframe[0].value["range"][0] == "(-2, \u221e)"


def test_naive_softmax_overflow_is_a_warning_not_an_error():
    at = open_page(PAGE)
    at.slider(key="act_shift").set_value(1000.0)
    at.run()
    assert_clean(at)
    assert any("overflows" in w.value for w in at.warning)
    assert not at.error
    table = at.dataframe[1].value
    assert table["naive exp(z)/\u03a3exp(z)"][0] == "nan"
    assert table["stable softmax (T = 1)"][0] == "0.6381"  # shift invariant


def test_empty_range_is_an_error_and_the_rest_keeps_working():
    at = open_page(PAGE)
    at.slider(key="act_range").set_value((2.0, 2.0))
    at.run()
    assert_clean(at)
    assert any("x_range" in e.value for e in at.error)
    assert "0.6381" in _latex(at)  # softmax panel still there
    assert len(at.metric) == 4  # depth panel still there


def test_depth_panel_relu_he_is_flat():
    at = open_page(PAGE)
    before = at.metric[0].value
    at.selectbox(key="act_depth_fn").set_value("ReLU")
    at.selectbox(key="act_init").set_value("He normal")
    at.run()
    assert_clean(at)
    first, last = float(at.metric[0].value), float(at.metric[1].value)
    assert 0.1 < first / last < 10 and at.metric[0].value != before
    assert at.metric[3].value != "0%"  # dead ReLUs appear deep in the stack


def test_compare_initialisations_toggle():
    at = open_page(PAGE)
    charts_before = len(at.get("plotly_chart"))
    at.toggle(key="act_compare").set_value(True)
    at.run()
    assert_clean(at)
    charts = at.get("plotly_chart")
    assert len(charts) == charts_before + 1
    by_init = [json.loads(c.proto.spec) for c in charts if "Normal" in c.proto.spec]
    assert len(by_init) == 1
    assert [trace["name"] for trace in by_init[0]["data"]] == [
        "Normal",
        "Xavier uniform",
        "Xavier normal",
        "He uniform",
        "He normal",
    ]
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


def test_overflow_hint_follows_the_logits():
    at = open_page(PAGE)
    assert any(
        c.value.startswith("Slide c above about 708 ") for c in at.caption
    )  # 709.78 - max z (2.0)
    at.slider(key="act_z0").set_value(-5.0).run()  # max z is now dog's 1.0
    assert any(c.value.startswith("Slide c above about 709 ") for c in at.caption)


def test_depth_panel_uses_the_gallery_parameters_and_states_its_bound():
    at = open_page(PAGE)
    assert any(
        h.value == "The textbook bound for Sigmoid: at most max|f′| = 0.25 per layer"
        for h in at.subheader
    )
    at.selectbox(key="act_depth_fn").set_value("ELU").run()
    bound = lambda: next(h.value for h in at.subheader if h.value.startswith("The textbook bound"))  # noqa: E731
    assert bound().endswith("max|f′| = 1 per layer")
    at.slider(key="act_alpha").set_value(2.0).run()
    assert_clean(at)
    assert bound().endswith("max|f′| = 2 per layer")  # ELU's slope for x < 0 reaches alpha
    assert any(c.value == "With alpha = 2, as set in section 1." for c in at.caption)
