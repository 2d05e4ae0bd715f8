"""``python -m bench monkey``: page selection, the starting panel of each seed, a tiny run."""

from __future__ import annotations

import io

from bench import monkey as bm
from labs import convolution
from ui.nav import LABS


def test_pages_are_filtered_by_path():
    assert bm.pages(["8_conv"]) == ["pages/8_Convolution.py"]
    assert bm.pages(["conv"]) == ["pages/11_Convolutional_Networks.py", "pages/8_Convolution.py"]
    assert len(bm.pages([])) == len(LABS)
    assert bm.pages(["no such page"]) == []


def test_each_seed_starts_on_the_next_panel():
    labels = [p.label for p in convolution.PANELS]
    starts = [bm.start_panel("pages/8_Convolution.py", s) for s in range(len(labels) + 1)]
    assert starts == [*labels, labels[0]]
    assert bm.start_panel("app.py", 3) is None


def test_a_tiny_run_reports_its_count():
    out = io.StringIO()
    failures = bm.run(["pages/1_Linear_Algebra.py"], seeds=1, steps=2, out=out)
    assert failures == []
    assert "pages/1_Linear_Algebra.py: 1 seeds x 2 steps, 0 failing" in out.getvalue()
