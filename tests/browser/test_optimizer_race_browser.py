"""The optimizer race in Chromium: the race draws, plays on request, and follows a control."""

from __future__ import annotations

from tests.browser.conftest import at_least, page_url, screenshot, wait_idle

PAGE = "pages/9_Optimizer_Race.py"
EXCEPTION = '[data-testid="stException"]'


def test_race_draws_light_plays_on_request_and_follows_the_racers(app_url, page):
    page.goto(
        page_url(app_url, PAGE)
        + "?opt_panel=Race&opt_racers=SGD&opt_racers=Momentum&opt_racers=Adam"
    )
    wait_idle(page)
    assert page.locator(EXCEPTION).count() == 0
    panel = page.locator('[role="tabpanel"]:visible')
    charts = panel.locator('[data-testid="stPlotlyChart"]')
    assert at_least(charts, 3) == 3  # the map and two curves; no animation, no 3-D surface
    race = charts.first
    # Three racers' paths, the single start's trail and the racers' markers.
    assert race.locator(".scatterlayer .trace").count() >= 5
    assert race.get_by_text("▶ Play").count() == 0

    # The step control redraws the map alone.
    step = panel.get_by_role("slider").first
    step.focus()
    page.keyboard.press("Home")
    wait_idle(page)
    assert "opt_at=0" in page.url and page.locator(EXCEPTION).count() == 0
    screenshot(page, "optimizer_race_step_0")

    # The animation is behind a toggle: Plotly frames, played by the browser.
    panel.get_by_text("Animate the race").click()
    wait_idle(page)
    race = panel.locator('[data-testid="stPlotlyChart"]').first
    assert race.get_by_text("▶ Play").count() == 1
    race.get_by_text("▶ Play").click()
    page.wait_for_timeout(600)
    screenshot(page, "optimizer_race_default")

    # One shared learning rate: the per-racer rate sliders go, the leaderboard updates.
    panel.get_by_text("One shared learning rate").click()
    wait_idle(page)
    assert page.locator(EXCEPTION).count() == 0
    assert page.get_by_text("Shared learning rate η").count() == 1
    assert "opt_shared=true" in page.url
    screenshot(page, "optimizer_race_shared")


def test_the_saddle_names_no_winner_and_inside_one_optimizer_opens_by_its_tab(app_url, page):
    page.goto(page_url(app_url, PAGE) + "?opt_surface=Saddle")
    wait_idle(page)
    # once as the page's warning (the headline caption under the panel repeats the verdict)
    warning = page.locator('[data-testid="stAlert"]').filter(has_text="Saddle is unbounded below")
    assert warning.count() == 1
    page.get_by_role("tab", name="Inside one optimizer").click()
    wait_idle(page)
    assert "opt_panel=Inside" in page.url and page.locator(EXCEPTION).count() == 0
    charts = page.locator('[role="tabpanel"]:visible [data-testid="stPlotlyChart"]')
    assert at_least(charts, 2) == 2
    screenshot(page, "optimizer_race_inside")
