"""dlcore.calculus re-exports the calculus API of ARCHITECTURE.md from the modules that define it."""

from __future__ import annotations

import dlcore.calculus as calc
import dlcore.differentiation
import dlcore.gradflow
import dlcore.integration


def test_public_api_of_the_architecture():
    homes = {
        "derivative": dlcore.differentiation,
        "gradient": dlcore.differentiation,
        "gradient_check": dlcore.differentiation,
        "integrate": dlcore.integration,
        "gradient_flow": dlcore.gradflow,
    }
    assert sorted(calc.__all__) == sorted(homes)
    for name, module in homes.items():
        assert getattr(calc, name) is getattr(module, name), name
