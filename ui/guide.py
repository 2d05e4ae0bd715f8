"""A guided path through a lab: "Start here", a few steps, next and back.

A lab lists its path in ``labs/<lab>/path.py`` as :class:`PathStep` entries. Each
step opens a panel and sets its URL-bound controls to a telling state (in an
``on_click`` callback, before the widgets are created, so the controls and the
link follow), then says what to look at. The visitor can leave the path at any
step and keep exploring from where it left them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import streamlit as st

from ui.panels import panel_key


class PathStep(NamedTuple):
    """One step of a guided path.

    Attributes
    ----------
    panel : str
        The label of the panel the step opens.
    values : mapping of str to value
        Control names (without the prefix) and the values the step sets;
        each must be valid for its widget (an option of a select, inside a
        slider's range).
    look : str
        What to look at, in a sentence or two (Markdown).
    """

    panel: str
    values: Mapping[str, Any]
    look: str


def guide_key(prefix: str) -> str:
    """The session-state key of the step a visitor is on (absent: not on the path)."""
    return f"guide_{prefix}_at"


def go_to(prefix: str, steps: Sequence[PathStep], index: int) -> None:
    """Open step ``index``: its panel and control values (an ``on_click`` callback)."""
    step = steps[index]
    for name, value in step.values.items():
        st.session_state[f"{prefix}_{name}"] = value
    st.session_state[panel_key(prefix)] = step.panel
    st.session_state[guide_key(prefix)] = index


def leave(prefix: str) -> None:
    """Leave the path; the controls keep the values of the last step."""
    st.session_state.pop(guide_key(prefix), None)


def show_guide(prefix: str, steps: Sequence[PathStep]) -> None:
    """The "Start here" box: a start button, or the current step with back / next / leave."""
    if not steps:
        return
    at = st.session_state.get(guide_key(prefix))
    on_path = isinstance(at, int) and 0 <= at < len(steps)
    with st.container(border=True):
        if not on_path:
            text, start = st.columns([5, 1], vertical_alignment="center")
            text.markdown(
                f":material/route: **Start here:** a guided path of {len(steps)} steps, each "
                "setting the controls to a telling state and saying what to look at. Leave at any "
                "step and keep exploring."
            )
            start.button(
                "Start the path",
                key=f"guide_{prefix}_start",
                on_click=go_to,
                args=(prefix, steps, 0),
                icon=":material/play_arrow:",
            )
            return
        step = steps[at]
        st.markdown(
            f":material/route: **Step {at + 1} of {len(steps)}: {step.panel}.** {step.look}"
        )
        back, forward, out = st.columns(3)
        if at > 0:
            back.button(
                "Back",
                key=f"guide_{prefix}_back",
                on_click=go_to,
                args=(prefix, steps, at - 1),
                icon=":material/arrow_back:",
            )
        last = at == len(steps) - 1
        forward.button(
            "Finish" if last else "Next",
            key=f"guide_{prefix}_next",
            on_click=leave if last else go_to,
            args=(prefix,) if last else (prefix, steps, at + 1),
            icon=":material/check:" if last else ":material/arrow_forward:",
        )
        out.button("Leave the path", key=f"guide_{prefix}_leave", on_click=leave, args=(prefix,))
