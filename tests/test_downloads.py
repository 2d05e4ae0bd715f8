import io
import json

import numpy as np
import pytest
from PIL import Image

from ui.downloads import csv_bytes, json_bytes, npz_bytes, png_bytes


def test_csv_round_trip_and_formula_injection_guard():
    data = csv_bytes(
        {
            "step": np.arange(3),
            "loss": np.array([1.5, 0.25, 1e-300]),
            "name": ["a", "=cmd()", 'x,"y"'],
        }
    )
    lines = data.decode().splitlines()
    assert lines[0] == "step,loss,name"
    assert lines[1] == "0,1.5,a"
    assert lines[2] == "1,0.25,'=cmd()"
    assert lines[3] == '2,1e-300,"x,""y"""'
    with pytest.raises(ValueError, match="equal lengths"):
        csv_bytes({"a": [1, 2], "b": [1]})


def test_png_round_trip():
    img = np.linspace(0, 1, 12).reshape(3, 4)
    back = np.asarray(Image.open(io.BytesIO(png_bytes(img))))
    assert back.shape == (3, 4)
    assert back[0, 0] == 0 and back[-1, -1] == 255
    rgb = np.asarray(Image.open(io.BytesIO(png_bytes(np.full((2, 2, 3), 2.0)))))
    assert rgb.shape == (2, 2, 3) and rgb.min() == 255  # clipped
    with pytest.raises(ValueError, match="shape"):
        png_bytes(np.zeros((2, 2, 5)))


def test_npz_and_json():
    arrays = {"W1": np.eye(2), "b1": np.zeros(2, np.float32)}
    loaded = np.load(io.BytesIO(npz_bytes(arrays)))
    np.testing.assert_array_equal(loaded["W1"], np.eye(2))
    assert loaded["b1"].dtype == np.float32
    obj = json.loads(json_bytes({"W": np.arange(4).reshape(2, 2), "lr": np.float32(0.5)}))
    assert obj == {"W": [[0, 1], [2, 3]], "lr": 0.5}
