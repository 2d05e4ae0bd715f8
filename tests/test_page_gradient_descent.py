"""The gradient-descent page under AppTest: every widget, regimes, divergence, bad formulas."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from tests.pagetest import HOSTILE_TEXTS, assert_clean, drive_widgets, open_page

PAGE = "pages/5_Gradient_Descent.py"


@pytest.fixture
def at():
    page = open_page(PAGE)
    assert_clean(page)
    return page


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


def test_drive_every_widget():
    runs = drive_widgets(PAGE, max_options=4)
    assert runs >= 28  # 16 widgets on the default view, their extremes and options


def test_default_view_is_the_monotone_regime_with_downloads(at):
    assert not at.error and not at.warning
    assert "monotone" in _text(at)
    assert r"\tfrac{1}{\lambda} = 0.5" in _text(at)
    assert len(at.get("download_button")) == 3
    assert len(at.get("plotly_chart")) == 8


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


def test_quartic_reports_the_local_curvature(at):
    at.selectbox(key="gd_fn").select("Quartic with two minima").run()
    assert_clean(at)
    assert r"\text{ at } x_{20} = 1.03 = 8.652" in _text(at)  # f'' at the last iterate, 12x^2 - 4
    at.slider(key="gd_lr").set_value(0.9).run()
    assert_clean(at)
    assert "Diverged" in " ".join(w.value for w in at.warning)


def test_bad_formulas_are_errors_and_the_rest_keeps_working(at):
    """The formula box appears only for "Type a formula", so the sweep above cannot reach it."""
    at.selectbox(key="gd_fn").select("Type a formula").run()
    for text in (*HOSTILE_TEXTS, "sqrt(-1 - x**2)"):
        at.text_input(key="gd_formula").set_value(text).run()
        assert_clean(at, f"for {text!r}")
        assert at.error, f"no error shown for {text!r}"
        assert any(r"\text{eigenvalues }" in x.value for x in at.latex)  # panel 2 still drawn
        assert any("updates per epoch" in t.value.columns for t in at.table)  # panel 3 still drawn
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


def test_observed_rate_matches_theory_at_the_best_step(at):
    at.slider(key="gd_kappa").set_value(100).run()
    assert_clean(at)
    rate = next(x.value for x in at.latex if r"\rho_{\rm GD}" in x.value)
    assert "= 0.9802" in rate and "observed 0.9802" in rate  # (100 - 1) / (100 + 1)


def test_2d_step_slider_extremes_divergence_and_tuned_momentum(at):
    """The step slider appears only with "best fixed step" off: drive it here."""
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
    at.slider(key="gd_lrq").set_value(1.0).run()
    at.toggle(key="gd_tuned").set_value(True).run()
    assert_clean(at)
    momentum = next(x.value for x in at.latex if r"\rho_{\rm momentum}" in x.value)
    assert "= 0.5195" in momentum  # (sqrt(10) - 1) / (sqrt(10) + 1)


def test_sgd_panel_batch_sizes_and_divergence(at):
    at.slider(key="gd_batch").set_value(50).run()
    assert_clean(at)
    table = at.table[0].value
    assert list(table["updates per epoch"]) == [1, 4, 200]
    assert "\\tfrac{2}{50}" in _text(at)
    at.slider(key="gd_batch").set_value(1).run()
    assert list(at.table[0].value["batch size"]) == [200, 1]  # no duplicate of the stochastic run
    at.slider(key="gd_lr_sgd").set_value(0.2).run()
    assert_clean(at)
    assert any("overshoots" in i.value for i in at.info)
    at.slider(key="gd_lr_sgd").set_value(0.6).run()
    assert_clean(at)
    assert "diverged" in " ".join(w.value for w in at.warning)
    assert "diverged" in list(at.table[0].value["final loss"])
