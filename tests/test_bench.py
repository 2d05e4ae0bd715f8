"""The benchmarks keep running: every bench module in quick mode."""

import io

import pytest

from bench.__main__ import modules, run_all
from bench.timing import compare, report


def test_compare_reports_medians_and_ratio():
    c = compare(
        "t", {"a": lambda: sum(range(1000)), "b": lambda: sum(range(10))}, ours="a", rounds=3
    )
    assert set(c.medians) == {"a", "b"} and all(v > 0 for v in c.medians.values())
    assert c.ratio("b") == pytest.approx(c.medians["a"] / c.medians["b"])
    assert c.fastest_reference() == "b"
    assert set(c.round_ratios) == {"b"} and c.round_ratios["b"] > 1  # per round, a is slower
    assert "median per round" in report(c)
    with pytest.raises(ValueError):
        compare("t", {"a": lambda: None}, ours="z")


@pytest.mark.parametrize("name", modules([]))
def test_bench_module_runs_quick(name):
    out = io.StringIO()
    results = run_all(quick=True, filters=[name], out=out)
    assert results, f"{name} produced no comparison"
    assert "dlcore/ref" in out.getvalue()
