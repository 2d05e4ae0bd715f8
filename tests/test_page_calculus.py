"""The Calculus lab under AppTest: every panel driven, formulas bound to the controls, bad input shown."""

from __future__ import annotations

import math
import re

import pytest

from dlcore.views.calculus import OWN
from labs import calculus as lab
from tests.pagetest import HOSTILE_TEXTS, assert_clean, drive_widgets, open_page

PAGE = "pages/3_Calculus.py"
PANELS = [p.label for p in lab.PANELS]
# Beyond the shared list: over-long, unicode, and formulas that parse but misbehave numerically.
FORMULA_TEXTS = (*HOSTILE_TEXTS, "x" * 10_000, "√x + ∞", "1/x", "exp(1000*x)", "log(x)", "2x")


def _open(panel: str, **query: str):
    at = open_page(PAGE, panel=panel, query=query or None)
    assert_clean(at, f"on {panel}")
    return at


def _switch(at, panel: str):
    """Open another panel, as a click on its tab does (the URL's panel would win over state alone)."""
    at.query_params["calc_panel"] = panel
    at.session_state["calc_panel"] = panel
    return at.run()


def _latex(at) -> str:
    return "\n".join(e.value for e in at.latex)


def _messages(at) -> list[str]:
    return [e.value for e in at.error] + [w.value for w in at.warning]


@pytest.mark.parametrize("panel", PANELS)
def test_every_widget_of_every_panel_is_driven_without_an_exception(panel):
    runs = drive_widgets(PAGE, panel=panel, max_options=3)
    assert runs >= 8


def test_default_view_is_the_derivative_panel_with_no_message():
    at = open_page(PAGE)
    assert_clean(at)
    assert not at.error and not at.warning
    assert len(at.get("plotly_chart")) == 1
    text = _latex(at)
    assert r"f(x) = \sin\left(x\right)" in text and r"f'(x) = \cos\left(x\right)" in text


def test_derivative_latex_follows_the_point_slider():
    at = _open("Derivative")
    at.slider(key="calc_x0").set_value(0.0).run()
    assert_clean(at)
    assert "f'(0) = 1" in _latex(at)
    at.select_slider(key="calc_h").set_value(1e-06).run()
    metric = at.metric[0]
    assert metric.label == "Secant slope − tangent slope" and abs(float(metric.value)) < 1e-5


def test_finite_differences_show_every_quotient_and_the_best_steps():
    at = _open("Finite differences")
    assert len(at.get("plotly_chart")) == 1
    text = _latex(at)
    for label in ("forward", "backward", "central", "exact"):
        assert rf"\text{{{label}:}}" in text
    caption = next(c.value for c in at.caption if c.value.startswith("Best h"))
    steps = dict(re.findall(r"(\w+) (\de-\d+)", caption))
    assert set(steps) == {"forward", "backward", "central"}
    # truncation O(h) against round-off eps/h balances near 1e-8; O(h^2) near 1e-5
    assert 1e-10 <= float(steps["forward"]) <= 1e-6
    assert 1e-7 <= float(steps["central"]) <= 1e-3


def test_own_formula_is_differentiated_exactly_and_hostile_text_is_refused():
    at = _open("Derivative", calc_curve=OWN)
    at.text_input(key="calc_fx").set_value("x^3 - 3*x").run()
    assert_clean(at)
    assert "f'(x) = 3 x^{2} - 3" in _latex(at)
    for hostile in ("__import__('os').system('echo pwned')", "x.__class__", "9**9**9", "2x"):
        at.text_input(key="calc_fx").set_value(hostile).run()
        assert_clean(at, hostile)
        assert at.error, f"{hostile!r} should be reported"
        # the panel itself keeps its picker, so the formula can be fixed in place
        assert at.text_input(key="calc_fx").value == hostile
        assert at.selectbox(key="calc_curve").value == OWN
    _switch(at, "Chain rule")
    assert_clean(at)
    assert not at.error and at.metric  # another panel of the lab is unaffected


@pytest.mark.parametrize("panel", ["Derivative", "Finite differences", "Integration"])
def test_every_formula_text_ends_in_a_view_or_a_message(panel):
    at = _open(panel, calc_curve=OWN)
    for text in FORMULA_TEXTS:
        at.text_input(key="calc_fx").set_value(text).run()
        assert_clean(at, f"{panel} with {text[:40]!r}")
        shown = len(at.get("plotly_chart")) + len(at.latex)
        assert _messages(at) or shown, f"{panel} with {text[:40]!r} is blank"
        if text in ("", "x" * 10_000, "2x") or text.startswith("__"):
            assert at.error, f"{text[:40]!r} should be refused by the parser"


def test_log_on_the_default_range_says_where_it_is_undefined():
    # issue 15: ValueError("exact must be finite") from convergence reached the page
    at = _open("Integration", calc_curve=OWN)
    at.text_input(key="calc_fx").set_value("log(x)").run()
    assert_clean(at)
    assert any(
        "log(x) is undefined for x ≤ 0, which lies in [-2.4, 1.8]" in w.value for w in at.warning
    )
    assert len(at.get("plotly_chart")) == 1  # f is still drawn where it is defined
    assert at.expander  # and the code behind it is still there
    _switch(at, "Derivative")
    assert_clean(at)
    assert any("x₀ = -0.9 lies there" in w.value for w in at.warning)
    assert len(at.get("plotly_chart")) == 1


def test_overflow_on_the_default_range_says_where_it_overflows():
    at = _open("Integration", calc_curve=OWN)
    at.text_input(key="calc_fx").set_value("exp(1000*x)").run()
    assert_clean(at)
    assert any("overflows" in w.value and "x ≥ 0.691" in w.value for w in at.warning)
    assert len(at.get("plotly_chart")) == 1


def test_integral_over_a_pole_is_said_to_diverge_not_shown_as_a_number():
    # issue 15: 1/x on [-2.4, 1.8] showed -9.22 as the integral
    at = _open("Integration", calc_curve=OWN)
    at.text_input(key="calc_fx").set_value("1/x").run()
    assert_clean(at)
    assert any("diverges" in w.value and "x = 0" in w.value for w in at.warning)
    shown = _latex(at) + " ".join(c.value for c in at.caption)
    assert "-9.22" not in shown and r"\approx" not in shown
    # an interval clear of the pole integrates again: log(1.8 / 0.2)
    at.slider(key="calc_ab").set_value((0.2, 1.8))
    at.segmented_control(key="calc_rule").set_value("simpson")
    at.slider(key="calc_n").set_value(64).run()
    assert_clean(at)
    assert not at.warning
    assert r"\approx" in _latex(at)
    reference = next(c.value for c in at.caption if "Reference value" in c.value)
    assert f"{math.log(9):.10f}" in reference


def test_integration_orders_are_fitted_from_the_rules():
    at = _open("Integration")
    at.segmented_control(key="calc_rule").set_value("simpson")
    at.slider(key="calc_n").set_value(64).run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 2
    caption = next(c.value for c in at.caption if "Fitted orders" in c.value)
    orders = {rule: float(p) for rule, p in re.findall(r"(\w+) p = (\d+\.\d+)", caption)}
    assert orders == pytest.approx(
        {"left": 1, "right": 1, "midpoint": 2, "trapezoid": 2, "simpson": 4}, abs=0.2
    )


def test_chain_rule_numbers_match_the_sliders():
    at = _open("Chain rule")
    at.slider(key="calc_chain_x").set_value(0.5).run()
    assert_clean(at)
    product = float(next(m.value for m in at.metric if m.label.startswith("Chain rule")))
    assert product == pytest.approx(math.cos(1.25) * 1.0, rel=1e-8)
    assert "u = h(0.5) = 1.25" in _latex(at)
    at.text_input(key="calc_outer").set_value("log(u)").run()
    at.text_input(key="calc_inner").set_value("x - 2").run()
    assert_clean(at)
    assert any("not defined" in e.value for e in at.error)


def test_gradient_latex_and_bad_surface_formula():
    at = _open("Gradients")
    at.selectbox(key="calc_surface").set_value("Quadratic bowl").run()
    at.slider(key="calc_px").set_value(1.0).run()
    at.slider(key="calc_py").set_value(-2.0).run()
    assert_clean(at)
    assert r"\begin{pmatrix} 1 \\ -2 \end{pmatrix}" in _latex(at)
    assert len(at.get("plotly_chart")) == 2
    at.toggle(key="calc_show3d").set_value(True).run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 3  # the 3-D surface only on request
    at.selectbox(key="calc_surface").set_value(OWN).run()
    for text in FORMULA_TEXTS:
        at.text_input(key="calc_fxy").set_value(text).run()
        assert_clean(at, text[:40])
    at.text_input(key="calc_fxy").set_value("x + z").run()
    assert_clean(at)
    assert any("unknown name 'z'" in e.value for e in at.error)


def test_large_learning_rate_warning_blames_the_rate_or_the_surface():
    at = _open("Gradient flow")
    at.select_slider(key="calc_lr").set_value(0.3).run()
    assert_clean(at)
    assert any("diverged" in w.value and "2 / (largest curvature)" in w.value for w in at.warning)
    # The saddle has no minimum: a small rate still runs off, and the page must not blame the rate.
    at.selectbox(key="calc_flow_surface").set_value("Saddle").run()
    at.select_slider(key="calc_lr").set_value(0.1).run()
    at.slider(key="calc_steps").set_value(200).run()
    assert_clean(at)
    warnings = [w.value for w in at.warning]
    assert any("unbounded below" in w for w in warnings) and not any(
        "2 / (largest" in w for w in warnings
    )


def test_an_old_link_with_integration_controls_keeps_their_values():
    at = open_page(PAGE, query={"calc_rule": "simpson", "calc_n": "8"})
    assert_clean(at)
    assert at.session_state["calc_panel"] == "Integration"
    assert at.segmented_control(key="calc_rule").value == "simpson"
    assert at.slider(key="calc_n").value == 8
