"""The Linear Algebra page under AppTest: every widget driven, values bound to the controls."""

from __future__ import annotations

import numpy as np
import pytest

from tests.pagetest import assert_clean, drive_widgets, open_page

PAGE = "pages/1_Linear_Algebra.py"


@pytest.fixture
def at():
    page = open_page(PAGE)
    assert_clean(page)
    return page


def _latex(at) -> str:
    return "\n".join(el.value for el in at.latex)


def test_every_widget_driven_without_exception():
    runs = drive_widgets(PAGE, max_options=2)
    assert runs > 40


def test_default_view_shows_every_panel(at):
    assert not at.error and not at.exception
    assert len(at.get("plotly_chart")) >= 7
    assert len(at.get("expander")) >= 6  # one "Show the NumPy code" per panel
    text = _latex(at)
    assert r"u\cdot v = (3)(1) + (1)(3) = 6" in text
    assert r"\det A = ad - bc = 3" in text  # the default [[2, 1], [1, 2]]


def test_vector_sliders_drive_the_formulas(at):
    at.slider(key="la_u1").set_value(0.0)
    at.slider(key="la_u2").set_value(2.0)
    at.slider(key="la_v1").set_value(3.0)
    at.slider(key="la_v2").set_value(0.0)
    at.run()
    assert_clean(at)
    text = _latex(at)
    assert r"(0)(3) + (2)(0) = 0" in text and r"\theta = 90.0^\circ" in text
    # a zero vector: the angle is undefined, said in words rather than shown as NaN
    at.slider(key="la_u2").set_value(0.0).run()
    assert_clean(at)
    assert any("zero vector" in w.value for w in at.warning)


def test_preset_loads_the_matrix_and_complex_eigenvalues_are_explained(at):
    at.selectbox(key="la_preset").select("Rotation + scaling (complex eigenvalues)").run()
    assert_clean(at)
    assert [at.number_input(key=k).value for k in ("la_a11", "la_a12", "la_a21", "la_a22")] == [0.9, -0.6, 0.6, 0.9]
    text = _latex(at)
    r, theta = np.hypot(0.9, 0.6), np.degrees(np.arctan2(0.6, 0.9))
    assert f"r = {r:.4g}" in text and f"{theta:.1f}^\\circ" in text


def test_preset_caption_only_while_the_numbers_are_the_presets():
    at = open_page(PAGE)
    at.selectbox(key="la_preset").select("Reflection across the x-axis").run()
    assert any("orientation flips" in c.value for c in at.caption)
    at.number_input(key="la_a22").set_value(1.0).run()
    assert_clean(at)
    assert not any("orientation flips" in c.value for c in at.caption)
    assert any(c.value == "edited from the preset Reflection across the x-axis" for c in at.caption)


def test_singular_matrix_is_flagged(at):
    at.selectbox(key="la_preset").select("Projection onto the x-axis (singular)").run()
    assert_clean(at)
    assert any("singular" in w.value for w in at.warning)


def test_typed_entries_change_the_determinant(at):
    at.number_input(key="la_a11").set_value(3.0)
    at.number_input(key="la_a22").set_value(-1.0)
    at.run()
    assert_clean(at)
    assert r"\det A = ad - bc = -4" in _latex(at)


def test_singular_systems_say_which_kind(at):
    for system, message in [("2x2, no solution", "no solution"), ("3x3, infinitely many", "infinitely many solutions")]:
        at.selectbox(key="la_system").select(system).run()
        assert_clean(at)
        assert any(message in e.value for e in at.error)
        assert len(at.get("plotly_chart")) >= 7  # the other panels keep working


def test_typed_system_is_solved_with_steps(at):
    at.text_area(key="la_sys_a").input("0 1; 1 0").run()
    at.text_input(key="la_sys_b").input("2 3").run()
    assert_clean(at)
    step = at.select_slider(key="la_step")
    assert "swap R1 <-> R2" in step.options[1]
    assert r"x = \begin{pmatrix}3 \\ 2\end{pmatrix}" in _latex(at)


def test_bad_matrix_text_gives_a_message(at):
    cases = {
        "1 2; 3": "A: every row needs the same number of entries, got [1, 2]",
        "import os": "A, row 1: 'import' is not a number",
        "1e999 0; 0 1": "A must contain only finite numbers",
        "": "A is empty: type numbers",
    }
    for text, message in cases.items():
        at.text_area(key="la_sys_a").input(text).run()
        assert_clean(at)
        assert any(e.value.startswith(message) for e in at.error), (text, [e.value for e in at.error])
        assert len(at.get("plotly_chart")) >= 6, "the other panels keep working"


def test_near_singular_condition_number_and_singular_end(at):
    at.select_slider(key="la_eps").set_value(1e-4).run()
    assert_clean(at)
    kappa = float(next(m for m in at.metric if "Condition" in m.label).value)
    assert kappa == pytest.approx(np.linalg.cond([[1, 1], [1, 1 + 1e-4]]), rel=1e-3)
    at.select_slider(key="la_eps").set_value(0.0).run()
    assert_clean(at)
    assert any("infinitely many" in e.value for e in at.error)


def test_power_iteration_rate_and_null_space_start(at):
    at.slider(key="la_ratio").set_value(-0.8).run()
    assert_clean(at)
    assert r"\left|\lambda_2/\lambda_1\right| = 0.800" in _latex(at)
    at.slider(key="la_ratio").set_value(0.0)
    at.slider(key="la_start").set_value(120)
    at.run()
    assert_clean(at)
    assert any("null space" in e.value for e in at.error)
