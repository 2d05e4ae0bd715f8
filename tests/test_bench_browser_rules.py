"""The pure rules of ``python -m bench browser``: medians, targets, verdicts, table, URLs."""

from __future__ import annotations

import math

import pytest

from bench import browser as bb
from tests.browser.conftest import page_url
from tests.pagetest import ROOT

VIEW = bb.Target("Convolution", "Pooling", "/Convolution?cv_panel=Pooling", True)


def row(**kw) -> bb.Row:
    base = dict(
        page="Lab",
        panel="Panel",
        default=True,
        first_chart=1.5,
        settled=1.8,
        kb=12.0,
        charts=2,
        slider_median=0.2,
        slider_worst=0.3,
    )
    return bb.Row(**{**base, **kw})


def test_median_and_worst_skip_missing_values():
    assert bb.median([0.4, None, 0.1, 0.2]) == pytest.approx(0.2)
    assert bb.median([1.0, 2.0]) == pytest.approx(1.5)
    assert bb.median([]) is None and bb.median([None, None]) is None
    assert bb.worst([0.1, None, 0.5, 0.2]) == 0.5 and bb.worst([None]) is None


def test_ratio_needs_both_figures():
    assert bb.ratio(3.0, 2.0) == pytest.approx(1.5)
    assert bb.ratio(None, 2.0) is None and bb.ratio(1.0, None) is None
    assert bb.ratio(1.0, 0.0) is None


def test_first_chart_limit_is_two_seconds_or_one_and_a_half_floors():
    assert bb.first_chart_limit(1.0) == 2.0
    assert bb.first_chart_limit(3.0) == pytest.approx(4.5)
    assert bb.first_chart_limit(None) == 2.0 and bb.first_chart_limit(math.nan) == 2.0


def test_first_chart_verdict():
    assert bb.first_chart_verdict(row(first_chart=1.9), 2.0) == "PASS"
    assert bb.first_chart_verdict(row(first_chart=2.0), 2.0) == "PASS"  # "within" includes it
    assert bb.first_chart_verdict(row(first_chart=2.1), 2.0) == "FAIL"
    # panels other than the default: for information, in parentheses
    assert bb.first_chart_verdict(row(first_chart=2.1, default=False), 2.0) == "(FAIL)"
    assert bb.first_chart_verdict(row(first_chart=None), 2.0) == "n/a"
    assert bb.first_chart_verdict(row(first_chart=None, error="Timeout"), 2.0) == "FAIL"


def test_slider_verdict():
    assert bb.slider_verdict(row()) == "PASS"
    assert bb.slider_verdict(row(slider_median=0.3, slider_worst=0.5)) == "PASS"
    assert bb.slider_verdict(row(slider_median=0.31)) == "FAIL"
    assert bb.slider_verdict(row(slider_worst=0.51)) == "FAIL"
    none = dict(slider_median=None, slider_worst=None)
    assert bb.slider_verdict(row(**none, note=bb.NO_SLIDER)) == bb.NO_SLIDER
    assert bb.slider_verdict(row(**none, note="5/5 nudges: no rerun")) == "FAIL"
    assert bb.slider_verdict(row(**none, error="Timeout")) == "FAIL"
    # a nudge that never settled fails the panel even if the others were quick
    assert bb.slider_verdict(row(note="1/5 nudges: no rerun/settle within 15 s")) == "FAIL"


@pytest.mark.parametrize(
    ("previous", "at_min", "at_max", "sweep", "key"),
    [
        (None, False, False, False, bb.RIGHT),
        (bb.RIGHT, False, False, False, bb.LEFT),
        (bb.LEFT, False, False, False, bb.RIGHT),
        (None, False, True, False, bb.LEFT),  # starts at its maximum
        (bb.LEFT, True, False, False, bb.RIGHT),
        (bb.RIGHT, False, False, True, bb.RIGHT),  # sweep keeps going
        (bb.RIGHT, False, True, True, bb.LEFT),  # and turns at the end
    ],
)
def test_next_key_stays_in_range(previous, at_min, at_max, sweep, key):
    assert bb.next_key(previous, at_min, at_max, sweep=sweep) == key


def test_url_path_agrees_with_the_browser_tests():
    scripts = ["app.py"] + [f"pages/{p.name}" for p in sorted((ROOT / "pages").glob("*.py"))]
    for script in scripts:
        assert "http://h" + bb.url_path(script).rstrip("/") == page_url("http://h", script).rstrip(
            "/"
        )
    assert bb.url_path("pages/8_Convolution.py") == "/Convolution"


def test_panel_path_encodes_the_label():
    assert bb.panel_path("/Convolution", "cv", "Pooling & strides") == (
        "/Convolution?cv_panel=Pooling%20%26%20strides"
    )
    assert bb.panel_path("/Calculus", None, bb.WHOLE_PAGE) == "/Calculus"


def test_matches_is_a_case_insensitive_substring_filter():
    assert bb.matches([], "anything")
    assert bb.matches(["conv"], "Convolution", "pages/8_Convolution.py")
    assert not bb.matches(["conv"], "Calculus", "pages/3_Calculus.py")


def test_summarise_takes_medians_over_rounds():
    runs = [
        bb.Measurement(1.0, 1.2, 2048, 0, 3, [0.1, 0.3, 0.2]),
        bb.Measurement(3.0, 3.2, 4096, 0, 3, [0.2, 0.4, 0.3]),
        bb.Measurement(error="TimeoutError: 60 s"),
    ]
    r = bb.summarise(VIEW, runs)
    assert r.first_chart == pytest.approx(2.0) and r.settled == pytest.approx(2.2)
    assert r.kb == pytest.approx(3.0) and r.charts == 3
    assert r.slider_median == pytest.approx(0.25)  # median of the rounds' medians 0.2, 0.3
    assert r.slider_worst == pytest.approx(0.35)  # median of the rounds' worst 0.3, 0.4
    assert r.error is None and "1/3 rounds failed" in r.note


def test_summarise_all_failed_is_an_error_row():
    r = bb.summarise(VIEW, [bb.Measurement(error="RuntimeError: exception element")])
    assert r.error == "RuntimeError: exception element" and r.first_chart is None
    assert bb.first_chart_verdict(r, 2.0) == "FAIL" and bb.slider_verdict(r) == "FAIL"


def test_summarise_no_slider():
    r = bb.summarise(VIEW, [bb.Measurement(1.0, 1.1, 100, 0, 1, [], bb.NO_SLIDER)])
    assert r.slider_median is None and r.note == bb.NO_SLIDER
    assert bb.slider_verdict(r) == bb.NO_SLIDER


def test_format_table_floor_first_ratios_and_verdicts():
    floor = row(page=bb.FLOOR_PAGE, panel=bb.FLOOR_PANEL, first_chart=3.0, slider_median=0.2)
    rows = [
        row(page="Conv", panel="Kernels", first_chart=4.0, slider_median=0.4),
        row(page="Conv", panel="Pooling", default=False, first_chart=6.0, slider_median=0.1),
        row(
            page="Home",
            panel=bb.WHOLE_PAGE,
            first_chart=None,
            charts=0,
            slider_median=None,
            slider_worst=None,
            note=bb.NO_SLIDER,
        ),
        row(
            page="Calc",
            panel=bb.WHOLE_PAGE,
            first_chart=None,
            slider_median=None,
            slider_worst=None,
            error="TimeoutError: waited 60 s",
        ),
    ]
    text = bb.format_table(floor, rows)
    lines = text.splitlines()
    assert lines[0].split()[:2] == ["page", "panel"]
    assert lines[2].startswith(bb.FLOOR_PAGE)
    kernels, pooling, home, calc = lines[3:7]
    assert "1.3" in kernels and "2.0" in kernels  # 4.0 / 3.0 and 0.4 / 0.2
    assert kernels.split()[-2:] == ["PASS", "FAIL"]  # limit 4.5 s; slider 0.4 s
    assert "(FAIL)" in pooling and pooling.rstrip().endswith("PASS")
    assert "no slider" in home and "n/a" in home
    assert "TimeoutError" in calc and "FAIL" in calc
    assert "= 4.50 s" in text and "2 of 4 views pass" in text  # pooling and home


def test_parse_args_quick_means_two_nudges_unless_told():
    assert bb.parse_args(["--quick"]).nudges == 2
    assert bb.parse_args(["--quick", "--nudges", "4"]).nudges == 4
    o = bb.parse_args(["--pages", "conv", "calc", "--rounds", "3", "--json", "x.json"])
    assert o.pages == ["conv", "calc"] and o.rounds == 3 and o.nudges == 5 and o.json == "x.json"
    with pytest.raises(SystemExit):
        bb.parse_args(["--rounds", "0"])


def test_discover_every_page_once_default_first():
    pages = bb.discover(bb.Options())
    assert pages[0][0].page == "Home" and pages[0][0].path == "/"
    for targets in pages:
        assert targets[0].default and not any(t.default for t in targets[1:])
        assert len({t.path for t in targets}) == len(targets)
        for t in targets:
            assert (t.panel == bb.WHOLE_PAGE) == ("?" not in t.path)
    quick = bb.discover(bb.Options(quick=True, pages=["8_Conv"]))
    assert [len(t) for t in quick] == [1] and quick[0][0].page == "Convolution"


def test_the_drawn_digit_is_its_own_view_timed_by_strokes():
    (targets,) = bb.discover(bb.Options(pages=["Convolutional"], panels=["Trained network"]))
    plain, drawn = targets
    assert plain.action == bb.SLIDER and plain.tab is None
    assert drawn.action == bb.DRAW and drawn.tab == "Trained network" and not drawn.default
    assert drawn.path == plain.path + "&cnn_src=Draw+a+digit"
    strokes = [bb.stroke_points(n) for n in range(6)]
    assert all(0 < v < 1 for stroke in strokes for point in stroke for v in point)
    assert len({tuple(s) for s in strokes}) == 6  # each stroke adds ink somewhere new


def test_bench_main_hands_browser_over(monkeypatch):
    import bench.__main__ as entry

    seen = []
    monkeypatch.setattr(bb, "main", lambda argv: seen.append(argv) or 0)
    assert entry.main(["browser", "--quick", "--pages", "conv"]) == 0
    assert seen == [["--quick", "--pages", "conv"]]
    assert "browser" not in entry.modules([])  # not picked up as a bench_* module


def test_to_json_keeps_every_raw_figure(tmp_path):
    import json

    runs = [bb.Measurement(1.0, 1.2, 2048, 512, 3, [0.1, 0.3])]
    floor = [bb.Measurement(0.9, 1.0, 1024, 256, 1, [0.1])]
    result = {
        "floor": bb.summarise(bb.Target("floor", "(one chart)", "/", True), floor),
        "rows": [bb.summarise(VIEW, runs)],
        "raw": {"floor": floor, "views": {VIEW: runs}},
        "seconds": 12.5,
    }
    data = json.loads(json.dumps(bb.to_json(result, bb.Options())))
    assert data["raw"]["views"][0]["target"]["path"] == VIEW.path
    assert data["raw"]["views"][0]["rounds"][0]["nudges"] == [0.1, 0.3]
    assert data["targets"]["first_chart_s"] == 2.0 and data["rows"][0]["kb"] == 2.0
