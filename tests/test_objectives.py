"""dlcore.objectives: every surface's value against an independent formula, gradient against
central differences, minima with zero gradient, and cache-friendly (hashable, picklable)."""

from __future__ import annotations

import hashlib
import pickle
import warnings

import numpy as np
import pytest

from dlcore.expr import ExpressionError
from dlcore.objectives import OBJECTIVES, Objective, ellipse, from_expression, surface_grid
from tests.surfaces import SqrtX

NAMES = sorted(OBJECTIVES)

# The same surfaces typed as formulas: a second, independent route to each value.
FORMULAS = {
    "Quadratic bowl": "0.5*(x^2 + y^2)",
    "Ill-conditioned ellipse": "0.5*(x^2 + 10*y^2)",
    "Rosenbrock": "(1 - x)^2 + 100*(y - x^2)^2",
    "Beale": "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
    "Himmelblau": "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
    "Rastrigin": "20 + x^2 + y^2 - 10*(cos(2*pi*x) + cos(2*pi*y))",
    "Saddle": "0.5*(x^2 - y^2)",
    "Six-hump camel": "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2",
}


def _points(obj: Objective, n: int = 200, seed: int = 0) -> np.ndarray:
    (x0, x1), (y0, y1) = obj.bounds
    rng = np.random.default_rng(seed)
    return np.stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)], axis=-1)


def test_registry_has_the_required_surfaces():
    required = {
        "Quadratic bowl",
        "Ill-conditioned ellipse",
        "Rosenbrock",
        "Beale",
        "Himmelblau",
        "Rastrigin",
        "Saddle",
        "Six-hump camel",
    }
    assert required <= set(OBJECTIVES)
    assert set(FORMULAS) >= set(OBJECTIVES), "add the new objective's formula to FORMULAS"


@pytest.mark.parametrize("name", NAMES)
def test_value_matches_the_formula_typed_independently(name):
    obj = OBJECTIVES[name]
    p = _points(obj)
    reference = from_expression(FORMULAS[name])
    np.testing.assert_allclose(obj.f(p), reference.f(p), rtol=1e-12, atol=1e-10)
    np.testing.assert_allclose(obj.grad(p), reference.grad(p), rtol=1e-10, atol=1e-8)


@pytest.mark.parametrize("name", NAMES)
def test_gradient_matches_central_differences(name):
    obj = OBJECTIVES[name]
    p = _points(obj, seed=1)
    h = 1e-6
    fd = np.stack([(obj.f(p + h * e) - obj.f(p - h * e)) / (2 * h) for e in np.eye(2)], axis=-1)
    g = obj.grad(p)
    scale = np.maximum(1.0, np.abs(g))
    assert np.max(np.abs(g - fd) / scale) < 1e-5


@pytest.mark.parametrize("name", NAMES)
def test_known_minima_have_zero_gradient_and_are_lowest(name):
    obj = OBJECTIVES[name]
    (x0, x1), (y0, y1) = obj.bounds
    gx, gy = np.meshgrid(np.linspace(x0, x1, 201), np.linspace(y0, y1, 201))
    grid_min = obj.f(np.stack([gx, gy], axis=-1)).min()
    for m in obj.minima:
        assert np.all(np.abs(obj.grad(np.array(m))) < 1e-9), (
            f"{name}: gradient at {m} is {obj.grad(np.array(m))}"
        )
        assert obj.f(np.array(m)) <= grid_min + 1e-12
        assert x0 <= m[0] <= x1 and y0 <= m[1] <= y1
    if not obj.minima:
        assert grid_min < obj.f(np.zeros(2)), (
            "a surface without minima should fall below its stationary point"
        )


@pytest.mark.parametrize("name", NAMES)
def test_shapes_are_vectorised_over_leading_axes(name):
    obj = OBJECTIVES[name]
    p = _points(obj, n=35).reshape(5, 7, 2)
    assert obj.f(p).shape == (5, 7)
    assert obj.grad(p).shape == (5, 7, 2)
    assert np.ndim(obj.f(np.array(obj.start))) == 0 and obj.grad(np.array(obj.start)).shape == (2,)
    np.testing.assert_allclose(obj.f(p)[2, 3], obj.f(p[2, 3]))
    with pytest.raises(ValueError, match=r"\(\.\.\., 2\)"):
        obj.f(np.zeros(3))


@pytest.mark.parametrize("name", NAMES)
def test_metadata_is_usable(name):
    obj = OBJECTIVES[name]
    (x0, x1), (y0, y1) = obj.bounds
    assert x0 < x1 and y0 < y1
    assert x0 <= obj.start[0] <= x1 and y0 <= obj.start[1] <= y1
    assert obj.latex.startswith("f(x, y) =")
    assert np.all(np.isfinite(obj.grad(np.array(obj.start))))
    assert np.linalg.norm(obj.grad(np.array(obj.start))) > 1e-3, (
        "the start should not be stationary"
    )


@pytest.mark.parametrize("name", NAMES)
def test_objectives_pickle_and_hash_for_the_streamlit_cache(name):
    from streamlit.runtime.caching.cache_type import CacheType
    from streamlit.runtime.caching.hashing import update_hash

    obj = OBJECTIVES[name]
    back = pickle.loads(pickle.dumps(obj))
    assert back == obj and hash(back) == hash(obj)
    p = _points(obj, n=5)
    np.testing.assert_array_equal(back.f(p), obj.f(p))

    def digest(o):
        h = hashlib.md5()
        update_hash(o, h, CacheType.DATA)
        return h.hexdigest()

    assert digest(obj) == digest(back)


def test_ellipse_condition_number_is_the_hessian_eigenvalue_ratio():
    for condition, angle in [(1.0, 0.0), (10.0, 0.0), (50.0, 0.6), (1000.0, -1.0)]:
        obj = ellipse(condition, angle=angle)
        h = 1e-4
        p = np.array([0.3, -0.2])
        hessian = np.stack(
            [(obj.grad(p + h * e) - obj.grad(p - h * e)) / (2 * h) for e in np.eye(2)]
        )
        eig = np.linalg.eigvalsh(0.5 * (hessian + hessian.T))
        assert eig[1] / eig[0] == pytest.approx(condition, rel=1e-6)
        assert f"{condition:g}" in obj.latex
    assert ellipse(1.0).name == "Quadratic bowl"
    assert ellipse(10.0) == OBJECTIVES["Ill-conditioned ellipse"]
    assert ellipse(10.0) != ellipse(20.0)
    for bad in (0.5, 2e6, float("nan")):
        with pytest.raises(ValueError, match="condition"):
            ellipse(bad)


def test_divergent_points_give_inf_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for obj in OBJECTIVES.values():
            far = np.array([[1e200, -1e200], [3.0, 1e300]])
            values = obj.f(far)
            obj.grad(far)
            assert values.shape == (2,)


def test_from_expression_has_the_exact_gradient():
    obj = from_expression("x**2 + 3*sin(x*y)")
    p = np.array([[0.5, 1.0], [-1.0, 2.0]])
    x, y = p[:, 0], p[:, 1]
    np.testing.assert_allclose(obj.f(p), x**2 + 3 * np.sin(x * y), rtol=1e-14)
    np.testing.assert_allclose(
        obj.grad(p),
        np.stack([2 * x + 3 * y * np.cos(x * y), 3 * x * np.cos(x * y)], -1),
        rtol=1e-14,
    )
    assert obj.latex == r"f(x, y) = x^{2} + 3 \sin\left(x y\right)"
    assert obj.name == "x**2 + 3 * sin(x * y)" and obj.minima == ()
    assert obj.start == pytest.approx((-2.4, 2.4))
    assert pickle.loads(pickle.dumps(obj)) == obj
    custom = from_expression("x*y", bounds=((0, 1), (2, 4)), start=(0.5, 3), name="product")
    assert (
        custom.name == "product"
        and custom.bounds == ((0.0, 1.0), (2.0, 4.0))
        and custom.start == (0.5, 3.0)
    )


def test_from_expression_refuses_bad_input():
    with pytest.raises(ExpressionError):
        from_expression("__import__('os')")
    with pytest.raises(ExpressionError, match="unknown name 'z'"):
        from_expression("x + z")
    with pytest.raises(ValueError, match="bounds"):
        from_expression("x", bounds=((1, 0), (0, 1)))
    with pytest.raises(ValueError, match="start"):
        from_expression("x", start=(float("inf"), 0))


@pytest.mark.parametrize("name", NAMES)
def test_bounded_below_metadata_matches_the_surface(name):
    obj = OBJECTIVES[name]
    # A surface with a listed minimum is bounded below; the saddle, which lists none, is not:
    # along its y axis f(0, y) = -y^2 / 2 falls without limit.
    assert obj.bounded_below is (len(obj.minima) > 0)
    far = np.array([[0.0, 1e3], [0.0, 1e6]])
    if not obj.bounded_below:
        assert np.all(np.diff(obj.f(far)) < 0) and obj.f(far)[-1] < -1e11


def test_a_typed_formula_does_not_claim_to_know_its_floor():
    assert from_expression("x**2 + y**2").bounded_below is None
    assert ellipse(5.0).bounded_below is True


def test_surface_grid_samples_f_and_blanks_undefined_values():
    g = surface_grid(SqrtX(), ((-1.0, 1.0), (0.0, 2.0)), 5)
    np.testing.assert_allclose(g.x, [-1, -0.5, 0, 0.5, 1])
    np.testing.assert_allclose(g.z[2, 3], np.sqrt(0.5) + 1.0)
    assert np.all(np.isnan(g.z[:, :2])) and np.all(np.isfinite(g.z[:, 2:]))
