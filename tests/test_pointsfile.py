"""dlcore.pointsfile: a visitor's CSV and clicked points, hostile files included."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore import pointsfile as pf


def test_a_good_classification_file():
    p = pf.read_points_csv(b"\xef\xbb\xbfx1,x2,label\n0.5,-1,0\n1e-3, 2 ,1\n\n-3,4,1\n")
    np.testing.assert_array_equal(p.X, [[0.5, -1.0], [1e-3, 2.0], [-3.0, 4.0]])
    np.testing.assert_array_equal(p.y, [0, 1, 1])
    assert p.task == "classification" and p.y.dtype.kind == "i"


def test_a_regression_file_with_columns_in_any_order():
    p = pf.read_points_csv(b"id,target,x2,x1\n7,0.25,1,2\n8,-1.5,3,4\n")
    np.testing.assert_array_equal(p.X, [[2.0, 1.0], [4.0, 3.0]])
    np.testing.assert_array_equal(p.y, [0.25, -1.5])
    assert p.task == "regression"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"\n \n", "the file is empty"),
        (b"x1,x2,label\n", "no rows"),
        (b"a,b,c\n1,2,3\n", r"missing column\(s\): x1, x2, label or target \(found: a, b, c\)"),
        (b"x1,x2\n1,2\n", "missing column.*label or target"),
        (b"x1;x2;label\n1;2;0\n", "semicolons; save it with commas"),
        (b"x1\tx2\tlabel\n1\t2\t0\n", "tabs"),
        (b"x1,x2,label\n1,abc,0\n", "row 2, column x2: 'abc' is not a number"),
        (b"x1,x2,label\n1,2,0\n1,nan,1\n", "row 3, column x2 is nan: every value must be a finite"),
        (b"x1,x2,label\n1,2,0\ninf,2,1\n", "row 3, column x1 is inf"),
        (b"x1,x2,label\n1,2,0\n3,4,0\n", "every point has class 0: .* at least two classes"),
        (b"x1,x2,label\n1,2,0.5\n3,4,0\n", "labels must be whole numbers from 0 to 7"),
        (b"x1,x2,label\n1,2,9\n3,4,0\n", "labels must be whole numbers"),
        (b"x1,x2,label\n1,2\n", "row 2 has 2 values; the header needs 3"),
        (b"\xff\xfe\x00\x01", "not text"),
    ],
)
def test_bad_files_get_a_clear_message(data, message):
    with pytest.raises(ValueError, match=message):
        pf.read_points_csv(data)


def test_huge_files_are_refused_before_parsing():
    ten_mb = b"x1,x2,label\n" + b"0.123456789,0.5,1\n" * 560_000
    assert len(ten_mb) > 10_000_000
    with pytest.raises(ValueError, match=r"the file has 10\.\d MB; .* at most 1 MB"):
        pf.read_points_csv(ten_mb)
    million = b"x1,x2,label\n" + b"1,2,0\n" * 1_000_000
    with pytest.raises(ValueError, match="at most 1 MB"):
        pf.read_points_csv(million)
    many = b"x1,x2,label\n" + b"1,2,0\n" * (pf.MAX_ROWS + 1)
    with pytest.raises(ValueError, match=f"{pf.MAX_ROWS + 1} rows; at most {pf.MAX_ROWS}"):
        pf.read_points_csv(many)


def test_clicked_points_round_trip_and_are_checked():
    p = pf.parse_clicked("0.5,-1.25,1; -2,3,0;", "classification", 2)
    np.testing.assert_array_equal(p.X, [[0.5, -1.25], [-2.0, 3.0]])
    np.testing.assert_array_equal(p.y, [1, 0])
    assert pf.format_clicked(p) == "0.500,-1.250,1;-2.000,3.000,0"
    assert pf.parse_clicked(pf.format_clicked(p), "classification", 2).X.tolist() == p.X.tolist()
    assert pf.parse_clicked("", "classification", 2).X.shape == (0, 2)
    r = pf.parse_clicked("1,2,0.75", "regression", 1)
    assert r.y.tolist() == [0.75] and pf.format_clicked(r) == "1.000,2.000,0.750"
    with pytest.raises(ValueError, match=r"class must be a whole number in \[0, 1\]"):
        pf.parse_clicked("1,2,2", "classification", 2)
    with pytest.raises(ValueError, match="must be 'x1,x2,class'"):
        pf.parse_clicked("1,2", "classification", 2)
    with pytest.raises(ValueError, match="'__import__' is not a number"):
        pf.parse_clicked("__import__,2,0", "classification", 2)
    with pytest.raises(ValueError, match="at most 40"):
        pf.parse_clicked(";".join(["1,2,0"] * 41), "classification", 2)
