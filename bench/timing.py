"""Alternating, median-of-rounds timing and the ratio report."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping
from typing import NamedTuple


class Comparison(NamedTuple):
    """One benchmarked kernel: median seconds per implementation.

    ``ours`` names the dlcore entry of ``medians``; the others are references.
    ``round_ratios`` holds, per reference, the median over rounds of dlcore's
    time divided by the reference's in the same round: on a shared machine a
    burst of load hits both sides of one round, so this ratio is the steadier one.
    """

    title: str
    ours: str
    medians: dict[str, float]
    note: str = ""
    round_ratios: dict[str, float] | None = None

    def ratio(self, reference: str) -> float:
        return self.medians[self.ours] / self.medians[reference]

    def fastest_reference(self) -> str:
        refs = {k: v for k, v in self.medians.items() if k != self.ours}
        return min(refs, key=refs.get)


def compare(
    title: str,
    implementations: Mapping[str, Callable[[], object]],
    *,
    ours: str,
    rounds: int = 7,
    warmup: int = 1,
    note: str = "",
) -> Comparison:
    """Time each implementation ``rounds`` times, alternating them, after ``warmup`` calls.

    Alternating (A B C A B C ...) rather than blocking (A A A B B B) spreads
    the machine's noise evenly over the implementations.
    """
    if ours not in implementations:
        raise ValueError(f"ours={ours!r} is not one of {list(implementations)}")
    for fn in implementations.values():
        for _ in range(warmup):
            fn()
    samples: dict[str, list[float]] = {name: [] for name in implementations}
    for _ in range(rounds):
        for name, fn in implementations.items():
            start = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(times) for name, times in samples.items()}
    round_ratios = {
        name: statistics.median(a / b for a, b in zip(samples[ours], times))
        for name, times in samples.items()
        if name != ours
    }
    return Comparison(title, ours, medians, note, round_ratios)


def fmt_seconds(s: float) -> str:
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.1f} ms"
    return f"{s * 1e6:.0f} us"


def report(comparison: Comparison) -> str:
    """A few lines: each implementation's median and dlcore's ratio to it."""
    lines = [comparison.title + (f"  ({comparison.note})" if comparison.note else "")]
    ours = comparison.medians[comparison.ours]
    for name, median in comparison.medians.items():
        if name == comparison.ours:
            lines.append(f"    {name:<28} {fmt_seconds(median):>10}")
        else:
            per_round = (comparison.round_ratios or {}).get(name)
            lines.append(
                f"    {name:<28} {fmt_seconds(median):>10}   dlcore/ref = {ours / median:6.2f}x"
                + ("" if per_round is None else f"   (median per round {per_round:.2f}x)")
            )
    return "\n".join(lines)
