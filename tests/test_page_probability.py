"""The probability lab under AppTest: every widget of every panel, and the values each shows."""

from __future__ import annotations

import re

import pytest

from dlcore import probability as prob
from labs import probability as lab
from tests.pagetest import assert_clean, drive_widgets, open_page, switch_panel
from ui.panels import panel_key

PAGE = "pages/4_Probability_and_Statistics.py"
PANELS = [p.label for p in lab.PANELS]
# The topics of the old picker: their labels are in old links, so they must stay.
TOPICS = [
    "Distributions",
    "Central limit theorem",
    "Bayes",
    "Likelihood",
    "Tests and intervals",
    "Information",
]


def open_panel(panel: str, query: dict[str, str] | None = None):
    at = open_page(PAGE, panel=panel, query=query)
    assert_clean(at, f"on {panel}")
    return at


def latex(at) -> str:
    return "\n".join(str(e.value) for e in at.latex)


def open_tabs(at) -> list[str]:
    return [t.label for t in at.tabs if len(t.children)]


@pytest.mark.parametrize("panel", PANELS)
def test_every_widget_of_every_panel_driven_without_exception(panel):
    runs = drive_widgets(PAGE, panel=panel, max_options=3)
    assert runs >= 4


@pytest.mark.parametrize("panel", PANELS)
def test_each_panel_opens_on_charts_without_error(panel):
    at = open_panel(panel)
    assert open_tabs(at) == [panel]
    assert not at.error and at.get("plotly_chart"), panel
    assert len(at.get("expander")) == 1  # the view's script, its embed link, the code


def test_old_topic_links_still_open_their_topic():
    assert set(TOPICS) <= set(PANELS)
    for topic in TOPICS:
        at = open_page(PAGE, query={panel_key(lab.PREFIX): topic})
        assert_clean(at)
        assert open_tabs(at) == [topic]


def test_a_tab_click_runs_the_other_panel_alone():
    at = open_page(PAGE)
    switch_panel(at, PAGE, "Softmax cross-entropy")
    assert_clean(at)
    assert open_tabs(at) == ["Softmax cross-entropy"] and len(at.get("plotly_chart")) == 1


def test_default_view():
    at = open_page(PAGE)
    assert open_tabs(at) == ["Distributions"]
    assert not at.error and len(at.get("plotly_chart")) >= 3
    assert len(at.latex) >= 2 and at.get("download_button")


def test_gallery_formula_follows_the_sliders():
    at = open_page(PAGE)
    at.slider(key="prob_normal_sigma").set_value(2.5).run()
    at.slider(key="prob_normal_mu").set_value(-1.5).run()
    text = latex(at)
    assert "2.5" in text and "(-1.5)" in text and r"\mathbb{E}[X] = \mu = -1.5" in text
    assert r"\operatorname{Var}[X] = \sigma^2 = 6.25" in text
    at.selectbox(key="prob_dist").set_value("Binomial").run()
    at.slider(key="prob_binomial_n").set_value(20).run()
    assert r"\binom{20}{k}" in latex(at)


def test_uniform_with_b_below_a_shows_an_error_and_the_panel_survives():
    at = open_page(PAGE)
    at.selectbox(key="prob_dist").set_value("Uniform").run()
    at.slider(key="prob_uniform_a").set_value(3.0).run()
    at.slider(key="prob_uniform_b").set_value(1.0).run()
    assert_clean(at)
    assert any("b must be greater than a" in e.value for e in at.error)
    assert open_tabs(at) == ["Distributions"]
    assert at.slider(key="prob_uniform_b").value == 1.0  # the controls stay, to fix it
    at.slider(key="prob_uniform_b").set_value(4.0).run()
    assert_clean(at)
    assert not at.error and len(at.get("plotly_chart")) == 3


def test_bayes_posterior_shown():
    at = open_panel("Bayes")
    assert "= 0.1538" in latex(at)  # 0.9 * 0.01 / (0.9 * 0.01 + 0.05 * 0.99)
    at.slider(key="prob_prev").set_value(0.5).run()
    assert "= 0.9474" in latex(at)  # 0.45 / (0.45 + 0.025)
    at = open_panel("Bayesian updating")
    at.slider(key="prob_flips").set_value(7).run()
    heads, tails = map(
        int, re.search(r"(\d+)\\text\{ heads\},\\ (\d+)\\text\{ tails\}", latex(at)).groups()
    )
    assert heads + tails == 7


def test_an_old_bayes_link_keeps_the_coin_values_for_its_own_panel():
    """The coin left the Bayes topic for a panel of its own; an old link's values still reach it."""
    at = open_panel("Bayes", query={"prob_flips": "7", "prob_prior_a": "3.0"})
    assert open_tabs(at) == ["Bayes"] and "= 0.1538" in latex(at)
    # AppTest re-sends the link's query on every run, and on a link the URL wins over session
    # state, so the tab is switched in the URL here (the browser test clicks the tab itself).
    at.query_params[panel_key(lab.PREFIX)] = "Bayesian updating"
    at.run()
    assert_clean(at)
    assert at.slider(key="prob_flips").value == 7 and at.slider(key="prob_prior_a").value == 3.0
    assert r"\text{Beta}(3, 1) \xrightarrow" in latex(at)
    # a link with the coin's controls and no panel opens the coin
    at = open_page(PAGE, query={"prob_flips": "7"})
    assert open_tabs(at) == ["Bayesian updating"]


def test_bayes_notice_follows_who_outnumbers_whom():
    at = open_panel("Bayes")
    assert any("swamp the true ones" in m.value for m in at.info)
    at.slider(key="prob_prev").set_value(0.5).run()
    at.slider(key="prob_spec").set_value(1.0).run()
    text = " ".join(m.value for m in at.info)
    assert "swamp" not in text and "do not outnumber" in text


def test_law_of_large_numbers_notice_only_when_the_mean_exists():
    at = open_page(PAGE)
    assert any("law of large numbers)" in m.value for m in at.info)
    at.selectbox(key="prob_dist").set_value("Student t").run()
    nu = next(p for p in prob.DISTRIBUTIONS["Student t"].params)
    at.slider(key=f"prob_studentt_{nu.name}").set_value(nu.low).run()
    assert_clean(at)
    text = " ".join(m.value for m in at.info)
    assert "has no mean" in text and "settles on E[X]" not in text
    assert any(m.delta == "E[X] does not exist" for m in at.metric)


def test_no_samples_no_running_mean():
    at = open_page(PAGE)
    at.select_slider(key="prob_n").set_value(0).run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 2 and not at.metric
    assert not at.get("download_button")  # no samples CSV (the view's script is in the expander)


def test_cauchy_breaks_the_clt_with_an_explanation():
    at = open_panel("Central limit theorem")
    assert r"\mathcal{N}" in latex(at) and not at.warning
    at.selectbox(key="prob_clt_dist").set_value("Cauchy (Student t, \u03bd = 1)").run()
    assert_clean(at)
    assert any("finite variance" in w.value for w in at.warning)
    assert "Cauchy" in latex(at)


def test_information_zero_in_q_and_normalisation():
    at = open_panel("Information")
    values = {m.label: m.value for m in at.metric}
    assert values["H(q) [bits]"] == "2.0000"
    assert values["KL(p ‖ q) [bits]"] != values["KL(q ‖ p) [bits]"]
    at.slider(key="prob_q3").set_value(0.0).run()
    assert_clean(at)
    values = {m.label: m.value for m in at.metric}
    assert values["KL(p ‖ q) [bits]"] == "∞" and values["KL(q ‖ p) [bits]"] != "∞"
    assert any("infinite" in w.value for w in at.warning)
    assert any("q: 0.750" in c.value for c in at.caption)
    for i in range(4):
        at.slider(key=f"prob_p{i}").set_value(0.0)
    at.run()
    assert_clean(at)
    assert any("must not all be zero" in e.value for e in at.error)


def test_information_in_nats():
    at = open_panel("Information")
    at.segmented_control(key="prob_unit").set_value("nats").run()
    assert_clean(at)
    values = {m.label: m.value for m in at.metric}
    assert values["H(q) [nats]"] == "1.3863"  # ln 4
    assert r"-\sum_i p_i \ln q_i" in latex(at)


def test_softmax_gradient_shown():
    at = open_panel("Softmax cross-entropy")
    at.selectbox(key="prob_label").set_value("B").run()
    text = latex(at)
    assert (
        r"\frac{\partial L}{\partial z} = p - y" in text
        and r"softmax}(z)_{B}" in text
        and "-0.765" in text
    )


def test_t_test_decision_follows_alpha():
    at = open_panel("Tests and intervals")
    at.slider(key="prob_tt_mu").set_value(0.7).run()  # seed 0, n = 20: p = 0.0159
    assert "p = 0.0159 < \\alpha = 0.05" in latex(at)
    assert [s.value.split(" H")[0] for s in at.success] == ["Reject"]
    at.select_slider(key="prob_alpha").set_value(0.01).run()
    assert "p = 0.0159 ≥ \\alpha = 0.01" in latex(at)
    assert not at.success and any(i.value.startswith("Do not reject") for i in at.info)
    at.slider(key="prob_tt_mu").set_value(0.0).run()
    at.slider(key="prob_tt_n").set_value(2).run()
    assert_clean(at)


def test_every_distribution_at_its_slider_extremes():
    at = open_page(PAGE)
    for name, cls in prob.DISTRIBUTIONS.items():
        at.selectbox(key="prob_dist").set_value(name).run()
        slug = cls.__name__.lower()
        for end in ("low", "high"):
            for p in cls.params:
                at.slider(key=f"prob_{slug}_{p.name}").set_value(
                    int(getattr(p, end)) if p.integer else getattr(p, end)
                )
            at.run()
            assert_clean(at, f"{name} at its {end} ends")
            assert at.get("plotly_chart") or (name == "Uniform" and at.error), name
