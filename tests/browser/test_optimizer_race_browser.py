"""The optimizer race in Chromium: the race draws, plays, and follows a control."""

from __future__ import annotations

from tests.browser.conftest import at_least, page_url, screenshot, wait_idle

PAGE = "pages/9_Optimizer_Race.py"


def test_race_plays_and_follows_the_racers(app_url, page):
    page.goto(page_url(app_url, PAGE) + "?opt_racers=SGD&opt_racers=Momentum&opt_racers=Adam")
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    charts = page.locator('[data-testid="stPlotlyChart"]')
    assert at_least(charts, 5) >= 5
    # The contour race: three racers' paths plus the animated trail and heads.
    race = charts.filter(has_text="Play").first
    assert race.locator(".scatterlayer .trace").count() >= 5
    assert race.get_by_text("▶ Play").count() == 1
    race.get_by_text("▶ Play").click()
    page.wait_for_timeout(600)
    screenshot(page, "optimizer_race_default")

    # One shared learning rate: the per-racer rate sliders go, the leaderboard updates.
    page.get_by_text("One shared learning rate").click()
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Shared learning rate η").count() == 1
    assert "opt_shared=true" in page.url
    screenshot(page, "optimizer_race_shared")
