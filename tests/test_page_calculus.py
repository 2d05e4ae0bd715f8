"""The Calculus page under AppTest: every widget driven, formulas bound to the controls, bad input shown."""

from __future__ import annotations

import math
import re

import pytest

from tests.pagetest import HOSTILE_TEXTS, assert_clean, drive_widgets, open_page

PAGE = "pages/3_Calculus.py"


@pytest.fixture(scope="module")
def default():
    at = open_page(PAGE)
    assert_clean(at, "on first load")
    return at


def _latex(at) -> str:
    return "\n".join(e.value for e in at.latex)


def test_every_widget_is_driven_without_an_exception():
    # three hostile texts per formula box here; the full list runs against dlcore.expr in test_expr
    runs = drive_widgets(PAGE, max_options=3, texts=HOSTILE_TEXTS[:3])
    assert runs >= 30


def test_default_view_shows_every_section_with_no_error(default):
    assert not default.error and not default.warning
    assert len(default.header) == 6
    assert len(default.get("plotly_chart")) >= 8
    text = _latex(default)
    assert r"f(x) = \sin\left(x\right)" in text and r"f'(x) = \cos\left(x\right)" in text


def test_derivative_latex_follows_the_point_slider():
    at = open_page(PAGE)
    at.slider(key="calc_x0").set_value(0.0).run()
    assert_clean(at)
    assert "f'(0) = 1" in _latex(at)
    at.select_slider(key="calc_h").set_value(1e-06).run()
    metric = at.metric[0]
    assert metric.label == "Secant slope − tangent slope" and abs(float(metric.value)) < 1e-5


def test_own_formula_is_differentiated_exactly_and_hostile_text_is_refused():
    at = open_page(PAGE)
    at.selectbox(key="calc_curve").set_value("Type your own formula").run()
    at.text_input(key="calc_fx").set_value("x^3 - 3*x").run()
    assert_clean(at)
    assert "f'(x) = 3 x^{2} - 3" in _latex(at)
    for hostile in ("__import__('os').system('echo pwned')", "x.__class__", "9**9**9", "2x"):
        at.text_input(key="calc_fx").set_value(hostile).run()
        assert_clean(at, hostile)
        assert at.error, f"{hostile!r} should be reported"
        assert len(at.header) == 3, "the chain rule, gradient and flow sections keep working"


def test_chain_rule_numbers_match_the_sliders():
    at = open_page(PAGE)
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
    at = open_page(PAGE)
    at.selectbox(key="calc_surface").set_value("Quadratic bowl").run()
    at.slider(key="calc_px").set_value(1.0).run()
    at.slider(key="calc_py").set_value(-2.0).run()
    assert_clean(at)
    text = _latex(at)
    assert r"\begin{pmatrix} 1 \\ -2 \end{pmatrix}" in text
    at.selectbox(key="calc_surface").set_value("Type your own formula").run()
    at.text_input(key="calc_fxy").set_value("x + z").run()
    assert_clean(at)
    assert any("unknown name 'z'" in e.value for e in at.error)


def test_integration_error_and_large_learning_rate_warning():
    at = open_page(PAGE)
    at.segmented_control(key="calc_rule").set_value("simpson").run()
    at.slider(key="calc_n").set_value(64).run()
    assert_clean(at)
    caption = next(c.value for c in at.caption if "Fitted orders" in c.value)
    orders = {rule: float(p) for rule, p in re.findall(r"(\w+) p = (\d+\.\d+)", caption)}
    assert orders == pytest.approx(
        {"left": 1, "right": 1, "midpoint": 2, "trapezoid": 2, "simpson": 4}, abs=0.2
    )
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
