"""Probability and statistics lab: the header, the panel tabs, the open panel (see labs/probability)."""

from labs import probability as lab
from ui import page_header
from ui.panels import show_panels

page_header(lab.TITLE, lab.INTRO, icon=":material/casino:")
show_panels(lab.PREFIX, lab.PANELS)
