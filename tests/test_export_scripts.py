"""Every panel's "Download this view as Python": the script and the notebook run and agree.

Each panel with an ``EXPORT`` runs under AppTest at its default state and at
one other state (its first slider moved, or its first choice changed); the
script and the notebook it offers are generated there, run (the script with
``exec`` in a fresh namespace, the notebook's cells in order, one notebook
one notebook also in a real kernel: see test_export_install.py) and must
print exactly the headline lines the page shows. The generated code passes
``ruff check`` and assigns no parameter it does not use.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import io
import json
import subprocess
import sys

import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from ui.nav import LABS

PANELS = [
    (lab.package, panel.label, panel.render.__module__)
    for lab in LABS
    for panel in importlib.import_module(f"labs.{lab.package}").PANELS
]
EXPORTED = [p for p in PANELS if hasattr(importlib.import_module(p[2]), "EXPORT")]
STATES = ("default", "moved")


def _panel_app(module: str) -> None:
    import importlib

    import streamlit as st

    from ui.takeaway import files

    st.session_state.pop("export_test", None)
    panel = importlib.import_module(module)
    panel.render()
    made = files(panel.EXPORT)
    if made is not None:
        lines, script, notebook = made
        st.session_state["export_test"] = (lines, script(), notebook())


def _move_one(at: AppTest) -> None:
    """Change the panel's first slider (15 % into its range, or 85 % if it is there already),
    or else its first choice, its first switch, or its formula."""
    for slider in at.slider:
        lo, hi = slider.min, slider.max
        if slider.disabled or not isinstance(slider.value, (int, float)) or hi <= lo:
            continue
        step = slider.step or 1
        for share in (0.15, 0.85):
            target = type(slider.value)(min(hi, lo + round((hi - lo) * share / step) * step))
            if target != slider.value:
                slider.set_value(target)
                return
    for box in list(at.selectbox) + list(at.radio):
        if len(box.options) > 1:
            box.set_value(box.options[1] if box.index == 0 else box.options[0])
            return
    for switch in list(at.toggle) + list(at.checkbox):
        switch.set_value(not switch.value)
        return
    for text in at.text_input:  # a panel of one formula: tilt it
        text.set_value(f"{text.value} + 0.1*x")
        return


@pytest.fixture(scope="module")
def generated() -> dict:
    out = {}
    for _, label, module in EXPORTED:
        at = AppTest.from_function(_panel_app, args=(module,), default_timeout=120)
        at.run()
        for state in STATES:
            if state == "moved":
                _move_one(at)
                at.run()
            trains = [b for b in at.button if b.label == "Train"]
            if "export_test" not in at.session_state and trains:
                trains[0].click()  # a panel that shows a run only once one was trained
                at.run()
            errors = [e.value for e in at.exception]
            captions = [c.value for c in at.caption if c.value.startswith("This view in numbers")]
            found = at.session_state["export_test"] if "export_test" in at.session_state else None
            out[module, state] = (found, captions, errors)
    return out


@contextlib.contextmanager
def _no_browser():
    show = go.Figure.show
    go.Figure.show = lambda self, *args, **kwargs: None
    try:
        yield
    finally:
        go.Figure.show = show


def _run(sources: list[str]) -> str:
    namespace: dict = {"__name__": "__main__"}
    buffer = io.StringIO()
    with _no_browser(), contextlib.redirect_stdout(buffer):
        for source in sources:
            exec(compile(source, "<generated>", "exec"), namespace)  # noqa: S102 - our own output
    assert isinstance(namespace.get("fig", go.Figure()), go.Figure)
    return buffer.getvalue()


IDS = [f"{lab}:{label}" for lab, label, _ in EXPORTED]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(("lab", "label", "module"), EXPORTED, ids=IDS)
def test_script_and_notebook_print_what_the_page_shows(generated, lab, label, module, state):
    found, captions, errors = generated[module, state]
    assert not errors, errors
    assert found is not None, f"{label}: the panel did not record its calls"
    lines, script, notebook = found
    assert captions == (["This view in numbers: " + " · ".join(lines)] if lines else [])
    printed = "".join(f"{line}\n" for line in lines)
    assert _run([script]) == printed
    cells = [
        "".join(c["source"]) for c in json.loads(notebook)["cells"] if c["cell_type"] == "code"
    ]
    assert _run(cells) == printed


@pytest.mark.parametrize(("lab", "label", "module"), EXPORTED, ids=IDS)
def test_the_other_state_is_another_script(generated, lab, label, module):
    default, moved = generated[module, "default"][0], generated[module, "moved"][0]
    assert default is not None and moved is not None and default[1] != moved[1], label


def test_every_parameter_of_a_script_is_used(generated):
    for (module, state), (found, *_) in generated.items():
        if found is None:
            continue
        tree = ast.parse(found[1])
        assigned = {
            t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
        }
        loaded = {
            n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
        }
        assert assigned - {"fig"} <= loaded, (module, state, assigned - loaded)


def test_generated_code_passes_ruff(generated, tmp_path):
    for (module, state), (found, *_) in generated.items():
        if found is not None:
            (tmp_path / f"{module.replace('.', '_')}_{state}.py").write_text(found[1])
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--select",
            "E4,E7,E9,F,I,B006,B008",
            "--line-length",
            "100",
            str(tmp_path),
        ],
        cwd=tmp_path,  # as a user runs it: dlcore and charts are installed, not first-party
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_panel_exports_its_view():
    missing = [
        f"{lab}:{label}" for lab, label, module in PANELS if (lab, label, module) not in EXPORTED
    ]
    assert not missing, f"panels without an EXPORT: {missing}"
