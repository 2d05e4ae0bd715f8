"""One panel at a time: a lab is a table of contents of named panels.

A lab package (``labs/<lab>/__init__.py``) lists its panels as :class:`Panel`
entries; the page calls :func:`show_panels`, which draws lazy tabs bound to
the URL (``?<prefix>_panel=<label>``) and runs only the open panel. Each
panel's ``render`` is an ``st.fragment``, so its own widgets rerun it alone.

Links made before the labs were split into panels carry control values but
no panel: the panel that owns those controls (its ``keys``) opens instead of
the first one, so such a link still shows what it showed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

import streamlit as st

from ui.state import link_values, rejected_link_values, rejected_message
from ui.takeaway import embed_requested, hide_controls


class Panel(NamedTuple):
    """One named view of a lab.

    Attributes
    ----------
    label : str
        The tab's label, also the value of the URL's ``<prefix>_panel``.
        Renaming it invalidates links, so labels are part of the contract.
    render : callable
        Draws the panel (an ``st.fragment``), taking no arguments.
    keys : tuple of str
        The URL names (without the prefix) of the panel's controls, so a link
        that names a control of this panel but no panel opens this one.
    """

    label: str
    render: Callable[[], None]
    keys: tuple[str, ...] = ()


def panel_key(prefix: str) -> str:
    """The session-state key and URL parameter of a lab's panel picker."""
    return f"{prefix}_panel"


def owner_of(prefix: str, panels: Sequence[Panel], params: Mapping[str, object]) -> str | None:
    """The label of the first panel that owns a control named in ``params``.

    Examples
    --------
    >>> ps = [Panel("A", print, ("x",)), Panel("B", print, ("y",))]
    >>> owner_of("la", ps, {"la_y": "1"})
    'B'
    >>> owner_of("la", ps, {"cv_y": "1"}) is None
    True
    """
    for panel in panels:
        if any(f"{prefix}_{name}" in params for name in panel.keys):
            return panel.label
    return None


def show_panels(
    prefix: str, panels: Sequence[Panel], *, after: Callable[[Panel], None] | None = None
) -> Panel:
    """Draw the lab's panel tabs and run the open panel only; return it.

    Parameters
    ----------
    prefix : str
        The lab's URL prefix (``"la"``, ``"cv"``, ...).
    panels : sequence of Panel
        In tab order; the first is the default view.
    after : callable, optional
        ``after(panel)`` draws under the open panel in the same fragment (the
        lab's challenges), so the panel's own widgets rerun it too.
    """
    key = panel_key(prefix)
    labels = [panel.label for panel in panels]
    sent = link_values(prefix, st.query_params)
    if key not in st.session_state and key not in st.query_params:
        owner = owner_of(prefix, panels, st.query_params)
        if owner is not None:  # an old link: open the panel its controls belong to
            st.session_state[key] = owner
    if embed_requested(prefix):  # an embed link: the open panel's figure and formula alone
        hide_controls()
    warning = st.empty()
    tabs = st.tabs(labels, key=key, bind="query-params")
    chosen = panels[0]
    for panel, tab in zip(panels, tabs, strict=True):
        if tab.open:
            chosen = panel
            with tab:
                panel.render() if after is None else run_with(panel, after)
            break
    rejected = rejected_link_values(sent, st.query_params, st.session_state)
    if rejected:  # said once: Streamlit has dropped these values from the URL
        warning.warning(rejected_message(prefix, rejected), icon=":material/link_off:")
    return chosen


@st.fragment
def run_with(panel: Panel, after: Callable[[Panel], None]) -> None:
    """The panel's body, then ``after(panel)``, as one fragment (``st.fragment`` wraps, so
    ``render.__wrapped__`` is the body): a slider of the panel reruns both."""
    getattr(panel.render, "__wrapped__", panel.render)()
    after(panel)
