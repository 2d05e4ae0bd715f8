"""dlcore.optim against hand-computed steps, equivalences and PyTorch's documented rules."""

from __future__ import annotations

import dataclasses
import pickle

import numpy as np
import pytest

from dlcore import optim, schedules
from dlcore.optim import (
    OPTIMIZERS,
    SGD,
    Adagrad,
    Adam,
    AdamW,
    Momentum,
    Nesterov,
    RMSProp,
    minimize,
)
from tests.surfaces import Bowl, Rosenbrock, SqrtX, Square


def two_steps(opt, x0=1.0):
    tr = minimize(Square(), opt, [x0], 2)
    return tr.points[:, 0]


# ---------------------------------------------------------------- first steps by hand


@pytest.mark.parametrize(
    "opt, expected",
    [
        # g0 = 2, x1 = 1 - 0.1 * 2; g1 = 1.6, x2 = 0.8 - 0.16
        (SGD(lr=0.1), [1, 0.8, 0.64]),
        # b1 = 2 -> x1 = 0.8; b2 = 0.9 * 2 + 1.6 = 3.4 -> x2 = 0.8 - 0.34
        (Momentum(lr=0.1, momentum=0.9), [1, 0.8, 0.46]),
        # b1 = 2, step 2 + 1.8 -> x1 = 0.62; g1 = 1.24, b2 = 3.04, step 1.24 + 2.736
        (Nesterov(lr=0.1, momentum=0.9), [1, 0.62, 0.62 - 0.3976]),
        # s1 = 4 -> x1 = 1 - 0.1 * 2 / 2; g1 = 1.8, s2 = 7.24
        (Adagrad(lr=0.1, eps=0.0), [1, 0.9, 0.9 - 0.1 * 1.8 / np.sqrt(7.24)]),
        # v1 = 0.01 * 4 -> x1 = 1 - 0.01 * 2 / 0.2; g1 = 1.8, v2 = 0.99 * 0.04 + 0.01 * 3.24
        (
            RMSProp(lr=0.01, alpha=0.99, eps=0.0),
            [1, 0.9, 0.9 - 0.01 * 1.8 / np.sqrt(0.0396 + 0.0324)],
        ),
        # m_hat = g, v_hat = g^2 on step 1 -> x1 = 1 - lr; step 2 from m2, v2 by hand
        (
            Adam(lr=0.1, eps=0.0),
            [
                1,
                0.9,
                0.9
                - 0.1
                * ((0.9 * 0.2 + 0.1 * 1.8) / 0.19)
                / np.sqrt((0.999 * 0.004 + 0.001 * 3.24) / (1 - 0.999**2)),
            ],
        ),
        # decay first: 1 * (1 - 0.1 * 0.5) = 0.95, then the Adam step of size lr
        (AdamW(lr=0.1, eps=0.0, weight_decay=0.5), None),
    ],
    ids=lambda v: getattr(v, "name", ""),
)
def test_hand_computed_first_steps(opt, expected):
    got = two_steps(opt)
    if expected is None:  # AdamW
        assert got[1] == pytest.approx(0.85, abs=1e-12)
        # step 2: x = 0.85 * 0.95 - 0.1 * m_hat / sqrt(v_hat), gradient at 0.85 is 1.7
        m2, v2 = 0.9 * 0.2 + 0.1 * 1.7, 0.999 * 0.004 + 0.001 * 1.7**2
        assert got[2] == pytest.approx(
            0.85 * 0.95 - 0.1 * (m2 / 0.19) / np.sqrt(v2 / (1 - 0.999**2)), abs=1e-12
        )
    else:
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


def test_rmsprop_first_step_is_lr_over_sqrt_one_minus_alpha():
    # PyTorch's RMSprop has no bias correction: v1 = (1 - alpha) g^2.
    opt = RMSProp(lr=0.01, alpha=0.99, eps=0.0)
    updates, _ = opt.update(np.array([3.0, -0.5]), opt.init(np.zeros(2)))
    np.testing.assert_allclose(updates, [-0.1, 0.1], rtol=1e-12)


# ---------------------------------------------------------------- equivalences


def test_momentum_zero_is_sgd():
    x0 = np.array([[1.5, -0.5], [-2.0, 1.0]])
    a = minimize(Rosenbrock(), SGD(lr=1e-3), x0, 200)
    b = minimize(Rosenbrock(), Momentum(lr=1e-3, momentum=0.0), x0, 200)
    c = minimize(Rosenbrock(), Nesterov(lr=1e-3, momentum=0.0), x0, 200)
    np.testing.assert_array_equal(a.points, b.points)
    np.testing.assert_allclose(a.points, c.points, rtol=0, atol=1e-14)


@pytest.mark.parametrize("g", [np.array([1e-6, -3.0, 250.0]), np.array([[0.5, -1e3], [2.0, 7.0]])])
def test_adam_first_step_has_magnitude_lr_per_coordinate(g):
    for cls in (Adam, AdamW):
        opt = cls(lr=0.05, weight_decay=0.0)
        updates, state = opt.update(g, opt.init(np.zeros_like(g)), np.zeros_like(g))
        # exactly lr |g| / (|g| + eps): lr up to eps, even for a gradient of 1e-6
        np.testing.assert_allclose(
            np.abs(updates), 0.05 * np.abs(g) / (np.abs(g) + 1e-8), rtol=1e-12
        )
        np.testing.assert_allclose(np.abs(updates), 0.05, rtol=0.011)
        np.testing.assert_array_equal(np.sign(updates), -np.sign(g))
        assert state.step == 1


def test_adamw_without_decay_is_adam():
    x0 = np.array([[-1.5, 2.0], [0.5, 0.5]])
    a = minimize(Rosenbrock(), Adam(lr=0.02), x0, 300)
    b = minimize(Rosenbrock(), AdamW(lr=0.02, weight_decay=0.0), x0, 300)
    np.testing.assert_array_equal(a.points, b.points)


def test_adam_l2_differs_from_adamw_decoupled_decay():
    x0 = np.array([2.0, 2.0])
    l2 = minimize(Bowl(), Adam(lr=0.05, weight_decay=0.5), x0, 50).points
    decoupled = minimize(Bowl(), AdamW(lr=0.05, weight_decay=0.5), x0, 50).points
    assert np.abs(l2 - decoupled).max() > 1e-3

    # Adam with L2 is Adam on f + wd/2 |theta|^2, computed by hand.
    class BowlL2(Bowl):
        def grad(self, p):
            return super().grad(p) + 0.5 * p

    np.testing.assert_allclose(
        l2, minimize(BowlL2(), Adam(lr=0.05), x0, 50).points, rtol=0, atol=1e-14
    )


def test_sutskever_velocity_form_gives_the_same_points_for_a_constant_lr():
    lr, mu, p, v = 2e-3, 0.9, np.array([-1.2, 1.0]), np.zeros(2)
    ours = minimize(Rosenbrock(), Momentum(lr=lr, momentum=mu), p, 100).points
    path = [p]
    for _ in range(100):
        v = mu * v - lr * Rosenbrock().grad(p)
        p = p + v
        path.append(p)
    np.testing.assert_allclose(ours, np.array(path), rtol=1e-12, atol=1e-13)


def test_constant_schedule_equals_float_lr_and_schedule_is_read_at_the_update_count():
    x0 = np.array([1.0, 1.0])
    for name, cls in OPTIMIZERS.items():
        a = minimize(Bowl(), cls(lr=0.03), x0, 40).points
        b = minimize(Bowl(), cls(lr=schedules.Constant(lr=0.03)), x0, 40).points
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-15, err_msg=name)
    # Exponential decay: update t uses lr * gamma^t, t = 0 first (as torch schedulers).
    sched = schedules.ExponentialDecay(lr=0.1, gamma=0.5)
    pts = minimize(Square(), SGD(lr=sched), [1.0], 3).points[:, 0]
    np.testing.assert_allclose(pts, [1, 1 - 0.2, 0.8 * (1 - 0.1), 0.72 * (1 - 0.05)], atol=1e-15)


# ---------------------------------------------------------------- contract


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_pure_update_on_any_shape(name):
    opt = OPTIMIZERS[name](lr=0.1)
    rng = np.random.default_rng(0)
    params, grads = rng.normal(size=(3, 4, 2)), rng.normal(size=(3, 4, 2))
    state = opt.init(params)
    state = opt.update(grads, state, params)[1]  # a non-zero state to check against mutation
    saved = [np.copy(s) for s in state]
    g_copy, p_copy = grads.copy(), params.copy()
    updates, new_state = opt.update(grads, state, params)
    assert updates.shape == params.shape and np.all(np.isfinite(updates))
    for before, now in zip(saved, state):
        np.testing.assert_array_equal(before, now)
    np.testing.assert_array_equal(grads, g_copy)
    np.testing.assert_array_equal(params, p_copy)
    assert new_state.step == state.step + 1 == 2
    # Elementwise: one coordinate's update does not depend on the others.
    single, _ = opt.update(
        grads[1, 2], type(state)(*(s[1, 2] if np.ndim(s) else s for s in state)), params[1, 2]
    )
    np.testing.assert_allclose(single, updates[1, 2], rtol=1e-14)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_registry_entries_are_hashable_picklable_and_carry_latex(name):
    cls = OPTIMIZERS[name]
    opt = cls(lr=0.0123)
    assert cls.name == name and dataclasses.is_dataclass(opt)
    assert hash(opt) == hash(cls(lr=0.0123))
    assert pickle.loads(pickle.dumps(opt)) == opt
    assert r"\theta" in cls.latex
    assert "0.0123" in opt.to_latex()
    assert r"\eta_t" in cls(lr=schedules.Constant(lr=0.1)).to_latex()
    with pytest.raises(dataclasses.FrozenInstanceError):
        opt.lr = 1.0


@pytest.mark.parametrize(
    "cls, kwargs, word",
    [
        (SGD, {"lr": -1.0}, "lr"),
        (Momentum, {"momentum": 1.5}, "momentum"),
        (Adam, {"betas": (0.9, 1.0)}, "betas[1]"),
        (Adam, {"betas": 0.9}, "betas"),
        (AdamW, {"weight_decay": -0.1}, "weight_decay"),
        (RMSProp, {"alpha": 2.0}, "alpha"),
        (Adagrad, {"eps": float("nan")}, "eps"),
    ],
)
def test_bad_hyper_parameters_name_the_argument(cls, kwargs, word):
    with pytest.raises(ValueError, match=word.replace("[", r"\[").replace("]", r"\]")):
        cls(**kwargs)


def test_torch_defaults():
    assert Adam().lr == 1e-3 and Adam().betas == (0.9, 0.999) and Adam().eps == 1e-8
    assert AdamW().weight_decay == 1e-2 and Adagrad().eps == 1e-10 and Adagrad().lr == 1e-2
    assert RMSProp().alpha == 0.99 and RMSProp().eps == 1e-8 and RMSProp().lr == 1e-2
    assert Momentum().momentum == 0.9 and Nesterov().momentum == 0.9


# ---------------------------------------------------------------- minimize


def test_minimize_shapes_and_single_start_types():
    many = minimize(Bowl(), Adam(lr=0.1), np.ones((5, 2)), 7)
    assert many.points.shape == (8, 5, 2) and many.losses.shape == (8, 5)
    assert many.diverged_at.shape == (5,) and many.diverged_at.dtype.kind == "i"
    one = minimize(Bowl(), Adam(lr=0.1), [1.0, 1.0], 7)
    assert one.points.shape == (8, 2) and one.losses.shape == (8,)
    assert isinstance(one.diverged_at, int) and one.diverged_at == -1
    np.testing.assert_allclose(one.losses, Bowl().f(one.points))
    zero = minimize(Bowl(), SGD(lr=0.1), [1.0, 2.0], 0)
    assert zero.points.shape == (1, 2) and zero.losses[0] == pytest.approx(8.5)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_vectorised_minimize_equals_the_loop_reference(name):
    rng = np.random.default_rng(1)
    x0 = rng.uniform(-2, 2, size=(6, 2))
    opt = OPTIMIZERS[name](lr=0.002 if name in ("SGD", "Momentum", "Nesterov") else 0.05)
    fast = minimize(Rosenbrock(), opt, x0, 150)
    slow = optim.minimize_loop(Rosenbrock(), opt, x0, 150)
    np.testing.assert_allclose(fast.points, slow.points, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(fast.losses, slow.losses, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(fast.diverged_at, slow.diverged_at)


@pytest.mark.parametrize(
    "opt, steps, first_within",
    [
        (SGD(lr=1e-3), 15000, 14000),
        (Momentum(lr=1e-3), 2000, 1200),
        (Nesterov(lr=1e-3), 2000, 1100),
        (Adam(lr=0.02), 3000, 2100),
        (AdamW(lr=0.02, weight_decay=0.0), 3000, 2100),
    ],
    ids=lambda v: getattr(v, "name", str(v)),
)
def test_converges_on_rosenbrock_within_budget(opt, steps, first_within):
    tr = minimize(Rosenbrock(), opt, [-1.5, 2.0], steps)
    dist = np.linalg.norm(tr.points - [1.0, 1.0], axis=-1)
    assert tr.diverged_at == -1
    assert dist[-1] < 1e-2
    assert np.argmax(dist < 1e-2) <= first_within


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_converges_on_the_bowl(name):
    lr = {"SGD": 0.2, "Momentum": 0.05, "Nesterov": 0.05, "Adagrad": 1.0, "RMSProp": 0.01}.get(
        name, 0.1
    )
    kwargs = {"weight_decay": 0.0} if name == "AdamW" else {}
    tr = minimize(
        Bowl(), OPTIMIZERS[name](lr=lr, **kwargs), np.array([[2.0, -1.5], [-1.0, 1.0]]), 500
    )
    assert np.all(tr.diverged_at == -1)
    assert np.all(tr.losses[-1] < 1e-3), tr.losses[-1]
    assert np.all(tr.losses[-1] < tr.losses[0] * 1e-3)


def test_divergence_is_flagged_at_the_right_step_and_frozen():
    # x_t = (1 - 2 * 1.5)^t = (-2)^t: |x| first exceeds 1e6 at t = 20 (2^20 = 1.05e6).
    tr = minimize(Square(), SGD(lr=1.5), [1.0], 60)
    assert tr.diverged_at == 20
    np.testing.assert_allclose(tr.points[19:, 0], (-2.0) ** 19)
    assert np.all(np.isfinite(tr.points)) and np.all(np.isfinite(tr.losses))
    np.testing.assert_allclose(tr.losses[25], 2.0**38)
    # Other starts are untouched by one start's divergence; a smaller limit flags earlier.
    many = minimize(Square(), SGD(lr=1.5), [[1.0], [0.0]], 60, limit=100.0)
    np.testing.assert_array_equal(many.diverged_at, [7, -1])
    np.testing.assert_array_equal(many.points[:, 1, 0], 0.0)


def test_divergence_into_nan_region_of_the_formula():
    # sqrt(x): x1 = 1 - 0.5 = 0.5, x2 = 0.5 - 1/(2 sqrt(0.5)) < 0 where f is NaN.
    tr = minimize(SqrtX(), SGD(lr=1.0), [1.0, 0.0], 10)
    assert tr.diverged_at == 2
    np.testing.assert_allclose(tr.points[2:, 0], 0.5)
    assert np.all(np.isfinite(tr.losses))


def test_overflow_flags_without_runtime_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tr = minimize(Rosenbrock(), SGD(lr=0.5), [[3.0, 3.0], [1.0, 1.0]], 100, limit=1e300)
    assert tr.diverged_at[0] > 0 and tr.diverged_at[1] == -1
    assert np.all(np.isfinite(tr.points))


@pytest.mark.parametrize(
    "x0, steps, word",
    [
        ([np.nan, 1.0], 5, "x0"),
        ([[[1.0, 2.0]]], 5, "x0"),
        ([1.0, 1.0], -1, "steps"),
        ([-1.0, 0.0], 5, "x0"),
    ],
)
def test_minimize_bad_input(x0, steps, word):
    with pytest.raises(ValueError, match=word):
        minimize(SqrtX(), SGD(lr=0.1), x0, steps)
