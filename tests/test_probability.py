"""dlcore.probability is the lab's one namespace: it re-exports the API of ARCHITECTURE.md."""

from __future__ import annotations

import dlcore.continuous
import dlcore.discrete
import dlcore.distribution_base
import dlcore.distributions
import dlcore.inference
import dlcore.information
import dlcore.probability as prob


def test_public_api_of_the_architecture():
    for name in [
        "DISTRIBUTIONS",
        "Normal",
        "Uniform",
        "Exponential",
        "Bernoulli",
        "Binomial",
        "Poisson",
        "Beta",
        "Gamma",
        "StudentT",
        "entropy",
        "cross_entropy",
        "kl_divergence",
        "posterior",
        "beta_binomial_update",
        "fit_normal",
        "fit_bernoulli",
        "fit_exponential",
        "sample_means",
        "t_test",
        "confidence_intervals",
    ]:
        assert hasattr(prob, name), name


def test_reexports_are_the_same_objects():
    for module in (
        dlcore.distributions,
        dlcore.distribution_base,
        dlcore.continuous,
        dlcore.discrete,
        dlcore.information,
        dlcore.inference,
    ):
        for name in module.__all__:
            assert getattr(prob, name) is getattr(module, name)
    assert sorted(prob.__all__) == sorted(set(prob.__all__))
