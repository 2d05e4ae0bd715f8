"""Challenges in Chromium: in one visitor session, solve one challenge per lab by moving its
controls, see it marked solved, and see the Home page's counts change."""

from __future__ import annotations

import importlib

from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_idle
from ui.nav import LABS

OPEN = '[role="tabpanel"]:not([hidden])'
#: per lab: the challenge, its panel, and the moves: (widget key, action, argument)
MOVES = {
    "linear_algebra": ("orthogonal", [("la_v1", "keys", ["ArrowLeft"] * 8)]),
    "pca": ("one_axis", [("pca_rho", "keys", ["End"])]),
    "calculus": ("chain_zero", [("calc_chain_x", "keys", ["ArrowLeft"] * 11)]),
    "probability": ("false_alarm", [("prob_sens", "keys", ["ArrowRight"] * 5)]),
    "gradient_descent": ("steep", [("gd_best", "click", None), ("gd_lrq", "keys", ["End"])]),
    "backprop": ("silent", [("bp_s_x1", "keys", ["ArrowLeft"] * 5)]),
    "activations": ("saturate", [("act_x0", "keys", ["End"])]),
    "convolution": ("overlap", [("cv_pool_size", "keys", ["ArrowRight"])]),
    "rnn": ("vanish", [("rnn_radius", "keys", ["ArrowLeft"] * 2)]),
    "cnn": ("hardest", [("cnn_true", "select", "5")]),
    "optimizer_race": ("sgd_blows", [("opt_lr_sgd", "keys", ["ArrowRight"] * 3)]),
}


def _counts(page) -> list[str]:
    return (
        page.locator('[data-testid="stMarkdownContainer"]')
        .filter(has_text="challenges solved")
        .all_inner_texts()
    )


def _move(page, key: str, action: str, argument) -> None:
    widget = page.locator(f".st-key-{key}")
    if action == "click":
        widget.locator("label").first.click()
    elif action == "select":
        widget.click()
        page.get_by_role("option", name=argument, exact=True).click()
    else:
        thumb = widget.get_by_role("slider")
        thumb.focus()
        for name in argument:
            thumb.press(name)
    wait_idle(page)


def _solve(page, lab) -> None:
    module = importlib.import_module(f"labs.{lab.package}")
    key, moves = MOVES[lab.package]
    challenge = next(c for c in module.CHALLENGES if c.key == key)
    page.locator('[data-testid="stSidebar"]').get_by_text(lab.label, exact=True).click()
    wait_idle(page)
    tab = page.get_by_role("tab", name=challenge.panel, exact=True)
    tab.click()
    wait_idle(page)
    goal = page.locator(f'{OPEN} [data-testid="stMarkdownContainer"]').filter(
        has_text=challenge.goal[:40]
    )
    expect(goal.first).to_be_visible()
    expect(goal.first).not_to_contain_text("solved")
    for widget, action, argument in moves:
        _move(page, widget, action, argument)
    expect(goal.first).to_contain_text("solved", timeout=60_000)
    assert page.locator('[data-testid="stException"]').count() == 0, lab.package


def test_solving_one_challenge_per_lab_by_moving_controls_counts_on_home(app_url, page):
    page.goto(app_url)
    wait_idle(page)
    before = _counts(page)
    assert len(before) == len(LABS) + 1 and all("0 / 4" in t or "0 of 44" in t for t in before)
    for lab in LABS:
        _solve(page, lab)
        if lab.package == "gradient_descent":
            screenshot(page, "challenges_solved_gradient_descent")
    page.locator('[data-testid="stSidebar"]').get_by_text("Home", exact=True).click()
    wait_idle(page)
    after = _counts(page)
    assert all("0 / 4" not in t for t in after[:-1]), after
    assert any(" of 44" in t and not t.startswith("0 of") for t in after)
    screenshot(page, "challenges_home_progress")
