"""Take it with you: the open panel as a script and a notebook, and as an embeddable view.

:func:`offer` draws, under a panel, the headline numbers of its view (the
lines the script prints); :func:`take_away`, once the code expander is open,
the two downloads (the text is written only when a button is clicked) and the
embed link. :func:`view_script` is the script the
code expander shows. With ``?embed=true&<prefix>_embed=1`` in the URL
:func:`hide_controls` hides every control, the sidebar and the tabs; the
widgets still run (hidden), so they keep their values from the URL.
"""

from __future__ import annotations

import functools
from urllib.parse import urlencode

import streamlit as st

from ui.export import Export, headline_lines, recorded
from ui.scriptgen import notebook, plan, script, sections

#: What a visitor sees in embed mode: figures, displayed formulas, pictures and metrics.
_SHOWN = (
    "[data-testid='stPlotlyChart']",
    ".katex-display",
    "[data-testid='stImage']",
    "[data-testid='stMetric']",
)
_HIDE_CSS = (
    "<style>"
    "[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], "
    "[data-testid='stExpander'], [data-testid='stTabs'] [role='tablist'], "
    "[data-testid='stElementContainer']:not(:has({shown})), "
    "[data-testid='stColumn']:not(:has({shown})) {{display: none !important;}}"
    "[data-testid='stColumn']:has({shown}) {{flex: 1 1 0 !important; width: auto !important;}}"
    "</style>"
)


def embed_key(prefix: str) -> str:
    """The URL parameter that hides a lab's controls (``<prefix>_embed``)."""
    return f"{prefix}_embed"


def embed_requested(prefix: str) -> bool:
    """Whether the URL asks for the lab's embed view (``<prefix>_embed=1``)."""
    return st.query_params.get(embed_key(prefix), "") in ("1", "true")


def hide_controls() -> None:
    """Hide every control, the sidebar, the tabs and the text: figures and formulas stay."""
    st.html(_HIDE_CSS.format(shown=", ".join(_SHOWN)))


def embed_link(prefix: str) -> str:
    """The current page and state as a link that shows the open panel's figure alone."""
    params = [(k, v) for k in st.query_params for v in st.query_params.get_all(k)]
    params = [(k, v) for k, v in params if k not in ("embed", embed_key(prefix))]
    params += [("embed", "true"), (embed_key(prefix), "1")]
    base = st.context.url or ""
    return f"{base}?{urlencode(params)}"


def files(export: Export) -> tuple[list[str], functools.partial, functools.partial] | None:
    """This run's headline lines, and the script's and notebook's text as deferred calls.

    None when a step of the export did not run. The parameters are written out
    here (cheap: a few literals), so a value that cannot be written raises
    ``ValueError`` now, not when a button is clicked.
    """
    found = recorded(export)
    if found is None:
        return None
    p = plan(export, *found)
    lines = headline_lines(export, p.namespace)
    parts = sections(export, p)
    return lines, functools.partial(script, parts), functools.partial(notebook, parts)


def offer(export: Export) -> tuple[functools.partial, functools.partial] | None:
    """The headline numbers under the panel; returns the script's and notebook's writers.

    The downloads and the embed link are drawn by :func:`take_away`, inside the code
    expander: a panel's fragment redraws every element it holds on each slider move,
    and six always-shown elements cost a browser tens of milliseconds a move.
    """
    try:
        made = files(export)
    except (ValueError, TypeError) as exc:  # a value no literal rebuilds, a field not there
        st.caption(f"No script for this view: {exc}.")
        return None
    if made is None:
        return None
    lines, py, ipynb = made
    if lines:
        st.caption("This view in numbers: " + " · ".join(lines), help="What the script prints.")
    return py, ipynb


def take_away(export: Export, py: functools.partial, ipynb: functools.partial) -> None:
    """The two downloads (written when clicked) and the embed link, in the open expander."""
    buttons = st.container(horizontal=True)
    buttons.download_button(
        "Download as Python", py, f"{export.stem}.py", "text/x-python",
        icon=":material/code:", on_click="ignore", key=f"export_py_{export.stem}",
    )  # fmt: skip
    buttons.download_button(
        "Download as notebook", ipynb, f"{export.stem}.ipynb", "application/x-ipynb+json",
        icon=":material/book:", on_click="ignore", key=f"export_nb_{export.stem}",
    )  # fmt: skip
    st.caption(
        "Embed link: this panel's figure and formula at this state, without controls "
        "(copy it with the button at its right)."
    )
    st.code(embed_link(export.lab), language=None, wrap_lines=True)
