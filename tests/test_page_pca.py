"""The PCA and SVD lab under AppTest: every panel driven, numbers bound to the controls, uploads."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from labs import pca as lab
from tests.pagetest import assert_clean, drive_widgets, open_page, tables

PAGE = "pages/2_PCA_and_SVD.py"
PANELS = [p.label for p in lab.PANELS]


def _open(panel: str):
    at = open_page(PAGE, panel=panel)
    assert_clean(at, f"on {panel}")
    return at


def _latex(at) -> str:
    return "\n".join(el.value for el in at.latex)


@pytest.mark.parametrize("panel", PANELS)
def test_every_widget_of_every_panel_driven_without_exception(panel):
    # the image-source radio is driven in test_image_sources (AppTest radios have no select_index)
    runs = drive_widgets(PAGE, panel=panel, max_options=3, skip=["pca_img_src"])
    assert runs >= 3


def test_default_view_is_pca_on_data():
    at = open_page(PAGE)
    assert_clean(at)
    assert not at.error and not at.warning
    assert len(at.get("plotly_chart")) == 3  # scree, projection, reconstruction error
    assert [t.label for t in at.tabs if len(t.children)] == ["PCA on data"]


def test_variance_kept_follows_k():
    from sklearn.datasets import load_iris
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler

    at = _open("PCA on data")
    at.slider(key="pca_k").set_value(3).run()
    assert_clean(at)
    ratio = (
        PCA(svd_solver="full")
        .fit(StandardScaler().fit_transform(load_iris().data))
        .explained_variance_ratio_
    )
    assert f"{100 * ratio[:3].sum():.2f}\\%" in _latex(at)


def test_biplot_and_3d_projection_only_on_request():
    at = _open("PCA on data")
    at.toggle(key="pca_biplot").set_value(True).run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 4
    at.segmented_control(key="pca_dims").set_value("3-D").run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 4
    at.selectbox(key="pca_data").select("blobs").run()  # two features: no third axis
    assert_clean(at)
    assert any("only 2 features" in i.value for i in at.info)


def test_digits_standardised_warns_and_keeps_working():
    at = _open("PCA on data")
    at.selectbox(key="pca_data").select("digits").run()
    assert_clean(at)
    assert any("constant feature" in w.value for w in at.warning)
    assert len(at.get("plotly_chart")) == 4  # + the digits mosaic
    # k was 2 of 4 iris components; digits has 64, and k follows when the set shrinks again
    at.slider(key="pca_k").set_value(40).run()
    at.selectbox(key="pca_data").select("iris").run()
    assert_clean(at)
    assert at.slider(key="pca_k").value == 2 and at.slider(key="pca_k").max == 4


def test_pca_equals_svd_table():
    at = _open("PCA on data")
    at.toggle(key="pca_same").set_value(True).run()
    assert_clean(at)
    (table,) = tables(at)
    assert table["i"] == ["1", "2", "3", "4"]
    assert table["σᵢ² / (n−1)"] == table["λᵢ (eigh of covariance)"]
    assert float(table["σᵢ² / (n−1)"][0]) > float(table["σᵢ² / (n−1)"][-1]) > 0


def test_cloud_formulas_follow_the_sliders():
    at = _open("Correlated cloud")
    assert len(at.get("plotly_chart")) == 1
    at.slider(key="pca_rho").set_value(1.0).run()
    assert_clean(at)
    text = _latex(at)
    assert r"\hat\lambda_2 = 0.000" in text and "= 0.000" in text  # a line: nothing is lost
    assert r"100.0\%" in text


def test_rank_slider_changes_the_error():
    at = _open("Image compression")

    def error():
        return float(next(m for m in at.metric if "Relative error" in m.label).value.rstrip("%"))

    before = error()
    at.slider(key="pca_rank").set_value(100).run()
    assert_clean(at)
    assert error() < before
    assert len(at.get("image")) == 2 and len(at.get("plotly_chart")) == 1


def _png(width: int, height: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.full((height, width, 3), 128, np.uint8)).save(buf, format="PNG")
    return buf.getvalue()


def test_image_sources():
    at = _open("Image compression")
    for source in ["Sample: flower", "Upload", "Camera"]:
        at.radio(key="pca_img_src").set_value(source).run()
        assert_clean(at)
        assert not at.error
        assert len(at.get("image")) == 2  # a sample stands in until a file arrives


def test_uploads_good_and_degenerate():
    at = _open("Image compression")
    at.radio(key="pca_img_src").set_value("Upload").run()
    at.slider(key="pca_rank").set_value(100).run()
    uploader = at.get("file_uploader")[0]
    uploader.upload("grey.png", _png(60, 40), "image/png").run()
    assert_clean(at)
    assert not at.error
    assert at.slider(key="pca_rank").max == 40  # min(H, W) of the upload
    assert at.slider(key="pca_rank").value == 20  # re-clamped from 100
    # a 1 x 1 image and a 2000 x 2 strip (1 pixel high after downscaling) cannot be compressed
    for size in [(1, 1), (2000, 2)]:
        at.get("file_uploader")[0].set_value((f"{size}.png", _png(*size), "image/png")).run()
        assert_clean(at)
        assert any("at least 2 x 2" in e.value for e in at.error), size
        # the panel keeps its picker, so another image can be chosen in place
        assert at.radio(key="pca_img_src").value == "Upload" and at.get("file_uploader")
    at.radio(key="pca_img_src").set_value("Sample: China").run()
    assert_clean(at)
    assert not at.error and len(at.get("image")) == 2
