"""dlcore.views.optimizer_race: each panel's numbers against dlcore, NumPy and hand-derived values,
bad input and degenerate surfaces (no minimum, undefined regions) included."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlcore import optim, race, schedules
from dlcore.objectives import OBJECTIVES, from_expression
from dlcore.views import optimizer_race as views

ROSENBROCK = OBJECTIVES["Rosenbrock"]
DEFAULT = (
    views.RacerSpec("SGD", 1e-3),
    views.RacerSpec("Momentum", 1e-3, momentum=0.9),
    views.RacerSpec("RMSProp", 0.01, alpha=0.99),
    views.RacerSpec("Adam", 0.05, betas=(0.9, 0.999)),
)


# ------------------------------------------------------------------ surfaces and starts


def test_objective_for_the_registry_a_formula_and_an_unknown_name():
    assert views.objective_for("Rosenbrock") is ROSENBROCK
    assert views.surface_names() == [*OBJECTIVES, views.FORMULA]
    typed = views.objective_for(views.FORMULA, "x**2 + y**2")
    assert typed.f(np.array([3.0, 4.0])) == 25.0
    with pytest.raises(ValueError, match="surface must be one of"):
        views.objective_for("Everest")
    with pytest.raises(ValueError):
        views.objective_for(views.FORMULA, "__import__('os')")


@pytest.mark.parametrize(
    ("x0", "y0", "message"),
    [
        (
            "abc",
            1.0,
            "The start needs two numbers, but x₀ is 'abc': type a number in [-1000, 1000].",
        ),
        (1.0, None, "The start needs two numbers, but y₀ is None: type a number in [-1000, 1000]."),
        (
            5000.0,
            1.0,
            "The start x₀ = 5000 is out of range: x₀ and y₀ must each lie in [-1000, 1000] "
            "(the map shows x ∈ [-2, 2], y ∈ [-1, 3]).",
        ),
        (
            0.0,
            -math.inf,
            "The start y₀ = -inf is out of range: x₀ and y₀ must each lie in [-1000, 1000] "
            "(the map shows x ∈ [-2, 2], y ∈ [-1, 3]).",
        ),
        (True, 1.0, "The start needs two numbers, but x₀ is True"),
    ],
)
def test_check_start_says_what_to_change_and_names_the_range(x0, y0, message):
    # Issue 15: the start-point error text was garbled; now one sentence with the range.
    with pytest.raises(ValueError) as err:
        views.check_start(ROSENBROCK, x0, y0)
    assert str(err.value).startswith(message)


def test_check_start_where_the_formula_is_undefined_and_at_the_limits():
    log = from_expression("log(x) + y**2")
    with pytest.raises(ValueError) as err:
        views.check_start(log, -1.0, 0.5)
    assert str(err.value) == (
        "f is not defined at the start (x₀, y₀) = (-1, 0.5): it is NaN or infinite there. "
        "Choose “Your start” and move it to a point where the formula is defined (the map "
        "shows x ∈ [-3, 3], y ∈ [-3, 3]; white is where f is undefined)."
    )
    np.testing.assert_array_equal(views.check_start(ROSENBROCK, -1000, 1000.0), [-1000.0, 1000.0])


def test_race_starts_for_every_mode():
    obj = ROSENBROCK
    np.testing.assert_array_equal(views.race_starts(obj, views.StartSpec()), [obj.start])
    np.testing.assert_array_equal(
        views.race_starts(obj, views.StartSpec("Your start", x0=0.5)), [[0.5, obj.start[1]]]
    )
    np.testing.assert_array_equal(
        views.race_starts(obj, views.StartSpec("Grid of starts", per_side=4)),
        race.grid_starts(obj.bounds, 4),
    )
    random = views.race_starts(obj, views.StartSpec("Random starts", n=7, seed=3))
    np.testing.assert_array_equal(random, race.random_starts(obj.bounds, 7, 3))
    with pytest.raises(ValueError, match="start mode must be one of"):
        views.race_starts(obj, views.StartSpec("Everywhere"))
    # Half of a 3 x 3 grid over [-3, 3]^2 has x <= 0, where log is undefined.
    with pytest.raises(ValueError) as err:
        views.race_starts(
            from_expression("log(x) + y**2"), views.StartSpec("Grid of starts", per_side=3)
        )
    assert str(err.value).startswith("f is not defined at 6 of the 9 grid starts (for one, at (")


def test_outside_warning_only_when_a_start_is_off_the_map():
    assert views.outside_warning(ROSENBROCK, np.array([[0.0, 0.0], [2.0, 3.0]])) == ""
    text = views.outside_warning(ROSENBROCK, np.array([[0.0, 0.0], [2.5, 0.0]]))
    assert text.startswith("The start is outside the plotted region x ∈ [-2, 2], y ∈ [-1, 3]")


# ------------------------------------------------------------------ racers


def test_make_racer_applies_the_hyper_parameters_and_the_schedule_shape():
    adam = views.make_racer(views.RacerSpec("AdamW", 0.05, betas=(0.8, 0.99), weight_decay=0.1))
    assert (adam.lr, adam.betas, adam.weight_decay) == (0.05, (0.8, 0.99), 0.1)
    assert views.make_racer(views.RacerSpec("Momentum", 0.01)).momentum == 0.9  # torch default
    cosine = views.make_racer(views.RacerSpec("SGD", 0.2), schedule="Cosine", steps=100)
    expected = schedules.fitted("Cosine", lr=0.2, steps=100)
    assert cosine.lr == expected and cosine.lr(0) == pytest.approx(0.2)
    assert cosine.lr(50) == pytest.approx(0.1)  # half way down half a cosine
    with pytest.raises(ValueError, match="racer must be one of"):
        views.make_racer(views.RacerSpec("Lion", 0.1))


def test_frame_steps_keep_both_ends_and_at_most_the_points_asked():
    assert views.frame_steps(500) == tuple(range(0, 501, 10))
    assert views.frame_steps(10) == tuple(range(11))
    assert views.frame_steps(990)[-1] == 990 and len(views.frame_steps(990)) == 51


# ------------------------------------------------------------------ the race


def test_race_view_curves_and_board_match_dlcore_by_hand():
    w = views.race_view("Rosenbrock", "", views.StartSpec(), DEFAULT, "Constant", 300)
    start = np.array([ROSENBROCK.start])
    sgd = optim.minimize(ROSENBROCK, optim.SGD(lr=1e-3), start, 300)
    np.testing.assert_array_equal(w.paths["SGD"], sgd.points)
    # f* = f(1, 1) = 0 on Rosenbrock, so the loss curve is the loss itself.
    np.testing.assert_allclose(w.loss_curves["SGD"], sgd.losses[:, 0])
    np.testing.assert_allclose(
        w.distance_curves["SGD"], np.hypot(sgd.points[:, 0, 0] - 1, sgd.points[:, 0, 1] - 1)
    )
    assert w.loss_log and w.loss_ytitle == "f − f*" and w.curve_note == ""
    assert w.first_div == {name: -1 for name in ("SGD", "Momentum", "RMSProp", "Adam")}
    expected = race.leaderboard(
        ROSENBROCK,
        w.trajectories,
        rates={"SGD": 1e-3, "Momentum": 1e-3, "RMSProp": 0.01, "Adam": 0.05},
        floor=float(np.nanmin(w.grid.z)),
        span=float(np.nanmax(w.grid.z) - np.nanmin(w.grid.z)),
    )
    assert w.board == expected and w.board.winner == w.board.rows[0]["racer"]
    assert w.grid.z.shape == (views.GRID_N, views.GRID_N)
    assert w.rules[0] == ("SGD", r"\theta_{t+1} = \theta_t - 0.001\, g_t")
    assert w.schedule_latex == r"\eta_t / \eta = 1"
    assert w.frame_steps == views.frame_steps(300) and w.warnings == () and w.outside == ""


def test_race_view_on_a_surface_above_a_nonzero_minimum_subtracts_f_star():
    w = views.race_view(
        views.FORMULA, "x**2 + y**2 + 5", views.StartSpec(), DEFAULT[:1], "Constant", 20
    )
    assert w.distance_curves is None and not w.loss_log  # a formula lists no minimum
    np.testing.assert_allclose(w.loss_curves["SGD"], w.losses["SGD"][:, 0])
    bowl = views.race_view("Quadratic bowl", "", views.StartSpec(), DEFAULT[:1], "Constant", 20)
    x = np.array(OBJECTIVES["Quadratic bowl"].start)
    # SGD on (x^2 + y^2) / 2 scales the point by (1 - lr) each step.
    radius = np.hypot(*x) * (1 - 1e-3) ** np.arange(21)
    np.testing.assert_allclose(bowl.distance_curves["SGD"], radius)
    np.testing.assert_allclose(bowl.loss_curves["SGD"], 0.5 * radius**2)


def test_race_view_flags_divergence_and_ranks_the_diverged_racer_last():
    racers = (views.RacerSpec("SGD", 0.1), views.RacerSpec("Adam", 0.05, betas=(0.9, 0.999)))
    w = views.race_view("Rosenbrock", "", views.StartSpec(), racers, "Constant", 100)
    assert len(w.warnings) == 1 and w.warnings[0].startswith("**SGD** diverged at step ")
    assert w.warnings[0].endswith(
        "too large for the curvature. Its path stops at its last finite point."
    )
    assert w.first_div["SGD"] > 0 and w.first_div["Adam"] == -1
    assert [row["racer"] for row in w.board.rows] == ["Adam", "SGD"]


def test_divergence_warnings_name_the_start_when_there_are_many():
    run = race.race(ROSENBROCK, optim.SGD(lr=0.1), np.array([[1.0, 1.0], [-1.5, 2.5]]), 50)
    (text,) = views.divergence_warnings({"SGD": run}, 2)
    assert text.startswith("**SGD** (start 1) diverged at step ")
    assert views.divergence_warnings({"SGD": run._replace(reasons=["", ""])}, 2) == ()


def test_race_view_on_the_saddle_has_no_distance_and_no_winner():
    w = views.race_view("Saddle", "", views.StartSpec(), DEFAULT, "Constant", 500)
    assert w.distance_curves is None and not w.loss_log and w.loss_ytitle == "f"
    assert w.curve_note.startswith("This surface lists no known minimum")
    assert w.board.unbounded and w.board.winner is None and not w.board.ranked
    # Adam climbs down the y axis by at least about eta = 0.05 a step (its second moment lags
    # the growing gradient, so more): y ends near 40, f = -y^2 / 2 near -796.
    y = w.paths["Adam"][:, 0, 1]
    assert np.all(np.diff(y) > 0) and (y[-1] - y[0]) / 500 > 0.05
    adam_y = y[-1]
    assert w.board.rows[-1]["final loss (median)"] == pytest.approx(
        0.5 * (w.paths["Adam"][-1, 0, 0] ** 2 - adam_y**2)
    )
    assert w.board.rows[-1]["final loss (median)"] == pytest.approx(-796.03, abs=0.01)


def test_race_view_refuses_a_bad_start_with_the_sentence():
    with pytest.raises(
        ValueError, match=r"^f is not defined at the start \(x₀, y₀\) = \(-2.4, 2.4\)"
    ):
        views.race_view(views.FORMULA, "log(x) + y**2", views.StartSpec(), DEFAULT, "Constant", 10)


# ------------------------------------------------------------------ your formula


def test_formula_view_gradient_is_exact_and_checked():
    w = views.formula_view("x**2 + 3*y**2 + 2*sin(x*y)")
    x, y = w.start
    assert (x, y) == (-2.4, 2.4)
    exact = [2 * x + 2 * np.cos(x * y) * y, 6 * y + 2 * np.cos(x * y) * x]
    np.testing.assert_allclose(w.grad, exact)
    np.testing.assert_allclose(w.descent, -np.asarray(exact))
    np.testing.assert_allclose(w.numeric, exact, rtol=1e-6)
    assert w.check < 1e-8 and w.value == pytest.approx(x**2 + 3 * y**2 + 2 * np.sin(x * y))
    assert r"\frac{\partial f}{\partial y} &= 6 y + 2 \cos\left(x y\right) \cdot x" in (
        w.gradient_latex
    )
    assert w.undefined == 0.0 and w.problem == ""
    assert w.notice == views.formula_notice(w.check, 0.0)


def test_formula_view_where_f_is_undefined():
    w = views.formula_view("log(x) + y**2")
    # 120 grid columns over [-3, 3], none at 0: exactly half have x < 0.
    assert w.undefined == 0.5
    assert w.problem.startswith("f is not defined at the start (x₀, y₀) = (-2.4, 2.4)")
    assert math.isnan(w.check) and math.isnan(w.value)
    assert "f is undefined on 50% of the map" in w.notice
    assert "relative error" not in w.notice
    with pytest.raises(ValueError):
        views.formula_view("9**9**9")


# ------------------------------------------------------------------ schedules


@pytest.mark.parametrize(
    ("finals", "diverged", "unbounded", "effect"),
    [
        ((1.0, 0.5), (False, False), False, "lower with the schedule"),
        ((0.5, 1.0), (False, False), False, "higher with the schedule"),
        ((0.5, 0.5), (False, False), False, "the same"),
        ((0.0, 0.0), (False, False), False, "the same"),
        ((1.0, 2.0), (True, False), False, "the schedule kept it from diverging"),
        ((1.0, 2.0), (False, True), False, "diverged only with the schedule"),
        ((1.0, 2.0), (True, True), False, "diverged either way"),
        ((-1.0, -5.0), (False, False), True, "slid further with the schedule"),
        ((-5.0, -1.0), (False, False), True, "slid less with the schedule"),
    ],
)
def test_schedule_effect(finals, diverged, unbounded, effect):
    assert views.schedule_effect(*finals, diverged=diverged, unbounded=unbounded) == effect


def test_schedule_verdict_counts_the_racers_helped():
    effects = [
        "lower with the schedule",
        "higher with the schedule",
        "the schedule kept it from diverging",
    ]
    assert views.schedule_verdict("Cosine", effects).startswith(
        "Cosine lowered the final loss of 2 of 3 racers."
    )
    assert views.schedule_verdict("Constant", effects).startswith("Constant keeps every rate fixed")
    assert "no minimum" in views.schedule_verdict("Cosine", effects, unbounded=True)


def test_schedule_view_against_two_separate_races():
    w = views.schedule_view("Rosenbrock", "", views.StartSpec(), DEFAULT[:2], "Cosine", 200)
    np.testing.assert_allclose(
        w.multiplier, schedules.fitted("Cosine", lr=1.0, steps=200)(np.arange(200))
    )
    start = np.array([ROSENBROCK.start])
    flat = optim.minimize(ROSENBROCK, optim.SGD(lr=1e-3), start, 200)
    shaped = optim.minimize(
        ROSENBROCK, optim.SGD(lr=schedules.fitted("Cosine", lr=1e-3, steps=200)), start, 200
    )
    np.testing.assert_allclose(w.constant["SGD"], flat.losses[:, 0])
    np.testing.assert_allclose(w.scheduled["SGD"], shaped.losses[:, 0])
    row = w.rows[0]
    assert row["final loss, constant η"] == pytest.approx(flat.losses[-1, 0])
    assert row["final loss, Cosine"] == pytest.approx(shaped.losses[-1, 0])
    # Halving the rate on average slows SGD in Rosenbrock's valley.
    assert row["effect"] == "higher with the schedule"
    assert w.latex == schedules.multiplier_latex("Cosine", 200) and w.log
    same = views.schedule_view("Rosenbrock", "", views.StartSpec(), DEFAULT[:1], "Constant", 50)
    np.testing.assert_array_equal(same.constant["SGD"], same.scheduled["SGD"])
    assert same.rows[0]["effect"] == "the same" and same.verdict.startswith("Constant keeps")


# ------------------------------------------------------------------ the fair race


def test_fair_view_rows_are_fair_race_results():
    w = views.fair_view("Rosenbrock", "", DEFAULT[:2], 5, 2, 60)
    direct = race.fair_race(
        ROSENBROCK,
        optim.SGD(lr=1e-3),
        starts=race.random_starts(ROSENBROCK.bounds, 5, 2),
        tune_start=race.random_starts(ROSENBROCK.bounds, 1, 3)[0],
        steps=60,
        lr_grid=views.LR_GRID,
        minima=ROSENBROCK.minima,
        eps=views.EPS,
    )
    assert w.results["SGD"].lr == direct.lr
    np.testing.assert_array_equal(w.results["SGD"].tune_losses, direct.tune_losses)
    assert w.rows[0] == {
        "racer": "SGD",
        "tuned η": direct.lr,
        "median final loss": direct.median_final_loss,
        "median first step within 0.01": direct.median_first_within,
        "diverged": direct.diverged,
    }
    assert w.note == ""
    saddle = views.fair_view("Saddle", "", DEFAULT[:1], 3, 0, 30)
    assert saddle.note.startswith("Saddle has no minimum: tuning for the lowest final loss")
    with pytest.raises(ValueError, match="evaluation starts"):
        views.fair_view(views.FORMULA, "log(x)", DEFAULT[:1], 9, 0, 10)
