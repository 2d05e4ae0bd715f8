"""Challenges that check themselves, drawn under the open panel.

A lab lists its challenges in ``labs/<lab>/challenges.py`` as :class:`Challenge`
entries. :func:`show_challenges` draws the ones that belong to the open panel,
each with its goal, a hint on request and the verdict of its check on the
current state, and remembers what was solved in ``st.session_state`` (this
visitor's session only: nothing is stored on the server).

The box runs inside the panel's fragment (see ``ui.panels.show_panels``'s
``after``), so moving a slider of the panel re-checks the challenges at once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import streamlit as st

from dlcore.challenges import Verdict

#: session-state key of the solved challenges: a dict ``{challenge id: True}``, in solving order
SOLVED = "challenges_solved"


class Challenge(NamedTuple):
    """One short task, phrased with the controls on screen, checked live.

    Attributes
    ----------
    key : str
        Short lower-case name, unique in its lab; the challenge's id is
        ``<prefix>.<key>`` (what progress links carry).
    panel : str
        The label of the panel whose controls solve it.
    goal, hint, explanation : str
        The one-line task, the hint shown on request, what solving it shows.
    reads : mapping of str to value
        The control names (without the prefix) the check reads, each with
        the widget's default (used when the control has not run yet).
    check : callable
        ``check(values) -> Verdict`` on the dict of those values; a pure
        ``dlcore.challenges`` predicate, possibly after one cached view call.
    """

    key: str
    panel: str
    goal: str
    hint: str
    explanation: str
    reads: Mapping[str, Any]
    check: Callable[[dict[str, Any]], Verdict]


def challenge_id(prefix: str, challenge: Challenge) -> str:
    """The id a progress link carries: ``"<prefix>.<key>"``."""
    return f"{prefix}.{challenge.key}"


def read_state(prefix: str, reads: Mapping[str, Any]) -> dict[str, Any]:
    """The current values of the controls ``reads`` names, their defaults where absent."""
    return {
        name: st.session_state.get(f"{prefix}_{name}", default) for name, default in reads.items()
    }


def judge(prefix: str, challenge: Challenge) -> Verdict:
    """Check ``challenge`` against the current state; a bad state fails with its message."""
    try:
        return challenge.check(read_state(prefix, challenge.reads))
    except (ValueError, KeyError, TypeError) as exc:
        return Verdict(False, f"Not yet: {exc}")


def solved_ids() -> dict[str, bool]:
    """The challenges this session has solved (ids in solving order)."""
    return dict(st.session_state.get(SOLVED, {}))


def mark_solved(ident: str) -> None:
    """Remember that ``ident`` was solved in this session."""
    done = dict(st.session_state.get(SOLVED, {}))
    done[ident] = True
    st.session_state[SOLVED] = done


def _show_one(prefix: str, challenge: Challenge, done: Mapping[str, bool]) -> None:
    ident = challenge_id(prefix, challenge)
    verdict = judge(prefix, challenge)
    if verdict.passed and ident not in done:
        mark_solved(ident)
    solved = verdict.passed or ident in done
    icon = ":green[:material/check_circle:]" if solved else ":material/radio_button_unchecked:"
    badge = " :green-badge[solved]" if solved else ""
    if verdict.passed:
        said = f":material/celebration: {verdict.reason} {challenge.explanation}"
    else:
        said = ("Solved earlier; now: " if ident in done else "") + verdict.reason
    # One element a challenge, its hint in the element's help (shown on request): the box
    # reruns with every slider move of the panel, and each element costs the browser a redraw.
    st.markdown(f"{icon} **{challenge.goal}**{badge}  \n{said}", help=f"Hint: {challenge.hint}")


def show_challenges(prefix: str, challenges: Sequence[Challenge], panel: Any) -> None:
    """Draw the challenges of the open ``panel`` (a ``ui.panels.Panel``), checked now."""
    mine = [c for c in challenges if c.panel == panel.label]
    if not mine:
        return
    done = solved_ids()
    with st.container(border=True):
        st.markdown(f"**:material/flag: Challenges on this panel** ({len(mine)})")
        for challenge in mine:
            _show_one(prefix, challenge, done)


def challenge_box(prefix: str, challenges: Sequence[Challenge]) -> Callable[[Any], None]:
    """``show_challenges`` for one lab, as ``ui.panels.show_panels(after=...)`` takes it."""
    return functools.partial(show_challenges, prefix, tuple(challenges))
