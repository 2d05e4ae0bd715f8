"""The Linear Algebra lab under AppTest: every panel's widgets driven, values bound to the controls."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore import linalg as la
from dlcore import transforms2d as t2d
from dlcore.tex import tex_matrix, tex_vector
from labs import linear_algebra as lab
from tests.pagetest import assert_clean, drive_widgets, open_page

PAGE = "pages/1_Linear_Algebra.py"
PANELS = [p.label for p in lab.PANELS]


def _open(panel: str):
    at = open_page(PAGE, panel=panel)
    assert_clean(at)
    return at


def _latex(at) -> str:
    return "\n".join(el.value for el in at.latex)


@pytest.mark.parametrize("panel", PANELS)
def test_every_widget_of_every_panel_driven_without_exception(panel):
    runs = drive_widgets(PAGE, panel=panel, max_options=3)
    assert runs >= 2


def test_default_view_is_the_vectors_panel():
    at = open_page(PAGE)
    assert_clean(at)
    assert not at.error and len(at.get("plotly_chart")) == 1
    assert len(at.get("expander")) == 1  # the view's script, its embed link, the code
    assert r"u\cdot v = (3)(1) + (1)(3) = 6" in _latex(at)


def test_vector_sliders_drive_the_formulas():
    at = _open("Vectors")
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


def test_transform_default_and_preset_loads_the_matrix():
    at = _open("Transformations")
    assert r"\det A = ad - bc = 3" in _latex(at)  # the default [[2, 1], [1, 2]]
    at.selectbox(key="la_preset").select("Rotation + scaling (complex eigenvalues)").run()
    assert_clean(at)
    assert [at.number_input(key=k).value for k in ("la_a11", "la_a12", "la_a21", "la_a22")] == [
        0.9,
        -0.6,
        0.6,
        0.9,
    ]
    text = _latex(at)
    r, theta = np.hypot(0.9, 0.6), np.degrees(np.arctan2(0.6, 0.9))
    assert f"r = {r:.4g}" in text and f"{theta:.1f}^\\circ" in text


def test_preset_caption_only_while_the_numbers_are_the_presets():
    at = _open("Transformations")
    at.selectbox(key="la_preset").select("Reflection across the x-axis").run()
    assert any("orientation flips" in c.value for c in at.caption)
    at.number_input(key="la_a22").set_value(1.0).run()
    assert_clean(at)
    assert not any("orientation flips" in c.value for c in at.caption)
    assert any(c.value == "edited from Reflection across the x-axis" for c in at.caption)


def test_singular_matrix_is_flagged():
    at = _open("Transformations")
    at.selectbox(key="la_preset").select("Projection onto the x-axis (singular)").run()
    assert_clean(at)
    assert any("singular" in w.value for w in at.warning)


def test_typed_entries_change_the_determinant():
    at = _open("Transformations")
    at.number_input(key="la_a11").set_value(3.0)
    at.number_input(key="la_a22").set_value(-1.0)
    at.run()
    assert_clean(at)
    assert r"\det A = ad - bc = -4" in _latex(at)


def test_singular_systems_say_which_kind_and_still_draw_the_picture():
    at = _open("Linear systems")
    for system, message in [
        ("2x2, no solution", "no solution"),
        ("3x3, infinitely many", "infinitely many solutions"),
    ]:
        at.selectbox(key="la_system").select(system).run()
        assert_clean(at)
        assert any(message in e.value for e in at.error)
        assert len(at.get("plotly_chart")) == 1  # parallel lines are the picture of "no solution"


def test_typed_system_is_solved_with_steps():
    at = _open("Linear systems")
    at.text_area(key="la_sys_a").input("0 1; 1 0").run()
    at.text_input(key="la_sys_b").input("2 3").run()
    assert_clean(at)
    step = at.select_slider(key="la_step")
    assert "swap R1 <-> R2" in step.options[1]
    assert r"x = \begin{pmatrix}3 \\ 2\end{pmatrix}" in _latex(at)


def test_bad_matrix_text_gives_a_message():
    at = _open("Linear systems")
    cases = {
        "1 2; 3": "A: every row needs the same number of entries, got [1, 2]",
        "import os": "A, row 1: 'import' is not a number",
        "1e999 0; 0 1": "A must contain only finite numbers",
        "": "A is empty: type numbers",
    }
    for text, message in cases.items():
        at.text_area(key="la_sys_a").input(text).run()
        assert_clean(at)
        assert any(e.value.startswith(message) for e in at.error), (
            text,
            [e.value for e in at.error],
        )
        assert not at.exception


def test_near_singular_condition_number_and_singular_end():
    at = _open("Conditioning")
    at.select_slider(key="la_eps").set_value(1e-4).run()
    assert_clean(at)
    kappa = float(next(m for m in at.metric if "Condition" in m.label).value)
    assert kappa == pytest.approx(np.linalg.cond([[1, 1], [1, 1 + 1e-4]]), rel=1e-3)
    at.select_slider(key="la_eps").set_value(0.0).run()
    assert_clean(at)
    assert any("infinitely many" in e.value for e in at.error)


def test_power_iteration_rate_and_null_space_start():
    at = _open("Power iteration")
    at.slider(key="la_ratio").set_value(-0.8).run()
    assert_clean(at)
    assert r"\left|\lambda_2/\lambda_1\right| = 0.800" in _latex(at)
    at.slider(key="la_ratio").set_value(0.0)
    at.slider(key="la_start").set_value(120)
    at.run()
    assert_clean(at)
    assert any("null space" in e.value for e in at.error)


def test_products_show_both_orders_and_say_when_they_commute():
    at = _open("Products")
    A, B = (t2d.TRANSFORMS[n].as_array() for n in ("Stretch along a diagonal", "Rotation by 30°"))
    assert tex_matrix(B @ A, digits=3) in _latex(at) and tex_matrix(A @ B, digits=3) in _latex(at)
    assert not at.success
    at.selectbox(key="la_prod_a").select("Rotation + scaling (complex eigenvalues)").run()
    assert_clean(at)
    assert any("commute" in s.value for s in at.success)  # two rotation-scalings commute


def test_elimination_step_follows_the_example():
    """Issue 15, case 1: last step of a 3x3 system, then a singular 3x3, then a 2x2."""
    at = _open("Linear systems")
    at.selectbox(key="la_system").select("3x3, one solution").run()
    last = len(at.select_slider(key="la_step").options) - 1
    at.select_slider(key="la_step").set_value(last).run()
    at.selectbox(key="la_system").select("3x3, no solution").run()
    assert_clean(at)
    at.selectbox(key="la_system").select("2x2, one solution").run()
    assert_clean(at)
    step = at.select_slider(key="la_step")
    assert step.value == len(step.options) - 1  # a new example opens at its solved last step
    assert r"x = \begin{pmatrix}2 \\ 1\end{pmatrix}" in _latex(at)


def test_a_typed_smaller_system_clamps_the_step():
    at = _open("Linear systems")
    at.selectbox(key="la_system").select("3x3, one solution").run()
    at.select_slider(key="la_step").set_value(len(at.select_slider(key="la_step").options) - 1)
    at.run()
    at.text_area(key="la_sys_a").input("2 0; 0 4").run()
    at.text_input(key="la_sys_b").input("2 4").run()
    assert_clean(at)
    assert r"x = \begin{pmatrix}1 \\ 1\end{pmatrix}" in _latex(at)


def test_least_squares_fit_matches_numpy():
    at = _open("Least squares")
    at.slider(key="la_points").set_value(50).run()
    assert_clean(at)
    x, y = la.noisy_line(50, slope=1.5, intercept=0.5, noise=0.8, rng=0)
    slope, intercept = np.polyfit(x, y, 1)
    assert tex_vector([slope, intercept], digits=6) in _latex(at)
    assert at.get("download_button")
