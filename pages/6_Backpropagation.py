"""Backpropagation lab: the header, the panel tabs, the open panel (see labs/backprop)."""

from labs import backprop as lab
from ui import page_header
from ui.panels import show_panels

page_header(lab.TITLE, lab.INTRO)
show_panels(lab.PREFIX, lab.PANELS)
