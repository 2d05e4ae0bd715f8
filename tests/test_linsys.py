"""dlcore.linsys (re-exported by dlcore.linalg) against numpy.linalg."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from dlcore import linalg as L
from dlcore import linsys


@pytest.fixture(autouse=True)
def _no_runtime_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        yield


def test_linalg_reexports_linsys():
    for name in ("solve", "inverse", "condition_number", "least_squares", "power_iteration"):
        assert getattr(L, name) is getattr(linsys, name)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 10])
def test_solve_against_numpy(n):
    rng = np.random.default_rng(n)
    A, b = rng.standard_normal((n, n)), rng.standard_normal(n)
    res = L.solve(A, b)
    np.testing.assert_allclose(res.x, np.linalg.solve(A, b), rtol=1e-10, atol=1e-10)
    first, last = res.steps[0].matrix, res.steps[-1].matrix
    np.testing.assert_array_equal(first, np.column_stack([A, b]))
    np.testing.assert_allclose(last[:, :n], np.eye(n), atol=1e-12)
    np.testing.assert_allclose(last[:, n], res.x)


def test_solve_records_pivoting_swaps():
    res = L.solve([[0.0, 1.0], [2.0, 1.0]], [1.0, 3.0])
    assert res.steps[1].operation == "swap R1 <-> R2"
    np.testing.assert_allclose(res.x, [1.0, 1.0])
    ops = [s.operation for s in res.steps]
    assert ops[0].startswith("start") and all(s.latex for s in res.steps)
    # partial pivoting picks the largest pivot even when the diagonal is non-zero
    res = L.solve([[1.0, 2.0], [3.0, 4.0]], [5.0, 6.0])
    assert res.steps[1].operation == "swap R1 <-> R2"
    assert res.steps[2].operation == "R2 <- R2 - 0.3333 R1"


def test_solve_many_right_hand_sides_and_inverse():
    A = np.random.default_rng(0).standard_normal((3, 3))
    np.testing.assert_allclose(L.inverse(A), np.linalg.inv(A), atol=1e-12)
    np.testing.assert_allclose(A @ L.inverse(A), np.eye(3), atol=1e-12)
    B = np.arange(6.0).reshape(3, 2)
    np.testing.assert_allclose(L.solve(A, B).x, np.linalg.solve(A, B), atol=1e-12)


@pytest.mark.parametrize(
    ("A", "b", "kind"),
    [
        ([[1, 2], [2, 4]], [1, 2], "infinitely many solutions"),
        ([[1, 2], [2, 4]], [1, 3], "no solution"),
        ([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [1, 2, 3], "infinitely many solutions"),
        ([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [1, 2, 4], "no solution"),
        ([[0, 0], [0, 0]], [0, 0], "infinitely many solutions"),
        ([[0, 0], [0, 0]], [1, 0], "no solution"),
    ],
)
def test_singular_systems_say_which_kind(A, b, kind):
    with pytest.raises(ValueError, match=kind):
        L.solve(A, b)


def test_inverse_of_singular_matrix():
    with pytest.raises(ValueError, match="no inverse"):
        L.inverse([[1, 2], [2, 4]])


def test_near_singular_still_solves():
    eps = 1e-9
    A = np.array([[1.0, 1.0], [1.0, 1.0 + eps]])
    np.testing.assert_allclose(L.solve(A, [2.0, 2.0 + eps]).x, [1.0, 1.0], rtol=1e-6)


@pytest.mark.parametrize(
    ("A", "b", "match"),
    [
        (np.ones((2, 3)), np.ones(2), "square"),
        (np.eye(2), np.ones(3), "b must have 2 rows"),
        (np.eye(11), np.ones(11), "size of A"),
        ([[1, np.inf], [0, 1]], [1, 1], "finite"),
    ],
)
def test_solve_bad_shapes(A, b, match):
    with pytest.raises(ValueError, match=match):
        L.solve(A, b)


@pytest.mark.parametrize("seed", range(4))
def test_condition_number_against_numpy(seed):
    A = np.random.default_rng(seed).standard_normal((4, 4))
    assert L.condition_number(A) == pytest.approx(np.linalg.cond(A), rel=1e-10)


def test_condition_number_singular_is_inf():
    assert L.condition_number([[1.0, 2.0], [2.0, 4.0]]) > 1e15
    assert L.condition_number(np.zeros((2, 2))) == float("inf")


@pytest.mark.parametrize("method", ["qr", "normal"])
def test_least_squares_against_numpy(method):
    rng = np.random.default_rng(0)
    x = rng.uniform(-3, 3, 30)
    y = 2.0 * x - 1.0 + rng.normal(0, 0.3, 30)
    A = L.line_design(x)
    res = L.least_squares(A, y, method=method)
    ref, rss, *_ = np.linalg.lstsq(A, y, rcond=None)
    np.testing.assert_allclose(res.x, ref, rtol=1e-10)
    np.testing.assert_allclose(res.x, np.polyfit(x, y, 1), rtol=1e-10)
    assert res.rss == pytest.approx(rss[0])
    np.testing.assert_allclose(
        A.T @ res.residuals, 0.0, atol=1e-10
    )  # residuals orthogonal to the columns


@pytest.mark.parametrize("method", ["qr", "normal"])
def test_least_squares_dependent_columns(method):
    A = L.line_design(np.full(5, 2.0))  # all x equal: slope undetermined
    with pytest.raises(ValueError, match="linearly dependent"):
        L.least_squares(A, np.arange(5.0), method=method)


def test_least_squares_bad_shapes():
    with pytest.raises(ValueError, match="m >= n"):
        L.least_squares(np.ones((1, 2)), np.ones(1))
    with pytest.raises(ValueError, match="method"):
        L.least_squares(np.ones((3, 2)), np.ones(3), method="svd")


def test_power_iteration_converges_at_the_predicted_rate():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    res = L.power_iteration(A, 30, v0=[1.0, 0.0])
    lam = np.linalg.eigvalsh(A)
    assert res.estimates[-1] == pytest.approx(lam[-1], rel=1e-12)
    assert res.rate == pytest.approx(lam[0] / lam[1])
    assert res.observed_rate == pytest.approx(res.rate, rel=0.1)
    assert res.vectors.shape == (31, 2) and res.errors[-1] < 1e-10
    np.testing.assert_allclose(np.linalg.norm(res.vectors, axis=1), 1.0)


def test_power_iteration_negative_dominant_eigenvalue_and_larger_n():
    A = np.diag([-4.0, 2.0, 1.0])
    res = L.power_iteration(A, 40, rng=0)
    assert res.estimates[-1] == pytest.approx(-4.0)
    assert res.errors[-1] < 1e-9
    assert res.rate == pytest.approx(0.5)


def test_power_iteration_without_a_dominant_eigenvalue():
    res = L.power_iteration([[0.0, -1.0], [1.0, 0.0]], 10, v0=[1.0, 0.0])  # rotation: complex pair
    assert np.all(np.isnan(res.errors)) and res.rate == pytest.approx(1.0)


def test_power_iteration_null_space_start():
    with pytest.raises(ValueError, match="null space"):
        L.power_iteration([[1.0, 0.0], [0.0, 0.0]], 5, v0=[0.0, 1.0])
    with pytest.raises(ValueError, match="zero vector"):
        L.power_iteration(np.eye(2), 5, v0=[0.0, 0.0])


@pytest.mark.parametrize("name", list(L.SYSTEMS))
def test_every_system_preset(name):
    spec = L.SYSTEMS[name]
    A, b = L.parse_matrix(spec.A), L.parse_matrix(spec.b).ravel()
    assert A.shape[0] == A.shape[1] == b.shape[0]
    if "no solution" in name or "infinitely many" in name:
        with pytest.raises(
            ValueError, match="no solution" if "no solution" in name else "infinitely many"
        ):
            L.solve(A, b)
    else:
        np.testing.assert_allclose(L.solve(A, b).x, np.linalg.solve(A, b), atol=1e-12)


@pytest.mark.parametrize(
    ("text", "shape"),
    [("1 2; 3 4", (2, 2)), ("1,2\n3,4", (2, 2)), (" -1.5e2 .5 ", (1, 2)), ("1;2;3", (3, 1))],
)
def test_parse_matrix(text, shape):
    assert L.parse_matrix(text).shape == shape


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "empty"),
        ("1 2; 3", "same number"),
        ("x 1", "not a number"),
        ("__import__('os')", "not a number"),
        ("1e999", "finite"),
        ("1 " * 300, "characters"),
        ("; ".join(["1"] * 7), "at most 6"),
    ],
)
def test_parse_matrix_refuses(text, match):
    with pytest.raises(ValueError, match=match):
        L.parse_matrix(text)


def test_near_singular_system_and_noisy_line():
    A, b, b2 = L.near_singular_system(1e-3, 0.01)
    np.testing.assert_allclose(L.solve(A, b).x, [1.0, 1.0], atol=1e-9)
    assert b2[1] - b[1] == pytest.approx(0.01)
    x, y = L.noisy_line(50, slope=2.0, intercept=1.0, noise=0.0, rng=0)
    np.testing.assert_allclose(y, 2 * x + 1)
    assert np.all(np.diff(x) >= 0)
