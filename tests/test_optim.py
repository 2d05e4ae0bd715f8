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
    internals,
    minimize,
)


class Square:
    """f(x) = x^2 in one dimension, gradient 2x: the hand-computed steps use it."""

    def f(self, p):
        return p[..., 0] ** 2

    def grad(self, p):
        return 2 * p


class Bowl:
    """f = (x^2 + 4 y^2) / 2, minimum at the origin."""

    def f(self, p):
        return 0.5 * (p[..., 0] ** 2 + 4 * p[..., 1] ** 2)

    def grad(self, p):
        return np.stack([p[..., 0], 4 * p[..., 1]], axis=-1)


class Rosenbrock:
    def f(self, p):
        x, y = p[..., 0], p[..., 1]
        return (1 - x) ** 2 + 100 * (y - x**2) ** 2

    def grad(self, p):
        x, y = p[..., 0], p[..., 1]
        return np.stack([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)], axis=-1)


class SqrtX:
    """f = sqrt(x) + y^2: NaN for x < 0, so a long step leaves the domain."""

    def f(self, p):
        return np.sqrt(p[..., 0]) + p[..., 1] ** 2

    def grad(self, p):
        return np.stack([0.5 / np.sqrt(p[..., 0]), 2 * p[..., 1]], axis=-1)


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


# ---------------------------------------------------------------- internals


def test_internals_of_adam_follow_the_path():
    opt = Adam(lr=0.05)
    tr = minimize(Rosenbrock(), opt, [-1.0, 1.5], 30)
    ins = internals(Rosenbrock(), opt, tr.points)
    np.testing.assert_allclose(ins.updates, np.diff(tr.points, axis=0), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(ins.grads[0], Rosenbrock().grad(tr.points[0]))
    t = np.arange(1, 31)
    np.testing.assert_allclose(ins.bias_correction1, 1 - 0.9**t)
    np.testing.assert_allclose(ins.bias_correction2, 1 - 0.999**t)
    # update = -effective_lr * m_hat, coordinate by coordinate.
    m_hat = ins.first_moment / ins.bias_correction1[:, None]
    np.testing.assert_allclose(ins.updates, -ins.effective_lr * m_hat, rtol=1e-6)
    np.testing.assert_allclose(ins.second_moment[0], 0.001 * ins.grads[0] ** 2)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_internals_for_every_optimizer(name):
    opt = OPTIMIZERS[name](lr=0.01)
    tr = minimize(Bowl(), opt, [1.0, -1.0], 12)
    ins = internals(Bowl(), opt, tr.points)
    np.testing.assert_allclose(ins.updates, np.diff(tr.points, axis=0), rtol=1e-12, atol=1e-15)
    assert ins.effective_lr.shape == (12, 2) and np.all(ins.effective_lr > 0)
    np.testing.assert_allclose(ins.lr, 0.01)
    has_first = name in ("Momentum", "Nesterov", "Adam", "AdamW")
    has_second = name in ("Adagrad", "RMSProp", "Adam", "AdamW")
    assert np.all(np.isfinite(ins.first_moment)) == has_first
    assert np.all(np.isfinite(ins.second_moment)) == has_second
    if name in ("SGD", "Momentum", "Nesterov"):
        np.testing.assert_allclose(ins.effective_lr, 0.01)
    if name in ("Adagrad", "RMSProp"):
        np.testing.assert_allclose(ins.updates, -ins.effective_lr * ins.grads, rtol=1e-12)


# ---------------------------------------------------------------- race, scoring, helpers


def test_race_explains_each_divergence():
    blow_up = optim.race(Square(), SGD(lr=1.5), [[1.0], [0.0]], 40)
    assert blow_up.reasons[1] == ""
    assert (
        blow_up.reasons[0].startswith("diverged at step 20") and "too large" in blow_up.reasons[0]
    )
    undefined = optim.race(SqrtX(), SGD(lr=1.0), [1.0, 0.0], 10)
    assert undefined.reasons == [
        "diverged at step 2: stepped from (0.5, 0) to where f is not defined (NaN or inf)"
    ]

    class Cusp(SqrtX):  # gradient infinite at x = 0, where f itself is still 0
        def grad(self, p):
            return np.stack([0.5 / np.sqrt(np.abs(p[..., 0])), 2 * p[..., 1]], axis=-1)

    at_zero = optim.race(Cusp(), SGD(lr=0.5), [0.0, 1.0], 5)
    assert at_zero.trajectory.diverged_at == 1 and "gradient is not defined" in at_zero.reasons[0]
    np.testing.assert_array_equal(
        optim.minimize(Square(), SGD(lr=1.5), [1.0], 40).points, blow_up.trajectory.points[:, 0]
    )


def test_summarize_scores_arrival_and_ignores_frozen_tails():
    tr = minimize(Bowl(), SGD(lr=0.5), np.array([[1.0, 0.0], [0.0, 0.0], [3.0, 3.0]]), 20)
    s = optim.summarize(tr, [(0.0, 0.0)], eps=1e-2)
    # x halves each step from 1: first below 0.01 at step 7 (1/128); the origin arrives at step 0;
    # y = 3 (1 - 4 * 0.5)^t = 3 (-1)^t never settles.
    np.testing.assert_array_equal(s.first_within, [7, 0, -1])
    np.testing.assert_allclose(s.final_loss, tr.losses[-1])
    np.testing.assert_allclose(s.distance[:, 1], 0.0)
    diverged = minimize(Square(), SGD(lr=1.5), [[1.0]], 40, limit=10.0)
    ds = optim.summarize(diverged, [(0.0,)], eps=1e-2)
    assert ds.diverged_at[0] == 4 and ds.first_within[0] == -1
    none = optim.summarize(tr, [], eps=1e-2)
    assert none.distance is None and np.all(none.first_within == -1)
    with pytest.raises(ValueError, match="eps"):
        optim.summarize(tr, [(0.0, 0.0)], eps=0)


def test_distance_to_the_nearest_of_several_minima():
    d = optim.distance_to_minima([[0.0, 0.0], [3.0, 4.0], [10.0, 0.0]], [(3.0, 4.0), (10.0, 1.0)])
    np.testing.assert_allclose(d, [5.0, 0.0, 1.0])


def test_random_starts_are_seeded_and_inside_the_margin():
    a = optim.random_starts(((-2.0, 2.0), (-1.0, 3.0)), 500, 3)
    assert a.shape == (500, 2)
    np.testing.assert_array_equal(a, optim.random_starts(((-2.0, 2.0), (-1.0, 3.0)), 500, 3))
    assert (
        a[:, 0].min() >= -1.6
        and a[:, 0].max() <= 1.6
        and a[:, 1].min() >= -0.6
        and a[:, 1].max() <= 2.6
    )
    with pytest.raises(ValueError, match="bounds"):
        optim.random_starts(((2.0, -2.0), (0.0, 1.0)), 3, 0)


def test_grid_starts_cover_the_box_evenly():
    g = optim.grid_starts(((-2.0, 2.0), (-1.0, 3.0)), 3)
    np.testing.assert_allclose(
        g,
        [
            [-1.6, -0.6],
            [0.0, -0.6],
            [1.6, -0.6],
            [-1.6, 1.0],
            [0.0, 1.0],
            [1.6, 1.0],
            [-1.6, 2.6],
            [0.0, 2.6],
            [1.6, 2.6],
        ],
    )
    np.testing.assert_allclose(optim.grid_starts(((-2.0, 2.0), (-1.0, 3.0)), 1), [[0.0, 1.0]])
    with pytest.raises(ValueError, match="per_side"):
        optim.grid_starts(((-2.0, 2.0), (-1.0, 3.0)), 0)


def test_fair_race_picks_the_best_rate_on_the_tuning_start():
    grid = [1e-3, 1e-2, 0.1, 0.5, 1.5]
    r = optim.fair_race(
        Bowl(),
        SGD(lr=0.01),
        starts=[[1.0, 1.0], [-2.0, 0.5], [0.3, -1.0]],
        tune_start=[2.0, 2.0],
        steps=30,
        lr_grid=grid,
        minima=[(0.0, 0.0)],
    )
    # On (x^2 + 4y^2)/2 SGD scales y by (1 - 4 lr) per step: lr = 1.5 blows up (|1 - 6| > 1).
    # The pick is the grid's lowest final loss on the tuning start, diverged runs counting as inf.
    finals = [minimize(Bowl(), SGD(lr=lr), [2.0, 2.0], 30) for lr in grid]
    expected = [np.inf if t.diverged_at >= 0 else t.losses[-1] for t in finals]
    np.testing.assert_allclose(r.tune_losses, expected)
    assert r.lr == grid[int(np.argmin(expected))] and np.isinf(r.tune_losses[-1])
    evaluation = minimize(Bowl(), SGD(lr=r.lr), [[1.0, 1.0], [-2.0, 0.5], [0.3, -1.0]], 30)
    assert r.median_final_loss == pytest.approx(np.median(evaluation.losses[-1]))
    assert r.diverged == 0
    with pytest.raises(ValueError, match="lr_grid"):
        optim.fair_race(
            Bowl(), SGD(), starts=[[1.0, 1.0]], tune_start=[1.0, 1.0], steps=5, lr_grid=[0.1, -1.0]
        )


def test_race_table_has_one_row_per_racer_start_and_step():
    x0 = np.array([[1.0, 1.0], [2.0, -1.0]])
    trs = {
        "SGD": minimize(Bowl(), SGD(lr=0.1), x0, 3),
        "Adam": minimize(Bowl(), Adam(lr=0.1), x0, 3),
    }
    table = optim.race_table(trs)
    assert len(table["x"]) == 2 * 2 * 4
    assert list(table["optimizer"][:8]) == ["SGD"] * 8
    np.testing.assert_array_equal(table["step"][:4], [0, 0, 1, 1])
    np.testing.assert_array_equal(table["start"][:4], [0, 1, 0, 1])
    np.testing.assert_allclose(table["y"][8:10], x0[:, 1])
    np.testing.assert_allclose(table["loss"][:2], Bowl().f(x0))
    assert not table["diverged"].any()


def test_surface_grid_samples_f_and_blanks_undefined_values():
    g = optim.surface_grid(SqrtX(), ((-1.0, 1.0), (0.0, 2.0)), 5)
    np.testing.assert_allclose(g.x, [-1, -0.5, 0, 0.5, 1])
    np.testing.assert_allclose(g.z[2, 3], np.sqrt(0.5) + 1.0)
    assert np.all(np.isnan(g.z[:, :2])) and np.all(np.isfinite(g.z[:, 2:]))


@pytest.mark.parametrize("beta, steps", [(0.0, 1), (0.5, 5), (0.9, 29), (0.99, 299), (0.999, 2995)])
def test_warmup_steps_is_the_first_t_with_one_minus_beta_to_the_t_past_the_level(beta, steps):
    assert optim.warmup_steps(beta) == steps
    if beta > 0:
        assert 1 - beta**steps >= 0.95 > 1 - beta ** (steps - 1)


def test_warmup_steps_refuses_a_beta_without_forgetting():
    with pytest.raises(ValueError, match="beta"):
        optim.warmup_steps(1.0)


# ---------------------------------------------------------------- starts, honest leaderboards


def test_check_starts_says_which_start_is_wrong_and_why():
    # Issue 15: a start beyond the divergence limit was reported as "diverged at step 0 ...
    # the learning rate is too large", and an undefined start as "(a start is where f is NaN)".
    with pytest.raises(ValueError) as beyond:
        optim.check_starts(Bowl(), [[1.0, 1.0], [2e6, 0.0]])
    assert str(beyond.value) == (
        "x0 must have every coordinate in [-1e+06, 1e+06]; the start (2e+06, 0) is outside"
    )
    with pytest.raises(ValueError) as undefined:
        optim.race(SqrtX(), SGD(lr=0.1), [[1.0, 0.0], [-1.0, 0.5]], 5)
    assert str(undefined.value) == (
        "x0 must be a point where the objective is finite, but f is NaN or inf at the start (-1, 0.5)"
    )
    with pytest.raises(ValueError, match="x0 must have every coordinate"):
        optim.minimize_loop(Bowl(), SGD(lr=0.1), [0.0, 5.0], 3, limit=1.0)
    np.testing.assert_array_equal(optim.check_starts(Bowl(), [1, 2]), [1.0, 2.0])


class Falls:
    """f = x^2 / 2 - y^2 / 2 (the saddle), declared unbounded below."""

    bounded_below = False
    name = "Saddle"
    minima = ()

    def f(self, p):
        return 0.5 * (p[..., 0] ** 2 - p[..., 1] ** 2)

    def grad(self, p):
        return np.stack([p[..., 0], -p[..., 1]], axis=-1)


def test_a_racer_sliding_off_an_unbounded_surface_is_not_blamed_on_its_rate():
    # y_t = 0.5 (1 + 0.5)^t passes 1e6 at t = 36 (1.5^36 = 2.2e6), its loss falling all the way.
    run = optim.race(Falls(), SGD(lr=0.5), [0.0, 0.5], 60)
    assert run.trajectory.diverged_at == 36
    assert run.reasons[0].startswith("ran off at step 36")
    assert "has no minimum that way" in run.reasons[0]
    assert "too large for the curvature" not in run.reasons[0]
    # Blown up along x (x_t = (1 - 3)^t, loss growing): that one is the rate.
    wild = optim.race(Falls(), SGD(lr=3.0), [1.0, 0.0], 40)
    assert "too large for the curvature" in wild.reasons[0]


def test_falls_without_floor_needs_a_deep_and_still_falling_loss():
    t = np.arange(11.0)
    falling = optim.Trajectory(np.zeros((11, 1, 2)), -(t**2)[:, None], np.array([-1]))
    assert optim.falls_without_floor(falling, floor=-9.0, span=18.0) == -100.0
    assert optim.falls_without_floor(falling, floor=-9.0, span=100.0) is None  # not deep enough
    settled = optim.Trajectory(
        np.zeros((11, 1, 2)), np.minimum(-(t**2), -50.0)[:, None], np.array([-1])
    )
    assert optim.falls_without_floor(settled, floor=0.0, span=10.0) == -100.0
    flat = optim.Trajectory(np.zeros((11, 1, 2)), np.full((11, 1), -50.0), np.array([-1]))
    assert optim.falls_without_floor(flat, floor=0.0, span=10.0) is None  # deep, but settled
    # A start that ran off is judged at its last finite step (its frozen tail repeats it).
    frozen = -(np.minimum(t, 6) ** 2)
    ran_off = optim.Trajectory(np.zeros((11, 1, 2)), frozen[:, None], np.array([7]))
    assert optim.falls_without_floor(ran_off, floor=-1.0, span=1.0) == -36.0
    assert optim.falls_without_floor(falling, floor=np.nan, span=np.nan) is None


def test_leaderboard_on_the_saddle_has_no_winner_and_keeps_the_racers_order():
    # Issue 15, the exact case: the default racers on the Saddle, where Adam falls to -796.
    from dlcore.objectives import OBJECTIVES

    saddle = OBJECTIVES["Saddle"]
    racers = [SGD(lr=1e-3), Momentum(lr=1e-3), RMSProp(lr=0.01), Adam(lr=0.05)]
    races = {o.name: minimize(saddle, o, np.array([saddle.start]), 500) for o in racers}
    board = optim.leaderboard(saddle, races, rates={o.name: o.lr for o in racers})
    assert [r["racer"] for r in board.rows] == ["SGD", "Momentum", "RMSProp", "Adam"]
    assert not board.ranked and board.winner is None and board.unbounded
    adam = board.rows[-1]["final loss (median)"]
    assert adam == pytest.approx(float(races["Adam"].losses[-1, 0])) and adam < -790
    assert board.verdict.startswith("Saddle is unbounded below: f falls without limit")
    assert "no winner" in board.verdict and "Adam slid furthest (median final loss -796)" in (
        board.verdict
    )


class KnownBowl(Bowl):
    """The bowl with its minimum listed and declared bounded below."""

    minima = ((0.0, 0.0),)
    bounded_below = True


def test_leaderboard_ranks_a_bounded_race_with_diverged_racers_last():
    x0 = np.array([[1.0, 1.0], [-1.0, 0.5]])
    races = {
        "SGD": minimize(Bowl(), SGD(lr=0.1), x0, 50),
        "Adam": minimize(Bowl(), Adam(lr=0.1), x0, 50),
        "Blown": minimize(Bowl(), SGD(lr=0.6), x0, 50),  # y scales by |1 - 2.4| > 1
    }
    board = optim.leaderboard(KnownBowl(), races, rates={"SGD": 0.1, "Adam": 0.1, "Blown": 0.6})
    finals = {k: float(np.median(t.losses[-1])) for k, t in races.items()}
    assert [r["racer"] for r in board.rows] == ["SGD", "Adam", "Blown"]
    assert finals["SGD"] < finals["Adam"]
    assert board.ranked and board.winner == "SGD" and not board.unbounded
    first = optim.summarize(races["SGD"], [(0.0, 0.0)]).first_within
    assert board.rows[0]["first step within 0.01 of a minimum"] == f"{np.median(first):.0f}"
    assert (
        board.rows[2]["diverged"].startswith("step ") and board.rows[2]["starts arrived"] == "0/2"
    )
    assert board.verdict == (
        f"SGD ends lowest (median final loss {finals['SGD']:.3g}, within 0.01 of a minimum "
        f"by step {np.median(first):.0f})."
    )
    everyone = optim.leaderboard(KnownBowl(), {"Blown": races["Blown"]}, rates={"Blown": 0.6})
    assert everyone.winner is None and everyone.verdict.startswith("Every racer diverged")
    assert "lists no known minimum" in (
        optim.leaderboard(Bowl(), {"SGD": races["SGD"]}, rates={"SGD": 0.1}).verdict
    )
    assert optim.leaderboard(Bowl(), {}, rates={}).rows == []


def test_leaderboard_judges_a_formula_of_unknown_boundedness_from_the_run():
    from dlcore.objectives import from_expression

    falls = from_expression("x**2 - y**2")
    assert falls.bounded_below is None
    races = {"Adam": minimize(falls, Adam(lr=0.05), np.array([falls.start]), 500)}
    # The map [-3, 3]^2: lowest value -9, height 18.
    board = optim.leaderboard(falls, races, rates={"Adam": 0.05}, floor=-9.0, span=18.0)
    assert board.unbounded and board.winner is None
    assert board.verdict.startswith("This surface looks unbounded below: Adam's loss fell to")
    # Without the map's numbers, or on a formula with a floor, it is an ordinary ranking.
    assert optim.leaderboard(falls, races, rates={"Adam": 0.05}).winner == "Adam"
    bowl = from_expression("x**2 + y**2")
    calm = {"Adam": minimize(bowl, Adam(lr=0.05), np.array([bowl.start]), 200)}
    assert not optim.leaderboard(bowl, calm, rates={"Adam": 0.05}, floor=0.0, span=18.0).unbounded


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_a_rate_per_start_equals_separate_runs(name):
    rates = (1e-3, 0.05, 0.3)
    x0 = np.tile([-1.0, 1.5], (3, 1))
    together = minimize(Rosenbrock(), OPTIMIZERS[name](lr=optim.RatePerStart(rates)), x0, 40)
    for i, lr in enumerate(rates):
        alone = minimize(Rosenbrock(), OPTIMIZERS[name](lr=lr), x0[i], 40)
        np.testing.assert_array_equal(together.points[:, i], alone.points)
        assert together.diverged_at[i] == alone.diverged_at
    with pytest.raises(ValueError, match="rates"):
        optim.RatePerStart((0.1, -1.0))
