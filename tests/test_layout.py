"""ui.layout: the code panel reads a function's source once per process, safely."""

from __future__ import annotations

import inspect
import threading

from streamlit.testing.v1 import AppTest

from dlcore import linalg
from dlcore import transforms2d as t2d
from ui import layout


def test_source_is_read_once_per_object(monkeypatch):
    layout._cached_source.cache_clear()
    calls = []
    real = inspect.getsource

    def counting(obj):
        calls.append(obj)
        return real(obj)

    monkeypatch.setattr(layout.inspect, "getsource", counting)
    first = layout.source_of(t2d.relate)
    assert first.startswith("def relate(u, v)")
    for _ in range(5):
        assert layout.source_of(t2d.relate) == first
    assert calls == [t2d.relate], "parsed again after the first call"


def test_any_failure_shows_the_fallback(monkeypatch):
    layout._cached_source.cache_clear()

    def broken(obj):
        raise SystemError("AST constructor recursion depth mismatch")

    monkeypatch.setattr(layout.inspect, "getsource", broken)
    assert layout.source_of(linalg.eig2) == "# source of 'eig2' is not available"
    assert layout.source_of(42).startswith("# source of")
    monkeypatch.undo()
    layout._cached_source.cache_clear()
    assert layout.source_of(linalg.eig2).startswith("def eig2(A)")


def test_source_from_many_threads_at_once():
    layout._cached_source.cache_clear()
    objects = [t2d.relate, linalg.eig2, linalg.svd2, linalg.pca, linalg.low_rank_approx]
    results: list[str] = []
    threads = [
        threading.Thread(target=lambda o=o: results.append(layout.source_of(o)))
        for o in objects * 8
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 40 and all(r.startswith("def ") for r in results)


def test_show_code_sends_the_code_only_once_opened():
    at = AppTest.from_string(
        "from dlcore import linalg, transforms2d\n"
        "from ui.layout import show_code\n"
        "show_code(linalg.eig2, transforms2d.relate)\n"
    ).run()
    assert len(at.expander) == 1 and len(at.code) == 0
    at.session_state["code:Show the NumPy code:eig2,relate"] = True
    at.run()
    assert [c.value.split("(")[0] for c in at.code] == ["def eig2", "def relate"]
