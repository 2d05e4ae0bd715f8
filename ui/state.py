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


def keep_in_range(key: str, lo: float, hi: float, fallback: Any) -> None:
    """Reset the slider state ``key`` to ``fallback`` if its value is outside ``[lo, hi]``.

    For a slider whose range follows another control (the plot range of the
    chosen function, say): Streamlit does not check a kept value against the
    new range and refuses the widget. A range slider's value is a pair; both
    ends must be inside.
    """
    if key in st.session_state and not _inside(st.session_state[key], lo, hi):
        st.session_state[key] = fallback


def _inside(values: Any, lo: float, hi: float) -> bool:
    values = values if isinstance(values, (tuple, list)) else (values,)
    return all(isinstance(v, (int, float)) and lo <= v <= hi for v in values)


def link_values(prefix: str, params: Any) -> dict[str, list[str]]:
    """The values a link carries for one lab's controls (``prefix_*``), all of each.

    ``params`` is ``st.query_params`` (or any mapping with ``get_all``).
    """
    return {k: list(params.get_all(k)) for k in params if k.startswith(f"{prefix}_")}


def matches_link(texts: Sequence[str], value: Any) -> bool:
    """Whether a link's text(s) for a control equal the control's value.

    Streamlit drops a link's value from the URL both when it is invalid and
    when it equals the default; this tells the two apart. Values it cannot
    compare (a formatted option, a date) count as matching: the check must
    never cry wolf.

    Examples
    --------
    >>> matches_link(["0.50"], 0.5), matches_link(["abc"], 1), matches_link(["x", "y"], ["x", "y"])
    (True, False, True)
    """
    if isinstance(value, (list, tuple)):
        return len(texts) == len(value) and all(
            matches_link([t], v) for t, v in zip(texts, value, strict=True)
        )
    text = texts[-1] if texts else ""
    if isinstance(value, bool):
        return text.strip().lower() == str(value).lower()
    if isinstance(value, (int, float)):
        try:
            number = float(text)
        except ValueError:
            return False
        return abs(number - value) <= 1e-9 * max(1.0, abs(value))
    if isinstance(value, str):
        return text == value
    return True


def rejected_link_values(
    sent: dict[str, list[str]], params: Any, state: Any
) -> dict[str, tuple[str, Any]]:
    """The controls whose link value was not valid: ``{key: (sent text, value used)}``.

    Parameters
    ----------
    sent : dict
        :func:`link_values` read at the start of the run.
    params, state
        ``st.query_params`` and ``st.session_state`` after the panel ran:
        Streamlit has removed what it could not use, and the widget holds the
        value it fell back to.
    """
    rejected = {}
    for key, texts in sent.items():
        if key in params or key not in state:
            continue  # kept (valid), or a control that did not run this time
        if not matches_link(texts, state[key]):
            rejected[key] = (texts[-1] if texts else "", state[key])
    return rejected


def rejected_message(prefix: str, rejected: dict[str, tuple[str, Any]]) -> str:
    """One sentence per control whose link value was not valid, naming what is used instead.

    Examples
    --------
    >>> rejected_message("cv", {"cv_stride": ("abc", 1)})
    "This link's value for stride ('abc') is not valid here; using 1."
    """
    parts = []
    for key, (text, value) in rejected.items():
        name = key.removeprefix(f"{prefix}_").replace("_", " ")
        shown = text if len(text) <= 40 else text[:37] + "..."
        if isinstance(value, (list, tuple)):
            value = ", ".join(map(str, value)) or "none"
        parts.append(f"This link's value for {name} ({shown!r}) is not valid here; using {value}.")
    return " ".join(parts)
