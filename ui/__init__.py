"""Shared Streamlit helpers: every page is built from these.

* :func:`page_header` sets the page up (config, grouped menu, title, intro);
* :func:`url` gives a widget its page-prefixed key bound to the URL;
* :func:`show_code` shows the dlcore source behind a view;
* :func:`show_table` draws a small table as Markdown (no extra browser chunk);
* :mod:`ui.downloads` turns arrays into CSV/PNG/NPZ/JSON downloads;
* :func:`load_image` is the one place untrusted uploads are decoded, and
  :func:`image_source` the sample/upload/camera picker built on it;
* :mod:`ui.export` describes a panel's view for its script and notebook
  (written by :mod:`ui.scriptgen`, offered by :mod:`ui.takeaway`, which also
  draws the embed view).
"""

from ui.downloads import download_csv, download_json, download_npz, download_png
from ui.images import ImageChoice, image_source, load_image
from ui.layout import notice, page_header, show_code, show_error, show_run_status
from ui.nav import LABS, sidebar_nav
from ui.state import url
from ui.tables import show_table

__all__ = [
    "ImageChoice",
    "LABS",
    "download_csv",
    "download_json",
    "download_npz",
    "download_png",
    "image_source",
    "load_image",
    "notice",
    "page_header",
    "show_code",
    "show_error",
    "show_run_status",
    "show_table",
    "sidebar_nav",
    "url",
]
