"""Points a visitor brings: a CSV file of ``x1, x2, label`` (or ``target``) and clicked points.

Both are parsed by hand (``float`` on each cell, never ``eval``) and checked
before anything else sees them; every problem raises a ``ValueError`` whose
message says what is wrong and what to change.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlcore._validation import check_int

#: the most bytes a points file may have (a few thousand rows of numbers fit in 200 kB)
MAX_BYTES = 1_000_000
#: the most points a file may hold
MAX_ROWS = 2000
#: the most classes a label column may hold
MAX_CLASSES = 8
#: the most clicked points kept in the page's link
MAX_CLICKED = 40
LABEL_COLUMNS = ("label", "class", "y")
TARGET_COLUMNS = ("target", "t", "value")


class Points(NamedTuple):
    """Two-feature points with a class or a target.

    Attributes
    ----------
    X : ndarray of shape (n, 2)
    y : ndarray of shape (n,)
        int class labels (classification) or float targets (regression).
    task : {"classification", "regression"}
    """

    X: np.ndarray
    y: np.ndarray
    task: str


def _cell(text: str, row: int, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise ValueError(f"row {row}, column {column}: {shown!r} is not a number") from None
    if not np.isfinite(value):
        raise ValueError(
            f"row {row}, column {column} is {text.strip()}: every value must be a finite number"
        )
    return value


def _header(line: str) -> tuple[int, int, int, str]:
    """Where x1, x2 and the label or target are, and the task the label column names."""
    names = [c.strip().strip('"').lower() for c in line.split(",")]
    if len(names) == 1:
        for sep, called in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
            if sep in line:
                raise ValueError(
                    f"the file separates its values with {called}; save it with commas "
                    "(CSV), e.g. 'x1,x2,label'"
                )
    label = next((c for c in LABEL_COLUMNS + TARGET_COLUMNS if c in names), None)
    missing = [c for c in ("x1", "x2") if c not in names] + ([] if label else ["label or target"])
    if missing:
        found = ", ".join(n for n in names if n) or "nothing"
        raise ValueError(
            f"missing column(s): {', '.join(missing)} (found: {found[:200]}). The first line must "
            "name the columns, e.g. 'x1,x2,label' for classes or 'x1,x2,target' for regression."
        )
    task = "classification" if label in LABEL_COLUMNS else "regression"
    return names.index("x1"), names.index("x2"), names.index(label), task


def read_points_csv(data: bytes) -> Points:
    """Parse a CSV file with a header naming ``x1``, ``x2`` and ``label`` or ``target``.

    A ``label`` (also ``class`` or ``y``) column makes a classification
    problem (integer classes 0..7, at least two of them); a ``target`` (also
    ``t`` or ``value``) column a regression. At most ``MAX_ROWS`` rows and
    ``MAX_BYTES`` bytes.

    Returns
    -------
    Points
    """
    if len(data) > MAX_BYTES:
        raise ValueError(
            f"the file has {len(data) / 1e6:.1f} MB; a points file may have at most "
            f"{MAX_BYTES / 1e6:g} MB ({MAX_ROWS} rows)"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("the file is not text (UTF-8): upload a CSV file") from None
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise ValueError("the file is empty: it needs a header such as 'x1,x2,label' and rows")
    if len(lines) - 1 > MAX_ROWS:
        raise ValueError(f"the file has {len(lines) - 1} rows; at most {MAX_ROWS} are allowed")
    i1, i2, il, task = _header(lines[0])
    if len(lines) == 1:
        raise ValueError("the file has a header but no rows of points")
    width = max(i1, i2, il) + 1
    rows = []
    for r, line in enumerate(lines[1:], start=2):
        cells = line.split(",")
        if len(cells) < width:
            raise ValueError(f"row {r} has {len(cells)} values; the header needs {width}")
        rows.append([_cell(cells[i], r, name) for i, name in ((i1, "x1"), (i2, "x2"), (il, "y"))])
    table = np.array(rows)
    return Points(table[:, :2], as_targets(table[:, 2], task), task)


def as_targets(values: np.ndarray, task: str) -> np.ndarray:
    """Float targets, or integer class labels checked to be 0..MAX_CLASSES-1 with two classes."""
    if task == "regression":
        return values.astype(float)
    if np.any(values != np.round(values)) or values.min() < 0 or values.max() >= MAX_CLASSES:
        raise ValueError(
            f"labels must be whole numbers from 0 to {MAX_CLASSES - 1}; for real-valued "
            "outputs name the column 'target' (regression)"
        )
    labels = values.astype(int)
    if np.unique(labels).size < 2:
        raise ValueError(
            f"every point has class {labels[0]}: a classifier needs at least two classes"
        )
    return labels


def parse_clicked(text: str, task: str, n_classes: int) -> Points:
    """Clicked points written as ``x1,x2,y;x1,x2,y;...`` (the form kept in the link).

    ``y`` is a class in ``[0, n_classes)`` or a target value. Empty text
    gives no points; at most ``MAX_CLICKED`` points.
    """
    n_classes = check_int("n_classes", n_classes, 1, MAX_CLASSES)
    parts = [p for p in text.strip().split(";") if p.strip()]
    if len(parts) > MAX_CLICKED:
        raise ValueError(f"at most {MAX_CLICKED} added points fit in the link, got {len(parts)}")
    rows = []
    for k, part in enumerate(parts, start=1):
        cells = part.split(",")
        if len(cells) != 3:
            raise ValueError(f"added point {k} ({part[:30]!r}) must be 'x1,x2,class'")
        rows.append([_cell(c, k, name) for c, name in zip(cells, ("x1", "x2", "y"))])
    table = np.array(rows).reshape(-1, 3)
    y = table[:, 2]
    if task == "classification":
        if np.any(y != np.round(y)) or np.any(y < 0) or np.any(y >= n_classes):
            raise ValueError(
                f"an added point's class must be a whole number in [0, {n_classes - 1}]"
            )
        y = y.astype(int)
    return Points(table[:, :2], y, task)


def format_clicked(points: Points) -> str:
    """The inverse of :func:`parse_clicked`, 3 decimals per coordinate."""
    if points.task == "classification":
        return ";".join(f"{a:.3f},{b:.3f},{int(c)}" for (a, b), c in zip(points.X, points.y))
    return ";".join(f"{a:.3f},{b:.3f},{c:.3f}" for (a, b), c in zip(points.X, points.y))
