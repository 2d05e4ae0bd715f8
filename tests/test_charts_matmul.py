"""charts.matmul: three grids carrying the numbers and the step's marks."""

from __future__ import annotations

import numpy as np

from charts import matmul as charts


def test_product_grids_show_numbers_marks_and_blanks():
    A, B = np.array([[1.0, 2.0]]), np.array([[3.0], [-4.0]])
    C = np.array([[np.nan]])
    marks = (np.array([[1, 1]]), np.array([[1], [1]]), np.array([[2]]))
    fig = charts.product_grids(A, B, C, marks)
    assert [[list(row) for row in t.text] for t in fig.data] == [
        [["1", "2"]],
        [["3"], ["-4"]],
        [[""]],
    ]
    np.testing.assert_array_equal(fig.data[2].z, [[2.0]])
    titles = [a.text for a in fig.layout.annotations]
    assert titles == ["A  (1 × 2)", "B  (2 × 1)", "AB  (1 × 1)"]
