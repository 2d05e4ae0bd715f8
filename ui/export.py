"""Take a view with you: one description per panel of what its script does.

A panel declares an :class:`Export` next to its ``KEYS``: the dlcore calls it
makes (:class:`Step`, in order), the headline numbers (:class:`Number`) and
the main figure (:class:`Chart`). The panel wraps each of those calls with
:func:`record`, so the values it actually passed (those the URL holds, turned
into arguments by the panel) are kept for this run; :mod:`ui.scriptgen`
writes them out as a script and a notebook, and :func:`headline_lines` gives
the page and the script the same headline text.

Paths such as ``"w.verdict.name"`` or ``"svd.S"`` name a variable of the
script (a parameter, or a step's result) followed by attributes and integer
indices; the page resolves them with :func:`resolve`, the script writes them
as they are.
"""

from __future__ import annotations

import functools
import inspect
import re
import threading
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from streamlit.runtime.scriptrunner import get_script_run_ctx

_PATH = re.compile(r"^[a-z_][a-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*|\[-?\d+\])*$")
_PART = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(-?\d+)\]")
_LABEL_BANNED = set("{}\"'\\\n")


class Step(NamedTuple):
    """One dlcore call of the view: ``name = fn(...)``."""

    fn: Callable[..., Any]
    name: str = "w"


class Number(NamedTuple):
    """A headline number: ``label: format(value at path, spec)``."""

    label: str
    path: str
    spec: str = ""


class Lit(NamedTuple):
    """A literal argument of a chart call (a string that is not a path)."""

    value: Any


class Call(NamedTuple):
    """A call inside a chart's arguments: ``fn(*args, **kwargs)``, args as in :class:`Chart`."""

    fn: Callable[..., Any]
    args: tuple = ()
    kwargs: Mapping[str, Any] = {}


class Chart(NamedTuple):
    """The main figure: ``fig = fn(*args, **kwargs)``.

    A ``str`` argument is a path (a parameter or a step's result); :class:`Lit`
    a literal string; :class:`Call` a nested call; anything else a literal.
    """

    fn: Callable[..., Any]
    args: tuple = ()
    kwargs: Mapping[str, Any] = {}


class Choice(NamedTuple):
    """The main figure that depends on the view: ``charts[value at path]`` (none if absent)."""

    path: str
    charts: Mapping[Any, Chart]


class Export(NamedTuple):
    """What the panel's "Download this view as Python" script does.

    Attributes
    ----------
    lab : str
        The lab's URL prefix (``"gd"``), which names the files.
    title : str
        The panel's title, the script's first line.
    steps : tuple of Step
        The dlcore calls, in order; each is wrapped with :func:`record` in the panel.
    headline : tuple of Number
        What the script prints and the page shows under the figure.
    chart : Chart, Choice or None
        The main figure (a :class:`Choice` when the view decides which one).
    only_when : mapping of str to (str, tuple)
        Arguments that matter only for some values of another:
        ``{"text": ("name", (TYPED,))}``. Otherwise the value is written in
        the call (``text=""``), so the parameters block holds no dead parameter.
    """

    lab: str
    title: str
    steps: tuple[Step, ...]
    headline: tuple[Number, ...] = ()
    chart: Chart | Choice | None = None
    only_when: Mapping[str, tuple[str, tuple]] = {}

    @property
    def stem(self) -> str:
        """The downloads' file name without extension."""
        words = re.sub(r"[^a-z0-9]+", "_", self.title.lower()).strip("_")
        return f"{self.lab}_{words}"


class Recording(NamedTuple):
    """The arguments one step was called with in this run, and its result."""

    arguments: dict[str, Any]
    result: Any


class Picture(NamedTuple):
    """Where an image argument came from: a sample's name or an upload's file name."""

    img: Any
    sample: str | None
    file_name: str | None
    gray: bool
    max_side: int


_RUN = threading.local()


def _calls() -> dict:
    """This script thread's recordings, for the session running on it (never another's)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    session = ctx.session_id if ctx is not None else ""
    if getattr(_RUN, "session", None) != session:
        _RUN.session, _RUN.calls = session, {}
    return _RUN.calls


def view_arguments(wrapper: Callable, fn: Callable, args: tuple, kwargs: dict) -> dict[str, Any]:
    """The arguments of a call of ``wrapper`` named as ``fn``'s parameters.

    ``wrapper`` is the cached function a panel calls (``fn`` itself, or a
    function keyed by an image's ident taking ``_img``): a leading underscore
    is dropped and parameters ``fn`` does not have (the ident) are left out.
    """
    bound = inspect.signature(wrapper).bind(*args, **kwargs)
    wanted = inspect.signature(fn).parameters
    named = {name.lstrip("_"): value for name, value in bound.arguments.items()}
    return {name: named[name] for name in wanted if name in named}


def record(wrapper: Callable, fn: Callable | None = None) -> Callable:
    """``wrapper`` that keeps, for this run, the arguments of each call and its result.

    Parameters
    ----------
    wrapper : callable
        What the panel calls (usually ``st.cache_data(fn, ...)``).
    fn : callable, optional
        The dlcore function the script calls; ``wrapper`` itself (unwrapped) by default.
    """
    target = fn if fn is not None else inspect.unwrap(wrapper)

    @functools.wraps(wrapper)
    def recorded(*args: Any, **kwargs: Any) -> Any:
        result = wrapper(*args, **kwargs)
        _calls()[target] = Recording(view_arguments(wrapper, target, args, kwargs), result)
        return result

    return recorded


def note_call(fn: Callable, arguments: dict[str, Any], result: Any) -> None:
    """Say that ``result`` is what ``fn(**arguments)`` returns, for this run's script.

    For a result the panel kept between runs (a training run grown by button
    presses): the script recomputes it in one call, which must give the same
    numbers (the export tests run it).
    """
    _calls()[fn] = Recording(dict(arguments), result)


def note_picture(picture: Picture) -> None:
    """Remember where this run's image came from (called by the image picker)."""
    _calls()[Picture] = picture


def recorded(export: Export) -> tuple[dict[Callable, Recording], Picture | None] | None:
    """This run's recordings of the export's steps, and the image; None if a step did not run."""
    calls = _calls()
    found = {step.fn: calls.get(step.fn) for step in export.steps}
    if any(r is None for r in found.values()):
        return None
    return found, calls.get(Picture)


def forget(fn: Callable | None = None) -> None:
    """Drop the recording of ``fn`` (a result no single call gives any more), or all of them."""
    if fn is None:
        _calls().clear()
    else:
        _calls().pop(fn, None)


def check_path(path: str) -> str:
    """``path`` if it is a variable followed by attributes and integer indices, else ValueError."""
    if not _PATH.match(path):
        raise ValueError(f"not a path of the script's variables: {path!r}")
    return path


def resolve(path: str, namespace: Mapping[str, Any]) -> Any:
    """The value a path names in ``namespace`` (the script's variables)."""
    root = check_path(path).split(".")[0].split("[")[0]
    try:
        value = namespace[root]
        for attr, index in _PART.findall(path[len(root) :]):
            value = getattr(value, attr) if attr else value[int(index)]
    except (AttributeError, LookupError, TypeError) as exc:
        raise ValueError(f"{path} is not defined in this view ({exc})") from None
    return value


def check_label(label: str) -> str:
    """``label`` if a script's f-string can hold it as it is (no quotes, braces, backslashes)."""
    if _LABEL_BANNED & set(label):
        raise ValueError(f"a headline label has no quotes, braces or backslashes: {label!r}")
    return label


def headline_line(number: Number, value: Any) -> str:
    """The line the page shows and the script prints for one headline number.

    Examples
    --------
    >>> headline_line(Number("Curvature", "w.c", ".3g"), 2.0)
    'Curvature: 2'
    >>> headline_line(Number("Figures", "w.metrics"), {"Epoch": "3", "Train loss": "0.52"})
    'Figures: Epoch 3 · Train loss 0.52'

    A mapping (a panel's figures by name) reads as "name value · name value", not as a dict.
    """
    if isinstance(value, Mapping):
        return f"{check_label(number.label)}: " + " · ".join(f"{k} {v}" for k, v in value.items())
    return f"{check_label(number.label)}: {format(value, number.spec)}"


def headline_lines(export: Export, namespace: Mapping[str, Any]) -> list[str]:
    """Every headline line of ``export`` for the script's variables ``namespace``."""
    return [headline_line(n, resolve(n.path, namespace)) for n in export.headline]
