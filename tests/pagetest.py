"""Drive a Streamlit page under ``streamlit.testing`` AppTest.

Every lab's tests use :func:`open_page` for its default view and
:func:`drive_widgets` to push every widget through its options and extremes,
asserting after each rerun that no exception reached the page. Errors the
page shows on purpose (``st.error`` for bad input) are fine; tracebacks are not.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from ui.nav import LABS
from ui.panels import panel_key

ROOT = Path(__file__).resolve().parent.parent

# Formulas and matrices are typed by users; these must all end in a message.
HOSTILE_TEXTS: tuple[str, ...] = (
    "",
    "__import__('os').system('echo pwned')",
    "x.__class__.__mro__",
    "9**9**9",
    "(" * 200 + "x" + ")" * 200,
    "1/0",
    "not a number",
)

# Widgets the sweep leaves alone: the guided path's buttons open other panels (which would end
# the sweep of this one early); tests/test_guide.py walks every path.
NOT_DRIVEN = ("guide_",)

# Widget kinds AppTest knows, in the order they are driven.
KINDS: tuple[str, ...] = (
    "selectbox",
    "radio",
    "segmented_control",
    "pills",
    "select_slider",
    "slider",
    "number_input",
    "multiselect",
    "checkbox",
    "toggle",
    "text_input",
    "text_area",
    "button",
)


def lab_of(page: str):
    """The ``labs.<lab>`` package behind ``page`` (``PREFIX``, ``PANELS``), or None."""
    for lab in LABS:
        if lab.path == page and getattr(lab, "package", ""):
            return importlib.import_module(f"labs.{lab.package}")
    return None


def open_page(
    page: str, *, panel: str | None = None, query: dict[str, str] | None = None, timeout: float = 60
) -> AppTest:
    """Run ``page`` (a path like ``"pages/8_Convolution.py"``) as a page of app.py.

    Going through app.py keeps the main-script directory right, so the
    ``st.page_link`` menu resolves as it does in the real app.

    Parameters
    ----------
    panel : str, optional
        The label of the lab panel to open (as a link ``?<prefix>_panel=...``
        would); the first panel when omitted.
    query : dict, optional
        Further query parameters, as a shared link would carry them.
    """
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.run()
    if page != "app.py":
        at.switch_page(page)
        for name, value in (query or {}).items():
            at.query_params[name] = value
        if panel is not None:
            at.query_params[panel_key(lab_of(page).PREFIX)] = panel
        at.run()
    return at


def switch_panel(at: AppTest, page: str, panel: str) -> AppTest:
    """Open another panel of the running page, as a click on its tab does.

    The tab is bound to the URL and a browser rewrites the URL on the click;
    AppTest does not, so the link is updated here too (a stale link value
    would be read again as the visitor's choice).
    """
    key = panel_key(lab_of(page).PREFIX)
    at.session_state[key] = panel
    at.query_params[key] = panel
    return at.run()


def tables(at: AppTest) -> list[dict[str, list[str]]]:
    """Every Markdown table on the page (:func:`ui.tables.show_table`), columns of cell text."""
    found = (read_markdown_table(m.value) for m in at.markdown)
    return [t for t in found if t is not None]


def read_markdown_table(text: str) -> dict[str, list[str]] | None:
    """The columns of a Markdown table written by :func:`ui.tables.markdown_table`, unescaped."""
    lines = text.strip().splitlines()
    if len(lines) < 2 or not re.fullmatch(r"\|(:?-+:?\|)+", lines[1]):
        return None
    rows = [_cells(line) for line in lines[:1] + lines[2:]]
    return {name: [row[i] for row in rows[1:]] for i, name in enumerate(rows[0])}


def _cells(line: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", line.strip()[1:-1])
    return [re.sub(r"\\(.)", r"\1", c.strip()).replace("\u2060", "") for c in cells]


def problems(at: AppTest) -> list[str]:
    """Uncaught exceptions shown on the page, as text."""
    return [f"{e.proto.type}: {e.message}\n{''.join(e.stack_trace)}" for e in at.exception]


def assert_clean(at: AppTest, context: str = "") -> None:
    found = problems(at)
    assert not found, f"exception on the page {context}:\n" + "\n---\n".join(found)


def _widget_ids(at: AppTest) -> list[tuple[str, Any]]:
    ids = []
    for kind in KINDS:
        for index, widget in enumerate(at.get(kind)):
            ids.append((kind, widget.key if widget.key is not None else index))
    return ids


def _find(at: AppTest, kind: str, ident: Any):
    widgets = at.get(kind)
    if isinstance(ident, int):
        return widgets[ident] if ident < len(widgets) else None
    for widget in widgets:
        if widget.key == ident:
            return widget
    return None


def _spread(values: list[Any], most: int) -> list[Any]:
    if len(values) <= most:
        return values
    step = (len(values) - 1) / (most - 1)
    return [values[round(i * step)] for i in range(most)]


def raw_options(widget: Any) -> list[Any]:
    """The values behind a select_slider's (or pills') displayed options.

    AppTest only sees the formatted labels, and ``set_value`` wants the raw
    value: invert the widget's ``format_func`` over likely candidates (the
    label itself, its index, the number it spells), keeping the label when
    nothing maps back.
    """
    fmt = getattr(widget, "format_func", None) or str
    raw = []
    for i, label in enumerate(widget.options):
        found = label
        for cand in (label, i, *_numbers(label)):
            try:
                if str(fmt(cand)) == label:
                    found = cand
                    break
            except Exception:  # a format_func that only takes its own type
                continue
        raw.append(found)
    return raw


def _numbers(text: str) -> list[Any]:
    out: list[Any] = []
    for cast in (int, float):
        try:
            out.append(cast(text))
        except ValueError:
            pass
    return out


def candidates(
    widget: Any, *, max_options: int = 5, texts: Iterable[str] = HOSTILE_TEXTS
) -> list[Any]:
    """Values to try for one widget: its extremes and a spread of its options."""
    kind = widget.type
    if kind in ("selectbox", "radio"):
        return [("index", i) for i in _spread(list(range(len(widget.options))), max_options)]
    if kind in ("segmented_control", "pills", "select_slider"):
        return [("value", v) for v in _spread(raw_options(widget), max_options)]
    if kind == "slider":
        lo, hi = widget.min, widget.max
        if isinstance(widget.value, (tuple, list)):
            return [("value", (lo, hi)), ("value", (lo, lo)), ("value", (hi, hi))]
        return [("value", lo), ("value", hi)]
    if kind == "number_input":
        value = widget.value if widget.value is not None else 0
        lo = widget.min if widget.min is not None else value - 100 * widget.step
        hi = widget.max if widget.max is not None else value + 100 * widget.step
        return [("value", lo), ("value", hi)]
    if kind == "multiselect":
        options = list(widget.options)
        return (
            [("value", [])]
            + [("select", o) for o in _spread(options, 2)]
            + [("value_all", options)]
        )
    if kind in ("checkbox", "toggle"):
        return [("value", not widget.value)]
    if kind in ("text_input", "text_area"):
        return [("value", t) for t in texts]
    if kind == "button":
        return [("click", None)]
    return []


def _apply(widget: Any, how: str, value: Any) -> None:
    if how == "index":
        if hasattr(widget, "select_index"):
            widget.select_index(value)
        else:  # AppTest's Radio has no select_index in Streamlit 1.67
            widget.set_value(widget.options[value])
    elif how == "click":
        widget.click()
    elif how == "select":
        widget.select(value)
    elif how == "value_all":
        for option in value:
            widget.select(option)
    else:
        widget.set_value(value)


def drive_widgets(
    page: str,
    *,
    panel: str | None = None,
    max_options: int = 5,
    timeout: float = 60,
    texts: Iterable[str] = HOSTILE_TEXTS,
    skip: Iterable[Any] = (),
    after_each: Callable[[AppTest, str], None] | None = None,
) -> int:
    """Push every widget of ``page`` through its candidate values.

    Each widget is driven from the page's default state and restored before
    the next one (the restore is applied in the same rerun as the next
    widget's first value, to halve the runs). Widgets that appear only after
    another widget changes are driven too, if a later sweep shows them.

    Parameters
    ----------
    page : str
        Path of the page relative to the project root.
    panel : str, optional
        The lab panel to drive (the first one when omitted).
    skip : iterable
        Widget keys (or kinds) not to drive, e.g. a "train" button covered elsewhere.
    after_each : callable, optional
        Extra check ``after_each(at, context)`` after every rerun.

    Returns
    -------
    int
        The number of reruns made, so a test can assert the sweep did work.
    """
    skip = set(skip)
    texts = tuple(texts)
    at = open_page(page, panel=panel, timeout=timeout)
    assert_clean(at, "on first load")
    runs = 0
    seen: set[tuple[str, Any]] = set()
    pending_restore: tuple[str, Any, Any] | None = None
    queue = _widget_ids(at)
    while queue:
        kind, ident = queue.pop(0)
        if (kind, ident) in seen or ident in skip or kind in skip:
            continue
        if isinstance(ident, str) and ident.startswith(NOT_DRIVEN):
            continue
        seen.add((kind, ident))
        widget = _find(at, kind, ident)
        if widget is None:
            continue
        original = None if kind == "button" else widget.value
        for how, value in candidates(widget, max_options=max_options, texts=texts):
            widget = _find(at, kind, ident)
            if widget is None:
                break
            if pending_restore is not None:
                r_kind, r_ident, r_value = pending_restore
                restore = _find(at, r_kind, r_ident)
                if restore is not None and (r_kind, r_ident) != (kind, ident):
                    restore.set_value(r_value)
                pending_restore = None
            context = f"after setting {kind} {ident!r} via {how} {value!r}"
            try:
                _apply(widget, how, value)
            except (
                Exception
            ) as exc:  # AppTest refused the value (e.g. not an option): not a page bug
                raise AssertionError(f"could not set {kind} {ident!r} to {value!r}: {exc}") from exc
            at.run()
            runs += 1
            assert_clean(at, context)
            if after_each is not None:
                after_each(at, context)
            for new in _widget_ids(at):
                if new not in seen and new not in queue:
                    queue.append(new)
        if kind != "button":
            pending_restore = (kind, ident, original)
    if pending_restore is not None:
        r_kind, r_ident, r_value = pending_restore
        restore = _find(at, r_kind, r_ident)
        if restore is not None:
            restore.set_value(r_value)
            at.run()
            runs += 1
            assert_clean(at, "after the final restore")
    return runs
