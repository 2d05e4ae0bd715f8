"""Benchmarks: dlcore against reference implementations, as ratios.

``python -m bench`` runs every ``bench/bench_*.py`` module; ``python -m bench
conv`` runs the modules whose name contains "conv"; ``--quick`` uses small
sizes (the test suite runs that to keep the benchmarks working).

Each module defines ``run(quick: bool) -> list[Comparison]``. Absolute times on
these shared machines are noisy, so every comparison alternates the
implementations in one process after a warm-up and reports medians and the
ratio dlcore / reference (below 1 means dlcore is faster).
"""
