"""dlcore.schedules: values at known steps (PyTorch's closed forms, by hand) and the contract."""

from __future__ import annotations

import dataclasses
import pickle

import numpy as np
import pytest

from dlcore import schedules
from dlcore.schedules import (
    SCHEDULES,
    Constant,
    CosineDecay,
    Cyclical,
    ExponentialDecay,
    OneCycle,
    StepDecay,
    WarmupCosine,
    curve,
)


@pytest.mark.parametrize(
    "schedule, known",
    [
        (Constant(lr=0.3), {0: 0.3, 7: 0.3, 10_000: 0.3}),
        (
            StepDecay(lr=1.0, step_size=10, gamma=0.5),
            {0: 1.0, 9: 1.0, 10: 0.5, 25: 0.25, 30: 0.125},
        ),
        (ExponentialDecay(lr=2.0, gamma=0.5), {0: 2.0, 1: 1.0, 3: 0.25}),
        (
            CosineDecay(lr=1.0, total_steps=100, min_ratio=0.1),
            {0: 1.0, 50: 0.55, 100: 0.1, 150: 0.1},
        ),
        # warm-up t / w, then half a cosine over T - w = 100 steps
        (
            WarmupCosine(lr=1.0, warmup_steps=10, total_steps=110),
            {0: 0.0, 5: 0.5, 10: 1.0, 60: 0.5, 110: 0.0, 500: 0.0},
        ),
        (
            Cyclical(lr=1.0, step_size_up=10, min_ratio=0.0),
            {0: 0.0, 5: 0.5, 10: 1.0, 15: 0.5, 20: 0.0, 30: 1.0},
        ),
        (Cyclical(lr=1.0, step_size_up=10, min_ratio=0.2), {0: 0.2, 5: 0.6, 10: 1.0}),
        # torch OneCycleLR: initial 1/25, peak at step 0.3 * 100 - 1 = 29, final 0.04 / 1e4 at step 99
        (
            OneCycle(lr=1.0, total_steps=100, pct_start=0.3, div_factor=25.0, final_div_factor=1e4),
            {0: 0.04, 14.5: 0.52, 29: 1.0, 64: (1 + 4e-6) / 2, 99: 4e-6, 200: 4e-6},
        ),
    ],
    ids=lambda v: getattr(v, "name", ""),
)
def test_values_at_known_steps(schedule, known):
    for step, value in known.items():
        assert schedule(step) == pytest.approx(value, rel=1e-12, abs=1e-15), (schedule, step)
    steps = np.array(list(known))
    np.testing.assert_allclose(schedule(steps), list(known.values()), rtol=1e-12, atol=1e-15)


def test_onecycle_matches_torch_phase_formula_at_every_step():
    # PyTorch's OneCycleLR.get_lr, written out for anneal_strategy="cos", three_phase=False.
    s = OneCycle(lr=0.5, total_steps=57, pct_start=0.25, div_factor=10.0, final_div_factor=100.0)

    def anneal(start, end, pct):
        return end + (start - end) / 2.0 * (np.cos(np.pi * pct) + 1)

    phases = [(0.25 * 57 - 1, 0.05, 0.5), (56, 0.5, 0.05 / 100)]
    for step in range(57):
        start_step = 0.0
        for i, (end_step, lo, hi) in enumerate(phases):
            if step <= end_step or i == len(phases) - 1:
                expected = anneal(lo, hi, (step - start_step) / (end_step - start_step))
                break
            start_step = end_step
        assert s(step) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_contract(name):
    cls = SCHEDULES[name]
    s = cls(lr=0.2)
    assert cls.name == name and dataclasses.is_dataclass(s)
    assert hash(s) == hash(cls(lr=0.2)) and pickle.loads(pickle.dumps(s)) == s
    assert isinstance(s(3), float)
    values = curve(s, 3000)
    assert values.shape == (3000,) and np.all(np.isfinite(values))
    assert np.all(values >= 0) and values.max() <= 0.2 + 1e-15
    np.testing.assert_allclose(values[[5, 17]], [s(5), s(17)])
    np.testing.assert_allclose(s(np.arange(6).reshape(2, 3)), values[:6].reshape(2, 3))
    # lr is the peak: scaling it scales the whole curve (one shape for racers with own rates).
    np.testing.assert_allclose(curve(dataclasses.replace(s, lr=0.6), 3000), 3 * values, rtol=1e-12)
    assert cls.latex.startswith(r"\eta_t") and "0.2" in s.to_latex()
    with pytest.raises(ValueError, match="step"):
        s(-1)
    with pytest.raises(ValueError, match="lr"):
        cls(lr=-0.1)


@pytest.mark.parametrize(
    "cls, kwargs, word",
    [
        (StepDecay, {"step_size": 0}, "step_size"),
        (ExponentialDecay, {"gamma": 1.5}, "gamma"),
        (CosineDecay, {"total_steps": 0}, "total_steps"),
        (WarmupCosine, {"warmup_steps": 1000, "total_steps": 1000}, "warmup_steps"),
        (Cyclical, {"min_ratio": 2.0}, "min_ratio"),
        (OneCycle, {"pct_start": 1.0}, "pct_start"),
        (OneCycle, {"total_steps": 3, "pct_start": 0.2}, "pct_start"),
    ],
)
def test_bad_parameters_name_the_argument(cls, kwargs, word):
    with pytest.raises(ValueError, match=word):
        cls(**kwargs)


def test_curve_validates_steps():
    with pytest.raises(ValueError, match="steps"):
        curve(Constant(), 0)
    assert schedules.curve(StepDecay(lr=1.0, step_size=2, gamma=0.1), 5).tolist() == pytest.approx(
        [1, 1, 0.1, 0.1, 0.01]
    )


@pytest.mark.parametrize("name", list(SCHEDULES))
@pytest.mark.parametrize("steps", [2, 10, 777])
def test_fitted_schedules_span_the_race(name, steps):
    s = schedules.fitted(name, lr=0.3, steps=steps)
    assert isinstance(s, SCHEDULES[name]) and s.lr == 0.3
    values = curve(s, steps)
    assert np.all(np.isfinite(values)) and values.max() <= 0.3 + 1e-15
    if name == "Exponential":
        assert values[-1] == pytest.approx(0.3 * 0.01 ** ((steps - 1) / steps))
    if name in ("Cosine", "One-cycle", "Warmup + cosine") and steps > 2:
        assert values[-1] < 0.3 * 0.1


def test_fitted_rejects_unknown_names():
    with pytest.raises(ValueError, match="name"):
        schedules.fitted("Linear", lr=0.1, steps=10)


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_multiplier_latex_is_the_fitted_schedule_with_a_unit_peak(name):
    tex = schedules.multiplier_latex(name, 500)
    assert tex.startswith(r"\eta_t / \eta = ")
    unit = schedules.fitted(name, lr=1.0, steps=500).to_latex()
    assert tex == unit.replace(r"\eta_t =", r"\eta_t / \eta =", 1)
    assert schedules.multiplier_latex("Cosine", 500) == (
        r"\eta_t / \eta = 0 + \tfrac12 (1 - 0) \left(1 + \cos \tfrac{\pi \min(t, 500)}{500}\right)"
    )
    with pytest.raises(ValueError, match="name"):
        schedules.multiplier_latex("Sawtooth", 500)
