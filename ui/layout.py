"""Page scaffolding: header, code panel, messages."""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Iterable, Mapping

import streamlit as st

from ui.export import Export
from ui.figures import CHART_CSS
from ui.nav import sidebar_nav
from ui.takeaway import offer, take_away


def page_header(title: str, intro: str, *, icon: str = ":material/school:") -> None:
    """Configure the page and draw the menu, the title and a one-paragraph intro.

    Must be the first Streamlit call of a page (it calls ``st.set_page_config``).
    """
    st.set_page_config(page_title=f"{title} · DL Math Lab", page_icon=icon, layout="wide")
    sidebar_nav()
    st.html(CHART_CSS)
    st.title(title)
    st.markdown(intro)


# The source of a function never changes while the server runs, so it is read
# once per object. Python 3.11's parser is not safe to run from several script
# threads at once (inspect.getsource parses the whole module: "AST constructor
# recursion depth mismatch" under load), so the one read is serialised by a lock;
# the cache itself holds only immutable strings.
_SOURCE_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1024)
def _cached_source(module: str, qualname: str, obj: object) -> str:
    with _SOURCE_LOCK:
        return inspect.getsource(obj)


def source_of(obj: object) -> str:
    """The source of ``obj``, read and parsed once per process; a fallback line if unavailable."""
    name = getattr(obj, "__qualname__", repr(obj))
    try:
        return _cached_source(getattr(obj, "__module__", ""), name, obj)
    except Exception:  # any failure to read source shows the fallback, never an error
        return f"# source of {name!r} is not available"


def show_code(
    *objects: object, label: str = "Show the NumPy code", export: Export | None = None
) -> None:
    """An expander with the source of the dlcore functions behind a view.

    The source is the code that computed the figure, read once per process
    (:func:`source_of`), so a rerun costs no parsing. The expander is lazy:
    its code is sent only once it is opened, because the code element's
    highlighter is a large script that a browser would otherwise load and run
    before the page's first chart (about 0.5 s in Chromium here).

    With the panel's ``export`` (:class:`ui.export.Export`) the panel also shows
    its headline numbers (:func:`ui.takeaway.offer`), and the expander holds the
    view as a script and a notebook to download, its embed link
    (:func:`ui.takeaway.take_away`) and that script, the library functions a
    click away.
    """
    names = ",".join(getattr(obj, "__qualname__", repr(obj)) for obj in objects)
    writers = offer(export) if export is not None else None
    if writers is not None:
        label = "Take this view with you: Python, a notebook, an embed link"
    with st.expander(label, key=f"code:{label}:{names}", on_change="rerun") as box:
        if not box.open:
            return
        if writers is not None:
            take_away(export, *writers)
            st.code(writers[0](), language="python")
            if not st.toggle("Show the library functions it calls", key=f"code:lib:{names}"):
                return
        for obj in objects:
            st.code(source_of(obj), language="python")


def notice(text: str) -> None:
    """The "what to notice" sentence tied to the concept a panel teaches."""
    st.info(text, icon=":material/visibility:")


def show_error(exc: Exception | str, *, hint: str | None = None) -> None:
    """Show a bad-input error as a message, never a traceback."""
    message = str(exc)
    if hint:
        message = f"{message}\n\n{hint}"
    st.error(message, icon=":material/error:")


def show_run_status(status: str, message: str, metrics: Mapping[str, str]) -> None:
    """A training run's state: a warning when it ``"diverged"``, a hint when it is
    ``"fresh"`` (not trained yet), then its figures side by side."""
    if status == "diverged":
        st.error(message, icon=":material/warning:")
    elif status == "fresh":
        st.info(message, icon=":material/play_arrow:")
    for column, (label, value) in zip(st.columns(len(metrics)), metrics.items()):
        column.metric(label, value)


def bullet_list(items: Iterable[str]) -> str:
    """Markdown for a bullet list."""
    return "\n".join(f"- {item}" for item in items)
