"""dlcore.matmul and dlcore.views.matmul: the product three ways, against NumPy's."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore import matmul as mm
from dlcore.views import matmul as views


@pytest.mark.parametrize(("m", "k", "n"), [(1, 1, 1), (2, 3, 4), (5, 1, 6), (6, 6, 1)])
def test_entries_and_outer_products_equal_numpy(m, k, n):
    gen = np.random.default_rng(m * 100 + k * 10 + n)
    A, B = gen.standard_normal((m, k)), gen.standard_normal((k, n))
    C = np.empty((m, n))
    for index in range(m * n):
        e = mm.entry_step(A, B, index)
        C[e.i, e.j] = e.value
        np.testing.assert_allclose(e.products, A[e.i] * B[:, e.j])
    np.testing.assert_allclose(C, A @ B, rtol=1e-12, atol=1e-12)
    terms = mm.outer_terms(A, B)
    assert terms.shape == (k, m, n)
    np.testing.assert_allclose(terms.sum(axis=0), A @ B, rtol=1e-12, atol=1e-12)
    assert all(np.linalg.matrix_rank(t) <= 1 for t in terms)


def test_entry_order_is_row_major():
    A, B = np.ones((2, 3)), np.ones((3, 4))
    assert [(e.i, e.j) for e in (mm.entry_step(A, B, x) for x in (0, 3, 4, 7))] == [
        (0, 0),
        (0, 3),
        (1, 0),
        (1, 3),
    ]
    with pytest.raises(ValueError, match="index"):
        mm.entry_step(A, B, 8)


def test_the_shape_rule_is_explained():
    assert mm.check_matmul_shapes((2, 3), (3, 5)) == (2, 3, 5)
    with pytest.raises(ValueError, match=r"A has 3 columns but B has 2 rows") as info:
        mm.check_matmul_shapes((2, 3), (2, 5))
    with pytest.raises(ValueError):
        np.ones((2, 3)) @ np.ones((2, 5))  # NumPy refuses the same product
    assert "(m × k)(k × n) = (m × n)" in str(info.value)
    with pytest.raises(ValueError, match="matrices"):
        mm.check_matmul_shapes((2,), (2, 1))


def test_small_integers_are_seeded_and_bounded():
    a = mm.small_integers((50,), rng=3, bound=2)
    np.testing.assert_array_equal(a, mm.small_integers((50,), rng=3, bound=2))
    assert set(a) <= {-2.0, -1.0, 0.0, 1.0, 2.0}


def test_row_by_column_view_fills_the_product_entry_by_entry():
    w = views.matmul_view(2, 3, 3, 2, "Row by column", 3, 0)
    np.testing.assert_allclose(w.C, w.A @ w.B)
    assert w.steps == 4
    np.testing.assert_allclose(w.shown.flat[:3], w.C.flat[:3])
    assert np.isnan(w.shown[1, 1])
    assert w.c_mark[1, 0] == 2 and w.a_mark[1].tolist() == [1, 1, 1] and w.b_mark[:, 0].all()
    assert w.lines[0].startswith(r"C_{21} = \sum_{r=1}^{3} A_{2r} B_{r1} = ")
    assert w.lines[0].endswith(f"= {w.C[1, 0]:g}")


def test_outer_view_partial_sums_reach_the_product():
    first = views.matmul_view(3, 4, 4, 2, "Sum of outer products", 1, 2)
    np.testing.assert_allclose(first.shown, np.outer(first.A[:, 0], first.B[0]))
    last = views.matmul_view(3, 4, 4, 2, "Sum of outer products", 4, 2)
    np.testing.assert_allclose(last.shown, last.C)
    assert "= AB" in last.lines[1] and (last.c_mark == 2).all()


def test_layer_view_adds_the_bias_to_every_row():
    w = views.matmul_view(4, 3, 3, 2, "Linear layer", 2, 1)
    assert w.bias.shape == (2,) and w.steps == 4
    np.testing.assert_allclose(w.shown, w.A @ w.B + w.bias)
    assert w.c_mark[1].tolist() == [2, 2] and w.a_mark[1].tolist() == [1, 1, 1]
    assert w.lines[1].startswith("y_{2} = x_{2} W + b")


def test_view_rejects_mismatched_shapes_and_steps():
    with pytest.raises(ValueError, match="inner sizes must agree"):
        views.matmul_view(2, 3, 4, 2, "Row by column", 1, 0)
    with pytest.raises(ValueError, match="step"):
        views.matmul_view(2, 3, 3, 2, "Sum of outer products", 4, 0)
    with pytest.raises(ValueError, match="mode"):
        views.matmul_view(2, 3, 3, 2, "Sideways", 1, 0)
