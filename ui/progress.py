"""A visitor's progress through the challenges: counts, a shareable link, a CSV.

Progress lives in this visitor's ``st.session_state`` only (see
:data:`ui.challenges.SOLVED`); nothing is stored on the server. The "my
progress" link carries the solved ids in the query parameter ``progress``
(``?progress=la.squash,gd.edge``), so a learner can send it to a teacher; a
link is validated before anything is shown from it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import NamedTuple

import streamlit as st

from ui.challenges import Challenge, challenge_id, mark_solved, solved_ids
from ui.downloads import download_csv

#: the query parameter of a progress link
PARAM = "progress"
#: longer links are refused before they are split
MAX_LINK_CHARS = 2000
IDENT = re.compile(r"^[a-z]+\.[a-z0-9_]+$")


class LabChallenges(NamedTuple):
    """One lab's challenges, as the Home page lists them."""

    label: str
    prefix: str
    challenges: tuple[Challenge, ...]


class LinkedProgress(NamedTuple):
    """What a progress link says.

    Attributes
    ----------
    ids : tuple of str
        The known challenge ids it names, in its order, without repeats.
    message : str
        Why (part of) the link could not be read; "" when all of it could.
    """

    ids: tuple[str, ...]
    message: str


def encode(ids: Sequence[str]) -> str:
    """The ``progress`` parameter for ``ids``: comma-separated.

    Examples
    --------
    >>> encode(["la.squash", "gd.edge"])
    'la.squash,gd.edge'
    """
    return ",".join(ids)


def decode(text: str, known: Collection[str]) -> LinkedProgress:
    """Read a ``progress`` parameter, keeping only the ids of real challenges.

    Examples
    --------
    >>> decode("la.squash,zz.nope", {"la.squash"})
    LinkedProgress(ids=('la.squash',), message='This progress link names 1 challenge that does not exist (zz.nope); it is left out.')
    >>> decode("", {"la.squash"}).ids
    ()
    """
    if len(text) > MAX_LINK_CHARS:
        return LinkedProgress((), f"This progress link is too long ({len(text)} characters).")
    parts = [p.strip() for p in text.split(",") if p.strip()]
    ids = tuple(dict.fromkeys(p for p in parts if p in known))
    bad = [p for p in parts if p not in known]
    if not bad:
        return LinkedProgress(ids, "")
    shown = ", ".join(p if IDENT.match(p) and len(p) <= 40 else "…" for p in bad[:5])
    count = f"{len(bad)} challenge{'s' if len(bad) > 1 else ''}"
    verb = "does" if len(bad) == 1 else "do"
    return LinkedProgress(
        ids, f"This progress link names {count} that {verb} not exist ({shown}); it is left out."
    )


def lab_counts(labs: Sequence[LabChallenges], done: Collection[str]) -> dict[str, tuple[int, int]]:
    """``{lab label: (solved, total)}`` for the solved ids ``done``."""
    counts = {}
    for lab in labs:
        ids = [challenge_id(lab.prefix, c) for c in lab.challenges]
        counts[lab.label] = (sum(i in done for i in ids), len(ids))
    return counts


def progress_columns(labs: Sequence[LabChallenges], done: Collection[str]) -> dict[str, list]:
    """Every challenge as a row (lab, id, goal, solved): the CSV a learner downloads."""
    rows = [
        (
            lab.label,
            challenge_id(lab.prefix, c),
            c.goal,
            "yes" if challenge_id(lab.prefix, c) in done else "no",
        )
        for lab in labs
        for c in lab.challenges
    ]
    names = ("lab", "challenge", "goal", "solved")
    return {name: [row[i] for row in rows] for i, name in enumerate(names)}


def _restore(ids: Sequence[str]) -> None:
    for ident in ids:
        mark_solved(ident)


def _show_link(labs: Sequence[LabChallenges]) -> None:
    linked = decode(st.query_params.get(PARAM, ""), {i for lab in labs for i in _ids(lab)})
    if linked.message:
        st.warning(linked.message, icon=":material/link_off:")
    if not linked.ids:
        return
    theirs = lab_counts(labs, set(linked.ids))
    lines = [f"- {label}: {n} of {total}" for label, (n, total) in theirs.items() if n]
    st.info(
        f"This link shows **{len(linked.ids)}** solved challenges:\n" + "\n".join(lines),
        icon=":material/share:",
    )
    st.button(
        "Add them to my progress", key="progress_restore", on_click=_restore, args=(linked.ids,)
    )


def _ids(lab: LabChallenges) -> list[str]:
    return [challenge_id(lab.prefix, c) for c in lab.challenges]


def show_progress(labs: Sequence[LabChallenges]) -> None:
    """The Home page's "My progress": counts, the shareable link, the CSV, a link's contents."""
    done = solved_ids()
    counts = lab_counts(labs, done)
    solved = sum(n for n, _ in counts.values())
    total = sum(t for _, t in counts.values())
    st.subheader("My progress")
    if PARAM in st.query_params:
        _show_link(labs)
    st.markdown(f"**{solved} of {total}** challenges solved in this session.")
    if solved:
        link = f"{st.context.url or ''}?{PARAM}={encode(list(done))}"
        st.markdown(f"[My progress link]({link}): send it to a teacher, or keep it to continue.")
        st.code(link, language=None)
    download_csv(
        "Download my progress (CSV)",
        progress_columns(labs, done),
        "dl_math_lab_progress.csv",
        key="progress_csv",
    )
    st.caption("Progress is kept in this browser session only; nothing is stored on the server.")
