"""The sequence monkey: seeded random sequences of actions on a page, shrunk when one fails.

Page tests that change one control at a time from the defaults miss the bugs
that need a sequence (a slider left at its last step, then another example
chosen). The monkey drives whatever widgets are on the page, in a random
order, with extremes, just-inside values, random valid values and hostile
text, switching panels too, and records any exception element or error that
reaches the page. A failing sequence is shrunk to a minimal one and printed
as numbered steps, so it can be replayed by hand or pasted into a test.

Used by tests/test_monkey.py (a small budget in the default test command)
and ``python -m bench monkey --seeds 50`` (the long run).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from streamlit.testing.v1 import AppTest

from tests.pagetest import KINDS, NOT_DRIVEN, lab_of, open_page, problems, raw_options
from ui.panels import panel_key

# Hostile text for text inputs: empty, huge, unicode, code, formulas with poles and overflow.
MONKEY_TEXTS: tuple[str, ...] = (
    "",
    "x" * 10_000,
    "sin(x) · ∞ ∂ 🙂 \u202e",
    "__import__('os').system('echo pwned')",
    "1/x",
    "log(x)",
    "exp(1000*x)",
    "x**1e9",
    "1/(x - x)",
    "1 2; 3 4",
    "nan",
)


class Action(NamedTuple):
    """One step: set widget ``ident`` of ``kind`` by ``how`` to ``value``."""

    kind: str
    ident: Any
    how: str
    value: Any

    def describe(self) -> str:
        shown = repr(self.value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        if self.kind == "panel":
            return f"open the panel {self.value!r}"
        if self.how == "click":
            return f"click the button {self.ident!r}"
        if self.how == "index":
            return f"choose option #{self.value} of {self.kind} {self.ident!r}"
        return f"set {self.kind} {self.ident!r} to {shown}"


class Failure(NamedTuple):
    """A sequence that ended in an exception on the page."""

    page: str
    seed: int
    actions: tuple[Action, ...]
    error: str

    def report(self) -> str:
        steps = "\n".join(f"  {i}. {a.describe()}" for i, a in enumerate(self.actions, 1))
        return (
            f"{self.page} (seed {self.seed}), after {len(self.actions)} step(s):\n{steps}\n"
            f"  -> {self.error.splitlines()[0] if self.error else 'error'}\n{self.error}"
        )


def _ident(widget: Any, index: int) -> Any:
    return widget.key if widget.key is not None else index


def _find(at: AppTest, kind: str, ident: Any):
    widgets = at.get(kind)
    if isinstance(ident, int):
        return widgets[ident] if ident < len(widgets) else None
    return next((w for w in widgets if w.key == ident), None)


def _number_choices(widget: Any, rng: random.Random) -> list[Any]:
    lo, hi, step = widget.min, widget.max, widget.step or 1
    if lo is None or hi is None:
        value = widget.value if widget.value is not None else 0
        lo = value - 1000 * step if lo is None else lo
        hi = value + 1000 * step if hi is None else hi
    inside = [lo + step, hi - step] if hi - lo > 2 * step else []
    n = int(round((hi - lo) / step)) if step else 0
    random_value = lo + step * rng.randint(0, max(n, 0))
    values = [lo, hi, *inside, min(max(random_value, lo), hi)]
    if isinstance(widget.value, int) and isinstance(step, int):
        values = [int(v) for v in values]
    if isinstance(widget.value, (tuple, list)):  # a range slider
        a, b = sorted(rng.sample(values, 2)) if len(values) > 1 else (lo, hi)
        return [(lo, hi), (lo, lo), (a, b)]
    return values


def choices(widget: Any, rng: random.Random) -> list[tuple[str, Any]]:
    """Candidate (how, value) moves for one widget."""
    kind = widget.type
    if kind in ("selectbox", "radio"):
        return [("index", i) for i in range(len(widget.options))]
    if kind in ("segmented_control", "pills", "select_slider"):
        return [("value", v) for v in raw_options(widget)]
    if kind in ("slider", "number_input"):
        return [("value", v) for v in _number_choices(widget, rng)]
    if kind == "multiselect":
        options = list(widget.options)
        subset = rng.sample(options, rng.randint(0, len(options))) if options else []
        return [("value", []), ("value", options), ("value", subset)]
    if kind in ("checkbox", "toggle"):
        return [("value", not widget.value)]
    if kind in ("text_input", "text_area"):
        return [("value", t) for t in MONKEY_TEXTS] + [("value", widget.value)]
    if kind == "button":
        return [("click", None)]
    return []


def apply(at: AppTest, action: Action) -> bool:
    """Apply one action; False when its widget is not on the page (the step is skipped)."""
    if action.kind == "panel":
        at.session_state[action.ident] = action.value
        return True
    widget = _find(at, action.kind, action.ident)
    if widget is None:
        return False
    _forget_link(at, action.ident)
    if action.how == "click":
        widget.click()
    elif action.how == "index":
        if action.value >= len(widget.options):
            return False
        if widget.type == "radio":  # AppTest's Radio has no select_index
            widget.set_value(widget.options[action.value])
        else:
            widget.select_index(action.value)
    elif action.kind == "multiselect":
        widget.set_value([v for v in action.value if v in widget.options])
    else:
        if action.kind in ("select_slider", "segmented_control", "pills"):
            if action.value not in raw_options(widget):
                return False
        widget.set_value(action.value)
    return True


def _forget_link(at: AppTest, key: Any) -> None:
    """Drop the link's value for a widget the visitor is about to change.

    In a browser the frontend rewrites the URL as soon as a bound widget
    changes; AppTest does not, so a value the server once wrote there would
    stay behind and be read again as if the visitor had typed a link with it.
    """
    if isinstance(key, str) and key in at.query_params:
        del at.query_params[key]


def _pick(
    at: AppTest, page: str, rng: random.Random, recent: list[tuple[str, Any]]
) -> Action | None:
    """The next action: often a widget touched in the last few steps, sometimes a new panel.

    Going back to a recent widget makes the "set X, push Y to its end, change
    X again" sequences that break a control whose range depends on another.
    """
    lab = lab_of(page)
    present = [
        (kind, _ident(w, i), w)
        for kind in KINDS
        for i, w in enumerate(at.get(kind))
        if not w.disabled and not str(w.key or "").startswith(NOT_DRIVEN)  # the path: test_guide
    ]
    if lab is not None and rng.random() < 0.1:
        label = rng.choice([p.label for p in lab.PANELS])
        return Action("panel", panel_key(lab.PREFIX), "value", label)
    again = [entry for entry in present if (entry[0], entry[1]) in recent[-3:]]
    pool = again if again and rng.random() < 0.5 else present
    if not pool:
        return None
    kind, ident, widget = rng.choice(pool)
    options = choices(widget, rng)
    if not options:
        return None
    how, value = rng.choice(options)
    return Action(kind, ident, how, value)


def _check(at: AppTest) -> str:
    found = problems(at)
    return "\n---\n".join(found)


Opener = Callable[..., AppTest]


def replay(
    page: str, actions: Iterable[Action], *, panel: str | None = None, opener: Opener = open_page
) -> str:
    """Run ``actions`` from a fresh session; the error text, or "" if the page stayed clean."""
    at = opener(page, panel=panel)
    error = _check(at)
    if error:
        return error
    for action in actions:
        try:
            if not apply(at, action):
                continue
            at.run()
        except Exception as exc:  # AppTest itself failed (a timeout, a value it refused)
            return f"{type(exc).__name__}: {exc}"
        error = _check(at)
        if error:
            return error
    return ""


def shrink(
    page: str, actions: list[Action], *, panel: str | None = None, opener: Opener = open_page
) -> list[Action]:
    """Drop steps while the sequence still fails (one at a time, until none can go)."""
    current = list(actions)
    changed = True
    while changed and len(current) > 1:
        changed = False
        for i in range(len(current)):
            trial = current[:i] + current[i + 1 :]
            if replay(page, trial, panel=panel, opener=opener):
                current, changed = trial, True
                break
    return current


def run(
    page: str,
    seed: int,
    steps: int = 20,
    *,
    panel: str | None = None,
    opener: Opener = open_page,
) -> Failure | None:
    """One seeded random sequence of ``steps`` actions on ``page``; a shrunk Failure or None.

    Parameters
    ----------
    page : str
        A page path (``"pages/8_Convolution.py"``), opened with ``opener``.
    seed : int
        The sequence is a function of ``(page, seed)`` alone, so a failure replays.
    opener : callable
        ``opener(page, panel=...) -> AppTest`` after its first run (default:
        :func:`tests.pagetest.open_page`, the page inside the app).
    """
    rng = random.Random(f"{page}:{seed}")
    at = opener(page, panel=panel)
    actions: list[Action] = []
    error = _check(at)
    for _ in range(steps):
        if error:
            break
        action = _pick(at, page, rng, [(a.kind, a.ident) for a in actions])
        if action is None:
            break
        try:
            if not apply(at, action):
                continue
            actions.append(action)
            at.run()
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            break
        error = _check(at)
    if not error:
        return None
    minimal = shrink(page, actions, panel=panel, opener=opener)
    final = replay(page, minimal, panel=panel, opener=opener)
    return Failure(page, seed, tuple(minimal), final or error)
