"""Activations and their derivatives on 1e6 float64 values, softmax on a 1000 x 1000 batch.

References: the scipy.special / NumPy formula where one exists (expit, erf-based
GELU, logaddexp softplus, scipy.special.softmax and log_softmax) and, when it
imports, PyTorch's CPU kernels (``torch.nn.functional`` for values, the
``torch.ops.aten.*_backward`` kernels for derivatives, i.e. what autograd runs).
"""

from __future__ import annotations

import numpy as np
from scipy import special

from bench.timing import Comparison, compare
from dlcore import activations as act

SQRT1_2 = float(np.sqrt(0.5))
INV_SQRT_2PI = float(1 / np.sqrt(2 * np.pi))

# NumPy/SciPy one-liners for the values and the derivatives.
FORMULAS = {
    "ReLU": (lambda x: np.where(x > 0, x, 0.0), lambda x: np.where(x > 0, 1.0, 0.0)),
    "Leaky ReLU": (lambda x: np.where(x > 0, x, 0.01 * x), lambda x: np.where(x > 0, 1.0, 0.01)),
    "ELU": (
        lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))),
        lambda x: np.where(x > 0, 1.0, np.exp(np.minimum(x, 0))),
    ),
    "GELU": (
        lambda x: 0.5 * x * (1 + special.erf(x * SQRT1_2)),
        lambda x: 0.5 * (1 + special.erf(x * SQRT1_2)) + x * INV_SQRT_2PI * np.exp(-0.5 * x * x),
    ),
    "SiLU": (
        lambda x: x * special.expit(x),
        lambda x: (lambda s: s * (1 + x * (1 - s)))(special.expit(x)),
    ),
    "Sigmoid": (special.expit, lambda x: (lambda s: s * (1 - s))(special.expit(x))),
    "Tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2),
    "Softplus": (lambda x: np.logaddexp(0.0, x), special.expit),
    "Identity": (lambda x: x.copy(), np.ones_like),
}


def _torch():
    try:
        import torch
    except Exception:  # not installed, or a broken install: skip the reference
        return None
    torch.set_num_threads(1)  # the machine is shared; one thread, like NumPy's elementwise ufuncs
    return torch


def _torch_kernels(torch, x: np.ndarray) -> dict[str, tuple]:
    """name -> (value thunk, derivative thunk) on a torch copy of x."""
    F, aten = torch.nn.functional, torch.ops.aten
    t = torch.from_numpy(x)
    ones = torch.ones_like(t)
    sig, th = torch.sigmoid(t), torch.tanh(t)
    return {
        "ReLU": (lambda: F.relu(t), lambda: aten.threshold_backward(ones, t, 0)),
        "Leaky ReLU": (
            lambda: F.leaky_relu(t),
            lambda: aten.leaky_relu_backward(ones, t, 0.01, False),
        ),
        "ELU": (lambda: F.elu(t), lambda: aten.elu_backward(ones, 1.0, 1, 1, False, t)),
        "GELU": (lambda: F.gelu(t), lambda: aten.gelu_backward(ones, t)),
        "SiLU": (lambda: F.silu(t), lambda: aten.silu_backward(ones, t)),
        "Sigmoid": (lambda: torch.sigmoid(t), lambda: aten.sigmoid_backward(ones, sig)),
        "Tanh": (lambda: torch.tanh(t), lambda: aten.tanh_backward(ones, th)),
        "Softplus": (lambda: F.softplus(t), lambda: aten.softplus_backward(ones, t, 1.0, 20.0)),
        "Identity": (lambda: t.clone(), lambda: torch.ones_like(t)),
    }


def run(quick: bool = False) -> list[Comparison]:
    n = 10_000 if quick else 1_000_000
    rounds = 3 if quick else 7
    x = np.random.default_rng(0).normal(0, 3, n)
    # Importing torch alone takes seconds; the quick smoke run leaves it out.
    torch = None if quick else _torch()
    kernels = _torch_kernels(torch, x) if torch is not None else {}
    note = "" if torch is not None or quick else "torch not installed: reference skipped"
    results = []
    for name, spec in act.ACTIVATIONS.items():
        value_ref, grad_ref = FORMULAS[name]
        for label, ours, ref, t_index in (
            ("", spec.fn, value_ref, 0),
            ("derivative ", spec.grad, grad_ref, 1),
        ):
            impls = {
                f"dlcore {name}": lambda f=ours: f(x),
                "numpy/scipy formula": lambda f=ref: f(x),
            }
            if name in kernels:
                impls["torch (1 thread)"] = kernels[name][t_index]
            results.append(
                compare(
                    f"{name} {label}on {n:.0e} float64",
                    impls,
                    ours=f"dlcore {name}",
                    rounds=rounds,
                    note=note,
                )
            )

    rows = 100 if quick else 1000
    z = np.random.default_rng(1).normal(0, 5, (rows, 1000))
    tz = torch.from_numpy(z) if torch is not None else None
    for title, ours, ref, tfn in (
        ("softmax", act.softmax, special.softmax, "softmax"),
        ("log_softmax", act.log_softmax, special.log_softmax, "log_softmax"),
    ):
        impls = {
            f"dlcore {title}": lambda f=ours: f(z, axis=-1),
            f"scipy.special.{title}": lambda f=ref: f(z, axis=-1),
        }
        if torch is not None:
            impls["torch (1 thread)"] = lambda name=tfn: getattr(torch, name)(tz, dim=-1)
        results.append(
            compare(
                f"{title} over rows of a {rows}x1000 float64 batch",
                impls,
                ours=f"dlcore {title}",
                rounds=rounds,
                note=note,
            )
        )
    return results
