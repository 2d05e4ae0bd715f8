"""Calculus lab: the header, the panel tabs, the open panel (see labs/calculus)."""

from labs import calculus as lab
from ui import page_header
from ui.panels import show_panels

page_header(lab.TITLE, lab.INTRO, icon=":material/functions:")
show_panels(lab.PREFIX, lab.PANELS)
