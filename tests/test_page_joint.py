"""The Probability lab's Joint and conditional and Correlation panels under AppTest."""

from __future__ import annotations

from dlcore.views import joint as views
from tests.pagetest import assert_clean, open_page, tables

PAGE = "pages/4_Probability_and_Statistics.py"
JOINT, CORRELATION = "Joint and conditional", "Correlation"


def _latex(at) -> str:
    return "\n".join(el.value for el in at.latex)


def test_joint_default_slices_the_first_column():
    at = open_page(PAGE, panel=JOINT)
    assert_clean(at)
    assert not at.error and len(at.get("plotly_chart")) == 2
    (table,) = tables(at)
    assert table["P(A)"] == ["0.42", "0.28", "0.3", "1"]
    assert table["b1"][-1] == "0.65"
    assert r"\begin{pmatrix}0.615 & 0.308 & 0.0769\end{pmatrix}" in _latex(at)
    assert any("dependent" in i.value for i in at.info)


def test_example_loads_the_table_and_a_row_slice():
    at = open_page(PAGE, panel=JOINT)
    at.selectbox(key="prob_jt_example").set_value("Two fair coins").run()
    assert_clean(at)
    assert at.text_area(key="prob_jt_table").value == "1 1; 1 1"
    assert any("independent" in s.value for s in at.success)
    at.segmented_control(key="prob_jt_given").set_value("a row: P(B | A = a)").run()
    at.slider(key="prob_jt_index").set_value(2).run()
    assert_clean(at)
    assert r"P(B \mid A = a2)" in _latex(at)


def test_typed_tables_bad_and_shrinking():
    at = open_page(PAGE, panel=JOINT)
    at.slider(key="prob_jt_index").set_value(2).run()
    at.text_area(key="prob_jt_table").set_value("1 2 3").run()  # one row, three columns
    at.run()  # AppTest returns a slider's default on the run its range changes; a browser does not
    assert_clean(at)
    assert (
        r"P(A \mid B = b2) = \frac{P(A, B = b2)}{P(B = b2)} = \frac{\begin{pmatrix}0.333\end{pmatrix}}{0.3333}"
        in _latex(at)
    )
    at.text_area(key="prob_jt_table").set_value("1 0; 2 0").run()
    at.slider(key="prob_jt_index").set_value(2).run()
    assert_clean(at)
    assert any("P(B = b2) = 0" in e.value for e in at.error)
    for bad in ("1 -2; 3 4", "0 0", "x y", "1 2; 3"):
        at.text_area(key="prob_jt_table").set_value(bad).run()
        assert_clean(at, bad)
        assert at.error, bad


def test_correlation_default_and_rho():
    at = open_page(PAGE, panel=CORRELATION)
    assert_clean(at)
    assert not at.error and len(at.get("plotly_chart")) == 1
    assert r"\Sigma = \begin{pmatrix}1 & 0.7 \\ 0.7 & 1\end{pmatrix}\quad" in _latex(at)
    at.slider(key="prob_cor_rho").set_value(-1.0).run()
    assert_clean(at)
    assert r"= -1" in _latex(at)
    at.slider(key="prob_cor_rho").set_value(0.0).run()
    assert_clean(at)
    slope = float(_latex(at).split(r"\text{x on y: } y = ")[1].split(r"\,x")[0].split()[-1])
    assert abs(slope) > 10  # r near 0: the x-on-y line stands almost vertical


def test_dependent_but_uncorrelated_and_real_data():
    at = open_page(PAGE, panel=CORRELATION)
    at.segmented_control(key="prob_cor_source").set_value(views.CORRELATION_SOURCES[1]).run()
    assert_clean(at)
    assert any(w.value.startswith("r = 0.000, yet y is x²") for w in at.warning)
    at.toggle(key="prob_cor_real").set_value(True).run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 2
    at.selectbox(key="prob_cor_data").set_value("wine").run()
    assert_clean(at)
    assert any("13 features" in c.value for c in at.caption)
    at.segmented_control(key="prob_cor_matrix").set_value("covariance").run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 2
