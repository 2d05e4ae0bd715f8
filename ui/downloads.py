"""Downloads: arrays to CSV, PNG, NPZ and JSON bytes, and the buttons for them.

The ``*_bytes`` functions are pure so tests can check the files themselves.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping

import numpy as np
import streamlit as st

from dlcore.pixels import encode_png


def csv_bytes(columns: Mapping[str, np.ndarray]) -> bytes:
    """Columns of equal length as CSV with a header row (UTF-8)."""
    arrays = {name: np.asarray(values).ravel() for name, values in columns.items()}
    lengths = {len(v) for v in arrays.values()}
    if len(lengths) > 1:
        raise ValueError(f"columns must have equal lengths, got {sorted(lengths)}")
    lines = [",".join(_csv_cell(name) for name in arrays)]
    for row in zip(*arrays.values()):
        lines.append(",".join(_csv_cell(v) for v in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _csv_cell(value: object) -> str:
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    text = str(value)
    # A leading = + - @ makes spreadsheets run the cell as a formula.
    if text[:1] in "=+-@" and not _is_number(text):
        text = "'" + text
    if any(c in text for c in ',"\n'):
        text = '"' + text.replace('"', '""') + '"'
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _check_image(img: np.ndarray) -> np.ndarray:
    arr = np.asarray(img, dtype=float)
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (3, 4)):
        raise ValueError(f"img must have shape (H, W) or (H, W, 3), got {arr.shape}")
    return arr


def png_bytes(img: np.ndarray) -> bytes:
    """An image array (H, W), (H, W, 3) or (H, W, 4) of floats in [0, 1] as PNG bytes."""
    arr = np.nan_to_num(_check_image(img), nan=0.0)
    return encode_png(np.round(np.clip(arr, 0.0, 1.0) * 255).astype(np.uint8))


def npz_bytes(arrays: Mapping[str, np.ndarray]) -> bytes:
    """Named arrays as a compressed ``.npz`` archive (``np.load`` reads it)."""
    buf = io.BytesIO()
    np.savez_compressed(buf, **{name: np.asarray(a) for name, a in arrays.items()})
    return buf.getvalue()


def json_bytes(obj: object) -> bytes:
    """``obj`` as indented JSON, arrays as nested lists."""

    def default(o: object) -> object:
        if isinstance(o, np.ndarray):
            return o.tolist()
        if isinstance(o, np.generic):
            return o.item()
        raise TypeError(f"not JSON serialisable: {type(o).__name__}")

    return json.dumps(obj, default=default, indent=2).encode("utf-8")


def download_csv(
    label: str, columns: Mapping[str, np.ndarray], file_name: str, *, key: str | None = None
) -> None:
    st.download_button(
        label,
        csv_bytes(columns),
        file_name=file_name,
        mime="text/csv",
        key=key,
        icon=":material/download:",
    )


def download_png(label: str, img: np.ndarray, file_name: str, *, key: str | None = None) -> None:
    """A PNG download encoded only when clicked: compressing a large image on
    every rerun cost more than the filtering itself. The shape is checked now,
    so a bad image still fails here, on the page, not at the click."""
    arr = _check_image(img)
    st.download_button(
        label,
        lambda: png_bytes(arr),
        file_name=file_name,
        mime="image/png",
        key=key,
        icon=":material/download:",
    )


def download_npz(
    label: str, arrays: Mapping[str, np.ndarray], file_name: str, *, key: str | None = None
) -> None:
    st.download_button(
        label,
        npz_bytes(arrays),
        file_name=file_name,
        mime="application/octet-stream",
        key=key,
        icon=":material/download:",
    )


def download_json(label: str, obj: object, file_name: str, *, key: str | None = None) -> None:
    st.download_button(
        label,
        json_bytes(obj),
        file_name=file_name,
        mime="application/json",
        key=key,
        icon=":material/download:",
    )
