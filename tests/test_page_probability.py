"""The probability page under AppTest: every widget of every topic, and the values it shows."""

from __future__ import annotations

import re

import pytest

from dlcore import probability as prob
from tests import pagetest
from tests.pagetest import assert_clean, drive_widgets, open_page

PAGE = "pages/4_Probability_and_Statistics.py"
TOPICS = [
    "Distributions",
    "Central limit theorem",
    "Bayes",
    "Likelihood",
    "Tests and intervals",
    "Information",
]


def open_topic(topic: str):
    at = open_page(PAGE)
    at.segmented_control(key="prob_panel").set_value(topic).run()
    assert_clean(at, f"on {topic}")
    return at


def latex(at) -> str:
    return "\n".join(str(e.value) for e in at.latex)


@pytest.mark.parametrize("topic", TOPICS)
def test_drive_every_widget_of_each_topic(monkeypatch, topic):
    """drive_widgets starts from the chosen topic (the selector itself is driven in the test below)."""
    real_open = pagetest.open_page

    def open_on_topic(page, *, timeout=60):
        at = real_open(page, timeout=timeout)
        at.segmented_control(key="prob_panel").set_value(topic).run()
        # Each topic's default view needs no input: charts, and no error.
        assert not at.error and at.get("plotly_chart"), topic
        return at

    monkeypatch.setattr(pagetest, "open_page", open_on_topic)
    runs = drive_widgets(PAGE, skip=["prob_panel"], max_options=4)
    assert runs >= 6


def test_default_view():
    at = open_page(PAGE)
    assert at.segmented_control(key="prob_panel").value == "Distributions"
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


def test_uniform_with_b_below_a_shows_an_error_and_the_page_survives():
    at = open_page(PAGE)
    at.selectbox(key="prob_dist").set_value("Uniform").run()
    at.slider(key="prob_uniform_a").set_value(3.0).run()
    at.slider(key="prob_uniform_b").set_value(1.0).run()
    assert_clean(at)
    assert any("b must be greater than a" in e.value for e in at.error)
    assert at.segmented_control(key="prob_panel").value == "Distributions"


def test_bayes_posterior_shown():
    at = open_topic("Bayes")
    assert "= 0.1538" in latex(at)  # 0.9 * 0.01 / (0.9 * 0.01 + 0.05 * 0.99)
    at.slider(key="prob_prev").set_value(0.5).run()
    assert "= 0.9474" in latex(at)  # 0.45 / (0.45 + 0.025)
    at.slider(key="prob_flips").set_value(7).run()
    heads, tails = map(
        int, re.search(r"(\d+)\\text\{ heads\},\\ (\d+)\\text\{ tails\}", latex(at)).groups()
    )
    assert heads + tails == 7


def test_bayes_notice_follows_who_outnumbers_whom():
    at = open_topic("Bayes")
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


def test_cauchy_breaks_the_clt_with_an_explanation():
    at = open_topic("Central limit theorem")
    assert r"\mathcal{N}" in latex(at) and not at.warning
    at.selectbox(key="prob_clt_dist").set_value("Cauchy (Student t, \u03bd = 1)").run()
    assert_clean(at)
    assert any("finite variance" in w.value for w in at.warning)
    assert "Cauchy" in latex(at)


def test_information_zero_in_q_and_normalisation():
    at = open_topic("Information")
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


def test_softmax_gradient_shown():
    at = open_topic("Information")
    at.segmented_control(key="prob_unit").set_value("nats").run()
    at.selectbox(key="prob_label").set_value("B").run()
    text = latex(at)
    assert (
        r"\frac{\partial L}{\partial z} = p - y" in text
        and r"softmax}(z)_{B}" in text
        and "-0.765" in text
    )


def test_t_test_decision_follows_alpha():
    at = open_topic("Tests and intervals")
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
