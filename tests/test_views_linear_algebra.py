"""dlcore.views.linear_algebra: each panel's numbers against NumPy, degenerate cases included."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore import transforms2d as t2d
from dlcore.views import linear_algebra as views


def test_vectors_view_angle_projection_and_perpendicular():
    w = views.vectors_view([3.0, 1.0], [1.0, 3.0], 0.5)
    assert w.relation.dot == 6.0
    assert w.cos_angle == pytest.approx(6 / 10)
    assert w.angle_deg == pytest.approx(np.degrees(np.arccos(0.6)))
    np.testing.assert_allclose(w.scaled, [1.5, 0.5])
    assert not w.perpendicular
    assert views.vectors_view([0.0, 2.0], [3.0, 0.0], 1.0).perpendicular


def test_vectors_view_zero_vector_has_no_angle_and_is_not_perpendicular():
    w = views.vectors_view([0.0, 0.0], [1.0, 3.0], 1.0)
    assert np.isnan(w.angle_deg) and np.isnan(w.cos_angle)
    assert not w.perpendicular  # undefined, not 90 degrees


def test_transform_view_matches_numpy_and_flags_singular_and_edits():
    A = np.array([[2.0, 1.0], [0.5, -1.0]])
    w = views.transform_view(A, "Shear")
    assert w.eig_sum == pytest.approx(np.trace(A))
    assert w.eig_product == pytest.approx(np.linalg.det(A))
    assert w.sigma_product == pytest.approx(abs(np.linalg.det(A)))
    assert w.discriminant == pytest.approx(np.trace(A) ** 2 / 4 - np.linalg.det(A))
    assert not w.singular and not w.is_preset
    proj = views.transform_view(
        t2d.TRANSFORMS["Projection onto the x-axis (singular)"].as_array(),
        "Projection onto the x-axis (singular)",
    )
    assert proj.singular and proj.is_preset
    rot = views.transform_view([[0.9, -0.6], [0.6, 0.9]], "unknown preset")
    assert rot.discriminant < 0 and not rot.is_preset
    assert rot.eig_product == pytest.approx(0.81 + 0.36)


def test_products_view_orders_and_commutation():
    A, B = np.array([[1.0, 1.0], [0.0, 1.0]]), np.array([[0.0, -1.0], [1.0, 0.0]])
    w = views.products_view(A, B)
    np.testing.assert_allclose(w.BA, B @ A)
    np.testing.assert_allclose(w.difference, A @ B - B @ A)
    assert not w.commute
    assert views.products_view(B, B @ B).commute


def test_system_view_solves_and_reports_singular_systems_without_raising():
    w = views.system_view("2 1; 1 -3", "5 -1")
    np.testing.assert_allclose(w.solution.x, np.linalg.solve([[2, 1], [1, -3]], [5, -1]))
    np.testing.assert_allclose(w.check, np.eye(2), atol=1e-12)
    assert w.picture == "lines" and w.problem == ""
    none = views.system_view("1 2; 2 4", "3 5")
    assert none.solution is None and "not in its column space" in none.problem
    assert none.picture == "lines"
    assert views.system_view("1 1 1; 1 2 3; 2 3 4", "1 2 3").picture == "planes"
    assert views.system_view("1 0 0 0; 0 1 0 0; 0 0 1 0; 0 0 0 1", "1 2 3 4").picture is None
    with pytest.raises(ValueError, match="row"):
        views.system_view("1 2; 3", "1 2")


def test_conditioning_view_bound_holds_and_singular_end_is_reported():
    w = views.system_conditioning_view(1e-3, 0.01)
    assert w.kappa == pytest.approx(np.linalg.cond(w.A), rel=1e-9)
    assert 0 < w.moved <= w.bound * (1 + 1e-9)
    singular = views.system_conditioning_view(0.0, 0.01)
    assert singular.x is None and "infinitely many" in singular.problem
    assert singular.kappa > 1e15  # rounding leaves sigma_min at about 1e-16, not 0


def test_least_squares_view_matches_polyfit_and_residual_is_orthogonal():
    w = views.least_squares_view(40, 0.8, 3)
    np.testing.assert_allclose(w.qr.x, np.polyfit(w.x, w.y, 1), rtol=1e-10)
    np.testing.assert_allclose(w.normal.x, w.qr.x, rtol=1e-8)
    np.testing.assert_allclose(w.orthogonality, 0, atol=1e-10)
    np.testing.assert_allclose(w.fitted, np.polyval(w.qr.x, w.x), rtol=1e-10)


def test_power_view_converges_at_the_ratio_and_knows_the_second_eigenvector():
    w = views.power_view(0.5, 30, 100)
    assert w.result.rate == pytest.approx(0.5)
    assert w.result.observed_rate == pytest.approx(0.5, rel=0.05)
    assert w.result.estimates[-1] == pytest.approx(2.0, rel=1e-6)
    assert not w.on_second and views.power_view(0.5, 5, 120).on_second
