"""The Convolutional networks lab under AppTest: every panel's widgets, uploads good and bad, training."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from sklearn.datasets import load_digits

from dlcore.views.cnn import shipped_split
from labs import cnn as lab
from tests.pagetest import assert_clean, drive_widgets, open_page, switch_panel, tables

PAGE = "pages/11_Convolutional_Networks.py"
PANELS = [p.label for p in lab.PANELS]


def _png(arr: np.ndarray, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format=fmt)
    return buf.getvalue()


def _digit_photo(index: int, *, dark_on_light: bool = True) -> tuple[bytes, int]:
    """A test digit drawn large, as a photo of paper would be: black ink on white."""
    split = shipped_split()
    image = load_digits().images[split.test_index[index]] / 16
    big = np.kron(image, np.ones((12, 12)))
    pixels = (255 * (1 - big if dark_on_light else big)).astype(np.uint8)
    return _png(pixels), int(split.y_test[index])


BAD = {
    "empty.png": b"",
    "notes.png": b"just text, renamed\n",
    "corrupt.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
    "bomb.png": _png(np.zeros((12000, 12000), dtype=np.uint8)),
}


def _upload(at, name: str, data: bytes):
    at.radio(key="cnn_src").set_value("Upload a picture").run()
    at.get("file_uploader")[0].set_value((name, data, "image/png"))
    return at.run()


@pytest.mark.parametrize("panel", ["Trained network", "Mistakes"])
def test_every_widget_of_the_panel(panel):
    runs = drive_widgets(PAGE, panel=panel, max_options=4)
    assert runs > 5


def test_train_panel_widgets_without_training():
    assert drive_widgets(PAGE, panel="Train it yourself", skip=("cnn_train",)) > 5


def test_default_view_reads_the_test_digit_and_writes_the_unit_out():
    at = open_page(PAGE)
    assert_clean(at)
    assert at.success and "Correct" in at.success[0].value
    assert len(at.get("plotly_chart")) == 3  # input, softmax, maps: the products are numbers
    formula = [e.value for e in at.latex if "ReLU" in e.value]
    assert formula and r"\sum_{a,b}" in formula[0]
    grid = [e.value for e in at.latex if r"\odot" in e.value]
    assert grid and grid[0].count(r"\begin{bmatrix}") == 3


def test_a_unit_of_every_layer_and_an_out_of_range_link_is_clamped():
    at = open_page(PAGE, query={"cnn_layer": "pool 2", "cnn_ch": "15", "cnn_row": "3"})
    assert_clean(at)
    assert any(r"\max(" in e.value for e in at.latex)
    at.selectbox(key="cnn_layer").set_value("conv 2").run()
    assert_clean(at)
    assert any(r"\sum_{c}" in e.value for e in at.latex)
    assert len(at.get("plotly_chart")) == 4  # eight channels of products: one heat map each
    at = open_page(PAGE, query={"cnn_idx": "9999", "cnn_row": "99"})
    assert_clean(at)
    assert at.success or at.warning


def test_temperature_changes_the_probabilities_not_the_answer():
    at = open_page(PAGE)
    cold = [e.value for e in at.latex if "T = " in e.value][0]
    at.select_slider(key="cnn_temp").set_value(10.0).run()
    hot = [e.value for e in at.latex if "T = " in e.value][0]
    assert "T = 10" in hot and cold != hot
    assert "Correct" in at.success[0].value


def test_an_uploaded_photo_of_a_digit_is_read():
    data, label = _digit_photo(3)
    at = _upload(open_page(PAGE), "my_digit.png", data)
    assert_clean(at)
    assert any("inverted" in w.value for w in at.warning)
    answer = (at.success or at.warning)[-1].value
    assert f"reads a {label}" in answer or f"guess is {label}" in answer
    assert len(at.get("plotly_chart")) == 3
    # the view's script loads the upload by its name (not a 96 x 96 literal)
    assert any(c.value.startswith("This view in numbers: Predicted digit") for c in at.caption)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_uploads_give_a_message(name):
    at = _upload(open_page(PAGE), name, BAD[name])
    assert_clean(at, name)
    assert at.error and name in at.error[0].value


def test_blank_and_non_digit_pictures_are_answered_honestly():
    at = _upload(open_page(PAGE), "white.png", _png(np.full((40, 40), 255, np.uint8)))
    assert_clean(at)
    assert at.error and "blank" in at.error[0].value
    noise = np.random.default_rng(0).integers(0, 256, (60, 60), dtype=np.uint8)
    at = _upload(open_page(PAGE), "noise.png", _png(noise))
    assert_clean(at)
    assert at.warning or at.success  # an answer, with its confidence, never a crash
    square = np.zeros((40, 40), np.uint8)
    square[10:30, 10:30] = 255
    at = _upload(open_page(PAGE), "square.png", _png(square))
    assert_clean(at)
    assert any("does not look like" in w.value for w in at.warning)


def test_training_shows_curves_filters_and_keeps_the_run():
    at = open_page(PAGE, panel="Train it yourself", query={"cnn_epochs": "2", "cnn_f1": "4"})
    assert_clean(at)
    assert at.info and "Press" in at.info[0].value
    at.button(key="cnn_train").click().run(timeout=120)
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert float(metrics["Test accuracy"]) > 0.7
    assert len(at.get("plotly_chart")) == 2
    at.run()  # a rerun without a click shows the same run
    assert {m.label: m.value for m in at.metric} == metrics
    at.slider(key="cnn_epochs").set_value(3).run()  # new settings: press Train again
    assert at.info and not at.metric


def test_mistakes_panel_counts_add_up():
    at = open_page(PAGE, panel="Mistakes")
    assert_clean(at)
    assert "0.98" in at.metric[0].value
    recall = tables(at)[0]
    assert set(recall) == {str(k) for k in range(10)}
    at.selectbox(key="cnn_true").set_value("4").run()
    assert_clean(at)
    at.selectbox(key="cnn_true").set_value("6").run()
    assert at.success and "No test digit of class 6" in at.success[0].value
    switch_panel(at, PAGE, "Trained network")
    assert_clean(at)


def test_the_grid_of_test_digits_is_behind_its_toggle():
    at = open_page(PAGE, query={"cnn_grid": "true"})
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 4  # the three of the view and the grid
    assert any("Click a digit" in c.value for c in at.caption)


def test_draw_a_digit_waits_for_a_drawing_and_shows_test_digit_zero():
    at = open_page(PAGE, query={"cnn_src": "Draw a digit"})
    assert_clean(at)
    assert any("Draw a digit on the black square" in e.value for e in at.info)
    assert at.success and "reads a" in at.success[0].value
