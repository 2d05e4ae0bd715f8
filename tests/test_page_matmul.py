"""The Linear Algebra lab's Matrix multiplication panel under AppTest: values it shows."""

from __future__ import annotations

from tests.pagetest import assert_clean, open_page

PAGE = "pages/1_Linear_Algebra.py"
PANEL = "Matrix multiplication"


def _latex(at) -> str:
    return "\n".join(el.value for el in at.latex)


def test_default_is_the_first_entry_as_a_dot_product():
    at = open_page(PAGE, panel=PANEL)
    assert_clean(at)
    assert not at.error and len(at.get("plotly_chart")) == 1
    text = _latex(at)
    assert r"\underbrace{A}_{2 \times 3}\;\underbrace{B}_{3 \times 2}" in text
    assert r"C_{11} = \sum_{r=1}^{3} A_{1r} B_{r1} = " in text


def test_stepping_and_modes():
    at = open_page(PAGE, panel=PANEL)
    at.slider(key="la_mm_step").set_value(4).run()
    assert r"C_{22} = " in _latex(at)
    at.segmented_control(key="la_mm_mode").set_value("Sum of outer products").run()
    assert_clean(at)  # entry 4 does not exist among k = 3 outer products: back to 1
    assert r"\text{(}1\text{ of }3\text{ terms)}" in _latex(at)
    at.slider(key="la_mm_step").set_value(3).run()
    assert "= AB" in _latex(at)
    at.segmented_control(key="la_mm_mode").set_value("Linear layer").run()
    assert_clean(at)
    assert r"y_{1} = x_{1} W + b" in _latex(at)


def test_mismatched_shapes_explain_the_rule():
    at = open_page(PAGE, panel=PANEL)
    at.selectbox(key="la_mm_k2").set_value(4).run()
    assert_clean(at)
    assert any("A has 3 columns but B has 4 rows" in e.value for e in at.error)
    assert r"3 \neq 4" in _latex(at)
    assert not at.get("plotly_chart")


def test_a_one_by_one_product_has_no_step_slider():
    at = open_page(PAGE, panel=PANEL, query={"la_mm_m": "1", "la_mm_k": "1", "la_mm_n": "1"})
    assert_clean(at)
    assert not [s for s in at.slider if s.key == "la_mm_step"]
    assert r"C_{11} = \sum_{r=1}^{1}" in _latex(at)
