"""dlcore.views.gradient_descent: each panel's numbers against NumPy/SciPy and by hand, degenerate cases included."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.linalg import expm

from dlcore import conditioning, minibatch
from dlcore import descent as gd
from dlcore.views import gradient_descent as views


# ------------------------------------------------------------------ step size
def test_step_size_view_on_the_quadratic_is_the_geometric_sequence():
    w = views.step_size_view("Quadratic", 2.0, "", 1.6, 0.3, 20)
    k = np.arange(21)
    np.testing.assert_allclose(w.x, 1.6 * 0.4**k, rtol=1e-12)  # factor 1 - 0.3 * 2
    np.testing.assert_allclose(w.fx, w.x**2, rtol=1e-12)  # f = lambda/2 x^2 with lambda = 2
    np.testing.assert_allclose(w.dfx, 2 * w.x, rtol=1e-12)
    assert w.curvature == 2.0 and w.inverse == 0.5 and w.double_inverse == 1.0
    assert w.curved and not w.local and w.last_step == 20
    assert w.verdict.name == "monotone" and w.verdict.warning == ""
    assert w.verdict.regime.factor == pytest.approx(0.4)
    assert (w.xs[0], w.xs[-1], w.xs.size) == (-3.0, 3.0, 400)
    np.testing.assert_allclose(w.fxs, w.xs**2)
    assert list(w.table) == ["step", "x", "f(x)", "f'(x)"]
    np.testing.assert_array_equal(w.table["step"], k)
    assert w.latex == r"f(x) = \tfrac{\lambda}{2}\,x^2 = \,x^2"


def test_step_size_view_reads_the_local_curvature_off_a_quadratic():
    w = views.step_size_view("Quartic with two minima", 2.0, "", 1.6, 0.3, 20)
    assert w.local and w.curvature == pytest.approx(12 * w.x[-1] ** 2 - 4, rel=1e-12)
    assert w.verdict.sentence.endswith(gd.LOCAL_CAVEAT)


def test_step_size_view_widens_the_view_to_hold_the_start():
    w = views.step_size_view("Quadratic", 2.0, "", -5.0, 0.1, 5)
    assert (w.xs[0], w.xs[-1]) == (-5.0, 3.0)


def test_step_size_view_cuts_a_diverged_run():
    w = views.step_size_view("Quadratic", 2.0, "", 1.6, 1.2, 100)
    # |x_k| = 1.6 * 1.4^k passes 10^6 at k = 40
    k = math.ceil(math.log(1e6 / 1.6) / math.log(1.4))
    assert w.x.size == k and np.all(np.abs(w.x) <= 1e6) and w.last_step == k - 1
    assert w.verdict.warning.startswith(f"Diverged at step {k}")


def test_step_size_view_of_exp_says_there_is_no_minimum():
    """Issue 15, the exact case: exp(x) typed, default start, rate and steps."""
    w = views.step_size_view(views.TYPED, 2.0, "exp(x)", 1.6, 0.3, 20)
    assert w.curvature == pytest.approx(math.exp(w.x[-1]))  # f'' = e^x > 0 ...
    assert w.verdict.regime.name == "monotone"
    assert w.verdict.name == gd.NO_MINIMUM  # ... yet no minimum: the badge says so
    assert "towards the minimum" not in w.verdict.sentence


def test_step_size_view_without_positive_curvature_has_no_marks():
    w = views.step_size_view(views.TYPED, 2.0, "-x**2", 1.6, 0.3, 20)
    assert not w.curved and math.isnan(w.inverse) and math.isnan(w.double_inverse)
    assert w.verdict.name == "repelled" and w.verdict.warning.startswith("No minimum")


def test_step_size_view_rejects_bad_input_with_a_message():
    with pytest.raises(ValueError, match="empty"):
        views.step_size_view(views.TYPED, 2.0, "", 1.6, 0.3, 20)
    with pytest.raises(ValueError, match="objective is finite"):
        views.step_size_view(views.TYPED, 2.0, "sqrt(-1 - x**2)", 1.6, 0.3, 20)
    with pytest.raises(ValueError, match="function must be one of"):
        views.step_size_view("Cubic", 2.0, "", 1.6, 0.3, 20)


# -------------------------------------------------------------- conditioning
@pytest.mark.parametrize("kappa", [1.0, 10.0, 100.0])
def test_conditioning_view_best_step_matches_the_theory(kappa):
    w = views.conditioning_view(
        kappa, 60, best=True, lr_times_lmax=1.0, beta=0.0, tuned=False, flow=False
    )
    np.testing.assert_allclose(w.eigen.values, np.linalg.eigvalsh(w.H), rtol=1e-9)
    np.testing.assert_allclose(w.eigen.values, [1.0, kappa], rtol=1e-9)
    assert w.kappa == pytest.approx(kappa) and w.lr == pytest.approx(2 / (1 + kappa))
    assert w.rates[views.GD] == pytest.approx((kappa - 1) / (kappa + 1), abs=1e-12)
    assert w.best_rate == pytest.approx((kappa - 1) / (kappa + 1))
    assert list(w.paths) == [views.GD] and w.paths[views.GD].shape == (61, 2)
    np.testing.assert_allclose(w.errors[views.GD], np.linalg.norm(w.paths[views.GD], axis=1))
    assert w.warnings == () and set(w.steps_needed) == {views.GD}
    if kappa > 1:
        assert w.observed[views.GD] == pytest.approx(w.rates[views.GD], rel=1e-3)
    else:  # kappa = 1: the best step lands on the minimum at once
        assert (
            w.rates[views.GD] == pytest.approx(0.0, abs=1e-12) and w.steps_needed[views.GD] == "1"
        )


def test_conditioning_view_surface_and_axes():
    w = views.conditioning_view(
        10.0, 60, best=True, lr_times_lmax=1.0, beta=0.6, tuned=False, flow=False
    )
    g = w.grid
    P = np.stack(np.meshgrid(g, g), axis=-1)
    f = 0.5 * np.einsum("...i,ij,...j->...", P, w.H, P)
    np.testing.assert_allclose(w.z, np.sqrt(f), rtol=1e-9, atol=1e-12)
    (c0, d0), (c1, d1) = w.axes.values()
    np.testing.assert_allclose(w.H @ d1, 10.0 * d1, rtol=1e-9)  # the λ_max direction
    np.testing.assert_allclose(w.H @ d0, d0, rtol=1e-9)
    assert np.all(c0 == 0) and np.all(w.minimum == 0)


def test_conditioning_view_momentum_and_polyak_tuning():
    w = views.conditioning_view(
        10.0, 200, best=True, lr_times_lmax=1.0, beta=0.6, tuned=False, flow=False
    )
    lam = np.array([1.0, 10.0])
    assert w.lr_momentum == w.lr and w.beta == 0.6
    assert w.rates[views.MOMENTUM] == pytest.approx(
        conditioning.momentum_rate(w.lr, 0.6, lam), rel=1e-9
    )
    tuned = views.conditioning_view(
        10.0, 200, best=True, lr_times_lmax=1.0, beta=0.0, tuned=True, flow=False
    )
    s = math.sqrt(10.0)
    assert tuned.lr_momentum == pytest.approx(4 / (s + 1) ** 2)
    assert tuned.beta == pytest.approx(((s - 1) / (s + 1)) ** 2)
    assert tuned.rates[views.MOMENTUM] == pytest.approx((s - 1) / (s + 1), rel=1e-6)
    assert tuned.observed[views.MOMENTUM] == pytest.approx((s - 1) / (s + 1), rel=0.05)
    assert tuned.marks[views.MOMENTUM][0] == pytest.approx(tuned.lr_momentum * 10.0)


def test_conditioning_view_warns_on_divergence_and_on_the_boundary():
    diverge = views.conditioning_view(
        10.0, 60, best=False, lr_times_lmax=2.3, beta=0.05, tuned=False, flow=False
    )
    assert [w.split(" ")[0] for w in diverge.warnings] == ["Gradient", "Momentum"]
    assert diverge.rates[views.GD] == pytest.approx(1.3)
    assert diverge.steps_needed == {views.GD: "never", views.MOMENTUM: "never"}
    edge = views.conditioning_view(
        10.0, 60, best=False, lr_times_lmax=2.0, beta=0.0, tuned=False, flow=False
    )
    assert len(edge.warnings) == 1 and "does not converge" in edge.warnings[0]


def test_conditioning_view_gradient_flow_is_the_matrix_exponential():
    w = views.conditioning_view(
        10.0, 60, best=True, lr_times_lmax=1.0, beta=0.0, tuned=False, flow=True
    )
    assert list(w.paths)[0] == views.FLOW and views.FLOW not in w.errors
    flow = w.paths[views.FLOW]
    x0 = w.paths[views.GD][0]
    exact = expm(-w.H * (w.lr * 60)) @ x0  # dx/dt = -H x
    assert flow.shape == (150, 2)
    np.testing.assert_allclose(flow[0], x0)
    np.testing.assert_allclose(flow[-1], exact, atol=1e-4)
    assert "step" in w.table and w.table[f"{views.GD} x"].size == 61


# -------------------------------------------------------------- mini-batches
def test_batch_sizes_never_race_a_duplicate():
    assert list(views.batch_sizes(16).values()) == [200, 16, 1]
    assert list(views.batch_sizes(1).values()) == [200, 1]
    assert list(views.batch_sizes(200).values()) == [200, 1]


def test_mini_batch_view_against_least_squares_and_the_noise_formula():
    w = views.mini_batch_view(0.05, 16, 8, 0, by_epoch=True)
    data = minibatch.make_linear_data(200, w=2.0, b=-1.0, noise=0.8, rng=0)
    np.testing.assert_allclose(w.best, np.polyfit(data.x, data.y, 1), rtol=1e-10)
    assert w.floor == pytest.approx(np.mean((np.polyval(w.best, data.x) - data.y) ** 2))
    assert w.noise_std[-1] == 0.0  # the full batch has no gradient noise
    np.testing.assert_allclose(
        w.noise_std[:50],
        w.noise_std[0] * np.sqrt((200 - w.noise_sizes[:50]) / (w.noise_sizes[:50] * 199)),
    )
    assert w.table["updates per epoch"] == [1, 13, 200]
    assert w.table["gradient noise (std)"] == [f"{w.noise_std[b - 1]:.3g}" for b in (200, 16, 1)]
    assert w.message == ("", "")
    # per epoch: every run's full-data loss after each pass, plus the logged mean batch loss
    assert set(w.curves) == {*w.runs, "Mini-batch (B = 16) · logged", "Stochastic (B = 1) · logged"}
    assert w.dashed == ("Mini-batch (B = 16) · logged", "Stochastic (B = 1) · logged")
    # every curve pairs one x with one loss (the full batch once had an epoch too many)
    assert all(x.size == y.size for x, y in w.curves.values())
    x, loss = w.curves["Full batch"]
    np.testing.assert_array_equal(x, np.arange(9))
    np.testing.assert_allclose(loss, w.runs["Full batch"].epoch_loss)
    chosen = w.runs["Mini-batch (B = 16)"]
    np.testing.assert_allclose(w.csv["epoch"], np.arange(len(chosen.loss)) / 13)
    np.testing.assert_array_equal(w.csv["w"], chosen.params[:, 0])


def test_mini_batch_view_per_update_and_divergence():
    w = views.mini_batch_view(0.6, 16, 8, 0, by_epoch=False)
    assert w.x_title == "update" and w.dashed == ()
    diverged = [name for name, run in w.runs.items() if run.diverged_at > 0]
    assert (
        diverged and w.message.level == "warning" and w.message.text.startswith(", ".join(diverged))
    )
    for name in diverged:
        run = w.runs[name]
        assert len(w.paths[name]) == run.diverged_at  # cut where it left the bound
        assert w.curves[name][1].size == run.diverged_at
        assert w.table["final loss"][list(w.runs).index(name)] == "diverged"
    by_epoch = views.mini_batch_view(0.6, 16, 8, 0, by_epoch=True)
    for name in diverged:
        run = by_epoch.runs[name]
        # whole epochs before the blow-up: row k of params is after k updates
        done = (run.diverged_at - 1) // run.updates_per_epoch
        assert by_epoch.curves[name][1].size == done + 1
    assert all(x.size == y.size for x, y in by_epoch.curves.values())


def test_mini_batch_view_explains_the_stochastic_jumps():
    w = views.mini_batch_view(0.2, 16, 8, 0, by_epoch=True)
    assert w.message.level == "info" and "overshoots" in w.message.text
