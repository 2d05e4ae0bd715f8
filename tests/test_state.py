"""ui.state: URL keys, re-clamped choices, and links with values that are not valid."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.pagetest import assert_clean, open_page
from ui.state import matches_link, rejected_link_values, rejected_message, url

PAGE = "pages/1_Linear_Algebra.py"


class Params(dict):
    def get_all(self, key):
        value = self[key]
        return value if isinstance(value, list) else [value]


def test_url_binds_a_prefixed_key_and_refuses_odd_names():
    assert url("cv", "stride") == {"key": "cv_stride", "bind": "query-params"}
    with pytest.raises(ValueError, match="lower-case"):
        url("cv", "Stride")


@pytest.mark.parametrize(
    ("texts", "value", "expected"),
    [
        (["1"], 1, True),
        (["1.0"], 1, True),
        (["abc"], 1, False),
        (["0.5000000001"], 0.5, True),
        (["0.6"], 0.5, False),
        (["true"], True, True),
        (["1"], True, False),
        (["a"], "a", True),
        (["b"], "a", False),
        (["x", "y"], ["x", "y"], True),
        (["x"], ["x", "y"], False),
        (["2024-01-01"], object(), True),  # cannot compare: never cry wolf
    ],
)
def test_matches_link(texts, value, expected):
    assert matches_link(texts, value) is expected


def test_rejected_values_are_the_dropped_ones_that_differ_from_the_value_used():
    sent = {"cv_stride": ["abc"], "cv_pad": ["0"], "cv_k": ["3"], "cv_gone": ["1"]}
    params = Params({"cv_k": "3"})  # Streamlit kept k, dropped stride and pad
    state = {"cv_stride": 1, "cv_pad": 0, "cv_k": 3}  # cv_gone's control did not run
    assert rejected_link_values(sent, params, state) == {"cv_stride": ("abc", 1)}
    assert rejected_message("cv", {"cv_stride": ("abc", 1)}) == (
        "This link's value for stride ('abc') is not valid here; using 1."
    )
    long = rejected_message("cv", {"cv_a_b": ("x" * 100, [1, 2])})
    assert long.startswith("This link's value for a b ('" + "x" * 37 + "...')")
    assert long.endswith("using 1, 2.")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"la_u1": "abc"}, "This link's value for u1 ('abc') is not valid here; using 3.0."),
        ({"la_eps": "zz"}, "This link's value for eps ('zz') is not valid here; using 0.1."),
        ({"la_panel": "Nope"}, "This link's value for panel ('Nope') is not valid here; using"),
        ({"la_u1": "9"}, "This link's value for u1 ('9') is not valid here"),  # out of range
    ],
)
def test_a_link_with_a_bad_value_says_so_and_falls_back(query, message):
    at = open_page(PAGE, query=query)
    assert_clean(at)
    assert any(w.value.startswith(message) for w in at.warning), [w.value for w in at.warning]


def test_a_good_link_says_nothing_and_the_message_is_said_once():
    at = open_page(PAGE, query={"la_u1": "2", "la_v2": "3.0"})
    assert_clean(at)
    assert not at.warning and at.slider(key="la_u1").value == 2.0
    bad = open_page(PAGE, query={"la_u1": "abc"})
    bad.slider(key="la_u2").set_value(2.0).run()
    assert_clean(bad)
    assert not bad.warning, "the fallback is said once, not on every click"


def _dependent_range_app():
    import streamlit as st

    from ui.state import keep_choice, keep_in_range

    wide = st.toggle("Wide", key="wide")
    lo, hi = (-3.0, 3.0) if wide else (0.5, 2.0)
    keep_in_range("x", lo, hi, lo)
    st.slider("x", lo, hi, lo, key="x")
    steps = list(range(5 if wide else 2))
    keep_choice("step", steps, 0)
    st.select_slider("step", steps, key="step")


def test_a_slider_whose_range_shrinks_restarts_inside_it():
    at = AppTest.from_function(_dependent_range_app).run()
    at.toggle(key="wide").set_value(True).run()
    at.slider(key="x").set_value(-2.5).run()
    at.select_slider(key="step").set_value(4).run()
    at.toggle(key="wide").set_value(False).run()
    assert not at.exception
    assert at.slider(key="x").value == 0.5  # -2.5 is outside [0.5, 2]: the fallback
    assert at.select_slider(key="step").value == 0  # step 4 of 2 steps: the fallback


def test_a_choice_still_offered_is_kept():
    at = AppTest.from_function(_dependent_range_app).run()
    at.toggle(key="wide").set_value(True).run()
    at.select_slider(key="step").set_value(1).run()
    at.toggle(key="wide").set_value(False).run()
    assert at.select_slider(key="step").value == 1
