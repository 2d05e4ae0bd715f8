"""Visitor isolation: what one visitor uploads never reaches another (issue 15, case 7).

Two AppTest sessions in one process share every ``st.cache_data`` cache, as
two visitors of one server do. Each uploads a different image under the same
file name and size; each must see the numbers of its own image, before and
after the other one's upload.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from tests.pagetest import assert_clean, open_page

CASES = [
    ("pages/2_PCA_and_SVD.py", "Image compression", "pca"),
    ("pages/8_Convolution.py", "Kernels", "cv"),
]


def _photo_png(seed: int) -> bytes:
    """A 64 x 48 random photo-like PNG: same name and size for both visitors, other pixels."""
    rng = np.random.default_rng(seed)
    smooth = np.cumsum(np.cumsum(rng.normal(size=(48, 64, 3)), axis=0), axis=1)
    span = np.ptp(smooth, axis=(0, 1))
    pixels = (255 * (smooth - smooth.min(axis=(0, 1))) / span).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format="PNG")
    return buf.getvalue()


def _visitor(page: str, panel: str, prefix: str, data: bytes):
    at = open_page(page, panel=panel)
    at.radio(key=f"{prefix}_img_src").set_value("Upload").run()
    at.get("file_uploader")[0].set_value(("photo.png", data, "image/png")).run()
    assert_clean(at)
    assert not at.error
    return at


def _what_is_shown(at) -> tuple:
    """Every number and picture the panel shows (media URLs name their content)."""
    return (
        tuple(m.value for m in at.metric),
        tuple(e.value for e in at.latex),
        tuple(e.value for e in at.markdown),
        tuple(e.value for e in at.caption),
        tuple(str(e.proto) for e in at.get("imgs")),
        tuple(c.proto.spec for c in at.get("plotly_chart")),
    )


@pytest.mark.parametrize(("page", "panel", "prefix"), CASES, ids=[c[1] for c in CASES])
def test_two_visitors_uploading_the_same_name_and_size_see_their_own_image(page, panel, prefix):
    first, second = _photo_png(1), _photo_png(2)
    alice = _visitor(page, panel, prefix, first)
    alice_sees = _what_is_shown(alice)
    bob = _visitor(page, panel, prefix, second)
    bob_sees = _what_is_shown(bob)
    assert alice_sees != bob_sees  # other pixels, other numbers

    alice.run()  # Alice's next rerun, after Bob's upload filled the caches
    assert_clean(alice)
    assert _what_is_shown(alice) == alice_sees
    # a third visitor with Bob's file sees what Bob saw: the result is the image's own
    assert _what_is_shown(_visitor(page, panel, prefix, second)) == bob_sees
