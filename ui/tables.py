"""Small tables as Markdown, which costs the browser nothing to load.

``st.dataframe`` and ``st.table`` each make the browser fetch and start a
JavaScript chunk of their own before the panel's first chart is drawn (about
0.4-0.5 s each in headless Chromium on these machines, PERFORMANCE.md); a
Markdown table is drawn by the renderer every page already uses. Tables of a
dozen rows that are read, not sorted, are shown this way.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from numbers import Integral, Real

import numpy as np
import streamlit as st

Table = Mapping[str, Sequence[object]] | Sequence[Mapping[str, object]]

# The characters that mean something inline in a table cell: "|" breaks the
# column, "$" starts LaTeX, ":" a Streamlit icon or emoji code, "~" "*" "_" "`"
# strike-through, emphasis and code, "[" "!" "<" "&" links, images, HTML and
# entities. CommonMark lets any of them be backslash-escaped.
_PUNCTUATION = re.compile(r"([\\`*_\[\]!<>&$|~:])")

#: An invisible word joiner. Streamlit rewrites some text after Markdown is
#: parsed, when backslashes are already gone: ":material_home:" becomes an
#: icon, " -> " an arrow, "--" a dash, and a bare "www.x" or "a@b" a link. A
#: joiner after ":", "-", "<", ">", "~", "@" and "www" breaks each pattern
#: without changing what a reader sees.
JOINER = "\u2060"
_REWRITTEN = re.compile(r"([:\-<>~@]|www)")


def columns_of(table: Table) -> dict[str, list[object]]:
    """Columns of a table given as columns or as rows (every row has the first row's keys)."""
    if isinstance(table, Mapping):
        return {str(k): list(v) for k, v in table.items()}
    rows = list(table)
    names = list(rows[0]) if rows else []
    return {str(n): [row[n] for row in rows] for n in names}


def cell_text(value: object) -> str:
    """A cell as text: yes/no for booleans, four significant digits for reals."""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, Integral):
        return str(int(value))
    if isinstance(value, Real):
        v = float(value)
        return "nan" if math.isnan(v) else f"{v:.4g}"
    return str(value)


def escape_markdown(text: str) -> str:
    """``text`` shown literally in Markdown.

    Punctuation is backslash-escaped, Streamlit's later rewrites are broken by
    :data:`JOINER`, and newlines become spaces.
    """
    text = _REWRITTEN.sub(lambda m: m.group(1) + JOINER, " ".join(text.splitlines()))
    return _PUNCTUATION.sub(r"\\\1", text)


def markdown_table(table: Table) -> str:
    """A GitHub-flavoured Markdown table; numbers right-aligned, everything else left.

    Parameters
    ----------
    table : mapping of column name to sequence, or sequence of row mappings
        Every column the same length.

    Returns
    -------
    str
        Header, alignment row and one line per row; "" for a table without columns.
    """
    cols = columns_of(table)
    if not cols:
        return ""
    lengths = {len(v) for v in cols.values()}
    if len(lengths) != 1:
        raise ValueError(f"columns differ in length: {sorted(lengths)}")
    numeric = [bool(col) and all(_is_number(v) for v in col) for col in cols.values()]
    header = "| " + " | ".join(escape_markdown(n) for n in cols) + " |"
    align = "|" + "|".join("---:" if num else ":---" for num in numeric) + "|"
    body = [
        "| " + " | ".join(escape_markdown(cell_text(v)) for v in row) + " |"
        for row in zip(*cols.values())
    ]
    return "\n".join([header, align, *body])


def _is_number(value: object) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool | np.bool_)


def show_table(table: Table) -> None:
    """Draw a small table as Markdown (see the module docstring for why not a dataframe)."""
    st.markdown(markdown_table(table))
