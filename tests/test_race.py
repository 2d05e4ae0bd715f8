"""dlcore.race: why racers diverge, what an optimizer carries, starts, scores and honest rankings."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore import optim, race
from dlcore.optim import OPTIMIZERS, SGD, Adam, Momentum, RMSProp, minimize
from tests.surfaces import Bowl, Rosenbrock, SqrtX, Square


def test_internals_of_adam_follow_the_path():
    opt = Adam(lr=0.05)
    tr = minimize(Rosenbrock(), opt, [-1.0, 1.5], 30)
    ins = race.internals(Rosenbrock(), opt, tr.points)
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
    ins = race.internals(Bowl(), opt, tr.points)
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


def test_race_explains_each_divergence():
    blow_up = race.race(Square(), SGD(lr=1.5), [[1.0], [0.0]], 40)
    assert blow_up.reasons[1] == ""
    assert (
        blow_up.reasons[0].startswith("diverged at step 20") and "too large" in blow_up.reasons[0]
    )
    undefined = race.race(SqrtX(), SGD(lr=1.0), [1.0, 0.0], 10)
    assert undefined.reasons == [
        "diverged at step 2: stepped from (0.5, 0) to where f is not defined (NaN or inf)"
    ]

    class Cusp(SqrtX):  # gradient infinite at x = 0, where f itself is still 0
        def grad(self, p):
            return np.stack([0.5 / np.sqrt(np.abs(p[..., 0])), 2 * p[..., 1]], axis=-1)

    at_zero = race.race(Cusp(), SGD(lr=0.5), [0.0, 1.0], 5)
    assert at_zero.trajectory.diverged_at == 1 and "gradient is not defined" in at_zero.reasons[0]
    np.testing.assert_array_equal(
        optim.minimize(Square(), SGD(lr=1.5), [1.0], 40).points, blow_up.trajectory.points[:, 0]
    )


def test_summarize_scores_arrival_and_ignores_frozen_tails():
    tr = minimize(Bowl(), SGD(lr=0.5), np.array([[1.0, 0.0], [0.0, 0.0], [3.0, 3.0]]), 20)
    s = race.summarize(tr, [(0.0, 0.0)], eps=1e-2)
    # x halves each step from 1: first below 0.01 at step 7 (1/128); the origin arrives at step 0;
    # y = 3 (1 - 4 * 0.5)^t = 3 (-1)^t never settles.
    np.testing.assert_array_equal(s.first_within, [7, 0, -1])
    np.testing.assert_allclose(s.final_loss, tr.losses[-1])
    np.testing.assert_allclose(s.distance[:, 1], 0.0)
    diverged = minimize(Square(), SGD(lr=1.5), [[1.0]], 40, limit=10.0)
    ds = race.summarize(diverged, [(0.0,)], eps=1e-2)
    assert ds.diverged_at[0] == 4 and ds.first_within[0] == -1
    none = race.summarize(tr, [], eps=1e-2)
    assert none.distance is None and np.all(none.first_within == -1)
    with pytest.raises(ValueError, match="eps"):
        race.summarize(tr, [(0.0, 0.0)], eps=0)


def test_distance_to_the_nearest_of_several_minima():
    d = race.distance_to_minima([[0.0, 0.0], [3.0, 4.0], [10.0, 0.0]], [(3.0, 4.0), (10.0, 1.0)])
    np.testing.assert_allclose(d, [5.0, 0.0, 1.0])


def test_random_starts_are_seeded_and_inside_the_margin():
    a = race.random_starts(((-2.0, 2.0), (-1.0, 3.0)), 500, 3)
    assert a.shape == (500, 2)
    np.testing.assert_array_equal(a, race.random_starts(((-2.0, 2.0), (-1.0, 3.0)), 500, 3))
    assert (
        a[:, 0].min() >= -1.6
        and a[:, 0].max() <= 1.6
        and a[:, 1].min() >= -0.6
        and a[:, 1].max() <= 2.6
    )
    with pytest.raises(ValueError, match="bounds"):
        race.random_starts(((2.0, -2.0), (0.0, 1.0)), 3, 0)


def test_grid_starts_cover_the_box_evenly():
    g = race.grid_starts(((-2.0, 2.0), (-1.0, 3.0)), 3)
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
    np.testing.assert_allclose(race.grid_starts(((-2.0, 2.0), (-1.0, 3.0)), 1), [[0.0, 1.0]])
    with pytest.raises(ValueError, match="per_side"):
        race.grid_starts(((-2.0, 2.0), (-1.0, 3.0)), 0)


def test_fair_race_picks_the_best_rate_on_the_tuning_start():
    grid = [1e-3, 1e-2, 0.1, 0.5, 1.5]
    r = race.fair_race(
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
        race.fair_race(
            Bowl(), SGD(), starts=[[1.0, 1.0]], tune_start=[1.0, 1.0], steps=5, lr_grid=[0.1, -1.0]
        )


def test_race_table_has_one_row_per_racer_start_and_step():
    x0 = np.array([[1.0, 1.0], [2.0, -1.0]])
    trs = {
        "SGD": minimize(Bowl(), SGD(lr=0.1), x0, 3),
        "Adam": minimize(Bowl(), Adam(lr=0.1), x0, 3),
    }
    table = race.race_table(trs)
    assert len(table["x"]) == 2 * 2 * 4
    assert list(table["optimizer"][:8]) == ["SGD"] * 8
    np.testing.assert_array_equal(table["step"][:4], [0, 0, 1, 1])
    np.testing.assert_array_equal(table["start"][:4], [0, 1, 0, 1])
    np.testing.assert_allclose(table["y"][8:10], x0[:, 1])
    np.testing.assert_allclose(table["loss"][:2], Bowl().f(x0))
    assert not table["diverged"].any()


@pytest.mark.parametrize("beta, steps", [(0.0, 1), (0.5, 5), (0.9, 29), (0.99, 299), (0.999, 2995)])
def test_warmup_steps_is_the_first_t_with_one_minus_beta_to_the_t_past_the_level(beta, steps):
    assert race.warmup_steps(beta) == steps
    if beta > 0:
        assert 1 - beta**steps >= 0.95 > 1 - beta ** (steps - 1)


def test_warmup_steps_refuses_a_beta_without_forgetting():
    with pytest.raises(ValueError, match="beta"):
        race.warmup_steps(1.0)


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
    run = race.race(Falls(), SGD(lr=0.5), [0.0, 0.5], 60)
    assert run.trajectory.diverged_at == 36
    assert run.reasons[0].startswith("ran off at step 36")
    assert "has no minimum that way" in run.reasons[0]
    assert "too large for the curvature" not in run.reasons[0]
    # Blown up along x (x_t = (1 - 3)^t, loss growing): that one is the rate.
    wild = race.race(Falls(), SGD(lr=3.0), [1.0, 0.0], 40)
    assert "too large for the curvature" in wild.reasons[0]


def test_falls_without_floor_needs_a_deep_and_still_falling_loss():
    t = np.arange(11.0)
    falling = optim.Trajectory(np.zeros((11, 1, 2)), -(t**2)[:, None], np.array([-1]))
    assert race.falls_without_floor(falling, floor=-9.0, span=18.0) == -100.0
    assert race.falls_without_floor(falling, floor=-9.0, span=100.0) is None  # not deep enough
    settled = optim.Trajectory(
        np.zeros((11, 1, 2)), np.minimum(-(t**2), -50.0)[:, None], np.array([-1])
    )
    assert race.falls_without_floor(settled, floor=0.0, span=10.0) == -100.0
    flat = optim.Trajectory(np.zeros((11, 1, 2)), np.full((11, 1), -50.0), np.array([-1]))
    assert race.falls_without_floor(flat, floor=0.0, span=10.0) is None  # deep, but settled
    # A start that ran off is judged at its last finite step (its frozen tail repeats it).
    frozen = -(np.minimum(t, 6) ** 2)
    ran_off = optim.Trajectory(np.zeros((11, 1, 2)), frozen[:, None], np.array([7]))
    assert race.falls_without_floor(ran_off, floor=-1.0, span=1.0) == -36.0
    assert race.falls_without_floor(falling, floor=np.nan, span=np.nan) is None


def test_leaderboard_on_the_saddle_has_no_winner_and_keeps_the_racers_order():
    # Issue 15, the exact case: the default racers on the Saddle, where Adam falls to -796.
    from dlcore.objectives import OBJECTIVES

    saddle = OBJECTIVES["Saddle"]
    racers = [SGD(lr=1e-3), Momentum(lr=1e-3), RMSProp(lr=0.01), Adam(lr=0.05)]
    races = {o.name: minimize(saddle, o, np.array([saddle.start]), 500) for o in racers}
    board = race.leaderboard(saddle, races, rates={o.name: o.lr for o in racers})
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
    board = race.leaderboard(KnownBowl(), races, rates={"SGD": 0.1, "Adam": 0.1, "Blown": 0.6})
    finals = {k: float(np.median(t.losses[-1])) for k, t in races.items()}
    assert [r["racer"] for r in board.rows] == ["SGD", "Adam", "Blown"]
    assert finals["SGD"] < finals["Adam"]
    assert board.ranked and board.winner == "SGD" and not board.unbounded
    first = race.summarize(races["SGD"], [(0.0, 0.0)]).first_within
    assert board.rows[0]["first step within 0.01 of a minimum"] == f"{np.median(first):.0f}"
    assert (
        board.rows[2]["diverged"].startswith("step ") and board.rows[2]["starts arrived"] == "0/2"
    )
    assert board.verdict == (
        f"SGD ends lowest (median final loss {finals['SGD']:.3g}, within 0.01 of a minimum "
        f"by step {np.median(first):.0f})."
    )
    everyone = race.leaderboard(KnownBowl(), {"Blown": races["Blown"]}, rates={"Blown": 0.6})
    assert everyone.winner is None and everyone.verdict.startswith("Every racer diverged")
    assert "lists no known minimum" in (
        race.leaderboard(Bowl(), {"SGD": races["SGD"]}, rates={"SGD": 0.1}).verdict
    )
    assert race.leaderboard(Bowl(), {}, rates={}).rows == []


def test_leaderboard_judges_a_formula_of_unknown_boundedness_from_the_run():
    from dlcore.objectives import from_expression

    falls = from_expression("x**2 - y**2")
    assert falls.bounded_below is None
    races = {"Adam": minimize(falls, Adam(lr=0.05), np.array([falls.start]), 500)}
    # The map [-3, 3]^2: lowest value -9, height 18.
    board = race.leaderboard(falls, races, rates={"Adam": 0.05}, floor=-9.0, span=18.0)
    assert board.unbounded and board.winner is None
    assert board.verdict.startswith("This surface looks unbounded below: Adam's loss fell to")
    # Without the map's numbers, or on a formula with a floor, it is an ordinary ranking.
    assert race.leaderboard(falls, races, rates={"Adam": 0.05}).winner == "Adam"
    bowl = from_expression("x**2 + y**2")
    calm = {"Adam": minimize(bowl, Adam(lr=0.05), np.array([bowl.start]), 200)}
    assert not race.leaderboard(bowl, calm, rates={"Adam": 0.05}, floor=0.0, span=18.0).unbounded


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_a_rate_per_start_equals_separate_runs(name):
    rates = (1e-3, 0.05, 0.3)
    x0 = np.tile([-1.0, 1.5], (3, 1))
    together = minimize(Rosenbrock(), OPTIMIZERS[name](lr=race.RatePerStart(rates)), x0, 40)
    for i, lr in enumerate(rates):
        alone = minimize(Rosenbrock(), OPTIMIZERS[name](lr=lr), x0[i], 40)
        np.testing.assert_array_equal(together.points[:, i], alone.points)
        assert together.diverged_at[i] == alone.diverged_at
    with pytest.raises(ValueError, match="rates"):
        race.RatePerStart((0.1, -1.0))


@pytest.mark.parametrize(("beta", "steps"), [(0.0, 1), (0.5, 2), (0.9, 10), (0.99, 100)])
def test_memory_steps_is_the_sum_of_the_weights_of_past_gradients(beta, steps):
    assert race.memory_steps(beta) == steps
    weights = beta ** np.arange(10_000)
    assert weights.sum() == pytest.approx(steps, rel=0.01)
