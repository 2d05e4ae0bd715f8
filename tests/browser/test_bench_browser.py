"""``python -m bench browser`` on a small selection: real figures come out."""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench import browser as bb


def _real(seconds) -> bool:
    return seconds is not None and math.isfinite(seconds) and 0 < seconds < 120


def test_bench_browser_measures_floor_home_and_a_lab():
    # bb.run drives its own Playwright, so not the conftest's browser fixture: a sync
    # Playwright refuses a thread where another one's event loop runs, so it gets its own
    # thread. The same rule on a missing Chromium as the fixture.
    if not os.path.exists(bb.CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{bb.CHROMIUM} is missing: .ci/run should have installed it")
        pytest.skip(f"{bb.CHROMIUM} not installed (apt-get install chromium)")
    options = bb.parse_args(["--pages", "home", "linear", "--quick", "--nudges", "1"])
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(bb.run, options).result()
    floor, rows = result["floor"], {r.page: r for r in result["rows"]}
    assert set(rows) == {"Home", "Linear algebra"}

    assert floor.error is None, floor.note
    assert _real(floor.first_chart) and _real(floor.settled) and floor.kb > 0
    assert floor.charts == 1 and _real(floor.slider_median), floor.note
    assert floor.settled >= floor.first_chart  # settled waits for the chart to be drawn

    home = rows["Home"]
    assert home.error is None and _real(home.settled) and home.kb > 0
    assert home.first_chart is None and home.note == bb.NO_SLIDER

    lab = rows["Linear algebra"]
    assert lab.error is None, lab.note
    assert _real(lab.first_chart) and lab.kb > 0 and lab.charts >= 1
    assert _real(lab.slider_median) or lab.note == bb.NO_SLIDER, lab.note

    table = bb.format_table(floor, result["rows"]).splitlines()
    assert table[2].startswith("floor") and len(table) == 3 + 2 + 3
