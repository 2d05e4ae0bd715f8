"""The optimizer race page under AppTest: every widget, values shown, bad input."""

from __future__ import annotations

from tests.pagetest import assert_clean, drive_widgets, open_page

PAGE = "pages/9_Optimizer_Race.py"


def _latex(at) -> str:
    return "\n".join(e.value for e in at.latex)


def test_default_view_races_and_shows_the_rules():
    at = open_page(PAGE)
    assert_clean(at)
    assert not at.error and not at.warning
    assert at.multiselect(key="opt_racers").value == ["SGD", "Momentum", "RMSProp", "Adam"]
    tex = _latex(at)
    # Rosenbrock's formula and each racer's rule with its current numbers.
    assert "100" in tex and r"\theta_{t+1} = \theta_t - 0.001\, g_t" in tex
    assert r"b_t = 0.9\, b_{t-1}" in tex and r"0.05\, \frac{\hat m_t}" in tex
    board = at.dataframe[0].value
    assert list(board["racer"]) and set(board["racer"]) == {"SGD", "Momentum", "RMSProp", "Adam"}
    assert len(at.get("plotly_chart")) >= 6


def test_every_widget_drives_without_exception():
    runs = drive_widgets(PAGE, max_options=2, skip=("opt_fair",))
    assert runs > 30


def test_sliders_are_bound_to_the_formulas():
    at = open_page(PAGE)
    at.select_slider(key="opt_lr_sgd").set_value(0.02).run()
    at.slider(key="opt_mu_momentum").set_value(0.5).run()
    at.select_slider(key="opt_b2_adam").set_value(0.99).run()
    assert_clean(at)
    tex = _latex(at)
    assert r"\theta_{t+1} = \theta_t - 0.02\, g_t" in tex
    assert r"b_t = 0.5\, b_{t-1}" in tex
    assert r"v_t = 0.99\, v_{t-1} + 0.01\, g_t^2" in tex


def test_shared_rate_and_schedule_reach_every_racer():
    at = open_page(PAGE)
    at.toggle(key="opt_shared").set_value(True).run()
    at.select_slider(key="opt_lr").set_value(0.01).run()
    at.selectbox(key="opt_schedule").select("Cosine").run()
    assert_clean(at)
    tex = _latex(at)
    assert r"\eta_t / \eta = 0 + \tfrac12 (1 - 0)" in tex
    assert tex.count(r"\eta_t") >= 4  # the schedule replaces the number in every rule
    assert set(at.dataframe[0].value["η"]) == {"schedule"}


def test_divergence_is_flagged_with_step_and_reason():
    at = open_page(PAGE)
    at.select_slider(key="opt_lr_sgd").set_value(0.1).run()
    assert_clean(at)
    warnings = [w.value for w in at.warning]
    assert any("SGD" in w and "diverged at step" in w and "too large" in w for w in warnings), (
        warnings
    )
    row = next(r for _, r in at.dataframe[0].value.iterrows() if r["racer"] == "SGD")
    assert row["diverged"].startswith("step ")
    assert len(at.get("plotly_chart")) >= 6  # the charts still draw


def test_formula_errors_and_undefined_start_are_messages():
    at = open_page(PAGE)
    at.selectbox(key="opt_surface").select("Your formula").run()
    assert_clean(at)
    assert not at.error
    at.text_input(key="opt_formula").set_value("__import__('os').system('ls')").run()
    assert_clean(at)
    assert len(at.error) == 1 and "function" in at.error[0].value
    at.text_input(key="opt_formula").set_value("log(x) + y**2").run()
    assert_clean(at)
    assert at.error and "x0 must be a point where the objective is finite" in at.error[0].value
    # Moved inside log's domain, the race runs; racers that step to x <= 0 are flagged.
    at.segmented_control(key="opt_start").set_value("Your start").run()
    at.number_input(key="opt_x0").set_value(2.0).run()
    assert_clean(at)
    assert not at.error and at.dataframe
    flagged = [w.value for w in at.warning if "diverged" in w.value]
    assert flagged and all(
        "where f is not defined" in w or "gradient is not defined" in w for w in flagged
    )


def test_start_outside_the_map_warns_and_still_races():
    at = open_page(PAGE)
    at.segmented_control(key="opt_start").set_value("Your start").run()
    at.number_input(key="opt_x0").set_value(5.0).run()
    assert_clean(at)
    assert any("outside the plotted region" in w.value for w in at.warning)
    assert at.dataframe


def test_fair_race_reports_tuned_rates():
    at = open_page(PAGE)
    at.slider(key="opt_steps").set_value(100).run()
    at.toggle(key="opt_fair").set_value(True).run()
    assert_clean(at)
    fair = at.dataframe[1].value
    assert set(fair["racer"]) == {"SGD", "Momentum", "RMSProp", "Adam"}
    assert all(0 < lr <= 2 for lr in fair["tuned η"])


def test_random_starts_use_the_seed():
    at = open_page(PAGE)
    at.segmented_control(key="opt_start").set_value("Random starts").run()
    assert_clean(at)
    first = at.dataframe[0].value["final loss (median)"].tolist()
    at.number_input(key="opt_seed").set_value(7).run()
    second = at.dataframe[0].value["final loss (median)"].tolist()
    at.number_input(key="opt_seed").set_value(0).run()
    assert at.dataframe[0].value["final loss (median)"].tolist() == first != second


def test_grid_of_starts_races_every_grid_point():
    at = open_page(PAGE)
    at.segmented_control(key="opt_start").set_value("Grid of starts").run()
    assert_clean(at)
    assert at.slider(key="opt_grid").value == 3
    board = at.dataframe[0].value
    assert all(s.endswith("/9") for s in board["starts arrived"])
    at.slider(key="opt_grid").set_value(4).run()
    assert all(s.endswith("/16") for s in at.dataframe[0].value["starts arrived"])


def test_inside_one_optimizer_notice_uses_its_own_numbers():
    at = open_page(PAGE)
    at.selectbox(key="opt_inside").set_value("Adam").run()
    assert any(
        "after 29 steps (β₁ = 0.9)" in i.value and "after 2995 (β₂ = 0.999)" in i.value
        for i in at.info
    )
    at.slider(key="opt_b1_adam").set_value(0.0).run()
    at.select_slider(key="opt_b2_adam").set_value(0.9).run()
    assert any(
        "after 1 step (β₁ = 0)" in i.value and "after 29 (β₂ = 0.9)" in i.value for i in at.info
    )
    at.selectbox(key="opt_inside").set_value("SGD").run()
    assert any("arrows coincide" in i.value for i in at.info)
    assert not any("β₁" in i.value for i in at.info)


def test_race_figure_animates_with_frames_and_stays_small():
    import numpy as np

    from charts import optim as ch
    from dlcore import optim
    from dlcore.objectives import OBJECTIVES

    rosen = OBJECTIVES["Rosenbrock"]
    grid = optim.surface_grid(rosen, rosen.bounds, 120)
    starts = optim.random_starts(rosen.bounds, 25, 0)
    paths = {
        k: optim.minimize(rosen, cls(lr=1e-3), starts, 1000).points
        for k, cls in optim.OPTIMIZERS.items()
    }
    fig = ch.race_figure(grid, paths, minima=rosen.minima, log_scale=True, frames=30)
    assert len(fig.frames) == 30 and fig.frames[-1].name == "1000"
    assert [b.label for b in fig.layout.updatemenus[0].buttons] == ["▶ Play", "❚❚ Pause"]
    assert len(fig.layout.sliders[0].steps) == 30
    # The map is a picture behind the axes (contour traces vanish while frames play).
    assert fig.layout.images[0].source.startswith("data:image/png;base64,")
    heads = fig.frames[5].data[-1]
    assert len(heads.x) == 7 * 25 and np.all(np.isfinite(np.asarray(heads.x, dtype=float)))
    assert len(fig.to_json()) < 700_000
