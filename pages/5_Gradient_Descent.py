"""Gradient descent lab: the header, the panel tabs, the open panel (see labs/gradient_descent)."""

from labs import gradient_descent as lab
from ui import page_header
from ui.panels import show_panels

page_header(lab.TITLE, lab.INTRO, icon=":material/trending_down:")
show_panels(lab.PREFIX, lab.PANELS)
