"""The PCA and SVD page under AppTest."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from tests.pagetest import assert_clean, drive_widgets, open_page

PAGE = "pages/2_PCA_and_SVD.py"


@pytest.fixture
def at():
    page = open_page(PAGE)
    assert_clean(page)
    return page


def test_every_widget_driven_without_exception():
    # the image-source radio is driven in test_image_sources (AppTest radios have no select_index)
    runs = drive_widgets(PAGE, max_options=6, skip=["pca_img_src"])
    assert runs > 20


def test_default_view(at):
    assert not at.error
    assert len(at.get("plotly_chart")) >= 6
    assert len(at.get("image")) == 2  # original and rank-k image
    labels = [m.label for m in at.metric]
    assert any("Storage" in label for label in labels)


def test_variance_kept_follows_k(at):
    from sklearn.datasets import load_iris
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler

    at.slider(key="pca_k").set_value(3).run()
    assert_clean(at)
    ratio = (
        PCA(svd_solver="full")
        .fit(StandardScaler().fit_transform(load_iris().data))
        .explained_variance_ratio_
    )
    text = "\n".join(el.value for el in at.latex)
    assert f"{100 * ratio[:3].sum():.2f}\\%" in text


def test_digits_standardised_warns_and_keeps_working(at):
    at.selectbox(key="pca_data").select("digits").run()
    assert_clean(at)
    assert any("constant feature" in w.value for w in at.warning)
    assert len(at.get("plotly_chart")) >= 7  # + the digits mosaic


def test_pca_equals_svd_table(at):
    at.toggle(key="pca_same").set_value(True).run()
    assert_clean(at)
    df = at.dataframe[0].value
    np.testing.assert_allclose(df.iloc[:, 2], df.iloc[:, 3], rtol=1e-9)


def test_rank_slider_changes_the_error(at):
    def error():
        return float(next(m for m in at.metric if "Relative error" in m.label).value.rstrip("%"))

    before = error()
    at.slider(key="pca_rank").set_value(100).run()
    assert_clean(at)
    assert error() < before


def _png(width: int, height: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.full((height, width, 3), 128, np.uint8)).save(buf, format="PNG")
    return buf.getvalue()


def test_image_sources(at):
    for source in ["Sample: flower", "Upload", "Camera"]:
        at.radio(key="pca_img_src").set_value(source).run()
        assert_clean(at)
        assert not at.error
        assert len(at.get("image")) == 2  # a sample stands in until a file arrives


def test_uploads_good_and_degenerate(at):
    at.radio(key="pca_img_src").set_value("Upload").run()
    uploader = at.get("file_uploader")[0]
    uploader.upload("grey.png", _png(60, 40), "image/png").run()
    assert_clean(at)
    assert not at.error
    assert at.slider(key="pca_rank").max == 40  # min(H, W) of the upload
    # a 1 x 1 image and a 2000 x 2 strip (1 pixel high after downscaling) cannot be compressed: a message, no traceback
    for size in [(1, 1), (2000, 2)]:
        at.get("file_uploader")[0].set_value((f"{size}.png", _png(*size), "image/png")).run()
        assert_clean(at)
        assert any("at least 2 x 2" in e.value for e in at.error), size
        assert (
            len(at.get("plotly_chart")) == 5
        )  # the data-set (4) and cloud (1) panels keep working
