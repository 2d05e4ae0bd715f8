"""Run the benchmarks: ``python -m bench [--quick] [NAME ...]``.

``python -m bench browser [...]`` runs the real-browser benchmark instead
(:mod:`bench.browser`; ``python -m bench browser --help``), and
``python -m bench monkey [--seeds 50]`` the long run of the sequence monkey
(:mod:`bench.monkey`), and ``python -m bench load [...]`` many visitors at once
over Streamlit's websocket protocol (:mod:`bench.load`).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time

import bench
from bench.timing import report


def modules(filters: list[str]) -> list[str]:
    names = sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")
    )
    if filters:
        names = [n for n in names if any(f in n for f in filters)]
    return names


def run_all(*, quick: bool = False, filters: list[str] | None = None, out=sys.stdout) -> list:
    results = []
    for name in modules(filters or []):
        module = importlib.import_module(f"bench.{name}")
        start = time.perf_counter()
        print(f"== {name} ==", file=out, flush=True)
        for comparison in module.run(quick=quick):
            results.append(comparison)
            print(report(comparison), file=out, flush=True)
        print(f"   ({time.perf_counter() - start:.1f} s)\n", file=out, flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["browser"]:  # not a bench_* module: it drives Chromium, not dlcore
        from bench import browser

        return browser.main(argv[1:])
    if argv[:1] == ["load"]:  # many visitors over the websocket protocol (bench.load)
        from bench import load

        return load.main(argv[1:])
    if argv[:1] == ["monkey"]:  # the long run of the sequence monkey (AppTest, not dlcore)
        from bench import monkey

        return monkey.main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "names", nargs="*", help="run only modules whose name contains one of these"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    args = parser.parse_args(argv)
    if not modules(args.names):
        print("no benchmark module matches", args.names, file=sys.stderr)
        return 2
    run_all(quick=args.quick, filters=args.names)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
