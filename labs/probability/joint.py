"""Joint, marginal and conditional distributions of two discrete variables, typed as a table."""

from __future__ import annotations

import streamlit as st

from charts import joint as charts
from dlcore import joint as jt
from dlcore.linsys import parse_matrix
from dlcore.views import joint as views
from labs.probability.keys import PREFIX
from ui import notice, show_code, show_error, show_table, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart
from ui.state import keep_in_range

KEYS = ("jt_example", "jt_table", "jt_given", "jt_index")
EXPORT = Export(
    PREFIX,
    "Joint and conditional",
    (Step(views.joint_view),),
    (
        Number("Conditional", "w.conditional"),
        Number("Marginal", "w.marginal"),
        Number("Verdict", "w.verdict"),
    ),
    Chart(charts.joint_heatmap, ("w.table.joint", "given", "index")),
)
GIVEN = {"a column: P(A | B = b)": "B", "a row: P(B | A = a)": "A"}
view = st.cache_data(views.joint_view, max_entries=64, show_spinner=False)


def _load_example() -> None:
    example = views.JOINT_EXAMPLES[st.session_state[f"{PREFIX}_jt_example"]]
    st.session_state[f"{PREFIX}_jt_table"] = example.text


def _inputs() -> tuple[str, str]:
    first = next(iter(views.JOINT_EXAMPLES.values()))
    c = st.columns([1, 2])
    name = c[0].selectbox(
        "Example (loads the table)",
        list(views.JOINT_EXAMPLES),
        on_change=_load_example,
        **url(PREFIX, "jt_example"),
    )
    c[0].caption(views.JOINT_EXAMPLES[name].description)
    text = c[1].text_area(
        "Table of counts or probabilities: rows are A's values, columns B's; rows separated by ';'",
        first.text,
        height=90,
        **url(PREFIX, "jt_table"),
    )
    return text, name


def _slice(m: int, n: int) -> tuple[str, int]:
    c = st.columns(2)
    given = GIVEN[
        c[0].segmented_control(
            "Condition on",
            list(GIVEN),
            default=list(GIVEN)[0],
            required=True,
            **url(PREFIX, "jt_given"),
        )
    ]
    count = n if given == "B" else m
    if count == 1:
        return given, 0
    keep_in_range(f"{PREFIX}_jt_index", 1, count, 1)
    label = "Column b" if given == "B" else "Row a"
    return given, c[1].slider(label, 1, count, 1, **url(PREFIX, "jt_index")) - 1


view = record(view)


@st.fragment
def render() -> None:
    """The joint with its marginals, one slice renormalised, independence checked."""
    text, _ = _inputs()
    try:
        shape = parse_matrix(text, name="table", max_size=6).shape  # the slider's range
        given, index = _slice(*shape)
        w = view(text, given, index)
    except ValueError as exc:
        show_error(exc, hint="Type non-negative numbers, for example 1 2; 3 4.")
        return
    show_table(w.rows)
    st.caption("The last row and column are the marginals: sums over the other variable.")
    left, right = st.columns(2)
    show_chart(left, charts.joint_heatmap(w.table.joint, given, index), key="prob_jt_heat")
    other = "A" if given == "B" else "B"
    label = f"P({other} | {given} = {given.lower()}{index + 1})"
    show_chart(
        right,
        charts.conditional_bars(w.names, w.conditional, w.marginal, label=label),
        key="prob_jt_cond",
    )
    for line in w.lines:
        st.latex(line)
    (st.success if w.table.independent else st.info)(w.verdict)
    notice(
        "Conditioning is slicing and renormalising: keep the row or column you know happened and "
        "divide by its total so it sums to 1. Independence means every slice looks like the "
        "marginal; try the fair coins, then move one count."
    )
    show_code(views.joint_view, jt.joint_table, jt.conditional, export=EXPORT)
