"""Every lab's guided path: each step opens its panel with its values, without an exception."""

from __future__ import annotations

import importlib

import pytest

from tests.pagetest import assert_clean, open_page
from ui.guide import PathStep, guide_key
from ui.nav import LABS
from ui.panels import panel_key

LABS_WITH_PATH = [
    lab for lab in LABS if hasattr(importlib.import_module(f"labs.{lab.package}"), "PATH")
]


def _module(lab):
    return importlib.import_module(f"labs.{lab.package}")


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.package)
def test_every_lab_has_a_path_of_4_to_6_valid_steps(lab):
    module = _module(lab)
    labels = {p.label for p in module.PANELS}
    assert 4 <= len(module.PATH) <= 6
    for step in module.PATH:
        assert isinstance(step, PathStep) and step.panel in labels and step.look
        owner = next(p for p in module.PANELS if p.label == step.panel)
        assert set(step.values) <= set(owner.keys), f"{step.panel}: not its controls"


@pytest.mark.parametrize("lab", LABS_WITH_PATH, ids=lambda lab: lab.package)
def test_walking_the_path_sets_every_step_and_renders_clean(lab):
    module = _module(lab)
    at = open_page(lab.path)
    at.button(key=f"guide_{module.PREFIX}_start").click().run()
    for index, step in enumerate(module.PATH):
        assert_clean(at, f"{lab.package} step {index + 1}")
        assert at.session_state[guide_key(module.PREFIX)] == index
        assert at.session_state[panel_key(module.PREFIX)] == step.panel
        for name, value in step.values.items():
            assert at.session_state[f"{module.PREFIX}_{name}"] == value, (index, name)
        open_tabs = [t.label for t in at.tabs if len(t.children) and t.label == step.panel]
        assert open_tabs == [step.panel]
        at.button(key=f"guide_{module.PREFIX}_next").click().run()
    assert guide_key(module.PREFIX) not in at.session_state  # "Finish" leaves the path
    assert_clean(at)


def test_back_and_leave_keep_the_controls():
    lab = next(lab for lab in LABS if lab.package == "gradient_descent")
    at = open_page(lab.path)
    at.button(key="guide_gd_start").click().run()
    at.button(key="guide_gd_next").click().run()
    assert at.session_state["gd_lr"] == 0.5
    at.button(key="guide_gd_back").click().run()
    assert at.session_state["gd_lr"] == 0.2 and at.session_state[guide_key("gd")] == 0
    at.button(key="guide_gd_leave").click().run()
    assert guide_key("gd") not in at.session_state
    assert at.session_state["gd_lr"] == 0.2  # the visitor keeps exploring from here
    at.slider(key="gd_lr").set_value(0.9).run()
    assert_clean(at)
