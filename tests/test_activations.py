"""dlcore.activations against scipy.special, hand-derived values and finite differences."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special, stats

from charts.theme import NAMED_COLORS
from dlcore import activations as act

NAMES = list(act.ACTIVATIONS)
# Away from the kink at 0 (ReLU, leaky ReLU, ELU with alpha != 1) and not on the grid's own points.
SMOOTH_X = np.concatenate([np.linspace(-6.0, -0.05, 40), np.linspace(0.05, 6.0, 40)]) + 0.0123


def _param_sets(spec: act.Activation) -> list[dict[str, float]]:
    """Defaults, plus every parameter at its range's upper end."""
    sets = [spec.defaults()]
    if spec.params:
        sets.append({p.name: p.high for p in spec.params})
    return sets


def _erf_gelu(x):
    return 0.5 * x * (1 + special.erf(x / np.sqrt(2)))


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_central_differences(name):
    spec = act.ACTIVATIONS[name]
    h = 1e-6
    for kw in _param_sets(spec):
        numeric = (spec.fn(SMOOTH_X + h, **kw) - spec.fn(SMOOTH_X - h, **kw)) / (2 * h)
        np.testing.assert_allclose(
            spec.grad(SMOOTH_X, **kw), numeric, rtol=1e-6, atol=1e-8, err_msg=f"{name} {kw}"
        )


@pytest.mark.parametrize(
    ("fn", "grad", "kw", "at_zero", "left"),
    [
        (act.relu, act.relu_grad, {}, 0.0, 0.0),
        (act.leaky_relu, act.leaky_relu_grad, {}, 0.01, 0.01),
        (act.leaky_relu, act.leaky_relu_grad, {"negative_slope": 0.2}, 0.2, 0.2),
        (act.elu, act.elu_grad, {}, 1.0, 1.0),
        (act.elu, act.elu_grad, {"alpha": 2.5}, 2.5, 2.5),
    ],
)
def test_kink_convention_is_pytorchs(fn, grad, kw, at_zero, left):
    assert grad(0.0, **kw) == at_zero
    assert fn(0.0, **kw) == 0.0
    # one-sided derivatives either side of the kink
    assert grad(1e-9, **kw) == 1.0
    assert grad(-1e-9, **kw) == pytest.approx(left, rel=1e-6)


def test_nan_inputs_as_pytorch():
    # PyTorch's backward kernels test x <= 0 (ReLU, ELU) or x > 0 (leaky ReLU).
    nan = np.array([np.nan])
    assert (
        act.relu_grad(nan)[0] == 1.0
        and act.elu_grad(nan)[0] == 1.0
        and act.leaky_relu_grad(nan)[0] == 0.01
    )
    for spec in act.ACTIVATIONS.values():
        assert np.isnan(spec.fn(nan)[0])


@pytest.mark.parametrize(
    ("fn", "reference"),
    [
        (act.sigmoid, special.expit),
        (act.gelu, _erf_gelu),
        (act.silu, lambda x: x * special.expit(x)),
        (act.tanh, np.tanh),
        (act.softplus, lambda x: np.logaddexp(0.0, x)),
        (act.relu, lambda x: np.where(x > 0, x, 0.0)),
        (act.leaky_relu, lambda x: np.where(x > 0, x, 0.01 * x)),
        (act.elu, lambda x: np.where(x > 0, x, np.exp(np.minimum(x, 0)) - 1)),
        (act.identity, lambda x: x),
    ],
)
def test_values_against_reference(fn, reference):
    x = np.linspace(-8, 8, 161)
    # softplus is x itself above the threshold (PyTorch), within e^-20 of log(1 + e^x)
    np.testing.assert_allclose(fn(x), reference(x), rtol=1e-12, atol=3e-9)


def test_hand_derived_values():
    # Values printed by torch.nn.functional (float64) for the same inputs.
    assert act.gelu(1.0) == pytest.approx(0.8413447460685429, rel=1e-14)
    assert act.gelu(-1.0) == pytest.approx(-0.15865525393145707, rel=1e-14)
    assert act.gelu_grad(1.0) == pytest.approx(1.0833154705876864, rel=1e-14)
    assert act.silu(1.0) == pytest.approx(0.7310585786300049, rel=1e-14)
    assert act.softplus(1.0) == pytest.approx(1.3132616875182228, rel=1e-14)
    assert act.elu(-1.0) == pytest.approx(-0.6321205588285577, rel=1e-14)
    assert act.softplus(25.0) == 25.0  # linear regime above threshold 20
    assert act.softplus_grad(25.0) == 1.0
    assert act.softplus(2.0, beta=2.0) == pytest.approx(np.log1p(np.exp(4.0)) / 2, rel=1e-14)


def test_gelu_left_tail_keeps_relative_accuracy():
    # 1 + erf(x/sqrt 2) cancels to 0 here; x * ndtr(x) does not.
    assert act.gelu(-10.0) == pytest.approx(-10 * stats.norm.cdf(-10.0), rel=1e-12)
    assert act.gelu(-10.0) < 0


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_stable_at_plus_minus_1000(name, dtype):
    spec = act.ACTIVATIONS[name]
    x = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0], dtype=dtype)
    f, g = spec.fn(x), spec.grad(x)
    assert np.all(np.isfinite(f)) and np.all(np.isfinite(g))
    assert f.dtype == dtype and g.dtype == dtype
    # the limits are the true ones
    assert f[-1] == pytest.approx(1.0 if name == "Sigmoid" or name == "Tanh" else 1000.0)


def test_saturated_values_are_exact():
    assert act.sigmoid(-1000.0) == 0.0 and act.sigmoid(1000.0) == 1.0
    assert act.softplus(-1000.0) == 0.0 and act.softplus(1000.0) == 1000.0
    assert act.tanh_grad(1000.0) == 0.0 and act.sigmoid_grad(-1000.0) == 0.0


def test_inputs_not_mutated_and_shapes_kept():
    x = np.linspace(-3, 3, 12).reshape(3, 4)
    before = x.copy()
    for spec in act.ACTIVATIONS.values():
        assert spec.fn(x).shape == (3, 4) and spec.grad(x).shape == (3, 4)
    act.softmax(x, axis=0)
    act.log_softmax(x)
    np.testing.assert_array_equal(x, before)
    assert act.identity(x) is not x
    assert np.ndim(act.relu(2)) == 0 and act.relu(2) == 2.0


def test_registry_names_colours_and_latex():
    assert NAMES == [
        "ReLU",
        "Leaky ReLU",
        "ELU",
        "GELU",
        "SiLU",
        "Sigmoid",
        "Tanh",
        "Softplus",
        "Identity",
    ]
    for name, spec in act.ACTIVATIONS.items():
        assert spec.name == name and name in NAMED_COLORS
        assert spec.latex.startswith("f(x)") and spec.grad_latex.startswith("f'(x)")
        for p in spec.params:
            assert p.low <= p.default <= p.high and p.symbol in spec.latex


def test_bad_parameters_name_the_argument():
    with pytest.raises(ValueError, match="alpha"):
        act.elu([1.0], alpha=float("nan"))
    with pytest.raises(ValueError, match="beta"):
        act.softplus([1.0], beta=0)
    with pytest.raises(ValueError, match="temperature"):
        act.softmax([1.0, 2.0], temperature=0)
    with pytest.raises(ValueError, match="z"):
        act.softmax([1.0, np.nan])
    with pytest.raises(ValueError, match="x"):
        act.relu("abc")


# ---------------------------------------------------------------------------
# Softmax


@pytest.mark.parametrize("axis", [-1, 0, 1])
@pytest.mark.parametrize("temperature", [0.05, 1.0, 7.0])
def test_softmax_against_scipy(axis, temperature):
    z = np.random.default_rng(0).normal(0, 3, (4, 6))
    s = act.softmax(z, axis=axis, temperature=temperature)
    np.testing.assert_allclose(
        s, special.softmax(z / temperature, axis=axis), rtol=1e-12, atol=1e-300
    )
    np.testing.assert_allclose(s.sum(axis=axis), 1.0, rtol=1e-14)


@pytest.mark.parametrize("axis", [-1, 0])
def test_log_softmax_against_scipy(axis):
    z = np.random.default_rng(1).normal(0, 5, (5, 3))
    np.testing.assert_allclose(
        act.log_softmax(z, axis=axis), special.log_softmax(z, axis=axis), rtol=1e-12
    )


@pytest.mark.filterwarnings("error")
def test_softmax_shift_invariant_and_stable_at_1000():
    z = np.array([2.0, 1.0, 0.1, -1.0])
    for c in (1000.0, -1000.0, 1e5):
        np.testing.assert_allclose(act.softmax(z + c), act.softmax(z), rtol=1e-10)
        np.testing.assert_allclose(act.log_softmax(z + c), act.log_softmax(z), rtol=1e-10)
    wide = np.array([1000.0, 0.0, -1000.0])
    np.testing.assert_allclose(act.log_softmax(wide), [0.0, -1000.0, -2000.0])
    assert act.softmax(wide)[0] == 1.0


def test_naive_softmax_fails_where_the_stable_one_does_not():
    z = np.array([2.0, 1.0, 0.1])
    np.testing.assert_allclose(act.softmax_naive(z), act.softmax(z), rtol=1e-14)
    assert np.isnan(act.softmax_naive(z + 1000.0)[0])
    np.testing.assert_allclose(act.softmax_loop(z + 1000.0), act.softmax(z), rtol=1e-12)


def test_temperature_limits_and_entropy():
    z = np.array([2.0, 1.0, 0.1, -1.0])
    sweep = act.temperature_sweep(z, [0.01, 1.0, 1e4])
    np.testing.assert_allclose(sweep.probabilities[0], [1, 0, 0, 0], atol=1e-40)
    np.testing.assert_allclose(sweep.probabilities[2], 0.25, atol=1e-4)
    np.testing.assert_allclose(
        sweep.entropy, [stats.entropy(p) for p in sweep.probabilities], atol=1e-12
    )
    assert sweep.entropy[0] < 1e-30 and sweep.entropy[2] == pytest.approx(np.log(4), abs=1e-7)
    assert np.all(np.diff(act.temperature_sweep(z).entropy) >= 0)  # hotter is never more certain
    with pytest.raises(ValueError, match="temperatures"):
        act.temperature_sweep(z, [1.0, 0.0])


@pytest.mark.parametrize("temperature", [1.0, 0.3])
def test_softmax_jacobian_against_finite_differences(temperature):
    z = np.array([0.5, -1.0, 2.0, 0.0, 1.2])
    jac = act.softmax_jacobian(z, temperature=temperature)
    h = 1e-6
    numeric = np.empty((5, 5))
    for j in range(5):
        e = np.zeros(5)
        e[j] = h
        numeric[:, j] = (
            act.softmax(z + e, temperature=temperature)
            - act.softmax(z - e, temperature=temperature)
        ) / (2 * h)
    np.testing.assert_allclose(jac, numeric, atol=1e-9)
    s = act.softmax(z)
    np.testing.assert_allclose(act.softmax_jacobian(z), np.diag(s) - np.outer(s, s), rtol=1e-14)
    np.testing.assert_allclose(jac.sum(axis=1), 0.0, atol=1e-15)
    assert np.all(np.linalg.eigvalsh(jac) > -1e-15)


def test_softmax_jacobian_batched():
    z = np.random.default_rng(2).normal(size=(3, 4))
    jac = act.softmax_jacobian(z)
    assert jac.shape == (3, 4, 4)
    for i in range(3):
        np.testing.assert_allclose(jac[i], act.softmax_jacobian(z[i]), rtol=1e-14)


# ---------------------------------------------------------------------------
# Properties and curves


def test_properties_known_values():
    sig = act.properties("Sigmoid")
    assert sig.max_grad == 0.25 and (sig.low, sig.high) == (0.0, 1.0) and sig.value_at_zero == 0.5
    assert sig.saturates_left and sig.saturates_right and not sig.zero_centred and sig.monotonic
    tanh = act.properties("Tanh")
    assert tanh.zero_centred and tanh.max_grad == 1.0
    relu = act.properties("ReLU")
    assert relu.mean_output == pytest.approx(1 / np.sqrt(2 * np.pi), abs=1e-7)
    assert (relu.low, relu.high) == (0.0, np.inf) and relu.grad_at_zero == 0.0
    assert relu.saturates_left and not relu.saturates_right
    gelu = act.properties("GELU")
    assert gelu.low == pytest.approx(-0.16997120, abs=1e-7) and not gelu.monotonic
    assert gelu.mean_output == pytest.approx(1 / (2 * np.sqrt(np.pi)), abs=1e-7)
    assert act.properties("SiLU").low == pytest.approx(-0.27846454, abs=1e-7)
    assert act.properties("Leaky ReLU").low == -np.inf
    assert act.properties("Leaky ReLU", negative_slope=0.0).low == 0.0
    assert act.properties("ELU", alpha=2.0).low == -2.0
    assert act.properties("Identity").zero_centred and not act.properties("Identity").saturates_left


def test_curves():
    c = act.curves(["ReLU", "ELU"], (-2, 2), n=5, alpha=2.0)
    np.testing.assert_allclose(c.x, [-2, -1, 0, 1, 2])
    np.testing.assert_allclose(c.values["ELU"], act.elu(c.x, alpha=2.0))
    np.testing.assert_allclose(c.grads["ReLU"], [0, 0, 0, 1, 1])
    with pytest.raises(ValueError, match="x_range"):
        act.curves(["ReLU"], (1, 1))
    with pytest.raises(ValueError, match="activation"):
        act.curves(["Swish2"], (-1, 1))
