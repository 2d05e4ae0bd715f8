"""Markdown tables: cell text, escaping, alignment, and the reader the page tests use."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.pagetest import read_markdown_table, tables
from ui.tables import cell_text, columns_of, escape_markdown, markdown_table


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "yes"),
        (np.bool_(False), "no"),
        (np.int64(200), "200"),
        (0.123456, "0.1235"),
        (np.float32(1e-7), "1e-07"),
        (float("nan"), "nan"),
        (float("inf"), "inf"),
        ("step 3", "step 3"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_rows_and_columns_give_the_same_table():
    rows = [{"racer": "SGD", "loss": 0.5}, {"racer": "Adam", "loss": 0.25}]
    assert columns_of(rows) == {"racer": ["SGD", "Adam"], "loss": [0.5, 0.25]}
    assert markdown_table(rows) == markdown_table({"racer": ["SGD", "Adam"], "loss": [0.5, 0.25]})


def test_layout_and_alignment():
    text = markdown_table({"name": ["a", "b"], "n": [1, 2.5], "ok": [True, False]})
    assert text.splitlines() == [
        "| name | n | ok |",
        "|:---|---:|:---|",
        "| a | 1 | yes |",
        "| b | 2.5 | no |",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "a|b",
        "$x$",
        "X~N(0,1)~",
        "*bold* _it_",
        ":smile:",
        "[l](u)",
        "<b>&amp;",
        "a\\b",
        ":material/home:",
        "a -> b",
        "x -- y",
        "www.evil.com",
        "me@evil.com",
    ],
)
def test_escaped_text_reads_back_literally(text):
    assert "|" not in escape_markdown(text).replace("\\|", "")
    table = read_markdown_table(markdown_table({text: [text]}))
    assert table == {text: [text]}


def test_newlines_in_a_cell_do_not_break_the_row():
    assert markdown_table({"a": ["one\ntwo"]}).splitlines()[-1] == "| one two |"


def test_empty_and_ragged_tables():
    assert markdown_table({}) == "" and markdown_table([]) == ""
    assert markdown_table({"a": []}) == "| a |\n|:---|"
    with pytest.raises(ValueError, match="differ in length"):
        markdown_table({"a": [1], "b": [1, 2]})


def test_reader_ignores_text_that_is_not_a_table():
    assert read_markdown_table("**Adam** wins | by far") is None
    assert read_markdown_table("") is None


def test_show_table_draws_markdown_the_page_tests_can_read():
    at = AppTest.from_string(
        "from ui.tables import show_table\nshow_table({'racer': ['SGD'], 'η': [0.01]})"
    ).run()
    assert not at.exception
    assert tables(at) == [{"racer": ["SGD"], "η": ["0.01"]}]


def test_streamlit_rewrites_after_parsing_are_broken_by_an_invisible_joiner():
    # Seen in Chromium: without the joiner these render as an icon, an arrow, a dash and a link.
    for text, broken in [
        (":material/home:", ":\u2060material/home"),
        ("a -> b", "-\u2060"),
        ("x -- y", "-\u2060"),
        ("www.evil.com", "www\u2060"),
        ("me@evil.com", "@\u2060"),
    ]:
        assert broken in escape_markdown(text).replace("\\", "")
