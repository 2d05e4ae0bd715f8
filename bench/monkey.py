"""The long run of the sequence monkey: ``python -m bench monkey --seeds 50``.

The test suite runs :mod:`tests.monkey` with a small budget (3 seeds x 20
steps a page). This runs many more seeds on every page (or the pages asked
for), each seed starting on the next panel of the lab so every panel is a
starting point, and prints each failure as its shrunk, numbered steps.
Exit status 1 when anything reached a page.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

from tests import monkey
from tests.pagetest import ROOT, lab_of


def pages(filters: list[str]) -> list[str]:
    """The page paths whose path contains one of ``filters`` (all pages without filters)."""
    found = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
    return [p for p in found if not filters or any(f.lower() in p.lower() for f in filters)]


def start_panel(page: str, seed: int) -> str | None:
    """The panel seed ``seed`` opens first: the lab's panels in turn."""
    lab = lab_of(page)
    if lab is None:
        return None
    return lab.PANELS[seed % len(lab.PANELS)].label


def run(paths: list[str], seeds: int, steps: int, out=sys.stdout) -> list[monkey.Failure]:
    failures: list[monkey.Failure] = []
    for page in paths:
        start, found = time.perf_counter(), 0
        for seed in range(seeds):
            failure = monkey.run(page, seed, steps, panel=start_panel(page, seed))
            if failure is not None:
                found += 1
                failures.append(failure)
                print(failure.report(), file=out, flush=True)
        elapsed = time.perf_counter() - start
        print(f"{page}: {seeds} seeds x {steps} steps, {found} failing ({elapsed:.0f} s)", file=out)
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench monkey", description=__doc__)
    parser.add_argument("--seeds", type=int, default=50, help="seeds per page (50)")
    parser.add_argument("--steps", type=int, default=20, help="actions per seed (20)")
    parser.add_argument("--pages", nargs="*", default=[], help="substrings of a page path")
    args = parser.parse_args(argv)
    paths = pages(args.pages)
    if not paths:
        print("no page matches", args.pages, file=sys.stderr)
        return 2
    # AppTest logs every uncaught exception it shows; the report already carries them.
    logging.getLogger("streamlit").setLevel(logging.CRITICAL)
    failures = run(paths, args.seeds, args.steps)
    total = len(paths) * args.seeds
    print(f"\n{len(failures)} of {total} sequences failed ({len(paths)} pages)")
    return 1 if failures else 0
