"""The gradient-descent lab under AppTest: every panel's widgets, regimes, divergence, bad formulas."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from labs import gradient_descent as lab
from tests.pagetest import HOSTILE_TEXTS, assert_clean, drive_widgets, open_page, tables
from ui.panels import panel_key

PAGE = "pages/5_Gradient_Descent.py"
PANELS = [p.label for p in lab.PANELS]
STEP, CONDITIONING, BATCHES = PANELS


def _open(panel: str = STEP, query: dict[str, str] | None = None):
    at = open_page(PAGE, panel=panel, query=query)
    assert_clean(at)
    return at


@pytest.fixture
def at():
    return _open()


def _text(at) -> str:
    parts = (
        [m.value for m in at.markdown] + [w.value for w in at.warning] + [e.value for e in at.error]
    )
    return "\n".join(parts + [x.value for x in at.latex])


def _figure(at, key: str) -> dict:
    for chart in at.get("plotly_chart"):
        if chart.proto.id and key in chart.proto.id:
            return json.loads(chart.proto.spec)
    raise AssertionError(f"no chart {key}")


def _array(value) -> np.ndarray:
    """A Plotly JSON array: a list, or typed binary {"dtype", "bdata"}."""
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
    return np.asarray(value, float)


def _badge(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("Regime:"))


@pytest.mark.parametrize("panel", PANELS)
def test_every_widget_of_every_panel_driven_without_exception(panel):
    runs = drive_widgets(PAGE, panel=panel, max_options=3)
    assert runs >= 8  # 4 to 7 controls per panel, each through its extremes


@pytest.mark.parametrize(("panel", "charts"), [(STEP, 2), (CONDITIONING, 3), (BATCHES, 3)])
def test_each_panel_opens_with_its_charts_and_a_download(panel, charts):
    at = _open(panel)
    assert not at.error and not at.warning
    assert len(at.get("plotly_chart")) == charts
    assert len(at.get("download_button")) == 1  # its data (the view's script: in the expander)
    assert len(at.get("expander")) == 1  # the view as Python, a notebook, an embed link, the code


def test_default_view_is_the_monotone_regime(at):
    assert [t.label for t in at.tabs if len(t.children)] == [STEP]
    assert not at.error and not at.warning
    assert "monotone" in _text(at)
    assert r"\tfrac{1}{\lambda} = 0.5" in _text(at)


def test_an_old_link_opens_the_panel_of_its_controls():
    at = _open(None, query={"gd_kappa": "100"})
    assert at.session_state[panel_key(lab.PREFIX)] == CONDITIONING
    rate = next(x.value for x in at.latex if r"\rho_{\rm GD}" in x.value)
    assert "= 0.9802" in rate


def test_regime_label_follows_the_slider_at_and_between_the_boundaries(at):
    for lr, regime in [
        (0.25, "monotone"),
        (0.5, "one step"),
        (0.75, "oscillating"),
        (1.0, "bouncing"),
        (1.2, "diverging"),
    ]:
        at.slider(key="gd_lr").set_value(lr).run()
        assert_clean(at)
        text = _text(at)
        assert f"-badge[{regime}]" in text, lr
        assert f"(1 - {lr:g}\\times2)" in text  # the formula carries the slider's numbers


def test_diverging_lr_is_explained_and_not_plotted_as_garbage(at):
    at.slider(key="gd_lr").set_value(1.2).run()
    at.slider(key="gd_steps").set_value(100).run()
    assert_clean(at)
    warning = " ".join(w.value for w in at.warning)
    assert "Diverged" in warning and "> 2" in warning and "2.4" in warning
    fig = _figure(at, "gd_curve")
    path = next(t for t in fig["data"] if t.get("name") == "iterates x_k")
    xs = _array(path["x"])
    assert 1 < xs.size < 15
    assert np.all(np.abs(xs) <= 3.0 + 2 * 6.0)  # cut within two view-widths, not drawn out to 10^6
    assert fig["layout"]["xaxis"]["range"] == [-3.0, 3.0]
    assert any("leaves the view" in a["text"] for a in fig["layout"]["annotations"])


def test_diverging_quadratic_is_reported_before_it_passes_the_bound(at):
    at.slider(key="gd_lr").set_value(1.2).run()  # 20 steps: |x| grows by 1.4 per step, to 1.3e3
    assert_clean(at)
    warning = " ".join(w.value for w in at.warning)
    assert "Diverging: |x_20| = 1.34e+03 and growing" in warning and "2.4 > 2" in warning


def test_quartic_reports_the_local_curvature(at):
    at.selectbox(key="gd_fn").select("Quartic with two minima").run()
    assert_clean(at)
    assert r"\text{ at } x_{20} = 1.03 = 8.652" in _text(at)  # f'' at the last iterate, 12x^2 - 4
    at.slider(key="gd_lr").set_value(0.9).run()
    assert_clean(at)
    assert "Diverged" in " ".join(w.value for w in at.warning)


def test_bad_formulas_are_errors_and_the_panel_keeps_its_controls(at):
    """The formula box appears only for "Type a formula", so the sweep above cannot reach it."""
    at.selectbox(key="gd_fn").select("Type a formula").run()
    for text in (*HOSTILE_TEXTS, "sqrt(-1 - x**2)"):
        at.text_input(key="gd_formula").set_value(text).run()
        assert_clean(at, f"for {text!r}")
        assert at.error, f"no error shown for {text!r}"
        assert not any("the other panels" in e.value for e in at.error)  # one panel at a time now
        # the panel is still there to fix the input: its controls and its tabs
        assert at.text_input(key="gd_formula").value == text
        assert at.slider(key="gd_lr") and at.slider(key="gd_x0")
        assert [t.label for t in at.tabs] == PANELS
    # log(x) is fine at the start, then the steps cross 0 where it is undefined: a divergence, explained
    at.text_input(key="gd_formula").set_value("log(x)").run()
    assert_clean(at)
    assert not at.error and "Diverged" in " ".join(w.value for w in at.warning)


def test_typed_formula_runs(at):
    at.selectbox(key="gd_fn").select("Type a formula").run()
    at.text_input(key="gd_formula").set_value("(x - 1)^2").run()
    assert_clean(at)
    assert not at.error
    assert "one step" not in _text(at) and "monotone" in _text(at)  # lambda = 2, lr = 0.3
    # no minimum, a cusp, a flat line, a steep power: each is labelled, none is a traceback
    for text, regime in [
        ("-x**2", "repelled"),
        ("sqrt(abs(x))", "repelled"),
        ("x", "flat"),
        ("x^64", "diverging"),
    ]:
        at.text_input(key="gd_formula").set_value(text).run()
        assert_clean(at, text)
        assert f"-badge[{regime}]" in _text(at), text


def test_a_function_without_a_minimum_is_not_said_to_have_one(at):
    """Issue 15: exp(x) is convex (f'' > 0) but has no minimum; it used to read "towards the minimum"."""
    at.selectbox(key="gd_fn").select("Type a formula").run()
    at.text_input(key="gd_formula").set_value("exp(x)").run()
    assert_clean(at)
    badge = _badge(at)
    assert "-badge[no minimum]" in badge and "towards the minimum" not in badge
    assert "all the way to the edge of the range, x = -3" in badge
    # unbounded below: the iterates run off and the warning says so, the badge keeps the cause
    for text, regime in [("-x**2", "repelled"), ("x", "flat")]:
        at.text_input(key="gd_formula").set_value(text).run()
        assert_clean(at)
        assert f"-badge[{regime}]" in _badge(at)
        assert any(w.value.startswith("No minimum: the iterates have left") for w in at.warning)
    # a function with a minimum downhill keeps its regime, even when unbounded elsewhere
    at.text_input(key="gd_formula").set_value("x^3 - 3*x").run()
    assert_clean(at)
    assert "no minimum" not in _badge(at) and not at.warning


def test_a_flat_function_is_stuck_not_repelled(at):
    at.selectbox(key="gd_fn").select("Type a formula").run()
    at.text_input(key="gd_formula").set_value("1").run()
    assert_clean(at)
    assert "-badge[stuck]" in _badge(at) and not at.warning


def test_observed_rate_matches_theory_at_the_best_step():
    at = _open(CONDITIONING)
    at.slider(key="gd_kappa").set_value(100).run()
    assert_clean(at)
    rate = next(x.value for x in at.latex if r"\rho_{\rm GD}" in x.value)
    assert "= 0.9802" in rate and "observed 0.9802" in rate  # (100 - 1) / (100 + 1)


def test_2d_step_slider_extremes_divergence_and_tuned_momentum():
    """The step slider appears only with "best fixed step" off: drive it here."""
    at = _open(CONDITIONING)
    at.toggle(key="gd_best").set_value(False).run()
    at.slider(key="gd_lrq").set_value(0.05).run()
    assert_clean(at)
    assert not at.warning
    at.slider(key="gd_lrq").set_value(2.3).run()
    assert_clean(at)
    assert "diverges" in " ".join(w.value for w in at.warning)
    assert any(m.value == "never" for m in at.metric)
    rate = next(x.value for x in at.latex if r"\rho_{\rm GD}" in x.value)
    assert "= 1.3000" in rate and "observed 1.3000" in rate  # |1 - 2.3|: fitted before it blew up
    at.slider(key="gd_beta").set_value(0.05).run()  # 2.3 > 2 (1 + 0.05): momentum diverges too
    assert_clean(at)
    assert any(w.value.startswith("Momentum diverges") for w in at.warning)
    at.slider(key="gd_lrq").set_value(2.0).run()  # on the boundary: bounces, neither way
    assert_clean(at)
    assert [w.value.split(":")[0] for w in at.warning] == ["Gradient descent does not converge"]
    at.slider(key="gd_lrq").set_value(1.0).run()
    at.slider(key="gd_beta").set_value(0.6).run()
    at.toggle(key="gd_tuned").set_value(True).run()
    assert_clean(at)
    momentum = next(x.value for x in at.latex if r"\rho_{\rm momentum}" in x.value)
    assert "= 0.5195" in momentum  # (sqrt(10) - 1) / (sqrt(10) + 1)


def test_gradient_flow_is_a_toggle_drawn_as_a_curve():
    at = _open(CONDITIONING)
    names = [t.get("name") for t in _figure(at, "gd_contour")["data"]]
    assert "Gradient flow (η → 0)" not in names
    at.toggle(key="gd_flow").set_value(True).run()
    assert_clean(at)
    flow = next(
        t for t in _figure(at, "gd_contour")["data"] if t.get("name", "").startswith("Grad")
    )
    assert flow["name"] == "Gradient flow (η → 0)" and flow["mode"] == "lines"


def test_sgd_panel_batch_sizes_and_divergence():
    at = _open(BATCHES)
    at.slider(key="gd_batch").set_value(50).run()
    assert_clean(at)
    (table,) = tables(at)
    assert table["updates per epoch"] == ["1", "4", "200"]
    assert "\\tfrac{2}{50}" in _text(at)
    at.slider(key="gd_batch").set_value(1).run()
    assert tables(at)[0]["batch size"] == ["200", "1"]  # no duplicate of the stochastic run
    at.slider(key="gd_lr_sgd").set_value(0.2).run()
    assert_clean(at)
    assert any("overshoots" in i.value for i in at.info)
    at.slider(key="gd_lr_sgd").set_value(0.6).run()
    assert_clean(at)
    assert "diverged" in " ".join(w.value for w in at.warning)
    assert "diverged" in tables(at)[0]["final loss"]
