"""Linear systems: where lines (and planes) meet, solved by Gaussian elimination."""

from __future__ import annotations

import streamlit as st

from charts import linalg as ch
from dlcore import linalg as la
from dlcore.tex import tex_matrix as tm
from dlcore.tex import tex_vector as tv
from dlcore.views import linear_algebra as views
from labs.linear_algebra.keys import PREFIX
from ui import notice, show_code, show_error, url
from ui.export import Chart, Choice, Export, Number, Step, record
from ui.figures import show_chart
from ui.state import keep_choice

KEYS = ("system", "sys_a", "sys_b", "step")
EXPORT = Export(
    PREFIX,
    "Linear systems",
    (Step(views.system_view),),
    (Number("Solution x", "w.solution.x"),),
    Choice(
        "w.picture",
        {
            "lines": Chart(ch.lines_figure, ("w.A", "w.b", "w.solution.x")),
            "planes": Chart(ch.planes_figure, ("w.A", "w.b", "w.solution.x")),
        },
    ),
)
STEP = f"{PREFIX}_step"
view = st.cache_data(views.system_view, max_entries=64, show_spinner=False)


def _load_system() -> None:
    preset = la.SYSTEMS[st.session_state[f"{PREFIX}_system"]]
    st.session_state[f"{PREFIX}_sys_a"], st.session_state[f"{PREFIX}_sys_b"] = preset.A, preset.b
    # a new system opens at its solved last step, wherever the old one was left
    w = view(preset.A, preset.b)
    if w.solution is not None:
        st.session_state[STEP] = len(w.solution.steps) - 1


def _inputs() -> tuple[str, str]:
    first = next(iter(la.SYSTEMS.values()))
    name = st.selectbox(
        "Example (loads A and b)", list(la.SYSTEMS), on_change=_load_system, **url(PREFIX, "system")
    )
    st.caption(la.SYSTEMS[name].description)
    a_text = st.text_area("A: rows separated by ';'", first.A, height=80, **url(PREFIX, "sys_a"))
    b_text = st.text_input("b", first.b, **url(PREFIX, "sys_b"))
    return a_text, b_text


def _picture(w: views.SystemView) -> None:
    x = None if w.solution is None else w.solution.x
    if w.picture == "lines":
        show_chart(st, ch.lines_figure(w.A, w.b, x))
    elif w.picture == "planes":
        show_chart(st, ch.planes_figure(w.A, w.b, x))
    else:
        st.info("Pictures are drawn for 2x2 and 3x3 systems; the elimination works up to 6x6.")


def _elimination(w: views.SystemView) -> None:
    steps = w.solution.steps
    keep_choice(STEP, range(len(steps)), len(steps) - 1)
    k = st.select_slider(
        "Gaussian elimination, step by step",
        list(range(len(steps))),
        len(steps) - 1,
        format_func=lambda i: f"{i}: {steps[i].operation}",
        **url(PREFIX, "step"),
    )
    st.latex(rf"{steps[k].latex}:\quad {tm(steps[k].matrix, bar=w.A.shape[0])}")
    st.latex(
        rf"x = {tv(w.solution.x)},\qquad A^{{-1}} = {tm(w.inverse, digits=3)},"
        rf"\qquad A A^{{-1}} = {tm(w.check, digits=3)}"
    )


view = record(view)


@st.fragment
def render() -> None:
    """Type ``A`` and ``b`` (or pick an example); see the picture and every elimination step."""
    left, right = st.columns([1, 2])
    with left:
        a_text, b_text = _inputs()
        try:
            w = view(a_text, b_text)
        except ValueError as exc:
            return show_error(exc)
        if w.problem:
            show_error(w.problem)
    with right:
        _picture(w)
    if w.solution is None:
        return
    _elimination(w)
    notice(
        "Partial pivoting swaps in the largest pivot of each column before eliminating, so it "
        "never divides by a tiny number. The last step is [I | x]: the solution sits in the "
        "right-hand column."
    )
    show_code(views.system_view, la.solve, export=EXPORT)
