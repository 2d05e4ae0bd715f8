"""Convolutional networks lab: the header, the panel tabs, the open panel (see labs/cnn)."""

from labs import cnn as lab
from ui import page_header
from ui.panels import show_panels

page_header(lab.TITLE, lab.INTRO, icon=":material/neurology:")
show_panels(lab.PREFIX, lab.PANELS)
