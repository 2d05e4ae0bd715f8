"""A fair race: every rate tuned on a separate start, then judged on seeded random starts."""

from __future__ import annotations

import streamlit as st

from charts import race as ch
from dlcore import race
from dlcore.views import optimizer_race as views
from labs.optimizer_race import settings
from labs.optimizer_race.keys import PREFIX, RACERS, TRACK
from ui import notice, show_code, show_error, show_table, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

# "fair" was the toggle that opened the fair race on the old one-page lab: an
# old link carrying it opens this panel.
KEYS = ("fair_seed", "fair_n", "fair", *TRACK, *RACERS)
EXPORT = Export(
    PREFIX,
    "Fair race",
    (Step(views.fair_view),),
    (Number("Per racer", "w.rows"),),
    Chart(ch.tuning_figure, ("w.results",)),
    only_when={"formula": ("surface", (views.FORMULA,))},
)
view = st.cache_data(views.fair_view, max_entries=16, show_spinner=False)


view = record(view)


@st.fragment
def render() -> None:
    """Tune each racer's η on one start, score it by medians over others."""
    setup, problem = settings.race_settings(rates=False, racers=True, with_lr=False)
    if setup is None:
        return show_error(problem)
    if not setup.racers:
        return st.warning("Pick at least one racer in the race settings above.")
    f1, f2 = st.columns([1, 1])
    seed = f1.number_input("Seed of the fair race", 0, 9999, 1, **url(PREFIX, "fair_seed"))
    n = f1.slider("Evaluation starts", 3, 25, 9, **url(PREFIX, "fair_n"))
    track = setup.track
    try:
        w = view(track.surface, track.formula, setup.racers, n, int(seed), setup.steps)
    except ValueError as exc:
        return show_error(exc, hint="Pick a surface or a formula defined on the whole map.")
    show_chart(f2, ch.tuning_figure(w.results))
    show_table(w.rows)
    if w.note:
        st.warning(w.note, icon=":material/flag:")
    notice(
        "The classic single-start picture flatters whichever optimizer's η happens to suit that "
        "start. Tuned on one start and judged by the median over others (constant rates here), "
        "the gaps usually shrink, and sometimes reverse."
    )
    show_code(views.fair_view, race.fair_race, export=EXPORT)
