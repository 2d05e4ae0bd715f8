"""Recurrent networks lab: the header, the panel tabs, the open panel (see labs/rnn)."""

from labs import rnn as lab
from ui import page_header
from ui.challenges import challenge_box
from ui.guide import show_guide
from ui.panels import show_panels

page_header(lab.TITLE, lab.INTRO, icon=":material/repeat:")
show_guide(lab.PREFIX, lab.PATH)
show_panels(lab.PREFIX, lab.PANELS, after=challenge_box(lab.PREFIX, lab.CHALLENGES))
