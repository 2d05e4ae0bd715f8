"""URL-bound widget state.

Every control of a lab is bound to the URL, so a copied link reproduces the
view. Keys are prefixed per page (``la_`` for linear algebra, ``cv_`` for
convolution, ...) because query parameters share one namespace per app and a
bound key is also the parameter's name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import streamlit as st

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def url(prefix: str, name: str) -> dict[str, str]:
    """Keyword arguments that bind a widget to the query parameter ``prefix_name``.

    Examples
    --------
    >>> url("cv", "stride")
    {'key': 'cv_stride', 'bind': 'query-params'}

    Use as ``st.slider("Stride", 1, 5, 1, **url("cv", "stride"))``.
    """
    if not _NAME.match(prefix) or not _NAME.match(name):
        raise ValueError(
            f"prefix and name must be lower-case identifiers, got {prefix!r}, {name!r}"
        )
    return {"key": f"{prefix}_{name}", "bind": "query-params"}


def keep_choice(key: str, options: Sequence[Any], fallback: Any) -> None:
    """Reset the widget state ``key`` to ``fallback`` if it is not one of ``options``.

    Call it just before creating a widget whose options depend on another
    control (the elimination steps of the chosen system, say): a value that
    was valid for the old options must not index past the new ones.
    """
    if key in st.session_state and st.session_state[key] not in options:
        st.session_state[key] = fallback
