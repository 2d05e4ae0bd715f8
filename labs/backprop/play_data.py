"""The playground's own data: a CSV upload, and points added by clicking on the output plane."""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from dlcore import pointsfile
from dlcore.pointsfile import Points
from dlcore.views import playground as views
from labs.backprop.keys import ADDED, CLICKS, PREFIX
from ui import url
from ui.figures import chart_clicks
from ui.state import keep_choice

#: session-state keys: the class (or target) a click adds, and "a click just added a point"
CLICK_CLASS = f"{PREFIX}_p_click_class"
CLICK_TARGET = f"{PREFIX}_p_click_target"
CLICKED = f"{PREFIX}_p_clicked"


class OwnData(NamedTuple):
    """The visitor's points: the upload (None if none or unusable) and the clicked points."""

    uploaded: Points | None
    upload_id: str
    clicked: Points | None
    problem: str  #: what is wrong with the upload or the added points ("" if nothing)


@st.cache_data(max_entries=8, show_spinner=False)
def _parse(file_id: str, _data: bytes) -> Points:
    """Parse an upload once per file (cached by the upload's id, never by its name)."""
    return pointsfile.read_points_csv(_data)


def upload(spec: views.DataSpec) -> tuple[Points | None, str, str]:
    """The CSV uploader, shown when the data source is the visitor's file."""
    if spec.source != views.UPLOAD:
        return None, "", ""
    f = st.file_uploader(
        "Points CSV: a header with x1, x2 and label (classes 0-7) or target (regression); "
        f"at most {pointsfile.MAX_ROWS} rows",
        type=["csv", "txt"],
        key=f"{PREFIX}_p_upload",
    )
    if f is None:
        return None, "", "Upload a CSV file to train on your own points."
    try:
        return _parse(f.file_id, f.getvalue()), f.file_id, ""
    except ValueError as exc:
        return None, f.file_id, f"{f.name}: {exc}"


def clicked_points(task: str, n_classes: int) -> tuple[Points | None, str]:
    """The added points, from a text field kept in the link (which a click appends to).

    The field is not bound with ``bind="query-params"``: Streamlit writes a bound
    value to the URL only when the visitor types it, never when a click sets it
    in code, so the link's ``bp_p_added`` is read and written here by hand.
    """
    if ADDED not in st.session_state:
        st.session_state[ADDED] = st.query_params.get(ADDED, "")[: 40 * pointsfile.MAX_CLICKED]
    text = st.text_input(
        "Added points (x1,x2,class; ...), kept in the link",
        max_chars=40 * pointsfile.MAX_CLICKED,
        help=f"click on the output plane to add one (at most {pointsfile.MAX_CLICKED})",
        key=ADDED,
    )
    if text and st.query_params.get(ADDED) != text:
        st.query_params[ADDED] = text
    elif not text and ADDED in st.query_params:
        del st.query_params[ADDED]
    try:
        return pointsfile.parse_clicked(text, task, n_classes), ""
    except ValueError as exc:
        return None, f"Added points: {exc}"


def add_clicked(task: str) -> None:
    """on_select of the output plane: append the clicked place with the chosen class or target."""
    points = chart_clicks(CLICKS)
    if not points:
        return
    x, y = float(points[-1]["x"]), float(points[-1]["y"])
    if task == "classification":
        label = st.session_state.get(CLICK_CLASS)
        cell = str(int(label or 0))
    else:
        cell = f"{float(st.session_state.get(CLICK_TARGET, 1.0)):.3f}"
    old = st.session_state.get(ADDED, "")
    parts = [p for p in old.split(";") if p.strip()]
    if len(parts) >= pointsfile.MAX_CLICKED:
        parts = parts[1:]  # keep the newest
    text = ";".join([*parts, f"{x:.3f},{y:.3f},{cell}"])
    st.session_state[ADDED] = text
    st.session_state[CLICKED] = True


def click_class(task: str, n_classes: int) -> None:
    """What a click adds: a class (classification) or a target value (regression)."""
    if task == "classification":
        keep_choice(CLICK_CLASS, list(range(n_classes)), 0)
        st.segmented_control(
            "A click adds class",
            list(range(n_classes)),
            default=0,
            **url(PREFIX, "p_click_class"),
        )
    else:
        st.select_slider("A click adds target", [-1.0, -0.5, 0.0, 0.5, 1.0], 1.0, key=CLICK_TARGET)
