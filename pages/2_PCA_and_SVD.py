"""PCA and SVD lab: the header, the panel tabs, the open panel (see labs/pca)."""

from labs import pca as lab
from ui import page_header
from ui.panels import show_panels

page_header(lab.TITLE, lab.INTRO, icon=":material/scatter_plot:")
show_panels(lab.PREFIX, lab.PANELS)
