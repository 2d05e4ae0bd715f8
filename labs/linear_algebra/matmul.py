"""Matrix multiplication step by step: row by column, a sum of outer products, a linear layer."""

from __future__ import annotations

import streamlit as st

from charts import matmul as charts
from dlcore import matmul as mm
from dlcore.views import matmul as views
from labs.linear_algebra.keys import PREFIX
from ui import notice, show_code, show_error, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart
from ui.state import keep_in_range

KEYS = ("mm_mode", "mm_m", "mm_k", "mm_k2", "mm_n", "mm_step", "mm_seed")
EXPORT = Export(
    PREFIX,
    "Matrix multiplication",
    (Step(views.matmul_view),),
    (Number("C = AB", "w.C"),),
    Chart(charts.product_grids, ("w.A", "w.B", "w.shown", ("w.a_mark", "w.b_mark", "w.c_mark"))),
)
SAME = "same as A's columns"
view = st.cache_data(views.matmul_view, max_entries=64, show_spinner=False)
NOTICES = {
    "Row by column": "Each entry needs a whole row of A and a whole column of B: k "
    "multiplications and k − 1 additions, m·n times over. Every entry is independent, which is "
    "why a GPU computes them all at once.",
    "Sum of outer products": "Column r of A times row r of B is a rank-one matrix as big as the "
    "answer; adding the k of them gives AB. Stop early and you have a low-rank piece of the "
    "product: the idea behind the SVD's truncation.",
    "Linear layer": "A batch of m examples (rows of X) goes through a layer of n units in one "
    "product: row i of Y depends on row i of X only. The bias has one entry per unit and is "
    "added to every row (broadcasting).",
}


def _inputs() -> tuple:
    mode = st.segmented_control(
        "Read the product as",
        views.MATMUL_MODES,
        default=views.MATMUL_MODES[0],
        required=True,
        **url(PREFIX, "mm_mode"),
    )
    c = st.columns(5)
    m = c[0].slider("Rows of A (m)", 1, 6, 2, **url(PREFIX, "mm_m"))
    k = c[1].slider("Columns of A (k)", 1, 6, 3, **url(PREFIX, "mm_k"))
    k2 = c[2].selectbox("Rows of B", [SAME, 1, 2, 3, 4, 5, 6], **url(PREFIX, "mm_k2"))
    n = c[3].slider("Columns of B (n)", 1, 6, 2, **url(PREFIX, "mm_n"))
    seed = int(c[4].number_input("Seed", 0, 9999, 0, **url(PREFIX, "mm_seed")))
    return mode, m, k, k if k2 == SAME else int(k2), n, seed


def _step(mode: str, m: int, k: int, n: int) -> int:
    steps = views.matmul_steps(mode, m, k, n)
    if steps == 1:
        return 1
    label = {"Row by column": "Entry", "Sum of outer products": "Outer products added"}
    keep_in_range(f"{PREFIX}_mm_step", 1, steps, 1)
    return st.slider(label.get(mode, "Example (row of X)"), 1, steps, 1, **url(PREFIX, "mm_step"))


view = record(view)


@st.fragment
def render() -> None:
    """Pick the shapes, step through the product, read it three ways."""
    mode, m, k, k2, n, seed = _inputs()
    try:
        mm.check_matmul_shapes((m, k), (k2, n))
    except ValueError as exc:
        st.latex(
            rf"\underbrace{{A}}_{{{m} \times {k}}}\;\underbrace{{B}}_{{{k2} \times {n}}}:\quad "
            rf"{k} \neq {k2}"
        )
        show_error(exc)
        return
    w = view(m, k, k2, n, mode, _step(mode, m, k, n), seed)
    names = ("X", "W", "XW + b") if mode == "Linear layer" else ("A", "B", "AB")
    st.latex(
        rf"\underbrace{{{names[0]}}}_{{{m} \times {k}}}\;\underbrace{{{names[1]}}}_{{{k} \times "
        rf"{n}}} = \underbrace{{{names[0]}{names[1]}}}_{{{m} \times {n}}}"
        r"\qquad\text{the inner sizes agree; the outer ones give the shape}"
    )
    show_chart(
        st,
        charts.product_grids(w.A, w.B, w.shown, (w.a_mark, w.b_mark, w.c_mark), names=names),
        key="la_mm_grids",
    )
    for line in w.lines:
        st.latex(line)
    notice(NOTICES[mode])
    show_code(
        views.matmul_view, mm.entry_step, mm.outer_terms, mm.check_matmul_shapes, export=EXPORT
    )
