"""Inside one optimizer: its moments, its effective step and its bias corrections."""

from __future__ import annotations

import streamlit as st

from charts import optim as ch
from dlcore import optim, race
from dlcore.views import optimizer_inside as views
from dlcore.views.optimizer_race import FORMULA
from labs.optimizer_race import settings
from labs.optimizer_race.keys import OWN, PREFIX, RATES, TRACK
from ui import notice, show_code, show_error, url
from ui.export import Chart, Export, Number, Step, record
from ui.figures import show_chart

KEYS = ("inside", *OWN, *TRACK, *RATES)
EXPORT = Export(
    PREFIX,
    "Inside one optimizer",
    (Step(views.inside_view),),
    (Number("Last point", "w.points[-1]"), Number("Update rule", "w.rule")),
    Chart(ch.internals_figure, ("w.internals",), {"name": "racer.name"}),
    only_when={"formula": ("surface", (FORMULA,))},
)
view = st.cache_data(views.inside_view, max_entries=32, show_spinner=False)


view = record(view)


@st.fragment
def render() -> None:
    """Pick one optimizer and watch what it carries along its path."""
    setup, problem = settings.race_settings(rates=True, racers=False)
    if setup is None:
        return show_error(problem)
    c1, c2 = st.columns([1, 2.4])
    names = list(optim.OPTIMIZERS)
    who = c1.selectbox("Racer", names, index=names.index("Adam"), **url(PREFIX, "inside"))
    spec = settings.racer_controls(who, c1, shared_lr=setup.shared_lr)
    track = setup.track
    try:
        w = view(track.surface, track.formula, track.start, spec, setup.schedule, setup.steps)
    except ValueError as exc:
        return show_error(exc, hint="Change the start in the race settings above.")
    ins = w.internals
    with c2:
        st.latex(w.rule)
        show_chart(
            st,
            ch.steps_figure(
                w.grid,
                w.points,
                ins.grads,
                ins.updates,
                ins.lr,
                name=who,
                log_scale=w.objective.log_scale,
            ),
        )
        st.caption(
            "Dark arrow: the plain gradient step −η·g. Coloured arrow: the step the optimizer "
            "took. Each pair is drawn to one scale."
        )
    show_chart(st, ch.internals_figure(ins, name=who))
    notice(w.notice)
    show_code(views.inside_view, race.internals, optim.OPTIMIZERS[who].update, export=EXPORT)
