"""Every lab is a set of panels: each opens clean, light, and bound to the URL.

Labs are found through ``ui.nav.LABS``, so a new lab (or a new panel) is
covered the moment it is listed. Each lab's own test module drives the
widgets of its panels.
"""

from __future__ import annotations

import importlib
import json

import pytest

from tests.pagetest import assert_clean, open_page
from ui.figures import LIGHT_AXIS
from ui.nav import LABS
from ui.panels import Panel, owner_of, panel_key

MAX_CHARTS = 4  # a panel's first view: a few charts, heavy extras behind a toggle


def _converted():
    found = []
    for lab in LABS:
        try:
            found.append((lab, importlib.import_module(f"labs.{lab.package}")))
        except ModuleNotFoundError:
            pass
    return found


CONVERTED = _converted()
CASES = [(lab.path, panel.label) for lab, module in CONVERTED for panel in module.PANELS]


def _lab(path: str):
    return next(importlib.import_module(f"labs.{x.package}") for x in LABS if x.path == path)


def test_every_lab_is_a_package_of_panels():
    assert [lab.package for lab, _ in CONVERTED] == [lab.package for lab in LABS]


def test_every_lab_has_panels_with_unique_labels_and_prefix():
    prefixes = set()
    for lab, module in CONVERTED:
        labels = [p.label for p in module.PANELS]
        assert len(labels) >= 2 and len(set(labels)) == len(labels), lab.path
        assert all(isinstance(p, Panel) and p.keys for p in module.PANELS), lab.path
        assert module.TITLE and module.INTRO
        prefixes.add(module.PREFIX)
    assert len(prefixes) == len(CONVERTED), "two labs share a URL prefix"


@pytest.mark.parametrize(
    ("path", "label"), CASES, ids=[f"{p.split('/')[-1]}:{x}" for p, x in CASES]
)
def test_panel_opens_clean_light_and_declares_its_keys(path, label):
    lab = _lab(path)
    at = open_page(path, panel=label)
    assert_clean(at, f"on {path} panel {label}")
    assert not at.error, f"{label} opens with an error: {[e.value for e in at.error]}"
    # the lab's panel tabs only: a panel may group its own controls in tabs (the Playground)
    panel_labels = {p.label for p in lab.PANELS}
    open_tabs = [t for t in at.tabs if len(t.children) and t.label in panel_labels]
    assert [t.label for t in open_tabs] == [label], "exactly the chosen panel runs"
    charts = at.get("plotly_chart")
    assert len(charts) <= MAX_CHARTS
    for chart in charts:  # shown through ui.figures.show_chart: no second layout pass
        layout = json.loads(chart.proto.spec)["layout"]
        axes = {k: v for k, v in layout.items() if k.startswith(("xaxis", "yaxis"))}
        assert axes, f"{label}: a chart without axes in its layout"
        for name, axis in axes.items():
            light = {k: axis.get(k) for k in LIGHT_AXIS}
            assert light == LIGHT_AXIS, f"{label}: {name} has {light}"
    panel = next(p for p in lab.PANELS if p.label == label)
    rendered = {
        w.key
        for kind in (
            "slider",
            "select_slider",
            "selectbox",
            "number_input",
            "text_input",
            "text_area",
            "toggle",
            "checkbox",
            "multiselect",
            "radio",
            "segmented_control",
            "pills",
        )
        for w in at.get(kind)
        if w.key and w.key.startswith(f"{lab.PREFIX}_")
    }
    declared = {f"{lab.PREFIX}_{name}" for name in panel.keys}
    assert rendered <= declared, f"{label}: controls missing from Panel.keys: {rendered - declared}"


@pytest.mark.parametrize(("lab", "module"), CONVERTED, ids=lambda x: getattr(x, "package", ""))
def test_an_old_link_opens_the_panel_of_its_controls(lab, module):
    last = module.PANELS[-1]
    name = last.keys[0]
    assert owner_of(module.PREFIX, module.PANELS, {f"{module.PREFIX}_{name}": "x"}) == last.label
    at = open_page(lab.path, query={f"{module.PREFIX}_{name}": "1"})
    assert_clean(at)
    assert at.session_state[panel_key(module.PREFIX)] == last.label
