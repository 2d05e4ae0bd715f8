"""Learning-rate schedules: a schedule's shape, and each racer with and without it."""

from __future__ import annotations

import streamlit as st

from charts import optim as ch
from dlcore import schedules
from dlcore.views import optimizer_race as views
from labs.optimizer_race import settings
from labs.optimizer_race.keys import PREFIX, SHARED
from ui import notice, show_code, show_error, show_table
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = SHARED
view = st.cache_data(views.schedule_view, max_entries=16, show_spinner=False)
EXPORT = Export(
    PREFIX,
    "Learning-rate schedules",
    (Step(views.schedule_view),),
    (Number("Verdict", "w.verdict"), Number("Per racer", "w.rows")),
    Chart(ch.schedule_figure, ("w.multiplier",), {"name": "schedule"}),
    only_when={"formula": ("surface", (views.FORMULA,))},
)


view = record(view)


@st.fragment
def render() -> None:
    """Pick a schedule: its multiplier over the race, and the race with and without it."""
    setup, problem = settings.race_settings(rates=False, racers=True)
    if setup is None:
        return show_error(problem)
    if not setup.racers:
        return st.warning("Pick at least one racer in the race settings above.")
    left, right = st.columns([1, 2])
    schedule = settings.schedule_select(left)
    track = setup.track
    try:
        w = view(track.surface, track.formula, track.start, setup.racers, schedule, setup.steps)
    except ValueError as exc:
        return show_error(exc, hint="Change the start in the race settings above.")
    right.latex(w.latex)
    right.caption(
        "Every racer's rate is multiplied by this shape: its η is the peak, and the shape "
        "spreads over the race's steps."
    )
    shape, race = st.columns([1, 2])
    show_chart(shape, ch.schedule_figure(w.multiplier, name=schedule, height=380))
    show_chart(
        race,
        ch.schedule_race_figure(
            w.constant, w.scheduled, schedule=schedule, ytitle=w.ytitle, log=w.log
        ),
    )
    show_table(w.rows)
    notice(w.verdict)
    show_code(
        views.schedule_view,
        schedules.fitted,
        type(schedules.SCHEDULES[schedule]).__call__,
        export=EXPORT,
    )
