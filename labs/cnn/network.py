"""The trained network opened up: input, every feature map, softmax, and one unit as a sum."""

from __future__ import annotations

import hashlib

import streamlit as st

from charts import cnn as charts
from dlcore.cnn import UNIT_LAYERS, CNNConfig
from dlcore.views import cnn as views
from labs.cnn.keys import PREFIX
from ui import notice, show_code, show_error, url
from ui.canvas import digit_canvas
from ui.export import Chart, Export, Number, Picture, Step, note_picture, record
from ui.figures import chart_clicks, show_chart
from ui.images import decode_upload, load_image
from ui.state import keep_choice

KEYS = ("src", "idx", "grid", "temp", "layer", "ch", "row", "col", "click")
EXPORT = Export(
    PREFIX,
    "Trained network",
    (Step(views.network_view),),
    (
        Number("Predicted digit", "w.predicted"),
        Number("Confidence", "w.confidence", ".4f"),
        Number("Its probability at this temperature", "w.top_probability", ".4f"),
    ),
    Chart(charts.class_probabilities, ("w.probs", "w.logits", "w.predicted", "temperature")),
)
GRID = f"{PREFIX}_grid_pick"  # the clickable grid's state (a click, not a setting: not in the URL)
UNIT_CLICK = f"{PREFIX}_unit_pick"  # the clickable maps' state, likewise
SOURCES = ("Test digit", "Draw a digit", "Upload a picture")
CANVAS = f"{PREFIX}_canvas"  # the drawing itself is not a setting: not in the URL
DRAWING = "drawn_digit.png"  # the drawing's file name in the view's script
CANVAS_SIDE = 224  # pixels; a thick stroke on it shrinks to the 8 x 8 digits style
INK = 20  # stroke width in pixels
UPLOAD_SIDE = 256  # an upload is shrunk to this before it is read as a digit
TEMPERATURES = (0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 10.0)
N_TEST = 450  # 25 % of each class of load_digits' 1,797 digits
SHIPPED = CNNConfig()
#: channels and side of each layer a unit can be picked from
SHAPES = {
    "conv 1": (SHIPPED.filters[0], 16),
    "pool 1": (SHIPPED.filters[0], 8),
    "conv 2": (SHIPPED.filters[1], 8),
    "pool 2": (SHIPPED.filters[1], 4),
}


split = st.cache_data(views.shipped_split, max_entries=1, show_spinner=False)


@st.cache_data(max_entries=64, show_spinner=False)
def view(ident: str, index: int, temperature: float, unit: tuple, _gray) -> views.NetworkView:
    """``views.network_view``, keyed by the test index or the upload's id (never its name)."""
    return views.network_view(
        index, temperature, unit, _gray, None if _gray is not None else split()
    )


def _pick() -> None:
    """A click on the grid opens that test digit (a callback may set the slider's value)."""
    points = chart_clicks(GRID)
    if points:
        data = points[0].get("customdata")
        st.session_state[f"{PREFIX}_idx"] = int(data[0] if isinstance(data, list) else data)


def _pick_unit() -> None:
    """A click on a map opens that unit: the four unit controls follow (before they are drawn).

    The point's ids come from the browser: anything but four integers naming a known layer
    is ignored, and channel, row and column are clamped into that layer's shape.
    """
    points = chart_clicks(UNIT_CLICK)
    try:
        layer, channel, row, col = charts.unit_of_code(points[0]["customdata"])
    except (IndexError, KeyError, TypeError, ValueError):
        return
    if 0 <= layer < len(UNIT_LAYERS):
        name = UNIT_LAYERS[layer]
        st.session_state[f"{PREFIX}_layer"] = name
        sizes = {"ch": SHAPES[name][0], "row": SHAPES[name][1], "col": SHAPES[name][1]}
        for key, value in zip(sizes, (channel, row, col), strict=True):
            st.session_state[f"{PREFIX}_{key}"] = min(max(value, 0), sizes[key] - 1)


def _grid() -> None:
    positions = views.picker_digits(split())
    images = split().X_test[positions, 0]
    titles = [f"#{p}" for p in positions]
    st.caption("Click a digit to open it (4 test digits of each class, by test position).")
    show_chart(st, charts.digit_picker(images, titles, positions), key=GRID, on_select=_pick)


def _source() -> tuple[str, int, object]:
    """(ident, test index, gray picture or None); ident "" when the upload is unusable."""
    c1, c2 = st.columns([1, 2])
    src = c1.radio("Input", SOURCES, horizontal=True, **url(PREFIX, "src"))
    if src == SOURCES[0]:
        index = c2.slider("Test digit (position in the test set)", 0, N_TEST - 1, 0,
                          **url(PREFIX, "idx"))  # fmt: skip
        c1.toggle("Pick from a grid", value=False, **url(PREFIX, "grid"))
        return f"test:{index}", index, None
    if src == SOURCES[1]:
        return _drawn(c2)
    uploaded = c2.file_uploader(
        "A picture of one digit: PNG, JPEG, BMP, GIF or WebP (at most 10 MB)",
        type=["png", "jpg", "jpeg", "bmp", "gif", "webp"],
        key=f"{PREFIX}_upload",
    )
    if uploaded is None:
        c2.info("Choose a picture of a digit; test digit 0 is shown until then.")
        return "test:0", 0, None
    try:
        gray = decode_upload(uploaded, gray=True, max_side=UPLOAD_SIDE)
    except ValueError as exc:
        show_error(f"{uploaded.name}: {exc}", hint="Upload another picture.")
        return "", 0, None
    note_picture(Picture(gray, None, uploaded.name, True, UPLOAD_SIDE))
    return f"upload:{uploaded.file_id}", 0, gray


def _drawn(where) -> tuple[str, int, object]:
    """(ident, 0, gray) of the canvas: white ink on black, as the training digits are."""
    with where:
        png = digit_canvas(CANVAS, CANVAS_SIDE, INK)
        st.caption("Draw one digit, large, in the middle; each stroke is read as the pen lifts.")
    if not png:
        where.info("Draw a digit on the black square; test digit 0 is shown until then.")
        return "test:0", 0, None
    try:
        gray = load_image(png, gray=True, max_side=CANVAS_SIDE)
    except ValueError as exc:
        show_error(exc, hint="Clear the canvas and draw again.")
        return "", 0, None
    # The view's script loads the drawing from a file, as it loads an upload: offer the file.
    note_picture(Picture(gray, None, DRAWING, True, CANVAS_SIDE))
    where.download_button(
        "Download the drawing (PNG, for the script)", png, DRAWING, "image/png",
        icon=":material/download:", on_click="ignore", key=f"{PREFIX}_drawing_png",
    )  # fmt: skip
    return f"drawn:{hashlib.sha256(png).hexdigest()}", 0, gray


def _unit() -> tuple[str, int, int, int]:
    c1, c2, c3, c4 = st.columns(4)
    layer = c1.selectbox("Layer", UNIT_LAYERS, **url(PREFIX, "layer"))
    channels, side = SHAPES[layer]
    keep_choice(f"{PREFIX}_ch", range(channels), 0)
    keep_choice(f"{PREFIX}_row", range(side), side // 2)
    keep_choice(f"{PREFIX}_col", range(side), side // 2)
    # Number inputs, not sliders: a keyed number input keeps its identity when its range
    # changes with the layer (a slider becomes a new widget, and Streamlit then leaves its
    # new value out of the URL), so a click on another layer's map updates the link too.
    ch = c2.number_input(f"Channel (0-{channels - 1})", 0, channels - 1, 0, **url(PREFIX, "ch"))
    row = c3.number_input(f"Row (0-{side - 1})", 0, side - 1, side // 2, **url(PREFIX, "row"))
    col = c4.number_input(f"Column (0-{side - 1})", 0, side - 1, side // 2, **url(PREFIX, "col"))
    return layer, int(ch), int(row), int(col)


def _answer(w: views.NetworkView, temperature: float) -> None:
    if w.warning:
        st.warning(w.warning)
    if w.confidence < views.LOW_CONFIDENCE or w.label not in (-1, w.predicted):
        st.warning(w.verdict)
    else:
        st.success(w.verdict)
    left, right = st.columns(2)
    title = f"input ({w.image.shape[0]} x {w.image.shape[1]}), receptive field of the unit"
    show_chart(left, charts.digit_with_field(w.image, w.unit.field, title), key="cnn_input")
    show_chart(
        right,
        charts.class_probabilities(w.probs, w.logits, w.predicted, temperature),
        key="cnn_softmax",
    )
    st.latex(
        rf"p_k = \frac{{e^{{z_k/T}}}}{{\sum_j e^{{z_j/T}}}},\quad T = {temperature:g},\quad "
        rf"p_{{{w.predicted}}} = {w.probs[w.predicted]:.3f}"
    )


def _inside(w: views.NetworkView, unit: tuple[str, int, int, int]) -> None:
    head, toggle = st.columns([3, 1])
    head.markdown("**Every feature map** (after ReLU; each map on its own colour scale)")
    fig = charts.feature_mosaic(w.rows, unit=unit)
    if toggle.toggle("Click a map to pick a unit", False, **url(PREFIX, "click")):
        show_chart(st, charts.with_unit_clicks(fig, w.rows), key=UNIT_CLICK, on_select=_pick_unit)
    else:
        show_chart(st, fig, key="cnn_maps")
    u = w.unit
    f = u.field
    st.markdown(
        f"**Unit {u.layer}, channel {u.channel}, row {u.row}, column {u.col}** sees input rows "
        f"{max(f.top, 0)}-{min(f.bottom, w.image.shape[0] - 1)} and columns "
        f"{max(f.left, 0)}-{min(f.right, w.image.shape[1] - 1)} (the orange box)."
    )
    st.latex(u.latex)
    if u.grid_latex:  # one input channel: the nine products are read best as numbers
        st.latex(u.grid_latex)
    elif u.products is not None:
        title = f"kernel x patch for each of the {u.products.shape[0]} input channels (sum: z - b)"
        show_chart(st, charts.unit_products(u.products, title), key="cnn_products")


view = record(view, views.network_view)


@st.fragment
def render() -> None:
    """A digit through the shipped network, its maps, probabilities and one unit written out."""
    ident, index, gray = _source()
    temperature = st.select_slider(
        "Softmax temperature T", TEMPERATURES, value=1.0, **url(PREFIX, "temp")
    )
    unit = _unit()
    if st.session_state.get(f"{PREFIX}_grid") and ident.startswith("test:"):
        _grid()  # below the controls, so that opening and closing it moves none of them
    if not ident:
        return
    w = view(ident, index, temperature, unit, gray)
    if w.image is None:
        return show_error(w.message, hint="Upload a picture with a dark or light digit on it.")
    _answer(w, temperature)
    _inside(w, unit)
    notice(
        "Layer 1 filters respond to strokes and edges at each pixel; after pooling, layer 2 "
        "combines them over a wider window (10 x 10 pixels for a unit of the last map). The "
        "temperature only rescales the logits: the winner stays, its certainty changes."
    )
    show_code(views.network_view, views.unit_view, export=EXPORT)
