"""Learning-rate schedules: frozen dataclasses, ``schedule(step) -> lr``.

A schedule is called with the number of updates already made (0 for the
first update) and returns the learning rate for that update; it is
vectorised over arrays of steps, so a page can draw its whole curve in one
call. Pass one as ``lr=`` to any optimizer in :mod:`dlcore.optim`.

Every schedule has ``lr``, its peak (or starting) value; the other
parameters are shapes and ratios, so one schedule shape can be applied to
racers with different learning rates via ``dataclasses.replace(s, lr=...)``.
Semantics follow PyTorch's ``torch.optim.lr_scheduler`` where it has the
schedule (StepLR, ExponentialLR, CosineAnnealingLR, CyclicLR, OneCycleLR),
and Hugging Face's cosine-with-warmup for :class:`WarmupCosine`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from dlcore._validation import check_int, check_range
from dlcore.tex import tex_number


def _steps(step: Any) -> np.ndarray:
    t = np.asarray(step, dtype=float)
    if t.size and (not np.all(np.isfinite(t)) or t.min() < 0):
        raise ValueError("step must be finite and >= 0")
    return t


def _out(step: Any, values: np.ndarray) -> Any:
    """A float for a scalar step (the optimizers' hot path), else an array."""
    return float(values) if np.ndim(step) == 0 else values


def _cosine(start: Any, end: Any, fraction: np.ndarray) -> np.ndarray:
    """From ``start`` at fraction 0 to ``end`` at fraction 1 along half a cosine."""
    return end + (start - end) * 0.5 * (1.0 + np.cos(np.pi * fraction))


@dataclass(frozen=True)
class Constant:
    """``lr`` at every step."""

    lr: float = 1e-2

    name: ClassVar[str] = "Constant"
    latex: ClassVar[str] = r"\eta_t = \eta"

    def __post_init__(self) -> None:
        check_range("lr", self.lr, 0, None)

    def __call__(self, step: Any) -> Any:
        """Learning rate at ``step`` (int or array of ints >= 0)."""
        t = _steps(step)
        return _out(step, np.full(t.shape, float(self.lr)))

    def to_latex(self) -> str:
        return rf"\eta_t = {tex_number(self.lr)}"


@dataclass(frozen=True)
class StepDecay:
    """Multiply by ``gamma`` every ``step_size`` steps (``torch.optim.lr_scheduler.StepLR``).

    ``lr_t = lr * gamma ** floor(t / step_size)``.
    """

    lr: float = 1e-2
    step_size: int = 100
    gamma: float = 0.5

    name: ClassVar[str] = "Step decay"
    latex: ClassVar[str] = r"\eta_t = \eta\, \gamma^{\lfloor t / s \rfloor}"

    def __post_init__(self) -> None:
        check_range("lr", self.lr, 0, None)
        check_int("step_size", self.step_size, 1, None)
        check_range("gamma", self.gamma, 0, 1)

    def __call__(self, step: Any) -> Any:
        t = _steps(step)
        return _out(step, self.lr * self.gamma ** np.floor(t / self.step_size))

    def to_latex(self) -> str:
        return rf"\eta_t = {tex_number(self.lr)} \cdot {tex_number(self.gamma)}^{{\lfloor t / {self.step_size} \rfloor}}"


@dataclass(frozen=True)
class ExponentialDecay:
    """Multiply by ``gamma`` every step (``torch.optim.lr_scheduler.ExponentialLR``).

    ``lr_t = lr * gamma ** t``.
    """

    lr: float = 1e-2
    gamma: float = 0.995

    name: ClassVar[str] = "Exponential"
    latex: ClassVar[str] = r"\eta_t = \eta\, \gamma^{t}"

    def __post_init__(self) -> None:
        check_range("lr", self.lr, 0, None)
        check_range("gamma", self.gamma, 0, 1)

    def __call__(self, step: Any) -> Any:
        t = _steps(step)
        return _out(step, self.lr * self.gamma**t)

    def to_latex(self) -> str:
        return rf"\eta_t = {tex_number(self.lr)} \cdot {tex_number(self.gamma)}^{{t}}"


@dataclass(frozen=True)
class CosineDecay:
    """Half a cosine from ``lr`` to ``min_ratio * lr`` over ``total_steps``.

    ``torch.optim.lr_scheduler.CosineAnnealingLR(T_max=total_steps,
    eta_min=min_ratio * lr)``, except that after ``total_steps`` it stays at
    the minimum (PyTorch's closed form would rise again).
    """

    lr: float = 1e-2
    total_steps: int = 1000
    min_ratio: float = 0.0

    name: ClassVar[str] = "Cosine"
    latex: ClassVar[str] = (
        r"\eta_t = \eta_{\min} + \tfrac12 (\eta - \eta_{\min}) \left(1 + \cos \tfrac{\pi \min(t, T)}{T}\right)"
    )

    def __post_init__(self) -> None:
        check_range("lr", self.lr, 0, None)
        check_int("total_steps", self.total_steps, 1, None)
        check_range("min_ratio", self.min_ratio, 0, 1)

    def __call__(self, step: Any) -> Any:
        t = _steps(step)
        fraction = np.minimum(t, self.total_steps) / self.total_steps
        return _out(step, _cosine(self.lr, self.lr * self.min_ratio, fraction))

    def to_latex(self) -> str:
        lo = self.lr * self.min_ratio
        return (
            rf"\eta_t = {tex_number(lo)} + \tfrac12 ({tex_number(self.lr)} - {tex_number(lo)}) "
            rf"\left(1 + \cos \tfrac{{\pi \min(t, {self.total_steps})}}{{{self.total_steps}}}\right)"
        )


@dataclass(frozen=True)
class WarmupCosine:
    """Linear warm-up from 0 to ``lr``, then cosine decay to ``min_ratio * lr``.

    As Hugging Face's ``get_cosine_schedule_with_warmup``: ``lr * t / w`` for
    ``t < w`` (so the very first update uses a learning rate of 0), then half
    a cosine over the remaining ``total_steps - w`` steps, flat afterwards.
    """

    lr: float = 1e-2
    warmup_steps: int = 100
    total_steps: int = 1000
    min_ratio: float = 0.0

    name: ClassVar[str] = "Warmup + cosine"
    latex: ClassVar[str] = (
        r"\eta_t = \begin{cases} \eta\, t / w & t < w \\ "
        r"\eta_{\min} + \tfrac12 (\eta - \eta_{\min}) \left(1 + \cos \pi \tfrac{t - w}{T - w}\right) & t \ge w \end{cases}"
    )

    def __post_init__(self) -> None:
        check_range("lr", self.lr, 0, None)
        check_int("total_steps", self.total_steps, 1, None)
        check_int("warmup_steps", self.warmup_steps, 0, self.total_steps - 1)
        check_range("min_ratio", self.min_ratio, 0, 1)

    def __call__(self, step: Any) -> Any:
        t = _steps(step)
        w, total = self.warmup_steps, self.total_steps
        warm = self.lr * t / max(w, 1)
        fraction = np.clip((t - w) / (total - w), 0.0, 1.0)
        decay = _cosine(self.lr, self.lr * self.min_ratio, fraction)
        return _out(step, np.where(t < w, warm, decay))

    def to_latex(self) -> str:
        lo, w, total = self.lr * self.min_ratio, self.warmup_steps, self.total_steps
        return (
            rf"\eta_t = \begin{{cases}} {tex_number(self.lr)}\, t / {w} & t < {w} \\ "
            rf"{tex_number(lo)} + \tfrac12 ({tex_number(self.lr)} - {tex_number(lo)}) "
            rf"\left(1 + \cos \pi \tfrac{{t - {w}}}{{{total - w}}}\right) & t \ge {w} \end{{cases}}"
        )


@dataclass(frozen=True)
class Cyclical:
    """Triangular cyclical rate (Smith 2017), ``torch.optim.lr_scheduler.CyclicLR`` mode "triangular".

    Between ``base = min_ratio * lr`` and ``lr``: up for ``step_size_up``
    steps, down for as many, repeat. ``cycle = floor(1 + t / (2 s))``,
    ``x = |t / s - 2 cycle + 1|``, ``lr_t = base + (lr - base) max(0, 1 - x)``.
    """

    lr: float = 1e-2
    step_size_up: int = 100
    min_ratio: float = 0.1

    name: ClassVar[str] = "Cyclical (triangular)"
    latex: ClassVar[str] = (
        r"\eta_t = \eta_{\min} + (\eta - \eta_{\min}) \max\left(0,\ 1 - \left|\tfrac{t}{s} - 2c + 1\right|\right),"
        r"\quad c = \left\lfloor 1 + \tfrac{t}{2s} \right\rfloor"
    )

    def __post_init__(self) -> None:
        check_range("lr", self.lr, 0, None)
        check_int("step_size_up", self.step_size_up, 1, None)
        check_range("min_ratio", self.min_ratio, 0, 1)

    def __call__(self, step: Any) -> Any:
        t = _steps(step)
        s = self.step_size_up
        cycle = np.floor(1 + t / (2 * s))
        x = np.abs(t / s - 2 * cycle + 1)
        base = self.lr * self.min_ratio
        return _out(step, base + (self.lr - base) * np.maximum(0.0, 1.0 - x))

    def to_latex(self) -> str:
        lo, s = self.lr * self.min_ratio, self.step_size_up
        return (
            rf"\eta_t = {tex_number(lo)} + ({tex_number(self.lr)} - {tex_number(lo)}) "
            rf"\max\left(0,\ 1 - \left|\tfrac{{t}}{{{s}}} - 2c + 1\right|\right),"
            rf"\quad c = \left\lfloor 1 + \tfrac{{t}}{{{2 * s}}} \right\rfloor"
        )


@dataclass(frozen=True)
class OneCycle:
    """One-cycle policy (Smith & Topin 2018), ``torch.optim.lr_scheduler.OneCycleLR``.

    Two cosine phases as PyTorch's default (``anneal_strategy="cos"``,
    ``three_phase=False``): from ``lr / div_factor`` up to ``lr`` until step
    ``pct_start * total_steps - 1``, then down to
    ``lr / (div_factor * final_div_factor)`` at step ``total_steps - 1``;
    constant afterwards (PyTorch raises there). PyTorch also cycles momentum
    inversely; here only the learning rate is scheduled.
    """

    lr: float = 1e-2
    total_steps: int = 1000
    pct_start: float = 0.3
    div_factor: float = 25.0
    final_div_factor: float = 1e4

    name: ClassVar[str] = "One-cycle"
    latex: ClassVar[str] = (
        r"\eta_t = \begin{cases} \mathrm{cos}(\eta/d \to \eta) & t \le pT - 1 \\ "
        r"\mathrm{cos}(\eta \to \eta/(d f)) & \text{after} \end{cases}"
    )

    def __post_init__(self) -> None:
        check_range("lr", self.lr, 0, None)
        check_int("total_steps", self.total_steps, 2, None)
        check_range("pct_start", self.pct_start, 0, 1, low_inclusive=False, high_inclusive=False)
        check_range("div_factor", self.div_factor, 1, None)
        check_range("final_div_factor", self.final_div_factor, 1, None)
        if (
            self.pct_start * self.total_steps - 1 <= 0
            or self.pct_start * self.total_steps >= self.total_steps
        ):
            raise ValueError(
                "pct_start * total_steps must be in (1, total_steps), so both phases have steps"
            )

    def _phases(self) -> tuple[float, float, float]:
        initial = self.lr / self.div_factor
        return (
            initial,
            float(self.pct_start * self.total_steps) - 1,
            initial / self.final_div_factor,
        )

    def __call__(self, step: Any) -> Any:
        t = np.minimum(_steps(step), self.total_steps - 1)
        initial, end_up, final = self._phases()
        end_down = self.total_steps - 1
        up = _cosine(initial, self.lr, t / end_up)
        down = _cosine(self.lr, final, (t - end_up) / (end_down - end_up))
        return _out(step, np.where(t <= end_up, up, down))

    def to_latex(self) -> str:
        initial, end_up, final = self._phases()
        end_up_text = f"{end_up:g}"
        return (
            rf"\eta_t = \begin{{cases}} {tex_number(self.lr)} + \tfrac12({tex_number(initial)} - {tex_number(self.lr)})"
            rf"\left(1 + \cos \tfrac{{\pi t}}{{{end_up_text}}}\right) & t \le {end_up_text} \\ "
            rf"{tex_number(final)} + \tfrac12({tex_number(self.lr)} - {tex_number(final)})"
            rf"\left(1 + \cos \pi \tfrac{{t - {end_up_text}}}{{{self.total_steps - 1 - end_up:g}}}\right)"
            rf" & t > {end_up_text} \end{{cases}}"
        )


SCHEDULES: dict[str, type] = {
    cls.name: cls
    for cls in (
        Constant,
        StepDecay,
        ExponentialDecay,
        CosineDecay,
        WarmupCosine,
        Cyclical,
        OneCycle,
    )
}


def curve(schedule: Any, steps: int) -> np.ndarray:
    """The learning rate of every update ``0 .. steps - 1``, shape ``(steps,)``."""
    steps = check_int("steps", steps, 1, 10_000_000)
    return np.asarray(schedule(np.arange(steps)), dtype=float)


def multiplier_latex(name: str, steps: int) -> str:
    """The schedule ``name`` fitted to ``steps`` updates, as a multiplier of the peak rate.

    The LaTeX reads ``\\eta_t / \\eta = ...``: the shape every racer's own rate
    ``\\eta`` is multiplied by, which is :func:`fitted` with ``lr = 1``.

    Examples
    --------
    >>> multiplier_latex("Exponential", 500)
    '\\\\eta_t / \\\\eta = 1 \\\\cdot 0.991^{t}'
    """
    return fitted(name, lr=1.0, steps=steps).to_latex().replace(r"\eta_t =", r"\eta_t / \eta =", 1)


__all__ = [
    "SCHEDULES",
    "Constant",
    "CosineDecay",
    "Cyclical",
    "ExponentialDecay",
    "OneCycle",
    "StepDecay",
    "WarmupCosine",
    "curve",
    "fitted",
    "multiplier_latex",
    "tex_number",
]


def fitted(name: str, *, lr: float, steps: int) -> Any:
    """The registry's schedule ``name`` with its shape spread over a race of ``steps`` updates.

    Step decay halves the rate four times, exponential decay ends at 1 % of
    ``lr``, cosine and one-cycle span the race, warm-up takes its first
    10 %, and the triangular cycle repeats four times.

    Parameters
    ----------
    name : str
        A key of :data:`SCHEDULES`.
    lr : float
        Peak learning rate, >= 0.
    steps : int
        Length of the race, in [2, 10000000].
    """
    if name not in SCHEDULES:
        raise ValueError(f"name must be one of {', '.join(map(repr, SCHEDULES))}, got {name!r}")
    steps = check_int("steps", steps, 2, 10_000_000)
    shapes = {
        "Constant": {},
        "Step decay": {"step_size": max(steps // 5, 1), "gamma": 0.5},
        "Exponential": {"gamma": 0.01 ** (1.0 / steps)},
        "Cosine": {"total_steps": steps},
        "Warmup + cosine": {"warmup_steps": max(steps // 10, 1), "total_steps": steps},
        "Cyclical (triangular)": {"step_size_up": max(steps // 8, 1)},
        "One-cycle": {"total_steps": steps, "pct_start": max(0.3, 1.5 / steps)},
    }
    return SCHEDULES[name](lr=lr, **shapes[name])
