"""Page scaffolding: header, code panel, messages."""

from __future__ import annotations

import inspect
from collections.abc import Iterable

import streamlit as st

from ui.nav import sidebar_nav


def page_header(title: str, intro: str, *, icon: str = ":material/school:") -> None:
    """Configure the page and draw the menu, the title and a one-paragraph intro.

    Must be the first Streamlit call of a page (it calls ``st.set_page_config``).
    """
    st.set_page_config(page_title=f"{title} · DL Math Lab", page_icon=icon, layout="wide")
    sidebar_nav()
    st.title(title)
    st.markdown(intro)


def show_code(*objects: object, label: str = "Show the NumPy code") -> None:
    """An expander with the source of the dlcore functions behind a view.

    The source is read with ``inspect.getsource`` at run time, so what the
    reader sees is exactly the code that computed the figure.
    """
    with st.expander(label):
        for obj in objects:
            try:
                source = inspect.getsource(obj)
            except (OSError, TypeError):
                source = f"# source of {getattr(obj, '__qualname__', obj)!r} is not available"
            st.code(source, language="python")


def notice(text: str) -> None:
    """The "what to notice" sentence tied to the concept a panel teaches."""
    st.info(text, icon=":material/visibility:")


def show_error(exc: Exception | str, *, hint: str | None = None) -> None:
    """Show a bad-input error as a message, never a traceback."""
    message = str(exc)
    if hint:
        message = f"{message}\n\n{hint}"
    st.error(message, icon=":material/error:")


def bullet_list(items: Iterable[str]) -> str:
    """Markdown for a bullet list."""
    return "\n".join(f"- {item}" for item in items)
