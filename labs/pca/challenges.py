"""The PCA and SVD lab's challenges: goals in terms of its controls, checked by dlcore."""

from dlcore.challenges import pca as pc
from labs.pca.cloud import view as cloud_view
from labs.pca.data import fit as pca_fit
from ui.challenges import Challenge

CLOUD = "Correlated cloud"
DATA = "PCA on data"
CLOUD_READS = {"s1": 2.0, "s2": 1.0, "rho": 0.6, "angle": 0, "n": 400, "seed": 0}
DATA_READS = {"data": "iris", "std": True, "k": 2}


def _share(v: dict) -> float:
    w = cloud_view(v["n"], v["s1"], v["s2"], v["rho"], v["angle"], int(v["seed"]))  # the panel's
    return w.pc1_share


def _ratios(v: dict, standardised: bool):
    return pca_fit(v["data"], standardised).pca.explained_variance_ratio  # the panel's cached fit


CHALLENGES = (
    Challenge(
        "one_axis",
        CLOUD,
        "Shape the cloud so that PC1 alone carries at least 95% of the variance.",
        "The variance along PC1 is the larger eigenvalue of the covariance. Correlation and the "
        "two σ's decide how unequal the eigenvalues are.",
        "When the points lie close to a line one number per point (its PC1 score) describes them: "
        "that is dimensionality reduction, and the loss is exactly λ₂.",
        CLOUD_READS,
        lambda v: pc.one_axis_suffices(_share(v)),
    ),
    Challenge(
        "round",
        CLOUD,
        "Make a cloud with no main axis: PC1 carries at most 55% of the variance.",
        "Equal σ's and no correlation give a round cloud.",
        "With equal eigenvalues every direction is a principal axis: PCA's choice is then decided "
        "by noise, and the components are not meaningful.",
        CLOUD_READS,
        lambda v: pc.no_main_axis(_share(v)),
    ),
    Challenge(
        "fewest",
        DATA,
        "Keep the fewest components that explain at least 99% of the variance.",
        "Read the cumulative explained variance: the first k where it reaches 99%.",
        "Explained variance ratios add up: the scree plot tells how many directions the data "
        "really uses, which is how k is chosen in practice.",
        DATA_READS,
        lambda v: pc.fewest_components(_ratios(v, v["std"]), v["k"], keep=0.99),
    ),
    Challenge(
        "units",
        DATA,
        "Find a data set where turning standardisation off makes PC1 carry 90% or more.",
        "PCA maximises variance, and variance depends on units: look for a feature measured in "
        "big numbers.",
        "Without standardising, the feature with the largest numbers (wine's proline, in the "
        "hundreds) is PC1 on its own: a unit change, not a pattern. Standardise unless the units "
        "are comparable.",
        DATA_READS,
        lambda v: pc.units_dominate(v["std"], _ratios(v, False)[0], _ratios(v, True)[0]),
    ),
)
